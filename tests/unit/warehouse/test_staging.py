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
        assert not path.exists() and staging.exists("base")  # kept in memory, yet it exists for the run
        assert staging.read("base").equals(frame)
        gate.release()
    assert pl.read_parquet(path).equals(frame)  # not published: written on leaving the block
    assert staging.read("base").equals(frame)


def _counted_writes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    written: list[str] = []
    real = staging_module._write_file

    def counted(target, frame):
        written.append(target.name)
        real(target, frame)

    monkeypatch.setattr(staging_module, "_write_file", counted)
    return written


def test_a_run_that_publishes_writes_no_scratch_file(tmp_path, monkeypatch):
    staging = Staging(tmp_path / "2026-11-25")
    written = _counted_writes(monkeypatch)
    with deferred_writes():
        staging.write("base", pl.DataFrame({"n": [1]}))
        staging.write("clusters", pl.DataFrame({"n": [2]}))
        assert staging.read("base")["n"].to_list() == [1]
        staging.clear()  # what publishing does
    assert written == []
    assert not staging.directory.exists()


def test_a_run_that_stops_before_publishing_leaves_every_stage_file(tmp_path, monkeypatch):
    staging = Staging(tmp_path / "2026-11-25")
    written = _counted_writes(monkeypatch)
    with pytest.raises(RuntimeError), deferred_writes():
        staging.write("base", pl.DataFrame({"n": [1]}))
        staging.write("clusters", pl.DataFrame({"n": [2]}))
        raise RuntimeError("a stage failed")
    assert sorted(written) == ["base.parquet", "clusters.parquet"]
    assert pl.read_parquet(staging.path("clusters"))["n"].to_list() == [2]


def test_a_frame_leaving_memory_is_written_and_read_back_from_its_file(tmp_path, monkeypatch):
    monkeypatch.setattr(staging_module, "_CACHE_BYTES", 100)
    staging = Staging(tmp_path / "2026-11-25")
    first, second = pl.DataFrame({"n": [1, 2, 3, 4, 5, 6, 7, 8]}), pl.DataFrame({"n": list(range(9))})
    written = _counted_writes(monkeypatch)
    with deferred_writes():
        staging.write("base", first)
        staging.write("clusters", second)  # the two do not fit: base leaves memory
        assert staging.read("base").equals(first)
        assert written == ["base.parquet"]
        staging.clear()
    assert written == ["base.parquet"]


def test_a_frame_leaving_memory_is_read_from_memory_until_its_file_lands(tmp_path, monkeypatch):
    monkeypatch.setattr(staging_module, "_CACHE_BYTES", 100)
    staging = Staging(tmp_path / "2026-11-25")
    first, second = pl.DataFrame({"n": [1, 2, 3, 4, 5, 6, 7, 8]}), pl.DataFrame({"n": list(range(9))})
    with deferred_writes():
        gate = _Gate(monkeypatch)  # the writer holds base's write: the reader must not wait for it
        staging.write("base", first)
        staging.write("clusters", second)  # base leaves memory, its write pending
        assert not staging.path("base").exists()
        assert staging.read("base").equals(first) and staging.read_column("base", "n").equals(first["n"])
        assert not staging.path("base").exists()  # read without waiting for the write
        gate.release()
        wait_for_staged_writes()
        assert staging.read("base").equals(first)  # from its file now
        staging.clear()


def test_reading_a_column_keeps_a_frame_no_longer_in_memory_than_it_was(tmp_path, monkeypatch):
    monkeypatch.setattr(staging_module, "_CACHE_BYTES", 30)  # room for two of these frames (12 bytes each), not three
    staging = Staging(tmp_path / "2026-11-25")
    frames = {name: pl.DataFrame({"record_key": [f"{name}{i}" for i in range(6)]}) for name in ("a", "b", "c")}
    written = _counted_writes(monkeypatch)
    with deferred_writes():
        staging.write("a", frames["a"])
        staging.write("b", frames["b"])
        assert staging.read_column("a", "record_key").equals(frames["a"]["record_key"])  # a peek at the oldest
        staging.write("c", frames["c"])  # the oldest leaves memory: still a, not b
        wait_for_staged_writes()
        assert written == ["a.parquet"]
        assert staging.read_column("a", "record_key").equals(frames["a"]["record_key"])  # now from its file
        staging.read("b")  # a read does mark b as used: c is now the oldest
        staging.write("d", frames["c"])
        wait_for_staged_writes()
        assert written == ["a.parquet", "c.parquet"]
        staging.clear()


def test_a_frame_too_large_to_keep_is_written_at_once(tmp_path, monkeypatch):
    monkeypatch.setattr(staging_module, "_LARGEST_CACHED", 10)
    staging = Staging(tmp_path / "2026-11-25")
    frame = pl.DataFrame({"n": list(range(100))})
    with deferred_writes():
        staging.write("base", frame)
        wait_for_staged_writes(staging.directory)
        assert pl.read_parquet(staging.path("base")).equals(frame)
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
    monkeypatch.setattr(staging_module, "_LARGEST_CACHED", 10)  # written at once, not kept in memory
    staging = Staging(tmp_path / "2026-11-25")
    with pytest.raises(OSError, match="disk full"), deferred_writes():
        gate = _Gate(monkeypatch, fail=True)
        staging.write("base", pl.DataFrame({"n": list(range(100))}))
        gate.release()
        wait_for_staged_writes(staging.directory)
    assert not staging.exists("base")
    with pytest.raises(StagingMissing):
        staging.read("base")


