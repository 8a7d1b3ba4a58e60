"""One writer at a time: the warehouse lock and the generation check.

Every command that rewrites the warehouse (a nightly run's publish, an
erasure, a retention sweep) holds an exclusive lock on `data/warehouse/.lock`.
A nightly run also notes the warehouse's generation when it first reads it;
its publish refuses to overwrite a warehouse that changed since (an erasure
finished meanwhile), so no erasure is ever undone by a run that started before it.
"""

from __future__ import annotations

import fcntl
import functools
import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, TypeVar

T = TypeVar("T")


class WarehouseBusy(Exception):
    """Another nayose command holds the warehouse lock."""


class WarehouseChanged(Exception):
    """The warehouse was rewritten by another command during this run."""


class RunInProgress(Exception):
    """Another nightly run of the project is under way."""


def generation(database: Path) -> str:
    """An identity of the current warehouse file (changes with every atomic rewrite)."""
    try:
        st = database.stat()
    except FileNotFoundError:
        return "absent"
    return f"{st.st_ino}:{st.st_mtime_ns}:{st.st_size}"


@contextmanager
def warehouse_lock(database: Path, *, wait_seconds: float = 600.0) -> Iterator[None]:
    """Hold the exclusive writer lock, waiting up to `wait_seconds` for it."""
    database.parent.mkdir(parents=True, exist_ok=True)
    lock_path = database.parent / ".lock"
    fd = os.open(lock_path, os.O_CREAT | os.O_RDWR, 0o600)
    try:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise WarehouseBusy(
                        f"{lock_path}: another nayose command is writing the warehouse; try again when it ends"
                    ) from None
                time.sleep(0.5)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def holding_warehouse_lock(function: Callable[..., T]) -> Callable[..., T]:
    """`function(paths, ...)` run while holding its project's warehouse lock.
    The undecorated function stays reachable as `.unlocked` for callers that
    already hold the lock."""

    @functools.wraps(function)
    def locked(paths, *args, **kwargs) -> T:
        with warehouse_lock(paths.warehouse):
            return function(paths, *args, **kwargs)

    locked.unlocked = function  # type: ignore[attr-defined]
    return locked


@contextmanager
def run_lock(database: Path) -> Iterator[None]:
    """Hold the project's run lock (`data/warehouse/.run.lock`) for a whole
    nightly run, or refuse at once (RunInProgress) when another run holds it:
    two runs of one project would do all their work for one of them to be
    refused at publish. Erasures and sweeps do not take it (the warehouse lock
    and the generation check keep them safe from a run)."""
    database.parent.mkdir(parents=True, exist_ok=True)
    lock_path = database.parent / ".run.lock"
    fd = os.open(lock_path, os.O_CREAT | os.O_RDWR, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RunInProgress(
                f"{lock_path}: another nayose run of this project is under way; run again when it ends"
            ) from None
        yield
    finally:
        os.close(fd)  # closing releases the lock


def run_lock_free(database: Path) -> bool:
    """Whether no nightly run holds the project's run lock now (taken and at
    once released; a missing lock file was never held). From a process that
    holds the lock itself, this says False: ask only from one that does not."""
    lock_path = database.parent / ".run.lock"
    try:
        fd = os.open(lock_path, os.O_RDWR)
    except FileNotFoundError:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)  # closing releases the lock
    return True
