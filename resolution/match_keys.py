"""Match keys: the columns Splink compares and blocks on, derived from the
standardized record (see docs/record-contract.md)."""

from __future__ import annotations

import polars as pl

MATCH_KEY_COLUMNS = (
    "mk_family",
    "mk_given",
    "mk_birth_date",
    "mk_phone_last8",
    "mk_postal_area",
    "mk_city",
    "mk_address",
)


def _col(frame: pl.DataFrame, name: str) -> pl.Expr:
    return pl.col(name) if name in frame.columns else pl.lit(None, dtype=pl.Utf8)


def add_match_keys(records: pl.DataFrame) -> pl.DataFrame:
    """Add the `mk_*` columns. A name part's key is its kana reading when there
    is one (robust to kanji variants and typos), else its written form."""
    return records.with_columns(
        mk_family=pl.coalesce(_col(records, "std_family_kana"), _col(records, "std_family_name")),
        mk_given=pl.coalesce(_col(records, "std_given_kana"), _col(records, "std_given_name")),
        mk_birth_date=(
            pl.col("std_birth_date").dt.strftime("%Y-%m-%d")
            if "std_birth_date" in records.columns
            else pl.lit(None, dtype=pl.Utf8)
        ),
        mk_phone_last8=_col(records, "std_phone").str.slice(-8),
        mk_postal_area=_col(records, "std_postal_code").str.slice(0, 3),
        mk_city=pl.concat_str([_col(records, "std_prefecture"), _col(records, "std_city")], ignore_nulls=True),
        mk_address=pl.when(_col(records, "std_address").is_not_null()).then(
            pl.concat_str([_col(records, "std_city"), _col(records, "std_address")], ignore_nulls=True)
        ),
    ).with_columns(
        [pl.when(pl.col(c) == "").then(None).otherwise(pl.col(c)).alias(c) for c in MATCH_KEY_COLUMNS]
    )
