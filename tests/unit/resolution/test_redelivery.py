"""A record re-delivered unchanged (another file, another row) is not a change."""

from __future__ import annotations

import datetime as dt

import polars as pl

from resolution.match_keys import add_match_keys
from resolution.redelivery import (
    as_base_rows,
    carried_over,
    changed_record_keys,
    delivered_elsewhere,
    previous_versions_apart,
    standardize_arrivals,
)
from resolution.standardization import STANDARDIZED_SCHEMA, standardize_records
from resolution.standardization.issues import ISSUE_SCHEMA


def _records(rows: list[tuple[str, str | None, dt.date | None, str, int]]) -> pl.DataFrame:
    return pl.DataFrame(
        rows,
        schema={"record_key": pl.Utf8, "std_email": pl.Utf8, "std_birth_date": pl.Date, "source_file": pl.Utf8, "source_row": pl.Int64},
        orient="row",
    )


def test_only_new_and_changed_records_count() -> None:
    previous = _records([
        ("crm:1", "a@x.jp", dt.date(1980, 1, 1), "day1.csv", 1),
        ("crm:2", None, None, "day1.csv", 2),
        ("crm:3", "c@x.jp", dt.date(1990, 5, 5), "day1.csv", 3),
    ])
    arrived = _records([
        ("crm:1", "a@x.jp", dt.date(1980, 1, 1), "day2.csv", 7),  # the same, delivered elsewhere
        ("crm:2", None, None, "day2.csv", 8),  # the same, nulls and all
        ("crm:3", "c@y.jp", dt.date(1990, 5, 5), "day2.csv", 9),  # changed email
        ("crm:4", "d@x.jp", None, "day2.csv", 10),  # new
    ])
    assert changed_record_keys(arrived, previous).to_list() == ["crm:3", "crm:4"]
    # a base stored with other dtypes (dates as text) compares the same
    as_text = previous.with_columns(pl.col("std_birth_date").cast(pl.Utf8))
    assert changed_record_keys(arrived, as_text).to_list() == ["crm:3", "crm:4"]


def test_without_a_comparable_base_everything_changed() -> None:
    arrived = _records([("crm:1", "a@x.jp", None, "day2.csv", 1)])
    assert changed_record_keys(arrived, None).to_list() == ["crm:1"]
    assert changed_record_keys(arrived, arrived.drop("std_email")).to_list() == ["crm:1"]  # a column the base lacks


def test_the_previous_base_is_set_apart_from_the_earlier_versions_of_what_arrived() -> None:
    previous = _records([
        ("crm:1", "a@x.jp", dt.date(1980, 1, 1), "day1.csv", 1),
        ("crm:2", "b@x.jp", None, "day1.csv", 2),
        ("crm:3", "c@x.jp", None, "day1.csv", 3),
        ("crm:4", "d@x.jp", None, "day1.csv", 4),
    ]).with_columns(mk_email=pl.col("std_email").str.to_uppercase())  # derived: arrivals do not carry it
    arrived = _records([
        ("crm:2", "b@y.jp", None, "day2.csv", 1),  # changed
        ("crm:5", "e@x.jp", None, "day2.csv", 2),  # new
    ])
    removed = pl.DataFrame({"record_key": ["crm:4"]})
    kept, _, earlier = previous_versions_apart(previous.lazy(), arrived, removed)
    assert kept.equals(previous.filter(pl.col("record_key").is_in(["crm:1", "crm:3"])))  # in the base's order
    assert earlier.columns == arrived.columns and sorted(earlier["record_key"]) == ["crm:2", "crm:4"]
    assert changed_record_keys(arrived, earlier).to_list() == changed_record_keys(arrived, previous).to_list()


def test_a_parquet_base_without_tombstones_is_set_apart_too(tmp_path) -> None:
    previous = _records([(f"crm:{i}", f"{i}@x.jp", None, "day1.csv", i) for i in range(100)])
    previous.with_columns(wide=pl.lit("x" * 50)).write_parquet(tmp_path / "records.parquet")
    arrived = _records([("crm:7", "7@y.jp", None, "day2.csv", 1)])
    removed = pl.DataFrame({"record_key": []}, schema={"record_key": pl.Null})  # no tombstones: an empty frame
    kept, _, earlier = previous_versions_apart(pl.scan_parquet(tmp_path / "records.parquet"), arrived, removed)
    assert kept.height == 99 and "wide" in kept.columns
    assert earlier.columns == arrived.columns and earlier["std_email"].to_list() == ["7@x.jp"]


