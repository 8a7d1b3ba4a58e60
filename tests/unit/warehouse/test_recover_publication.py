"""A run killed while writing leaves temporary files that may hold personal data: the next run deletes them."""

from __future__ import annotations

from pathlib import Path

from warehouse.publication import recover_publication


def test_temporary_files_and_a_temporary_warehouse_log_of_a_killed_run_are_deleted(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "warehouse").mkdir(parents=True)
    (data / "golden").mkdir()
    stray = [
        data / "warehouse" / ".nayose.duckdb.6318.tmp",
        data / "warehouse" / ".nayose.duckdb.6318.tmp.wal",  # DuckDB's log of the temporary warehouse
        data / "golden" / ".golden_records.parquet.6318.tmp",
    ]
    kept = [data / "warehouse" / "nayose.duckdb", data / "golden" / "golden_records.parquet"]
    for path in (*stray, *kept):
        path.write_bytes(b"x")

    done = recover_publication(data)

    assert done == "removed 3 temporary file(s) of an interrupted run"
    assert not any(path.exists() for path in stray)
    assert all(path.exists() for path in kept)
