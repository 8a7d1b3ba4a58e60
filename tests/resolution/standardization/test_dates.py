from datetime import date, datetime

import polars as pl
import pytest

from nayose_config import SurvivorshipConfig
from resolution.standardization.issues import DATED_ISSUES
from resolution.survivorship import survive
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
    ("1900-01-01", None, "birth_date_placeholder"),  # what a system writes for an unknown date
    ("1901/01/01", None, "birth_date_placeholder"),
    ("1900-01-02", date(1900, 1, 2), None),
    ("32874", date(1990, 1, 1), None),  # an Excel serial: a date column formatted as a number
    ("32874.0", date(1990, 1, 1), None),  # the same, from a column of floats
    ("昭49.6.22", date(1974, 6, 22), None),  # the era abbreviated to one kanji, as forms write it
    ("平2/2/20", date(1990, 2, 20), None),
    ("昭和四十九年六月二十二日", date(1974, 6, 22), None),  # kanji numerals
    ("大正十五年十二月二十四日", date(1926, 12, 24), None),
    ("一九七四年六月二十二日", date(1974, 6, 22), None),
    ("二〇〇一年一月一日", date(2001, 1, 1), None),
    ("昭和49年6月22日生", date(1974, 6, 22), None),  # born on
    ("1974年6月22日生まれ", date(1974, 6, 22), None),
    ("十二月", None, "birth_date_unparseable"),
    ("19800301.0", date(1980, 3, 1), None),  # yyyymmdd from a column of floats
    ("19800301.5", None, "birth_date_unparseable"),
    ("60000", None, "birth_date_in_future"),  # 2064
    ("3287", None, "birth_date_unparseable"),
    ("2030-01-01", None, "birth_date_in_future"),
    ("令和9年1月1日", None, "birth_date_in_future"),
    ("yesterday", None, "birth_date_unparseable"),
    ("1980", None, "birth_date_unparseable"),
    ("'1980-03-01", date(1980, 3, 1), None),  # a spreadsheet's text mark, to stop it converting the date
    ("'32874", date(1990, 1, 1), None),
    ("'1985-03-04T00:00:00-05:00", date(1985, 3, 4), None),
    ("", None, None),
    ("   ", None, None),
    (None, None, None),
]


@pytest.mark.parametrize(("raw", "expected", "issue"), BIRTH_DATES)
def test_birth_date(standardize, raw, expected, issue):
    result = standardize({"birth_date": raw})
    assert result.records["std_birth_date"].to_list() == [expected]
    assert issue_codes(result, "birth_date") == [issue]


ERA_CODES = [
    ("3550302", date(1980, 3, 2), None),  # 昭和55年3月2日, as a Japanese mainframe stores it
    ("4010108", date(1989, 1, 8), None),  # 平成元年1月8日, the era's first day
    ("2150101", date(1926, 1, 1), None),  # 大正15年
    ("5020430", date(2020, 4, 30), None),  # 令和2年
    ("3550302.0", date(1980, 3, 2), None),  # from a column of floats
    ("3640108", None, "birth_date_unparseable"),  # 昭和64年1月8日: 平成 by then
    ("4010107", None, "birth_date_unparseable"),  # 平成元年1月7日: still 昭和
    ("3550230", None, "birth_date_unparseable"),  # 30 February
    ("3000302", None, "birth_date_unparseable"),  # year 0
    ("6550302", None, "birth_date_unparseable"),  # no era 6
    ("35503021", None, "birth_date_impossible"),  # eight digits are YYYYMMDD, never an era code
]


@pytest.mark.parametrize(("raw", "expected", "issue"), ERA_CODES)
def test_a_japanese_sources_seven_digit_era_code_is_read_where_it_is_a_date_of_its_era(standardize, raw, expected, issue):
    result = standardize({"birth_date": raw}, source_country="JP")
    assert result.records["std_birth_date"].to_list() == [expected]
    assert issue_codes(result, "birth_date") == [issue]


def test_a_seven_digit_birth_date_of_another_countrys_source_is_no_era_code(standardize):
    result = standardize({"birth_date": "3550302"}, source_country="BR")
    assert result.records["std_birth_date"].to_list() == [None]
    assert issue_codes(result, "birth_date") == ["birth_date_unparseable"]


