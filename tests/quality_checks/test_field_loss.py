"""A mapped field a source lost wholesale in standardization is found and
said, per source and field, without a record value (fictional people)."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from quality_checks.field_loss import (
    WITHOUT_ISSUE,
    FieldLossThreshold,
    field_loss_markdown,
    field_losses,
    lost_fields,
)
from resolution.standardization import standardize_records

TODAY = dt.date(2026, 11, 25)


def _standardized(rows: dict[str, list]) -> tuple[pl.DataFrame, pl.DataFrame]:
    result = standardize_records(pl.DataFrame(rows), today=TODAY)
    return result.records, result.issues


def _export(n: int, *, birth_dates: list[str], genders: list[str], source: str, country: str) -> dict[str, list]:
    return {
        "record_key": [f"{source}:{i}" for i in range(n)],
        "source_system": [source] * n,
        "source_country": [country] * n,
        "family_name": [f"Tanaka{chr(97 + i % 26)}" for i in range(n)],
        "given_name": ["Hanako"] * n,
        "birth_date": [birth_dates[i % len(birth_dates)] for i in range(n)],
        "gender": [genders[i % len(genders)] for i in range(n)],
        "phone": [f"+49 30 {1000000 + i}" for i in range(n)],
    }


def _losses() -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    # `legacy` writes dates in a form nobody reads and gender as words of its own; `crm` is fine
    legacy = _export(30, birth_dates=["15 Marz 1980", "3 Okt. 1975", "unbekannt"], genders=["Herrchen", "Dame"], source="legacy", country="DE")
    crm = _export(30, birth_dates=["1980-03-15", "1975-10-03"], genders=["M", "F"], source="crm", country="DE")
    records, issues = _standardized({k: legacy[k] + crm[k] for k in legacy})
    mapped = {s: ["family_name", "given_name", "birth_date", "gender", "phone", "consent_marketing"] for s in ("legacy", "crm")}
    return field_losses(records, issues, mapped), records, issues


def test_a_field_lost_wholesale_is_named_with_its_issue_codes_and_a_sound_one_is_not():
    losses, _, _ = _losses()
    found = lost_fields(losses, {})
    assert [(f.source_system, f.field) for f in found] == [("legacy", "birth_date"), ("legacy", "gender")]
    birth, gender = found
    assert (birth.supplied, birth.lost) == (30, 30) and birth.issues == {"birth_date_unparseable": 30}
    assert (gender.supplied, gender.lost, gender.share) == (30, 30, 1.0) and gender.issues == {"gender_unrecognized": 30}
    assert losses.filter(pl.col("source_system") == "crm").is_empty()  # crm lost nothing


def test_the_warning_names_source_field_share_and_issue_kinds_and_no_value():
    losses, records, _ = _losses()
    gender = next(f for f in lost_fields(losses, {}) if f.field == "gender")
    assert gender.message.startswith("source 'legacy': 30 of 30 gender values (100%) standardized to nothing (gender_unrecognized 30)")
    assert "\n" not in gender.message
    said = gender.message + repr(gender.as_dict()) + field_loss_markdown(losses)
    for value in ("Herrchen", "Dame", "Marz", "unbekannt", "Tanaka", "Hanako", "+49"):
        assert value not in said
    assert gender.as_dict() == {
        "source_system": "legacy", "field": "gender", "supplied": 30, "lost": 30, "share": 1.0,
        "issues": {"gender_unrecognized": 30}, "warn_share": 0.5, "min_values": 20,
    }


def test_thresholds_are_per_source_share_at_or_past_and_a_minimum_of_values():
    losses, _, _ = _losses()
    assert lost_fields(losses, {"legacy": FieldLossThreshold(min_values=31)}) == []  # 30 values say too little
    assert len(lost_fields(losses, {"legacy": FieldLossThreshold(share=1.0, min_values=30)})) == 2  # at the share warns
    half = pl.DataFrame(
        {"source_system": ["s"], "field": ["gender"], "supplied": [40], "lost": [20], "issue_code": [WITHOUT_ISSUE], "values": [20]}
    )
    assert [f.share for f in lost_fields(half, {})] == [0.5]
    assert lost_fields(half, {"s": FieldLossThreshold(share=0.51)}) == []
    with pytest.raises(ValueError):
        FieldLossThreshold(share=0.0)


def test_empty_values_are_not_supplied_and_values_moved_to_other_columns_are_not_lost():
    rows = {
        "record_key": [f"jp:{i}" for i in range(4)],
        "source_system": ["jp"] * 4,
        "source_country": ["JP"] * 4,
        "family_name": ["山田", "佐藤", "鈴木", "高橋"],
        "gender": ["xq", None, None, "M"],  # the mapping made blank values null
        # a prefecture and a city alone: std_address stays empty, the city and prefecture are kept
        "address_line": ["大阪府枚方市", "東京都千代田区千代田1-1-1", "京都府京都市", None],
    }
    records, issues = _standardized(rows)
    losses = field_losses(records, issues, {"jp": ["family_name", "gender", "address_line"]})
    counts = {r["field"]: (r["supplied"], r["lost"]) for r in losses.iter_rows(named=True)}
    assert counts == {"gender": (2, 1)}


def test_a_value_emptied_without_an_issue_is_said_so_and_one_kept_but_called_invalid_counts():
    records = pl.DataFrame(
        {
            "record_key": ["s:1", "s:2", "s:3", "s:4"],
            "source_system": ["s"] * 4,
            "gender": ["x", "y", "M", "F"],
            "std_gender": [None, None, "M", "F"],  # s:1 emptied without an issue; s:2 with one
            "family_name": ["a", "b", "c", "d"],
            "std_family_name": [None, "b", "c", "d"],  # s:1's name invalid (issues on field `name`)
            "std_given_name": [None, None, None, None],
            "family_name_kana": ["ア", "イ", "ウ", "エ"],
            "std_family_kana": ["ア", "イ", "ウ", "エ"],  # s:3's kept, though called invalid
        }
    )
    issues = pl.DataFrame(
        {
            "record_key": ["s:2", "s:1", "s:3"],
            "field": ["gender", "name", "name"],
            "issue_code": ["gender_unrecognized", "name_invalid", "name_kana_invalid"],
            "severity": ["invalid", "invalid", "invalid"],
        }
    )
    losses = field_losses(records, issues, {"s": ["gender", "family_name", "family_name_kana"]})
    rows = {(r["field"], r["issue_code"]): (r["lost"], r["values"]) for r in losses.iter_rows(named=True)}
    assert rows == {
        ("family_name", "name_invalid"): (1, 1),
        ("family_name_kana", "name_kana_invalid"): (1, 1),  # a kana issue speaks of the kana, not the name
        ("gender", "gender_unrecognized"): (2, 1),
        ("gender", WITHOUT_ISSUE): (2, 1),
    }


def test_no_records_and_unknown_sources():
    empty = pl.DataFrame(schema={"record_key": pl.Utf8})
    assert field_losses(empty, pl.DataFrame(schema={"record_key": pl.Utf8, "field": pl.Utf8, "issue_code": pl.Utf8, "severity": pl.Utf8}), {"s": ["gender"]}).is_empty()
    _, records, issues = _losses()
    with pytest.raises(ValueError, match="legacy"):
        field_losses(records, issues, {"crm": ["gender"]})
    assert field_loss_markdown(field_losses(records, issues, {"crm": ["gender"], "legacy": ["phone"]})) == "No mapped field lost a value."
