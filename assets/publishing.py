"""Publishing: the run's results become the project's outputs, atomically."""

import getpass
import hashlib
import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

import dagster as dg
import polars as pl

from assets.partitions import daily_partitions, is_full_rebuild
from assets.progress import report
from governance.audit import AuditEvent, chain_entries
from nayose_config import CONFIG_FILE, NayoseConfig
from pipelines.resources import NayoseProject
from quality_checks.report import render_html
from security.encryption import ParquetKey, parquet_key, stage_golden_parquet
from security.file_modes import secure_tree
from security.role_outputs import (
    remove_stale_steward_files,
    stage_steward_material,
    start_steward_copies,
)
from security.settings import SecuritySettings
from warehouse import (
    ProjectPaths,
    Publication,
    WarehouseChanged,
    generation,
    read_table,
    warehouse_lock,
)
from warehouse.staging import wait_for_staged_writes
from warehouse.store import TablePatch, parquet_holds_table
from warehouse.table_copies import COPIED, remove_unlisted_parts, stage_table_copies


def newly_applied_decisions(decisions: pl.DataFrame, audit_log: pl.DataFrame | None) -> list[AuditEvent]:
    """Audit entries for steward decisions this run applies for the first time."""
    logged = (
        set()
        if audit_log is None
        else set(audit_log.filter(pl.col("action") == "steward_decision")["object"].to_list())
    )
    return [
        AuditEvent(
            actor=row["steward"],
            action="steward_decision",
            object=f"decision {row['decision_id']}",
            outcome=row["decision"],
            details={
                "record_key_l": row["record_key_l"],
                "record_key_r": row["record_key_r"],
                "decided_at": row["decided_at"],
            },
        )
        for row in decisions.iter_rows(named=True)
        if f"decision {row['decision_id']}" not in logged
    ]


def config_change(config_text: str, audit_log: pl.DataFrame | None, actor: str) -> list[AuditEvent]:
    """An audit entry when nayose.yaml differs from the version the last run
    recorded (the first run records the first version)."""
    digest = hashlib.sha256(config_text.encode("utf-8")).hexdigest()
    previous = None
    if audit_log is not None and audit_log.height:
        changes = audit_log.filter(pl.col("action") == "config_change").sort("seq")
        if changes.height:
            previous = json.loads(changes["details"][-1]).get("sha256")
    if digest == previous:
        return []
    return [
        AuditEvent(
            actor=actor,
            action="config_change",
            object=CONFIG_FILE,
            outcome="applied",
            details={"sha256": digest, "previous_sha256": previous},
        )
    ]