ROC_DATES = [
    ("民國79年5月3日", "TW", date(1990, 5, 3), None),
    ("民国79年5月3日", "CN", date(1990, 5, 3), None),  # says 民國: read in any source
    ("中華民國七十九年五月三日", "JP", date(1990, 5, 3), None),
    ("79/05/03", "TW", date(1990, 5, 3), None),  # a Taiwanese source's short year is 民國's
    ("79.5.3", "TW", date(1990, 5, 3), None),
    ("100-01-15", "TW", date(2011, 1, 15), None),
    ("0790503", "TW", date(1990, 5, 3), None),
    ("790503", "TW", date(1990, 5, 3), None),
    ("1990/05/03", "TW", date(1990, 5, 3), None),  # Gregorian stays Gregorian
    ("79/02/30", "TW", None, "birth_date_impossible"),
    # no 民國 outside Taiwan unless it says so: a two-digit year, the first number past any day
    ("79/05/03", "BR", date(1979, 5, 3), "birth_date_century_inferred"),
]


@pytest.mark.parametrize(("raw", "country", "expected", "issue"), ROC_DATES)
def test_a_roc_birth_date_is_read_as_its_year_plus_1911(standardize, raw, country, expected, issue):
    result = standardize({"birth_date": raw}, source_country=country)
    assert result.records["std_birth_date"].to_list() == [expected]
    assert issue_codes(result, "birth_date") == [issue]


KOREAN_COMPACT = [
    ("900503", "KR", date(1990, 5, 3), None),
    ("050101", "KR", date(2005, 1, 1), None),  # a year up to today's two digits is this century's
    ("901301", "KR", None, "birth_date_impossible"),
    ("030590", "DE", None, "birth_date_unparseable"),  # DDMMYY elsewhere: not read
]


@pytest.mark.parametrize(("raw", "country", "expected", "issue"), KOREAN_COMPACT)
def test_a_korean_sources_six_digit_birth_date_is_yymmdd(standardize, raw, country, expected, issue):
    result = standardize({"birth_date": raw}, source_country=country)
    assert result.records["std_birth_date"].to_list() == [expected]
    assert issue_codes(result, "birth_date") == [issue]


# (raw, source_country, record's country, expected, issue); the fixtures' night is 2024-06-01 (BE 2567)
BUDDHIST_ERA_BIRTH_DATES = [
    ("15/03/2533", "TH", None, date(1990, 3, 15), None),
    ("2533-03-15", "TH", None, date(1990, 3, 15), None),
    ("29/02/2535", "TH", None, date(1992, 2, 29), None),  # 1992 is a leap year; BE 2535 as CE is not
    ("1990-03-15", "TH", None, date(1990, 3, 15), None),  # a Thai system that writes CE
    ("15/03/2533", "VN", "TH", date(1990, 3, 15), None),  # a Thai customer of a Vietnamese wallet
    ("2533-03-15", "VN", "Thailand", date(1990, 3, 15), None),
    ("15 มีนาคม พ.ศ. 2533", "TH", None, date(1990, 3, 15), None),
    ("วันที่ 5 ก.พ. 2533", "TH", None, date(1990, 2, 5), None),
    ("๑๕/๐๓/๒๕๓๓", "TH", None, date(1990, 3, 15), None),  # Thai digits
    ("15 มี.ค. 2533", "JP", None, date(1990, 3, 15), None),  # written in Thai: Thai in any source
    ("15/03/2568", "TH", None, None, "birth_date_in_future"),  # 2025
    ("31/04/2533", "TH", None, None, "birth_date_impossible"),
    ("15/03/2533", "VN", None, None, "birth_date_buddhist_era"),  # not Thai: refused, saying why
    ("2533-03-15", None, None, None, "birth_date_buddhist_era"),
    ("15.03.2990", "DE", None, None, "birth_date_in_future"),  # no BE year either
]


@pytest.mark.parametrize(("raw", "country", "record_country", "expected", "issue"), BUDDHIST_ERA_BIRTH_DATES)
def test_a_thai_records_buddhist_era_birth_date_is_read(standardize, raw, country, record_country, expected, issue):
    result = standardize({"birth_date": raw, "country": record_country}, source_country=country)
    assert result.records["std_birth_date"].to_list() == [expected]
    assert issue_codes(result, "birth_date") == [issue]


