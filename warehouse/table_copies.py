"""Parquet copies of the warehouse tables every night reads whole (`COPIED`),
kept beside the warehouse because polars reads them several times as fast as
DuckDB hands the tables over (1M records, measured on the benchmark machine:
`records` 1.0 s against 2.9 s, `golden_records` 0.19 s against 0.70 s,
`crosswalk` 0.07 s against 0.26 s, `match_pairs` 0.05 s against 0.19 s).

The copies are parts in `data/warehouse/table_copies/`, named by one
manifest. A table's first part holds whole rows; each later part holds the
rows one night patched in and the keys that night replaced (a `TablePatch`
of the table). Reading applies them in order (`scan_copied_tables`: as
filters of a lazy frame, so that a query decodes only what it keeps). (Row
order is not meaningful in the warehouse; `records` comes back in the order
the runs published it.)
A night that publishes a whole table, or whose parts
of a table have grown past `COMPACT_SHARE` of its rows or `MAX_PARTS`,
writes one whole part of it again.

The manifest names the warehouse file it copies by modification time and
size (`file_identity`: a rename keeps them, and so does a copy that keeps
times, like a backup or `cp -a` of the project, whose copies then stay
usable), and holds each table's row count; a copy is read only when its
rows and types are the table's. Any other rewrite of the warehouse (an
erasure, a retention sweep, an appended audit row) makes every copy stale:
the next night reads DuckDB and writes whole parts. The copies hold personal
data: every part is written owner-only, staged and renamed with the run's
other outputs, and `remove_table_copies` is called by every rewrite that
removes rows (governance).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path

import duckdb
import polars as pl

from warehouse.publication import Publication
from warehouse.store import (
    PublishedTables,
    TablePatch,
    connect_staged,
    read_tables,
    stage_written,
    table_exists,
    table_shape,
)

COPIES_DIR = "table_copies"
MANIFEST = "manifest.json"

COPIED = {
    "records": "record_key",
    "golden_records": "golden_id",
    "crosswalk": "golden_id",
    "match_pairs": "record_key_l",
}
"""Each copied table and the key its patches replace rows by (a patch by
another key is copied as a whole part)."""

COMPACT_SHARE = 0.2
"""Rows in a table's patch parts, as a share of its rows, above which a whole
part is written again: reading a patched row costs about as much as a whole
row, and a whole `records` part costs about 2.8 s of writing at 1M records
(on a thread)."""

MAX_PARTS = 30

_FORMAT = 2

log = logging.getLogger(__name__)

_warned: set[tuple] = set()
"""The warnings already given: each stage of a run reads the copies, and one
damaged file is reported once, not once per stage."""


def _warn_once(about: Path, message: str, *args: object) -> None:
    """Log `message` unless it was logged already for `about` as it is now (its stamp)."""
    try:
        stat = about.stat()
        stamp: tuple = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        stamp = ()
    key = (str(about), message, args, stamp)
    if key not in _warned:
        _warned.add(key)
        log.warning(message, *args)


def file_identity(database: Path) -> str:
    """Which warehouse file the copies copy: its modification time (ns) and size.
    Not its inode (`locking.generation`): a copy of the project that keeps
    times holds the same tables, and their copies stay usable."""
    st = database.stat()
    return f"{st.st_mtime_ns}:{st.st_size}"


def copies_directory(database: Path) -> Path:
    """Where the copies of `database`'s tables live."""
    return database.parent / COPIES_DIR


def read_copied_tables(database: Path, *tables: str) -> PublishedTables:
    """Tables of the published warehouse by name (`store.read_tables`): each
    copied table from its Parquet copy when that is a copy of this warehouse
    file, the others from DuckDB (through the same connection)."""
    return read_tables(database, *tables, substitute=lambda con, present: _read_copies(con, database, present))


def scan_copied_tables(database: Path, *tables: str) -> PublishedTables:
    """As `read_copied_tables`, each table as a lazy frame: a copied table's
    over its Parquet copy, so that a query decodes only the columns it selects
    and the rows its filter on the key keeps (reading 1M records to set 20k
    of them apart costs a fraction of reading them all, then filtering); any
    other table's over the frame fetched from DuckDB. The copy is checked as
    `read_copied_tables` checks it, its types from the Parquet footers and
    its rows counted from the key column; a part damaged in another column
    raises when the query runs."""
    published = read_tables(database, *tables, substitute=lambda con, present: _scan_copies(con, database, present))
    return PublishedTables(
        {t: f.lazy() if isinstance(f, pl.DataFrame) else f for t, f in published.frames.items()}, published.present
    )


