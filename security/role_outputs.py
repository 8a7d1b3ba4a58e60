"""Outputs per role: the steward's review material.

Analysts get the purpose-limited extracts (governance.extracts, under
`data/extracts/`), the privacy officer everything. Stewards get, under
`data/review/`, one Parquet per warehouse table of `roles.steward.tables`,
with personal values masked (governance.masking) when `roles.steward.masked`
is set, so they can work the review queue without the warehouse file.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import duckdb
import polars as pl

from governance.masking import mask_frame
from security.file_modes import stage_parquet_privately
from security.settings import SecuritySettings
from warehouse import ProjectPaths, Publication
from warehouse.store import connect_staged, fetch_table, table_exists


def review_dir(paths: ProjectPaths) -> Path:
    """Where the steward's material is written."""
    return paths.data / "review"


@contextmanager
def _warehouse(database: Path) -> Iterator[duckdb.DuckDBPyConnection | None]:
    """One read-only connection to the warehouse file `database` (published or
    staged) for every table (opening the file costs about 0.06 s at 1M
    records); None when it does not exist."""
    if not database.exists():
        yield None
        return
    con = connect_staged(database)
    try:
        yield con
    finally:
        con.close()


def _as_published(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> pl.DataFrame | None:
    """`frame` as a read of the published `table` would give it (Null columns
    are stored as text), or None when it cannot stand for the table: other
    columns, column order or types, or another row count (a history table's
    new rows alone). Checked without reading the table's rows."""
    nulls = [c for c, t in frame.schema.items() if t == pl.Null]
    frame = frame.with_columns(pl.col(nulls).cast(pl.Utf8)) if nulls else frame
    published = pl.from_arrow(con.sql(f'SELECT * FROM "{table}" LIMIT 0').to_arrow_table()).schema
    if list(frame.schema.items()) != list(published.items()):
        return None
    return frame if con.execute(f'SELECT count(*) FROM "{table}"').fetchall()[0][0] == frame.height else None


def stage_steward_material(
    publication: Publication,
    paths: ProjectPaths,
    settings: SecuritySettings,
    *,
    database: Path,
    frames: Mapping[str, pl.DataFrame] | None = None,
) -> list[Path]:
    """Stage the steward's tables in `publication` (masked when configured;
    files 0600, `secure_tree` then gives the steward group), from the closed
    warehouse file `database` that the publication will make the published
    one. Tables it lacks are skipped. Returns the files staged.

    `frames` are tables the caller holds as they are in `database`, used
    instead of reading them. A frame whose columns, types or row count differ
    from the table (a history table's new rows alone) is not used: that table
    is read. The file then holds the frame's rows in the frame's order."""
    role = settings.roles.steward
    given = frames or {}
    staged = []
    folder = review_dir(paths)
    with _warehouse(database) as con:
        for table in role.tables:
            if table == "*" or con is None or not table_exists(con, table):
                continue
            frame = given.get(table)
            frame = None if frame is None else _as_published(con, table, frame)
            if frame is None:
                frame = fetch_table(con, table)
            target = folder / f"{table}.parquet"
            publication.staged_file(stage_parquet_privately(mask_frame(frame) if role.masked else frame, target), target)
            staged.append(target)
    return staged


def remove_stale_steward_files(paths: ProjectPaths, current: list[Path]) -> None:
    """Delete the steward files of tables no longer listed (or no longer in the warehouse)."""
    folder = review_dir(paths)
    for stale in folder.glob("*.parquet") if folder.exists() else []:
        if stale not in current:
            stale.unlink()


def write_steward_material(
    paths: ProjectPaths,
    settings: SecuritySettings,
    *,
    frames: Mapping[str, pl.DataFrame] | None = None,
    database: Path | None = None,
) -> list[Path]:
    """Write the steward's tables from the published warehouse, or from the
    closed warehouse file `database` (`stage_steward_material`), all renamed
    into place together; a table no longer listed has its file removed.
    Returns the files written."""
    source = paths.warehouse if database is None else database
    with Publication(paths.data) as publication:
        written = stage_steward_material(publication, paths, settings, database=source, frames=frames)
        if written:
            publication.commit()
    remove_stale_steward_files(paths, written)
    return written