BUDDHIST_ERA_UPDATED_AT = [
    ("23/04/2567", "TH", datetime(2024, 4, 23), None),
    ("2567-04-23 10:00:00", "TH", datetime(2024, 4, 23, 10), None),  # the plain form, read with its era
    ("2567-04-23T10:00:00+07:00", "TH", datetime(2024, 4, 23, 10), None),
    ("15 มี.ค. 2567 10:30", "TH", datetime(2024, 3, 15, 10, 30), None),
    ("2024-04-23 10:00:00", "TH", datetime(2024, 4, 23, 10), None),
    ("23/04/2567", "VN", None, "updated_at_buddhist_era"),
    ("2567-04-23 10:00:00", None, None, "updated_at_buddhist_era"),
]


@pytest.mark.parametrize(("raw", "country", "expected", "issue"), BUDDHIST_ERA_UPDATED_AT)
def test_a_thai_records_buddhist_era_updated_at_is_read(standardize, raw, country, expected, issue):
    result = standardize({"updated_at": raw}, source_country=country, timezone="Asia/Bangkok")
    assert result.records["std_updated_at"].to_list() == [expected]
    assert issue_codes(result, "updated_at") == [issue]


def test_most_recent_no_longer_always_picks_the_buddhist_era_record(standardize):
    result = standardize(
        {"updated_at": "10/01/2567", "email": "older@example.com", "source_country": "TH"},
        {"updated_at": "2024-05-01 09:00:00", "email": "newer@example.com", "source_country": "VN"},
        timezone="Asia/Bangkok",
    )
    assert _most_recent_email(result) == ["newer@example.com"]


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
    ("20231102.0", datetime(2023, 11, 2), None),  # yyyymmdd from a column of floats
    ("123456789012345", None, "updated_at_unparseable"),  # no date or Unix time has 15 digits
    ("20231340103000", None, "updated_at_unparseable"),  # month 13
    ("'2024-01-02 03:04", datetime(2024, 1, 2, 3, 4), None),  # a spreadsheet's text mark before it
    ("'", None, None),  # a text mark alone: no value
    (None, None, None),
]


@pytest.mark.parametrize(("raw", "expected", "issue"), UPDATED_AT)
def test_updated_at(standardize, raw, expected, issue):
    result = standardize({"updated_at": raw})
    assert result.records["std_updated_at"].to_list() == [expected]
    assert issue_codes(result, "updated_at") == [issue]


# (raw, source_country, source's date_order option, expected, issue)
BIRTH_DATES_BY_SOURCE_ORDER = [
    ("03.01.1980", "DE", None, date(1980, 1, 3), None),
    ("03/01/1980", "FR", None, date(1980, 1, 3), None),
    ("03-01-1980", "GB", None, date(1980, 1, 3), None),
    ("03/01/1980", "US", None, date(1980, 3, 1), None),
    ("03/01/1980", "PH", None, date(1980, 3, 1), None),
    ("03/01/1980", "JP", None, None, "birth_date_ambiguous"),  # year-first country: no custom for year last
    ("03/01/1980", None, None, None, "birth_date_ambiguous"),  # nothing says
    ("03/01/1980", "US", "DMY", date(1980, 1, 3), None),  # the option beats the country
    ("03/01/1980", "JP", "MDY", date(1980, 3, 1), None),
    ("03/01/1980", "DE", "YMD", None, "birth_date_ambiguous"),
    ("13.02.1969", "US", None, date(1969, 2, 13), None),  # unambiguous: read as before
    ("02/13/1969", "DE", None, date(1969, 2, 13), None),
    ("1980-03-01", "DE", None, date(1980, 3, 1), None),
    ("1980/03/01", "US", None, date(1980, 3, 1), None),
    ("昭和55年3月1日", "US", None, date(1980, 3, 1), None),
    ("02/30/1980", "US", None, None, "birth_date_impossible"),
    ("30.02.1980", "DE", None, None, "birth_date_impossible"),
    ("03.01.1980 00:00", "DE", None, date(1980, 1, 3), None),
]


@pytest.mark.parametrize(("raw", "country", "order", "expected", "issue"), BIRTH_DATES_BY_SOURCE_ORDER)
def test_year_last_birth_date_follows_the_source_date_order(standardize, raw, country, order, expected, issue):
    result = standardize({"birth_date": raw, "source_country": country, "source_date_order": order})
    assert result.records["std_birth_date"].to_list() == [expected]
    assert issue_codes(result, "birth_date") == [issue]


