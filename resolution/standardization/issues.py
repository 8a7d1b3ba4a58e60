"""Standardization issue codes and the issue table.

Each standardizer adds issue columns named `_issue:<field>[:<part>]` holding an
issue code or null; `collect_issues` turns them into the contract's issue table
(`record_key, field, issue_code, severity`). Issue rows never carry values.
"""

from __future__ import annotations

import polars as pl

INVALID = "invalid"  # the value could not be used and became null
FLAG = "flag"  # the value was used, but is notable

# Every issue code the package emits, with its severity. Stable names: stewards
# and downstream quality checks key on them.
ISSUE_SEVERITY: dict[str, str] = {
    "birth_date_unparseable": INVALID,
    "birth_date_ambiguous": INVALID,
    "birth_date_impossible": INVALID,
    "birth_date_out_of_era": INVALID,
    "birth_date_in_future": INVALID,
    "birth_date_placeholder": INVALID,
    "birth_date_buddhist_era": INVALID,  # a BE year (2533) in a record that is not Thai: set the source's country
    "birth_date_century_inferred": FLAG,  # a two-digit year read in the century that keeps it in the past
    "updated_at_unparseable": INVALID,
    "updated_at_in_future": FLAG,
    "updated_at_buddhist_era": INVALID,  # as birth_date_buddhist_era; kept, it would win `most_recent`
    "phone_invalid": INVALID,
    "email_invalid": INVALID,
    "email_legacy_carrier": FLAG,
    "postal_code_invalid": INVALID,
    "postal_code_unknown": FLAG,
    "postal_code_placeholder": INVALID,  # `000000`, Hong Kong's `999077`: no postal code
    "postal_code_zeros_restored": FLAG,  # leading zeros a spreadsheet dropped, put back
    "postal_code_address_mismatch": FLAG,  # the address line's postal code is another
    "gender_unrecognized": INVALID,  # the value becomes null: a flag let 67% unread genders show 100% valid
    "country_unrecognized": INVALID,  # names no country: the record's country is unknown, not the source's
    "address_prefecture_not_found": FLAG,
    "address_no_street_number": FLAG,
    "name_invalid": INVALID,
    "name_symbols_removed": FLAG,  # emoji or bidi controls taken out of a name
    "name_unsplit": FLAG,
    "name_kana_invalid": INVALID,
    "name_kana_unavailable": FLAG,
    "text_mojibake_repaired": FLAG,
    "national_id_invalid": INVALID,  # not of its kind's shape (a South African ID's date or check digit)
    "national_id_my_number": INVALID,  # a Japanese My Number: never used (`national_ids`)  # UTF-8 misread as cp1252 upstream (`MÃ¼ller`): standardized as `Müller`
}

DATED_ISSUES = ("birth_date_in_future", "birth_date_century_inferred", "updated_at_in_future")
"""The issue codes that depend on the night a record is standardized (a date
after it; the century a two-digit year is read in): every other result of standardizing a record depends on its
inputs alone (and `STANDARDIZATION_VERSION`, the project's time zone)."""

ISSUE_PREFIX = "_issue:"

ISSUE_SCHEMA = {
    "record_key": pl.Utf8,
    "field": pl.Utf8,
    "issue_code": pl.Utf8,
    "severity": pl.Utf8,
}


def issue_column(field: str, part: str | None = None) -> str:
    """Name of the temporary issue column for `field` (and optional part)."""
    return f"{ISSUE_PREFIX}{field}" if part is None else f"{ISSUE_PREFIX}{field}:{part}"


def issue_when(condition: pl.Expr, code: str) -> pl.Expr:
    """`code` where `condition` holds, else null (the code must be registered)."""
    if code not in ISSUE_SEVERITY:
        raise ValueError(f"unregistered issue code {code!r}: add it to ISSUE_SEVERITY")
    return pl.when(condition).then(pl.lit(code))


def collect_issues(frame: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Split issue columns off `frame`.

    In: a frame with `record_key` and `_issue:*` columns. Out: the frame
    without them, and the long issue table (one row per non-null code).
    """
    columns = [name for name in frame.columns if name.startswith(ISSUE_PREFIX)]
    parts = [
        frame.lazy()
        .select(
            "record_key",
            pl.lit(name.removeprefix(ISSUE_PREFIX).split(":")[0]).alias("field"),
            pl.col(name).alias("issue_code"),
        )
        .filter(pl.col("issue_code").is_not_null())
        for name in columns
    ]
    severity = pl.col("issue_code").replace_strict(ISSUE_SEVERITY, return_dtype=pl.Utf8)
    if parts:
        issues = pl.concat(parts).with_columns(severity.alias("severity")).collect()
    else:
        issues = pl.DataFrame(schema=ISSUE_SCHEMA)
    return frame.drop(columns), issues.select(list(ISSUE_SCHEMA)).cast(ISSUE_SCHEMA)
