"""Quality: current quarantine, rule results, scores, match KPIs and the report.

Most of the stage needs only the customer base and what ingestion and
standardization staged: the groundwork (`QualityGroundwork`), which a nightly
run starts as soon as the base is staged (`start_quality_groundwork`, called by
the customer_base asset) and computes beside the resolve and golden stages.
What needs their outputs (the crosswalk rule, match KPIs) is done here after
them.
"""


from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import dagster as dg
import polars as pl

from assets.partitions import daily_partitions, is_full_rebuild
from assets.progress import report
from governance.audit import request_kpis
from nayose_config import NayoseConfig
from pipelines.resources import NayoseProject
from quality_checks.match_kpis import match_kpis
from quality_checks.quarantine import QUARANTINE_SCHEMA, current_quarantine
from quality_checks.report import build_report, scores_markdown_table, small_chart_png
from quality_checks.rules import evaluate_record_rules, with_crosswalk_rule
from quality_checks.scores import score, with_run
from resolution.row_matching import flags, rows_with_equal_keys
from security.log_export import dagster_events, incident_kpis
from warehouse import read_tables
from warehouse.store import TablePatch


def _conformed(quarantine: pl.DataFrame | None) -> pl.DataFrame:
    """A quarantine frame with exactly QUARANTINE_SCHEMA (an empty delivery stages no columns)."""
    if quarantine is None or quarantine.width == 0:
        return pl.DataFrame(schema=QUARANTINE_SCHEMA)
    return quarantine.select([pl.col(c).cast(t) for c, t in QUARANTINE_SCHEMA.items()])


@dataclass(frozen=True)
class QualityGroundwork:
    """What the quality stage derives without resolution's outputs.

    ``issues``: the standardization issues of the records in the base (the
    published ones less those of records re-standardized tonight, plus
    tonight's); ``issues_patch``: the warehouse table's change by record, on
    incremental nights; ``quarantine``: the current quarantine; ``results``:
    every rule's results but the crosswalk's (`evaluate_record_rules`);
    ``history``: the published quality scores; ``privacy_requests``: request
    KPIs from the published audit log; ``new_or_changed``: records standardized
    tonight."""

    issues: pl.DataFrame
    issues_patch: TablePatch | None
    quarantine: pl.DataFrame
    results: pl.DataFrame
    history: pl.DataFrame | None
    privacy_requests: dict[str, Any]
    new_or_changed: int


GROUNDWORK = "quality_groundwork"


def _groundwork_call(context: dg.AssetExecutionContext, project: NayoseProject, config: NayoseConfig) -> dict[str, Any]:
    """`quality_groundwork`'s staged inputs and parameters for this run, as
    `Staging.compute_ahead` and `Staging.computed` take them."""
    sources = tuple(s.name for s in config.sources)
    return {
        "inputs": [
            "base",
            "arrived_record_keys",
            "standardization_issues",
            *(f"quarantine_{s}" for s in sources),
            *(f"files_{s}" for s in sources),
        ],
        "warehouse": project.paths().warehouse,
        "full": is_full_rebuild(context),
        "today": date.fromisoformat(context.partition_key),
        "mapped_fields": tuple((s.name, tuple(s.fields)) for s in config.sources),
        "snapshot_sources": tuple(s.name for s in config.sources if s.delivery == "snapshot"),
    }


def start_quality_groundwork(context: dg.AssetExecutionContext, project: NayoseProject, config: NayoseConfig) -> None:
    """Start the quality stage's groundwork once the customer base and its
    inputs are staged: within a `nayose run` on a background thread, beside
    the resolve and golden stages, which keep about 1.2 of the 2 cores busy;
    elsewhere the quality asset computes it itself. On a 1M-record 1% night it
    is about 1.4 s of mostly polars work there, and the quality stage drops
    from 1.0-1.1 s to 0.25-0.3 s; the resolve stage, sharing the cores, takes
    about 0.5-0.7 s longer, so the run gains about 0.3 s net (0.6 s when
    other work loads the machine)."""
    project.staging(context.partition_key).compute_ahead(
        GROUNDWORK, quality_groundwork, **_groundwork_call(context, project, config)
    )


