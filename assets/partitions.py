"""The daily partition every asset of the nightly run shares, and whether a
run rebuilds everything."""

from functools import lru_cache
from pathlib import Path

import dagster as dg

from resolution import standardization
from warehouse import generation, read_table

# end_offset=1: today's partition exists, so a run can ingest today's exports.
daily_partitions = dg.DailyPartitionsDefinition(start_date="2020-01-01", end_offset=1, timezone="Asia/Tokyo")

FULL_REBUILD_TAG = "nayose/full"


def is_full_rebuild(context: dg.AssetExecutionContext) -> bool:
    """A run that re-reads every export and rebuilds the base from scratch: a
    `--full` run, or the first run after the standardization rules changed
    (`standardized_by_other_rules`), however it was started."""
    if context.run.tags.get(FULL_REBUILD_TAG) == "true":
        return True
    return standardized_by_other_rules(context.resources.project.paths().warehouse)


def standardized_by_other_rules(warehouse: Path) -> bool:
    """True when the last run recorded in `warehouse` standardized its records
    with another `resolution.standardization.STANDARDIZATION_VERSION` (or recorded none: a warehouse
    older than the version). False without a run."""
    return _last_standardization(warehouse, generation(warehouse)) not in (standardization.STANDARDIZATION_VERSION, None)


@lru_cache(maxsize=8)
def _last_standardization(warehouse: Path, _generation: str) -> str | None:
    """The last run's standardization version ("" when it recorded none; None
    without a run). Cached per warehouse file: every asset of a run asks."""
    runs = read_table(warehouse, "runs")
    if runs is None or not runs.height:
        return None
    last = runs.sort("finished_at").row(-1, named=True)
    return last.get("standardization") or ""
