"""The Parquet copy of the records table: written with the warehouse, patched
night by night, read instead of DuckDB only while it copies the live file,
compacted, and never a reason for a run to fail."""

from __future__ import annotations

import json
import shutil
import stat
from datetime import date, datetime
from pathlib import Path

import polars as pl
import pytest

from warehouse import read_table
from warehouse import records_cache as cache
from warehouse.publication import Publication
from warehouse.store import TablePatch, publish_warehouse

RECORDS = pl.DataFrame(
    {
        "record_key": [f"crm:{i}" for i in range(10)],
        "std_email": [f"person{i}@example.com" if i % 3 else None for i in range(10)],
        "std_birth_date": [date(1980, 1, 1 + i) for i in range(10)],
        "std_updated_at": [datetime(2026, 11, 1, i) for i in range(10)],
        "source_row": list(range(10)),
        "empty": [None] * 10,  # polars' Null type: DuckDB stores it as text
    }
)


def _publish(database: Path, records: pl.DataFrame | TablePatch, base: pl.DataFrame) -> None:
    """One night's publication of the records table (as `assets.publishing` does it)."""
    replace = {"records": records} if isinstance(records, pl.DataFrame) else {}
    patch = {"records": records} if isinstance(records, TablePatch) else {}

    def whole() -> pl.DataFrame:
        return base

    with Publication(database.parent) as publication:
        publication.warehouse(database, replace=replace, append={}, patch=patch)
        cache.stage_records_copy(publication, database, records, whole)
        publication.commit()
    cache.remove_unlisted_parts(database)


def _patched(base: pl.DataFrame, replaced: list[str], rows: pl.DataFrame) -> tuple[TablePatch, pl.DataFrame]:
    """A patch replacing `replaced` with `rows`, and the base it leaves (kept rows first, as the night builds it)."""
    keys = pl.Series("record_key", replaced)
    after = pl.concat([base.filter(~pl.col("record_key").is_in(keys.implode())), rows], how="vertical_relaxed")
    return TablePatch(key="record_key", keys=keys, rows=rows), after


def _arrivals(first: int, n: int, *, like: pl.DataFrame) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "record_key": [f"shop:{i}" for i in range(first, first + n)],
            "std_email": [f"new{i}@example.com" for i in range(first, first + n)],
            "std_birth_date": [date(1990, 1, 1)] * n,
            "std_updated_at": [datetime(2026, 11, 26)] * n,
            "source_row": list(range(first, first + n)),
            "empty": [None] * n,
        },
        schema=like.schema,
    )


def _manifest(database: Path) -> dict:
    return json.loads((cache.cache_directory(database) / cache.MANIFEST).read_text())


@pytest.fixture
def database(tmp_path: Path) -> Path:
    database = tmp_path / "warehouse" / "nayose.duckdb"
    _publish(database, RECORDS, RECORDS)
    return database


def test_a_published_table_is_read_from_its_copy_as_duckdb_gives_it(database: Path, monkeypatch) -> None:
    expected = read_table(database, "records")
    assert expected.schema["empty"] == pl.Utf8
    monkeypatch.setattr(cache, "read_table", lambda *a: pytest.fail("read from DuckDB although the copy is current"))
    copy = cache.read_records(database)
    assert copy.equals(expected, null_equal=True) and copy.schema == expected.schema
    parts = list(cache.cache_directory(database).glob("*.parquet"))
    assert parts and all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in parts)  # personal data: owner only


def test_nights_of_patches_give_the_table_in_its_order(database: Path, monkeypatch) -> None:
    monkeypatch.setattr(cache, "COMPACT_SHARE", 1.0)  # a tiny table: keep every patch as its own part
    base = RECORDS
    # night 2: two records re-delivered, three new; night 3: one deleted, none arriving
    patch, base = _patched(base, ["crm:2", "crm:5"], pl.concat([_arrivals(0, 3, like=RECORDS), RECORDS[[2, 5]]]))
    _publish(database, patch, base)
    patch, base = _patched(base, ["crm:7"], RECORDS.clear())
    _publish(database, patch, base)

    assert [part["n"] for part in _manifest(database)["parts"]] == [10, 5, 0]
    table = read_table(database, "records")
    assert table.equals(base.with_columns(pl.col("empty").cast(pl.Utf8)), null_equal=True)
    assert cache.read_records_copy(database).equals(table, null_equal=True)


def test_a_copy_of_another_warehouse_file_is_not_read(database: Path) -> None:
    # an appended audit row (or an erasure) writes a new file: the copy no longer names it
    publish_warehouse(database, replace={}, append={"audit_log": pl.DataFrame({"action": ["erase"]})})
    assert cache.read_records_copy(database) is None
    assert cache.read_records(database).equals(read_table(database, "records"), null_equal=True)
    # the next night cannot patch a stale copy: it writes a whole part again
    patch, base = _patched(RECORDS, ["crm:1"], RECORDS[[1]])
    _publish(database, patch, base)
    assert [part["n"] for part in _manifest(database)["parts"]] == [10]
    assert cache.read_records_copy(database) is not None


def test_a_copy_of_the_project_that_keeps_times_keeps_its_records_copy_usable(database: Path, tmp_path: Path) -> None:
    copied = tmp_path / "copied"
    shutil.copytree(database.parent, copied)  # as a backup or `cp -a` copies: times kept, new inodes
    assert cache.read_records_copy(copied / database.name).equals(read_table(database, "records"), null_equal=True)


def test_patches_past_the_compaction_share_are_folded_into_one_part(database: Path, monkeypatch) -> None:
    monkeypatch.setattr(cache, "COMPACT_SHARE", 0.3)
    base = RECORDS
    parts_per_night = []
    for night in range(3):  # two arrivals a night: 2, 4 (<= 0.3 * rows), then 6 patched rows -> compacted
        patch, base = _patched(base, [], _arrivals(10 * night, 2, like=RECORDS))
        _publish(database, patch, base)
        parts_per_night.append([part["n"] for part in _manifest(database)["parts"]])
    assert parts_per_night == [[10, 2], [10, 2, 2], [16]]
    listed = {_manifest(database)["parts"][0]["rows"], cache.MANIFEST}
    assert {p.name for p in cache.cache_directory(database).iterdir()} == listed  # earlier parts removed
    assert cache.read_records_copy(database).equals(read_table(database, "records"), null_equal=True)


def test_a_damaged_copy_falls_back_to_the_warehouse(database: Path, caplog) -> None:
    part = cache.cache_directory(database) / _manifest(database)["parts"][0]["rows"]
    part.write_bytes(b"not parquet")
    assert cache.read_records_copy(database) is None
    assert "unreadable" in caplog.text and "crm:" not in caplog.text
    (cache.cache_directory(database) / cache.MANIFEST).write_text("{")
    assert cache.read_records(database).equals(read_table(database, "records"), null_equal=True)


def test_a_copy_whose_rows_differ_from_the_table_is_not_read(database: Path) -> None:
    part = cache.cache_directory(database) / _manifest(database)["parts"][0]["rows"]
    pl.read_parquet(part).head(9).write_parquet(part)  # a row short: the count check refuses it
    assert cache.read_records_copy(database) is None


def test_removing_the_copy_removes_every_file(database: Path) -> None:
    cache.remove_records_cache(database)
    assert not cache.cache_directory(database).exists()
    cache.remove_records_cache(database)  # nothing to remove is fine
