"""Publishing a run's outputs all at once.

Every output is first written in full under a temporary name. Only then is a
journal written listing the renames, the renames done, and the journal
removed. A run killed while writing leaves every previous output unchanged
(its temporary files are swept away later); a run killed during the renames
is rolled forward by `recover_publication` before anything reads the outputs.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import suppress
from pathlib import Path
from typing import Self

import polars as pl

from warehouse.store import (
    PatchMismatch,
    TablePatch,
    build_warehouse,
    stage_parquet,
    stage_patched_parquet,
    stage_table_parquet,
    stage_text,
    swap_in,
)

JOURNAL = ".publish-journal.json"

log = logging.getLogger(__name__)


def _reason(exc: BaseException) -> str:
    """An error's kind, and its message when it is ours (a PatchMismatch names
    a file and a column, never a value); a reader's message may quote data."""
    return f"{type(exc).__name__}: {exc}" if isinstance(exc, PatchMismatch) else type(exc).__name__


class Publication:
    """Collects staged outputs and commits them together; on error, nothing is published."""

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self.staged: list[tuple[Path, Path]] = []
        self._exports: list[tuple[Future, Path]] = []  # table_parquet files being written beside the rest

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            self.abort()

    def parquet(self, frame: pl.DataFrame, target: Path) -> None:
        self.staged.append((stage_parquet(frame, target), target))

    def staged_file(self, tmp: Path, target: Path) -> None:
        """A file the caller wrote under a temporary name itself (e.g. encrypted Parquet)."""
        self.staged.append((tmp, target))

    def text(self, text: str, target: Path) -> None:
        self.staged.append((stage_text(text, target), target))

    def warehouse(
        self,
        database: Path,
        *,
        replace: dict[str, pl.DataFrame],
        append: dict[str, pl.DataFrame],
        patch: dict[str, TablePatch] | None = None,
    ) -> None:
        """The next warehouse for `database`, built on another thread while the
        caller stages the outputs that do not read it (`staged_path` waits for it)."""
        self.in_background(lambda: build_warehouse(database, replace=replace, append=append, patch=patch), database)

    def table_parquet(self, database: Path, table: str, target: Path, order_by: list[str]) -> None:
        """`table` as Parquet, taken from the warehouse this publication staged
        for `database`: DuckDB writes it on another thread while the caller
        stages the other outputs."""
        staged = self.staged_path(database)
        self.in_background(lambda: stage_table_parquet(staged, table, target, order_by), target)

    def patched_parquet(
        self, previous: Path, patch: TablePatch, target: Path, order_by: list[str], *, otherwise: tuple[Path, str]
    ) -> None:
        """`previous` with `patch` applied, as Parquet (`stage_patched_parquet`),
        written on another thread while the caller stages the other outputs.
        It needs no staged warehouse, so it can start first. Where `previous`
        cannot be patched (not sorted, or a page does not decode: it is read
        whole either way), table `otherwise[1]` of the warehouse staged for
        `otherwise[0]` is exported instead (`table_parquet`), on that thread."""
        database, table = otherwise
        built = self._staging(database)

        def stage() -> Path:
            try:
                return stage_patched_parquet(previous, patch, target, order_by)
            except (PatchMismatch, OSError, pl.exceptions.PolarsError) as exc:
                log.warning("%s is exported from the warehouse instead of patched: %s", target.name, _reason(exc))
                return stage_table_parquet(built(), table, target, order_by)

        self.in_background(stage, target)

    def _staging(self, target: Path) -> Callable[[], Path]:
        """A way for another thread to wait for `target`'s staged file: the
        future of its write, which `staged_path` may since have collected."""
        future = next((f for f, final in self._exports if final == target), None)
        if future is not None:
            return future.result
        staged = next(tmp for tmp, final in self.staged if final == target)
        return lambda: staged

    def in_background(self, stage: Callable[[], Path], target: Path) -> None:
        """`target` staged by `stage` (which returns the temporary file it wrote)
        on another thread while the caller stages the rest; commit and abort
        wait for it."""
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nayose-export")
        self._exports.append((pool.submit(stage), target))
        pool.shutdown(wait=False)  # its thread ends with the write

    def staged_path(self, target: Path) -> Path:
        """Where `target`'s next version is staged (the next warehouse, say, to
        read it before the commit), once it is written: a file still being
        staged on another thread is waited for (its failure raised here)."""
        pending = [(future, final) for future, final in self._exports if final == target]
        for future, final in pending:
            self._exports.remove((future, final))
            self.staged.append((future.result(), final))
        return next(tmp for tmp, final in self.staged if final == target)

    def withdraw(self, target: Path) -> None:
        """Take `target` out of the publication: its staged file (waited for
        when still being written on another thread; a failed write is moot)
        is removed, and the commit leaves `target` as it is."""
        for future, final in [(f, t) for f, t in self._exports if t == target]:
            self._exports.remove((future, final))
            with suppress(BaseException):  # the file is not wanted, whatever became of its write
                future.result().unlink(missing_ok=True)
        for tmp, final in [(t, f) for t, f in self.staged if f == target]:
            self.staged.remove((tmp, final))
            tmp.unlink(missing_ok=True)

    def _collect_exports(self) -> None:
        """Wait for the files staged in the background; stage their files; raise the first failure."""
        exports, self._exports = self._exports, []
        failure = None
        for future, target in exports:
            try:
                self.staged.append((future.result(), target))
            except BaseException as exc:  # noqa: BLE001 - the others are still staged, then removed by abort
                failure = failure or exc
        if failure is not None:
            raise failure

    def commit(self) -> None:
        """Rename every staged file into place, journaled so an interruption rolls forward."""
        self._collect_exports()
        journal = self.data_dir / JOURNAL
        tmp_journal = journal.with_suffix(".tmp")
        tmp_journal.write_text(json.dumps(journal_entries(self.data_dir, self.staged)))
        os.replace(tmp_journal, journal)
        _apply(self.staged)
        journal.unlink()
        self.staged = []

    def abort(self) -> None:
        with suppress(BaseException):  # aborting already; what was staged is removed below
            self._collect_exports()
        for tmp, _ in self.staged:
            tmp.unlink(missing_ok=True)
        self.staged = []


