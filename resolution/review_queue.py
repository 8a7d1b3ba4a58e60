"""The review queue: pairs the model was unsure of, and pairs a pair rule
holds back from a link, side by side, for a steward to decide."""

from __future__ import annotations

import polars as pl

from resolution.households import HELD_BY
from resolution.row_matching import with_each_side

REVIEW_FIELDS = (
    "source_system",
    "std_family_name",
    "std_given_name",
    "std_family_kana",
    "std_given_kana",
    "std_birth_date",
    "std_gender",
    "std_email",
    "std_phone",
    "std_national_id",  # masked whole wherever shown; the listing says `same` or `differs`
    "std_postal_code",
    "std_prefecture",
    "std_city",
    "std_address",
)

QUEUE_KEY_SCHEMA = {
    "pair_id": pl.Utf8,
    "record_key_l": pl.Utf8,
    "record_key_r": pl.Utf8,
    "golden_id_l": pl.Utf8,
    "golden_id_r": pl.Utf8,
    "match_probability": pl.Float64,
    "match_weight": pl.Float64,
    HELD_BY: pl.Utf8,
}


def pair_id(left: pl.Expr, right: pl.Expr) -> pl.Expr:
    """`keyA|keyB` with the keys in order: the same id whichever side a record is on."""
    return pl.concat_str([pl.min_horizontal(left, right), pl.max_horizontal(left, right)], separator="|")


def queued_pairs(
    pairs: pl.DataFrame,
    *,
    lower: float,
    upper: float,
    decided: pl.Series | None = None,
    clusters: pl.DataFrame | None = None,
) -> pl.DataFrame | None:
    """The pairs the review queue holds, with their `pair_id`: those with
    `lower <= match_probability < upper`, and those at or above `lower` that
    a pair rule holds back from a link (`HELD_BY`: given names that disagree
    with no birth date for them, birth dates that disagree in one household,
    or a move that nothing about the person confirms,
    `households.pairs_under_rules`)
    whose records the run's `clusters` (record_key, cluster_id) keep apart
    (other links may have joined them: then there is nothing to decide),
    that no steward has decided yet, in no set order; None when the run has
    no pairs at all. Known before the golden ids, so that their scoring for
    the dashboard can start early."""
    if pairs.height == 0:
        return None
    held = pl.col(HELD_BY).is_not_null() if HELD_BY in pairs.columns else pl.lit(False)
    if clusters is not None and HELD_BY in pairs.columns:
        pairs = _held_pairs_apart(pairs, clusters)
    probability = pl.col("match_probability")
    queue = pairs.filter((probability >= lower) & ((probability < upper) | held)).with_columns(
        pair_id=pair_id(pl.col("record_key_l"), pl.col("record_key_r")),
        **({} if HELD_BY in pairs.columns else {HELD_BY: pl.lit(None, dtype=pl.Utf8)}),
    )
    if decided is not None and decided.len():
        queue = queue.filter(~pl.col("pair_id").is_in(decided.implode()))
    return queue


def _held_pairs_apart(pairs: pl.DataFrame, clusters: pl.DataFrame) -> pl.DataFrame:
    """`pairs` without the held ones whose records are in one cluster."""
    held = pairs.filter(pl.col(HELD_BY).is_not_null()).select("record_key_l", "record_key_r")
    if not held.height:
        return pairs
    joined = with_each_side(held, clusters, _cluster=pl.col("cluster_id"))
    together = joined.filter((pl.col("_cluster_l") == pl.col("_cluster_r")).fill_null(False)).select(
        "record_key_l", "record_key_r"
    )
    return pairs.join(together, on=["record_key_l", "record_key_r"], how="anti", maintain_order="left")


def build_review_queue(queued: pl.DataFrame | None, crosswalk: pl.DataFrame, records: pl.DataFrame) -> pl.DataFrame:
    """The review queue of the `queued_pairs`, most uncertain first (closest
    to 0.5): both records' golden ids and their standardized fields side by
    side (`*_l`, `*_r`). Each field's comparison level and match weight are
    joined on by `review_dashboard.field_weights`."""
    if queued is None:
        return pl.DataFrame(schema=QUEUE_KEY_SCHEMA)
    # the queued records alone are looked up (a few thousand of a million)
    fields = [c for c in REVIEW_FIELDS if c in records.columns]
    with_ids = with_each_side(queued, crosswalk, golden_id=pl.col("golden_id"))
    queue = with_each_side(with_ids, records, **{c: pl.col(c) for c in fields}).sort(
        (pl.col("match_probability") - 0.5).abs(), "pair_id"
    )
    side_by_side = [f"{c}{side}" for c in fields for side in ("_l", "_r")]
    return queue.select(*QUEUE_KEY_SCHEMA, *side_by_side)