def build_publishing_asset(config: NayoseConfig) -> dg.AssetsDefinition:
    @dg.asset(
        name="published_outputs",
        group_name="outputs",
        partitions_def=daily_partitions(config.timezone),
        deps=["quality_scores"],
        kinds={"duckdb", "parquet"},
        owners=["team:data-engineering"],
        description=(
            "Writes the run's results where users read them, atomically: data/golden/*.parquet, "
            "data/warehouse/nayose.duckdb and data/reports/quality_report.{json,html}. A failed run "
            "leaves the previous outputs untouched."
        ),
    )
    def published_outputs(context: dg.AssetExecutionContext, project: NayoseProject) -> dg.MaterializeResult:
        paths = project.paths()
        key = parquet_key(config.security.encryption, paths.root)  # a missing key fails here, before any write
        staging = project.staging(context.partition_key)
        wait_for_staged_writes(staging.directory)  # a scratch file that failed to write fails the run here
        golden = staging.read("golden_records")
        crosswalk = staging.read("crosswalk")
        pairs = staging.read("pairs")
        review_queue = staging.read("review_queue")
        quarantine = staging.read("quarantine_all")
        lineage = staging.read_table_change("golden_lineage")  # whole, or a patch on incremental nights
        records = staging.read_table_change("records")
        records = staging.read("base") if records is None else records
        quality_report = staging.read_json("quality_report")
        files = pl.concat([staging.read(f"files_{s.name}") for s in config.sources], how="vertical_relaxed")
        finished = datetime.now(timezone.utc)
        summary = {
            "run_id": context.run.run_id,
            "partition": context.partition_key,
            "full_rebuild": is_full_rebuild(context),
            "finished_at": finished.isoformat(timespec="seconds"),
            "files_ingested": files.height,
            "records_in": int(files["rows"].sum() or 0),
            "records_in_base": quality_report["run"]["records_in_base"],
            "quarantined_rows": quality_report["run"]["quarantined_rows"],
            "golden_records": golden.height,
            "overall_quality_score": quality_report["overall_score"],
            "review_queue": review_queue.height,
            "model_version": staging.read_json("model")["version"],
            "golden_rules_fingerprint": staging.read_json("golden_rules_fingerprint"),
            "pair_rules": staging.read_json("pair_rules"),
            "standardization": staging.read_json("base_standardization"),
            **staging.read_json("id_stability"),  # untouched entities, how many kept their id, unexplained changes
        }
        audit_log = read_table(paths.warehouse, "audit_log")
        decisions = staging.read("steward_decisions")
        audit = chain_entries(
            audit_log,
            [
                *config_change((paths.root / CONFIG_FILE).read_text(encoding="utf-8"), audit_log, getpass.getuser()),
                *newly_applied_decisions(decisions, audit_log),
                AuditEvent(
                    actor=getpass.getuser(),
                    action="nightly_run",
                    object=f"partition {context.partition_key}",
                    outcome="success",
                    details={k: v for k, v in summary.items() if k != "run_id"} | {"run_id": context.run.run_id},
                ),
            ],
        )
        with warehouse_lock(paths.warehouse):
            read_at = {staging.read_json(f"generation_{s.name}") for s in config.sources}
            if read_at != {generation(paths.warehouse)}:
                raise WarehouseChanged(
                    "the warehouse was rewritten by another command (an erasure, a retention sweep or another run) "
                    "while this run was working; nothing was published: run again"
                )
            # whole frames, or patches of the warehouse tables (golden records and crosswalk: whole in Parquet)
            changes = {
                "records": records,
                "golden_lineage": lineage,
                "crosswalk": staging.read_patch("crosswalk") or crosswalk,
                "golden_records": staging.read_patch("golden_records") or golden,
                "match_pairs": staging.read_patch("match_pairs") or pairs,
                "standardization_issues": staging.read_patch("standardization_issues") or staging.read("issues_all"),
            }
            _write_outputs(
                paths,
                context.partition_key,
                golden=golden,
                crosswalk=crosswalk,
                replace={
                    "quarantine": quarantine,
                    "review_queue": review_queue,
                    "steward_decisions": decisions,
                    **{t: c for t, c in changes.items() if isinstance(c, pl.DataFrame)},
                },
                patch={t: c for t, c in changes.items() if isinstance(c, TablePatch)},
                append={
                    "runs": pl.DataFrame([summary], schema_overrides={"untouched_ids_kept_share": pl.Float64}),
                    "ingested_files": files,
                    "identity_events": staging.read("identity_events"),
                    "quality_scores": staging.read("quality_scores"),
                    "audit_log": audit,
                },
                quality_report=quality_report,
                security=config.security,
                key=key,
                viewer=staging.read_text("review_comparison_viewer.html"),
                base=lambda: staging.read("base"),
                pairs=pairs,
                full_rebuild=is_full_rebuild(context),
            )
            secure_tree(paths, config.security)
        staging.clear()  # scratch copies hold personal data; the warehouse is the record
        report(context, f"[publish] outputs written under {paths.display(paths.data)}/")
        head = audit.sort("seq").row(-1, named=True)  # the audit head, in Dagster's event log too
        return dg.MaterializeResult(
            metadata={k: v for k, v in summary.items() if isinstance(v, (int, float, str, bool))}
            | {"audit_head_seq": head["seq"], "audit_head_hash": head["hash"]}
        )

    return published_outputs