def _admitted(rows: list[tuple[str, str | None, str | None, str, int]]) -> pl.DataFrame:
    """Admitted records as ingestion hands them to standardization: raw text."""
    return pl.DataFrame(
        rows,
        schema={"record_key": pl.Utf8, "email": pl.Utf8, "birth_date": pl.Utf8, "source_file": pl.Utf8, "source_row": pl.Int64},
        orient="row",
    ).with_columns(source_country=pl.lit("JP"), family_name=pl.lit("山田"))


def test_unchanged_re_deliveries_are_carried_over_and_give_what_standardizing_gives() -> None:
    day1 = dt.date(2026, 11, 25)
    first = standardize_records(
        _admitted([
            ("crm:1", "A@x.jp", "1980-01-01", "day1.csv", 1),
            ("crm:2", "b@x.jp", "1975-05-12", "day1.csv", 2),
            ("crm:3", "c@x.jp", "2026-11-26", "day1.csv", 3),  # after day 1: refused that night, with an issue
            ("crm:4", "d@x.jp", "1990-01-01", "day1.csv", 4),
            ("crm:6", "not an address", "1970-13-01", "day1.csv", 6),  # issues that hold on any night
        ]),
        today=day1,
    )
    base = first.records.with_columns(mk_email=pl.col("std_email").str.to_uppercase())  # the base has more
    assert sorted(first.issues["record_key"].unique()) == ["crm:3", "crm:6"]
    arrived = _admitted([
        ("crm:5", "e@x.jp", "2000-02-02", "day2.csv", 1),  # new
        ("crm:2", "b@x.jp", "1975-05-12", "day2.csv", 2),  # the same, delivered elsewhere
        ("crm:3", "c@x.jp", "2026-11-26", "day2.csv", 3),  # the same, but its issue depended on the night
        ("crm:4", "d@y.jp", "1990-01-01", "day2.csv", 4),  # changed
        ("crm:1", "A@x.jp", "1980-01-01", "day2.csv", 5),  # the same
        ("crm:6", "not an address", "1970-13-01", "day2.csv", 6),  # the same, with its issues
    ])
    day2 = dt.date(2026, 11, 27)
    result, carried = standardize_arrivals(arrived, base.lazy(), first.issues, timezone="Asia/Tokyo", today=day2)
    assert sorted(carried) == ["crm:1", "crm:2", "crm:6"]
    expected = standardize_records(arrived, timezone="Asia/Tokyo", today=day2)
    assert result.records.equals(expected.records)  # columns, order, types and values
    assert result.issues.sort(pl.all()).equals(expected.issues.sort(pl.all()))
    assert result.issues.filter(pl.col("record_key") == "crm:6")["issue_code"].sort().to_list() == [
        "birth_date_impossible",
        "email_invalid",
    ]
    assert result.records.filter(pl.col("record_key") == "crm:3")["std_birth_date"].item() == dt.date(2026, 11, 26)
    assert result.records["source_file"].unique().to_list() == ["day2.csv"]  # where each was delivered tonight


def test_nothing_is_carried_over_from_a_base_lacking_an_input_column() -> None:
    arrived = _admitted([("crm:1", "a@x.jp", None, "day2.csv", 1)])
    base = standardize_records(arrived).records.drop("email")
    carried, rest = carried_over(arrived, base.lazy(), pl.Series([], dtype=pl.Utf8), list(STANDARDIZED_SCHEMA))
    assert carried.is_empty() and rest.drop("_at").equals(arrived)
    assert {*STANDARDIZED_SCHEMA} <= set(carried.columns)
    result, count = standardize_arrivals(arrived, None, pl.DataFrame(schema=ISSUE_SCHEMA), timezone="UTC")
    assert count.is_empty() and result.records.equals(standardize_records(arrived).records)


