"""A record re-delivered unchanged (another file, another row) is not a change."""

from __future__ import annotations

import datetime as dt

import polars as pl

from resolution.redelivery import changed_record_keys


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
