"""Stable golden ids: an id, once issued, stays with its entity.

Given this run's clusters and the previous crosswalk, each previous id goes to
the cluster holding most of its records (a split keeps the id on the larger
part); a cluster holding several previous ids keeps the one with most records
(ties: the smallest id) and retires the rest as merged aliases; clusters with
no previous id get a new opaque id. Every change is an identity event.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Callable

import polars as pl

IDENTITY_EVENT_SCHEMA = {
    "run_id": pl.Utf8,
    "event_type": pl.Utf8,  # created | merged | split | retired | erased
    "golden_id": pl.Utf8,
    "related_golden_id": pl.Utf8,  # merged: the surviving id; split: the id split from
    "record_count": pl.Int64,
}


def new_golden_id() -> str:
    """An opaque id: random, no personal data, 80 bits."""
    return "G" + secrets.token_hex(10)


@dataclass(frozen=True)
class GoldenIdAssignment:
    crosswalk: pl.DataFrame  # record_key, golden_id
    events: pl.DataFrame  # IDENTITY_EVENT_SCHEMA


def assign_golden_ids(
    clusters: pl.DataFrame,
    previous: pl.DataFrame,
    *,
    run_id: str,
    mint: Callable[[], str] = new_golden_id,
) -> GoldenIdAssignment:
    """Map this run's `clusters` (record_key, cluster_id) onto golden ids.

    `previous` is the last crosswalk (record_key, golden_id); records absent
    from it are new. Returns the new crosswalk and the identity events."""
    members = clusters.select("record_key", pl.col("cluster_id").cast(pl.Utf8)).join(
        previous.select("record_key", "golden_id"), on="record_key", how="left"
    )
    sizes = members.group_by("cluster_id").agg(pl.len().alias("cluster_size"))
    votes = (
        members.filter(pl.col("golden_id").is_not_null())
        .group_by("cluster_id", "golden_id")
        .agg(pl.len().alias("n"))
    )
    # Each previous id goes to the cluster holding most of its records.
    owners = votes.sort(["golden_id", "n", "cluster_id"], descending=[False, True, False]).unique(
        "golden_id", keep="first", maintain_order=True
    )
    # Each cluster keeps the owned id with most records; its other owned ids merge into it.
    ranked = owners.sort(["cluster_id", "n", "golden_id"], descending=[False, True, False]).with_columns(
        rank=pl.int_range(pl.len()).over("cluster_id")
    )
    kept = ranked.filter(pl.col("rank") == 0).select("cluster_id", "golden_id")
    merged = ranked.filter(pl.col("rank") > 0).join(
        kept.rename({"golden_id": "survivor"}), on="cluster_id"
    )

    fresh_clusters = sizes.join(kept, on="cluster_id", how="anti").sort("cluster_id")
    fresh = fresh_clusters.with_columns(golden_id=pl.Series([mint() for _ in range(fresh_clusters.height)], dtype=pl.Utf8))
    cluster_ids = pl.concat([kept, fresh.select("cluster_id", "golden_id")])
    crosswalk = members.select("record_key", "cluster_id").join(cluster_ids, on="cluster_id").select(
        "record_key", "golden_id"
    )

    # A fresh cluster whose records came from an existing id was split off from it.
    split_from = (
        votes.join(fresh.select("cluster_id"), on="cluster_id")
        .sort(["cluster_id", "n", "golden_id"], descending=[False, True, False])
        .unique("cluster_id", keep="first", maintain_order=True)
        .select("cluster_id", pl.col("golden_id").alias("split_from"))
    )
    fresh = fresh.join(split_from, on="cluster_id", how="left")
    previous_ids = previous.select("golden_id").unique()
    retired = previous_ids.join(owners.select("golden_id"), on="golden_id", how="anti")

    events = pl.concat(
        [
            fresh.select(
                event_type=pl.when(pl.col("split_from").is_null()).then(pl.lit("created")).otherwise(pl.lit("split")),
                golden_id="golden_id",
                related_golden_id="split_from",
                record_count=pl.col("cluster_size").cast(pl.Int64),
            ),
            merged.select(
                event_type=pl.lit("merged"),
                golden_id="golden_id",
                related_golden_id="survivor",
                record_count=pl.col("n").cast(pl.Int64),
            ),
            retired.select(
                event_type=pl.lit("retired"),
                golden_id="golden_id",
                related_golden_id=pl.lit(None, dtype=pl.Utf8),
                record_count=pl.lit(0, dtype=pl.Int64),
            ),
        ],
        how="vertical_relaxed",
    ).select(run_id=pl.lit(run_id), *[pl.col(c) for c in ("event_type", "golden_id", "related_golden_id", "record_count")])
    return GoldenIdAssignment(
        crosswalk=crosswalk.sort("record_key"),
        events=events.cast(IDENTITY_EVENT_SCHEMA).sort("event_type", "golden_id"),
    )


def affected_golden_ids(previous: pl.DataFrame, crosswalk: pl.DataFrame, changed_keys: pl.Series) -> pl.Series:
    """Golden ids (of `crosswalk`) whose golden record must be rebuilt: those
    whose set of records changed since `previous`, and those holding a
    changed record. Every other golden record is as it was."""
    now = crosswalk.select("record_key", "golden_id")
    before = previous.select("record_key", "golden_id")
    moved = pl.concat(
        [
            now.join(before, on=["record_key", "golden_id"], how="anti")["golden_id"],
            before.join(now, on=["record_key", "golden_id"], how="anti")["golden_id"],
            now.filter(pl.col("record_key").is_in(changed_keys.implode()))["golden_id"],
        ]
    )
    ids = moved.unique()
    return ids.filter(ids.is_in(now["golden_id"].implode()))