def test_every_record_carried_over_gives_the_standardized_columns_in_order() -> None:
    arrived = _admitted([("crm:1", "a@x.jp", "1980-01-01", "day1.csv", 1), ("crm:2", None, None, "day1.csv", 2)])
    arrived = arrived.with_columns(phone=pl.Series([312345678, None], dtype=pl.Int64))  # JSON numbers: made text
    base = standardize_records(arrived).records
    again = arrived.with_columns(source_file=pl.lit("day2.csv"))
    result, carried = standardize_arrivals(again, base.lazy(), pl.DataFrame(schema=ISSUE_SCHEMA), timezone="UTC")
    assert carried.len() == 2 and result.issues.is_empty()
    assert result.records.equals(standardize_records(again).records)


def test_only_the_named_sources_records_are_carried_over() -> None:
    arrived = _admitted([("crm:1", "a@x.jp", "1980-01-01", "day1.csv", 1), ("shop:1", "b@x.jp", None, "day1.csv", 2)])
    arrived = arrived.with_columns(source_system=pl.col("record_key").str.extract(r"^([a-z]+):"))
    base = standardize_records(arrived).records
    none = pl.Series([], dtype=pl.Utf8)
    carried, rest = carried_over(arrived, base.lazy(), none, list(STANDARDIZED_SCHEMA), sources=["shop"])
    assert carried["record_key"].to_list() == ["shop:1"] and rest["record_key"].to_list() == ["crm:1"]
    assert standardize_arrivals(arrived, base.lazy(), pl.DataFrame(schema=ISSUE_SCHEMA), timezone="UTC", sources=[])[1].is_empty()


def test_records_whose_delivery_alone_moved_are_told_apart() -> None:
    previous = _records([
        ("crm:1", "a@x.jp", dt.date(1980, 1, 1), "day1.csv", 1),
        ("crm:2", "b@x.jp", None, "day1.csv", 2),
        ("crm:3", None, None, "day1.csv", 3),
        ("crm:4", "d@x.jp", None, "day1.csv", 4),
    ]).with_columns(mk_email=pl.col("std_email").str.to_uppercase())
    rows = _records([
        ("crm:1", "a@x.jp", dt.date(1980, 1, 1), "day2.csv", 7),  # moved
        ("crm:2", "b@y.jp", None, "day2.csv", 8),  # changed
        ("crm:3", None, None, "day2.csv", 9),  # moved, nulls and all
        ("crm:5", "e@x.jp", None, "day2.csv", 10),  # new
    ]).with_columns(mk_email=pl.col("std_email").str.to_uppercase())
    assert sorted(delivered_elsewhere(rows, previous)) == ["crm:1", "crm:3"]
    other_keys = rows.with_columns(mk_email=pl.lit("X"))  # a derived column differs: not only the delivery
    assert delivered_elsewhere(other_keys, previous).to_list() == []
    assert delivered_elsewhere(rows, previous.drop("mk_email")).to_list() == []  # not comparable


def test_carried_records_become_their_earlier_version_moved() -> None:
    day1 = _admitted([("crm:1", "a@x.jp", "1980-01-01", "day1.csv", 1), ("crm:2", "b@x.jp", None, "day1.csv", 2)])
    previous = add_match_keys(standardize_records(day1).records)
    day2 = _admitted([
        ("crm:3", "c@x.jp", None, "day2.csv", 7),  # new
        ("crm:2", "b@y.jp", None, "day2.csv", 6),  # changed
        ("crm:1", "a@x.jp", "1980-01-01", "day2.csv", 5),  # carried over by standardization
    ])
    arrived = standardize_records(day2).records
    kept, earlier, replaced = previous_versions_apart(
        previous.lazy(), arrived, pl.DataFrame({"record_key": []}, schema={"record_key": pl.Utf8}),
        also=previous.columns, carried=pl.Series(["crm:1"]),
    )
    assert kept.is_empty() and earlier["record_key"].to_list() == ["crm:1"] and replaced["record_key"].to_list() == ["crm:2"]
    assert earlier.columns == previous.columns  # whole
    rows, moved = as_base_rows(arrived, earlier, known=None)
    assert moved.to_list() == ["crm:1"] and rows["record_key"].to_list() == ["crm:1", "crm:3", "crm:2"]
    derived = add_match_keys(arrived)  # what deriving every record again gives
    assert rows.select(derived.columns).sort("record_key").equals(derived.sort("record_key"))
    rows, moved = as_base_rows(arrived, earlier.clear(), known=None)  # nothing carried: every record derived
    assert moved.is_empty() and rows.equals(derived)
