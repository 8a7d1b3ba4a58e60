"""National identifiers: standardized, validated, compared, masked, and a My Number never kept.

Every number here is made up; the South African ones get their check digit
computed (`_za_id`), the My Numbers theirs (`governance.sensitive`).
"""

from __future__ import annotations

import duckdb
import polars as pl
import pytest

from governance.masking import mask_frame
from governance.sensitive import my_number_check_digit
from ingestion import map_to_canonical
from ingestion.parsing import ROW_COLUMN
from nayose_config import SourceConfig
from resolution.comparisons import NationalIdComparison
from tests.resolution.standardization.conftest import issue_codes


def _luhn_digit(body: str) -> str:
    """The Luhn check digit of `body` (every second digit from the right doubled)."""
    total = 0
    for i, d in enumerate(int(c) for c in reversed(body)):
        d = d * 2 if i % 2 == 0 else d
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)


def _za_id(born: str, serial: str = "5009", citizen: str = "08") -> str:
    body = born + serial + citizen
    return body + _luhn_digit(body)


def _my_number(body: str = "12345678901") -> str:
    return body + str(my_number_check_digit(body))


ZA_ID = _za_id("800101")
ZA_OTHER = _za_id("850615", "0123")
WRONG_CHECK = ZA_ID[:-1] + str((int(ZA_ID[-1]) + 1) % 10)


@pytest.mark.parametrize(
    ("value", "declared", "country", "number", "kind", "issue"),
    [
        (ZA_ID, None, "ZA", ZA_ID, "ZA_ID", None),
        (f"{ZA_ID[:6]} {ZA_ID[6:10]} {ZA_ID[10:]}", None, "ZA", ZA_ID, "ZA_ID", None),  # as a form groups it
        (WRONG_CHECK, None, "ZA", None, None, "national_id_invalid"),
        (_za_id("801301"), None, "ZA", None, None, "national_id_invalid"),  # month 13: no birth date
        ("12 345-678", None, "KE", "12345678", "KE_ID", None),
        ("1234567", None, "KE", "1234567", "KE_ID", None),
        ("22430430587", "bvn", "NG", "22430430587", "NG_BVN", None),
        ("2243043058", "BVN", "NG", None, None, "national_id_invalid"),  # a digit short
        ("61234567890", "NIN", "NG", "61234567890", "NG_NIN", None),
        ("22430430587", None, "NG", "22430430587", None, None),  # a BVN or a NIN: kind unknown
        ("ab.123.4567", "Passport number", "NG", "AB1234567", "PASSPORT", None),
        ("12", None, "KE", None, None, "national_id_invalid"),
        (_my_number(), None, "JP", None, None, "national_id_my_number"),
        ("A1234567", "my number", "JP", None, None, "national_id_my_number"),
        ("", None, "ZA", None, None, None),
        (None, "BVN", "NG", None, None, None),
    ],
)
def test_national_id_is_standardized_and_its_shape_checked(standardize, value, declared, country, number, kind, issue):
    result = standardize({"national_id": value, "national_id_type": declared}, source_country=country)
    assert result.records.select("std_national_id", "std_national_id_type").row(0) == (number, kind)
    assert issue_codes(result, "national_id") == [issue]


def test_an_issue_carries_no_value(standardize):
    result = standardize({"national_id": WRONG_CHECK}, source_country="ZA")
    assert WRONG_CHECK not in str(result.issues.rows())


def _level(left: tuple[str | None, str | None], right: tuple[str | None, str | None]) -> str:
    """The label of the level a pair of (number, kind) reaches."""
    levels = NationalIdComparison().get_comparison("duckdb").as_dict()["comparison_levels"]
    cases = " ".join(
        f"WHEN {level['sql_condition']} THEN '{level['label_for_charts']}'" for level in levels if level["sql_condition"] != "ELSE"
    )
    sql = (
        f"SELECT CASE {cases} ELSE 'else' END FROM (SELECT ?::VARCHAR AS std_national_id_l, ?::VARCHAR AS "
        "std_national_id_type_l, ?::VARCHAR AS std_national_id_r, ?::VARCHAR AS std_national_id_type_r)"
    )
    return duckdb.execute(sql, [*left, *right]).fetchone()[0]


def test_the_same_number_agrees_and_two_lifetime_numbers_of_one_kind_disagree():
    assert _level((ZA_ID, "ZA_ID"), (ZA_ID, "ZA_ID")) == "same number"
    assert _level(("22430430587", "NG_BVN"), ("22430430587", None)) == "same number"
    assert _level((ZA_ID, "ZA_ID"), (ZA_OTHER, "ZA_ID")) == "two numbers of one kind a person keeps for life"
    assert _level(("12345678", "KE_ID"), ("23456789", "KE_ID")) == "two numbers of one kind a person keeps for life"


def test_other_kinds_renewed_kinds_and_a_missing_number_weigh_nothing():
    levels = {level["label_for_charts"]: level for level in NationalIdComparison().get_comparison("duckdb").as_dict()["comparison_levels"]}
    neutral = "numbers of other or renewed kinds (weighed by the other fields)"
    assert levels[neutral]["is_null_level"] and levels["std_national_id is NULL"]["is_null_level"]
    assert _level(("22430430587", "NG_BVN"), ("61234567890", "NG_NIN")) == "else"  # a BVN and a NIN of one person
    assert _level(("AB1234567", "PASSPORT"), ("AB7654321", "PASSPORT")) == "else"  # a passport renewed
    assert _level(("22430430587", None), ("22430430588", None)) == "else"
    assert _level((None, None), (ZA_ID, "ZA_ID")) == "std_national_id is NULL"


def _mapped(national_id: str, fields: dict[str, str], country: str = "JP") -> pl.DataFrame:
    raw = pl.DataFrame({ROW_COLUMN: [1], "id": ["1"], "name": ["Test Person"], "kojin": [national_id]})
    source = SourceConfig(
        name="crm", path="exports/*.csv", format="csv", id="id", country=country,
        fields={"full_name": "name", **fields},
    )  # fmt: skip
    return map_to_canonical(raw, source, display_name="exports/crm_1.csv", file_hash="abc")


def test_a_my_number_mapped_to_national_id_is_not_kept():
    number = _my_number("98765432109")
    assert _mapped(number, {"national_id": "kojin"})["national_id"].to_list() == [None]
    assert _mapped("A1234567", {"national_id": "kojin", "national_id_type": "'My Number'"})["national_id"].to_list() == [None]
    # a passport number of a Japanese source, and 12 digits of another country, are kept
    assert _mapped("TK1234567", {"national_id": "kojin", "national_id_type": "'PASSPORT'"})["national_id"].to_list() == ["TK1234567"]
    assert _mapped(number, {"national_id": "kojin"}, country="NG")["national_id"].to_list() == [number]


def test_masking_shows_no_digit_of_a_national_id():
    frame = pl.DataFrame({
        "national_id": [ZA_ID], "std_national_id": [ZA_ID], "national_id_l": ["12345678"],
        "std_national_id_type": ["ZA_ID"],
    })  # fmt: skip
    masked = mask_frame(frame)
    assert not any(ch.isdigit() for ch in "".join(masked.select(pl.exclude("std_national_id_type")).row(0)))
    assert masked["std_national_id_type"].to_list() == ["ZA_ID"]
