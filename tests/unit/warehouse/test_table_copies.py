"""The Parquet copies of the tables a night reads whole: written with the
warehouse, patched night by night, read instead of DuckDB only while they
copy the live file, compacted, and never a reason for a run to fail."""

from __future__ import annotations

import json
import shutil
import stat
from datetime import date, datetime
from pathlib import Path

import polars as pl
import pytest

from warehouse import read_table, store
from warehouse import table_copies as copies
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


PAIRS = pl.DataFrame(
    {"record_key_l": ["crm:1", "crm:2"], "record_key_r": ["crm:3", "crm:4"], "match_weight": [3.5, 9.0]}
)


def _publish(database: Path, records: pl.DataFrame | TablePatch, base: pl.DataFrame, **tables: pl.DataFrame) -> None:
    """One night's publication of the records table and whole `tables` (as `assets.publishing` does it)."""
    replace = {"records": records} if isinstance(records, pl.DataFrame) else {}
    patch = {"records": records} if isinstance(records, TablePatch) else {}

    def whole() -> pl.DataFrame:
        return base

    with Publication(database.parent) as publication:
        publication.warehouse(database, replace=replace | tables, append={}, patch=patch)
        copies.stage_table_copies(publication, database, {"records": records, **tables}, {"records": whole})
        publication.commit()
    copies.remove_unlisted_parts(database)


def _read(database: Path, *tables: str) -> dict[str, pl.DataFrame | None]:
    """What the copies give (None: a table not read from its copy)."""
    return {t: copies.usable_copies(database, *tables).get(t) for t in tables}


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
    return json.loads((copies.copies_directory(database) / copies.MANIFEST).read_text())


def _parts(database: Path, table: str = "records") -> list[int]:
    return [part["n"] for part in _manifest(database)["tables"][table]["parts"]]


@pytest.fixture
def database(tmp_path: Path) -> Path:
    database = tmp_path / "warehouse" / "nayose.duckdb"
    _publish(database, RECORDS, RECORDS)
    return database


def test_a_published_table_is_read_from_its_copy_as_duckdb_gives_it(database: Path, monkeypatch) -> None:
    expected = read_table(database, "records")
    assert expected.schema["empty"] == pl.Utf8
    duckdb_fetch = store.fetch_table

    def fetch_table(con, table: str):
        assert table != "records", "read from DuckDB although the copy is current"
        return duckdb_fetch(con, table)

    monkeypatch.setattr(store, "fetch_table", fetch_table)
    copy = copies.read_copied_tables(database, "records")["records"]
    assert copy.equals(expected, null_equal=True) and copy.schema == expected.schema
    parts = list(copies.copies_directory(database).glob("*.parquet"))
    assert parts and all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in parts)  # personal data: owner only


def test_nights_of_patches_give_the_table_in_its_order(database: Path, monkeypatch) -> None:
    monkeypatch.setattr(copies, "COMPACT_SHARE", 1.0)  # a tiny table: keep every patch as its own part
    base = RECORDS
    # night 2: two records re-delivered, three new; night 3: one deleted, none arriving
    patch, base = _patched(base, ["crm:2", "crm:5"], pl.concat([_arrivals(0, 3, like=RECORDS), RECORDS[[2, 5]]]))
    _publish(database, patch, base)
    patch, base = _patched(base, ["crm:7"], RECORDS.clear())
    _publish(database, patch, base)

    assert _parts(database) == [10, 5, 0]
    table = read_table(database, "records")
    assert table.equals(base.with_columns(pl.col("empty").cast(pl.Utf8)), null_equal=True)
    assert _read(database, "records")["records"].equals(table, null_equal=True)


def test_a_scan_of_the_copy_gives_the_table_and_decodes_what_a_query_keeps(database: Path, monkeypatch) -> None:
    monkeypatch.setattr(copies, "COMPACT_SHARE", 1.0)
    patch, base = _patched(RECORDS, ["crm:2", "crm:5"], pl.concat([_arrivals(0, 3, like=RECORDS), RECORDS[[2, 5]]]))
    _publish(database, patch, base)
    assert _parts(database) == [10, 5]
    table = read_table(database, "records")
    duckdb_fetch = store.fetch_table

    def fetch_table(con, name: str):
        assert name != "records", "read from DuckDB although the copy is current"
        return duckdb_fetch(con, name)

    monkeypatch.setattr(store, "fetch_table", fetch_table)
    scanned = copies.scan_copied_tables(database, "records", "match_pairs")
    assert scanned["match_pairs"] is None and isinstance(scanned["records"], pl.LazyFrame)
    assert scanned["records"].collect().equals(table, null_equal=True)  # patches applied, in the table's order
    asked = pl.col("record_key").is_in(["crm:2", "crm:7", "shop:1"])
    assert scanned["records"].filter(asked).select("record_key", "source_row").collect().equals(
        table.filter(asked).select("record_key", "source_row")
    )