def journal_entries(data_dir: Path, renames: list[tuple[Path, Path]]) -> list[list[str]]:
    """The journal's lines: each rename's (temporary, final) file relative to
    `data_dir`, so that a project copied while the journal exists (killed
    during the renames) rolls forward its own files, never the original's."""
    return [[os.path.relpath(tmp, data_dir), os.path.relpath(target, data_dir)] for tmp, target in renames]


def _old_data_dir(written: list[Path], name: str) -> Path | None:
    """The folder a journal of absolute paths (written before journals were
    relative) was written in: the nearest folder named as the data folder
    (`name`) holding every one of them."""
    common = Path(os.path.commonpath([str(p) for p in written]))
    return next((folder for folder in (common, *common.parents) if folder.name == name), None)


def journal_renames(data_dir: Path, entries: list[list[str]]) -> tuple[list[tuple[Path, Path]], int]:
    """The renames a journal asks for, as files of `data_dir`, and how many of
    its lines were left out. Relative lines are under `data_dir`; a journal of
    absolute lines (written before) is read as written in its own data folder
    and mapped into `data_dir` (a copy's journal names the original's files).
    A line that would leave `data_dir` is left out: a publication renames only
    its own project's files."""
    written = [Path(p) for entry in entries for p in entry]
    old = _old_data_dir(written, data_dir.name) if any(p.is_absolute() for p in written) else None
    root = Path(os.path.normpath(data_dir.absolute()))

    def ours(path: Path) -> Path | None:
        if path.is_absolute() and old is not None and (path == old or old in path.parents):
            path = path.relative_to(old)
        if path.is_absolute():
            return None
        mapped = Path(os.path.normpath(root / path))
        return mapped if root in mapped.parents else None

    renames, skipped = [], 0
    for tmp, target in entries:
        pair = (ours(Path(tmp)), ours(Path(target)))
        if pair[0] is None or pair[1] is None:
            skipped += 1
        else:
            renames.append(pair)
    return renames, skipped


def _apply(renames: list[tuple[Path, Path]]) -> None:
    for tmp, target in renames:
        if tmp.exists():
            swap_in(tmp, target)


def recover_publication(data_dir: Path) -> str:
    """Finish a publication interrupted during its renames, and delete the
    temporary files of publications killed while writing (they may hold
    personal data). Returns what was done, for the run's log."""
    journal = data_dir / JOURNAL
    done = []
    if journal.exists():
        renames, skipped = journal_renames(data_dir, json.loads(journal.read_text()))
        _apply(renames)
        journal.unlink()
        done.append(f"completed an interrupted publication ({len(renames)} file(s))")
        if skipped:
            done.append(f"left {skipped} rename(s) of its journal alone: they named files outside {data_dir}")
    # DuckDB's write-ahead log of a temporary warehouse (`.nayose.duckdb.<pid>.tmp.wal`) goes too
    stray = [p for pattern in (".*.tmp", ".*.tmp.wal") for p in data_dir.rglob(pattern) if p.is_file()] if data_dir.exists() else []
    for path in stray:
        path.unlink(missing_ok=True)
    if stray:
        done.append(f"removed {len(stray)} temporary file(s) of an interrupted run")
    return "; ".join(done)
