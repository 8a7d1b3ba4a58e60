"""The daily partition every asset of the nightly run shares, whether a run
rebuilds everything, and which standardization rules the base was built by."""

import dagster as dg
import polars as pl

from resolution import standardization

# end_offset=1: today's partition exists, so a run can ingest today's exports.
daily_partitions = dg.DailyPartitionsDefinition(start_date="2020-01-01", end_offset=1, timezone="Asia/Tokyo")

FULL_REBUILD_TAG = "nayose/full"


def is_full_rebuild(context: dg.AssetExecutionContext) -> bool:
    """A `--full` run re-reads every export and rebuilds the base from scratch."""
    return context.run.tags.get(FULL_REBUILD_TAG) == "true"


def last_run(runs: pl.DataFrame | None) -> dict:
    """The last row of the warehouse's `runs` table (by `finished_at`) by
    column, {} without a run."""
    return runs.sort("finished_at").row(-1, named=True) if runs is not None and runs.height else {}


def base_standardization(context: dg.AssetExecutionContext, runs: pl.DataFrame | None) -> str:
    """The standardization version the base's records carry after this run
    (`resolution.standardization.STANDARDIZATION_VERSION` when they were
    standardized): the current one after a `--full` run or a project's first
    run; else what the last run recorded ("" for a warehouse older than the
    versions), since an incremental night standardizes its new records only.
    `runs`: the warehouse's runs table."""
    last = last_run(runs)
    if is_full_rebuild(context) or not last:
        return standardization.STANDARDIZATION_VERSION
    return last.get("standardization") or ""