def usable_copies(database: Path, *tables: str) -> dict[str, pl.DataFrame]:
    """The copies among `tables` that `read_copied_tables` would read, by table
    (the tables without a usable copy are not read from DuckDB)."""
    if not database.exists():
        return {}
    con = duckdb.connect(str(database), read_only=True)
    try:
        return _read_copies(con, database, [t for t in tables if table_exists(con, t)])
    finally:
        con.close()


def _manifest(directory: Path) -> dict | None:
    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        _warn_once(
            directory / MANIFEST, "%s: unreadable (%s); tables are read from the warehouse", directory / MANIFEST, type(exc).__name__
        )
        return None
    return manifest if isinstance(manifest, dict) and manifest.get("format") == _FORMAT else None


def _shapes(con: duckdb.DuckDBPyConnection, tables: list[str]) -> dict[str, tuple[pl.Schema, int]]:
    """Each of `tables` (tables of the connection's file): its `table_shape`."""
    return {table: table_shape(con, table) for table in tables}


def _listed_copies(con: duckdb.DuckDBPyConnection, database: Path, tables: list[str]) -> dict[str, tuple[dict, tuple]]:
    """Among `tables` (tables that `con`, a connection to `database`, has), each
    one the manifest lists for this warehouse file: its manifest entry and
    the table's shape (`_shapes`)."""
    wanted = [t for t in tables if t in COPIED]
    manifest = _manifest(copies_directory(database)) if wanted else None
    if manifest is None or manifest.get("warehouse") != file_identity(database):
        return {}
    wanted = [t for t in wanted if t in manifest.get("tables", {})]
    shapes = _shapes(con, wanted)
    return {table: (manifest["tables"][table], shapes[table]) for table in wanted}


def _read_copies(con: duckdb.DuckDBPyConnection, database: Path, tables: list[str]) -> dict[str, pl.DataFrame]:
    """The usable copies among `tables` (tables that `con`, a connection to `database`, has), by table."""
    directory = copies_directory(database)
    copies = {}
    for table, (entry, shape) in _listed_copies(con, database, tables).items():
        copy = _read_copy(directory, table, entry)
        if copy is not None and (copy.schema, copy.height) == shape:
            copies[table] = copy
        else:
            _warn_not_the_table(directory, table)
    return copies


def _scan_copies(con: duckdb.DuckDBPyConnection, database: Path, tables: list[str]) -> dict[str, pl.LazyFrame]:
    """As `_read_copies`, lazy frames over the copies (see `scan_copied_tables`)."""
    directory = copies_directory(database)
    scans = {}
    for table, (entry, shape) in _listed_copies(con, database, tables).items():
        try:
            scan = _scan_copy(directory, table, entry)
            usable = (scan.collect_schema(), scan.select(pl.len()).collect().item()) == shape
        except _UNREADABLE as exc:
            _warn_unreadable(directory, table, exc)
            continue
        if usable:
            scans[table] = scan
        else:
            _warn_not_the_table(directory, table)
    return scans


_UNREADABLE = (OSError, KeyError, TypeError, pl.exceptions.PolarsError)
"""What reading a missing, damaged or foreign part raises."""


def _warn_unreadable(directory: Path, table: str, exc: BaseException) -> None:
    _warn_once(directory / MANIFEST, "%s: a part of %s is unreadable (%s)", directory, table, type(exc).__name__)


def _warn_not_the_table(directory: Path, table: str) -> None:
    _warn_once(directory / MANIFEST, "%s: the copy of %s is not the table's; it is read from the warehouse", directory, table)


def _read_copy(directory: Path, table: str, entry: dict) -> pl.DataFrame | None:
    """The copy of `table` read whole (None, with a warning, when a part is unreadable)."""
    try:
        return _scan_copy(directory, table, entry).collect()
    except _UNREADABLE as exc:
        _warn_unreadable(directory, table, exc)
        return None


def _scan_copy(directory: Path, table: str, entry: dict) -> pl.LazyFrame:
    """The copy of `table` (its manifest `entry`) as a lazy frame: each part's
    rows minus the keys a later part replaced, the patches applied in order.
    Raises one of `_UNREADABLE` for a part it cannot read (the parts' rows
    are read when the frame is collected)."""
    key = COPIED[table]
    scans, replaced_later = [], []
    for part in reversed(entry["parts"]):
        rows = pl.scan_parquet(directory / part["rows"])
        if replaced_later:
            rows = rows.filter(~pl.col(key).is_in(pl.concat(replaced_later).implode()).fill_null(False))
        scans.append(rows)
        if part["replaces"]:
            replaced_later.append(pl.read_parquet(directory / part["replaces"]).to_series())
    return pl.concat(scans[::-1], how="vertical")


