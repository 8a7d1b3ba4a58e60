"""Quality rules: per source and field, how many values were evaluated and how
many passed (ISO/IEC 25024-style ratios), grouped by dimension.

Rule names (``rule`` column) and what they measure:

=============================== ============ ===================================================
rule                            dimension    passed / evaluated
=============================== ============ ===================================================
value_present                   completeness records with the mapped field filled / records
value_valid                     validity     usable values / supplied values (standardization
                                             issues of severity ``invalid``, StandardizedRecord-
                                             Schema failures and fields cleared in quarantine
                                             count as failures)
record_admitted                 validity     input rows admitted / input rows (rows rejected only
                                             as duplicates are counted under uniqueness instead)
source_record_id_unique         uniqueness   rows not rejected as duplicate ids / input rows
no_duplicate_customers          uniqueness   distinct golden ids / records (needs a crosswalk)
postal_code_matches_prefecture  consistency  prefecture equal to the postal code's prefecture /
                                             records with both
birth_date_not_after_updated_at consistency  birth date <= update date / records with both
updated_within_window           timeliness   updated within ``timeliness_days`` before ``today``
                                             (not in the future) / records with an update date
postal_code_in_reference        accuracy     JP postal codes found in Japan Post data (no
                                             ``postal_code_unknown`` issue) / JP postal codes
=============================== ============ ===================================================

Field ``*`` marks a record-level rule. Rules with nothing to evaluate yield no row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import polars as pl

from quality_checks.quarantine import REJECTED
from quality_checks.schemas import (
    CANONICAL_FIELDS,
    FIELD_TO_STD,
    STD_TO_FIELD,
    StandardizedRecordSchema,
    birth_date_in_range_ok,
    failure_rows,
    text_present_ok,
)

RULE_RESULT_SCHEMA: dict[str, pl.DataType] = {
    "source_system": pl.Utf8(),
    "field": pl.Utf8(),
    "dimension": pl.Utf8(),
    "rule": pl.Utf8(),
    "passed": pl.Int64(),
    "evaluated": pl.Int64(),
}
"""Columns of a rule-results frame, in order."""

RECORD_FIELD = "*"
DEFAULT_TIMELINESS_DAYS = 730


def evaluate_rules(
    standardized: pl.DataFrame,
    issues: pl.DataFrame,
    quarantine: pl.DataFrame,
    *,
    mapped_fields: dict[str, list[str]],
    today: date,
    timeliness_days: int = DEFAULT_TIMELINESS_DAYS,
    crosswalk: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Evaluate every quality rule on one run's records.

    In: ``standardized`` — the admitted records (``record_key``,
    ``source_system``, canonical fields and/or std_* columns); ``issues`` —
    standardization issues ``record_key, field, issue_code, severity`` (``field``
    may be canonical or std_*); ``quarantine`` — from ``quarantine_records`` on
    the same delivery; ``mapped_fields`` — canonical fields each source maps;
    ``today`` — the run date (no clock is read); ``crosswalk`` — optional
    ``record_key, golden_id`` from resolution.

    Out: ``RULE_RESULT_SCHEMA`` rows sorted by source, dimension, field, rule.

    Refuses (``ValueError``) a source present in ``standardized`` or
    ``quarantine`` but absent from ``mapped_fields``, and a mapped field with
    neither its raw nor its std_* column in ``standardized``.

    The same as `evaluate_record_rules` and then, given a crosswalk,
    `with_crosswalk_rule`: a nightly run evaluates the first while records are
    still being linked, and the second once they are.
    """
    results = evaluate_record_rules(
        standardized, issues, quarantine, mapped_fields=mapped_fields, today=today, timeliness_days=timeliness_days
    )
    return results if crosswalk is None else with_crosswalk_rule(results, standardized, crosswalk)


