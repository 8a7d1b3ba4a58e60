"""The new-export sensor: a run as soon as a source delivers a file not yet ingested."""

from __future__ import annotations

import hashlib
from datetime import datetime
from zoneinfo import ZoneInfo

import dagster as dg


from ingestion import find_export_files, known_hashes
from nayose_config import NayoseConfig
from warehouse import ProjectPaths, read_table


def build_new_export_sensor(config: NayoseConfig, paths: ProjectPaths, job: dg.UnresolvedAssetJobDefinition) -> dg.SensorDefinition:
    @dg.sensor(
        name="new_export_sensor",
        job=job,
        minimum_interval_seconds=300,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="Starts the nightly job for today's partition when an export file not yet ingested appears.",
    )
    def new_export_sensor(context: dg.SensorEvaluationContext):
        ledger = read_table(paths.warehouse, "ingested_files")
        seen = set() if ledger is None else set(ledger["file_hash"].to_list())
        known = known_hashes(ledger)  # files unchanged since they were ingested are not read again
        new = sorted(
            f.file_hash for s in config.sources for f in find_export_files(paths.root, s, known) if f.file_hash not in seen
        )
        if not new:
            return dg.SkipReason("no new export files")
        today = datetime.now(ZoneInfo(config.timezone)).date().isoformat()
        run_key = hashlib.sha256(",".join(new).encode()).hexdigest()[:16]
        return dg.RunRequest(run_key=run_key, partition_key=today)

    return new_export_sensor