def _write_outputs(
    paths: ProjectPaths,
    partition: str,
    *,
    golden: pl.DataFrame,
    crosswalk: pl.DataFrame,
    replace: dict[str, pl.DataFrame],
    patch: dict[str, TablePatch],
    append: dict[str, pl.DataFrame],
    quality_report: dict,
    security: SecuritySettings,
    key: ParquetKey | None,
    viewer: str,
    base: Callable[[], pl.DataFrame],
    pairs: pl.DataFrame,
    full_rebuild: bool = False,
) -> None:
    """Every output staged in full, then all renamed into place together (see
    `warehouse.publication`): a run killed while writing changes nothing. The
    steward's masked copies are among them, and the Parquet copies of the
    tables the next night reads (`base` returns the whole records table, and
    `pairs` is the whole match_pairs table, for when a patch of its last copy
    will not do). On a night that is not a `full_rebuild`, the steward's
    copies of patched and history tables extend last night's copies where
    those are proven current (`security.masking_reuse`)."""
    lineage_order = ["golden_id", "attribute"]
    steward_frames = {"golden_records": golden, **{t: replace[t] for t in ("quarantine", "review_queue")}}
    with Publication(paths.data) as publication, ThreadPoolExecutor(1, thread_name_prefix="nayose-report") as pages:
        # the warehouse is built on another thread; the outputs that do not read it are staged meanwhile
        publication.warehouse(paths.warehouse, replace=replace, append=append, patch=patch)
        # patched lineage: the last file with the patch applied when its footer says it holds the last table
        # (written beside the rest; exported from the next warehouse if it does not read whole and sorted),
        # else the table of the warehouse just built, exported sorted
        from_file = "golden_lineage" in patch and parquet_holds_table(
            paths.golden_lineage, paths.warehouse, "golden_lineage"
        )
        if from_file:
            publication.patched_parquet(
                paths.golden_lineage,
                patch["golden_lineage"],
                paths.golden_lineage,
                lineage_order,
                otherwise=(paths.warehouse, "golden_lineage"),
            )
        elif "golden_lineage" in replace:
            publication.parquet(replace["golden_lineage"], paths.golden_lineage)
        # the steward's masked copies of the frames the run holds, on other threads too (checked against
        # the next warehouse below); the charts are drawn in the renderer child while this thread writes
        steward_started = start_steward_copies(
            publication,
            paths,
            security,
            steward_frames,
            published=None if full_rebuild else paths.warehouse,
            patches=patch,
            appends=append,
        )
        report_html = pages.submit(render_html, quality_report)
        # personal columns of the golden records encrypted when security.encryption is on
        publication.staged_file(
            stage_golden_parquet(golden, paths.golden_records, security.encryption, key), paths.golden_records
        )
        publication.parquet(crosswalk, paths.crosswalk)
        report_json = json.dumps(quality_report, ensure_ascii=False, indent=1)
        for name in ("quality_report", f"quality_report_{partition}"):
            publication.text(report_json, paths.reports / f"{name}.json")
            publication.text(report_html.result(), paths.reports / f"{name}.html")
        if viewer:
            publication.text(viewer, paths.review_viewer)
        # then those read from the next warehouse
        stage_table_copies(
            publication,
            paths.warehouse,
            {t: c for t in COPIED if (c := patch.get(t, replace.get(t))) is not None},
            {
                "records": base,
                "golden_records": lambda: golden,
                "crosswalk": lambda: crosswalk,
                "match_pairs": lambda: pairs,
            },
        )
        if not from_file and "golden_lineage" not in replace:
            publication.table_parquet(paths.warehouse, "golden_lineage", paths.golden_lineage, lineage_order)
        # the steward's other tables, read from the next warehouse
        steward_files = stage_steward_material(
            publication,
            paths,
            security,
            database=publication.staged_path(paths.warehouse),
            frames=steward_frames,
            started=steward_started,
        )
        publication.commit()
    remove_unlisted_parts(paths.warehouse)
    remove_stale_steward_files(paths, steward_files)
    if not viewer:  # an empty review queue: the last viewer would show pairs no longer to review
        paths.review_viewer.unlink(missing_ok=True)
