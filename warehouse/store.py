"""The warehouse DuckDB file: read the last published state, publish the next
one atomically.

A run never writes into the live file. It builds a complete new database
beside it (copying history tables, appending this run's rows, replacing the
current-state tables) and swaps it in with an atomic rename, so a failed or
killed run leaves the previous tables readable and unchanged.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import polars as pl

HISTORY_TABLES = ("runs", "ingested_files", "identity_events", "quality_scores", "audit_log")
"""Tables that grow run after run; everything else is replaced by each run."""


def _storable(frame: pl.DataFrame) -> pl.DataFrame:
    """DuckDB cannot store polars' Null type: make such columns text."""
    nulls = [c for c, t in frame.schema.items() if t == pl.Null]
    return frame.with_columns([pl.col(c).cast(pl.Utf8) for c in nulls]) if nulls else frame


def read_table(database: Path, table: str) -> pl.DataFrame | None:
    """A table of the published warehouse, or None when the file or table does not exist."""
    if not database.exists():
        return None
    con = duckdb.connect(str(database), read_only=True)
    try:
        exists = con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [table]
        ).fetchall()[0][0]
        if not exists:
            return None
        return pl.from_arrow(con.sql(f'SELECT * FROM "{table}"').to_arrow_table())
    finally:
        con.close()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _add_missing_columns(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """History tables grow new columns as the project does: add the incoming ones."""
    existing = {r[0] for r in con.execute(f'DESCRIBE "{table}"').fetchall()}
    for name, dtype, *_ in con.execute("DESCRIBE incoming").fetchall():
        if name not in existing:
            con.execute(f'ALTER TABLE "{table}" ADD COLUMN "{name}" {dtype}')


def temporary_name(target: Path) -> Path:
    """Where `target` is written before it is renamed into place: hidden, per process."""
    return target.with_name(f".{target.name}.{os.getpid()}.tmp")


def publish_warehouse(database: Path, *, replace: dict[str, pl.DataFrame], append: dict[str, pl.DataFrame]) -> None:
    """Build the next warehouse (see `build_warehouse`) and swap it in atomically."""
    build_warehouse(database, replace=replace, append=append).replace(database)


def build_warehouse(database: Path, *, replace: dict[str, pl.DataFrame], append: dict[str, pl.DataFrame]) -> Path:
    """Write the next warehouse beside the live one and return its temporary
    path: `replace` tables as given, `append` rows added to the history kept
    from the previous file, every other previous table carried over. The live
    file is untouched; a failure leaves no temporary file behind."""
    database.parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary_name(database)
    tmp.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp))
    try:
        carried: set[str] = set()
        if database.exists():
            quoted = str(database).replace("'", "''")
            con.execute(f"ATTACH '{quoted}' AS prev (READ_ONLY)")
            previous = [
                r[0]
                for r in con.execute(
                    "SELECT table_name FROM information_schema.tables WHERE table_catalog = 'prev'"
                ).fetchall()
            ]
            for table in previous:
                if table not in replace:
                    con.execute(f'CREATE TABLE "{table}" AS SELECT * FROM prev."{table}"')
                    carried.add(table)
            con.execute("DETACH prev")
        for table, frame in replace.items():
            con.register("incoming", _storable(frame).to_arrow())
            con.execute(f'CREATE TABLE "{table}" AS SELECT * FROM incoming')
            con.unregister("incoming")
        for table, frame in append.items():
            con.register("incoming", _storable(frame).to_arrow())
            if table in carried:
                _add_missing_columns(con, table)
                con.execute(f'INSERT INTO "{table}" BY NAME SELECT * FROM incoming')
            else:
                con.execute(f'CREATE TABLE "{table}" AS SELECT * FROM incoming')
            con.unregister("incoming")
        con.execute("CHECKPOINT")
        con.close()
        _fsync(tmp)
    except BaseException:
        con.close()
        tmp.unlink(missing_ok=True)  # a half-built copy would hold personal data no erasure reaches
        raise
    return tmp


def stage_parquet(frame: pl.DataFrame, target: Path) -> Path:
    """Write Parquet under `target`'s temporary name (fsynced); return that path."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary_name(target)
    frame.write_parquet(tmp, compression="zstd", statistics=True)
    _fsync(tmp)
    return tmp


def stage_text(text: str, target: Path) -> Path:
    """Write UTF-8 text under `target`'s temporary name (fsynced); return that path."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary_name(target)
    tmp.write_text(text, encoding="utf-8")
    _fsync(tmp)
    return tmp


def write_parquet_atomically(frame: pl.DataFrame, target: Path) -> None:
    """Write Parquet to a temporary name and rename it over `target`."""
    stage_parquet(frame, target).replace(target)


def write_text_atomically(text: str, target: Path) -> None:
    """Write UTF-8 text to a temporary name and rename it over `target`."""
    stage_text(text, target).replace(target)
