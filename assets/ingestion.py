"""Per-source ingestion assets: new export files in, admitted and quarantined
canonical records out, and a blocking quality check per source."""

from pathlib import Path

import dagster as dg
import polars as pl

from assets.metadata import sample_table
from assets.partitions import daily_partitions, is_full_rebuild
from assets.progress import report
from governance.suppression import check_run_key
from ingestion import IngestError, find_export_files, known_hashes
from ingestion.deliveries import (
    emptied_snapshot,
    missing_deliveries,
    new_deliveries,
    settle_delivery,
)
from ingestion.intake import take_in_export
from nayose_config import NayoseConfig, SourceConfig
from pipelines.resources import NayoseProject
from quality_checks.quarantine import (
    QUARANTINE_SCHEMA,
    quarantine_records,
    rejected_rows_by_source,
    spreadsheet_notes,
)
from quality_checks.thresholds import evaluate_source_threshold
from security.encryption import parquet_key
from warehouse import generation, read_table, recover_publication, warehouse_lock

CHECK_NAME = "export_quality"

LEDGER_SCHEMA = {
    "source_system": pl.Utf8,
    "file_hash": pl.Utf8,
    "source_file": pl.Utf8,
    "rows": pl.Int64,
    "partition": pl.Utf8,
    "file_size": pl.Int64,  # with file_mtime_ns: a file unchanged since it was ingested is not hashed again
    "file_mtime_ns": pl.Int64,
}


def source_asset_key(source: SourceConfig) -> dg.AssetKey:
    return dg.AssetKey(f"{source.name}_exports")


# The published ledger as last read, by warehouse file: (its `generation` then, the table).
_last_ledger: dict[Path, tuple[str, pl.DataFrame | None]] = {}


def _ingestion_ledger(project: NayoseProject, source: SourceConfig) -> pl.DataFrame | None:
    """The source's rows of the published `ingested_files`. Every source's step of a run reads the same
    table (a run publishes its own rows at the end): it is read from the file once (each read opens the
    warehouse, 0.03-0.05 s), and again whenever the file changed since (its generation)."""
    database = project.paths().warehouse
    current = generation(database)  # taken before reading: a change after it shows at the next step
    last = _last_ledger.get(database)
    if last is None or last[0] != current:
        last = (current, read_table(database, "ingested_files"))
        _last_ledger.clear()  # only the latest warehouse's
        _last_ledger[database] = last
    ledger = last[1]
    return None if ledger is None else ledger.filter(pl.col("source_system") == source.name)