def _write_private(frame: pl.DataFrame) -> Callable[[Path], None]:
    def write(tmp: Path) -> None:
        tmp.unlink(missing_ok=True)
        fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        with os.fdopen(fd, "wb") as fh:
            # a copy read once a night: fast to write and read beats small
            frame.write_parquet(fh, compression="lz4", statistics=False)

    return write


def _listed(entry: dict) -> list[str]:
    return [name for part in entry["parts"] for name in (part["rows"], part["replaces"]) if name]


def stage_table_copies(
    publication: Publication,
    database: Path,
    changes: Mapping[str, pl.DataFrame | TablePatch],
    whole: Mapping[str, Callable[[], pl.DataFrame]],
) -> None:
    """Stage the copies of the copied tables of the warehouse `publication`
    has staged for `database`. `changes[table]` is what the run gave the
    table (the whole table, or a patch of the live one); `whole[table]`
    returns the whole table when a patch is not enough (no usable copy to
    patch, or time to compact). A copied table in neither is not copied.
    Whole parts are written on other threads while the caller stages the rest."""
    directory = copies_directory(database)
    staged = publication.staged_path(database)
    con = connect_staged(staged)
    try:
        shapes = _shapes(con, [t for t in COPIED if t in changes and table_exists(con, t)])
    finally:
        con.close()
    current = _manifest(directory)
    if current is None or not database.exists() or current.get("warehouse") != file_identity(database):
        current = {"tables": {}}
    entries = {}
    for table, (schema, rows) in shapes.items():
        change, entry = changes[table], current["tables"].get(table)
        if entry is not None and not all((directory / name).exists() for name in _listed(entry)):
            entry = None
        patched_rows = sum(part["n"] for part in entry["parts"][1:]) if entry else 0
        if (
            isinstance(change, TablePatch)
            and change.key == COPIED[table]
            and entry is not None
            and len(entry["parts"]) < MAX_PARTS
            and patched_rows + change.rows.height <= COMPACT_SHARE * rows
        ):
            name = uuid.uuid4().hex
            rows_file, keys_file = f"{table}-{name}.parquet", f"{table}-{name}-replaced.parquet"
            part_rows = change.rows.select([pl.col(c).cast(t) for c, t in schema.items()])
            keys = pl.DataFrame({change.key: change.keys.cast(pl.Utf8)}).drop_nulls().unique()
            for frame, file in ((part_rows, rows_file), (keys, keys_file)):
                publication.staged_file(stage_written(directory / file, _write_private(frame)), directory / file)
            parts = [*entry["parts"], {"rows": rows_file, "replaces": keys_file, "n": part_rows.height}]
        else:
            frame = change if isinstance(change, pl.DataFrame) else whole[table]()
            if not set(schema) <= set(frame.columns):  # never so today; a copy must not fail a run
                log.warning("%s: the run's %s lacks columns of the table; it is not copied", directory, table)
                continue
            frame = frame.select([pl.col(c).cast(t) for c, t in schema.items()])
            rows_file = f"{table}-{uuid.uuid4().hex}.parquet"
            publication.in_background(_whole_part(directory / rows_file, frame), directory / rows_file)
            parts = [{"rows": rows_file, "replaces": None, "n": frame.height}]
        entries[table] = {"rows": rows, "parts": parts}
    manifest = {"format": _FORMAT, "warehouse": file_identity(staged), "tables": entries}
    publication.text(json.dumps(manifest, indent=1), directory / MANIFEST)


def _whole_part(target: Path, frame: pl.DataFrame) -> Callable[[], Path]:
    return lambda: stage_written(target, _write_private(frame))


def remove_unlisted_parts(database: Path) -> None:
    """Delete the copies' files the manifest no longer names (after a commit)."""
    directory = copies_directory(database)
    manifest = _manifest(directory)
    if manifest is None:
        return
    listed = {MANIFEST, *(name for entry in manifest["tables"].values() for name in _listed(entry))}
    for path in directory.iterdir():
        if path.is_file() and path.name not in listed and not path.name.startswith("."):
            path.unlink(missing_ok=True)


def remove_table_copies(database: Path) -> None:
    """Delete the copies (they hold personal data): for rewrites that remove rows."""
    directory = copies_directory(database)
    if directory.exists():
        shutil.rmtree(directory)
