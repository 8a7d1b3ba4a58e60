"""The daily partition every asset of the nightly run shares, whether a run
rebuilds everything, and which standardization rules the base was built by."""

from functools import lru_cache
from pathlib import Path

import dagster as dg

from resolution import standardization
from warehouse import generation, read_table

# end_offset=1: today's partition exists, so a run can ingest today's exports.
daily_partitions = dg.DailyPartitionsDefinition(start_date="2020-01-01", end_offset=1, timezone="Asia/Tokyo")

FULL_REBUILD_TAG = "nayose/full"


def is_full_rebuild(context: dg.AssetExecutionContext) -> bool:
    """A `--full` run re-reads every export and rebuilds the base from scratch."""
    return context.run.tags.get(FULL_REBUILD_TAG) == "true"


def base_standardization(context: dg.AssetExecutionContext, warehouse: Path) -> str:
    """The standardization version the base's records carry after this run
    (`resolution.standardization.STANDARDIZATION_VERSION` when they were
    standardized): the current one after a `--full` run or a project's first
    run; else what the last run recorded ("" for a warehouse older than the
    versions), since an incremental night standardizes its new records only."""
    last = _last_standardization(warehouse, generation(warehouse))
    if is_full_rebuild(context) or last is None:
        return standardization.STANDARDIZATION_VERSION
    return last


@lru_cache(maxsize=8)
def _last_standardization(warehouse: Path, _generation: str) -> str | None:
    """The last run's standardization version ("" when it recorded none; None
    without a run). Cached per warehouse file: every asset of a run asks."""
    runs = read_table(warehouse, "runs")
    if runs is None or not runs.height:
        return None
    last = runs.sort("finished_at").row(-1, named=True)
    return last.get("standardization") or ""
