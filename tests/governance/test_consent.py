from __future__ import annotations

from datetime import datetime

import polars as pl
import pytest

from governance.consent import consent_value, merge_consent


@pytest.mark.parametrize(
    "text, expected",
    [("true", True), ("YES", True), ("1", True), ("希望する", True), ("同意する", True), ("ｙｅｓ", True),
     ("false", False), ("no", False), ("0", False), ("希望しない", False), ("同意しない", False), ("配信停止", False),
     ("1.0", True), ("0.0", False),  # a flag column of floats
     ("ja", True), ("Nein", False), ("oui", True), ("non", False), ("Sí", True), ("não", False),  # European exports
     ("Opted in", True), ("declined", False),
     ("maybe", None), ("", None), (None, None), ("2.0", None)],
)
def test_consent_text_is_normalized(text, expected) -> None:
    assert consent_value(text) is expected


def _records(rows: list[tuple]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """rows: (record_key, golden_id, consent text, consent time text or None, std_updated_at or None)."""
    records = pl.DataFrame(
        {
            "record_key": [r[0] for r in rows],
            "source_system": [r[0].split(":")[0] for r in rows],
            "source_record_id": [r[0].split(":")[1] for r in rows],
            "consent_marketing_email": [r[2] for r in rows],
            "consent_marketing_email_at": [r[3] for r in rows],
            "std_updated_at": pl.Series([r[4] for r in rows], dtype=pl.Datetime("us")),
        },
        schema_overrides={"consent_marketing_email_at": pl.Utf8},
    )
    crosswalk = pl.DataFrame({"record_key": [r[0] for r in rows], "golden_id": [r[1] for r in rows]})
    return records, crosswalk


def _decision(rows: list[tuple]) -> dict:
    records, crosswalk = _records(rows)
    merged = merge_consent(records, crosswalk, ["marketing_email", "analytics"])
    return merged.filter(pl.col("golden_id") == "G1").row(0, named=True)


def test_most_recent_decision_wins_with_its_source() -> None:
    got = _decision([("crm:1", "G1", "no", "2025-01-01", None), ("shop:9", "G1", "yes", "2026-02-01 10:00", None)])
    assert got["consent_marketing_email"] is True
    assert got["consent_marketing_email_source"] == "shop:9"
    assert got["consent_marketing_email_at"] == datetime(2026, 2, 1, 10, 0)
    assert got["consent_analytics"] is None  # no source says anything about analytics


def test_withdrawal_is_not_overridden_by_an_older_opt_in() -> None:
    got = _decision([("crm:1", "G1", "同意しない", "2026-03-01", None), ("shop:9", "G1", "希望する", "2026-01-01", None)])
    assert got["consent_marketing_email"] is False and got["consent_marketing_email_source"] == "crm:1"


def test_tie_goes_to_the_withdrawal() -> None:
    got = _decision([("crm:1", "G1", "yes", "2026-03-01", None), ("shop:9", "G1", "no", "2026-03-01", None)])
    assert got["consent_marketing_email"] is False


def test_undated_opt_in_never_beats_a_dated_withdrawal_and_undated_withdrawal_wins() -> None:
    assert _decision([("crm:1", "G1", "no", "2020-01-01", None), ("shop:9", "G1", "yes", None, None)])["consent_marketing_email"] is False
    assert _decision([("crm:1", "G1", "no", None, None), ("shop:9", "G1", "yes", "2026-01-01", None)])["consent_marketing_email"] is False


def test_updated_at_stands_in_for_a_missing_consent_time() -> None:
    got = _decision([("crm:1", "G1", "no", None, datetime(2025, 1, 1)), ("shop:9", "G1", "yes", None, datetime(2026, 1, 1))])
    assert got["consent_marketing_email"] is True and got["consent_marketing_email_source"] == "shop:9"


def test_every_golden_id_gets_a_row_and_unreadable_text_is_no_decision() -> None:
    records, crosswalk = _records([("crm:1", "G1", "perhaps", None, None), ("crm:2", "G2", "yes", None, None)])
    merged = merge_consent(records, crosswalk, ["marketing_email"]).sort("golden_id")
    assert merged["golden_id"].to_list() == ["G1", "G2"]
    assert merged["consent_marketing_email"].to_list() == [None, True]


def test_consent_times_are_read_like_updated_at_in_the_project_zone() -> None:
    # 08:00 JST with an offset is later than a naive 07:00 (JST) updated_at;
    # a German source's 02.05.2024 is the 2nd of May
    records, crosswalk = _records([
        ("crm:1", "G1", "yes", "2024-05-01T08:00:00+09:00", None),
        ("shop:9", "G1", "no", None, datetime(2024, 5, 1, 7, 0)),
        ("kunden:3", "G2", "yes", "02.05.2024 10:19", None),
    ])  # fmt: skip
    records = records.with_columns(source_country=pl.Series(["JP", "JP", "DE"]))
    merged = merge_consent(records, crosswalk, ["marketing_email"], "Asia/Tokyo").sort("golden_id")
    assert merged["consent_marketing_email"].to_list() == [True, True]
    assert merged["consent_marketing_email_at"].to_list() == [datetime(2024, 5, 1, 8, 0), datetime(2024, 5, 2, 10, 19)]
