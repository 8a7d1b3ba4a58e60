"""The project's Dagster instance databases held open while a run writes to them.

Dagster's SQLite storages open a connection for every event they store and
close it straight after. SQLite, when the last connection to a WAL database
closes, checkpoints the write-ahead log into the database file and deletes
it: two more syncs and a file removal for every event (about 90 events a
night, and the cross-run index shard again for each asset event). With one
more connection held open for the run, closing Dagster's connection is only
a close, and the log is checkpointed once, when the held connection closes
after the run. The rows written are the same, and a run killed half-way
leaves a log that the next open replays.

Each commit of a WAL database at SQLite's default `synchronous=FULL` also
syncs the log: about 150 commits a night at 2 ms each on this machine's
disk, 0.3 s of the run waiting on the disk. Dagster's connections to these
databases are set to `synchronous=NORMAL` for the run instead: a commit is
written to the log but not synced, and the log is synced once when the run's
block ends, before the held connections close (and the held connection's
checkpoint syncs the database file too). A process killed mid-run loses
nothing (the operating system still writes the log); only a power loss
mid-run could lose that run's last events, never a finished run's, and WAL
keeps the database consistent either way.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class _HeldDatabases:
    """A connection held open to every WAL database under `home` that SQLAlchemy connects to."""

    def __init__(self, home: Path) -> None:
        self.home = home.resolve()
        self.held: dict[str, sqlite3.Connection] = {}
        self._lock = threading.Lock()

    def on_connect(self, dbapi_connection, _connection_record) -> None:
        """SQLAlchemy's `connect` event: when a new connection is to one of our WAL databases, its
        commits are not synced (see the module's docstring), and the database is held."""
        if not isinstance(dbapi_connection, sqlite3.Connection):
            return
        path = dbapi_connection.execute("PRAGMA database_list").fetchone()[2]
        if path in self.held:  # held: a WAL database of ours
            dbapi_connection.execute("PRAGMA synchronous=NORMAL")
            return
        if not path or not Path(path).resolve().is_relative_to(self.home):
            return
        # a shard Dagster is creating turns to WAL later: it is held from the next connection on
        if dbapi_connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            return
        dbapi_connection.execute("PRAGMA synchronous=NORMAL")
        with self._lock:
            if path in self.held:
                return
            keeper = sqlite3.connect(path, check_same_thread=False)
            keeper.execute("SELECT count(*) FROM sqlite_master").fetchall()  # attaches it to the log's index
            self.held[path] = keeper

    def close(self) -> None:
        """Sync each held database's log (the run's commits were not synced), then close."""
        with self._lock:
            for path, keeper in self.held.items():
                _sync_file(f"{path}-wal")
                keeper.close()  # the last connection: SQLite checkpoints the log here (syncing the database)
            self.held.clear()


def _sync_file(path: str) -> None:
    """Flush `path` to the disk, when it exists (another connection may have checkpointed the log away)."""
    try:
        descriptor = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


@contextmanager
def instance_databases_held_open(dagster_home: Path) -> Iterator[None]:
    """While the block runs, every SQLite database of the instance in
    `dagster_home` that Dagster opens in WAL mode stays open once more (see
    the module's docstring); databases elsewhere are left alone."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    held = _HeldDatabases(dagster_home)
    event.listen(Engine, "connect", held.on_connect)
    try:
        yield
    finally:
        event.remove(Engine, "connect", held.on_connect)
        held.close()
