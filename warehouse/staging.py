"""Intermediate frames handed between a run's assets, per partition.

Each asset writes its result under `data/warehouse/staging/<partition>/`; the
next reads it. Staging is scratch space: the published outputs are written
separately and atomically (`warehouse.publishing`), and publishing clears the
partition's staging.

Within `deferred_writes` (a `nayose run`, whose assets all execute in one
process) a frame is kept in memory and written to its file only when needed:
when memory runs short, or when the run ends without publishing, so that a
re-execution from the failed stage finds its inputs. A run that publishes
writes no scratch file at all. There, too, a stage may start a result a later
stage needs on a background thread (`Staging.compute_ahead`), so that it is
computed beside the stages in between instead of after them.
"""

from __future__ import annotations

import json
import logging
import shutil
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import polars as pl

from warehouse.store import TablePatch

_CACHE_BYTES = 1_200_000_000
"""Frames written by this process are kept (up to about this many bytes) and
handed back on read while their file is unchanged: a nightly run executes its
assets in one process, so each stage's result is read back without decoding
the file again. A reader in another process reads the file."""

log = logging.getLogger(__name__)

_LARGEST_CACHED = _CACHE_BYTES * 3 // 4
"""A larger frame is not kept. The customer base, which every stage after it
reads, is about 0.6 GB at 1M records: kept, it is one copy shared by the
stages instead of one decoded per stage (about 1.6 s each at 1M)."""

_cache: OrderedDict[Path, tuple[tuple[int, int] | None, pl.DataFrame, int]] = OrderedDict()
"""path -> (the file's stamp, or None while its write is pending; the frame;
its estimated bytes, measured once: that walks every buffer of a wide frame)."""

_pending: dict[Path, Future] = {}
"""Files whose write a background thread is doing (see `deferred_writes`)."""

_unwritten: set[Path] = set()
"""Cached frames whose file is not written yet (see `deferred_writes`)."""

_leaving: dict[Path, pl.DataFrame] = {}
"""Frames out of the cache (it was full, or they were too large to keep)
whose file the background writer has yet to land: a reader takes the frame
instead of waiting behind the writes queued before it (at 1M arrivals, the
quality stage's small inputs waited 2.2 s behind the standardized records)."""

_writer: ThreadPoolExecutor | None = None

T = TypeVar("T")


@dataclass(frozen=True)
class _Ahead:
    """A result `Staging.compute_ahead` started: what it computes from, and its future."""

    compute: Callable[..., Any]
    inputs: tuple[str, ...]
    params: dict[str, Any]
    future: Future


_ahead: dict[Path, _Ahead] = {}
"""Results started ahead and not yet taken, by the path `Staging.path` gives
their name (see `Staging.compute_ahead`). Only the thread running the stages
touches this and the other bookkeeping above; a computation's thread is handed
its frames."""

_computer: ThreadPoolExecutor | None = None


def _stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


def _write_file(target: Path, frame: pl.DataFrame) -> None:
    tmp = target.with_suffix(".parquet.tmp")
    frame.write_parquet(tmp, compression="lz4", statistics=False)  # scratch: fast to write and read
    tmp.replace(target)


def _settle(path: Path) -> None:
    """Wait for a pending write of `path`; raise its error if it failed."""
    future = _pending.pop(path, None)
    _leaving.pop(path, None)
    if future is None:
        return
    try:
        future.result()
    except BaseException:
        _cache.pop(path, None)
        raise
    entry = _cache.get(path)
    if entry is not None:
        _cache[path] = (_stamp(path), *entry[1:])


def _remember(path: Path, frame: pl.DataFrame, stamp: tuple[int, int] | None) -> None:
    _cache.pop(path, None)
    size = frame.estimated_size()
    if size > _LARGEST_CACHED:
        return
    _cache[path] = (stamp, frame, size)
    while sum(held for _, _, held in _cache.values()) > _CACHE_BYTES:
        evicted, (_, evicted_frame, _) = _cache.popitem(last=False)
        if evicted in _unwritten:  # leaving memory: its file is now the only copy
            _write_in_background(evicted, evicted_frame)


def _write_in_background(path: Path, frame: pl.DataFrame) -> None:
    """Hand the file's write to the background writer; readers wait for it (`_settle`)."""
    assert _writer is not None, "only within deferred_writes"
    _unwritten.discard(path)
    _leaving[path] = frame
    _pending[path] = _writer.submit(_write_file, path, frame)


def _forget(path: Path) -> None:
    """Drop what this process holds of `path`: a pending write lands first, an
    unwritten frame never will, and a result started ahead from it is dropped
    (its consumer computes it again from the new frame)."""
    name = path.name.removesuffix(".parquet")
    for key in [k for k, a in _ahead.items() if k.parent == path.parent and name in a.inputs]:
        del _ahead[key]
    _settle(path)
    _cache.pop(path, None)
    _unwritten.discard(path)