def test_same_text_reads_by_each_record_source(standardize):
    result = standardize(
        {"birth_date": "04/05/1971", "source_country": "DE"},
        {"birth_date": "04/05/1971", "source_country": "US"},
        {"birth_date": "04/05/1971", "source_country": "JP"},
    )
    assert result.records["std_birth_date"].to_list() == [date(1971, 5, 4), date(1971, 4, 5), None]


# (raw, source_country, expected, issue), standardized on 2024-06-01: a two-digit year is in this century
# unless that puts the birth date after that day
TWO_DIGIT_YEARS = [
    ("16.04.85", "DE", date(1985, 4, 16), "birth_date_century_inferred"),  # as a call centre writes it
    ("16.04.85", "AT", date(1985, 4, 16), "birth_date_century_inferred"),
    ("04/16/85", "US", date(1985, 4, 16), "birth_date_century_inferred"),
    ("04/05/85", "US", date(1985, 4, 5), "birth_date_century_inferred"),  # day and month in the source's order
    ("04/05/85", "GB", date(1985, 5, 4), "birth_date_century_inferred"),
    ("04/05/85", None, None, "birth_date_ambiguous"),
    ("85-04-16", "DE", date(1985, 4, 16), "birth_date_century_inferred"),  # 85 is no day: the year is first
    ("16.04.05", "DE", date(2005, 4, 16), "birth_date_century_inferred"),
    ("01.06.24", "DE", date(2024, 6, 1), "birth_date_century_inferred"),  # today
    ("02.06.24", "DE", date(1924, 6, 2), "birth_date_century_inferred"),  # 2024-06-02 is tomorrow
    ("05.04.16", "JP", date(2005, 4, 16), "birth_date_century_inferred"),  # a year-first country
    ("05.04.16", None, None, "birth_date_ambiguous"),  # 2005, 2016 or the 4th or 5th?
    ("5.4.16", "DE", date(2016, 4, 5), "birth_date_century_inferred"),
    ("30.02.85", "DE", None, "birth_date_impossible"),
    ("1.2.3", "DE", None, "birth_date_unparseable"),
    ("16.04.1985", "DE", date(1985, 4, 16), None),
]


@pytest.mark.parametrize(("raw", "country", "expected", "issue"), TWO_DIGIT_YEARS)
def test_a_two_digit_year_is_read_in_the_century_that_keeps_the_birth_date_past(standardize, raw, country, expected, issue):
    result = standardize({"birth_date": raw, "source_country": country})
    assert result.records["std_birth_date"].to_list() == [expected]
    assert issue_codes(result, "birth_date") == [issue]


def test_an_inferred_century_is_a_flag_that_depends_on_the_night(standardize):
    result = standardize({"birth_date": "16.04.85", "source_country": "DE"})
    assert result.issues["severity"].to_list() == ["flag"]
    assert "birth_date_century_inferred" in DATED_ISSUES  # a snapshot's record is read again each night


# (raw, source_country, expected) with the project in UTC
TIMESTAMPS_BY_SOURCE_ORDER = [
    ("02.05.2024 10:19", "DE", datetime(2024, 5, 2, 10, 19)),
    ("02.05.2024 9:56", "DE", datetime(2024, 5, 2, 9, 56)),
    ("05/02/2024 10:19:33", "US", datetime(2024, 5, 2, 10, 19, 33)),
    ("05/02/2024 10:19:33.25", "US", datetime(2024, 5, 2, 10, 19, 33, 250000)),
    ("2024/05/01 07:00:00", "JP", datetime(2024, 5, 1, 7, 0)),
    ("2024/5/1 7:00", "JP", datetime(2024, 5, 1, 7, 0)),
    ("2024.05.01 07:00", "HU", datetime(2024, 5, 1, 7, 0)),
    ("13.05.2024 10:19", "US", datetime(2024, 5, 13, 10, 19)),
    ("02.05.2024", "DE", datetime(2024, 5, 2)),
    ("令和6年5月2日 10:19", "JP", datetime(2024, 5, 2, 10, 19)),
    ("02.05.2024 10:19+02:00", "DE", datetime(2024, 5, 2, 8, 19)),
    ("02.05.2024T10:19Z", "DE", datetime(2024, 5, 2, 10, 19)),
    # the 12-hour clock, as a US spreadsheet exports it, and its Japanese 午前/午後
    ("5/2/2024 3:15 PM", "US", datetime(2024, 5, 2, 15, 15)),
    ("05/02/2024 03:15:22 pm", "US", datetime(2024, 5, 2, 15, 15, 22)),
    ("5/2/2024 12:05 AM", "US", datetime(2024, 5, 2, 0, 5)),
    ("5/2/2024 12:05 p.m.", "US", datetime(2024, 5, 2, 12, 5)),
    ("May 2, 2024 3:15 PM", "US", datetime(2024, 5, 2, 15, 15)),
    ("2024/5/2 午後3:15", "JP", datetime(2024, 5, 2, 15, 15)),
    ("2024年5月2日 午前9時5分", "JP", datetime(2024, 5, 2, 9, 5)),
]


