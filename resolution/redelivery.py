"""Re-delivered records that did not change.

A `snapshot` source sends every record every night, and a delta export may
send a record again untouched. Such a record needs no re-linking, and its
golden record no rebuilding: only where it was delivered (file, row) differs.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

DELIVERY_COLUMNS = ("source_file", "source_row", "file_hash")
"""Where a record was delivered: a re-delivery changes these alone."""


def changed_record_keys(arrived: pl.DataFrame, previous: pl.DataFrame | None) -> pl.Series:
    """The `record_key`s of `arrived` (tonight's standardized records) that are
    new, or differ from their version in `previous` (the base) in anything but
    `DELIVERY_COLUMNS`. Values are compared as text, nulls equal to nulls.
    Without a previous base, or when it lacks a column the arrivals have, every
    arrival counts as changed."""
    compared = [c for c in arrived.columns if c not in DELIVERY_COLUMNS]
    if previous is None or not arrived.height or not set(compared) <= set(previous.columns):
        return arrived["record_key"]
    as_text = [pl.col(c).cast(pl.Utf8) for c in compared]
    before = previous.filter(pl.col("record_key").is_in(arrived["record_key"].implode())).select(as_text)
    after = arrived.select(as_text)
    unchanged = after.join(before, on=compared, how="semi", nulls_equal=True)["record_key"]
    return arrived["record_key"].filter(~arrived["record_key"].is_in(unchanged.implode()))


def previous_versions_apart(
    previous: pl.LazyFrame, arrived: pl.DataFrame, removed: pl.DataFrame, *, also: Sequence[str] = ()
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The `previous` base in two: its rows neither re-delivered (in
    `arrived`) nor deleted by their source (`record_key`s in `removed`), in
    its order; and the earlier versions of those that were, in the columns
    of `arrived` it has (what `changed_record_keys` compares) and those of
    `also` it has.

    Two queries of `previous` (at best a scan of the records table's Parquet
    copy, `warehouse.table_copies.scan_copied_tables`), each decoding only
    what it keeps: at 1M records about half the work of reading the table
    and filtering it. Not one shared scan (`pl.collect_all`): that leaves the
    kept rows' text in buffers shared with the others, and the base they
    become is then copied whole again to make it one chunk."""
    leaving = pl.col("record_key").is_in(
        pl.concat([arrived["record_key"], removed["record_key"].cast(pl.Utf8)]).implode()
    )
    columns = previous.collect_schema()
    wanted = [c for c in dict.fromkeys([*arrived.columns, *also]) if c in columns]
    return previous.filter(~leaving).collect(), previous.filter(leaving).select(wanted).collect()
