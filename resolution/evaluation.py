"""Pairwise and cluster-level accuracy of a crosswalk against ground truth.

Counting is done on cluster sizes (no pair enumeration), so it scales to
millions of records: pairs within a group of n records = n*(n-1)/2.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import polars as pl

from resolution.households import links


@dataclass(frozen=True)
class Accuracy:
    records: int
    true_pairs: int
    predicted_pairs: int
    true_positive_pairs: int
    precision: float
    recall: float
    f1: float
    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float

    def as_dict(self) -> dict:
        return asdict(self)


def _pairs(expr: pl.Expr) -> pl.Expr:
    return (expr * (expr - 1) // 2).sum()


def _f1(p: float, r: float) -> float:
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def score_crosswalk(predicted: pl.DataFrame, truth: pl.DataFrame) -> Accuracy:
    """Score `predicted` (record_key, golden_id) against `truth` (record_key, truth_id).

    Only records present in both are scored; every pair of records sharing a
    golden id is a predicted match. Refuses (ValueError) an empty overlap."""
    joined = predicted.select("record_key", "golden_id").join(
        truth.select("record_key", pl.col("truth_id").cast(pl.Utf8)), on="record_key"
    )
    if joined.height == 0:
        raise ValueError("no record of the truth is in the crosswalk: check the truth's source_system/source_record_id")
    pred_sizes = joined.group_by("golden_id").agg(pl.len().alias("n"))
    true_sizes = joined.group_by("truth_id").agg(pl.len().alias("n"))
    both = joined.group_by("golden_id", "truth_id").agg(pl.len().alias("n"))
    predicted_pairs = int(pred_sizes.select(_pairs(pl.col("n"))).item())
    true_pairs = int(true_sizes.select(_pairs(pl.col("n"))).item())
    tp = int(both.select(_pairs(pl.col("n"))).item())
    precision = tp / predicted_pairs if predicted_pairs else 1.0
    recall = tp / true_pairs if true_pairs else 1.0

    # B-cubed: per record, overlap of its predicted and true clusters.
    per_record = (
        joined.join(both, on=["golden_id", "truth_id"])
        .join(pred_sizes.rename({"n": "pred_n"}), on="golden_id")
        .join(true_sizes.rename({"n": "true_n"}), on="truth_id")
        .select(
            (pl.col("n") / pl.col("pred_n")).mean().alias("p"),
            (pl.col("n") / pl.col("true_n")).mean().alias("r"),
        )
        .row(0)
    )
    bp, br = float(per_record[0]), float(per_record[1])
    return Accuracy(
        records=joined.height,
        true_pairs=true_pairs,
        predicted_pairs=predicted_pairs,
        true_positive_pairs=tp,
        precision=precision,
        recall=recall,
        f1=_f1(precision, recall),
        bcubed_precision=bp,
        bcubed_recall=br,
        bcubed_f1=_f1(bp, br),
    )


def connected_components(record_keys: pl.Series, edges: pl.DataFrame) -> pl.DataFrame:
    """`record_key, cluster_id` for the graph of `edges` (record_key_l,
    record_key_r): each record labelled with the smallest key it reaches
    (label propagation in polars; records without edges are their own cluster)."""
    labels = pl.DataFrame({"record_key": record_keys.unique()}).with_columns(cluster_id=pl.col("record_key"))
    both_ways = pl.concat(
        [
            edges.select(a="record_key_l", b="record_key_r"),
            edges.select(a="record_key_r", b="record_key_l"),
        ]
    )
    while True:
        proposed = (
            both_ways.join(labels, left_on="b", right_on="record_key")
            .group_by("a")
            .agg(pl.col("cluster_id").min().alias("neighbour"))
        )
        updated = labels.join(proposed, left_on="record_key", right_on="a", how="left").with_columns(
            cluster_id=pl.min_horizontal("cluster_id", "neighbour")
        ).drop("neighbour")
        if updated.join(labels, on=["record_key", "cluster_id"], how="anti").height == 0:
            return updated
        labels = updated


DEFAULT_THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99)


def evaluate_thresholds(
    record_keys: pl.Series, pairs: pl.DataFrame, truth: pl.DataFrame, thresholds: tuple[float, ...] = DEFAULT_THRESHOLDS
) -> pl.DataFrame:
    """Pairwise and B-cubed accuracy of clustering the scored `pairs` at each
    threshold (model only: steward decisions not applied; a pair the pair
    rules hold for review is no link at any: `households.links`). One row per threshold."""
    rows = []
    for threshold in thresholds:
        linked = links(pairs, threshold)
        clusters = connected_components(record_keys, linked).rename({"cluster_id": "golden_id"})
        rows.append({"threshold": threshold, **score_crosswalk(clusters, truth).as_dict()})
    return pl.DataFrame(rows)


def truth_left_out(truth: pl.DataFrame, predicted: pl.DataFrame, sources: list[str]) -> list[str]:
    """What `score_crosswalk` leaves out of `truth` (record_key, truth_id),
    one line per source system: its records the crosswalk `predicted` does
    not hold (quarantined, not yet delivered, or erased), and a source name
    no source of the project has (a truth file's `sup` for `support`), whose
    rows all go unscored. Counts and names only, no values."""
    missing = truth.join(predicted.select("record_key"), on="record_key", how="anti")
    if missing.height == 0:
        return []
    by_source = (
        missing.select(source=pl.col("record_key").str.extract(r"^([^:]*):", 1))
        .group_by("source")
        .len()
        .sort("source")
    )
    lines = []
    for source, count in by_source.iter_rows():
        if source not in sources:
            lines.append(f"{count} truth row(s) of source {source!r}, which no source of this project is named: not scored")
        else:
            lines.append(f"{count} truth row(s) of {source} are in no golden record (quarantined, not delivered or erased): not scored")
    return lines
