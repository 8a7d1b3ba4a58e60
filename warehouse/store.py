"""The warehouse DuckDB file: read the last published state, publish the next
one atomically.

A run never writes into the live file. It writes the next file beside it and
swaps it in with an atomic rename, so a failed or killed run leaves the
previous tables readable and unchanged.

The next file is normally a byte copy of the live one in which only the
differences are applied: the rows of a replaced table that the new frame no
longer has are deleted, the frame's rows the table lacks inserted, history
rows appended, every other table left as it is. So a night that changed 2%
of the rows writes about 2% of them (it still reads every row once, to
compare). The file is written from scratch instead (`write_fresh_warehouse`)
when there is no live file yet, when the live file has an unfinished
write-ahead log, or when the copies have gathered too much dead space
(`MAX_DEAD_SHARE`), which compacts it.

A stage that knows exactly which rows it changed hands a `TablePatch`
instead of the whole table: the rows holding the patch's keys are deleted and
its rows inserted, without reading or hashing the rest of the table.

A copy keeps the old file's dead bytes (deleted rows, free blocks) until that
compaction, so nothing that must make values unrecoverable (erasure, the
retention sweep) goes through it: those write a fresh file (`governance.rewrite`).
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import duckdb
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from warehouse.audit_head import record_head

log = logging.getLogger(__name__)

HISTORY_TABLES = ("runs", "ingested_files", "identity_events", "quality_scores", "audit_log")
"""Tables that grow run after run; everything else is replaced by each run."""

MAX_DEAD_SHARE = 0.10
"""Above this share of dead space in the live file (free blocks, and deleted
rows the file still stores; see `dead_share`), the next file is written from
scratch, which compacts it. Measured on a 1M-record warehouse with 2% of the
rows changing each night: the share grows by about 1 point a night once the
copied free blocks are used up, while the file grows by about 2.7% of its
compact size (deleted rows stay, and each night's inserts land in a new,
less compressed row group). So this rebuilds about every ten nights and
keeps the file within about 1.3 times its compact size."""

WRITER_MEMORY_LIMIT = "1GB"
"""DuckDB's memory while it builds the next warehouse (hashing rows, sorting
for Parquet); beyond it DuckDB spills to a temporary directory beside the
file. The run's polars frames are in memory at the same time."""

ZSTD_LEVEL = 1
"""The zstd level of the Parquet outputs (golden records, crosswalk, lineage,
the steward's copies). Measured on the 1M-record benchmark's outputs against
polars' default level: 0.64 s of CPU instead of 0.83 s for the golden
records (6% larger), 0.27 s instead of 0.38 s for the crosswalk and 0.89 s
instead of 1.01 s for the 7M lineage rows (both 5-7% smaller). Readers
decode any level alike."""

POSITION = "_nayose_position"
"""Row number added to an incoming frame, so inserted rows keep its order."""


@dataclass(frozen=True)
class TablePatch:
    """A change to one table given by key: every row whose `key` column holds
    one of `keys` is deleted, then `rows` (the table's columns, in its order;
    values cast to its types) are inserted. The table must exist in the
    previous warehouse.

    `updated` (optional): keys of `rows` whose row differs from the table's
    row of that key only in `updated_columns` (a record re-delivered
    unchanged: where it was delivered). The warehouse sets those columns of
    those rows in place instead of deleting and inserting them whole: at 1M
    records, 327k such rows of `records` took 0.2 s to update against 1.8 s
    to replace. The result is the same rows either way; readers that do not
    look at `updated` (the table copies) apply the patch as a whole."""

    key: str
    keys: pl.Series
    rows: pl.DataFrame
    updated: pl.Series | None = None
    updated_columns: tuple[str, ...] = ()


class PatchMismatch(ValueError):
    """A patch whose table is missing or whose rows do not have the table's columns."""


