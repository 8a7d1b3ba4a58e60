"""Outputs per role: the steward's review material.

Analysts get the purpose-limited extracts (governance.extracts, under
`data/extracts/`), the privacy officer everything. Stewards get, under
`data/review/`, one Parquet per warehouse table of `roles.steward.tables`,
with personal values masked (governance.masking) when `roles.steward.masked`
is set, so they can work the review queue without the warehouse file.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
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


def _nulls_as_text(frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` with its Null columns as text, as the warehouse stores them."""
    nulls = [c for c, t in frame.schema.items() if t == pl.Null]
    return frame.with_columns(pl.col(nulls).cast(pl.Utf8)) if nulls else frame


def _as_published(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> pl.DataFrame | None:
    """`frame` as a read of the published `table` would give it (Null columns
    are stored as text), or None when it cannot stand for the table: other
    columns, column order or types, or another row count (a history table's
    new rows alone). Checked without reading the table's rows."""
    frame = _nulls_as_text(frame)
    published = pl.from_arrow(con.sql(f'SELECT * FROM "{table}" LIMIT 0').to_arrow_table()).schema
    if list(frame.schema.items()) != list(published.items()):
        return None
    return frame if con.execute(f'SELECT count(*) FROM "{table}"').fetchall()[0][0] == frame.height else None


def _stage_copy(frame: pl.DataFrame, target: Path, masked: bool) -> Path:
    return stage_parquet_privately(mask_frame(frame) if masked else frame, target)


def start_steward_copies(
    publication: Publication, paths: ProjectPaths, settings: SecuritySettings, frames: Mapping[str, pl.DataFrame]
) -> set[str]:
    """Start staging the steward's copies of `frames` (tables the run holds
    as the warehouse it is building will have them; those of
    `roles.steward.tables`), each masked and written on another thread of
    `publication` while that warehouse is still being built. The masking of
    the golden records (0.7 s of CPU at 1M records) and their write so
    overlap the build. `stage_steward_material`, given the tables returned,
    then keeps each copy if its frame is the built table, and writes the
    table's copy instead if not. Returns the tables started."""
    role = settings.roles.steward
    folder = review_dir(paths)
    started = set()
    for table in role.tables:
        if table in frames:
            frame, target = _nulls_as_text(frames[table]), folder / f"{table}.parquet"
            publication.in_background(lambda frame=frame, target=target: _stage_copy(frame, target, role.masked), target)
            started.add(table)
    return started


def stage_steward_material(
    publication: Publication,
    paths: ProjectPaths,
    settings: SecuritySettings,
    *,
    database: Path,
    frames: Mapping[str, pl.DataFrame] | None = None,
    started: Collection[str] = (),
) -> list[Path]:
    """Stage the steward's tables in `publication` (masked when configured;
    files 0600, `secure_tree` then gives the steward group), from the closed
    warehouse file `database` that the publication will make the published
    one. Tables it lacks are skipped. Returns the files staged.

    `frames` are tables the caller holds as they are in `database`, used
    instead of reading them. A frame whose columns, types or row count differ
    from the table (a history table's new rows alone) is not used: that table
    is read. The file then holds the frame's rows in the frame's order.
    The copies of the `started` tables (`start_steward_copies`, from the
    same `frames`) are already being staged: kept when their frame is the
    table, else replaced by the table's."""
    role = settings.roles.steward
    given = frames or {}
    staged = []
    folder = review_dir(paths)
    with _warehouse(database) as con:
        for table in role.tables:
            target = folder / f"{table}.parquet"
            if table == "*" or con is None or not table_exists(con, table):
                if table in started:
                    publication.withdraw(target)
                continue
            frame = given.get(table)
            frame = None if frame is None else _as_published(con, table, frame)
            staged.append(target)
            if frame is not None and table in started:
                continue
            if table in started:
                publication.withdraw(target)
            if frame is None:
                frame = fetch_table(con, table)
            publication.staged_file(_stage_copy(frame, target, role.masked), target)
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