def test_a_table_change_replaced_while_pending_leaves_no_stale_form(tmp_path, monkeypatch):
    staging = Staging(tmp_path / "2026-11-25")
    with deferred_writes():
        gate = _Gate(monkeypatch)
        staging.write_table_change(
            "golden_lineage", TablePatch("golden_id", pl.Series(["G1"]), pl.DataFrame({"golden_id": ["G1"]}))
        )
        gate.release()
        staging.write_table_change("golden_lineage", None)
    assert not list(staging.directory.glob("golden_lineage*"))


def test_clear_waits_for_pending_writes(tmp_path, monkeypatch):
    monkeypatch.setattr(staging_module, "_LARGEST_CACHED", 10)  # written at once, not kept in memory
    staging = Staging(tmp_path / "2026-11-25")
    with deferred_writes():
        gate = _Gate(monkeypatch)
        staging.write("base", pl.DataFrame({"n": list(range(100))}))
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


# ----------------------------------------------------------------------------- results computed ahead


def _keys_and_total(frames, *, plus):
    """A computation over staged frames: the base's keys and its total plus `plus`, and the thread it ran on."""
    base = frames["base"]
    return base["record_key"].to_list(), base["n"].sum() + plus, threading.current_thread().name


def test_a_result_computed_ahead_runs_on_a_background_thread_and_is_taken_once(tmp_path, monkeypatch):
    staging = Staging(tmp_path / "2026-11-25")
    calls = []

    def counted(frames, *, plus):
        calls.append(plus)
        return _keys_and_total(frames, plus=plus)

    with deferred_writes():
        staging.write("base", pl.DataFrame({"record_key": ["a", "b"], "n": [1, 2]}))
        staging.compute_ahead("groundwork", counted, ["base"], plus=10)
        keys, total, thread = staging.computed("groundwork", counted, ["base"], plus=10)
        assert (keys, total) == (["a", "b"], 13) and thread.startswith("nayose-ahead")
        assert calls == [10]
        _, _, thread = staging.computed("groundwork", counted, ["base"], plus=10)  # taken: computed here again
        assert thread == threading.current_thread().name and calls == [10, 10]
        staging.clear()


def test_outside_deferred_writes_the_consumer_computes_the_result_itself(tmp_path):
    staging = Staging(tmp_path / "2026-11-25")
    staging.write("base", pl.DataFrame({"record_key": ["a"], "n": [1]}))
    staging.compute_ahead("groundwork", _keys_and_total, ["base"], plus=1)
    assert not staging_module._ahead
    assert staging.computed("groundwork", _keys_and_total, ["base"], plus=1) == (
        ["a"], 2, threading.current_thread().name
    )


def test_a_result_whose_input_is_staged_again_is_computed_from_the_new_frame(tmp_path):
    staging = Staging(tmp_path / "2026-11-25")
    with deferred_writes():
        staging.write("base", pl.DataFrame({"record_key": ["a"], "n": [1]}))
        staging.compute_ahead("groundwork", _keys_and_total, ["base"], plus=0)
        staging.write("base", pl.DataFrame({"record_key": ["b"], "n": [5]}))  # e.g. the stage ran again
        assert staging.computed("groundwork", _keys_and_total, ["base"], plus=0)[:2] == (["b"], 5)


def test_a_result_started_with_other_parameters_is_not_taken(tmp_path):
    staging = Staging(tmp_path / "2026-11-25")
    with deferred_writes():
        staging.write("base", pl.DataFrame({"record_key": ["a"], "n": [1]}))
        staging.compute_ahead("groundwork", _keys_and_total, ["base"], plus=0)
        assert staging.computed("groundwork", _keys_and_total, ["base"], plus=100)[1] == 101


def test_a_missing_input_starts_nothing_and_is_met_by_the_consumer(tmp_path):
    staging = Staging(tmp_path / "2026-11-25")
    with deferred_writes():
        staging.compute_ahead("groundwork", _keys_and_total, ["base"], plus=0)
        assert not staging_module._ahead
        with pytest.raises(StagingMissing, match="base.parquet is missing"):
            staging.computed("groundwork", _keys_and_total, ["base"], plus=0)


def _failing(frames, *, plus):
    raise ValueError("a rule refused its input")


def test_a_failed_computation_is_raised_where_it_is_taken(tmp_path):
    staging = Staging(tmp_path / "2026-11-25")
    with deferred_writes():
        staging.write("base", pl.DataFrame({"record_key": ["a"], "n": [1]}))
        staging.compute_ahead("groundwork", _failing, ["base"], plus=0)
        with pytest.raises(ValueError, match="refused"):
            staging.computed("groundwork", _failing, ["base"], plus=0)


def test_a_run_that_stops_waits_for_its_computation_and_logs_a_failure_never_taken(tmp_path, caplog):
    staging = Staging(tmp_path / "2026-11-25")
    release, finished = threading.Event(), threading.Event()

    def slow_failure(frames, *, plus):
        release.wait(10)
        finished.set()
        raise ValueError("a rule refused its input")

    with pytest.raises(RuntimeError, match="a stage failed"), deferred_writes():
        staging.write("base", pl.DataFrame({"record_key": ["a"], "n": [1]}))
        staging.compute_ahead("groundwork", slow_failure, ["base"], plus=0)
        threading.Timer(0.2, release.set).start()
        raise RuntimeError("a stage failed")
    assert finished.is_set()  # no thread of the run outlives it
    assert not [t for t in threading.enumerate() if t.name.startswith("nayose-ahead")]
    assert "groundwork, computed ahead and never taken, failed: ValueError" in caplog.text
    assert "refused" not in caplog.text  # the type only: a message may hold values
    assert not staging_module._ahead