def _storable(frame: pl.DataFrame) -> pl.DataFrame:
    """DuckDB cannot store polars' Null type: make such columns text."""
    nulls = [c for c, t in frame.schema.items() if t == pl.Null]
    return frame.with_columns([pl.col(c).cast(pl.Utf8) for c in nulls]) if nulls else frame


def table_exists(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    """Whether the connection's database has `table`."""
    return bool(
        con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [table]).fetchall()[0][0]
    )


def table_shape(con: duckdb.DuckDBPyConnection, table: str) -> tuple[pl.Schema, int]:
    """`table`'s polars schema (as DuckDB hands the table to polars) and its
    row count, without reading its rows."""
    return (
        pl.from_arrow(con.sql(f'SELECT * FROM "{table}" LIMIT 0').to_arrow_table()).schema,
        con.execute(f'SELECT count(*) FROM "{table}"').fetchall()[0][0],
    )


def fetch_table(con: duckdb.DuckDBPyConnection, table: str) -> pl.DataFrame:
    """Every row of `table` as one polars frame (one chunk: joins gather from it fast)."""
    return pl.from_arrow(con.sql(f'SELECT * FROM "{table}"').to_arrow_table(), rechunk=True)


def read_table(database: Path, table: str) -> pl.DataFrame | None:
    """A table of the published warehouse, or None when the file or table does not exist."""
    return read_tables(database, table)[table]


@dataclass(frozen=True)
class PublishedTables:
    """Tables read from the published warehouse (`read_tables`): `published[name]`
    is the frame (a lazy one from `table_copies.scan_copied_tables`), None when
    the warehouse lacks it; `present` names every table the warehouse has,
    read or not."""

    frames: dict[str, Any]
    present: frozenset[str]

    def __getitem__(self, table: str) -> Any:
        return self.frames[table]


def read_tables(
    database: Path,
    *tables: str,
    substitute: Callable[[duckdb.DuckDBPyConnection, list[str]], Mapping[str, pl.DataFrame | pl.LazyFrame]]
    | None = None,
) -> PublishedTables:
    """Tables of the published warehouse by name, through one connection
    (opening the file costs about 0.03-0.1 s, several times a night). A
    missing file reads as a warehouse without tables. `substitute`, given the
    connection and the requested tables the file has, may return frames for
    some of them (read elsewhere); the others are fetched from the file."""
    if not database.exists():
        return PublishedTables(dict.fromkeys(tables), frozenset())
    con = duckdb.connect(str(database), read_only=True)
    try:
        present = frozenset(_tables(con))
        found = substitute(con, [t for t in tables if t in present]) if substitute else {}
        return PublishedTables(
            {t: found[t] if t in found else fetch_table(con, t) if t in present else None for t in tables}, present
        )
    finally:
        con.close()


def _connect_writer(path: Path) -> duckdb.DuckDBPyConnection:
    """A connection that writes `path`, within WRITER_MEMORY_LIMIT and without a progress bar."""
    return _quiet(duckdb.connect(str(path), config={"memory_limit": WRITER_MEMORY_LIMIT}))