def evaluate_record_rules(
    standardized: pl.DataFrame,
    issues: pl.DataFrame,
    quarantine: pl.DataFrame,
    *,
    mapped_fields: dict[str, list[str]],
    today: date,
    timeliness_days: int = DEFAULT_TIMELINESS_DAYS,
) -> pl.DataFrame:
    """Every rule of `evaluate_rules` but ``no_duplicate_customers``, the one
    that needs resolution's crosswalk: in, out and refusals as there."""
    _check_inputs(standardized, quarantine, mapped_fields)
    pairs = _mapped_pairs(mapped_fields)
    ratios = [
        *_consistency(standardized),
        *_timeliness(standardized, today, timeliness_days),
        *_accuracy(standardized, issues),
    ]
    # one pass over the records for every per-source count: presence (for two rules) and the ratio rules
    present, ratio_results = _per_source_counts(standardized, sorted(set(pairs.get_column("field"))), ratios)
    return _in_order(
        [
            _completeness(present, pairs),
            _validity(standardized, issues, quarantine, pairs, today, present),
            _record_admitted(standardized, quarantine),
            _source_ids_unique(standardized, quarantine),
            ratio_results,
        ]
    )


def with_crosswalk_rule(results: pl.DataFrame, standardized: pl.DataFrame, crosswalk: pl.DataFrame) -> pl.DataFrame:
    """`results` (of `evaluate_record_rules` on `standardized`) with
    ``no_duplicate_customers`` counted from `crosswalk` (``record_key,
    golden_id``, ``source_system`` optional), in the order of `evaluate_rules`."""
    return _in_order([results, _no_duplicate_customers(standardized, crosswalk)])


def _in_order(results: list[pl.DataFrame]) -> pl.DataFrame:
    """Rule results as ``RULE_RESULT_SCHEMA``, those with something evaluated,
    sorted by source, dimension, field, rule (one row per such key)."""
    return (
        pl.concat([r.select([pl.col(c).cast(t) for c, t in RULE_RESULT_SCHEMA.items()]) for r in results])
        .filter(pl.col("evaluated") > 0)
        .sort("source_system", "dimension", "field", "rule")
    )


def _check_inputs(standardized: pl.DataFrame, quarantine: pl.DataFrame, mapped_fields: dict[str, list[str]]) -> None:
    """Refuse unknown sources and unmapped-and-absent fields."""
    sources = set(standardized.get_column("source_system").unique().drop_nulls()) | set(
        quarantine.get_column("source_system").unique().drop_nulls()
    )
    unknown = sorted(sources - set(mapped_fields))
    if unknown:
        raise ValueError(
            f"sources {unknown} have records but no entry in mapped_fields; pass each source's mapped fields"
        )
    absent = sorted(
        {f for fields in mapped_fields.values() for f in fields}
        - set(standardized.columns)
        - {f for f, s in FIELD_TO_STD.items() if s in standardized.columns}
    )
    if absent:
        raise ValueError(f"mapped fields {absent} have no column (raw or std_*) in the standardized frame")


def _mapped_pairs(mapped_fields: dict[str, list[str]]) -> pl.DataFrame:
    """(source_system, field) pairs a source maps."""
    return pl.DataFrame(
        [(s, f) for s, fields in sorted(mapped_fields.items()) for f in dict.fromkeys(fields)],
        schema={"source_system": pl.Utf8, "field": pl.Utf8},
        orient="row",
    )


def _present(frame: pl.DataFrame, field: str) -> pl.Expr:
    """True where ``field`` has a value: its raw column, else its std_* column."""
    column = field if field in frame.columns else FIELD_TO_STD[field]
    return text_present_ok(column) if frame.schema[column] == pl.Utf8 else pl.col(column).is_not_null()


def _presence_wide(frame: pl.DataFrame, fields: list[str]) -> pl.DataFrame:
    """``record_key, source_system`` and one Boolean column per field: True where it has a value."""
    return frame.select("record_key", "source_system", *[_present(frame, f).alias(f) for f in fields])


