from datetime import date, datetime

import pytest

from tests.resolution.standardization.conftest import issue_codes

BIRTH_DATES = [
    ("1980-03-01", date(1980, 3, 1), None),
    ("1980/03/01", date(1980, 3, 1), None),
    ("1980/3/1", date(1980, 3, 1), None),
    ("19800301", date(1980, 3, 1), None),
    ("1980年3月1日", date(1980, 3, 1), None),
    ("1980.03.01", date(1980, 3, 1), None),
    ("１９８０／０３／０１", date(1980, 3, 1), None),
    ("1980-03-01 00:00:00", date(1980, 3, 1), None),
    ("13/03/1980", date(1980, 3, 13), None),
    ("03/13/1980", date(1980, 3, 13), None),
    ("05/05/1980", date(1980, 5, 5), None),
    ("03/01/1980", None, "birth_date_ambiguous"),
    ("昭和55年3月1日", date(1980, 3, 1), None),
    ("昭和５５年３月１日", date(1980, 3, 1), None),
    ("平成元年1月8日", date(1989, 1, 8), None),
    ("S55.3.1", date(1980, 3, 1), None),
    ("s55.3.1", date(1980, 3, 1), None),
    ("H1.1.8", date(1989, 1, 8), None),
    ("R2/4/1", date(2020, 4, 1), None),
    ("令和元年5月1日", date(2019, 5, 1), None),
    ("大正3年1月1日", date(1914, 1, 1), None),
    ("明治45年1月1日", date(1912, 1, 1), None),
    ("明治30年1月1日", None, "birth_date_impossible"),  # 1897: before 1900
    ("昭和65年1月1日", None, "birth_date_out_of_era"),
    ("平成元年1月7日", None, "birth_date_out_of_era"),
    ("令和元年4月30日", None, "birth_date_out_of_era"),
    ("1980-02-30", None, "birth_date_impossible"),
    ("1980-13-01", None, "birth_date_impossible"),
    ("13/13/1980", None, "birth_date_impossible"),
    ("1890-01-01", None, "birth_date_impossible"),
    ("2030-01-01", None, "birth_date_in_future"),
    ("令和9年1月1日", None, "birth_date_in_future"),
    ("yesterday", None, "birth_date_unparseable"),
    ("1980", None, "birth_date_unparseable"),
    ("", None, None),
    ("   ", None, None),
    (None, None, None),
]


@pytest.mark.parametrize(("raw", "expected", "issue"), BIRTH_DATES)
def test_birth_date(standardize, raw, expected, issue):
    result = standardize({"birth_date": raw})
    assert result.records["std_birth_date"].to_list() == [expected]
    assert issue_codes(result, "birth_date") == [issue]


def test_birth_date_issue_is_invalid_and_carries_no_value(standardize):
    result = standardize({"birth_date": "1980-02-30"})
    assert result.issues.row(0, named=True) == {
        "record_key": "test:0",
        "field": "birth_date",
        "issue_code": "birth_date_impossible",
        "severity": "invalid",
    }


UPDATED_AT = [
    ("2024-01-02T03:04:05", datetime(2024, 1, 2, 3, 4, 5), None),
    ("2024-01-02 03:04:05.123456", datetime(2024, 1, 2, 3, 4, 5, 123456), None),
    ("2024/01/02 03:04", datetime(2024, 1, 2, 3, 4), None),
    ("2024-01-02T03:04:05Z", datetime(2024, 1, 2, 3, 4, 5), None),
    ("2024-01-02T03:04:05+09:00", datetime(2024, 1, 1, 18, 4, 5), None),
    ("2024-01-02", datetime(2024, 1, 2), None),
    ("令和6年1月2日", datetime(2024, 1, 2), None),
    ("2025-01-01 00:00:00", datetime(2025, 1, 1), "updated_at_in_future"),
    ("last tuesday", None, "updated_at_unparseable"),
    (None, None, None),
]


@pytest.mark.parametrize(("raw", "expected", "issue"), UPDATED_AT)
def test_updated_at(standardize, raw, expected, issue):
    result = standardize({"updated_at": raw})
    assert result.records["std_updated_at"].to_list() == [expected]
    assert issue_codes(result, "updated_at") == [issue]
