"""Staging: frames handed between a run's stages, read back from memory while unchanged."""

from __future__ import annotations

import os
import threading

import polars as pl
import pytest

from warehouse import staging as staging_module
from warehouse.staging import (
    Staging,
    StagingMissing,
    deferred_writes,
    wait_for_staged_writes,
)
from warehouse.store import TablePatch


def test_a_written_frame_reads_back_equal_and_the_file_is_on_disk(tmp_path):
    staging = Staging(tmp_path / "2026-11-25")
    frame = pl.DataFrame({"record_key": ["a", "b"], "n": [1, None]})
    path = staging.write("base", frame)
    assert path.exists()
    assert staging.read("base").equals(frame)
    assert pl.read_parquet(path).equals(frame)


def test_a_file_changed_by_another_process_is_read_from_disk(tmp_path):
    staging = Staging(tmp_path / "2026-11-25")
    staging.write("base", pl.DataFrame({"n": [1]}))
    other = pl.DataFrame({"n": [2, 3]})
    path = staging.path("base")
    other.write_parquet(path)
    os.utime(path, ns=(1, 1))  # a different stamp, as another writer would leave
    assert staging.read("base").equals(other)


def test_clear_forgets_the_partition(tmp_path):
    staging = Staging(tmp_path / "2026-11-25")
    staging.write("base", pl.DataFrame({"n": [1]}))
    staging.clear()
    assert not staging.exists("base")
    with pytest.raises(StagingMissing, match="missing"):
        staging.read("base")


# ----------------------------------------------------------------------------- deferred writes


class _Gate:
    """Holds the background writer until released, so a test sees a write pending."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, fail: bool = False):
        self.event = threading.Event()
        real = staging_module._write_file

        def gated(target, frame):
            self.event.wait(10)
            if fail:
                raise OSError("disk full")
            real(target, frame)

        monkeypatch.setattr(staging_module, "_write_file", gated)

    def release(self) -> None:
        self.event.set()


def test_deferred_write_reads_back_before_the_file_lands(tmp_path, monkeypatch):
    staging = Staging(tmp_path / "2026-11-25")
    frame = pl.DataFrame({"record_key": ["a", "b"], "n": [1, None]})
    with deferred_writes():
        gate = _Gate(monkeypatch)
        path = staging.write("base", frame)
        assert not path.exists() and staging.exists("base")  # pending, yet it exists for the run
        assert staging.read("base").equals(frame)
        gate.release()
    assert pl.read_parquet(path).equals(frame)  # every write landed on leaving the block
    assert staging.read("base").equals(frame)


def test_deferred_rewrite_leaves_the_newest_frame(tmp_path, monkeypatch):
    staging = Staging(tmp_path / "2026-11-25")
    staging.write("base", pl.DataFrame({"n": [0]}))  # an earlier attempt's file
    with deferred_writes():
        gate = _Gate(monkeypatch)
        staging.write("base", pl.DataFrame({"n": [1]}))
        assert not staging.path("base").exists()  # the earlier attempt's file is gone at once
        gate.release()
        staging.write("base", pl.DataFrame({"n": [2]}))
    assert pl.read_parquet(staging.path("base"))["n"].to_list() == [2]


def test_a_failed_deferred_write_fails_the_run_where_it_is_awaited(tmp_path, monkeypatch):
    staging = Staging(tmp_path / "2026-11-25")
    with pytest.raises(OSError, match="disk full"), deferred_writes():
        gate = _Gate(monkeypatch, fail=True)
        staging.write("base", pl.DataFrame({"n": [1]}))
        gate.release()
        wait_for_staged_writes(staging.directory)
    assert not staging.exists("base")
    with pytest.raises(StagingMissing):
        staging.read("base")


def test_a_table_change_replaced_while_pending_leaves_no_stale_form(tmp_path, monkeypatch):
    staging = Staging(tmp_path / "2026-11-25")
    with deferred_writes():
        gate = _Gate(monkeypatch)
        staging.write_table_change("golden_lineage", TablePatch("golden_id", pl.Series(["G1"]), pl.DataFrame({"golden_id": ["G1"]})))
        gate.release()
        staging.write_table_change("golden_lineage", None)
    assert not list(staging.directory.glob("golden_lineage*"))


def test_clear_waits_for_pending_writes(tmp_path, monkeypatch):
    staging = Staging(tmp_path / "2026-11-25")
    with deferred_writes():
        gate = _Gate(monkeypatch)
        staging.write("base", pl.DataFrame({"n": [1]}))
        threading.Timer(0.2, gate.release).start()
        staging.clear()
        assert not staging.directory.exists()  # the late write did not bring it back


def test_a_failed_write_nobody_awaited_is_logged_on_leaving_the_block(tmp_path, monkeypatch, caplog):
    staging = Staging(tmp_path / "2026-11-25")
    with deferred_writes():
        gate = _Gate(monkeypatch, fail=True)
        staging.write("base", pl.DataFrame({"n": [1]}))
        gate.release()
    assert "base.parquet was not written: OSError" in caplog.text
    assert not staging.exists("base")
