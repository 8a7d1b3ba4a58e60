"""Match keys: the columns Splink compares and blocks on, derived from the
standardized record (see docs/record-contract.md)."""

from __future__ import annotations

import polars as pl

MATCH_KEY_COLUMNS = (
    "mk_family",
    "mk_given",
    "mk_name_pair",
    "mk_family_start",
    "mk_given_start",
    "mk_birth_date",
    "mk_phone_last8",
    "mk_postal_area",
    "mk_prefecture",
    "mk_city",
    "mk_address",
    "mk_address_numbers",
    "mk_address_start",
)

NAME_START_LENGTH = 3
ADDRESS_START_LENGTH = 8
"""Prefix lengths of the typo-tolerant blocking keys: typos mostly fall later
in a value, so two spellings of one name or street usually share the start."""


def _col(frame: pl.DataFrame, name: str) -> pl.Expr:
    return pl.col(name) if name in frame.columns else pl.lit(None, dtype=pl.Utf8)


def add_match_keys(records: pl.DataFrame) -> pl.DataFrame:
    """Add the `mk_*` columns.

    - `mk_family` / `mk_given`: a name part's kana reading when there is one
      (robust to kanji variants and typos), else its written form.
    - `mk_name_pair`: both name parts in sorted order, so a record with family
      and given swapped blocks with its twin (null unless both parts are known).
    - `mk_family_start` / `mk_given_start`, `mk_address_start`: the first
      characters of the key, for blocking that survives a late typo.
    - `mk_birth_date`: `YYYY-MM-DD`.
    - `mk_phone_last8`, `mk_postal_area` (first three characters).
    - `mk_prefecture`: prefecture/state; `mk_city`: prefecture/state and city together
      (null without a city).
    - `mk_address`: the street part alone (city compared on its own).
    - `mk_address_numbers`: the digit runs of the street part (`1-2-3`,
      house number), a typo-robust address key.
    """
    family = pl.coalesce(_col(records, "std_family_kana"), _col(records, "std_family_name"))
    given = pl.coalesce(_col(records, "std_given_kana"), _col(records, "std_given_name"))
    address = _col(records, "std_address")
    return records.with_columns(
        mk_family=family,
        mk_given=given,
        mk_name_pair=pl.when(family.is_not_null() & given.is_not_null()).then(
            pl.concat_str([pl.min_horizontal(family, given), pl.max_horizontal(family, given)], separator="|")
        ),
        mk_family_start=family.str.slice(0, NAME_START_LENGTH),
        mk_given_start=given.str.slice(0, NAME_START_LENGTH),
        mk_birth_date=(
            pl.col("std_birth_date").dt.strftime("%Y-%m-%d")
            if "std_birth_date" in records.columns
            else pl.lit(None, dtype=pl.Utf8)
        ),
        mk_phone_last8=_col(records, "std_phone").str.slice(-8),
        mk_postal_area=_col(records, "std_postal_code").str.slice(0, 3),
        mk_prefecture=_col(records, "std_prefecture"),
        mk_city=pl.when(_col(records, "std_city").is_not_null()).then(
            pl.concat_str([_col(records, "std_prefecture"), _col(records, "std_city")], ignore_nulls=True)
        ),
        mk_address=address,
        mk_address_numbers=address.str.extract_all(r"[0-9]+").list.join("-"),
        mk_address_start=address.str.slice(0, ADDRESS_START_LENGTH),
    ).with_columns(
        [pl.when(pl.col(c) == "").then(None).otherwise(pl.col(c)).alias(c) for c in MATCH_KEY_COLUMNS]
    )
