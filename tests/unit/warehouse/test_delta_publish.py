"""Publishing by copying the live file and applying only the differences: the
result must hold exactly what a from-scratch build holds."""

from __future__ import annotations

import math
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import duckdb
import polars as pl
import pytest

from governance.rewrite import RowSelection, rewrite_warehouse
from warehouse import store
from warehouse.store import (
    build_warehouse,
    dead_share,
    publish_warehouse,
    write_fresh_warehouse,
)

GOLDEN = pl.DataFrame(
    {
        "golden_id": [f"G{i}" for i in range(1, 9)],
        "email": ["a@example.com", None, "c@example.com", None, "e@example.com", "f@example.com", None, "h@example.com"],
        "record_count": [1, 2, None, 4, 5, 6, 7, None],
        "score": [0.5, None, 1.5, float("nan"), 2.5, 3.5, 4.5, 5.5],
    }
)
CROSSWALK = pl.DataFrame({"record_key": ["crm:1", "crm:2", "pos:1"], "golden_id": ["G1", "G2", "G1"]})
RUNS = pl.DataFrame({"run_id": ["run-1"], "status": ["success"]})


@pytest.fixture
def database(tmp_path: Path) -> Path:
    database = tmp_path / "data" / "warehouse" / "nayose.duckdb"
    publish_warehouse(database, replace={"golden_records": GOLDEN, "crosswalk": CROSSWALK}, append={"runs": RUNS})
    return database


def _contents(database: Path) -> dict[str, tuple[dict, list]]:
    """Every table: its column types, and its rows in a canonical order."""
    con = duckdb.connect(str(database), read_only=True)
    try:
        tables = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()]
        out = {}
        for table in tables:
            types = {r[0]: r[1] for r in con.execute(f'DESCRIBE "{table}"').fetchall()}
            out[table] = (types, _canonical(pl.from_arrow(con.sql(f'SELECT * FROM "{table}"').to_arrow_table())))
        return out
    finally:
        con.close()


def _canonical(frame: pl.DataFrame) -> list[tuple]:
    """Rows sorted, NaN made comparable (NaN != NaN in Python)."""
    rows = [tuple("NaN" if isinstance(v, float) and math.isnan(v) else v for v in row) for row in frame.rows()]
    return sorted(rows, key=lambda row: [(v is None, str(v)) for v in row])


def _delta_equals_fresh(database: Path, replace: dict[str, pl.DataFrame], append: dict | None = None) -> Path:
    """Build by copy-and-apply and from scratch; assert both hold the same; return the former."""
    assert store._copy_worthwhile(database)
    fresh = database.with_name("fresh.duckdb")
    write_fresh_warehouse(database, fresh, replace=replace, append=append or {})
    delta = build_warehouse(database, replace=replace, append=append or {})
    assert _contents(delta) == _contents(fresh)
    return delta