def test_a_scan_without_a_usable_copy_is_of_the_table_duckdb_gives(database: Path, caplog) -> None:
    publish_warehouse(database, replace={}, append={"audit_log": pl.DataFrame({"action": ["erase"]})})  # copy stale
    scanned = copies.scan_copied_tables(database, "records")["records"]
    assert scanned.collect().equals(read_table(database, "records"), null_equal=True)
    _publish(database, RECORDS, RECORDS)  # a current copy, then damaged
    part = copies.copies_directory(database) / _manifest(database)["tables"]["records"]["parts"][0]["rows"]
    part.write_bytes(b"not parquet")
    scanned = copies.scan_copied_tables(database, "records")["records"]
    assert scanned.collect().equals(read_table(database, "records"), null_equal=True)
    assert "unreadable" in caplog.text and "crm:" not in caplog.text


def test_a_table_published_whole_every_night_is_copied_whole(database: Path) -> None:
    _publish(database, RECORDS, RECORDS, match_pairs=PAIRS)
    _publish(database, RECORDS, RECORDS, match_pairs=PAIRS.head(1))
    assert _parts(database, "match_pairs") == [1] and _parts(database) == [10]
    read = copies.read_copied_tables(database, "match_pairs", "records", "runs")
    assert read["match_pairs"].equals(read_table(database, "match_pairs"))
    assert read["runs"] is None and "match_pairs" in read.present  # tables not copied come from DuckDB, as before
    assert {p.name for p in copies.copies_directory(database).iterdir()} == {
        copies.MANIFEST,
        *(m["tables"][t]["parts"][0]["rows"] for m in [_manifest(database)] for t in ("records", "match_pairs")),
    }


def test_a_run_frame_without_the_tables_columns_is_not_copied_and_fails_nothing(database: Path) -> None:
    with Publication(database.parent) as publication:
        publication.warehouse(database, replace={"match_pairs": PAIRS}, append={}, patch={})
        copies.stage_table_copies(publication, database, {"match_pairs": PAIRS.drop("match_weight")}, {})
        publication.commit()
    assert "match_pairs" not in _manifest(database)["tables"]
    assert copies.read_copied_tables(database, "match_pairs")["match_pairs"].equals(PAIRS)


def test_a_copy_of_another_warehouse_file_is_not_read(database: Path) -> None:
    # an appended audit row (or an erasure) writes a new file: the copy no longer names it
    publish_warehouse(database, replace={}, append={"audit_log": pl.DataFrame({"action": ["erase"]})})
    assert _read(database, "records")["records"] is None
    assert copies.read_copied_tables(database, "records")["records"].equals(
        read_table(database, "records"), null_equal=True
    )
    # the next night cannot patch a stale copy: it writes a whole part again
    patch, base = _patched(RECORDS, ["crm:1"], RECORDS[[1]])
    _publish(database, patch, base)
    assert _parts(database) == [10]
    assert _read(database, "records")["records"] is not None


def test_a_copy_of_the_project_that_keeps_times_keeps_its_records_copy_usable(database: Path, tmp_path: Path) -> None:
    copied = tmp_path / "copied"
    shutil.copytree(database.parent, copied)  # as a backup or `cp -a` copies: times kept, new inodes
    assert _read(copied / database.name, "records")["records"].equals(read_table(database, "records"), null_equal=True)


def test_patches_past_the_compaction_share_are_folded_into_one_part(database: Path, monkeypatch) -> None:
    monkeypatch.setattr(copies, "COMPACT_SHARE", 0.3)
    base = RECORDS
    parts_per_night = []
    for night in range(3):  # two arrivals a night: 2, 4 (<= 0.3 * rows), then 6 patched rows -> compacted
        patch, base = _patched(base, [], _arrivals(10 * night, 2, like=RECORDS))
        _publish(database, patch, base)
        parts_per_night.append(_parts(database))
    assert parts_per_night == [[10, 2], [10, 2, 2], [16]]
    listed = {_manifest(database)["tables"]["records"]["parts"][0]["rows"], copies.MANIFEST}
    assert {p.name for p in copies.copies_directory(database).iterdir()} == listed  # earlier parts removed
    assert _read(database, "records")["records"].equals(read_table(database, "records"), null_equal=True)


def test_a_damaged_copy_falls_back_to_the_warehouse(database: Path, caplog) -> None:
    part = copies.copies_directory(database) / _manifest(database)["tables"]["records"]["parts"][0]["rows"]
    part.write_bytes(b"not parquet")
    assert _read(database, "records")["records"] is None
    assert "unreadable" in caplog.text and "crm:" not in caplog.text
    (copies.copies_directory(database) / copies.MANIFEST).write_text("{")
    caplog.clear()
    for _ in range(3):  # each stage of a run reads the copies: the damage is reported once
        assert copies.read_copied_tables(database, "records")["records"].equals(
            read_table(database, "records"), null_equal=True
        )
    assert [r.getMessage().count("unreadable (JSONDecodeError)") for r in caplog.records] == [1]


def test_a_copy_whose_rows_differ_from_the_table_is_not_read(database: Path) -> None:
    part = copies.copies_directory(database) / _manifest(database)["tables"]["records"]["parts"][0]["rows"]
    pl.read_parquet(part).head(9).write_parquet(part)  # a row short: the count check refuses it
    assert _read(database, "records")["records"] is None


def test_removing_the_copy_removes_every_file(database: Path) -> None:
    copies.remove_table_copies(database)
    assert not copies.copies_directory(database).exists()
    copies.remove_table_copies(database)  # nothing to remove is fine
