"""A table changed by key (`TablePatch`): the rows holding the keys deleted and
the patch's rows inserted, on the copied file and on a fresh one alike, giving
the same table as replacing it with the whole next frame."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
import pytest

from warehouse import Staging
from warehouse.publication import Publication
from warehouse.store import (
    PatchMismatch,
    TablePatch,
    build_warehouse,
    parquet_holds_table,
    publish_warehouse,
    spliced,
    stage_patched_parquet,
    with_patch_rows,
    write_fresh_warehouse,
)

LINEAGE = pl.DataFrame(
    {
        "golden_id": ["G1", "G1", "G2", "G2", "G3", None],
        "attribute": ["email", "phone", "email", "phone", "email", "email"],
        "source_record_id": ["1", "2", "3", "3", "4", "5"],
    }
)
NEXT_ROWS = pl.DataFrame({"golden_id": ["G2", "G9"], "attribute": ["email", "email"], "source_record_id": ["7", "8"]})


@pytest.fixture
def database(tmp_path: Path) -> Path:
    database = tmp_path / "nayose.duckdb"
    publish_warehouse(database, replace={"golden_lineage": LINEAGE}, append={"runs": pl.DataFrame({"run_id": ["r1"]})})
    return database


def _table(database: Path, table: str) -> pl.DataFrame:
    con = duckdb.connect(str(database), read_only=True)
    try:
        frame = pl.from_arrow(con.sql(f'SELECT * FROM "{table}"').to_arrow_table())
    finally:
        con.close()
    return frame.sort(frame.columns, nulls_last=True)


def _expected() -> pl.DataFrame:
    # G1 and G2 replaced (G1 gone, G2 rebuilt), G9 new; G3 and the row without a golden id kept
    kept = LINEAGE.filter(~pl.col("golden_id").is_in(["G1", "G2"]) | pl.col("golden_id").is_null())
    frame = pl.concat([kept, NEXT_ROWS])
    return frame.sort(frame.columns, nulls_last=True)


def _patch() -> TablePatch:
    return TablePatch(key="golden_id", keys=pl.Series(["G1", "G2", "G2", None, "G9"]), rows=NEXT_ROWS)


def test_patch_on_the_copied_file_deletes_by_key_and_inserts(database: Path) -> None:
    built = build_warehouse(database, replace={}, append={}, patch={"golden_lineage": _patch()})
    assert _table(built, "golden_lineage").equals(_expected())
    assert _table(built, "runs").height == 1  # other tables carried over
    assert _table(database, "golden_lineage").height == LINEAGE.height  # the live file untouched


def test_patch_on_a_fresh_file_gives_the_same_table(database: Path, tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.duckdb"
    write_fresh_warehouse(database, fresh, replace={}, append={}, patch={"golden_lineage": _patch()})
    assert _table(fresh, "golden_lineage").equals(_expected())
    replaced = tmp_path / "replaced.duckdb"
    write_fresh_warehouse(database, replaced, replace={"golden_lineage": _expected()}, append={})
    assert _table(fresh, "golden_lineage").equals(_table(replaced, "golden_lineage"))


def test_fresh_file_does_not_store_the_replaced_values(database: Path, tmp_path: Path) -> None:
    marked = LINEAGE.with_columns(
        pl.when(pl.col("golden_id") == "G1")
        .then(pl.lit("secret-value-1"))
        .otherwise("source_record_id")
        .alias("source_record_id")
    )
    publish_warehouse(database, replace={"golden_lineage": marked}, append={})
    fresh = tmp_path / "fresh.duckdb"
    write_fresh_warehouse(database, fresh, replace={}, append={}, patch={"golden_lineage": _patch()})
    assert b"secret-value-1" not in fresh.read_bytes()


def test_patch_rows_are_cast_to_the_table_types(database: Path) -> None:
    rows = NEXT_ROWS.with_columns(pl.col("attribute").cast(pl.Categorical))
    built = build_warehouse(
        database, replace={}, append={}, patch={"golden_lineage": TablePatch("golden_id", pl.Series(["G2"]), rows)}
    )
    con = duckdb.connect(str(built), read_only=True)
    try:
        assert (
            dict(
                con.execute(
                    "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'golden_lineage'"
                ).fetchall()
            )["attribute"]
            == "VARCHAR"
        )
    finally:
        con.close()


def test_a_patch_needs_the_table_and_its_columns(database: Path) -> None:
    with pytest.raises(PatchMismatch, match="not in the previous warehouse"):
        build_warehouse(database, replace={}, append={}, patch={"crosswalk": _patch()})
    with pytest.raises(PatchMismatch, match="columns"):
        build_warehouse(
            database,
            replace={},
            append={},
            patch={"golden_lineage": TablePatch("golden_id", pl.Series(["G1"]), NEXT_ROWS.drop("attribute"))},
        )
    assert not list(database.parent.glob(".*.tmp"))  # nothing half-built left behind


RECORDS = pl.DataFrame(
    {
        "record_key": ["crm:1", "crm:2", "crm:3", "crm:4"],
        "email": ["a@x.jp", "b@x.jp", "c@x.jp", "d@x.jp"],
        "source_file": ["day1.csv"] * 4,
        "source_row": [1, 2, 3, 4],
    }
)


def _rowids(database: Path) -> dict[str, int]:
    with duckdb.connect(str(database), read_only=True) as con:
        return dict(con.execute("SELECT record_key, rowid FROM records").fetchall())


@pytest.mark.parametrize(
    ("updated", "in_place"),
    [
        (["crm:1", "crm:3"], True),  # only their delivery moved: set in place
        (["crm:1", "crm:9"], False),  # crm:9 is not in the table: everything replaced whole
        (None, False),
    ],
)
def test_rows_whose_delivery_alone_moved_are_updated_in_place(
    tmp_path: Path, updated: list[str] | None, in_place: bool
) -> None:
    database = tmp_path / "nayose.duckdb"
    publish_warehouse(database, replace={"records": RECORDS}, append={})
    rows = pl.DataFrame(
        {
            "record_key": ["crm:1", "crm:2", "crm:3", "crm:9"],
            "email": ["a@x.jp", "b@y.jp", "c@x.jp", "z@x.jp"],  # crm:2 changed, crm:9 new
            "source_file": ["day2.csv"] * 4,
            "source_row": [7, 8, 9, 10],
        }
    )
    patch = TablePatch(
        "record_key",
        pl.Series(["crm:1", "crm:2", "crm:3", "crm:9", "crm:4"]),  # crm:4 deleted by its source
        rows,
        updated=None if updated is None else pl.Series(updated),
        updated_columns=("source_file", "source_row"),
    )
    before = _rowids(database)
    built = build_warehouse(database, replace={}, append={}, patch={"records": patch})
    assert _table(built, "records").equals(rows.sort(rows.columns))  # the same rows either way
    after = _rowids(built)
    assert (after["crm:1"] == before["crm:1"] and after["crm:3"] == before["crm:3"]) is in_place
    fresh = tmp_path / "fresh.duckdb"  # a fresh file inserts every row of the patch
    write_fresh_warehouse(database, fresh, replace={}, append={}, patch={"records": patch})
    assert _table(fresh, "records").equals(rows.sort(rows.columns))


def test_a_row_named_updated_whose_key_is_not_replaced_is_inserted_as_the_patch_says(tmp_path: Path) -> None:
    database = tmp_path / "nayose.duckdb"
    publish_warehouse(database, replace={"records": RECORDS}, append={})
    rows = RECORDS.head(2).with_columns(source_file=pl.lit("day2.csv"))
    patch = TablePatch("record_key", pl.Series(["crm:1"]), rows, pl.Series(["crm:1", "crm:2"]), ("source_file",))
    built = _table(build_warehouse(database, replace={}, append={}, patch={"records": patch}), "records")
    assert built["record_key"].to_list() == ["crm:1", "crm:2", "crm:2", "crm:3", "crm:4"]  # crm:2 not replaced
    assert built.filter(pl.col("record_key") == "crm:1")["source_file"].to_list() == ["day2.csv"]


def test_table_parquet_comes_from_the_staged_warehouse_sorted(database: Path, tmp_path: Path) -> None:
    target = tmp_path / "golden" / "golden_lineage.parquet"
    with Publication(tmp_path) as publication:
        publication.warehouse(database, replace={}, append={}, patch={"golden_lineage": _patch()})
        publication.table_parquet(database, "golden_lineage", target, ["golden_id", "attribute"])
        assert not target.exists()  # staged, not yet in place
        publication.commit()
    written = pl.read_parquet(target)
    assert written.equals(written.sort("golden_id", "attribute", nulls_last=True))
    assert written.sort(written.columns, nulls_last=True).equals(_expected())
    assert _table(database, "golden_lineage").equals(_expected())


def test_patched_parquet_equals_the_patched_table_exported_sorted(database: Path, tmp_path: Path) -> None:
    exported, patched = tmp_path / "exported" / "lineage.parquet", tmp_path / "patched" / "lineage.parquet"
    previous = tmp_path / "previous.parquet"
    LINEAGE.sort("golden_id", "attribute", nulls_last=True).write_parquet(previous)
    assert parquet_holds_table(previous, database, "golden_lineage")
    with Publication(tmp_path) as publication:
        publication.warehouse(database, replace={}, append={}, patch={"golden_lineage": _patch()})
        publication.patched_parquet(
            previous, _patch(), patched, ["golden_id", "attribute"], otherwise=(database, "golden_lineage")
        )
        publication.table_parquet(database, "golden_lineage", exported, ["golden_id", "attribute"])
        publication.commit()
    assert pl.read_parquet(patched).equals(pl.read_parquet(exported))
    assert not parquet_holds_table(previous, database, "golden_lineage")  # the table has moved on: 4 rows, not 6


def test_only_a_sorted_file_with_the_patched_keys_alone_is_patched(tmp_path: Path) -> None:
    unsorted = tmp_path / "unsorted.parquet"
    LINEAGE.reverse().write_parquet(unsorted)
    database = tmp_path / "nayose.duckdb"
    publish_warehouse(database, replace={"golden_lineage": LINEAGE}, append={})
    assert parquet_holds_table(unsorted, database, "golden_lineage")  # the footer agrees; the patch refuses
    with pytest.raises(PatchMismatch, match="not sorted"):
        stage_patched_parquet(unsorted, _patch(), tmp_path / "out.parquet", ["golden_id", "attribute"])
    ordered = tmp_path / "ordered.parquet"
    LINEAGE.sort("golden_id", "attribute", nulls_last=True).write_parquet(ordered)
    stray = TablePatch(key="golden_id", keys=pl.Series(["G2"]), rows=NEXT_ROWS)  # G9 is not among the keys
    with pytest.raises(PatchMismatch, match="does not replace"):
        stage_patched_parquet(ordered, stray, tmp_path / "out.parquet", ["golden_id", "attribute"])
    assert not parquet_holds_table(tmp_path / "missing.parquet", tmp_path / "missing.duckdb", "golden_lineage")


def test_splicing_gives_what_a_stable_sort_of_both_sides_gives() -> None:
    previous = pl.DataFrame(
        {
            "golden_id": ["G2", "G2", "G4", "G5", "G5", "G5", "G7", None, None],
            "attribute": ["email", "phone", "email", "email", "name", "phone", "email", "email", "phone"],
            "rule": [str(i) for i in range(9)],
        }
    )
    # new keys before, between and after the previous ones; G5 replaced, G4 and G2 removed, G8 never there
    keys = pl.Series(["G1", "G2", "G4", "G5", "G5", "G6", "G8", "G9", None])
    rows = pl.DataFrame(
        {
            "golden_id": ["G1", "G5", "G5", "G6", "G9", "G9"],
            "attribute": ["email", "email", "phone", "name", "email", "phone"],
            "rule": ["a", "b", "c", "d", "e", "f"],
        }
    )
    expected = with_patch_rows(previous.lazy(), "golden_id", keys.drop_nulls(), rows.lazy()).collect()
    assert spliced(previous, "golden_id", keys, rows).equals(expected)
    assert expected["rule"].to_list() == ["a", "b", "c", "d", "6", "e", "f", "7", "8"]
    nothing = pl.Series([], dtype=pl.Utf8)
    assert spliced(previous, "golden_id", nothing, rows.clear()).equals(previous)


def _damaged(frame: pl.DataFrame, path: Path) -> Path:
    frame.write_parquet(path)
    data = bytearray(path.read_bytes())
    data[len(data) // 3 : len(data) // 3 + 500] = bytes(500)  # pages damaged, footer intact
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("previous_file", ["unsorted", "damaged"])
def test_a_file_that_cannot_be_patched_is_exported_from_the_warehouse(
    previous_file: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    ids = [f"G{i:06d}" for i in range(50_000)]
    frame = pl.DataFrame({"golden_id": ids, "attribute": ["email"] * 50_000, "source_record_id": ids})
    database = tmp_path / "nayose.duckdb"
    publish_warehouse(database, replace={"golden_lineage": frame}, append={})
    previous = tmp_path / "previous.parquet"
    if previous_file == "unsorted":
        frame.reverse().write_parquet(previous)
    else:
        _damaged(frame, previous)
    assert parquet_holds_table(previous, database, "golden_lineage")  # the footer agrees: a patch is tried
    patch = TablePatch(
        key="golden_id",
        keys=pl.Series(["G000001", "G999999"]),
        rows=pl.DataFrame({"golden_id": ["G999999"], "attribute": ["phone"], "source_record_id": ["x"]}),
    )
    target = tmp_path / "golden" / "golden_lineage.parquet"
    with Publication(tmp_path) as publication:
        publication.warehouse(database, replace={}, append={}, patch={"golden_lineage": patch})
        publication.patched_parquet(
            previous, patch, target, ["golden_id", "attribute"], otherwise=(database, "golden_lineage")
        )
        publication.commit()
    expected = pl.concat([frame.filter(pl.col("golden_id") != "G000001"), patch.rows])
    assert pl.read_parquet(target).equals(expected.sort("golden_id", "attribute"))
    assert "exported from the warehouse instead of patched" in caplog.text
    assert "G0" not in caplog.text  # the reason names no value


def test_staging_keeps_one_form_of_a_table_change(tmp_path: Path) -> None:
    staging = Staging(tmp_path / "staging")
    staging.write_table_change("golden_lineage", _patch())
    change = staging.read_table_change("golden_lineage")
    assert isinstance(change, TablePatch) and change.key == "golden_id" and change.rows.equals(NEXT_ROWS)
    assert change.updated is None and change.updated_columns == ()
    hinted = TablePatch("golden_id", pl.Series(["G2"]), NEXT_ROWS, pl.Series(["G2"]), ("source_record_id",))
    staging.write_table_change("golden_lineage", hinted)
    change = staging.read_table_change("golden_lineage")
    assert change.updated.to_list() == ["G2"] and change.updated_columns == ("source_record_id",)
    staging.write_table_change("golden_lineage", LINEAGE)  # a later attempt stages the whole table
    whole = staging.read_table_change("golden_lineage")
    assert isinstance(whole, pl.DataFrame) and whole.equals(LINEAGE)
    staging.write_table_change("golden_lineage", None)  # staged elsewhere: nothing left here
    assert staging.read_table_change("golden_lineage") is None


def test_a_failed_table_export_publishes_nothing(
    database: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from warehouse import publication as publication_module

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(publication_module, "stage_table_parquet", broken)
    before = _table(database, "golden_lineage")
    with pytest.raises(OSError, match="disk full"), Publication(tmp_path) as publication:
        publication.warehouse(database, replace={}, append={}, patch={"golden_lineage": _patch()})
        publication.table_parquet(database, "golden_lineage", tmp_path / "golden_lineage.parquet", ["golden_id"])
        publication.commit()
    assert _table(database, "golden_lineage").equals(before)
    assert not list(tmp_path.rglob(".*.tmp"))  # the staged warehouse was removed
