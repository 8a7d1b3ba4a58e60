"""Build a project's Dagster definitions: the asset graph, the nightly job,
its schedule and the new-export sensor, all for one `nayose.yaml`."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from assets import build_assets
from nayose_config import load_config
from pipelines.resources import NayoseProject
from pipelines.privacy_jobs import access_request_job, erasure_request
from pipelines.sensors import build_new_export_sensor
from pipelines.stewardship import record_steward_decision
from warehouse import ProjectPaths

NIGHTLY_JOB = "nightly"


def build_definitions(project_dir: Path) -> dg.Definitions:
    """Definitions for the project in `project_dir` (raises ConfigError on a bad nayose.yaml)."""
    config = load_config(project_dir)
    nightly_job = dg.define_asset_job(
        NIGHTLY_JOB,
        selection=dg.AssetSelection.all(),
        description="The nightly run: ingest, validate, standardize, resolve, golden records, quality, publish.",
    )
    nightly_schedule = dg.build_schedule_from_partitioned_job(
        nightly_job, hour_of_day=2, minute_of_hour=0, default_status=dg.DefaultScheduleStatus.RUNNING
    )
    return dg.Definitions(
        assets=build_assets(config),
        jobs=[nightly_job, record_steward_decision, erasure_request, access_request_job],
        schedules=[nightly_schedule],
        sensors=[build_new_export_sensor(config, ProjectPaths.of(project_dir), nightly_job)],
        resources={"project": NayoseProject(project_dir=str(Path(project_dir).resolve()))},
    )
