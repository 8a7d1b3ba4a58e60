"""The review queue: pairs the model was unsure of, for a steward to decide."""

from __future__ import annotations

import polars as pl


def build_review_queue(pairs: pl.DataFrame, crosswalk: pl.DataFrame, *, lower: float, upper: float) -> pl.DataFrame:
    """Pairs with `lower <= match_probability < upper`, most uncertain first
    (closest to 0.5), with both records' golden ids and each field's match
    weight / comparison level."""
    if pairs.height == 0:
        return pl.DataFrame(
            schema={"pair_id": pl.Utf8, "record_key_l": pl.Utf8, "record_key_r": pl.Utf8, "golden_id_l": pl.Utf8,
                    "golden_id_r": pl.Utf8, "match_probability": pl.Float64, "match_weight": pl.Float64}
        )
    detail = [c for c in pairs.columns if c.startswith(("gamma_", "mw_", "bf_"))]
    ids = crosswalk.select("record_key", "golden_id")
    return (
        pairs.filter((pl.col("match_probability") >= lower) & (pl.col("match_probability") < upper))
        .join(ids.rename({"record_key": "record_key_l", "golden_id": "golden_id_l"}), on="record_key_l", how="left")
        .join(ids.rename({"record_key": "record_key_r", "golden_id": "golden_id_r"}), on="record_key_r", how="left")
        .with_columns(
            pair_id=pl.concat_str([pl.min_horizontal("record_key_l", "record_key_r"), pl.max_horizontal("record_key_l", "record_key_r")], separator="|")
        )
        .sort((pl.col("match_probability") - 0.5).abs(), "pair_id")
        .select("pair_id", "record_key_l", "record_key_r", "golden_id_l", "golden_id_r", "match_probability", "match_weight", *detail)
    )
