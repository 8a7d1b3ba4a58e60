"""Outputs per role: the steward's review material.

Analysts get the purpose-limited extracts (governance.extracts, under
`data/extracts/`), the privacy officer everything. Stewards get, under
`data/review/`, one Parquet per warehouse table of `roles.steward.tables`,
with personal values masked (governance.masking) when `roles.steward.masked`
is set, so they can work the review queue without the warehouse file.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from functools import partial
from pathlib import Path

import duckdb
import polars as pl
import pyarrow.parquet as pq

from security.file_modes import stage_parquet_privately
from security.masking_reuse import (
    MANIFEST,
    appended,
    as_stored,
    copies_manifest,
    masking_fingerprint,
    previous_copy,
    spliced,
    steward_copy,
)
from security.settings import SecuritySettings
from warehouse import ProjectPaths, Publication
from warehouse.store import TablePatch, connect_staged, fetch_table, table_exists, table_shape

log = logging.getLogger(__name__)


class NotReusable(Exception):
    """Last night's steward copy cannot be extended by tonight's rows (read from the warehouse instead)."""


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
    frame = as_stored(frame)
    schema, rows = table_shape(con, table)
    return frame if list(frame.schema.items()) == list(schema.items()) and rows == frame.height else None


def _stage_copy(frame: pl.DataFrame, target: Path, masked: bool) -> Path:
    return stage_parquet_privately(steward_copy(frame, masked), target)


def _stage_patched_copy(frame: pl.DataFrame, target: Path, masked: bool, previous: Path, patch: TablePatch) -> Path:
    """The copy of `frame` (the table `patch` made) from `previous` with
    `patch` spliced in (`masking_reuse.spliced`), else `frame` masked whole
    (the splice does not fit, or `previous` does not read); staged under
    `target`'s temporary name."""
    try:
        copy = spliced(previous, frame, patch, masked)
    except (OSError, pl.exceptions.PolarsError) as exc:  # a damaged copy: masked whole below
        log.warning("%s is masked whole: last night's copy does not read (%s)", target.name, type(exc).__name__)
        copy = None
    return stage_parquet_privately(steward_copy(frame, masked) if copy is None else copy, target)


def _stage_appended_copy(previous: Path, rows: pl.DataFrame, target: Path, masked: bool) -> Path:
    """`previous` with history `rows` added (`masking_reuse.appended`), staged
    under `target`'s temporary name; NotReusable when the rows do not fit it."""
    copy = appended(previous, rows, masked)
    if copy is None:
        raise NotReusable(f"{target.name}: tonight's rows have other columns or types than last night's copy")
    return stage_parquet_privately(copy, target)


def start_steward_copies(
    publication: Publication,
    paths: ProjectPaths,
    settings: SecuritySettings,
    frames: Mapping[str, pl.DataFrame],
    *,
    published: Path | None = None,
    patches: Mapping[str, TablePatch] | None = None,
    appends: Mapping[str, pl.DataFrame] | None = None,
) -> set[str]:
    """Start staging the steward's copies of `frames` (tables the run holds
    as the warehouse it is building will have them; those of
    `roles.steward.tables`), each masked and written on another thread of
    `publication` while that warehouse is still being built. The masking of
    the golden records (0.7 s of CPU at 1M records) and their write so
    overlap the build. `stage_steward_material`, given the tables returned,
    then keeps each copy if its frame is the built table, and writes the
    table's copy instead if not. Returns the tables started.

    Given the `published` warehouse file that tonight's `patches` (table ->
    `TablePatch`) and `appends` (history table -> its new rows) change, last
    night's copy of such a table, when its manifest proves it the copy of
    that warehouse's table (`masking_reuse.previous_copy`), is reused: only
    the patch's rows are masked and spliced in (the golden records of a 1%
    day at 1M records, alone: 0.15 CPU-s instead of 0.63; with the write,
    0.78 instead of 1.13 on a loaded machine), or tonight's history rows
    added (0.10 CPU-s instead of 0.17 with the write), so
    that a history table not among `frames` is started as well. Without
    `published` (a --full run) every copy is masked whole."""
    role = settings.roles.steward
    folder = review_dir(paths)
    fingerprint = masking_fingerprint(settings) if published is not None else ""

    def previous(table: str) -> Path | None:
        return None if published is None else previous_copy(folder, table, published, fingerprint)

    started = set()
    for table in role.tables:
        target = folder / f"{table}.parquet"
        if table in frames:
            frame, patch = as_stored(frames[table]), (patches or {}).get(table)
            last = previous(table) if patch is not None else None
            stage = (
                partial(_stage_copy, frame, target, role.masked)
                if last is None  # no patch, or no proven copy to patch
                else partial(_stage_patched_copy, frame, target, role.masked, last, patch)
            )
            publication.in_background(stage, target)
            started.add(table)
        elif table in (appends or {}) and (last := previous(table)) is not None:
            rows = (appends or {})[table]
            publication.in_background(partial(_stage_appended_copy, last, rows, target, role.masked), target)
            started.add(table)
    return started


def _holds_table(publication: Publication, target: Path, con: duckdb.DuckDBPyConnection, table: str, masked: bool) -> bool:
    """Whether the copy of `table` staged in the background for `target`
    (from last night's copy and tonight's rows) was written, with the
    columns and types a copy of `table` has and its row count (read from
    the copy's footer and the table's count, not from their rows)."""
    try:
        staged = publication.staged_path(target)
    except Exception as exc:  # noqa: BLE001 - the table's copy is written instead
        log.warning("%s is copied from the warehouse: %s", target.name, type(exc).__name__)
        return False
    schema, rows = table_shape(con, table)
    return (
        pl.read_parquet_schema(staged) == dict(steward_copy(pl.DataFrame(schema=schema), masked).schema)
        and pq.read_metadata(staged).num_rows == rows
    )


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
    table (a history table started without a frame: when the copy has the
    table's columns, types and row count), else replaced by the table's.
    The copies' manifest (`masking_reuse.copies_manifest`), naming `database`,
    is staged with them."""
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
            if frame is None and table in started and _holds_table(publication, target, con, table, role.masked):
                staged.append(target)
                continue
            frame = None if frame is None else _as_published(con, table, frame)
            staged.append(target)
            if frame is not None and table in started:
                continue
            if table in started:
                publication.withdraw(target)
            if frame is None:
                frame = fetch_table(con, table)
            publication.staged_file(_stage_copy(frame, target, role.masked), target)
    if staged:
        copies = {target.stem: publication.staged_path(target) for target in staged}
        publication.text(copies_manifest(database, masking_fingerprint(settings), copies), folder / MANIFEST)
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
