"""The public entry point: contract columns, garbage input, issue table."""

import polars as pl

from resolution.standardization import STANDARDIZED_SCHEMA, standardize_records
from resolution.standardization.issues import ISSUE_SEVERITY

GARBAGE = ["", " ", "\x00", "💥", "-", "😀@😀", "0" * 500, "NULL", "　", "ー", "〒", "?" * 3, "1/2/3", "@@"]


def test_garbage_never_crashes_and_only_registered_codes(standardize):
    fields = ["family_name", "given_name", "full_name", "family_name_kana", "given_name_kana",
              "full_name_kana", "birth_date", "gender", "email", "phone", "postal_code",
              "prefecture", "city", "address_line", "building", "country", "updated_at"]  # fmt: skip
    rows = [{field: value for field in fields} for value in GARBAGE]
    result = standardize(*rows)
    assert result.records.height == len(GARBAGE)
    assert set(result.issues["issue_code"]) <= set(ISSUE_SEVERITY)
    assert set(result.issues["severity"]) <= {"invalid", "flag"}
    for value in GARBAGE:
        if len(value) > 2:
            # No raw value in the issue table.
            assert not result.issues.select(pl.all().str.contains(value, literal=True).any()).row(0)[2]


def test_contract_columns_and_types(standardize):
    result = standardize({"full_name": "山田 太郎"})
    for name, dtype in STANDARDIZED_SCHEMA.items():
        assert result.records.schema[name] == dtype
    assert result.issues.schema == {
        "record_key": pl.Utf8,
        "field": pl.Utf8,
        "issue_code": pl.Utf8,
        "severity": pl.Utf8,
    }


def test_only_record_key_and_country_given():
    frame = pl.DataFrame({"record_key": ["a:1"], "source_country": ["JP"]})
    result = standardize_records(frame)
    assert result.records.height == 1
    assert result.issues.height == 0
    assert result.records["std_country"].to_list() == ["JP"]


def test_row_order_and_input_columns_kept(standardize):
    result = standardize({"phone": "090-1234-5678"}, {"phone": None}, {"phone": "090-1234-5678"}, {"phone": "x"})
    assert result.records["record_key"].to_list() == ["test:0", "test:1", "test:2", "test:3"]
    assert result.records["phone"].to_list() == ["090-1234-5678", None, "090-1234-5678", "x"]
    assert result.records["std_phone"].to_list() == ["+819012345678", None, "+819012345678", None]


def test_empty_frame():
    frame = pl.DataFrame(schema={"record_key": pl.Utf8, "source_country": pl.Utf8})
    result = standardize_records(frame)
    assert result.records.height == 0
    assert result.issues.height == 0
