"""Standardization: this partition's admitted records made matchable."""


import dagster as dg
import polars as pl

from assets.partitions import daily_partitions
from assets.progress import report
from nayose_config import NayoseConfig
from pipelines.resources import NayoseProject
from resolution.standardization import standardize_records


def build_standardization_asset(config: NayoseConfig, upstream: list[dg.AssetKey]) -> dg.AssetsDefinition:
    @dg.asset(
        name="standardized_records",
        group_name="standardization",
        partitions_def=daily_partitions,
        deps=upstream,
        kinds={"polars"},
        owners=["team:data-engineering"],
        description=(
            "This partition's admitted records, standardized: NFKC and kanji-variant folding, names split, "
            "kana readings, wareki dates, E.164 phones, emails, postal codes, addresses. What could not be "
            "parsed is listed as standardization issues (feeds the quality scores)."
        ),
    )
    def standardized_records(context: dg.AssetExecutionContext, project: NayoseProject) -> dg.MaterializeResult:
        staging = project.staging(context.partition_key)
        parts = [staging.read(f"admitted_{s.name}") for s in config.sources]
        admitted = pl.concat([p for p in parts if p.height], how="diagonal_relaxed") if any(p.height for p in parts) else pl.DataFrame()
        if admitted.height:
            result = standardize_records(admitted, timezone=config.timezone)
            records, issues = result.records, result.issues
        else:
            records, issues = pl.DataFrame(schema={"record_key": pl.Utf8}), pl.DataFrame(schema={"record_key": pl.Utf8, "field": pl.Utf8, "issue_code": pl.Utf8, "severity": pl.Utf8})
        staging.write("standardized", records)
        staging.write("standardization_issues", issues)
        report(context, f"[standardize] {records.height} records, {issues.height} issue(s)")
        by_code = (
            issues.group_by("field", "issue_code", "severity").agg(pl.len().alias("rows")).sort("rows", descending=True)
            if issues.height
            else pl.DataFrame()
        )
        return dg.MaterializeResult(
            metadata={
                "records": records.height,
                "issues": issues.height,
                "issues_by_code": dg.MetadataValue.md(
                    "\n".join(f"- {r['field']} / {r['issue_code']} ({r['severity']}): {r['rows']}" for r in by_code.iter_rows(named=True))
                    or "none"
                ),
            }
        )

    return standardized_records
