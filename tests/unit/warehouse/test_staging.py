"""Staging: frames handed between a run's stages, read back from memory while unchanged."""

from __future__ import annotations

import os

import polars as pl
import pytest

from warehouse.staging import Staging, StagingMissing


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