def build_source_asset(source: SourceConfig, config: NayoseConfig) -> dg.AssetsDefinition:
    """The `<source>_exports` asset and its blocking `export_quality` check."""
    key = source_asset_key(source)

    @dg.asset(
        key=key,
        group_name="ingestion",
        partitions_def=daily_partitions(config.timezone),
        kinds={"polars", "duckdb"},
        owners=["team:data-engineering"],
        description=(
            f"New exports of source system '{source.name}' ({source.format}, {source.encoding}) matching "
            f"`{source.path}`: decoded, parsed, mapped onto canonical fields and validated. Rows that fail "
            "go to quarantine with a reason."
        ),
        check_specs=[
            dg.AssetCheckSpec(
                CHECK_NAME,
                asset=key,
                blocking=True,
                description=(
                    f"Fails (and stops the run) when an export cannot be read or mapped, or when more than "
                    f"{source.quality.fail:.0%} of its rows are rejected; warns above {source.quality.warn:.0%}."
                ),
            )
        ],
    )
    def _source_exports(context: dg.AssetExecutionContext, project: NayoseProject):
        paths = project.paths()
        staging = project.staging(context.partition_key)
        with warehouse_lock(paths.warehouse):
            # every night, new files or not: a missing or wrong key is said now, not at publish or on a later night
            check_run_key(paths)
            parquet_key(config.security.encryption, paths.root)
            recovered = recover_publication(paths.data)
            # The warehouse as this run first reads it; publishing refuses if it changes meanwhile.
            staging.write_json(f"generation_{source.name}", generation(paths.warehouse))
        if recovered:
            report(context, f"[ingest] {recovered}")
        ledger = _ingestion_ledger(project, source)
        matching = find_export_files(paths.root, source, known_hashes(ledger))
        full = is_full_rebuild(context)
        files, repeats = new_deliveries(matching, ledger, full=full)
        errors: list[str] = []
        if full and source.delivery != "snapshot":  # a snapshot's newest file is the whole source
            missing = missing_deliveries(matching, ledger)
            if missing:
                shown = ", ".join(missing[:3]) + (f" and {len(missing) - 3} more" if len(missing) > 3 else "")
                errors.append(
                    f"--full rebuilds '{source.name}' from the exports in place, and {len(missing)} file(s) ingested "
                    f"before are not there ({shown}): their records would leave the base. Put them back and run again"
                )
        if matching:
            report(context, f"[ingest] {source.name}: {len(files)} new file(s)")
        else:  # not a quiet night: nothing is there at all (a typo in `path`, exports not yet copied)
            report(context, f"[ingest] {source.name}: no file matches `{source.path}` (check its `path` in nayose.yaml)")
        for repeat in repeats:  # a resend under a new name: its rows were taken in with the earlier file
            report(context, f"[ingest] {source.name}: {repeat.message}")
        mapped_parts, ledger_rows = [], []
        blank_rows = 0
        suppressed_parts: list[pl.DataFrame] = []  # quarantine rows of people erased earlier
        for export in files:
            try:
                taken = take_in_export(export, source, config, paths)
            except IngestError as exc:
                errors.append(str(exc))
                continue
            mapped_parts.append(taken.mapped)
            suppressed_parts.append(taken.suppressed)
            ledger_rows.append(
                {
                    "source_system": source.name,
                    "file_hash": export.file_hash,
                    "source_file": export.display_name,
                    "rows": taken.mapped.height,
                    "partition": context.partition_key,
                    "file_size": export.size,
                    "file_mtime_ns": export.mtime_ns,
                }
            )
            blank_rows += taken.blank_rows
            blank = f" ({taken.blank_rows} blank row(s) skipped)" if taken.blank_rows else ""
            report(context, f"[ingest] {source.name}: {export.display_name}: {taken.mapped.height} rows{blank}")

        known_rows = int(ledger["rows"].sum()) if ledger is not None and ledger.height else 0
        if source.delivery == "snapshot" and emptied_snapshot(mapped_parts, known_rows):
            errors.append(
                f"{ledger_rows[-1]['source_file']}: the newest snapshot of '{source.name}' holds no rows, so it would "
                "delete every record of the source; deliver the whole source (or remove the file) and run again"
            )
        # each record's last word over the files read (a --full run reads them all): later versions replace
        # earlier ones, tombstones and a snapshot's absentees delete them
        settled = settle_delivery(mapped_parts, snapshot=source.delivery == "snapshot")
        staging.write(f"tombstones_{source.name}", settled.deleted)
        if source.delivery == "snapshot" and mapped_parts:
            # the newest file is the whole source: what it lacks was deleted
            staging.write(f"snapshot_{source.name}", mapped_parts[-1].select("record_key").drop_nulls())
        mapped_all = settled.current if mapped_parts else None
        if len(mapped_parts) > 1 and (settled.superseded or settled.deleted.height):
            report(
                context,
                f"[ingest] {source.name}: {settled.superseded} row(s) of earlier files replaced or deleted by later ones; "
                f"{settled.deleted.height} record(s) deleted by their source",
            )
        if mapped_all is not None:
            result = quarantine_records(
                mapped_all,
                required_fields={source.name: list(source.required_fields)},
                id_columns={source.name: source.id},
            )
            admitted, quarantined = result.admitted, result.quarantine
        else:
            admitted, quarantined = pl.DataFrame(), pl.DataFrame(schema=QUARANTINE_SCHEMA)
        quarantined = pl.concat([quarantined, *suppressed_parts], how="diagonal_relaxed")
        staging.write(f"admitted_{source.name}", admitted)
        staging.write(f"quarantine_{source.name}", quarantined)
        staging.write(f"files_{source.name}", pl.DataFrame(ledger_rows, schema=LEDGER_SCHEMA))

        notes = spreadsheet_notes(quarantined)  # ids in scientific notation, total rows: fixed in the export
        for note in notes:
            report(context, f"[ingest] {source.name}: {note}")

        total = mapped_all.height if mapped_all is not None else 0
        # rejected input rows, by file and row: rows without an id (null record key) count one each
        rejected = int(rejected_rows_by_source(quarantined)["rejected_rows"].sum()) if quarantined.height else 0
        outcome = evaluate_source_threshold(
            source.name, rejected, total, warn=source.quality.warn, fail=source.quality.fail
        )
        passed = not errors and outcome.status != "fail"
        summary = errors + ([outcome.message] if outcome.status != "pass" else [])
        description = "; ".join((summary or [outcome.message]) + notes)
        yield dg.MaterializeResult(
            metadata={
                "new_files": len(files),
                "repeated_files_skipped": len(repeats),
                "blank_rows_skipped": blank_rows,
                "rows": total,
                "admitted": admitted.height,
                "quarantined_rows": quarantined.height,
                "rejected_rows": rejected,
                "deleted_by_source": settled.deleted.height,
                "superseded_rows": settled.superseded,
                "unreadable_files": len(errors),
                "sample_masked": sample_table(admitted.drop("record_key", strict=False), max_rows=5),
            }
        )
        yield dg.AssetCheckResult(
            check_name=CHECK_NAME,
            passed=passed,
            severity=dg.AssetCheckSeverity.ERROR if not passed else dg.AssetCheckSeverity.WARN,
            description=description,
            metadata={
                "rejected_rate": float(outcome.failure_rate),
                "warn_threshold": source.quality.warn,
                "fail_threshold": source.quality.fail,
                "status": outcome.status,
                "unreadable_files": len(errors),
            },
        )

    return _source_exports