def connect_staged(database: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to a closed warehouse file a publication staged,
    set up as every reader of it is: DuckDB refuses a second connection to a
    file with other settings (an export thread may be reading it)."""
    return _quiet(duckdb.connect(str(database), read_only=True, config={"memory_limit": WRITER_MEMORY_LIMIT}))


def _quiet(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    con.execute("SET enable_progress_bar = false")  # a per-connection setting, not a config option
    return con


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _wal(database: Path) -> Path:
    return database.with_name(database.name + ".wal")


def discard(tmp: Path) -> None:
    """Remove a half-built warehouse file and its log: it would hold personal data no erasure reaches."""
    tmp.unlink(missing_ok=True)
    _wal(tmp).unlink(missing_ok=True)


def _quoted(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _tables(con: duckdb.DuckDBPyConnection, catalog: str | None = None) -> list[str]:
    """The tables of `catalog` (default: the connection's own file)."""
    return [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_catalog = coalesce(?, current_database())"
            " AND table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY table_name",
            [catalog],
        ).fetchall()
    ]


def _columns(con: duckdb.DuckDBPyConnection, relation: str) -> list[tuple[str, str]]:
    return [(r[0], r[1]) for r in con.execute(f"DESCRIBE {relation}").fetchall()]


def _register(con: duckdb.DuckDBPyConnection, frame: pl.DataFrame) -> pl.DataFrame:
    """Expose `frame` as the view `incoming`, and as `_incoming_rows` with its
    row numbers (`POSITION`); returns the latter as registered."""
    rows = _storable(frame).with_row_index(POSITION)
    # the newest Arrow layout (string views) hands polars' buffers to DuckDB without a copy
    con.register("_incoming_rows", rows.to_arrow(compat_level=pl.CompatLevel.newest()))
    con.execute(f'CREATE OR REPLACE TEMP VIEW incoming AS SELECT * EXCLUDE ("{POSITION}") FROM _incoming_rows')
    return rows


def _unregister(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("DROP VIEW incoming")
    con.unregister("_incoming_rows")


def _add_missing_columns(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """History tables grow new columns as the project does: add the incoming ones."""
    existing = {r[0] for r in con.execute(f'DESCRIBE "{table}"').fetchall()}
    for name, dtype, *_ in con.execute("DESCRIBE incoming").fetchall():
        if name not in existing:
            con.execute(f'ALTER TABLE "{table}" ADD COLUMN "{name}" {dtype}')


def _append(con: duckdb.DuckDBPyConnection, append: dict[str, pl.DataFrame]) -> None:
    """Add history rows by column name, creating the tables the file lacks."""
    existing = set(_tables(con))
    for table, frame in append.items():
        _register(con, frame)
        if table in existing:
            _add_missing_columns(con, table)
            con.execute(f'INSERT INTO "{table}" BY NAME SELECT * FROM incoming')
        else:
            con.execute(f'CREATE TABLE "{table}" AS SELECT * FROM incoming')
        _unregister(con)


def _apply_difference(con: duckdb.DuckDBPyConnection, table: str, rows: pl.DataFrame) -> int:
    """Make `table` hold exactly the rows of `rows` (registered as `_incoming_rows`:
    the table's columns and types, plus `POSITION`) by deleting the rows the
    frame no longer has and inserting, in the frame's order, those the table
    lacks. Returns how many rows were deleted and inserted.

    Rows are matched by a 64-bit hash of all their values (NULLs included), so
    only hashes are compared, never the wide rows. A row to delete and a row
    to insert whose hashes collide (about 1 in 2**64 per such pair) would be
    taken for the same row."""
    columns = ", ".join(f'"{c}"' for c in rows.columns if c != POSITION)
    # Each side reduced once to (where the row is, its hash).
    con.execute(f'CREATE TEMP TABLE _old AS SELECT rowid AS _at, hash({columns}) AS _h FROM main."{table}"')
    con.execute(f'CREATE TEMP TABLE _new AS SELECT "{POSITION}" AS _at, hash({columns}) AS _h FROM _incoming_rows')
    con.execute(
        "CREATE TEMP TABLE _pairs AS SELECT o._at AS _old_at, n._at AS _new_at FROM _old o FULL JOIN _new n USING (_h)"
    )
    old_rows, new_rows = (con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in ("_old", "_new"))
    old_seen, new_seen = con.execute("SELECT count(_old_at), count(_new_at) FROM _pairs").fetchall()[0]
    if (old_seen, new_seen) == (old_rows, new_rows):
        # Every hash is on at most one row per side: the unpaired rows are the difference.
        con.execute("CREATE TEMP TABLE _gone AS SELECT _old_at AS _at FROM _pairs WHERE _new_at IS NULL")
        con.execute("CREATE TEMP TABLE _came AS SELECT _new_at AS _at FROM _pairs WHERE _old_at IS NULL")
    else:
        # Repeated rows: replace every copy of a row whose count differs between the sides.
        con.execute(
            """CREATE TEMP TABLE _changed AS SELECT _h FROM
            (SELECT _h, 1 AS _side FROM _old UNION ALL SELECT _h, -1 FROM _new) GROUP BY _h HAVING sum(_side) <> 0"""
        )
        con.execute("CREATE TEMP TABLE _gone AS SELECT _at FROM _old SEMI JOIN _changed USING (_h)")
        con.execute("CREATE TEMP TABLE _came AS SELECT _at FROM _new SEMI JOIN _changed USING (_h)")
        con.execute("DROP TABLE _changed")
    con.execute(f'DELETE FROM main."{table}" WHERE rowid IN (SELECT _at FROM _gone)')
    came = pl.from_arrow(con.sql("SELECT _at FROM _came ORDER BY _at").to_arrow_table())["_at"]
    if len(came):
        # Taken from the frame in polars: cheaper than scanning every column of the registered rows.
        con.register(
            "_inserted", rows.select(pl.exclude(POSITION).gather(came)).to_arrow(compat_level=pl.CompatLevel.newest())
        )
        con.execute(f'INSERT INTO main."{table}" SELECT * FROM _inserted')
        con.unregister("_inserted")
    gone = con.execute("SELECT count(*) FROM _gone").fetchall()[0][0]
    con.execute("DROP TABLE _old; DROP TABLE _new; DROP TABLE _pairs; DROP TABLE _gone; DROP TABLE _came")
    return gone + len(came)


def _replace(con: duckdb.DuckDBPyConnection, replace: dict[str, pl.DataFrame]) -> None:
    """Each table of `replace` made to hold exactly its frame's rows: by applying
    the difference where the file has the table with the frame's columns and
    types, by writing it anew otherwise."""
    existing = set(_tables(con))
    for table, frame in replace.items():
        rows = _register(con, frame)
        if table in existing and _columns(con, f'main."{table}"') == _columns(con, "incoming"):
            _apply_difference(con, table, rows)
        else:
            con.execute(f'DROP TABLE IF EXISTS main."{table}"')
            con.execute(f'CREATE TABLE main."{table}" AS SELECT * FROM incoming')
        _unregister(con)


def _patched_out(con: duckdb.DuckDBPyConnection, patch: TablePatch) -> str:
    """Registers the patch's keys; returns a SQL condition true for the rows they replace."""
    con.register("_patch_keys", pl.DataFrame({"_key": patch.keys.cast(pl.Utf8)}).drop_nulls().unique().to_arrow())
    return f'coalesce("{patch.key}" IN (SELECT _key FROM _patch_keys), false)'


def _apply_patches(con: duckdb.DuckDBPyConnection, patches: dict[str, TablePatch], *, delete: bool = True) -> None:
    """Apply each patch to its table of the connection's file (see `TablePatch`);
    `delete=False` when the replaced rows were already left out."""
    existing = set(_tables(con))
    for table, patch in patches.items():
        if table not in existing:
            raise PatchMismatch(f"table {table} is not in the previous warehouse: it cannot be patched")
        _register(con, patch.rows)
        try:
            names = [c for c, _ in _columns(con, f'main."{table}"')]
            if names != [c for c, _ in _columns(con, "incoming")]:
                raise PatchMismatch(f"the patch rows for {table} do not have the table's columns")
            inserted, in_place = "incoming", False
            if delete:
                in_place = _updated_in_place(con, table, patch)
                not_moved = f'NOT coalesce("{patch.key}" IN (SELECT _key FROM _updated), false)' if in_place else "true"
                con.execute(f'DELETE FROM main."{table}" WHERE {_patched_out(con, patch)} AND {not_moved}')
                con.unregister("_patch_keys")
                inserted = f"incoming WHERE {not_moved}"
            con.execute(f'INSERT INTO main."{table}" BY NAME SELECT * FROM {inserted}')  # cast to the table's types
            if in_place:
                con.unregister("_updated")
        finally:
            _unregister(con)


def _updated_in_place(con: duckdb.DuckDBPyConnection, table: str, patch: TablePatch) -> bool:
    """Set `patch.updated_columns` of the rows `patch.updated` names from the
    registered `incoming` rows, leaving `_updated` (their keys) registered:
    those of them the patch replaces (`keys`; the others are inserted, as a
    patch inserts its rows). False, doing nothing, when there are none or
    when a key is not on exactly one row of the table and one of `incoming`
    (they are then replaced whole)."""
    if patch.updated is None or not patch.updated.len() or not patch.updated_columns:
        return False
    replaced = patch.keys.cast(pl.Utf8).implode()  # a key the patch does not replace is inserted, not updated
    keys = pl.DataFrame({"_key": patch.updated.cast(pl.Utf8)}).drop_nulls().unique().filter(pl.col("_key").is_in(replaced))
    if not keys.height:
        return False
    con.register("_updated", keys.to_arrow())
    key, wanted = patch.key, keys.height
    counts = [
        con.execute(
            f'SELECT count(*), count(DISTINCT "{key}") FROM {relation} WHERE "{key}" IN (SELECT _key FROM _updated)'
        ).fetchall()[0]
        for relation in (f'main."{table}"', "incoming")
    ]
    if any(counts_of != (wanted, wanted) for counts_of in counts):
        con.unregister("_updated")
        return False
    assignments = ", ".join(f'"{c}" = i."{c}"' for c in patch.updated_columns)
    con.execute(
        f'UPDATE main."{table}" AS t SET {assignments} FROM incoming AS i '
        f'WHERE t."{key}" = i."{key}" AND i."{key}" IN (SELECT _key FROM _updated)'
    )
    return True


def temporary_name(target: Path) -> Path:
    """Where `target` is written before it is renamed into place: hidden, per process."""
    return target.with_name(f".{target.name}.{os.getpid()}.tmp")


def swap_in(tmp: Path, target: Path) -> None:
    """Rename `tmp` over `target` (atomic), then remove any log left beside
    `target`: it belonged to the replaced file, and DuckDB refuses to open a
    file beside a log that does not match it. A warehouse (a `.duckdb` file)
    swapped in has its audit head recorded beside it (`warehouse.audit_head`):
    every write of the warehouse comes through here."""
    os.replace(tmp, target)
    _wal(target).unlink(missing_ok=True)
    if target.suffix == ".duckdb":
        try:
            record_head(target)
        except (OSError, duckdb.Error) as exc:  # the swap is done; a head not recorded only weakens the check
            log.warning("the audit head of %s was not recorded: %s", target.name, type(exc).__name__)


def publish_warehouse(database: Path, *, replace: dict[str, pl.DataFrame], append: dict[str, pl.DataFrame]) -> None:
    """Build the next warehouse (see `build_warehouse`) and swap it in atomically."""
    swap_in(build_warehouse(database, replace=replace, append=append), database)


def dead_share(database: Path) -> float:
    """The share of `database`'s blocks that hold no live data: its free blocks,
    plus, per table, the blocks' share of deleted rows DuckDB still stores
    (until a checkpoint merges the row groups they sit in)."""
    con = duckdb.connect(str(database), read_only=True)
    try:
        total, free = con.execute("SELECT total_blocks, free_blocks FROM pragma_database_size()").fetchall()[0]
        dead = float(free)
        for table in _tables(con):
            blocks, stored = con.execute(
                "SELECT count(DISTINCT block_id) FILTER (block_id >= 0), sum(count) FILTER (column_path = '[0]')"
                " FROM pragma_storage_info(?)",
                [table],
            ).fetchall()[0]
            live = con.execute(f'SELECT count(*) FROM "{table}"').fetchall()[0][0]
            if stored:
                dead += blocks * (stored - live) / stored
    finally:
        con.close()
    return dead / total if total else 0.0


def _copy_worthwhile(database: Path) -> bool:
    """Whether the next file should be a copy of `database` with the differences
    applied: it exists, has no unfinished log (a copy of the file alone would
    lose it), and is not too full of dead space."""
    return database.exists() and not _wal(database).exists() and dead_share(database) <= MAX_DEAD_SHARE


def _copy_privately(database: Path, tmp: Path) -> None:
    """Copy the live file to `tmp`, created readable by its owner only (whatever the umask)."""
    os.close(os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    shutil.copyfile(database, tmp)


def build_warehouse(
    database: Path,
    *,
    replace: dict[str, pl.DataFrame],
    append: dict[str, pl.DataFrame],
    patch: dict[str, TablePatch] | None = None,
) -> Path:
    """Write the next warehouse beside the live one and return its temporary
    path: `replace` tables holding exactly their frames' rows, `patch` tables
    changed by key (`TablePatch`), `append` rows added to the history kept
    from the previous file (new columns added), every other previous table
    carried over. Copies the live file and applies
    the differences to the copy, or writes from scratch (module docstring).
    The live file is untouched; a failure leaves no temporary file behind."""
    database.parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary_name(database)
    if not _copy_worthwhile(database):
        write_fresh_warehouse(database, tmp, replace=replace, append=append, patch=patch)
        return tmp
    discard(tmp)
    try:
        _copy_privately(database, tmp)
        con = _connect_writer(tmp)
        try:
            # DuckDB would merge row groups thinned by deletes at the checkpoint, rewriting them
            # whole: a large cost on nights of scattered changes, and it did not stop the file
            # growing in our measurements. MAX_DEAD_SHARE's periodic rebuild compacts instead.
            con.execute("SET max_vacuum_tasks = 0")
            _replace(con, replace)
            _apply_patches(con, patch or {})
            _append(con, append)
            con.execute("CHECKPOINT")
        finally:
            con.close()
        _fsync(tmp)  # also makes the copied bytes durable
    except BaseException:
        discard(tmp)
        raise
    return tmp


def append_rows(database: Path, append: dict[str, pl.DataFrame]) -> None:
    """Append rows by column name to tables of the unpublished file `database`
    (new columns added, missing tables created), then checkpoint and fsync it."""
    con = _connect_writer(database)
    try:
        _append(con, append)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    _fsync(database)


@dataclass(frozen=True)
class RowFilter:
    """Which rows of the previous tables a fresh warehouse keeps.

    `condition(table, columns)` is a SQL condition over one previous table's
    rows, true for those to keep; it may refer to `lookups`, frames registered
    on the connection (never stored in the file) under their keys."""

    condition: Callable[[str, list[str]], str]
    lookups: dict[str, pl.DataFrame] = field(default_factory=dict)


def write_fresh_warehouse(
    database: Path,
    tmp: Path,
    *,
    replace: dict[str, pl.DataFrame],
    append: dict[str, pl.DataFrame],
    keep: RowFilter | None = None,
    patch: dict[str, TablePatch] | None = None,
) -> dict[str, int]:
    """Write a new DuckDB file at `tmp` row by row, never copying `database`'s
    blocks: every previous table not in `replace` with the rows `keep` keeps
    (all without it), `replace` tables as given, `patch` tables changed by key,
    `append` rows added. So bytes of rows left out (or deleted earlier) do not
    reach the new file. Returns, per previous table that lost rows to `keep`,
    how many. On failure `tmp` is removed and the error raised."""
    discard(tmp)
    removed: dict[str, int] = {}
    try:
        con = _connect_writer(tmp)
        try:
            if database.exists():
                for name, frame in (keep.lookups if keep else {}).items():
                    con.register(name, frame.to_arrow())
                con.execute(f"ATTACH {_quoted(database)} AS prev (READ_ONLY)")
                for table in _tables(con, "prev"):
                    if table in replace:
                        continue
                    kept = keep.condition(table, [c for c, _ in _columns(con, f'prev."{table}"')]) if keep else "true"
                    where = kept
                    if table in (patch or {}):
                        where = f"({kept}) AND NOT {_patched_out(con, patch[table])}"
                    con.execute(f'CREATE TABLE main."{table}" AS SELECT * FROM prev."{table}" WHERE {where}')
                    if table in (patch or {}):
                        con.unregister("_patch_keys")
                    if keep:
                        dropped = con.execute(
                            f'SELECT count(*) FROM prev."{table}" WHERE ({kept}) IS NOT TRUE'
                        ).fetchall()[0][0]
                        if dropped:
                            removed[table] = dropped
                con.execute("DETACH prev")
            _replace(con, replace)
            _apply_patches(con, patch or {}, delete=False)  # the replaced rows were not copied
            _append(con, append)
            con.execute("CHECKPOINT")
        finally:
            con.close()
        _fsync(tmp)
    except BaseException:
        discard(tmp)
        raise
    return removed


def stage_written(target: Path, write: Callable[[Path], object]) -> Path:
    """Have `write` write `target`'s temporary name, fsync it and return it;
    a failed write leaves no temporary file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary_name(target)
    try:
        write(tmp)
        _fsync(tmp)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def write_output_parquet(frame: pl.DataFrame, file: Path | BinaryIO) -> None:
    """Write `frame` as the Parquet outputs are written: zstd (`ZSTD_LEVEL`), with column statistics."""
    frame.write_parquet(file, compression="zstd", compression_level=ZSTD_LEVEL, statistics=True)


def stage_parquet(frame: pl.DataFrame, target: Path) -> Path:
    """Write Parquet under `target`'s temporary name (fsynced); return that path."""
    return stage_written(target, lambda tmp: write_output_parquet(frame, tmp))


def stage_table_parquet(database: Path, table: str, target: Path, order_by: list[str]) -> Path:
    """Write `table` of the (closed) DuckDB file `database` as Parquet sorted
    by `order_by`, under `target`'s temporary name (fsynced); return that path.
    DuckDB sorts and writes with every thread, without the rows passing
    through Python."""
    order = ", ".join(f'"{c}"' for c in order_by)

    def export(tmp: Path) -> None:
        con = connect_staged(database)
        try:
            con.execute(
                f'COPY (SELECT * FROM "{table}" ORDER BY {order}) TO {_quoted(tmp)} (FORMAT parquet, COMPRESSION zstd)'
            )
        finally:
            con.close()

    return stage_written(target, export)


def parquet_holds_table(parquet: Path, database: Path, table: str) -> bool:
    """Whether `parquet` has the columns and row count of `table` in the
    (closed) warehouse `database` (read from the file's footer and the
    table's count, not from their rows). Whether its rows read whole and
    sorted, as a patch needs, is found by patching it
    (`Publication.patched_parquet`)."""
    if not parquet.exists() or not database.exists():
        return False
    try:
        footer = pq.read_metadata(parquet)
    except (OSError, pa.ArrowException):
        return False
    con = duckdb.connect(str(database), read_only=True)
    try:
        if not table_exists(con, table):
            return False
        columns = [c for c, _ in _columns(con, f'"{table}"')]
        rows = con.execute(f'SELECT count(*) FROM "{table}"').fetchall()[0][0]
    finally:
        con.close()
    return footer.schema.to_arrow_schema().names == columns and footer.num_rows == rows


def _sorted_nulls_last(column: pl.Series) -> bool:
    """Sorted ascending with the nulls at the end, as DuckDB's ORDER BY leaves a column."""
    nulls = column.null_count()
    return column.head(column.len() - nulls).is_sorted() and column.tail(nulls).is_null().all()


def with_patch_rows(frame: pl.LazyFrame, key: str, keys: pl.Series, rows: pl.LazyFrame) -> pl.LazyFrame:
    """`frame` (sorted by `key`) without its rows of `keys`, with `rows` (the
    replacing rows, in the order they go within a key) between the rest: a
    stable sort on the key alone keeps both sides' order, no key being on both."""
    kept = frame.filter(~pl.col(key).is_in(keys.implode()).fill_null(False))
    return pl.concat([kept, rows]).sort(key, maintain_order=True, nulls_last=True)


def spliced(frame: pl.DataFrame, key: str, keys: pl.Series, rows: pl.DataFrame) -> pl.DataFrame:
    """`frame` (sorted by `key`, nulls last) without its rows of `keys`, with
    `rows` (whose keys are all among `keys`, sorted as they are to go) in
    their place: what `with_patch_rows` gives, without sorting or copying
    the kept rows. Each key's rows in `frame` are one run (the frame is
    sorted), found by binary search; the result is the runs between them
    and the patch's rows, zero-copy slices chained in key order."""
    present = frame.height - frame[key].null_count()
    column = frame[key].head(present)
    keys = keys.drop_nulls().unique().sort()
    starts = column.search_sorted(keys, side="left").to_list()
    ends = column.search_sorted(keys, side="right").to_list()
    groups = dict(zip(*rows.group_by(key, maintain_order=True).agg(pl.len()).get_columns()))
    parts, cursor, offset = [], 0, 0
    for patched, start, end in zip(keys.to_list(), starts, ends):
        if start > cursor:
            parts.append(frame.slice(cursor, start - cursor))
        cursor = max(cursor, end)
        if patched in groups:
            parts.append(rows.slice(offset, groups[patched]))
            offset += groups[patched]
    parts.append(frame.slice(cursor))
    return pl.concat(parts, rechunk=False)


def stage_patched_parquet(previous: Path, patch: TablePatch, target: Path, order_by: list[str]) -> Path:
    """`previous` (a Parquet file sorted by `order_by`, whose first column is
    `patch.key`) with `patch` applied, sorted the same way, under `target`'s
    temporary name (fsynced); returns that path.

    The previous rows keep their order and the patch's rows, sorted, go
    where their keys' rows were (`spliced`): no key is on both sides, and
    nothing is sorted but the patch. For 7M lineage rows about 1.6 s of
    CPU and 0.4 GB (the previous file read whole), where a stable sort of
    both sides took 2.3 s and exporting the patched warehouse table sorted
    about 3 s."""
    schema = pl.read_parquet_schema(previous)
    keys = patch.keys.cast(pl.Utf8).drop_nulls().unique()
    rows = patch.rows.select(list(schema)).cast(schema)
    if not rows[patch.key].is_in(keys.implode()).all():
        raise PatchMismatch(f"patch rows for {previous.name} hold keys the patch does not replace")
    frame = pl.read_parquet(previous)
    if not _sorted_nulls_last(frame[patch.key]):
        raise PatchMismatch(f"{previous.name} is not sorted by {patch.key}: it cannot be patched")
    ordered = spliced(frame, patch.key, keys, rows.sort(order_by, nulls_last=True))
    return stage_written(target, lambda tmp: write_output_parquet(ordered, tmp))


def stage_text(text: str, target: Path) -> Path:
    """Write UTF-8 text under `target`'s temporary name (fsynced); return that path."""
    return stage_written(target, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def write_parquet_atomically(frame: pl.DataFrame, target: Path) -> None:
    """Write Parquet to a temporary name and rename it over `target`."""
    stage_parquet(frame, target).replace(target)


def write_text_atomically(text: str, target: Path) -> None:
    """Write UTF-8 text to a temporary name and rename it over `target`."""
    stage_text(text, target).replace(target)
