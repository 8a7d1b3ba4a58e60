"""The daily partition every asset of the nightly run shares."""

import dagster as dg

# end_offset=1: today's partition exists, so a run can ingest today's exports.
daily_partitions = dg.DailyPartitionsDefinition(start_date="2020-01-01", end_offset=1, timezone="Asia/Tokyo")

FULL_REBUILD_TAG = "nayose/full"


def is_full_rebuild(context: dg.AssetExecutionContext) -> bool:
    """A `--full` run re-reads every export and rebuilds the base from scratch."""
    return context.run.tags.get(FULL_REBUILD_TAG) == "true"
