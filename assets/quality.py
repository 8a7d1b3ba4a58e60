"""Quality: current quarantine, rule results, scores, match KPIs and the report."""


from datetime import date

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
from quality_checks.rules import evaluate_rules
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


def build_quality_asset(config: NayoseConfig) -> dg.AssetsDefinition:
    @dg.asset(
        name="quality_scores",
        group_name="quality",
        partitions_def=daily_partitions,
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
        paths = project.paths()
        base = staging.read("base")
        new_issues = staging.read("standardization_issues")
        full = is_full_rebuild(context)
        # one read of the warehouse; a --full run starts the issues and the quarantine afresh
        published = read_tables(
            paths.warehouse,
            "quality_scores",
            "audit_log",
            *(() if full else ("standardization_issues", "quarantine")),
        )
        previous_issues = None if full else published["standardization_issues"]
        new_keys = staging.read("standardized").select("record_key")
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
        new_quarantine = pl.concat(
            [_conformed(staging.read(f"quarantine_{s.name}")) for s in config.sources], how="vertical_relaxed"
        )
        # earlier rows stay until their record is admitted or their file delivered again (rows without an id too)
        quarantine = current_quarantine(
            _conformed(None if full else published["quarantine"]),
            new_quarantine,
            admitted=new_keys["record_key"],
            delivered=pl.concat([staging.read(f"files_{s.name}") for s in config.sources], how="vertical_relaxed"),
            snapshot_sources=[s.name for s in config.sources if s.delivery == "snapshot"],
        )
        crosswalk = staging.read("crosswalk")
        run_date = date.fromisoformat(context.partition_key)
        results = evaluate_rules(
            base,
            issues,
            quarantine,
            mapped_fields={s.name: list(s.fields) for s in config.sources},
            today=run_date,
            crosswalk=crosswalk,
        )
        scores = score(results)
        queue = staging.read("review_queue")
        kpis = match_kpis(crosswalk, staging.read("pairs"), queue.height)
        history = published["quality_scores"]
        overall = scores.filter(pl.col("level") == "overall").item(0, "score")
        run_info = {
            "run_id": context.run.run_id,
            "run_date": run_date,
            "partition": context.partition_key,
            "records_in_base": base.height,
            "new_or_changed_records": new_keys.height,
            "golden_records": kpis.golden_records,
            "quarantined_rows": quarantine.height,
        }
        quality_report = build_report(scores, kpis, run_info, history, quarantine=quarantine)
        quality_report["privacy_requests"] = request_kpis(published["audit_log"])
        quality_report["incidents"] = incident_kpis(dagster_events(context.instance))  # MTTD / MTTR
        staging.write("issues_all", issues)
        staging.write_patch("standardization_issues", issues_patch)
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
                "scores": dg.MetadataValue.md(scores_markdown_table(scores)),
                "scores_chart": dg.MetadataValue.md(f"![scores](data:image/png;base64,{small_chart_png(scores)})"),
            }
        )

    return quality_scores