def _recall(path: Path, *, touch: bool = True) -> pl.DataFrame | None:
    """The frame held for `path`, if it is the file's content; `touch` marks it
    as just used (the last to leave memory)."""
    entry = _cache.get(path)
    if entry is None:
        return _leaving.get(path) if path in _pending and not _pending[path].done() else None
    if path in _unwritten:
        return _touched(path, touch)
    if path in _pending and _pending[path].done():
        _settle(path)
        entry = _cache.get(path)
    elif path in _pending:
        return _touched(path, touch)  # this process is still writing the file: the frame is the content
    if entry is None or not path.exists() or entry[0] != _stamp(path):
        return None
    return _touched(path, touch)


def _touched(path: Path, touch: bool) -> pl.DataFrame:
    if touch:
        _cache.move_to_end(path)
    return _cache[path][1]


def wait_for_staged_writes(directory: Path | None = None) -> None:
    """Wait for the pending writes (of `directory`, or all); raise the first failure."""
    for path in [p for p in _pending if directory is None or p.parent == directory]:
        _settle(path)


@contextmanager
def deferred_writes() -> Iterator[None]:
    """Within this block `Staging.write` keeps the frame in memory and returns
    at once; the next stage reads it from there. Its file is written only
    when needed, by one background thread: when the frame leaves memory
    (`_CACHE_BYTES`; a frame larger than `_LARGEST_CACHED` at once), or on
    leaving the block if its partition was not cleared, i.e. the run stopped
    before publishing. So a run that publishes spends no time on scratch
    files (at 1M records they cost about 6 s of one core per night), and one
    that fails leaves the files a re-execution reads.

    Results started by `Staging.compute_ahead` run on a second background
    thread.

    For runs whose assets all execute in this process (`nayose run`); a stage
    in another process reads the file, so elsewhere writes stay synchronous.
    Every write and computation is waited for on leaving the block (no thread
    of the run outlives it); a write that failed there is logged, not raised:
    the files a run needs are awaited where they are read (and all of them
    before publishing), so the run's own outcome stays the one reported. So
    is a computation that failed and was never taken (its stage did not run)."""
    global _writer, _computer
    if _writer is not None:  # already deferring
        yield
        return
    _writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nayose-staging")
    _computer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nayose-ahead")
    try:
        yield
    finally:
        computer, _computer = _computer, None
        computer.shutdown(wait=True, cancel_futures=True)
        for path, ahead in list(_ahead.items()):
            failure = None if ahead.future.cancelled() else ahead.future.exception()
            if failure is not None:
                log.warning("%s, computed ahead and never taken, failed: %s", path.stem, type(failure).__name__)
        _ahead.clear()
        for path in list(_unwritten):  # a partition the run did not publish (and clear)
            _write_in_background(path, _cache[path][1])
        writer, _writer = _writer, None
        writer.shutdown(wait=True)
        for path in list(_pending):
            try:
                _settle(path)
            except Exception as exc:  # noqa: BLE001 - see the docstring
                log.warning("staging file %s was not written: %s", path.name, type(exc).__name__)


class StagingMissing(Exception):
    """An upstream stage has not been materialized for this partition."""