def quality_groundwork(
    staged: Mapping[str, pl.DataFrame],
    *,
    warehouse: Path,
    full: bool,
    today: date,
    mapped_fields: tuple[tuple[str, tuple[str, ...]], ...],
    snapshot_sources: tuple[str, ...],
) -> QualityGroundwork:
    """The `QualityGroundwork` of a night, from its `staged` frames (the
    inputs `_groundwork_call` names) and the published `warehouse`; a `full`
    run starts the issues and the quarantine afresh. Reads, never writes."""
    base = staged["base"]
    new_issues = staged["standardization_issues"]
    sources = [source for source, _ in mapped_fields]
    # one read of the warehouse; a --full run starts the issues and the quarantine afresh
    published = read_tables(
        warehouse,
        "quality_scores",
        "audit_log",
        *(() if full else ("standardization_issues", "quarantine")),
    )
    previous_issues = None if full else published["standardization_issues"]
    new_keys = staged["arrived_record_keys"].select("record_key")
    if previous_issues is not None and previous_issues.height:
        issues = pl.concat(
            [previous_issues.join(new_keys, on="record_key", how="anti"), new_issues], how="diagonal_relaxed"
        )
    else:
        issues = new_issues
    # matched on key hashes: several times faster than a set of the million base keys
    in_base = flags(issues.height, rows_with_equal_keys(issues.select("record_key"), base.select("record_key"))["_l"])
    left = issues.filter(~in_base)["record_key"]  # issues of records deleted from the base leave with them
    issues = issues.filter(in_base)
    issues_patch = None  # on incremental nights the warehouse table changes by record: those that came or left
    if previous_issues is not None and new_issues.schema == previous_issues.schema:
        issues_patch = TablePatch(
            key="record_key",
            keys=pl.concat([new_keys["record_key"], left]).unique(),
            rows=new_issues.filter(in_base.tail(new_issues.height)),  # the new issues are the last rows
        )
    new_quarantine = pl.concat([_conformed(staged[f"quarantine_{s}"]) for s in sources], how="vertical_relaxed")
    # earlier rows stay until their record is admitted or their file delivered again (rows without an id too)
    quarantine = current_quarantine(
        _conformed(None if full else published["quarantine"]),
        new_quarantine,
        admitted=new_keys["record_key"],
        delivered=pl.concat([staged[f"files_{s}"] for s in sources], how="vertical_relaxed"),
        snapshot_sources=list(snapshot_sources),
    )
    results = evaluate_record_rules(
        base, issues, quarantine, mapped_fields={s: list(fields) for s, fields in mapped_fields}, today=today
    )
    return QualityGroundwork(
        issues=issues,
        issues_patch=issues_patch,
        quarantine=quarantine,
        results=results,
        history=published["quality_scores"],
        privacy_requests=request_kpis(published["audit_log"]),
        new_or_changed=new_keys.height,
    )


def build_quality_asset(config: NayoseConfig) -> dg.AssetsDefinition:
    @dg.asset(
        name="quality_scores",
        group_name="quality",
        partitions_def=daily_partitions(config.timezone),
        deps=["golden_records"],
        kinds={"pandera", "polars"},
        owners=["team:data-stewards"],
        description=(
            "Quality rules per source and field (completeness, validity, uniqueness, consistency, timeliness, "
            "accuracy), rolled up to 0-100 scores; the current quarantine; match KPIs; the quality report."
        ),
    )
    def quality_scores(context: dg.AssetExecutionContext, project: NayoseProject) -> dg.MaterializeResult:
        staging = project.staging(context.partition_key)
        ground = staging.computed(GROUNDWORK, quality_groundwork, **_groundwork_call(context, project, config))
        base = staging.read("base")
        quarantine = ground.quarantine
        crosswalk = staging.read("crosswalk")
        run_date = date.fromisoformat(context.partition_key)
        scores = score(with_crosswalk_rule(ground.results, base, crosswalk))
        queue = staging.read("review_queue")
        kpis = match_kpis(crosswalk, staging.read("pairs"), queue.height)
        overall = scores.filter(pl.col("level") == "overall").item(0, "score")
        run_info = {
            "run_id": context.run.run_id,
            "run_date": run_date,
            "partition": context.partition_key,
            "records_in_base": base.height,
            "new_or_changed_records": ground.new_or_changed,
            "golden_records": kpis.golden_records,
            "quarantined_rows": quarantine.height,
        }
        quality_report = build_report(
            scores, kpis, run_info, ground.history, quarantine=quarantine, field_loss=staging.read_json("field_loss")
        )
        quality_report["privacy_requests"] = ground.privacy_requests
        quality_report["incidents"] = incident_kpis(dagster_events(context.instance))  # MTTD / MTTR
        staging.write("issues_all", ground.issues)
        staging.write_patch("standardization_issues", ground.issues_patch)
        staging.write("quarantine_all", quarantine)
        staging.write("quality_scores", with_run(scores, run_id=context.run.run_id, run_date=run_date))
        staging.write_json("quality_report", quality_report)
        report(context, f"[quality] overall score {overall:.1f}; quarantine {quarantine.height} row(s)")
        return dg.MaterializeResult(
            metadata={
                "overall_score": dg.MetadataValue.float(float(overall)),
                "duplicate_rate": dg.MetadataValue.float(float(kpis.duplicate_rate)),
                "review_backlog": queue.height,
                "quarantined_rows": quarantine.height,
                "fields_lost": len(quality_report["field_loss"]),  # which and why: on standardized_records
                "scores": dg.MetadataValue.md(scores_markdown_table(scores)),
                "scores_chart": dg.MetadataValue.md(f"![scores](data:image/png;base64,{small_chart_png(scores)})"),
            }
        )

    return quality_scores

