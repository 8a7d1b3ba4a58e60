"""The project's Dagster instance databases held open while a run writes to them.

Dagster's SQLite storages open a connection for every event they store and
close it straight after. SQLite, when the last connection to a WAL database
closes, checkpoints the write-ahead log into the database file and deletes
it: two more syncs and a file removal for every event (about 90 events a
night, and the cross-run index shard again for each asset event). With one
more connection held open for the run, closing Dagster's connection is only
a close; each commit is still synced to the log as before (SQLite's default
`synchronous=FULL`), and the log is checkpointed once, when the held
connection closes after the run. The rows written are the same, and a run
killed half-way leaves a log that the next open replays.
"""

from __future__ import annotations

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
        """SQLAlchemy's `connect` event: hold the database of a new connection when it is one of ours."""
        if not isinstance(dbapi_connection, sqlite3.Connection):
            return
        path = dbapi_connection.execute("PRAGMA database_list").fetchone()[2]
        if not path or path in self.held or not Path(path).resolve().is_relative_to(self.home):
            return
        # a shard Dagster is creating turns to WAL later: it is held from the next connection on
        if dbapi_connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            return
        with self._lock:
            if path in self.held:
                return
            keeper = sqlite3.connect(path, check_same_thread=False)
            keeper.execute("SELECT count(*) FROM sqlite_master").fetchall()  # attaches it to the log's index
            self.held[path] = keeper

    def close(self) -> None:
        with self._lock:
            for keeper in self.held.values():
                keeper.close()  # the last connection: SQLite checkpoints the log here
            self.held.clear()


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
