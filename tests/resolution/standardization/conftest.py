"""Shared fixtures: run the public entry point on a few made-up records."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from resolution.standardization import StandardizedRecords, standardize_records

TODAY = date(2024, 6, 1)


@pytest.fixture
def standardize():
    """Standardize rows given as dicts (record_key/source_country defaulted;
    a row may set its own `source_country` and `source_date_order`)."""

    def run(*rows: dict[str, str | None], source_country: str | None = "JP", timezone: str = "UTC") -> StandardizedRecords:
        filled = [
            {"record_key": f"test:{index}", "source_country": source_country, **row}
            for index, row in enumerate(rows)
        ]
        columns = sorted({key for row in filled for key in row})
        frame = pl.DataFrame(
            {name: [row.get(name) for row in filled] for name in columns},
            schema={name: pl.Utf8 for name in columns},
        )
        return standardize_records(frame, today=TODAY, timezone=timezone)

    return run


def issue_codes(result: StandardizedRecords, field: str) -> list[str | None]:
    """The issue code per input row for `field` (None when the row has none)."""
    by_key = dict(
        result.issues.filter(pl.col("field") == field).select("record_key", "issue_code").iter_rows()
    )
    return [by_key.get(key) for key in result.records["record_key"]]
