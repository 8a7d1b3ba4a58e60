import datetime as dt

import polars as pl
import pytest

from quality_checks.quarantine import QUARANTINE_SCHEMA
from quality_checks.rules import (
    RULE_RESULT_SCHEMA,
    evaluate_record_rules,
    evaluate_rules,
    with_crosswalk_rule,
)
from quality_checks.scores import (
    DIMENSION_WEIGHTS,
    LEVELS,
    SCORE_SCHEMA,
    score,
    with_run,
)

TODAY = dt.date(2026, 11, 26)
MAPPED = {"crm": ["family_name", "email", "phone", "postal_code", "birth_date", "updated_at"], "shop": ["email", "phone"]}


def _standardized(n: int = 12, broken_emails: int = 0) -> pl.DataFrame:
    """Hand-built standardized frame: ``crm`` with n records, ``shop`` with 3."""
    emails = [f"user{i}@example.jp" for i in range(n)]
    std_emails = [None if i < broken_emails else e for i, e in enumerate(emails)]
    crm = pl.DataFrame(
        {
            "record_key": [f"crm:{i}" for i in range(n)],
            "source_system": ["crm"] * n,
            "family_name": ["山田"] * n,
            "email": emails,
            "phone": ["090-1234-5678"] * n,
            "postal_code": ["100-0001"] * n,
            "birth_date": ["1980-01-02"] * n,
            "updated_at": ["2026-01-01"] * n,
            "std_family_name": ["山田"] * n,
            "std_email": std_emails,
            "std_phone": ["+819012345678"] * n,
            "std_country": ["JP"] * n,
            "std_postal_code": ["1000001"] * n,
            "std_prefecture": ["東京都"] * n,
            "std_postal_prefecture": ["東京都"] * n,
            "std_birth_date": [dt.date(1980, 1, 2)] * n,
            "std_updated_at": [dt.datetime(2026, 1, 1)] * n,
        }
    )
    shop = pl.DataFrame(
        {
            "record_key": ["shop:1", "shop:2", "shop:3"],
            "source_system": ["shop"] * 3,
            "email": ["a@example.com", "b@example.com", None],
            "phone": [None, "+14155550100", "+14155550101"],
            "std_email": ["a@example.com", "b@example.com", None],
            "std_phone": [None, "+14155550100", "+14155550101"],
            "std_country": ["US"] * 3,
        }
    )
    return pl.concat([crm, shop], how="diagonal_relaxed")


def _issues(broken_emails: int) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "record_key": [f"crm:{i}" for i in range(broken_emails)],
            "field": ["email"] * broken_emails,
            "issue_code": ["email_invalid"] * broken_emails,
            "severity": ["invalid"] * broken_emails,
        },
        schema={"record_key": pl.Utf8, "field": pl.Utf8, "issue_code": pl.Utf8, "severity": pl.Utf8},
    )


def _quarantine() -> pl.DataFrame:
    return pl.DataFrame(
        [
            {"record_key": "crm:0", "source_system": "crm", "source_record_id": "0", "source_file": "f.csv", "source_row": 1,
             "file_hash": "h", "rule": "duplicate_source_record_id", "field": "source_record_id", "reason": "r", "disposition": "rejected"},
            {"record_key": "shop:9", "source_system": "shop", "source_record_id": "9", "source_file": "s.csv", "source_row": 9,
             "file_hash": "h", "rule": "identifying_field_present", "field": None, "reason": "r", "disposition": "rejected"},
        ],
        schema=QUARANTINE_SCHEMA,
    )


def _scores(broken_emails: int = 0) -> pl.DataFrame:
    results = evaluate_rules(
        _standardized(broken_emails=broken_emails), _issues(broken_emails), _quarantine(), mapped_fields=MAPPED, today=TODAY
    )
    return score(results)


def _overall(scores: pl.DataFrame) -> float:
    return scores.filter(pl.col("level") == "overall").item(0, "score")


def test_rule_results_shape_and_counts():
    results = evaluate_rules(_standardized(), _issues(0), _quarantine(), mapped_fields=MAPPED, today=TODAY)
    assert results.schema == pl.Schema(RULE_RESULT_SCHEMA)
    by_rule = {(s, f, r): (p, e) for s, f, _, r, p, e in results.iter_rows()}
    assert by_rule[("crm", "source_record_id", "source_record_id_unique")] == (12, 13)
    assert by_rule[("shop", "*", "record_admitted")] == (3, 4)
    assert by_rule[("shop", "email", "value_present")] == (2, 3)
    assert by_rule[("crm", "postal_code", "postal_code_in_reference")] == (12, 12)
    assert set(results.get_column("dimension")) == set(DIMENSION_WEIGHTS)


def test_scores_are_reproducible():
    first, second = _scores(), _scores()
    assert first.equals(second)
    assert first.schema == pl.Schema(SCORE_SCHEMA)
    assert first.get_column("level").unique(maintain_order=True).to_list() == list(LEVELS)
    assert first.filter(pl.col("level") == "overall").item(0, "source_system") == "*"


def test_scores_drop_when_a_third_of_emails_are_broken():
    clean, broken = _scores(0), _scores(4)
    assert _overall(broken) < _overall(clean)
    rule = pl.col("level") == "rule", pl.col("source_system") == "crm", pl.col("field") == "email", pl.col("rule") == "value_valid"
    assert clean.filter(*rule).item(0, "score") == 100.0
    assert broken.filter(*rule).select("passed", "evaluated").row(0) == (8, 12)