def _rows_changed(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(pl.when(pl.col("golden_id") == "G3").then(pl.lit("c2@example.com")).otherwise("email").alias("email"))


def _rows_deleted(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.filter(~pl.col("golden_id").is_in(["G1", "G8"]))


def _rows_inserted(frame: pl.DataFrame) -> pl.DataFrame:
    return pl.concat([frame, pl.DataFrame({"golden_id": ["G9"], "email": ["i@example.com"], "record_count": [9], "score": [9.5]})])


def _nulls_changed(frame: pl.DataFrame) -> pl.DataFrame:
    # NULL -> value, value -> NULL, and a row that is NULL but for its key; a NULL key too
    return pl.concat(
        [
            frame.with_columns(
                pl.when(pl.col("golden_id") == "G2").then(pl.lit("b@example.com"))
                .when(pl.col("golden_id") == "G5").then(None)
                .otherwise("email").alias("email"),
                pl.when(pl.col("golden_id") == "G3").then(3).otherwise("record_count").alias("record_count"),
            ),
            pl.DataFrame({"golden_id": ["G10", None], "email": [None, None], "record_count": [None, None], "score": [None, None]},
                         schema=GOLDEN.schema),
        ]
    )


def _everything(frame: pl.DataFrame) -> pl.DataFrame:
    return _nulls_changed(_rows_inserted(_rows_deleted(_rows_changed(frame))))


@pytest.mark.parametrize(
    "change",
    [_rows_changed, _rows_deleted, _rows_inserted, _nulls_changed, _everything, lambda f: f, lambda f: f.reverse()],
    ids=["changed", "deleted", "inserted", "nulls", "all-at-once", "unchanged", "reordered"],
)
def test_delta_publish_holds_what_a_fresh_build_holds(database: Path, change: Callable[[pl.DataFrame], pl.DataFrame]):
    _delta_equals_fresh(database, {"golden_records": change(GOLDEN)}, {"runs": RUNS.with_columns(pl.lit("run-2").alias("run_id"))})


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ([1, 1, 2], [1, 2]),  # one copy of a repeated row goes
        ([1, 2], [1, 1, 1, 2]),  # copies of a row come
        ([1, 1, 2, 2], [2, 1, 1, 2]),  # same rows, other order
        ([None, None, 1], [None, 1, 1]),
    ],
)
def test_repeated_rows_keep_their_counts(tmp_path: Path, before: list, after: list):
    database = tmp_path / "nayose.duckdb"
    publish_warehouse(database, replace={"quarantine": pl.DataFrame({"record_key": before, "rule": "r"})}, append={})
    delta = _delta_equals_fresh(database, {"quarantine": pl.DataFrame({"record_key": after, "rule": "r"})})
    assert sorted(_contents(delta)["quarantine"][1], key=str) == sorted([(k, "r") for k in after], key=str)


@pytest.mark.parametrize(
    "reshaped",
    [
        GOLDEN.with_columns(pl.lit("+81").alias("phone")),  # a new column
        GOLDEN.drop("score"),
        GOLDEN.with_columns(pl.col("record_count").cast(pl.Utf8)),  # a column changes type
        GOLDEN.select(reversed(GOLDEN.columns)),  # same columns, other order
    ],
    ids=["new-column", "dropped-column", "new-type", "column-order"],
)
def test_schema_change_rewrites_the_table(database: Path, reshaped: pl.DataFrame):
    delta = _delta_equals_fresh(database, {"golden_records": reshaped})
    assert list(_contents(delta)["golden_records"][0]) == reshaped.columns


def test_new_table_and_empty_frame(database: Path):
    delta = _delta_equals_fresh(
        database,
        {"golden_records": GOLDEN.clear(), "review_queue": pl.DataFrame({"pair_id": ["p1"], "weight": [1.0]})},
        {"identity_events": pl.DataFrame({"event_type": ["merge"], "golden_id": ["G1"]})},
    )
    contents = _contents(delta)
    assert contents["golden_records"] == ({"golden_id": "VARCHAR", "email": "VARCHAR", "record_count": "BIGINT", "score": "DOUBLE"}, [])
    assert contents["review_queue"][1] == [("p1", 1.0)]


def test_unmentioned_tables_and_history_are_kept(database: Path):
    delta = build_warehouse(database, replace={"golden_records": GOLDEN.head(2)}, append={"runs": pl.DataFrame({"run_id": ["run-2"], "rows": [3]})})
    contents = _contents(delta)
    assert contents["crosswalk"] == _contents(database)["crosswalk"]
    assert contents["runs"][1] == [("run-1", "success", None), ("run-2", None, 3)]


def test_inserted_rows_follow_the_frame_order(database: Path):
    new = pl.DataFrame({"golden_id": ["G20", "G12", "G15"], "email": None, "record_count": 1, "score": 1.0}, schema=GOLDEN.schema)
    publish_warehouse(database, replace={"golden_records": pl.concat([GOLDEN.slice(2), new])}, append={})
    assert store.read_table(database, "golden_records")["golden_id"].to_list() == [f"G{i}" for i in range(3, 9)] + ["G20", "G12", "G15"]


