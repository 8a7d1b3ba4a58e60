"""Standardization: this partition's admitted records made matchable."""


import dagster as dg
import polars as pl

from assets.partitions import base_standardization, daily_partitions, is_full_rebuild
from assets.progress import report
from nayose_config import NayoseConfig
from pipelines.resources import NayoseProject
from quality_checks.field_loss import (
    FieldLossThreshold,
    field_loss_markdown,
    field_losses,
    lost_fields,
)
from resolution import standardization
from resolution.redelivery import standardize_arrivals
from resolution.standardization.issues import ISSUE_SCHEMA
from warehouse import read_table
from warehouse.table_copies import scan_copied_tables


def _standardized_before(
    context: dg.AssetExecutionContext, project: NayoseProject, timezone: str
) -> tuple[pl.LazyFrame | None, pl.DataFrame]:
    """The published base whose records tonight's re-deliveries may be carried
    over from (`resolution.redelivery.carried_over`), and its standardization
    issues; no base on a --full run or the first, or while the base is of an
    earlier standardization version or of another `timezone` (its records are
    then standardized again as they arrive)."""
    none = pl.DataFrame(schema=ISSUE_SCHEMA)
    warehouse = project.paths().warehouse
    if is_full_rebuild(context) or not warehouse.exists():
        return None, none
    published = scan_copied_tables(warehouse, "records", "runs")
    runs = published["runs"].collect() if published["runs"] is not None else None
    current = standardization.standardization_stamp(timezone)
    if published["records"] is None or base_standardization(context, runs, timezone) != current:
        return None, none
    issues = read_table(warehouse, "standardization_issues")
    return published["records"], none if issues is None else issues


FIELD_LOSS_CHECK = "mapped_fields_kept"


def build_standardization_asset(config: NayoseConfig, upstream: list[dg.AssetKey]) -> dg.AssetsDefinition:
    thresholds = {
        s.name: FieldLossThreshold(share=s.quality.field_loss_warn, min_values=s.quality.field_loss_min_values)
        for s in config.sources
    }

    @dg.asset(
        name="standardized_records",
        group_name="standardization",
        partitions_def=daily_partitions(config.timezone),
        deps=upstream,
        kinds={"polars"},
        owners=["team:data-engineering"],
        description=(
            "This partition's admitted records, standardized: NFKC and kanji-variant folding, names split, "
            "kana readings, wareki dates, E.164 phones, emails, postal codes, addresses. What could not be "
            "parsed is listed as standardization issues (feeds the quality scores); a mapped field whose values "
            "a source lost wholesale is warned about (`quality_checks.field_loss`)."
        ),
        check_specs=[
            dg.AssetCheckSpec(
                FIELD_LOSS_CHECK,
                asset="standardized_records",
                description=(
                    "Warns (never stops the run) when a source lost most of a mapped field's values tonight: "
                    "they standardized to nothing, e.g. dates in a form not read or gender words not known. "
                    "Thresholds: quality.field_loss_warn and field_loss_min_values per source."
                ),
            )
        ],
    )
    def standardized_records(context: dg.AssetExecutionContext, project: NayoseProject) -> dg.MaterializeResult:
        staging = project.staging(context.partition_key)
        parts = [staging.read(f"admitted_{s.name}") for s in config.sources]
        admitted = pl.concat([p for p in parts if p.height], how="diagonal_relaxed") if any(p.height for p in parts) else pl.DataFrame()
        carried = pl.Series("record_key", [], pl.Utf8)
        if admitted.height:
            # re-delivered snapshots only: a delta source's few re-deliveries cost less to standardize again
            snapshots = [s.name for s, p in zip(config.sources, parts) if s.delivery == "snapshot" and p.height]
            previous, earlier_issues = _standardized_before(context, project, config.timezone) if snapshots else (None, None)
            result, carried = standardize_arrivals(
                admitted, previous, earlier_issues, timezone=config.timezone, sources=snapshots
            )
            records, issues = result.records, result.issues
        else:
            records, issues = pl.DataFrame(schema={"record_key": pl.Utf8}), pl.DataFrame(schema={"record_key": pl.Utf8, "field": pl.Utf8, "issue_code": pl.Utf8, "severity": pl.Utf8})
        staging.write("standardized", records)
        staging.write("carried_over", carried.to_frame())  # the base takes these as their earlier version, moved
        staging.write("standardization_issues", issues)
        unchanged = f" ({carried.len()} re-delivered unchanged: standardized before)" if carried.len() else ""
        report(context, f"[standardize] {records.height} records{unchanged}, {issues.height} issue(s)")
        # tonight's records only: a field an export lost wholesale is said the night it arrives
        losses = field_losses(records, issues, {s.name: list(s.fields) for s in config.sources})
        lost = lost_fields(losses, thresholds)
        for loss in lost:
            report(context, f"[standardize] warning: {loss.message}")
        staging.write_json("field_loss", [loss.as_dict() for loss in lost])
        by_code = (
            issues.group_by("field", "issue_code", "severity").agg(pl.len().alias("rows")).sort("rows", descending=True)
            if issues.height
            else pl.DataFrame()
        )
        return dg.MaterializeResult(
            metadata={
                "records": records.height,
                "carried_over": carried.len(),
                "issues": issues.height,
                "fields_lost": len(lost),
                "field_loss_warnings": dg.MetadataValue.text("\n".join(loss.message for loss in lost) or "none"),
                "field_loss": dg.MetadataValue.md(field_loss_markdown(losses)),
                "issues_by_code": dg.MetadataValue.md(
                    "\n".join(f"- {r['field']} / {r['issue_code']} ({r['severity']}): {r['rows']}" for r in by_code.iter_rows(named=True))
                    or "none"
                ),
            },
            check_results=[
                dg.AssetCheckResult(
                    check_name=FIELD_LOSS_CHECK,
                    passed=not lost,
                    severity=dg.AssetCheckSeverity.WARN,
                    description=" | ".join(loss.message for loss in lost) or "no source lost a mapped field tonight",
                    metadata={"fields_lost": len(lost)},
                )
            ],
        )

    return standardized_records
