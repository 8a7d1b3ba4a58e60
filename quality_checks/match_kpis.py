"""Key figures of one resolution run: duplicate rate, cluster sizes, the
match-weight histogram and the review backlog. Counts only, no record values."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import polars as pl

LARGEST_CLUSTER_BUCKET = 10
"""Clusters of this size or more share one bucket (``10+``)."""

MATCH_WEIGHT_EDGES: tuple[float, ...] = tuple(float(w) for w in range(-10, 22, 2))
"""Fixed bin edges of the match-weight histogram (-10, -8, ..., 20); values
below the first edge and from the last edge on fall into two open-ended bins, so
histograms of different runs line up."""


@dataclass(frozen=True)
class MatchKpis:
    """``records``: records in the crosswalk; ``golden_records``: distinct golden
    ids; ``duplicate_rate``: 1 - golden_records / records (0.0 when empty);
    ``cluster_sizes``: see ``cluster_size_distribution``; ``match_weight_histogram``:
    see ``match_weight_histogram``; ``pairs_scored``: rows of the predictions;
    ``review_backlog``: pairs waiting for a steward."""

    records: int
    golden_records: int
    duplicate_rate: float
    cluster_sizes: pl.DataFrame
    match_weight_histogram: pl.DataFrame
    pairs_scored: int
    review_backlog: int

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready dict (frames as lists of row dicts)."""
        return {
            "records": self.records,
            "golden_records": self.golden_records,
            "duplicate_rate": round(self.duplicate_rate, 6),
            "pairs_scored": self.pairs_scored,
            "review_backlog": self.review_backlog,
            "cluster_sizes": self.cluster_sizes.to_dicts(),
            "match_weight_histogram": self.match_weight_histogram.to_dicts(),
        }


def match_kpis(crosswalk: pl.DataFrame, predictions: pl.DataFrame, review_queue_size: int) -> MatchKpis:
    """Compute the KPIs. In: ``crosswalk`` with ``record_key, golden_id``;
    ``predictions`` with ``match_weight`` (Splink pairwise output);
    ``review_queue_size`` >= 0. Refuses a negative backlog (``ValueError``)."""
    if review_queue_size < 0:
        raise ValueError(f"review_queue_size must be >= 0, got {review_queue_size}")
    records = crosswalk.get_column("record_key").n_unique()
    sizes = _cluster_sizes(crosswalk)  # one pass over the crosswalk for the golden count and the distribution
    return MatchKpis(
        records=records,
        golden_records=sizes.height,
        duplicate_rate=0.0 if records == 0 else 1.0 - sizes.height / records,
        cluster_sizes=_size_distribution(sizes),
        match_weight_histogram=match_weight_histogram(predictions),
        pairs_scored=predictions.height,
        review_backlog=review_queue_size,
    )


def _cluster_sizes(crosswalk: pl.DataFrame) -> pl.DataFrame:
    """``golden_id, size``: distinct record keys per golden id."""
    return crosswalk.group_by("golden_id").agg(size=pl.col("record_key").n_unique().cast(pl.Int64))


def cluster_size_distribution(crosswalk: pl.DataFrame) -> pl.DataFrame:
    """Clusters per size. Out: ``cluster_size`` (Utf8 label ``1``..``9``, ``10+``),
    ``min_size`` (Int64), ``clusters`` (Int64), ``records`` (Int64): one row per
    bucket, all buckets present (zeros included), ordered by size."""
    return _size_distribution(_cluster_sizes(crosswalk))


def _size_distribution(cluster_sizes: pl.DataFrame) -> pl.DataFrame:
    buckets = pl.DataFrame({"min_size": list(range(1, LARGEST_CLUSTER_BUCKET + 1))}, schema={"min_size": pl.Int64})
    sizes = (
        cluster_sizes.with_columns(min_size=pl.min_horizontal("size", pl.lit(LARGEST_CLUSTER_BUCKET, dtype=pl.Int64)))
        .group_by("min_size")
        .agg(clusters=pl.len().cast(pl.Int64), records=pl.col("size").sum())
    )
    return (
        buckets.join(sizes, on="min_size", how="left")
        .with_columns(pl.col("clusters", "records").fill_null(0))
        .with_columns(
            cluster_size=pl.when(pl.col("min_size") == LARGEST_CLUSTER_BUCKET)
            .then(pl.lit(f"{LARGEST_CLUSTER_BUCKET}+"))
            .otherwise(pl.col("min_size").cast(pl.Utf8))
        )
        .select("cluster_size", "min_size", "clusters", "records")
        .sort("min_size")
    )


def match_weight_histogram(predictions: pl.DataFrame) -> pl.DataFrame:
    """Pairs per fixed match-weight bin (``MATCH_WEIGHT_EDGES``). Out: ``bin``
    (Utf8 label), ``lower`` / ``upper`` (Float64, null for the open ends),
    ``pairs`` (Int64); all bins present, ordered. Null weights are not counted."""
    edges = list(MATCH_WEIGHT_EDGES)
    lowers = [-math.inf, *edges]
    uppers = [*edges, math.inf]
    bins = pl.DataFrame(
        {
            "bin_index": list(range(len(lowers))),
            "bin": [_bin_label(lo, up) for lo, up in zip(lowers, uppers)],
            "lower": [None if math.isinf(lo) else lo for lo in lowers],
            "upper": [None if math.isinf(up) else up for up in uppers],
        },
        schema={"bin_index": pl.Int64, "bin": pl.Utf8, "lower": pl.Float64, "upper": pl.Float64},
    )
    counts = (
        predictions.select(pl.col("match_weight").cast(pl.Float64))
        .drop_nulls()
        .filter(pl.col("match_weight").is_not_nan())
        .select(bin_index=_bin_index(edges))
        .group_by("bin_index")
        .agg(pairs=pl.len().cast(pl.Int64))
    )
    return (
        bins.join(counts, on="bin_index", how="left")
        .with_columns(pl.col("pairs").fill_null(0))
        .sort("bin_index")
        .select("bin", "lower", "upper", "pairs")
    )


def _bin_index(edges: list[float]) -> pl.Expr:
    """Index of the bin holding ``match_weight``: the number of edges <= it."""
    return pl.sum_horizontal([(pl.col("match_weight") >= e).cast(pl.Int64) for e in edges])


def _bin_label(lower: float, upper: float) -> str:
    """``< -10``, ``-10 to -8``, ..., ``>= 20``."""
    if math.isinf(lower):
        return f"< {upper:g}"
    if math.isinf(upper):
        return f">= {lower:g}"
    return f"{lower:g} to {upper:g}"
