"""The resolution engine's backend for a block: DuckDB's database is closed on
leaving it, and what was fetched from it stays readable."""

from __future__ import annotations

import duckdb
import polars as pl
import pytest

from resolution.engines import opened_db_api


def test_the_duckdb_database_is_closed_on_leaving_the_block_and_fetched_frames_stay_readable() -> None:
    with opened_db_api("duckdb") as db_api:
        table = db_api.register(pl.DataFrame({"k": ["a", "b", "c"], "v": [1, 2, 3]}).to_arrow(), dataset_display_name="t")
        query = f"SELECT k, v * 10 AS v FROM {table.physical_name} ORDER BY k"
        fetched = pl.from_arrow(db_api._con.sql(query).to_arrow_table())
    with pytest.raises(duckdb.ConnectionException):
        db_api._con.execute("SELECT 1")
    assert fetched.to_dicts() == [{"k": "a", "v": 10}, {"k": "b", "v": 20}, {"k": "c", "v": 30}]


def test_the_database_is_closed_when_the_block_fails() -> None:
    with pytest.raises(RuntimeError, match="boom"):
        with opened_db_api("duckdb") as db_api:
            raise RuntimeError("boom")
    with pytest.raises(duckdb.ConnectionException):
        db_api._con.execute("SELECT 1")


def test_an_unknown_engine_is_refused() -> None:
    with pytest.raises(ValueError, match="not one of"):
        with opened_db_api("sqlite"):
            pass