def test_schema_failure_counts_as_invalid_and_old_updates_as_untimely():
    frame = _standardized().with_columns(
        std_phone=pl.when(pl.col("record_key") == "crm:1").then(pl.lit("0901234")).otherwise(pl.col("std_phone")),
        std_updated_at=pl.when(pl.col("record_key") == "crm:2").then(pl.lit(dt.datetime(2020, 1, 1))).otherwise(pl.col("std_updated_at")),
    )
    results = evaluate_rules(frame, _issues(0), _quarantine(), mapped_fields=MAPPED, today=TODAY)
    by_rule = {(s, f, r): (p, e) for s, f, _, r, p, e in results.iter_rows()}
    assert by_rule[("crm", "phone", "value_valid")] == (11, 12)
    assert by_rule[("crm", "updated_at", "updated_within_window")] == (11, 12)


def test_weights_renormalize_over_present_dimensions():
    results = pl.DataFrame(
        {"source_system": ["a", "a"], "field": ["email", "email"], "dimension": ["validity", "completeness"],
         "rule": ["value_valid", "value_present"], "passed": [5, 10], "evaluated": [10, 10]}
    )
    overall = _overall(score(results))
    expected = (50 * 0.30 + 100 * 0.25) / 0.55
    assert overall == pytest.approx(expected, abs=0.01)


def test_refuses_sources_without_mapped_fields():
    with pytest.raises(ValueError, match="shop"):
        evaluate_rules(_standardized(), _issues(0), _quarantine(), mapped_fields={"crm": ["email"]}, today=TODAY)


def test_with_run_prefixes_history_columns():
    rows = with_run(_scores(), run_id="r1", run_date=TODAY)
    assert rows.columns[:2] == ["run_id", "run_date"] and rows.schema["run_date"] == pl.Date


def _duplicates(crosswalk: pl.DataFrame) -> dict[str, tuple[int, int]]:
    results = evaluate_rules(
        _standardized(), _issues(0), _quarantine(), mapped_fields=MAPPED, today=TODAY, crosswalk=crosswalk
    ).filter(pl.col("rule") == "no_duplicate_customers")
    return {r["source_system"]: (r["passed"], r["evaluated"]) for r in results.iter_rows(named=True)}


def test_no_duplicate_customers_counts_distinct_golden_ids_per_source():
    keys = _standardized().select("record_key", "source_system")
    # crm:0-3 one customer, crm:4-11 one each; shop:1 is crm:0's customer, shop:2 and shop:3 one
    golden = ["G0" if i < 4 else f"G{i}" for i in range(12)] + ["G0", "G-s2", "G-s2"]
    resolved = keys.with_columns(golden_id=pl.Series(golden)).sample(fraction=1.0, shuffle=True, seed=3)
    expected = {"crm": (9, 12), "shop": (2, 3)}
    assert _duplicates(resolved) == expected  # as resolution's crosswalk: source_system beside every record
    assert _duplicates(resolved.drop("source_system")) == expected  # record_key and golden_id only: joined
    # a crosswalk holding other records than those evaluated is joined: only evaluated records count
    extra = pl.DataFrame({"record_key": ["web:1"], "source_system": ["web"], "golden_id": ["G0"]})
    assert _duplicates(pl.concat([resolved.filter(pl.col("record_key") != "shop:3"), extra])) == {"crm": (9, 12), "shop": (2, 2)}


def test_record_rules_then_the_crosswalk_rule_equal_every_rule_at_once():
    # a nightly run evaluates the record rules while linking runs, the crosswalk rule after it
    records, issues = _standardized(broken_emails=3), _issues(3)
    golden = [f"G{i // 2}" for i in range(records.height)]
    crosswalk = records.select("record_key", "source_system").with_columns(golden_id=pl.Series(golden))
    at_once = evaluate_rules(records, issues, _quarantine(), mapped_fields=MAPPED, today=TODAY, crosswalk=crosswalk)
    record_rules = evaluate_record_rules(records, issues, _quarantine(), mapped_fields=MAPPED, today=TODAY)
    assert "no_duplicate_customers" not in set(record_rules["rule"])
    assert record_rules.equals(at_once.filter(pl.col("rule") != "no_duplicate_customers"))
    assert with_crosswalk_rule(record_rules, records, crosswalk).equals(at_once)


def test_a_country_that_names_no_country_counts_against_the_country_s_validity():
    """`Frankreich` used to be unrecognized, become the source's default and
    still count as a valid country (100%); an unrecognized country is now
    unknown and invalid."""
    from resolution.standardization import standardize_records

    rows = {"record_key": ["crm:1", "crm:2", "crm:3"], "source_country": ["DE"] * 3, "country": ["Frankreich", "DE", "Atlantis"]}
    standardized = standardize_records(pl.DataFrame(rows), today=TODAY)
    records = standardized.records.with_columns(source_system=pl.lit("crm"))
    quarantine = pl.DataFrame(schema=QUARANTINE_SCHEMA)
    results = evaluate_rules(records, standardized.issues, quarantine, mapped_fields={"crm": ["country"]}, today=TODAY)
    valid = results.filter((pl.col("field") == "country") & (pl.col("rule") == "value_valid"))
    assert valid.select("passed", "evaluated").row(0) == (2, 3)
    assert records["std_country"].to_list() == ["FR", "DE", None]
