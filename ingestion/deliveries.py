"""What a source's files say, taken in delivery order: each record's last word.

A run may read several files of one source: a day with two deliveries, or a
`--full` rebuild that re-reads every export since the first. Their rows are
settled here the way nightly runs took them in one by one, so a rebuild agrees
with the incremental state:

- a record re-delivered in a later file is superseded there (its earlier rows
  are replaced, not rejected as duplicates);
- a tombstone (`deleted_when`) deletes the record and every earlier version of
  it; a row delivered after the tombstone brings it back;
- for a `snapshot` source the newest file is the whole source: a record it
  lacks is deleted, whichever earlier file held it (a newest file without a
  row is refused instead, `emptied_snapshot`: it would delete them all).

A key repeated within one file is left for quarantine (`duplicate_source_record_id`),
and so are rows without a key (a tombstone without one deletes nothing) and
rows whose id a spreadsheet wrote in scientific notation
(`source_record_id_not_scientific`): `1.20E+4` may be 12,000 in one file and
12,045 in the next, so it replaces nothing and deletes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from ingestion.exports import ExportFile
from quality_checks.schemas import not_scientific_number_ok, text_present_ok

_FILE = "_delivery_file"
_ROW = "_delivery_row"


@dataclass(frozen=True)
class SettledDelivery:
    """`current`: the rows to validate (each record's last version, tombstones
    removed, rows without a key kept), without `is_deleted`; `deleted`: the
    `record_key`s whose last word is a deletion; `superseded`: how many rows a
    later file replaced or deleted."""

    current: pl.DataFrame
    deleted: pl.DataFrame
    superseded: int


def settle_delivery(files: Sequence[pl.DataFrame], *, snapshot: bool) -> SettledDelivery:
    """Settle one source's mapped files, oldest first (each with `record_key`
    `source_record_id` and `is_deleted`), into each record's last version and
    its deletions.

    Out: a SettledDelivery. Refuses nothing: an empty `files` settles to empty
    frames."""
    if not files:
        empty = pl.DataFrame(schema={"record_key": pl.Utf8})
        return SettledDelivery(current=pl.DataFrame(), deleted=empty, superseded=0)
    rows = pl.concat(
        [f.with_columns(pl.lit(i, pl.UInt32).alias(_FILE)) for i, f in enumerate(files)], how="vertical_relaxed"
    ).with_row_index(_ROW)
    # a blank id is no key (its rows go to quarantine): `record_key` alone would group every blank id as one;
    # nor is an id in scientific notation, which different customers share
    keyed = (
        pl.col("record_key").is_not_null()
        & text_present_ok("source_record_id")
        & not_scientific_number_ok("source_record_id")
    )
    last_file = pl.col(_FILE).max().over("record_key")
    # each key's last word: its last row in the last file that has it
    last_row = rows.filter(keyed).sort(_ROW).group_by("record_key").agg(pl.col("is_deleted").last())
    deleted = last_row.filter("is_deleted").select("record_key")
    if snapshot:
        newest = files[-1].filter(keyed & ~pl.col("is_deleted"))["record_key"]
        absent = last_row.filter(~pl.col("record_key").is_in(newest.implode())).select("record_key")
        deleted = pl.concat([deleted, absent]).unique()
    gone = pl.col("record_key").is_in(deleted["record_key"].implode())
    current = rows.filter(~keyed | ((pl.col(_FILE) == last_file) & ~gone & ~pl.col("is_deleted").fill_null(False)))
    # rows of keys a later file took over (or deleted); rows of the key's own last file are not counted
    superseded = rows.filter(keyed & ~pl.col("is_deleted") & ((pl.col(_FILE) < last_file) | gone)).height
    return SettledDelivery(
        current=current.sort(_ROW).drop(_FILE, _ROW, "is_deleted"),
        deleted=deleted.sort("record_key"),
        superseded=superseded,
    )


def emptied_snapshot(files: Sequence[pl.DataFrame], known_rows: int) -> bool:
    """Whether the newest of a snapshot source's files (oldest first) holds no
    row while the source held some (in an earlier file of this run, or
    `known_rows` ingested before): taken as the whole source it would delete
    every record, and an export that failed half-way looks just like it."""
    return bool(files) and files[-1].height == 0 and (known_rows > 0 or any(f.height for f in files[:-1]))


def in_delivery_order(files: Sequence[ExportFile], ledger: pl.DataFrame | None) -> list[ExportFile]:
    """`files` in the order nightly runs took them in: by the partition the
    ingestion ledger says each was first ingested in, then by name; a file the
    ledger does not know comes after those it does (it is new tonight)."""
    first_seen: dict[str, str] = {}
    if ledger is not None and ledger.height:
        for file_hash, partition in ledger.group_by("file_hash").agg(pl.col("partition").min()).iter_rows():
            first_seen[file_hash] = partition
    return sorted(files, key=lambda f: (f.file_hash not in first_seen, first_seen.get(f.file_hash, ""), f.display_name))


@dataclass(frozen=True)
class RepeatedDelivery:
    """A file whose bytes were taken in before under another name (a resend,
    a copy): skipped, since its rows are those of `earlier_file`.
    `ingested_on`: the partition that ingested `earlier_file`, None when it is
    new in this run too."""

    file: ExportFile
    earlier_file: str
    ingested_on: str | None

    @property
    def message(self) -> str:
        """One progress line (file names only)."""
        when = f"ingested on {self.ingested_on}" if self.ingested_on else "read in this run"
        return f"{self.file.display_name}: same content as {self.earlier_file} {when}, skipped"


def new_deliveries(
    matching: Sequence[ExportFile], ledger: pl.DataFrame | None, *, full: bool = False
) -> tuple[list[ExportFile], list[RepeatedDelivery]]:
    """Of a source's `matching` files, those a run takes in, in delivery order
    (`in_delivery_order`), and those it skips as repeats.

    A file the ingestion ledger (`file_hash`, `source_file`, `partition`)
    knows under its own name was ingested before and is left out silently
    (unless `full`: a rebuild re-reads every file). A file whose hash the
    ledger knows under another name only, or that repeats the bytes of a file
    taken earlier in this run, is a `RepeatedDelivery` naming the earliest
    file with those bytes. Refuses nothing."""
    first: dict[str, str] = {}  # hash -> the file first ingested with it
    ingested_on: dict[tuple[str, str], str] = {}  # (hash, file) -> the partition that first ingested it
    if ledger is not None and ledger.height:
        rows = ledger.select("file_hash", "source_file", "partition").sort("partition", "source_file")
        for file_hash, name, partition in rows.iter_rows():
            first.setdefault(file_hash, name)
            ingested_on.setdefault((file_hash, name), partition)
    repeats, candidates = [], []
    for export in matching:
        if full or export.file_hash not in first:
            candidates.append(export)
        elif (export.file_hash, export.display_name) not in ingested_on:
            earlier = first[export.file_hash]
            repeats.append(RepeatedDelivery(export, earlier, ingested_on[(export.file_hash, earlier)]))
    taken: dict[str, ExportFile] = {}
    for export in in_delivery_order(candidates, ledger):
        earlier = taken.setdefault(export.file_hash, export)
        if earlier is not export:
            when = ingested_on.get((export.file_hash, earlier.display_name))
            repeats.append(RepeatedDelivery(export, earlier.display_name, when))
    return list(taken.values()), repeats


def missing_deliveries(matching: Sequence[ExportFile], ledger: pl.DataFrame | None) -> list[str]:
    """The files the ingestion ledger (`file_hash`, `source_file`, `rows`)
    records with rows that are no longer in place: neither their bytes nor
    their name are among `matching`. A `--full` run rebuilds a source from the
    exports in place, so it would drop these files' records. A file rewritten
    by an erasure keeps its name and is in place. Display names, sorted."""
    if ledger is None or not ledger.height:
        return []
    hashes = {export.file_hash for export in matching}
    names = {export.display_name for export in matching}
    gone = ledger.filter(
        (pl.col("rows") > 0) & ~pl.col("file_hash").is_in(list(hashes)) & ~pl.col("source_file").is_in(list(names))
    )
    return sorted(set(gone["source_file"].to_list()))
