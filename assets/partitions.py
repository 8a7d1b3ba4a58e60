"""The daily partition every asset of the nightly run shares, whether a run
rebuilds everything, and which standardization rules the base was built by."""

from functools import lru_cache

import dagster as dg
import polars as pl

from resolution import standardization


@lru_cache(maxsize=None)
def daily_partitions(timezone: str) -> dg.DailyPartitionsDefinition:
    """The nightly partitions of a project whose `timezone` is this: its days from
    2020-01-01 through today there (end_offset=1: a run can ingest today's exports),
    so that the default `--date`, the sensor's today and the 02:00 schedule are
    days and hours of the project's clock. One object per zone: every asset of
    the job shares it."""
    return dg.DailyPartitionsDefinition(start_date="2020-01-01", end_offset=1, timezone=timezone)

FULL_REBUILD_TAG = "nayose/full"


def is_full_rebuild(context: dg.AssetExecutionContext) -> bool:
    """A `--full` run re-reads every export and rebuilds the base from scratch."""
    return context.run.tags.get(FULL_REBUILD_TAG) == "true"


def last_run(runs: pl.DataFrame | None) -> dict:
    """The last row of the warehouse's `runs` table (by `finished_at`) by
    column, {} without a run."""
    return runs.sort("finished_at").row(-1, named=True) if runs is not None and runs.height else {}


def base_standardization(context: dg.AssetExecutionContext, runs: pl.DataFrame | None, timezone: str) -> str:
    """The standardization the base's records carry after this run
    (`resolution.standardization.standardization_stamp` of the project's
    `timezone` when they were standardized): the current one after a `--full`
    run or a project's first run; else what the last run recorded ("" for a
    warehouse older than the versions), since an incremental night
    standardizes its new records only. `runs`: the warehouse's runs table."""
    last = last_run(runs)
    if is_full_rebuild(context) or not last:
        return standardization.standardization_stamp(timezone)
    return last.get("standardization") or ""
