"""Split a mapped frame into admitted records and quarantine rows.

Every input row ends up in exactly one place: ``admitted`` or, with disposition
``rejected``, in ``quarantine``. A record may also be admitted with some fields
cleared; each cleared field leaves a ``field_nulled`` quarantine row so the
steward sees what was lost. Quarantine rows never carry the offending value.

``current_quarantine`` carries the quarantine from night to night: a row stays
until its record is admitted or its file is delivered again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import polars as pl

from quality_checks.schemas import (
    CANONICAL_FIELDS,
    FIELD_MAX_LENGTH,
    LINEAGE_COLUMNS,
    MIN_PHONE_DIGITS,
    FrameContractError,
    MappedRecordSchema,
    failure_rows,
    identifying_field_ok,
    text_present_ok,
)

QUARANTINE_SCHEMA: dict[str, pl.DataType] = {
    "record_key": pl.Utf8(),
    "source_system": pl.Utf8(),
    "source_record_id": pl.Utf8(),
    "source_file": pl.Utf8(),
    "source_row": pl.Int64(),
    "file_hash": pl.Utf8(),
    "rule": pl.Utf8(),
    "field": pl.Utf8(),
    "reason": pl.Utf8(),
    "disposition": pl.Utf8(),
}
"""Columns of the quarantine table, in order."""

REJECTED = "rejected"
TOTAL_ROW = "not_a_total_row"
FIELD_NULLED = "field_nulled"

RULE_DESCRIPTIONS: dict[str, str] = {
    "lineage_present": "the lineage column {field} is missing (broken structure)",
    "source_record_id_present": "{id_column} is empty or missing, so the row cannot be tied to a record",
    "source_record_id_not_scientific": (
        "{id_column} holds a number a spreadsheet rewrote in scientific notation (like 1.2E+4), which drops "
        "digits and can give different customers one id; export the id column as text"
    ),
    "not_a_total_row": (
        "the row looks like a total or footer line a spreadsheet added, not a customer (a total label such as "
        "合計 or Total, or an id unlike the source's other ids on a row that names no person)"
    ),
    "name_without_digits": "{field} contains digits, which a person's name does not (a count, total or code?)",
    "no_control_characters": "{field} contains control characters",
    "max_length": "{field} is longer than {max_length} characters",
    "email_shape": "email is not a valid address",
    "phone_digits": f"phone has fewer than {MIN_PHONE_DIGITS} digits",
    "identifying_field_present": "the record has no usable name, email or phone",
    "duplicate_source_record_id": "the same source record id appears on a later row of this delivery, which was kept",
    "required_field_present": "{field} is required for this source but is missing or was cleared",
}
"""Steward-readable sentence per rule (no values); the disposition is appended."""

_DISPOSITION_SUFFIX = {
    REJECTED: "; the record was excluded",
    FIELD_NULLED: "; the field was cleared and the record kept",
}

_ROW = "__row"


@dataclass(frozen=True)
class QuarantineResult:
    """``admitted``: the mapped rows that go on (same columns as the input, every
    canonical field present, invalid field values cleared). ``quarantine``: one
    row per (input row, rule, field) with the columns of ``QUARANTINE_SCHEMA``."""

    admitted: pl.DataFrame
    quarantine: pl.DataFrame


def quarantine_records(
    mapped: pl.DataFrame,
    *,
    required_fields: Mapping[str, Sequence[str]] | None = None,
    id_columns: Mapping[str, str] | None = None,
) -> QuarantineResult:
    """Validate a mapped frame and split it into admitted and quarantined rows.

    In: ``mapped`` with the lineage columns and canonical fields of
    docs/record-contract.md (a missing canonical field is added as null Utf8, an
    all-null column of dtype Null is cast to Utf8). ``required_fields`` maps a
    ``source_system`` to canonical fields its records must have; ``id_columns``
    maps it to the export's id column, which the reason of a missing id names.

    Rejected (record excluded): broken lineage, missing or blank id (one row,
    ``source_record_id_present``: the null ``record_key`` ingestion derives from
    a missing id is not reported again as broken lineage), an id a spreadsheet
    wrote in scientific notation, a spreadsheet's total or footer line (one row,
    ``not_a_total_row``, whatever else it fails), no usable
    name/email/phone, a missing required field, an id repeated within one source
    (among the rows passing every other rule, the one with the highest
    ``source_row`` is kept). Field nulled (record kept,
    field cleared): control characters, over-long values, an email that is not
    an address, a phone without enough digits, a name with digits.

    Refuses (``FrameContractError``) a frame without the lineage columns or with
    wrong dtypes, and ``required_fields`` naming a non-canonical field.
    """
    frame = _conform(mapped, required_fields or {})
    failures = _without_keys_of_missing_ids(failure_rows(MappedRecordSchema, frame))
    total_rows = failures.filter(pl.col("rule") == TOTAL_ROW).get_column("row_index")
    failures = _only_as_total_rows(failures, total_rows)
    nulled = failures.filter(pl.col("field").is_in(CANONICAL_FIELDS).fill_null(False))
    cleaned = _clear_fields(frame, nulled)
    rejections = pl.concat(
        [
            failures.filter(
                pl.col("field").is_null() | ~pl.col("field").is_in(CANONICAL_FIELDS),
                pl.col("rule") != "identifying_field_present",
            ),
            _after_clearing_failures(cleaned, required_fields or {}).filter(~pl.col("row_index").is_in(total_rows.implode())),
        ]
    )
    # Duplicates are judged among the rows that survive the other rules, so a
    # broken later row does not take the valid earlier one down with it.
    survivors = cleaned.filter(~pl.col(_ROW).is_in(rejections.get_column("row_index").implode()))
    rejections = pl.concat([rejections, _duplicate_id_failures(survivors)])
    rejected_rows = rejections.get_column("row_index").unique()
    quarantine = _quarantine_rows(frame, pl.concat([nulled, rejections]), rejected_rows, id_columns or {})
    admitted = cleaned.filter(~pl.col(_ROW).is_in(rejected_rows.implode())).drop(_ROW)
    return QuarantineResult(admitted=admitted, quarantine=quarantine)


def current_quarantine(
    previous: pl.DataFrame,
    new: pl.DataFrame,
    *,
    admitted: pl.Series,
    delivered: pl.DataFrame,
    snapshot_sources: Sequence[str] = (),
) -> pl.DataFrame:
    """The quarantine after a night: ``previous`` (the published table) less the
    rows this night settles, plus ``new`` (this night's rows).

    A previous row leaves when its record was admitted (``record_key`` among
    ``admitted``: a corrected version arrived), when its file was delivered
    again (``delivered``, the night's files with ``source_system``,
    ``source_file`` and ``file_hash``, names the same file or the same bytes:
    the new delivery's rows, good or bad, stand in its place), or when its
    source is one of ``snapshot_sources`` and a newer snapshot arrived (the
    newest file is the whole source). Every other row stays, a row without an
    id (null ``record_key``) too: only its file, by (``file_hash``,
    ``source_row``), tells it apart, and no record can admit it. An erasure
    removes a person's rows from the published table itself.
    In and out: frames with the columns of ``QUARANTINE_SCHEMA``.
    """
    renewed = delivered.filter(pl.col("source_system").is_in(list(snapshot_sources)))["source_system"]
    kept = previous.join(
        delivered.select("source_system", "source_file").unique(),
        on=["source_system", "source_file"],
        how="anti",
        maintain_order="left",
    ).filter(
        ~pl.col("record_key").is_in(admitted.implode()).fill_null(False),
        ~pl.col("file_hash").is_in(delivered["file_hash"].implode()).fill_null(False),
        ~pl.col("source_system").is_in(renewed.implode()).fill_null(False),
    )
    return pl.concat([kept, new], how="vertical_relaxed")


def rejected_rows_by_source(quarantine: pl.DataFrame) -> pl.DataFrame:
    """Count rejected input rows per source. In: a quarantine frame. Out:
    ``source_system`` (Utf8), ``rejected_rows`` (UInt32), sorted by source."""
    return (
        quarantine.filter(pl.col("disposition") == REJECTED)
        .unique(["source_system", "source_file", "source_row", "record_key"])
        .group_by("source_system")
        .agg(pl.len().alias("rejected_rows"))
        .sort("source_system")
    )


SPREADSHEET_NOTES: dict[str, str] = {
    "source_record_id_not_scientific": (
        "{n} row(s) with an id a spreadsheet wrote in scientific notation (like 1.2E+4) quarantined: "
        "export the id column as text and deliver the file again"
    ),
    TOTAL_ROW: "{n} total or footer row(s) quarantined (not customers)",
}
"""Rules that tell of a spreadsheet's hand in an export, and the line that says so."""


def spreadsheet_notes(quarantine: pl.DataFrame) -> list[str]:
    """One line per ``SPREADSHEET_NOTES`` rule found in ``quarantine`` (a
    quarantine frame of one source), counting input rows. No values."""
    counts = dict(
        quarantine.filter(pl.col("rule").is_in(list(SPREADSHEET_NOTES)))
        .unique(["rule", "source_file", "source_row"])
        .group_by("rule")
        .agg(pl.len())
        .iter_rows()
    )
    return [note.format(n=counts[rule]) for rule, note in SPREADSHEET_NOTES.items() if rule in counts]


def _conform(mapped: pl.DataFrame, required_fields: Mapping[str, Sequence[str]]) -> pl.DataFrame:
    """Check lineage columns, add missing canonical fields, number the rows."""
    missing = [c for c in LINEAGE_COLUMNS if c not in mapped.columns]
    if missing:
        raise FrameContractError(f"mapped frame lacks lineage column(s) {missing}; ingestion must set them")
    unknown = sorted({f for fields in required_fields.values() for f in fields} - set(CANONICAL_FIELDS))
    if unknown:
        raise FrameContractError(f"required_fields names non-canonical field(s) {unknown}; use canonical field names")
    fixes = [
        pl.col(c).cast(pl.Utf8) if c in mapped.columns else pl.lit(None, dtype=pl.Utf8).alias(c)
        for c in CANONICAL_FIELDS
        if c not in mapped.columns or mapped.schema[c] == pl.Null
    ]
    return mapped.with_columns(fixes).with_row_index(_ROW).with_columns(pl.col(_ROW).cast(pl.Int64))


def _clear_fields(frame: pl.DataFrame, nulled: pl.DataFrame) -> pl.DataFrame:
    """Set each (row, field) listed in ``nulled`` to null."""
    by_field = nulled.group_by("field").agg(pl.col("row_index"))
    return frame.with_columns(
        pl.when(pl.col(_ROW).is_in(rows)).then(None).otherwise(pl.col(field)).alias(field)
        for field, rows in by_field.iter_rows()
    )


def _after_clearing_failures(cleaned: pl.DataFrame, required_fields: Mapping[str, Sequence[str]]) -> pl.DataFrame:
    """Record-level rules that must see cleared fields: an identifying field and
    each source's required fields. Out: ``row_index, field, rule``."""
    no_identifier = cleaned.filter(~identifying_field_ok(cleaned.columns)).select(
        pl.col(_ROW).alias("row_index"),
        pl.lit(None, dtype=pl.Utf8).alias("field"),
        pl.lit("identifying_field_present").alias("rule"),
    )
    missing_required = [
        cleaned.filter((pl.col("source_system") == source) & ~text_present_ok(field)).select(
            pl.col(_ROW).alias("row_index"),
            pl.lit(field).alias("field"),
            pl.lit("required_field_present").alias("rule"),
        )
        for source, fields in sorted(required_fields.items())
        for field in fields
    ]
    return pl.concat([no_identifier, *missing_required])


def _duplicate_id_failures(frame: pl.DataFrame) -> pl.DataFrame:
    """All but the last occurrence of each non-blank id within a source, in
    the frame's order. The ingestion settles a source's files first
    (`ingestion.deliveries`): an earlier file's version of a record is
    replaced there, so what repeats here repeats within one file.
    Out: ``row_index, field, rule``."""
    with_id = frame.filter(text_present_ok("source_record_id"))
    keep = (
        with_id.sort(_ROW)
        .unique(["source_system", "source_record_id"], keep="last")
        .get_column(_ROW)
    )
    return with_id.filter(~pl.col(_ROW).is_in(keep.implode())).select(
        pl.col(_ROW).alias("row_index"),
        pl.lit("source_record_id").alias("field"),
        pl.lit("duplicate_source_record_id").alias("rule"),
    )


def _without_keys_of_missing_ids(failures: pl.DataFrame) -> pl.DataFrame:
    """Failures less ``lineage_present`` on ``record_key`` where the row's id is
    missing too: ingestion derives the key from the id, so the null key is the
    missing id again, not broken structure. Out: the columns of ``failures``."""
    missing_id = failures.filter(pl.col("rule") == "source_record_id_present").get_column("row_index")
    derived = (
        (pl.col("rule") == "lineage_present")
        & (pl.col("field") == "record_key")
        & pl.col("row_index").is_in(missing_id.implode())
    )
    return failures.filter(~derived.fill_null(False))


def _only_as_total_rows(failures: pl.DataFrame, total_rows: pl.Series) -> pl.DataFrame:
    """Failures less every other rule of a row taken for a total line
    (``total_rows``: their ``row_index``): it is no record, so its name with
    digits or its odd id say nothing more. Out: the columns of ``failures``."""
    return failures.filter((pl.col("rule") == TOTAL_ROW) | ~pl.col("row_index").is_in(total_rows.implode()))


def _quarantine_rows(
    frame: pl.DataFrame, failures: pl.DataFrame, rejected_rows: pl.Series, id_columns: Mapping[str, str]
) -> pl.DataFrame:
    """Join failures to lineage and attach disposition and reason."""
    lineage = frame.select(_ROW, *LINEAGE_COLUMNS)
    rows = (
        failures.unique()
        .join(lineage, left_on="row_index", right_on=_ROW, how="left")
        .with_columns(
            pl.when(pl.col("row_index").is_in(rejected_rows.implode()))
            .then(pl.lit(REJECTED))
            .otherwise(pl.lit(FIELD_NULLED))
            .alias("disposition")
        )
    )
    reasons = pl.DataFrame(
        [
            {"source_system": s, "rule": r, "field": f, "disposition": d, "reason": _reason(r, f, d, id_columns.get(s))}
            for s, r, f, d in rows.select("source_system", "rule", "field", "disposition").unique().iter_rows()
        ],
        schema={"source_system": pl.Utf8, "rule": pl.Utf8, "field": pl.Utf8, "disposition": pl.Utf8, "reason": pl.Utf8},
    )
    return (
        rows.join(reasons, on=["source_system", "rule", "field", "disposition"], how="left", nulls_equal=True)
        .select([pl.col(c).cast(t) for c, t in QUARANTINE_SCHEMA.items()])
        .sort("source_system", "source_file", "source_row", "rule", "field", nulls_last=True)
    )


def _reason(rule: str, field: str | None, disposition: str, id_column: str | None = None) -> str:
    """The steward sentence for one (rule, field, disposition), naming the
    source's id column when known; never a value."""
    template = RULE_DESCRIPTIONS.get(rule, "{field} failed the rule " + rule)
    text = template.format(
        field=field or "the record",
        max_length=FIELD_MAX_LENGTH.get(field or "", ""),
        id_column=f"the id column '{id_column}'" if id_column else "the source record id",
    )
    return text + _DISPOSITION_SUFFIX[disposition]
