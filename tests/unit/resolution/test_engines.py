"""The resolution engine's backend for a block: DuckDB's database is closed on
leaving it, and what was fetched from it stays readable; the Java version
Spark needs is read from `java -version`."""

from __future__ import annotations

import duckdb
import polars as pl
import pytest

from resolution.engines import java_major_version, opened_db_api


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


def _fake_java(tmp_path, banner: str):
    """An executable that prints `banner` on stderr, as `java -version` does."""
    java = tmp_path / "java"
    java.write_text(f"#!/bin/sh\ncat >&2 <<'EOF'\n{banner}\nEOF\n")
    java.chmod(0o755)
    return java


@pytest.mark.parametrize(
    ("banner", "major"),
    [
        ('openjdk version "17.0.15" 2025-04-15\nOpenJDK Runtime Environment (build 17.0.15+6-Debian-1deb12u1)', 17),
        ('openjdk version "1.8.0_392"\nOpenJDK Runtime Environment (build 1.8.0_392-b08)', 8),
        ('java version "21" 2023-09-19 LTS', 21),
        ('openjdk version "11.0.22" 2024-01-16', 11),
        ("Error: could not find libjava.so", None),
    ],
)
def test_the_java_major_version_is_read_from_java_version(tmp_path, banner: str, major: int | None) -> None:
    assert java_major_version(_fake_java(tmp_path, banner)) == major


def test_a_java_that_cannot_run_has_no_version(tmp_path) -> None:
    assert java_major_version(tmp_path / "missing-java") is None


def test_a_spark_engine_that_cannot_start_says_what_to_install(monkeypatch) -> None:
    """Refused with nayose's reason (what to install), not an import error of Splink's."""
    from resolution import engines

    reason = "pyspark is not installed: pip install 'nayose[spark]' (or pip install pyspark)"
    monkeypatch.setattr(engines, "spark_unavailable_reason", lambda: reason)
    with pytest.raises(engines.EngineUnavailable, match=r"engine: spark in nayose.yaml, but pyspark is not installed"):
        with opened_db_api("spark"):
            pass