def _per_source_counts(
    frame: pl.DataFrame, fields: list[str], ratios: list[RatioRule]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Per source, in one aggregation: ``source_system, field, present,
    records`` (how many records have each of `fields` filled, out of how many)
    and the `ratios`' results (``RULE_RESULT_SCHEMA``)."""
    present_schema = {"source_system": pl.Utf8, "records": pl.UInt32, "field": pl.Utf8, "present": pl.UInt32}
    if frame.height == 0:
        return pl.DataFrame(schema=present_schema), _empty_results()
    sums = [_present(frame, f).sum().alias(f"present:{f}") for f in fields]
    for i, ratio in enumerate(ratios):
        applies = ratio.applies.fill_null(False)
        sums += [
            (applies & ratio.passes.fill_null(False)).sum().alias(f"passed:{i}"),
            applies.sum().alias(f"evaluated:{i}"),
        ]
    counts = frame.group_by("source_system").agg(pl.len().alias("records"), *sums)
    present = (
        counts.select("source_system", "records", *[pl.col(f"present:{f}").alias(f) for f in fields])
        .unpivot(index=["source_system", "records"], variable_name="field", value_name="present")
        if fields
        else pl.DataFrame(schema=present_schema)
    )
    ratio_results = [
        counts.select(
            "source_system",
            field=pl.lit(ratio.field),
            dimension=pl.lit(ratio.dimension),
            rule=pl.lit(ratio.rule),
            passed=pl.col(f"passed:{i}"),
            evaluated=pl.col(f"evaluated:{i}"),
        )
        for i, ratio in enumerate(ratios)
    ]
    return present, _conformed_results(ratio_results)


def _completeness(present: pl.DataFrame, pairs: pl.DataFrame) -> pl.DataFrame:
    """``value_present`` per source and mapped field, from the mapped fields' `_present_counts`."""
    return present.join(pairs, on=["source_system", "field"], how="inner").select(
        "source_system",
        "field",
        passed="present",
        evaluated="records",
        dimension=pl.lit("completeness"),
        rule=pl.lit("value_present"),
    )


def _normalized_issues(issues: pl.DataFrame) -> pl.DataFrame:
    """Issues with ``field`` as the canonical field name."""
    return issues.with_columns(pl.col("field").replace(STD_TO_FIELD).str.strip_prefix("std_").alias("field"))


def _std_failures(standardized: pl.DataFrame, today: date) -> pl.DataFrame:
    """``record_key, field`` failing StandardizedRecordSchema (birth-date range
    judged against ``today``, not the clock)."""
    rows = failure_rows(StandardizedRecordSchema, standardized).filter(pl.col("rule") != "birth_date_in_range")
    keyed = (
        standardized.select("record_key").with_row_index("row_index").with_columns(pl.col("row_index").cast(pl.Int64))
    )
    from_schema = rows.join(keyed, on="row_index").select("record_key", pl.col("field").replace(STD_TO_FIELD))
    if "std_birth_date" in standardized.columns:
        birth = standardized.filter(~birth_date_in_range_ok(today)).select("record_key", field=pl.lit("birth_date"))
        from_schema = pl.concat([from_schema, birth])
    return from_schema


def _validity(
    standardized: pl.DataFrame,
    issues: pl.DataFrame,
    quarantine: pl.DataFrame,
    pairs: pl.DataFrame,
    today: date,
    present: pl.DataFrame,
) -> pl.DataFrame:
    """``value_valid`` per source and mapped canonical field: a value is
    evaluated when it was supplied or failed, and fails on an ``invalid`` issue
    or a schema failure. Counted from per-source presence totals (`present`:
    `_present_counts` of at least these fields) plus the (few) failing values,
    never a row per record and field."""
    valid_pairs = pairs.filter(pl.col("field").is_in(CANONICAL_FIELDS))
    fields = sorted(set(valid_pairs.get_column("field")))
    failing_values = (
        pl.concat(
            [
                _normalized_issues(issues).filter(pl.col("severity") == "invalid").select("record_key", "field"),
                _std_failures(standardized, today),
            ]
        )
        .unique()
        .filter(pl.col("field").is_in(fields))
    )
    # the failing records alone (found in one pass over the keys), with their source and each field's presence
    failing_records = _presence_wide(
        standardized.filter(pl.col("record_key").is_in(failing_values["record_key"].unique().implode())), fields
    )
    failing = failing_values.join(failing_records.select("record_key", "source_system"), on="record_key", how="inner")
    # A failing value that was not supplied (e.g. a required field left empty) is evaluated too.
    unsupplied = failing.join(
        failing_records.unpivot(index=["record_key", "source_system"], variable_name="field", value_name="present"),
        on=["record_key", "source_system", "field"],
        how="left",
    ).filter(~pl.col("present").fill_null(False))
    per_pair = ["source_system", "field"]
    values = (
        present.filter(pl.col("field").is_in(fields))
        .select(*per_pair, pl.col("present").cast(pl.Int64))
        .join(
            failing.group_by(per_pair).agg(pl.len().cast(pl.Int64).alias("failed")),
            on=per_pair,
            how="full",
            coalesce=True,
        )
        .join(unsupplied.group_by(per_pair).agg(pl.len().cast(pl.Int64).alias("unsupplied")), on=per_pair, how="left")
        .select(
            *per_pair,
            evaluated=pl.col("present").fill_null(0) + pl.col("unsupplied").fill_null(0),
            failed=pl.col("failed").fill_null(0),
        )
    )
    cleared = (
        quarantine.filter(pl.col("disposition") != REJECTED)
        .unique(["record_key", "field"])
        .group_by("source_system", "field")
        .agg(pl.len().alias("cleared"))
    )
    return (
        valid_pairs.join(values, on=["source_system", "field"], how="left")
        .join(cleared, on=["source_system", "field"], how="left")
        .with_columns(pl.col("evaluated", "failed", "cleared").fill_null(0))
        .select(
            "source_system",
            "field",
            dimension=pl.lit("validity"),
            rule=pl.lit("value_valid"),
            passed=pl.col("evaluated") - pl.col("failed"),
            evaluated=pl.col("evaluated") + pl.col("cleared"),
        )
    )


def _rejected_input_rows(quarantine: pl.DataFrame) -> pl.DataFrame:
    """One row per rejected input row: ``source_system``, ``duplicate`` (True when
    a duplicate id was among its rejection rules)."""
    return (
        quarantine.filter(pl.col("disposition") == REJECTED)
        .group_by("source_system", "source_file", "source_row", "record_key")
        .agg(duplicate=(pl.col("rule") == "duplicate_source_record_id").any())
        .select("source_system", "duplicate")
    )


def _input_row_counts(standardized: pl.DataFrame, quarantine: pl.DataFrame) -> pl.DataFrame:
    """Per source: ``admitted``, ``rejected_duplicate``, ``rejected_other``, ``input_rows``."""
    admitted = standardized.group_by("source_system").agg(pl.len().alias("admitted"))
    rejected = (
        _rejected_input_rows(quarantine)
        .group_by("source_system")
        .agg(
            pl.col("duplicate").sum().alias("rejected_duplicate"),
            (~pl.col("duplicate")).sum().alias("rejected_other"),
        )
    )
    return (
        admitted.join(rejected, on="source_system", how="full", coalesce=True)
        .with_columns(pl.col("admitted", "rejected_duplicate", "rejected_other").fill_null(0))
        .with_columns(input_rows=pl.col("admitted") + pl.col("rejected_duplicate") + pl.col("rejected_other"))
    )


def _record_admitted(standardized: pl.DataFrame, quarantine: pl.DataFrame) -> pl.DataFrame:
    """``record_admitted`` per source (field ``*``)."""
    return _input_row_counts(standardized, quarantine).select(
        "source_system",
        field=pl.lit(RECORD_FIELD),
        dimension=pl.lit("validity"),
        rule=pl.lit("record_admitted"),
        passed=pl.col("input_rows") - pl.col("rejected_other"),
        evaluated=pl.col("input_rows"),
    )


def _source_ids_unique(standardized: pl.DataFrame, quarantine: pl.DataFrame) -> pl.DataFrame:
    """``source_record_id_unique`` per source."""
    return _input_row_counts(standardized, quarantine).select(
        "source_system",
        field=pl.lit("source_record_id"),
        dimension=pl.lit("uniqueness"),
        rule=pl.lit("source_record_id_unique"),
        passed=pl.col("input_rows") - pl.col("rejected_duplicate"),
        evaluated=pl.col("input_rows"),
    )


@dataclass(frozen=True)
class RatioRule:
    """A rule counted per source: the rows where `applies` holds and, of those,
    where `passes` holds (a null counts as false in both)."""

    applies: pl.Expr
    passes: pl.Expr
    field: str
    dimension: str
    rule: str


def _empty_results() -> pl.DataFrame:
    return pl.DataFrame(schema=RULE_RESULT_SCHEMA)


def _conformed_results(results: list[pl.DataFrame]) -> pl.DataFrame:
    conformed = (r.select(list(RULE_RESULT_SCHEMA)).cast(RULE_RESULT_SCHEMA) for r in results)
    return pl.concat([_empty_results(), *conformed])


def _consistency(standardized: pl.DataFrame) -> list[RatioRule]:
    """``postal_code_matches_prefecture`` and ``birth_date_not_after_updated_at``."""
    columns = set(standardized.columns)
    rules = []
    if {"std_postal_prefecture", "std_prefecture"} <= columns:
        rules.append(
            RatioRule(
                pl.col("std_postal_prefecture").is_not_null() & pl.col("std_prefecture").is_not_null(),
                pl.col("std_postal_prefecture") == pl.col("std_prefecture"),
                field="postal_code",
                dimension="consistency",
                rule="postal_code_matches_prefecture",
            )
        )
    if {"std_birth_date", "std_updated_at"} <= columns:
        rules.append(
            RatioRule(
                pl.col("std_birth_date").is_not_null() & pl.col("std_updated_at").is_not_null(),
                pl.col("std_birth_date") <= pl.col("std_updated_at").dt.date(),
                field="birth_date",
                dimension="consistency",
                rule="birth_date_not_after_updated_at",
            )
        )
    return rules


def _timeliness(standardized: pl.DataFrame, today: date, days: int) -> list[RatioRule]:
    """``updated_within_window``: updated in [today - days, today]."""
    if "std_updated_at" not in standardized.columns:
        return []
    updated = pl.col("std_updated_at").dt.date()
    return [
        RatioRule(
            updated.is_not_null(),
            updated.is_between(today - timedelta(days=days), today),
            field="updated_at",
            dimension="timeliness",
            rule="updated_within_window",
        )
    ]


def _accuracy(standardized: pl.DataFrame, issues: pl.DataFrame) -> list[RatioRule]:
    """``postal_code_in_reference``: JP postal codes without a ``postal_code_unknown`` issue."""
    if not {"std_country", "std_postal_code"} <= set(standardized.columns):
        return []
    unknown = issues.filter(pl.col("issue_code") == "postal_code_unknown").get_column("record_key").unique()
    return [
        RatioRule(
            (pl.col("std_country") == "JP") & pl.col("std_postal_code").is_not_null(),
            ~pl.col("record_key").is_in(unknown.implode()),
            field="postal_code",
            dimension="accuracy",
            rule="postal_code_in_reference",
        )
    ]


def _same_keys(crosswalk: pl.DataFrame, standardized: pl.DataFrame) -> bool:
    """Whether both frames hold the same (record_key, source_system) rows,
    in any order: compared by row count and an order-free sum of row hashes."""
    if crosswalk.height != standardized.height:
        return False
    hashed = [
        f.select(pl.struct("record_key", "source_system").hash().sum()).item() for f in (crosswalk, standardized)
    ]
    return hashed[0] == hashed[1]


def _no_duplicate_customers(standardized: pl.DataFrame, crosswalk: pl.DataFrame) -> pl.DataFrame:
    """``no_duplicate_customers``: distinct golden ids / records, per source.
    A crosswalk with ``source_system`` holding the records' keys exactly (as
    resolution's does) is counted alone, without joining the records."""
    if "source_system" in crosswalk.columns and _same_keys(crosswalk, standardized):
        joined = crosswalk.select("source_system", "golden_id")
    else:
        joined = standardized.select("record_key", "source_system").join(
            crosswalk.select("record_key", "golden_id"), on="record_key", how="inner"
        )
    return (
        joined
        .group_by("source_system")
        .agg(passed=pl.col("golden_id").n_unique(), evaluated=pl.len())
        .with_columns(field=pl.lit(RECORD_FIELD), dimension=pl.lit("uniqueness"), rule=pl.lit("no_duplicate_customers"))
    )