@pytest.mark.parametrize(("raw", "country", "expected"), TIMESTAMPS_BY_SOURCE_ORDER)
def test_updated_at_reads_dates_with_a_time_in_the_source_order(standardize, raw, country, expected):
    result = standardize({"updated_at": raw, "source_country": country})
    assert result.records["std_updated_at"].to_list() == [expected]
    assert issue_codes(result, "updated_at") == [None]


@pytest.mark.parametrize(
    ("raw", "country"),
    [("03/01/2024 10:00", "JP"), ("02.05.2024 25:00", "DE"), ("02.05.2024 10:61", "DE"), ("02.05.2024 soon", "DE"),
     ("5/2/2024 13:15 PM", "US")],
)
def test_updated_at_without_a_readable_date_or_time_is_unparseable(standardize, raw, country):
    result = standardize({"updated_at": raw, "source_country": country})
    assert result.records["std_updated_at"].to_list() == [None]
    assert issue_codes(result, "updated_at") == ["updated_at_unparseable"]


# (raw, expected) with the project in Asia/Tokyo: offsets converted to JST, naive values kept
TIMESTAMPS_IN_TOKYO = [
    ("2024-05-01T04:15:00+09:00", datetime(2024, 5, 1, 4, 15)),
    ("2024-04-30T19:15:00Z", datetime(2024, 5, 1, 4, 15)),
    ("2024-04-30 21:15:00+0200", datetime(2024, 5, 1, 4, 15)),
    ("2024-04-30T14:15:00-05", datetime(2024, 5, 1, 4, 15)),
    ("2024/05/01 07:00:00", datetime(2024, 5, 1, 7, 0)),
    ("2024-05-01 07:00:00", datetime(2024, 5, 1, 7, 0)),
    ("2024-05-01", datetime(2024, 5, 1)),
    # a Unix time is an instant: seconds, a fraction, a float's .0, milliseconds
    ("1714515300", datetime(2024, 5, 1, 7, 15)),
    ("1714515300.25", datetime(2024, 5, 1, 7, 15)),
    ("1714515300.0", datetime(2024, 5, 1, 7, 15)),
    ("1714515300000", datetime(2024, 5, 1, 7, 15)),
    # a Japanese time of day, and legacy systems' yyyymmddHHMM(SS): wall-clock times
    ("2024年5月1日 7時15分", datetime(2024, 5, 1, 7, 15)),
    ("2024年5月1日7時15分3秒", datetime(2024, 5, 1, 7, 15, 3)),
    ("令和6年5月1日 7時", datetime(2024, 5, 1, 7, 0)),
    ("20240501071500", datetime(2024, 5, 1, 7, 15)),
    ("202405010715", datetime(2024, 5, 1, 7, 15)),
]


@pytest.mark.parametrize(("raw", "expected"), TIMESTAMPS_IN_TOKYO)
def test_updated_at_is_wall_clock_time_of_the_project_zone(standardize, raw, expected):
    result = standardize({"updated_at": raw}, timezone="Asia/Tokyo")
    assert result.records["std_updated_at"].to_list() == [expected]


