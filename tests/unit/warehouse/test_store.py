"""Publishing the warehouse file: replace, append, carry over; atomic on failure."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from warehouse import store
from warehouse.store import publish_warehouse, read_table, read_tables

RUN_1 = pl.DataFrame({"run_id": ["run-1"], "status": ["success"]})
RUN_2 = pl.DataFrame({"status": ["failed"], "run_id": ["run-2"]})  # other column order: appended by name
GOLDEN_1 = pl.DataFrame({"golden_id": ["G1", "G2"], "email": ["a@example.com", None]})
GOLDEN_2 = pl.DataFrame({"golden_id": ["G1"], "email": ["b@example.com"]})
CROSSWALK = pl.DataFrame({"record_key": ["crm:1", "pos:1"], "golden_id": ["G1", "G1"]})


@pytest.fixture
def database(tmp_path: Path) -> Path:
    return tmp_path / "data" / "warehouse" / "nayose.duckdb"


def _first_run(database: Path) -> None:
    publish_warehouse(database, replace={"golden_records": GOLDEN_1, "crosswalk": CROSSWALK}, append={"runs": RUN_1})


def test_first_publish_creates_the_file_and_tables(database: Path):
    _first_run(database)

    assert database.is_file()
    assert read_table(database, "golden_records").equals(GOLDEN_1)
    assert read_table(database, "crosswalk").equals(CROSSWALK)
    assert read_table(database, "runs").equals(RUN_1)


def test_next_publish_replaces_appends_and_carries(database: Path):
    _first_run(database)

    publish_warehouse(database, replace={"golden_records": GOLDEN_2}, append={"runs": RUN_2})

    assert read_table(database, "golden_records").equals(GOLDEN_2)  # replaced
    assert read_table(database, "runs").sort("run_id").rows() == [("run-1", "success"), ("run-2", "failed")]  # appended
    assert read_table(database, "crosswalk").equals(CROSSWALK)  # carried over untouched


def test_appended_rows_may_bring_new_columns(database: Path):
    _first_run(database)

    publish_warehouse(database, replace={}, append={"runs": pl.DataFrame({"run_id": ["run-2"], "records": [120]})})

    assert read_table(database, "runs").sort("run_id").rows() == [("run-1", "success", None), ("run-2", None, 120)]


def test_replace_may_change_a_table_schema(database: Path):
    _first_run(database)
    reshaped = pl.DataFrame({"golden_id": ["G3"], "phone": ["+819012345678"], "record_count": [2]})

    publish_warehouse(database, replace={"golden_records": reshaped}, append={})

    assert read_table(database, "golden_records").equals(reshaped)


def test_all_null_column_is_stored_as_text(database: Path):
    frame = pl.DataFrame({"golden_id": ["G1"], "building": [None]})
    assert frame.schema["building"] == pl.Null

    publish_warehouse(database, replace={"golden_records": frame}, append={"identity_events": frame})

    for table in ("golden_records", "identity_events"):
        stored = read_table(database, table)
        assert stored.schema["building"] == pl.Utf8
        assert stored.rows() == [("G1", None)]


@pytest.mark.parametrize(
    ("make", "table"),
    [
        pytest.param(lambda db: None, "runs", id="no-file"),
        pytest.param(_first_run, "quarantine", id="no-table"),
    ],
)
def test_read_table_missing_is_none(database: Path, make, table):
    make(database)
    assert read_table(database, table) is None


def test_read_tables_reads_several_through_one_connection(database: Path, monkeypatch):
    assert read_tables(database, "runs").frames == {"runs": None}  # no file: no tables
    assert read_tables(database, "runs").present == frozenset()
    _first_run(database)
    opened = []
    real_connect = store.duckdb.connect
    monkeypatch.setattr(store.duckdb, "connect", lambda *a, **k: opened.append(a) or real_connect(*a, **k))

    published = read_tables(database, "golden_records", "runs", "quarantine")

    assert len(opened) == 1
    assert published["golden_records"].equals(GOLDEN_1) and published["runs"].equals(RUN_1)
    assert published["quarantine"] is None
    assert published.present == {"golden_records", "crosswalk", "runs"}  # crosswalk present, not read
    assert set(published.frames) == {"golden_records", "runs", "quarantine"}


def test_no_temporary_file_is_left_after_publishing(database: Path):
    _first_run(database)
    publish_warehouse(database, replace={"golden_records": GOLDEN_2}, append={"runs": RUN_2})
    assert sorted(p.name for p in database.parent.iterdir()) == ["nayose.duckdb"]


@pytest.mark.parametrize("fail_at_call", [1, 2, 3])
def test_failure_while_building_leaves_previous_file_byte_identical(database: Path, monkeypatch, fail_at_call):
    _first_run(database)
    before = database.read_bytes()
    real = store._storable
    calls = []

    def failing(frame: pl.DataFrame) -> pl.DataFrame:
        calls.append(frame)
        if len(calls) == fail_at_call:
            raise RuntimeError("disk full (simulated)")
        return real(frame)

    monkeypatch.setattr(store, "_storable", failing)

    with pytest.raises(RuntimeError, match="simulated"):
        publish_warehouse(
            database,
            replace={"golden_records": GOLDEN_2, "quarantine": RUN_1},
            append={"runs": RUN_2},
        )

    assert database.read_bytes() == before
    monkeypatch.undo()
    assert read_table(database, "golden_records").equals(GOLDEN_1)
    assert read_table(database, "runs").equals(RUN_1)
    assert read_table(database, "quarantine") is None


def test_failed_publish_leaves_no_temporary_copy(database: Path, monkeypatch):
    _first_run(database)

    def failing(frame: pl.DataFrame) -> pl.DataFrame:
        raise RuntimeError("disk full (simulated)")

    monkeypatch.setattr(store, "_storable", failing)
    with pytest.raises(RuntimeError):
        publish_warehouse(database, replace={"golden_records": GOLDEN_2}, append={})

    assert sorted(p.name for p in database.parent.iterdir()) == ["nayose.duckdb"]


def test_failure_before_swap_leaves_previous_file_byte_identical(database: Path, monkeypatch):
    _first_run(database)
    before = database.read_bytes()

    def failing_fsync(path: Path) -> None:
        raise OSError("fsync failed (simulated)")

    monkeypatch.setattr(store, "_fsync", failing_fsync)
    with pytest.raises(OSError, match="simulated"):
        publish_warehouse(database, replace={"golden_records": GOLDEN_2}, append={"runs": RUN_2})

    assert database.read_bytes() == before


def test_path_with_apostrophe(tmp_path: Path):
    database = tmp_path / "o'brien" / "nayose.duckdb"
    _first_run(database)
    publish_warehouse(database, replace={"golden_records": GOLDEN_2}, append={"runs": RUN_2})
    assert read_table(database, "crosswalk").equals(CROSSWALK)


def test_parquet_outputs_are_zstd_with_statistics(tmp_path: Path):
    import pyarrow.parquet as pq

    frame = pl.DataFrame({"golden_id": [f"G{i:05d}" for i in range(1000)], "n": list(range(1000))})
    staged = store.stage_parquet(frame, tmp_path / "out.parquet")
    column = pq.read_metadata(staged).row_group(0).column(0)
    assert column.compression == "ZSTD"
    assert (column.statistics.min, column.statistics.max) == ("G00000", "G00999")
    with open(tmp_path / "direct.parquet", "wb") as fh:
        store.write_output_parquet(frame, fh)
    assert pl.read_parquet(tmp_path / "direct.parquet").equals(frame)
