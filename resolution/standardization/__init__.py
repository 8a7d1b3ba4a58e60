"""Standardization: raw canonical fields -> comparable `std_*` columns.

`standardize_records` adds every standardized column of the record contract
(docs/record-contract.md) and reports, per record and field, what it could not
use (`invalid`: became null) or found notable (`flag`). Issue codes are listed
in `issues.ISSUE_SEVERITY`. Nothing here downloads anything or imports Dagster.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date

import polars as pl

from resolution.standardization.addresses import standardize_address
from resolution.standardization.countries import standardize_country
from resolution.standardization.dates import (
    standardize_birth_date,
    standardize_updated_at,
)
from resolution.standardization.emails import standardize_email
from resolution.standardization.gender import standardize_gender
from resolution.standardization.issues import ISSUE_SEVERITY, collect_issues
from resolution.standardization.mojibake import with_mojibake_repaired
from resolution.standardization.names import standardize_names
from resolution.standardization.national_ids import standardize_national_id
from resolution.standardization.organisations import (
    standardize_party,
    with_organisation_names,
    with_persons,
)
from resolution.standardization.phones import standardize_phone
from resolution.standardization.postal_codes import standardize_postal_code

__all__ = [
    "ISSUE_SEVERITY",
    "STANDARDIZATION_VERSION",
    "STANDARDIZED_SCHEMA",
    "StandardizedRecords",
    "standardization_stamp",
    "why_base_is_stale",
    "standardize_records",
]

STANDARDIZATION_VERSION = "2026-11-29.47"
"""Changes whenever `standardize_records` gives other values for the same
input (a rule added or fixed). Every run records the version its base was
standardized by (`assets.partitions.base_standardization`); while that is an
earlier one, each night says that a `--full` run is due: records standardized
by the old rules may not meet new records in the same forms."""


def standardization_stamp(timezone: str) -> str:
    """What a run records its base was standardized by: `STANDARDIZATION_VERSION`
    and the project's time zone. The zone reads timestamps written with an
    offset (a birth date `1985-03-02T23:30:00-05:00` is the 3rd in Tokyo) and
    dates the issues of a date after the night: a base standardized in one
    zone is due a `--full` run once the project names another, as after an
    upgrade. `2026-11-28.18@Asia/Tokyo`."""
    return f"{STANDARDIZATION_VERSION}@{timezone}"


def why_base_is_stale(carried: str, timezone: str) -> str | None:
    """Why a base standardized as `carried` records (a run's `standardization`)
    is not of today's rules in the project's `timezone`, for the nightly
    warning; None when it is. A stamp without a zone is of a nayose before
    zones were recorded, an earlier version."""
    if carried == standardization_stamp(timezone):
        return None
    version, _, zone = carried.partition("@")
    if version == STANDARDIZATION_VERSION and zone:
        return f"in another time zone ({zone}) than the project's ({timezone})"
    return "by an earlier version of nayose"

CANONICAL_FIELDS = (
    "family_name",
    "given_name",
    "full_name",
    "family_name_kana",
    "given_name_kana",
    "full_name_kana",
    "birth_date",
    "gender",
    "email",
    "phone",
    "postal_code",
    "prefecture",
    "city",
    "address_line",
    "building",
    "country",
    "updated_at",
    "national_id",
    "national_id_type",
)

# Columns added, in this order, with their types (the record contract).
STANDARDIZED_SCHEMA: dict[str, pl.DataType] = {
    "std_family_name": pl.Utf8(),
    "std_given_name": pl.Utf8(),
    "std_full_name": pl.Utf8(),
    "std_family_kana": pl.Utf8(),
    "std_given_kana": pl.Utf8(),
    "std_full_kana": pl.Utf8(),
    "std_kana_generated": pl.Boolean(),
    "std_name_script": pl.Utf8(),
    "std_name_suffix": pl.Utf8(),
    "std_party": pl.Utf8(),
    "std_birth_date": pl.Date(),
    "std_gender": pl.Utf8(),
    "std_email": pl.Utf8(),
    "std_email_local": pl.Utf8(),
    "std_phone": pl.Utf8(),
    "std_phone_type": pl.Utf8(),
    "std_postal_code": pl.Utf8(),
    "std_postal_prefecture": pl.Utf8(),
    "std_prefecture": pl.Utf8(),
    "std_city": pl.Utf8(),
    "std_address": pl.Utf8(),
    "std_building": pl.Utf8(),
    "std_country": pl.Utf8(),
    "std_updated_at": pl.Datetime("us"),
    "std_national_id": pl.Utf8(),
    "std_national_id_type": pl.Utf8(),
}


@dataclass(frozen=True)
class StandardizedRecords:
    """`records`: the input columns plus every `std_*` column.
    `issues`: `record_key, field, issue_code, severity` (`invalid` | `flag`)."""

    records: pl.DataFrame
    issues: pl.DataFrame


def _with_canonical_fields(records: pl.DataFrame) -> pl.DataFrame:
    """Every canonical field as Utf8 (missing -> all null), plus the working
    copy used by the standardizers (input columns stay untouched)."""
    missing = [pl.lit(None, pl.Utf8).alias(name) for name in CANONICAL_FIELDS if name not in records.columns]
    frame = records.with_columns(missing)
    for name in ("source_country", *CANONICAL_FIELDS):
        if name in frame.columns and frame.schema[name] != pl.Utf8:
            frame = frame.with_columns(pl.col(name).cast(pl.Utf8, strict=False))
    if "source_country" not in frame.columns:
        frame = frame.with_columns(pl.lit(None, pl.Utf8).alias("source_country"))
    return frame


def _in_order(frame: pl.DataFrame, named: pl.DataFrame, rest: pl.DataFrame) -> pl.DataFrame:
    """`frame`'s columns, then those `standardize_names` added (`named`), then
    those the other standardizers added (`rest`): the frame one chain would
    have built. Both only add columns to `frame`."""
    return pl.concat([frame, named.drop(frame.columns), rest.drop(frame.columns)], how="horizontal")


def standardize_records(
    records: pl.DataFrame, *, today: date | None = None, timezone: str = "UTC"
) -> StandardizedRecords:
    """Add the contract's standardized columns to `records`.

    In: a frame with `record_key`, `source_country` (optional
    `source_date_order`) and any subset of the canonical fields (Utf8; missing
    ones are treated as all null). `today` bounds birth dates (default: the
    current date); `timezone` (the project's, an IANA name) is the zone of
    `std_updated_at`, to which values with an offset are converted (naive
    values are taken as already in it). Out: `StandardizedRecords`
    with the input columns unchanged (missing canonical fields added as null)
    and the issue table. Never raises on bad values: they become null with an
    `invalid` issue. Refuses only a frame without `record_key`.
    """
    if "record_key" not in records.columns:
        raise ValueError("standardize_records needs a record_key column (see docs/record-contract.md)")
    today = today or date.today()
    input_columns = list(dict.fromkeys([*records.columns, *CANONICAL_FIELDS]))
    frame = _with_canonical_fields(records)
    # before NFKC, which mangles mojibake further (`â€™` -> `â€TM`); the record keeps what was delivered
    frame, delivered = with_mojibake_repaired(frame)
    frame = standardize_country(frame)
    frame = standardize_party(frame)  # before the names: an organisation's name is not split
    # The names (pykakasi's readings in Python, about half in polars) beside the other fields, whose polars
    # work leaves the GIL to them: 1.32 s -> 1.17 s on a 1% night's 20,000 records (5 alternating runs).
    with ThreadPoolExecutor(1, thread_name_prefix="standardize-names") as names_thread:
        named = names_thread.submit(standardize_names, frame)
        rest = standardize_birth_date(frame, today, timezone)
        rest = standardize_gender(rest)
        rest = standardize_email(rest)
        rest = standardize_phone(rest)
        rest = standardize_address(rest)
        rest = standardize_postal_code(rest)  # takes the postal code an address line carried
        rest = standardize_updated_at(rest, today, timezone)
        rest = standardize_national_id(rest)
        frame = _in_order(frame, named.result(), rest)
    frame = with_persons(with_organisation_names(frame))
    frame, issues = collect_issues(frame.with_columns(delivered.values()))
    frame = frame.with_columns(pl.col(name).cast(dtype) for name, dtype in STANDARDIZED_SCHEMA.items())
    return StandardizedRecords(frame.select(*input_columns, *STANDARDIZED_SCHEMA), issues)