def test_offsets_follow_daylight_saving_of_the_project_zone(standardize):
    result = standardize(
        {"updated_at": "2024-01-15T10:00:00Z"}, {"updated_at": "2024-07-15T10:00:00Z"}, timezone="Europe/Berlin"
    )
    assert result.records["std_updated_at"].to_list() == [datetime(2024, 1, 15, 11), datetime(2024, 7, 15, 12)]


def _most_recent_email(result) -> list[str]:
    """The email `most_recent` survivorship keeps when every record of `result` is one customer's."""
    records = result.records.with_columns(
        source_system=pl.col("record_key").str.split(":").list.first(),
        source_record_id=pl.col("record_key").str.split(":").list.last(),
    )
    crosswalk = records.select("record_key", golden_id=pl.lit("G1"))
    return survive(records, crosswalk, SurvivorshipConfig(default="most_recent")).golden_records["email"].to_list()


def test_most_recent_compares_offset_and_naive_times_alike(standardize):
    # 08:00 JST written with an offset is later than 07:00 JST written naive
    result = standardize(
        {"updated_at": "2024-05-01T08:00:00+09:00", "email": "later@example.com"},
        {"updated_at": "2024/05/01 07:00:00", "email": "earlier@example.com"},
        timezone="Asia/Tokyo",
    )
    assert _most_recent_email(result) == ["later@example.com"]


# Found by the third drill: every birth date of two international exports was
# refused as unparseable (a spreadsheet's `March 4, 1985` / `04-Mar-1985`, a
# web shop's `1985-03-04T00:00:00Z`), so the model was trained without them.
NAMED_MONTH_DATES = [
    ("March 4, 1985", date(1985, 3, 4)),
    ("Mar 4 1985", date(1985, 3, 4)),
    ("Sept. 4th, 1985", date(1985, 9, 4)),
    ("04-Mar-1985", date(1985, 3, 4)),
    ("4 Mar 1985", date(1985, 3, 4)),
    ("4 march 1985", date(1985, 3, 4)),
    ("04/MAR/1985", date(1985, 3, 4)),
]


@pytest.mark.parametrize(("raw", "expected"), NAMED_MONTH_DATES)
def test_birth_date_with_an_english_month_name(standardize, raw, expected):
    # the month is named: no date order needed, even from a year-first country
    result = standardize({"birth_date": raw}, source_country="JP")
    assert result.records["std_birth_date"].to_list() == [expected]
    assert issue_codes(result, "birth_date") == [None]


@pytest.mark.parametrize(
    ("raw", "issue"), [("Foo 4, 1985", "birth_date_unparseable"), ("Feb 30, 1985", "birth_date_impossible")]
)
def test_named_month_dates_that_name_no_month_or_no_day_are_refused(standardize, raw, issue):
    result = standardize({"birth_date": raw})
    assert result.records["std_birth_date"].to_list() == [None]
    assert issue_codes(result, "birth_date") == [issue]


# (raw, project zone, expected): midnight is the written date; another time
# is a local midnight turned into UTC, read back in the project's zone
TIMESTAMP_BIRTH_DATES = [
    ("1985-03-04T00:00:00Z", "Asia/Tokyo", date(1985, 3, 4)),
    ("1985-03-04T00:00:00-05:00", "Asia/Tokyo", date(1985, 3, 4)),
    ("1985-03-04T00:00:00+09:00", "Europe/London", date(1985, 3, 4)),
    ("1985-03-03T15:00:00Z", "Asia/Tokyo", date(1985, 3, 4)),
    ("1985-03-03T15:00:00.000Z", "Asia/Tokyo", date(1985, 3, 4)),
    ("1985-03-04T05:00:00Z", "America/New_York", date(1985, 3, 4)),
]


@pytest.mark.parametrize(("raw", "timezone", "expected"), TIMESTAMP_BIRTH_DATES)
def test_birth_date_written_as_a_timestamp_with_an_offset(standardize, raw, timezone, expected):
    result = standardize({"birth_date": raw}, timezone=timezone)
    assert result.records["std_birth_date"].to_list() == [expected]
    assert issue_codes(result, "birth_date") == [None]


def test_updated_at_with_an_english_month_name(standardize):
    result = standardize({"updated_at": "May 1, 2024 10:19"}, {"updated_at": "01-May-2024"})
    assert result.records["std_updated_at"].to_list() == [datetime(2024, 5, 1, 10, 19), datetime(2024, 5, 1)]
