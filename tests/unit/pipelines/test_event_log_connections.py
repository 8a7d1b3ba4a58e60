"""The instance's SQLite databases held open during a run: no checkpoint per
event, the same rows, one checkpoint at the end."""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from pipelines.event_log_connections import instance_databases_held_open


def _wal_database(path: Path) -> sa.Engine:
    """A WAL database opened as Dagster's SQLite storages open theirs: a new connection each time."""
    engine = sa.create_engine(f"sqlite:///{path}", poolclass=NullPool)
    with engine.connect() as conn:
        conn.execute(sa.text("PRAGMA journal_mode=WAL"))
        conn.execute(sa.text("CREATE TABLE event_logs (id INTEGER PRIMARY KEY, event TEXT)"))
        conn.commit()
    return engine


def _store(engine: sa.Engine, event: str) -> None:
    with engine.connect() as conn:
        conn.execute(sa.text("INSERT INTO event_logs (event) VALUES (:e)"), {"e": event})
        conn.commit()


def _events(path: Path) -> list[str]:
    with sa.create_engine(f"sqlite:///{path}", poolclass=NullPool).connect() as conn:
        return [row[0] for row in conn.execute(sa.text("SELECT event FROM event_logs ORDER BY id"))]


def test_closing_a_connection_does_not_checkpoint_while_held(tmp_path: Path) -> None:
    home, elsewhere = tmp_path / "dagster_home", tmp_path / "elsewhere"
    home.mkdir()
    elsewhere.mkdir()
    shard = home / "run.db"
    engine, other = _wal_database(shard), _wal_database(elsewhere / "other.db")
    with instance_databases_held_open(home):
        for event in ("STEP_START", "STEP_OUTPUT", "STEP_SUCCESS"):
            _store(engine, event)
            # the log stays: closing Dagster's connection did not checkpoint it into the file
            assert (home / "run.db-wal").exists()
        _store(other, "ELSEWHERE")
        assert not (elsewhere / "other.db-wal").exists()  # not under the instance: left alone
        assert _events(shard) == ["STEP_START", "STEP_OUTPUT", "STEP_SUCCESS"]
    assert not (home / "run.db-wal").exists()  # checkpointed once, when the run's block ends
    assert _events(shard) == ["STEP_START", "STEP_OUTPUT", "STEP_SUCCESS"]
    _store(engine, "NEXT_RUN")
    assert not (home / "run.db-wal").exists()  # nothing held once the block is left
    assert _events(shard)[-1] == "NEXT_RUN"


def _synchronous(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.text("PRAGMA synchronous")).scalar()


def test_commits_are_synced_once_when_the_block_ends(tmp_path: Path, monkeypatch) -> None:
    home = tmp_path / "dagster_home"
    home.mkdir()
    shard = home / "run.db"
    engine = _wal_database(shard)
    synced: list[str] = []
    sync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: synced.append(os.readlink(f"/proc/self/fd/{fd}")) or sync(fd))
    assert _synchronous(engine) == 2  # SQLite's default, FULL: every commit synced
    with instance_databases_held_open(home):
        for event in ("STEP_START", "STEP_SUCCESS"):
            _store(engine, event)
        assert _synchronous(engine) == 1  # NORMAL: a commit is written to the log, not synced
        assert synced == []
    assert synced == [f"{shard}-wal"]  # the log synced once, before the held connection's checkpoint
    assert _events(shard) == ["STEP_START", "STEP_SUCCESS"]
    assert _synchronous(engine) == 2  # connections after the block are left at the default


def test_a_run_on_a_sqlite_instance_records_its_events(tmp_path: Path) -> None:
    @dg.op
    def step(context) -> None:
        context.log.info("working")

    @dg.job
    def job() -> None:
        step()

    with dg.instance_for_test(temp_dir=str(tmp_path)) as instance:
        with instance_databases_held_open(Path(instance.root_directory)):
            result = job.execute_in_process(instance=instance)
        assert result.success
        records = instance.all_logs(result.run_id)
        assert "working" in [r.user_message for r in records]
        assert instance.get_run_by_id(result.run_id).is_success
    assert not list(tmp_path.rglob("*.db-wal"))  # every log checkpointed into its database
