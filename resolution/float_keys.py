"""Record keys that an earlier nayose wrote with a float's `.0`.

Until standardization version 2026-11-28.3, an id that a Parquet or JSON
export held as a float (`12345.0`: pandas stores an id column with a gap as
floats), or that a CSV wrote that way, made the record key `crm:12345.0`.
It is now `crm:12345` (`ingestion.parsing.whole_number_text`), so that a
night writing `12345` re-delivers the same record.

The last crosswalk and the steward decisions were written under the old
keys, so each night reads them with those keys renamed where the run's
records hold the new key and not the old: the records keep their golden
ids, and the decisions still hold. That is so after the `--full` run that
the new standardization version asks for (it reads every export again,
under the new keys), and on a night when a snapshot re-delivers the
records. Until that `--full` run, a delta source's records delivered
again under the new key sit in the base beside their earlier versions
(under the old key), and are linked to them by matching.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

FLOAT_KEY = r"^(.*:[+-]?\d+)\.0+$"
"""A record key whose id is a whole number written as a float (`crm:12345.0`)."""


def with_float_keys_renamed(
    frame: pl.DataFrame, present: pl.Series, columns: Sequence[str] = ("record_key",), *, one_row_per_key: bool = True
) -> pl.DataFrame:
    """`frame` with each key in `columns` written as a float (`crm:12345.0`)
    renamed to the key this version writes (`crm:12345`), where that key is
    among `present` (this run's records) and the old key is not; with
    `one_row_per_key` (a crosswalk), not where the column already holds the
    new key, so that no record gains a second row. Other keys are left as
    they are. When no key has the float form, this costs one regex test (0.03 s at 1M keys)."""
    flagged = [c for c in columns if frame[c].str.contains(FLOAT_KEY).any()]
    if not flagged:
        return frame
    known = present.implode()
    renamed = []
    for column in flagged:
        key = pl.col(column)
        whole = key.str.replace(FLOAT_KEY, "$1")
        rename = (whole != key) & ~key.is_in(known) & whole.is_in(known)
        if one_row_per_key:
            rename = rename & ~whole.is_in(frame[column].implode())
        renamed.append(pl.when(rename.fill_null(False)).then(whole).otherwise(key).alias(column))
    return frame.with_columns(renamed)


def decisions_with_float_keys_renamed(decisions: pl.DataFrame, present: pl.Series) -> pl.DataFrame:
    """Steward decisions (`record_key_l` < `record_key_r`, the latest per
    pair last) with their float-written keys renamed as
    `with_float_keys_renamed` renames them, each pair ordered again and
    the latest decision per pair kept."""
    renamed = with_float_keys_renamed(decisions, present, ("record_key_l", "record_key_r"), one_row_per_key=False)
    if renamed is decisions:
        return decisions
    ordered = renamed.with_columns(
        record_key_l=pl.min_horizontal("record_key_l", "record_key_r"),
        record_key_r=pl.max_horizontal("record_key_l", "record_key_r"),
    )
    return ordered.unique(["record_key_l", "record_key_r"], keep="last", maintain_order=True)