@dataclass(frozen=True)
class Staging:
    directory: Path

    @classmethod
    def for_partition(cls, staging_root: Path, partition: str) -> Staging:
        return cls(staging_root / partition)

    def path(self, name: str) -> Path:
        return self.directory / f"{name}.parquet"

    def write(self, name: str, frame: pl.DataFrame) -> Path:
        self.directory.mkdir(parents=True, exist_ok=True)
        if frame.n_chunks() > 1:
            frame = frame.rechunk()  # later stages join on it: gathers from one chunk are several times faster
        target = self.path(name)
        _settle(target)  # an earlier write of the same file lands first
        if _writer is None:
            _write_file(target, frame)
            _remember(target, frame, _stamp(target))
            return target
        # Until the new file lands a reader elsewhere finds none, never an earlier attempt's.
        target.unlink(missing_ok=True)
        _forget(target)
        _unwritten.add(target)
        _remember(target, frame, None)
        if target not in _cache:  # too large to keep
            _write_in_background(target, frame)
        return target

    def read(self, name: str) -> pl.DataFrame:
        path = self.path(name)
        cached = _recall(path)
        return cached if cached is not None else pl.read_parquet(self._written(path))

    def read_column(self, name: str, column: str) -> pl.Series:
        """One column of a staged frame: from memory when it is held, else only
        that column from the file (a stage needing the keys of a 1M-row frame
        does not decode its 40-odd other columns)."""
        path = self.path(name)
        cached = _recall(path, touch=False)  # a peek: the frame leaves memory when it would have
        if cached is not None:
            return cached.get_column(column)
        return pl.read_parquet(self._written(path), columns=[column]).get_column(column)

    def compute_ahead(
        self, name: str, compute: Callable[..., Any], inputs: Sequence[str], **params: Any
    ) -> None:
        """Start `compute(frames, **params)` now, where `frames` maps each of
        `inputs` (names of staged frames) to its frame, for a later stage to
        take with `computed`: within `deferred_writes` on a background thread,
        so it runs beside the stages in between: it gains where they leave a
        core idle and it is polars or DuckDB work (which releases the GIL);
        its Python work holds the GIL against theirs.

        The frames are read here, on the calling thread; `compute` must only
        read them (and files no stage of the run writes) and return its
        result, writing nothing. A result started earlier under `name` is
        replaced; one whose inputs are staged again before it is taken is
        dropped. Outside `deferred_writes`, or when an input is missing,
        nothing is started: the stage that takes it computes it itself (and
        meets the missing input there)."""
        if _computer is None or not all(self.exists(i) for i in inputs):
            return
        frames = {i: self.read(i) for i in inputs}
        future = _computer.submit(compute, frames, **params)
        _ahead[self.path(name)] = _Ahead(compute, tuple(inputs), params, future)

    def computed(self, name: str, compute: Callable[..., T], inputs: Sequence[str], **params: Any) -> T:
        """`compute(frames, **params)` as `compute_ahead` describes it: the
        result started under `name` from the same `compute`, `inputs` and
        `params` (compared with ==), waited for, its failure raised here; else
        (none started, its inputs staged again since, or started otherwise)
        computed now on this thread. A result is taken once."""
        ahead = _ahead.pop(self.path(name), None)
        if ahead is not None and (ahead.compute, ahead.inputs, ahead.params) == (compute, tuple(inputs), params):
            return ahead.future.result()
        return compute({i: self.read(i) for i in inputs}, **params)

    def _written(self, path: Path) -> Path:
        """`path` once its pending write has landed; StagingMissing when there is no such file."""
        _settle(path)
        if not path.exists():
            raise StagingMissing(
                f"{path.name} is missing for partition {self.directory.name}: materialize its upstream asset first"
            )
        return path

    def write_table_change(self, table: str, change: pl.DataFrame | TablePatch | None) -> None:
        """Stage the next content of warehouse table `table`: the whole table,
        a `TablePatch` of it, or None when the caller stages the whole table
        under another name. What an earlier attempt staged is removed first."""
        _forget(self.path(table))
        self.path(table).unlink(missing_ok=True)
        self.write_patch(table, change if isinstance(change, TablePatch) else None)
        if isinstance(change, pl.DataFrame):
            self.write(table, change)

    def read_table_change(self, table: str) -> pl.DataFrame | TablePatch | None:
        """What `write_table_change` staged for `table` (None: staged under another name)."""
        if self.exists(table):
            return self.read(table)
        return self.read_patch(table)

    def write_patch(self, table: str, patch: TablePatch | None) -> None:
        """Stage a `TablePatch` of warehouse table `table` beside whatever frame is
        staged under that name (None: no patch). An earlier attempt's patch is removed first."""
        for name in (f"{table}__patch_keys", f"{table}__patch_rows", f"{table}__patch_updated"):
            _forget(self.path(name))
            self.path(name).unlink(missing_ok=True)
        if patch is not None:
            self.write(f"{table}__patch_keys", pl.DataFrame({patch.key: patch.keys}))
            self.write(f"{table}__patch_rows", patch.rows)
            if patch.updated is not None:  # the updated columns as the frame's columns, the keys as its rows
                updated = pl.DataFrame({patch.key: patch.updated})
                self.write(f"{table}__patch_updated", updated.with_columns(pl.lit(None).alias(c) for c in patch.updated_columns))

    def read_patch(self, table: str) -> TablePatch | None:
        """The patch `write_patch` staged for `table`, if any."""
        if not self.exists(f"{table}__patch_keys"):
            return None
        keys = self.read(f"{table}__patch_keys")
        key = keys.columns[0]
        updated = self.read(f"{table}__patch_updated") if self.exists(f"{table}__patch_updated") else None
        return TablePatch(
            key=key,
            keys=keys.to_series(),
            rows=self.read(f"{table}__patch_rows"),
            updated=None if updated is None else updated[key],
            updated_columns=() if updated is None else tuple(c for c in updated.columns if c != key),
        )

    def exists(self, name: str) -> bool:
        path = self.path(name)
        return path in _pending or path in _unwritten or path.exists()

    def write_json(self, name: str, value: Any) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        (self.directory / f"{name}.json").write_text(json.dumps(value, ensure_ascii=False, default=str))

    def write_text(self, name: str, text: str) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        (self.directory / name).write_text(text, encoding="utf-8")

    def read_text(self, name: str) -> str:
        path = self.directory / name
        if not path.exists():
            raise StagingMissing(f"{path.name} is missing for partition {self.directory.name}")
        return path.read_text(encoding="utf-8")

    def read_json(self, name: str) -> Any:
        path = self.directory / f"{name}.json"
        if not path.exists():
            raise StagingMissing(f"{path.name} is missing for partition {self.directory.name}")
        return json.loads(path.read_text())

    def clear(self) -> None:
        for path in [p for p in _ahead if p.parent == self.directory]:
            del _ahead[path]  # its thread is waited for on leaving deferred_writes
        for path in [p for p in _pending if p.parent == self.directory]:
            with suppress(Exception):  # the file is being removed anyway
                _settle(path)
        for path in [p for p in _cache if p.parent == self.directory]:
            del _cache[path]
            _unwritten.discard(path)  # never to be written: the partition is done with
        shutil.rmtree(self.directory, ignore_errors=True)
