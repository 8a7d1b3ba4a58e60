"""A record re-delivered unchanged (another file, another row) is not a change."""

from __future__ import annotations

import datetime as dt

import polars as pl

from resolution.redelivery import changed_record_keys, previous_versions_apart


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
    kept, earlier = previous_versions_apart(previous.lazy(), arrived, removed)
    assert kept.equals(previous.filter(pl.col("record_key").is_in(["crm:1", "crm:3"])))  # in the base's order
    assert earlier.columns == arrived.columns and sorted(earlier["record_key"]) == ["crm:2", "crm:4"]
    assert changed_record_keys(arrived, earlier).to_list() == changed_record_keys(arrived, previous).to_list()


def test_a_parquet_base_without_tombstones_is_set_apart_too(tmp_path) -> None:
    previous = _records([(f"crm:{i}", f"{i}@x.jp", None, "day1.csv", i) for i in range(100)])
    previous.with_columns(wide=pl.lit("x" * 50)).write_parquet(tmp_path / "records.parquet")
    arrived = _records([("crm:7", "7@y.jp", None, "day2.csv", 1)])
    removed = pl.DataFrame({"record_key": []}, schema={"record_key": pl.Null})  # no tombstones: an empty frame
    kept, earlier = previous_versions_apart(pl.scan_parquet(tmp_path / "records.parquet"), arrived, removed)
    assert kept.height == 99 and "wide" in kept.columns
    assert earlier.columns == arrived.columns and earlier["std_email"].to_list() == ["7@x.jp"]