def test_the_copy_is_used_and_is_private(database: Path, monkeypatch):
    def no_fresh_build(*args, **kwargs):
        raise AssertionError("expected a copy of the live file")

    monkeypatch.setattr(store, "write_fresh_warehouse", no_fresh_build)
    tmp = build_warehouse(database, replace={"golden_records": _rows_changed(GOLDEN)}, append={})
    assert stat.S_IMODE(tmp.stat().st_mode) == 0o600


@pytest.mark.parametrize("stage", ["_apply_difference", "_append", "_fsync"])
def test_failure_during_a_delta_publish_changes_nothing(database: Path, monkeypatch, stage: str):
    before = database.read_bytes()

    def failing(*args, **kwargs):
        raise RuntimeError("disk full (simulated)")

    monkeypatch.setattr(store, stage, failing)
    with pytest.raises(RuntimeError, match="simulated"):
        publish_warehouse(database, replace={"golden_records": _everything(GOLDEN)}, append={"runs": RUNS})

    assert database.read_bytes() == before
    assert sorted(p.name for p in database.parent.iterdir()) == ["nayose.duckdb"]


def test_dead_space_past_the_limit_means_a_fresh_file(database: Path, monkeypatch):
    big = pl.DataFrame({"record_key": [f"k{i}" for i in range(200_000)], "v": [f"value {i}" for i in range(200_000)]})
    publish_warehouse(database, replace={"records": big}, append={})
    assert dead_share(database) < 0.05
    publish_warehouse(database, replace={"records": big.head(20_000)}, append={})  # 90% of the rows deleted
    assert dead_share(database) > store.MAX_DEAD_SHARE

    fresh = []
    monkeypatch.setattr(store, "write_fresh_warehouse", lambda *a, **k: fresh.append(1) or write_fresh_warehouse(*a, **k))
    publish_warehouse(database, replace={"records": big.head(20_000)}, append={})
    assert fresh and dead_share(database) < 0.05
    assert store.read_table(database, "records").equals(big.head(20_000))


def test_a_live_file_with_an_unfinished_log_is_not_copied(database: Path):
    # a writer that died before checkpointing leaves its changes in the log only
    script = (
        "import duckdb, os, sys; con = duckdb.connect(sys.argv[1]);"
        "con.execute(\"INSERT INTO crosswalk VALUES ('web:1', 'G3')\"); os._exit(0)"
    )
    subprocess.run([sys.executable, "-c", script, str(database)], check=True)
    assert database.with_name(database.name + ".wal").exists()
    assert not store._copy_worthwhile(database)

    publish_warehouse(database, replace={"golden_records": GOLDEN}, append={})

    assert ("web:1", "G3") in store.read_table(database, "crosswalk").rows()


def test_erasure_rewrite_leaves_no_bytes_a_delta_publish_left_behind(tmp_path: Path):
    database = tmp_path / "nayose.duckdb"
    secret = "zq-unique-erased-value-7f3a9c@example.com"
    golden = pl.DataFrame({"golden_id": [f"G{i}" for i in range(3000)], "email": [f"user{i}@example.com" for i in range(3000)]})
    publish_warehouse(database, replace={"golden_records": pl.concat([golden, pl.DataFrame({"golden_id": ["G99x"], "email": [secret]})])}, append={})
    publish_warehouse(database, replace={"golden_records": golden}, append={})  # the row is deleted in the copy...
    assert secret.encode() in database.read_bytes()  # ...but its bytes stay in the file

    rewrite_warehouse(database, RowSelection(golden_ids=frozenset({"G99x"})))

    assert secret.encode() not in database.read_bytes()  # a rewrite writes a fresh file
    assert _contents(database)["golden_records"][1] == _canonical(golden)
