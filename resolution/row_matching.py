"""Rows of two frames matched on text keys by 64-bit hashes: several times
faster than joining on the text at a million rows, and exact (each hashed
match is compared as text, so a collision never pairs different keys)."""

from __future__ import annotations

import polars as pl


def key_hash(column: str) -> pl.Expr:
    """A 64-bit hash of a key column, to join on (never stored: polars' hash
    may change between versions)."""
    return pl.col(column).hash()


def rows_with_equal_keys(
    left: pl.DataFrame, right: pl.DataFrame, keys: tuple[str, ...] = ("record_key",)
) -> pl.DataFrame:
    """Row numbers `_l`, `_r` of every pair of rows of `left` and `right`
    equal (and not null) on all `keys`: an inner join. Joined on hashes of
    the first key, then each pair's keys are compared as text."""
    hashed = [
        frame.select(key_hash(keys[0]).alias("_h"), *keys).with_row_index(side)
        for frame, side in ((left, "_l"), (right, "_r"))
    ]
    same = pl.all_horizontal([pl.col(k) == pl.col(f"{k}_right") for k in keys])
    return hashed[0].join(hashed[1], on="_h", how="inner").filter(same).select("_l", "_r")


def flags(n: int, rows: pl.Series) -> pl.Series:
    """n booleans, true at the row numbers `rows`."""
    flagged = pl.repeat(False, n, dtype=pl.Boolean, eager=True)
    return flagged.scatter(rows, True) if rows.len() else flagged


def with_looked_up(left: pl.DataFrame, right: pl.DataFrame, column: str, matches: pl.DataFrame) -> pl.DataFrame:
    """`left` with `right`'s `column` from its row of equal key (null where
    none): what a left join on the key gives. `matches` is
    `rows_with_equal_keys(left, right)`. When no row of `left` matches twice
    the values are gathered in `left`'s order; otherwise the frames are joined
    on "record_key"."""
    if matches["_l"].n_unique() == matches.height:
        row = pl.repeat(None, left.height, dtype=pl.UInt32, eager=True).scatter(matches["_l"], matches["_r"])
        return left.with_columns(right[column].gather(row))
    return left.join(right.select("record_key", column), on="record_key", how="left")


def with_each_side(pairs: pl.DataFrame, records: pl.DataFrame, **columns: pl.Expr) -> pl.DataFrame:
    """`pairs` (by `record_key_l`, `record_key_r`) with `columns` of each
    side's record in `records` (by `record_key`), as `<name>_l` and
    `<name>_r` (null where `records` lacks the record); only the pairs'
    records are read."""
    keys = pl.concat([pairs["record_key_l"], pairs["record_key_r"]]).unique().implode()
    values = records.filter(pl.col("record_key").is_in(keys)).select("record_key", **columns)
    for side in "lr":
        pairs = pairs.join(
            values.rename({c: f"{c}_{side}" for c in values.columns}), on=f"record_key_{side}", how="left"
        )
    return pairs
