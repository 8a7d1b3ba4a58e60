"""Birth dates and update timestamps: Gregorian, wareki (和暦) and US/EU forms.

All parsing is polars expressions (regex extraction + non-strict strptime),
evaluated over the distinct raw values only and joined back.

A numeric date written year last (`03/01/1980`, `03.01.1980`) reads day first
or month first by its source's date order: the source's `date_order` option
(lineage column `source_date_order`), else the custom of its country
(`source_country`, see `date_order_of_country`). Without either, or with
`YMD` (no year-last custom), a date whose day and month are both <= 12 and
different is refused as ambiguous.

A Thai record's year of `BUDDHIST_ERA_FIRST_YEAR` or more is of the
Buddhist Era (BE = CE + 543: `15/03/2533` is 1990-03-15), birth dates and
timestamps alike (see `with_date_order`); elsewhere such a year is refused
with an issue that names the Buddhist Era, not read as a date centuries ahead.

Timestamps are stored as naive wall-clock times of the project's time zone:
a naive value is taken as already in it, a value with `Z` or an offset is
converted to it. So every `std_updated_at` compares like with like.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from resolution.standardization.countries import country_code
from resolution.standardization.issues import issue_column
from resolution.standardization.text import cell_text, without_decimal_zero

# The customary all-numeric order of a country's dates (CLDR's short date
# patterns). Month first: the US and places that follow its usage.
MONTH_FIRST_COUNTRIES = frozenset({"US", "PH", "PR", "GU", "AS", "VI", "MP", "UM", "FM", "MH", "PW"})
# Year first: a year-last date from these countries has no customary order, so
# it stays ambiguous (Canada and South Africa mix all three orders).
YEAR_FIRST_COUNTRIES = frozenset(
    {"JP", "CN", "TW", "KR", "KP", "MN", "HU", "LT", "SE", "CA", "ZA", "IR", "AF", "BT"}
)
# Every other country writes day first (DE, FR, GB, ES, IT, NL, IN, BR, ...).

SOURCE_ORDER_COLUMNS = ("source_date_order", "source_country")
"""Columns a record's date order comes from (both optional in a frame)."""

RECORD_COUNTRY = "std_country"
"""The record's own country (`countries.standardize_country`; optional in a
frame): with its source's, it says whether the record's years are Buddhist Era."""

BUDDHIST_ERA_COUNTRIES = frozenset({"TH"})
"""Countries whose civil calendar counts years in the Buddhist Era: Thai
banks, government forms and ID cards write `15/03/2533` for 1990-03-15.
(Laos and Cambodia use it in religious life; their systems write CE.)"""

BUDDHIST_ERA_OFFSET = 543
"""Year N of the Buddhist Era is CE N - 543 (BE 2533 is 1990)."""

BUDDHIST_ERA_FIRST_YEAR = 2400
"""A Thai record's four-digit year from this on is BE (BE 2400 is CE 1857):
no customer's date is so old, nor so far ahead in CE, so a Thai record
whose system writes CE (`1990-03-15`, as an app exporting ISO dates does)
keeps its year, and one whose system writes BE has it read."""

BUDDHIST_ERA_YEARS = (BUDDHIST_ERA_FIRST_YEAR, 2699)
"""Years read as BE in a Thai record and refused in any other (CE 1857-2156
written in BE; a year past these, `2990`, is a date in the future)."""

THAI_SCRIPT = r"[\u0E00-\u0E7F]"
"""A date written with Thai words or digits (`15 มีนาคม พ.ศ. 2533`) is Thai
whatever its source's country."""

# Era name (and its one-letter abbreviation) -> (offset year, first day, last day).
# Year N of an era is offset + N; first/last days come from the imperial
# transitions (明治 is counted from the Gregorian calendar's adoption day used
# by the era-conversion tables).
ERAS: dict[str, tuple[int, date, date]] = {
    "明治": (1867, date(1868, 9, 8), date(1912, 7, 29)),
    "大正": (1911, date(1912, 7, 30), date(1926, 12, 24)),
    "昭和": (1925, date(1926, 12, 25), date(1989, 1, 7)),
    "平成": (1988, date(1989, 1, 8), date(2019, 4, 30)),
    "令和": (2018, date(2019, 5, 1), date(9999, 12, 31)),
}
ERA_LETTERS = {
    "M": "明治", "T": "大正", "S": "昭和", "H": "平成", "R": "令和",
    "明": "明治", "大": "大正", "昭": "昭和", "平": "平成", "令": "令和",  # as forms abbreviate them: 昭49.6.22
}  # fmt: skip

EARLIEST_BIRTH_DATE = date(1900, 1, 1)
PLACEHOLDER_BIRTH_DATES = (date(1900, 1, 1), date(1901, 1, 1))
"""Dates systems write when the birth date is unknown. Read as birth dates
they would agree between strangers (two 山田 太郎 of 1900-01-01) and link them."""

_TIME_SUFFIX = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
GREGORIAN = (
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?" + _TIME_SUFFIX + r"$"
)
COMPACT = r"^(\d{4})(\d{2})(\d{2})$"
DAY_MONTH_YEAR = r"^(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4})" + _TIME_SUFFIX + r"$"
# English month names (and their usual abbreviations, `Sept` too), as people
# and spreadsheets write them: `March 4, 1985`, `Mar 4 1985`, `04-Mar-1985`,
# `4 March 1985`. Looked up lower-cased.
_MONTHS = (
    "january", "february", "march", "april", "may", "june", "july",
    "august", "september", "october", "november", "december",
)  # fmt: skip
MONTH_NAMES: dict[str, int] = {
    **{name: number for number, name in enumerate(_MONTHS, start=1)},
    **{name[:3]: number for number, name in enumerate(_MONTHS, start=1)},
    "sept": 9,
}
_ORDINAL = r"(?:st|nd|rd|th)?"
MONTH_NAME_FIRST = r"^([A-Za-z]{3,9})\.?\s+(\d{1,2})" + _ORDINAL + r",?\s+(\d{4})" + _TIME_SUFFIX + r"$"
DAY_MONTH_NAME = (
    r"^(\d{1,2})" + _ORDINAL + r"(?:\s*[-/.]\s*|\s+)([A-Za-z]{3,9})\.?,?(?:\s*[-/.]\s*|\s+)(\d{4})" + _TIME_SUFFIX + r"$"
)
WAREKI = (
    r"^(明治|大正|昭和|平成|令和|[明大昭平令MTSHRmtshr])\.?\s*(\d{1,2}|元)\s*[年./-]\s*"
    r"(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?$"
)


# A date in any form above, a time of day (seconds and fraction optional) and
# an optional `Z` or UTC offset.
TIMESTAMP = (
    r"^(.*?\S)\s*[ T]\s*(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$"
)


def date_order_of_country(country: pl.Expr) -> pl.Expr:
    """`MDY`, `YMD` or `DMY` for a country (code or name, see `country_code`);
    null for a value naming no country."""
    code = country_code(country)
    return (
        pl.when(code.is_in(list(MONTH_FIRST_COUNTRIES)))
        .then(pl.lit("MDY"))
        .when(code.is_in(list(YEAR_FIRST_COUNTRIES)))
        .then(pl.lit("YMD"))
        .when(code.is_not_null())
        .then(pl.lit("DMY"))
    )


def with_date_order(frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` with `_date_order`: its `source_date_order` when set, else the
    order of its `source_country` (null when the frame has neither); and
    `_buddhist_era`: whether the record's source or the record itself
    (`RECORD_COUNTRY`) is of a `BUDDHIST_ERA_COUNTRIES` country, so that its
    years from `BUDDHIST_ERA_FIRST_YEAR` on are BE. The record's country
    counts too: a wallet whose source country is Vietnam holds Thai
    customers."""
    given, country, record_country = (
        pl.col(name).cast(pl.Utf8) if name in frame.columns else pl.lit(None, pl.Utf8)
        for name in (*SOURCE_ORDER_COLUMNS, RECORD_COUNTRY)
    )
    buddhist = country_code(country).is_in(list(BUDDHIST_ERA_COUNTRIES)) | record_country.is_in(
        list(BUDDHIST_ERA_COUNTRIES)
    )
    return frame.with_columns(
        pl.coalesce(given, date_order_of_country(country)).alias("_date_order"),
        buddhist.fill_null(False).alias("_buddhist_era"),
    )


def _as_int(expr: pl.Expr) -> pl.Expr:
    return expr.cast(pl.Int32, strict=False)


def _make_date(year: pl.Expr, month: pl.Expr, day: pl.Expr) -> pl.Expr:
    """Date from integer parts; null for impossible ones (Feb 30, month 13)."""
    text = pl.format(
        "{}-{}-{}",
        year.cast(pl.Utf8).str.zfill(4),
        month.cast(pl.Utf8).str.zfill(2),
        day.cast(pl.Utf8).str.zfill(2),
    )
    return text.str.strptime(pl.Date, "%Y-%m-%d", strict=False)


def _month_number(name: pl.Expr) -> pl.Expr:
    """The month (1-12) an English month name or abbreviation names, else null."""
    return name.str.to_lowercase().replace_strict(MONTH_NAMES, default=None, return_dtype=pl.Int32)


def _common_era_year(year: pl.Expr) -> pl.Expr:
    """`year` in CE: less `BUDDHIST_ERA_OFFSET` where the row's `_buddhist_year`
    (see `calendar_dates`) and it is at least `BUDDHIST_ERA_FIRST_YEAR`."""
    buddhist = pl.col("_buddhist_year") & (year >= BUDDHIST_ERA_FIRST_YEAR)
    return pl.when(buddhist).then(year - BUDDHIST_ERA_OFFSET).otherwise(year)


def _era_lookup(index: int) -> dict[str, object]:
    return {name: bounds[index] for name, bounds in ERAS.items()}


def _kanji_numbers() -> dict[str, str]:
    """Kanji numerals of 0-99 as dates write them, longest first (a
    leftmost-first replacement then takes 二十二 whole, not 二十 then 二):
    positional (`四十九`, `二十`, `十二`) and digit by digit (`一九七四`)."""
    digits = "〇一二三四五六七八九"
    positional = {
        ("" if tens == 1 else digits[tens]) + "十" + (digits[units] if units else ""): str(tens * 10 + units)
        for tens in range(1, 10)
        for units in range(10)
    }
    by_length = sorted(positional.items(), key=lambda item: -len(item[0]))
    return dict(by_length) | {digit: str(value) for value, digit in enumerate(digits)}


KANJI_NUMBERS = _kanji_numbers()

_THAI_MONTHS = (
    ("มกราคม", "ม.ค."), ("กุมภาพันธ์", "ก.พ."), ("มีนาคม", "มี.ค."), ("เมษายน", "เม.ย."),
    ("พฤษภาคม", "พ.ค."), ("มิถุนายน", "มิ.ย."), ("กรกฎาคม", "ก.ค."), ("สิงหาคม", "ส.ค."),
    ("กันยายน", "ก.ย."), ("ตุลาคม", "ต.ค."), ("พฤศจิกายน", "พ.ย."), ("ธันวาคม", "ธ.ค."),
)  # fmt: skip
THAI_DATE_WORDS: dict[str, str] = {
    **{full: f" {_MONTHS[index][:3]} " for index, (full, _) in enumerate(_THAI_MONTHS)},
    **{short: f" {_MONTHS[index][:3]} " for index, (_, short) in enumerate(_THAI_MONTHS)},
    "พ.ศ.": " ",  # Buddhist Era: the year after it is BE (see `calendar_dates`)
    "ค.ศ.": " ",  # Christian Era: a year written so stays below BUDDHIST_ERA_FIRST_YEAR
    "วันที่": " ",  # "the day": `วันที่ 15 มีนาคม 2533`
    **{digit: str(value) for value, digit in enumerate("๐๑๒๓๔๕๖๗๘๙")},
}
"""Thai date words as the English forms read them: month names, full and
abbreviated (`15 มี.ค. 2533` -> `15 Mar 2533`), the era words, and Thai
digits (`๑๕/๐๓/๒๕๓๓`). Full names come first: a leftmost-first replacement
then takes a whole name."""


def _date_text(value: pl.Expr) -> pl.Expr:
    """Cleaned date text as the forms below read it: a spreadsheet's text
    mark (`'1980-03-01`, `cell_text`) and a float's `.0` dropped
    (`20240602.0`: a date column of numbers that pandas stored as floats),
    kanji numerals as digits (`昭和四十九年六月二十二日`, `一九七四年`), Thai
    month names, era words and digits as `THAI_DATE_WORDS` reads them, and
    the `生`/`生まれ` (born) a form writes after a birth date dropped."""
    text = without_decimal_zero(cell_text(value)).str.replace_many(KANJI_NUMBERS | THAI_DATE_WORDS, leftmost=True)
    return text.str.strip_chars_end("生まれ ").str.strip_chars_start()


def calendar_dates(
    frame: pl.DataFrame, column: str, order: str | None = None, buddhist_era: str | None = None
) -> pl.DataFrame:
    """Parse the dates in `frame[column]`, written in any supported form.

    `order` names a column of `frame` holding each row's date order (`DMY`,
    `MDY`, `YMD` or null), used only for a year-last date whose day and month
    are both <= 12. `buddhist_era` names a Boolean column of `frame`: where
    true (and in any date written in Thai), a four-digit year of
    `BUDDHIST_ERA_FIRST_YEAR` or more is BE and read as CE before the day is
    checked (29/02/2535 is 1992-02-29; BE 2535 itself is no leap year).
    Out: `frame` with `_date` (Date) and `_date_failure` (Utf8) added. The
    failure is null when parsed (or the value is empty) and otherwise one of
    `unparseable` (no known form), `ambiguous` (`03/01/1980` with no
    `DMY`/`MDY` order: day and month both <= 12 and different), `impossible`
    (no such day, e.g. Feb 30 or month 13), `out_of_era` (wareki date
    outside its era, e.g. 昭和65年). Refused dates have a null `_date`.
    Evaluated in steps so that each regex runs once.
    """
    g, c, u, w = (pl.col(name) for name in ("_gregorian", "_compact", "_dmy", "_wareki"))
    mf, dm = pl.col("_month_first"), pl.col("_day_month")
    thai_written = cell_text(pl.col(column)).str.contains(THAI_SCRIPT)
    buddhist = (pl.col(buddhist_era) | thai_written) if buddhist_era else thai_written
    steps = frame.with_columns(
        _date_text(pl.col(column)).alias("_date_text"), buddhist.fill_null(False).alias("_buddhist_year")
    )
    text = pl.col("_date_text")
    steps = steps.with_columns(
        text.str.extract_groups(GREGORIAN).alias("_gregorian"),
        text.str.extract_groups(COMPACT).alias("_compact"),
        text.str.extract_groups(DAY_MONTH_YEAR).alias("_dmy"),
        text.str.extract_groups(WAREKI).alias("_wareki"),
        text.str.extract_groups(MONTH_NAME_FIRST).alias("_month_first"),
        text.str.extract_groups(DAY_MONTH_NAME).alias("_day_month"),
    )
    first, second = _as_int(u.struct[0]), _as_int(u.struct[1])
    given_order = pl.col(order) if order else pl.lit(None, pl.Utf8)
    either = (first <= 12) & (second <= 12) & (first != second)
    day_first = ((first > 12) & (second <= 12)) | (either & (given_order == "DMY"))
    month_first = ((second > 12) & (first <= 12)) | (first == second) | (either & (given_order == "MDY"))
    era = w.struct[0].str.to_uppercase().replace(ERA_LETTERS)
    steps = steps.with_columns(
        _make_date(
            _common_era_year(_as_int(pl.coalesce(g.struct[0], c.struct[0]))),
            _as_int(pl.coalesce(g.struct[1], c.struct[1])),
            _as_int(pl.coalesce(g.struct[2], c.struct[2])),
        ).alias("_gregorian_date"),
        pl.when(day_first)
        .then(_make_date(_common_era_year(_as_int(u.struct[2])), second, first))
        .when(month_first)
        .then(_make_date(_common_era_year(_as_int(u.struct[2])), first, second))
        .alias("_dmy_date"),
        (either & ~given_order.is_in(["DMY", "MDY"]).fill_null(False)).alias("_dmy_ambiguous"),
        _make_date(
            _common_era_year(_as_int(pl.coalesce(mf.struct[2], dm.struct[2]))),
            _month_number(pl.coalesce(mf.struct[0], dm.struct[1])),
            _as_int(pl.coalesce(mf.struct[1], dm.struct[0])),
        ).alias("_named_month_date"),
        era.alias("_era"),
        _make_date(
            era.replace_strict(_era_lookup(0), default=None, return_dtype=pl.Int32)
            + _as_int(w.struct[1].replace("元", "1")),
            _as_int(w.struct[2]),
            _as_int(w.struct[3]),
        ).alias("_wareki_date"),
    )
    era_start = pl.col("_era").replace_strict(_era_lookup(1), default=None, return_dtype=pl.Date)
    era_end = pl.col("_era").replace_strict(_era_lookup(2), default=None, return_dtype=pl.Date)
    named_month = _month_number(pl.coalesce(mf.struct[0], dm.struct[1])).is_not_null()
    matched = pl.any_horizontal(
        g.struct[0].is_not_null(), c.struct[0].is_not_null(), u.struct[0].is_not_null(), pl.col("_era").is_not_null(),
        named_month,
    )  # fmt: skip
    parsed = pl.coalesce("_gregorian_date", "_dmy_date", "_wareki_date", "_named_month_date")
    out_of_era = pl.col("_era").is_not_null() & ~(
        (pl.col("_wareki_date") >= era_start) & (pl.col("_wareki_date") <= era_end)
    )
    failure = (
        pl.when(text.is_null())
        .then(None)
        .when(~matched)
        .then(pl.lit("unparseable"))
        .when(pl.col("_dmy_ambiguous").fill_null(False))
        .then(pl.lit("ambiguous"))
        .when(parsed.is_null())
        .then(pl.lit("impossible"))
        .when(out_of_era)
        .then(pl.lit("out_of_era"))
    )
    steps = steps.with_columns(parsed.alias("_date"), failure.alias("_date_failure"))
    steps = steps.with_columns(pl.when(pl.col("_date_failure").is_null()).then(pl.col("_date")).alias("_date"))
    return steps.drop(
        "_date_text", "_buddhist_year", "_gregorian", "_compact", "_dmy", "_wareki", "_month_first", "_day_month",
        "_gregorian_date", "_dmy_date", "_dmy_ambiguous", "_era", "_wareki_date", "_named_month_date",
    )  # fmt: skip


def distinct_with_date_order(frame: pl.DataFrame, column: str) -> tuple[pl.DataFrame, list[str]]:
    """The distinct (`column`, source order columns, record country) of
    `frame` with their `_date_order` and `_buddhist_era` (`with_date_order`),
    and the key columns to join them back on."""
    keys = [column, *(name for name in (*SOURCE_ORDER_COLUMNS, RECORD_COUNTRY) if name in frame.columns)]
    return with_date_order(frame.select(keys).unique()), keys


def _lookup_join(frame: pl.DataFrame, lookup: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    return frame.join(lookup, on=keys, how="left", nulls_equal=True, maintain_order="left")


def _timestamp_birth_dates(lookup: pl.DataFrame, timezone: str) -> pl.DataFrame:
    """`lookup` (after `calendar_dates`) with the birth dates written as a
    timestamp with `Z` or an offset (`1985-03-04T00:00:00Z`, as systems that
    keep a date as a datetime export it) read: midnight is the written date
    (`1985-03-04T00:00:00-05:00` is 4 March wherever the project is); any
    other time is the instant a local midnight became in UTC
    (`1985-03-03T15:00:00Z` from Tokyo), so the date is that instant's in
    the project's `timezone`."""
    with_offset = pl.col("_date_failure").eq("unparseable") & cell_text(pl.col("birth_date")).str.contains(
        r"\d:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?)$"
    )
    candidates = lookup.filter(with_offset)
    if candidates.is_empty():
        return lookup
    written = cell_text(pl.col("birth_date")).str.extract_groups(TIMESTAMP)
    candidates = candidates.with_columns(
        written.struct[0].alias("_written_date"),
        pl.concat_str(written.struct[1], written.struct[2], written.struct[3].fill_null("00")).alias("_written_time"),
    )
    candidates = calendar_dates(
        candidates.drop("_date", "_date_failure"), "_written_date", "_date_order", "_buddhist_era"
    )
    candidates = timestamps(
        candidates, "birth_date", order="_date_order", buddhist_era="_buddhist_era", timezone=timezone
    )
    instant = pl.col("_timestamp").dt.date()
    read = pl.when(pl.col("_written_time").str.contains(r"^0{5,6}$")).then(pl.col("_date")).otherwise(instant)
    candidates = candidates.select(
        *lookup.columns[: lookup.columns.index("_date")],
        read.alias("_date"),
        pl.when(read.is_null()).then(pl.lit("unparseable")).alias("_date_failure"),
        *lookup.columns[lookup.columns.index("_date_failure") + 1 :],
    )
    return pl.concat([lookup.filter(~with_offset), candidates.select(lookup.columns)])


EXCEL_EPOCH = date(1899, 12, 30)
"""Day 0 of Excel's date serials (1900 system, its leap-day bug included):
serial 32874 is 1990-01-01."""


def _excel_serial_birth_dates(lookup: pl.DataFrame) -> pl.DataFrame:
    """`lookup` (after `calendar_dates`) with a birth date written as a
    five-digit Excel serial read (`32874`, or `32874.0` from a column of
    floats: 1990-01-01), as a spreadsheet whose date column was formatted as
    a number exports it. Five digits are
    1927-05-18 .. 2173; a birth date has no other five-digit form (years are
    four digits, `YYYYMMDD` eight)."""
    serial = without_decimal_zero(cell_text(pl.col("birth_date"))).str.extract(r"^(\d{5})$").cast(pl.Int64)
    read = pl.col("_date_failure").eq("unparseable").fill_null(False) & serial.is_not_null()
    return lookup.with_columns(
        pl.when(read).then((pl.lit(EXCEL_EPOCH) + pl.duration(days=serial)).cast(pl.Date)).otherwise("_date").alias("_date"),
        pl.when(read).then(None).otherwise("_date_failure").alias("_date_failure"),
    )


ERA_CODE_DIGITS = {"1": "明治", "2": "大正", "3": "昭和", "4": "平成", "5": "令和"}
"""The era digit of the numeric wareki code Japanese mainframe (core banking,
insurance) systems store a birth date as: era digit, then YYMMDD in the era
(`3550302` is 昭和55年3月2日, 1980-03-02)."""


def _era_code_birth_dates(lookup: pl.DataFrame) -> pl.DataFrame:
    """`lookup` (after `calendar_dates`) with a Japanese source's birth date
    written as a 7-digit era code (`ERA_CODE_DIGITS`: `3550302`, `4010108`)
    read, where it is unambiguous: seven digits and nothing else, an era
    digit 1-5, a year of at least 1 and a date inside that era (`3640108`,
    昭和64年1月8日, is no date: 平成 began that day). A source of another
    country writes no era code, and a 7-digit value there may be a date
    without its zeros (`3011985`, which no era reads either)."""
    code = without_decimal_zero(cell_text(pl.col("birth_date"))).str.extract_groups(r"^([1-5])(\d{2})(\d{2})(\d{2})$")
    era = code.struct[0].replace_strict(ERA_CODE_DIGITS, default=None, return_dtype=pl.Utf8)
    year = _as_int(code.struct[1])
    read = era.replace_strict(_era_lookup(0), default=None, return_dtype=pl.Int32) + year
    written = _make_date(read, _as_int(code.struct[2]), _as_int(code.struct[3]))
    in_era = (year >= 1) & (written >= era.replace_strict(_era_lookup(1), default=None, return_dtype=pl.Date)) & (
        written <= era.replace_strict(_era_lookup(2), default=None, return_dtype=pl.Date)
    )
    japanese = (pl.col("source_country") == "JP") if "source_country" in lookup.columns else pl.lit(False)
    readable = (pl.col("_date_failure").eq("unparseable") & japanese & in_era).fill_null(False)
    return lookup.with_columns(
        pl.when(readable).then(written).otherwise("_date").alias("_date"),
        pl.when(readable).then(None).otherwise("_date_failure").alias("_date_failure"),
    )


ROC_OFFSET = 1911
"""Year N of the Republic of China (民國) calendar, Taiwan's, is 1911 + N (民國79年 is 1990)."""

ROC_DATE = (
    r"^(?:(?:中華)?(民國|民国|民)\s*)?(\d{1,3})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?$"
    r"|^(?:(?:中華)?(民國|民国))?(\d{2,3})(\d{2})(\d{2})$"
)
"""A 民國 date: `民國79年5月3日`, `民国79年`, `79/05/03`, `79.05.03`, `100-05-03`,
and the compact `790503`, `0790503`, `1000503` Taiwanese systems store."""


def _read_where(lookup: pl.DataFrame, readable: pl.Expr, written: pl.Expr) -> pl.DataFrame:
    """`lookup` with `written` as the date where `readable`, refused as
    `impossible` where it names no day (民國79年2月30日, `901301`)."""
    return lookup.with_columns(
        pl.when(readable).then(written).otherwise("_date").alias("_date"),
        pl.when(readable & written.is_null())
        .then(pl.lit("impossible"))
        .when(readable)
        .then(None)
        .otherwise("_date_failure")
        .alias("_date_failure"),
    )


def _roc_birth_dates(lookup: pl.DataFrame) -> pl.DataFrame:
    """`lookup` (after `calendar_dates`) with a 民國 birth date read
    (`ROC_DATE`: ROC year + 1911): any value that says 民國/民国, and, in a
    Taiwanese source, a date of a one- to three-digit year first (no other
    calendar writes a year so in Taiwan: `79/05/03` is 1990-05-03, never
    1979). Read before any two-digit-year reading, so a Taiwanese source's
    year is never taken for a century's."""
    text = _date_text(pl.col("birth_date"))
    roc = text.str.extract_groups(ROC_DATE)
    era = pl.coalesce(roc.struct[0], roc.struct[4])
    year, month, day = (pl.coalesce(roc.struct[i], roc.struct[i + 4]) for i in (1, 2, 3))
    written = _make_date(_as_int(year) + ROC_OFFSET, _as_int(month), _as_int(day))
    taiwanese = (pl.col("source_country") == "TW") if "source_country" in lookup.columns else pl.lit(False)
    readable = (
        pl.col("_date_failure").eq("unparseable") & (era.is_not_null() | taiwanese) & (_as_int(year) >= 1)
    ).fill_null(False)
    return _read_where(lookup, readable, written)


def _korean_compact_birth_dates(lookup: pl.DataFrame, today: date) -> pl.DataFrame:
    """`lookup` (after `calendar_dates`) with a Korean source's six-digit
    birth date read as `YYMMDD` (`900503` is 1990-05-03), as the first half
    of a resident registration number writes it: a year up to `today`'s two
    digits is this century's, any other the last (a birth date is never in
    the future). Other countries' six digits may be `DDMMYY` and stay unread."""
    compact = without_decimal_zero(cell_text(pl.col("birth_date"))).str.extract_groups(r"^(\d{2})(\d{2})(\d{2})$")
    year = _as_int(compact.struct[0])
    century = pl.when(year <= today.year % 100).then(today.year // 100 * 100).otherwise(today.year // 100 * 100 - 100)
    written = _make_date(century + year, _as_int(compact.struct[1]), _as_int(compact.struct[2]))
    korean = (pl.col("source_country") == "KR") if "source_country" in lookup.columns else pl.lit(False)
    readable = (pl.col("_date_failure").eq("unparseable") & korean & year.is_not_null()).fill_null(False)
    return _read_where(lookup, readable, written)


TWO_DIGIT_YEAR = r"^(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})$"
"""A numeric date whose year has two digits, at either end (`16.04.85`,
`04/16/85`, `85-04-16`), as call centres and old forms write a birth date."""


def _two_digit_year_birth_dates(lookup: pl.DataFrame, today: date) -> pl.DataFrame:
    """`lookup` (after `calendar_dates`) with a birth date of a two-digit year
    (`TWO_DIGIT_YEAR`) read, `_century_inferred` true where one was: the year
    is in this century unless that puts the date after `today`, then in the
    last (on 2026-11-25, `16.04.85` is 1985, `16.04.05` 2005, `16.12.26`
    1926): a birth date is never in the future, and a customer of 100 is
    rarer than one of 20. The year is last (day and month in the source's
    date order, as `calendar_dates` reads `16.04.1985`) unless the first
    number is above 31 (`85-04-16`) or, all three 31 or less, the source
    writes year first (`YMD`); all three 31 or less with no order for the
    source (`05.04.16`: 2016-04-05 or 5 April 2016?) is ambiguous. The
    century depends on the night: `birth_date_century_inferred` is among
    `issues.DATED_ISSUES`."""
    parts = _date_text(pl.col("birth_date")).str.extract_groups(TWO_DIGIT_YEAR)
    readable = (pl.col("_date_failure").eq("unparseable") & parts.struct[0].is_not_null()).fill_null(False)
    candidates = lookup.filter(readable)
    if candidates.is_empty():
        return lookup.with_columns(pl.lit(False).alias("_century_inferred"))
    first, middle, last = (pl.col(f"_yy{index}") for index in range(3))
    order = pl.col("_date_order")
    candidates = candidates.with_columns(
        *(parts.struct[index].alias(f"_yy{index}") for index in range(3)),
    )
    year_first = (first.str.len_chars() == 2) & (
        (_as_int(first) > 31) | ((_as_int(last) <= 31) & (order == "YMD"))
    )
    year_last = ~year_first & (last.str.len_chars() == 2)
    either = (first.str.len_chars() == 2) & (_as_int(first) <= 31) & (_as_int(last) <= 31)
    unordered = either & ~order.is_in(["DMY", "MDY", "YMD"]).fill_null(False)
    year = pl.format("20{}", pl.when(year_first).then(first).otherwise(last))
    candidates = candidates.with_columns(
        pl.when(unordered)
        .then(None)
        .when(year_first)
        .then(pl.format("{}-{}-{}", year, middle, last))
        .when(year_last)
        .then(pl.format("{}/{}/{}", first, middle, year))
        .alias("_four_digit_year")
    )
    # No `buddhist_era`: a Thai source's `15/03/33` is read as CE like any other (README).
    read = calendar_dates(candidates.drop("_date", "_date_failure"), "_four_digit_year", "_date_order")
    written = pl.col("_date")
    read = read.with_columns(
        pl.when(written > today).then(written.dt.offset_by("-100y")).otherwise(written).alias("_date"),
        pl.when(unordered)
        .then(pl.lit("ambiguous"))
        .when(pl.col("_four_digit_year").is_null())
        .then(pl.lit("unparseable"))  # no year of two digits: `1.2.3`
        .otherwise("_date_failure")
        .alias("_date_failure"),
    ).with_columns(pl.col("_date").is_not_null().alias("_century_inferred"))
    columns = [*lookup.columns, "_century_inferred"]
    return pl.concat([lookup.filter(~readable).with_columns(pl.lit(False).alias("_century_inferred")), read.select(columns)])


def _buddhist_era_year(parsed: pl.Expr) -> pl.Expr:
    """Whether `parsed` (a date after `calendar_dates`) is of a year only the
    Buddhist Era gives a customer's dates (`BUDDHIST_ERA_YEARS`), left as
    written because the record is not Thai."""
    year = parsed.dt.year()
    return (year >= BUDDHIST_ERA_YEARS[0]) & (year <= BUDDHIST_ERA_YEARS[1])


def _other_birth_date_forms(lookup: pl.DataFrame, today: date, timezone: str) -> pl.DataFrame:
    """`lookup` (after `calendar_dates`) with the birth dates it left
    `unparseable` read by the other forms' readers, in order (a 民國 date
    before any two-digit year), and `_century_inferred`. Only those rows go
    through the readers, so their patterns run over the few values the
    plain forms did not read, not over every distinct birth date of a
    million records. Row order is not kept (a lookup)."""
    unread = pl.col("_date_failure").eq("unparseable").fill_null(False)
    others = _korean_compact_birth_dates(_roc_birth_dates(_timestamp_birth_dates(lookup.filter(unread), timezone)), today)
    others = _two_digit_year_birth_dates(_era_code_birth_dates(_excel_serial_birth_dates(others)), today)
    plain = lookup.filter(~unread).with_columns(pl.lit(False).alias("_century_inferred"))
    return pl.concat([plain, others.select(plain.columns)])


def standardize_birth_date(frame: pl.DataFrame, today: date, timezone: str = "UTC") -> pl.DataFrame:
    """Add `std_birth_date` and the `birth_date` issue column.

    Every form `calendar_dates` reads, a date followed by a time, a
    timestamp with an offset (see `_timestamp_birth_dates`; `timezone` is
    the project's), an Excel serial (`_excel_serial_birth_dates`) and a
    Japanese source's 7-digit era code (`_era_code_birth_dates`), a 民國
    date (`_roc_birth_dates`), a Korean source's `YYMMDD`
    (`_korean_compact_birth_dates`) and a date of a two-digit year
    (`_two_digit_year_birth_dates`: read, flagged `birth_date_century_inferred`).
    A Thai record's BE year is read (`with_date_order`).
    Refused (null + invalid issue): unparseable, ambiguous
    US/EU (no date order for the record's source), impossible (incl. before
    1900), outside its wareki era, a BE year in a record that is not Thai
    (`buddhist_era`: `15/03/2533` from a source without `country: TH`; set
    the source's country, or the record's), after `today`, a placeholder for an
    unknown date (`PLACEHOLDER_BIRTH_DATES`). Parsed once per distinct
    value and source order.
    """
    lookup, keys = distinct_with_date_order(frame, "birth_date")
    lookup = calendar_dates(lookup, "birth_date", "_date_order", "_buddhist_era")
    lookup = _other_birth_date_forms(lookup, today, timezone)
    parsed = pl.col("_date")
    refused = (
        pl.when(pl.col("_date_failure").is_not_null())
        .then(pl.col("_date_failure"))
        .when(parsed < EARLIEST_BIRTH_DATE)
        .then(pl.lit("impossible"))
        .when(_buddhist_era_year(parsed))
        .then(pl.lit("buddhist_era"))
        .when(parsed > today)
        .then(pl.lit("in_future"))
        .when(parsed.is_in(PLACEHOLDER_BIRTH_DATES))
        .then(pl.lit("placeholder"))
    )
    lookup = lookup.select(
        *keys,
        pl.when(refused.is_null()).then(parsed).alias("std_birth_date"),
        (
            pl.lit("birth_date_")
            + pl.coalesce(refused, pl.when(pl.col("_century_inferred")).then(pl.lit("century_inferred")))
        ).alias(issue_column("birth_date")),
    )
    return _lookup_join(frame, lookup, keys)


# Plain forms most exports use, parsed straight from the raw value; a value
# that does not parse this way goes through `_cleaned_timestamps`, which gives
# these forms the same result.
_PLAIN_TIMESTAMPS = (
    (r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2}$", "%Y-%m-%dT%H:%M:%S%:z", True),
    (r"^[0-9]{4}/[0-9]{2}/[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$", "%Y/%m/%d %H:%M:%S", False),
    (r"^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$", "%Y-%m-%d %H:%M:%S", False),
)


def _in_zone(utc: pl.Expr, timezone: str) -> pl.Expr:
    """A naive UTC datetime as the naive wall-clock time of `timezone`."""
    return utc.dt.replace_time_zone("UTC").dt.convert_time_zone(timezone).dt.replace_time_zone(None)


def _strptime(text: pl.Expr, fmt: str, with_offset: bool, timezone: str) -> pl.Expr:
    if with_offset:
        utc = text.str.strptime(pl.Datetime("us", "UTC"), fmt, strict=False).dt.replace_time_zone(None)
        return _in_zone(utc, timezone)
    return text.str.strptime(pl.Datetime("us"), fmt, strict=False)


def timestamps(
    frame: pl.DataFrame, column: str, *, order: str | None = None, buddhist_era: str | None = None,
    timezone: str = "UTC",
) -> pl.DataFrame:
    """Parse `frame[column]` to naive Datetime(us) in `_timestamp` (null when
    unparseable), the wall-clock time of `timezone` (an IANA name).

    A date in any form `calendar_dates` accepts (year-last dates read by the
    `order` column, as there), alone (midnight) or followed by a time of day
    (`2024-01-02T03:04:05`, `02.01.2024 10:19`, `01/02/2024 03:04:05.123`,
    `2024年1月2日 3時4分`, `20240102030405`). A value with `Z` or an offset
    (`+09:00`, `+0900`, `+09`) is converted to `timezone`, and so is a Unix
    time (`1704164645`, or in milliseconds); a naive value is taken as
    already in it. `buddhist_era` names a Boolean column: where true, a year
    from `BUDDHIST_ERA_FIRST_YEAR` on is BE (see `calendar_dates`).
    """
    raw = pl.col(column)
    plain = pl.coalesce(
        pl.when(raw.str.contains(shape)).then(_strptime(raw, fmt, with_offset, timezone))
        for shape, fmt, with_offset in _PLAIN_TIMESTAMPS
    )
    if buddhist_era:  # a Thai record's `2569-04-23 10:00:00` is BE: the plain path reads no era
        plain = pl.when(~pl.col(buddhist_era)).then(plain)
    steps = frame.with_columns(plain.alias("_timestamp"))
    keys = [name for name in (column, order, buddhist_era) if name]
    rest = steps.filter(pl.col("_timestamp").is_null()).select(keys).unique()
    steps = _lookup_join(
        steps, _cleaned_timestamps(rest, column, order=order, buddhist_era=buddhist_era, timezone=timezone), keys
    )
    return steps.with_columns(pl.coalesce("_timestamp", "_cleaned_timestamp").alias("_timestamp")).drop(
        "_cleaned_timestamp"
    )


_JAPANESE_TIME = (
    (r"(\d{1,2})\s*時\s*(\d{1,2})\s*分\s*(\d{1,2})\s*秒", " ${1}:${2}:${3}"),
    (r"(\d{1,2})\s*時\s*(\d{1,2})\s*分", " ${1}:${2}"),
    (r"(\d{1,2})\s*時$", " ${1}:00"),
)
"""A time written in Japanese (`10時5分30秒`, `10時5分`, `10時`) and the clock form it is read as."""

_COMPACT_DATE_TIME = r"^(\d{8})(\d{2})(\d{2})(\d{2})?$"
"""`yyyymmddHHMM(SS)`, as legacy Japanese systems write a time stamp."""

_EPOCH_SECONDS = r"^(\d{9,10})(?:\.\d+)?$"
_EPOCH_MILLISECONDS = r"^(\d{13})(?:\.0+)?$"
"""Unix time as systems and JSON APIs export an instant: seconds (9 or 10
digits, 1973-2286, a fraction dropped) or milliseconds (13 digits). No date
form has these lengths (`yyyymmdd` is 8 digits, `yyyymmddHHMM` 12)."""


_TWELVE_HOUR = r"^(.*?\S)\s*(\d{1,2})(:\d{2}(?::\d{2}(?:[.,]\d+)?)?)\s*([AaPp])\.?\s*[Mm]\.?$"
"""A time of day on the 12-hour clock after the date (`5/1/2024 3:15 PM`,
as a US spreadsheet exports it; `午後3:15` is rewritten to this first)."""


def _timestamp_text(text: pl.Expr) -> pl.Expr:
    """Cleaned timestamp text with a Japanese time of day, a 12-hour time and
    a compact `yyyymmddHHMM(SS)` rewritten in the clock form the parser reads
    (`2024年6月2日 10時5分` -> `2024年6月2日 10:05`, `5/1/2024 3:15 PM` ->
    `5/1/2024 15:15`, `20240602103000` -> `20240602 10:30:00`)."""
    text = text.str.replace_all(r"(^|\D)(\d)(\s*[分秒])", "${1}0${2}${3}")  # 5分 -> 05分
    for pattern, clock in _JAPANESE_TIME:
        text = text.str.replace(pattern, clock)
    text = text.str.replace(r"(午前|午後)\s*(\d{1,2}:\d{2}(?::\d{2})?)$", "${2} ${1}").str.replace_many(
        {"午前": "AM", "午後": "PM"}
    )
    twelve = text.str.extract_groups(_TWELVE_HOUR)
    afternoon = twelve.struct[3].str.to_uppercase() == "P"
    hour = twelve.struct[1].cast(pl.Int32, strict=False)
    hour = pl.when(hour <= 12).then(hour % 12 + pl.when(afternoon).then(12).otherwise(0))  # 13:15 PM: not read
    text = pl.coalesce(
        pl.concat_str(twelve.struct[0], pl.lit(" "), hour.cast(pl.Utf8).str.zfill(2), twelve.struct[2]), text
    )
    compact = text.str.extract_groups(_COMPACT_DATE_TIME)
    rewritten = pl.concat_str(
        compact.struct[0], pl.lit(" "), compact.struct[1], pl.lit(":"), compact.struct[2],
        pl.when(compact.struct[3].is_not_null()).then(pl.lit(":") + compact.struct[3]).otherwise(pl.lit("")),
    )  # fmt: skip
    return pl.coalesce(rewritten, text)


def _epoch_timestamps(text: pl.Expr, timezone: str) -> pl.Expr:
    """A Unix time (`_EPOCH_SECONDS`, `_EPOCH_MILLISECONDS`) as the wall-clock time of `timezone`."""
    seconds = text.str.extract(_EPOCH_SECONDS).cast(pl.Int64, strict=False)
    milliseconds = text.str.extract(_EPOCH_MILLISECONDS).cast(pl.Int64, strict=False)
    micros = pl.coalesce(seconds * 1_000_000, milliseconds * 1_000)
    return _in_zone(pl.from_epoch(micros, time_unit="us"), timezone)


_UNUSUAL_TIMESTAMP = r"時|午前|午後|[AaPp]\.?\s*[Mm]\.?$|^\d{9,14}(?:\.\d+)?$"
"""Cleaned text `_timestamp_text` or `_epoch_timestamps` may read: a Japanese
time of day, a 12-hour time, or digits alone. Only such values pay for their
regexes."""


def _cleaned_timestamps(
    frame: pl.DataFrame, column: str, *, order: str | None = None, buddhist_era: str | None = None,
    timezone: str = "UTC",
) -> pl.DataFrame:
    """`column` (and `order`) and `_cleaned_timestamp`: every supported form,
    after `cell_text` (and, for the few values `_UNUSUAL_TIMESTAMP` finds,
    `_timestamp_text`): the date by `calendar_dates`, then the time and
    offset; or a Unix time (`_epoch_timestamps`)."""
    keys = [name for name in (column, order, buddhist_era) if name]
    cleaned = frame.with_columns(cell_text(pl.col(column)).alias("_cleaned"))
    unusual = pl.col("_cleaned").str.contains(_UNUSUAL_TIMESTAMP).fill_null(False)
    usual = _clock_read(cleaned.filter(~unusual), pl.col("_cleaned"), order, buddhist_era, timezone)
    rare = cleaned.filter(unusual)
    if rare.height:
        rare = _clock_read(rare, _timestamp_text(pl.col("_cleaned")), order, buddhist_era, timezone).with_columns(
            pl.coalesce("_cleaned_timestamp", _epoch_timestamps(pl.col("_cleaned"), timezone))
        )
        usual = pl.concat([usual, rare], how="vertical_relaxed")
    return usual.select(*keys, "_cleaned_timestamp")


def _clock_read(
    frame: pl.DataFrame, text: pl.Expr, order: str | None, buddhist_era: str | None, timezone: str
) -> pl.DataFrame:
    """`frame` with `_cleaned_timestamp` read from `text`: the date by
    `calendar_dates`, then the time and offset (see `timestamps`)."""
    steps = frame.with_columns(text.alias("_clock_text"))
    text = pl.col("_clock_text")
    steps = steps.with_columns(text.str.extract_groups(TIMESTAMP).alias("_time"))
    time = pl.col("_time")
    steps = calendar_dates(
        steps.with_columns(pl.coalesce(time.struct[0], text).alias("_timestamp_date")),
        "_timestamp_date",
        order,
        buddhist_era,
    )
    hour, minute, second = _as_int(time.struct[1]), _as_int(time.struct[2]), _as_int(time.struct[3]).fill_null(0)
    micros = _as_int(time.struct[4].str.slice(0, 6).str.pad_end(6, "0")).fill_null(0)
    local = pl.col("_date").cast(pl.Datetime("us")) + pl.duration(
        hours=hour.fill_null(0), minutes=minute.fill_null(0), seconds=second, microseconds=micros
    )
    offset = time.struct[5].str.extract_groups(r"^([+-])(\d{2}):?(\d{2})?$")
    sign = pl.when(offset.struct[0] == "-").then(-1).otherwise(1)
    offset_minutes = sign * (_as_int(offset.struct[1]) * 60 + _as_int(offset.struct[2]).fill_null(0))
    utc = local - pl.duration(minutes=pl.when(time.struct[5] == "Z").then(0).otherwise(offset_minutes))
    parsed = (
        pl.when(hour.is_not_null() & ((hour > 23) | (minute > 59) | (second > 59)))
        .then(None)
        .when(time.struct[5].is_not_null())
        .then(_in_zone(utc, timezone))
        .otherwise(local)
    )
    return steps.with_columns(parsed.alias("_cleaned_timestamp"))


def standardize_updated_at(frame: pl.DataFrame, today: date, timezone: str = "UTC") -> pl.DataFrame:
    """Add `std_updated_at`, the naive wall-clock time in `timezone` (the
    project's; see `timestamps`); unparseable -> null + invalid issue, a
    timestamp after `today` is kept and flagged. A Thai record's BE year is
    read (`with_date_order`); one in a record that is not Thai is refused
    (null + `updated_at_buddhist_era`): kept as a year centuries ahead, it
    would win every `most_recent` survivorship. Parsed once per distinct
    value and source order."""
    lookup, keys = distinct_with_date_order(frame, "updated_at")
    lookup = timestamps(lookup, "updated_at", order="_date_order", buddhist_era="_buddhist_era", timezone=timezone)
    parsed = pl.col("_timestamp")
    buddhist_era = _buddhist_era_year(parsed).fill_null(False)
    code = (
        pl.when(cell_text(pl.col("updated_at")).is_not_null() & parsed.is_null())
        .then(pl.lit("updated_at_unparseable"))
        .when(buddhist_era)
        .then(pl.lit("updated_at_buddhist_era"))
        .when(parsed.dt.date() > today)
        .then(pl.lit("updated_at_in_future"))
    )
    lookup = lookup.select(
        *keys, pl.when(~buddhist_era).then(parsed).alias("std_updated_at"), code.alias(issue_column("updated_at"))
    )
    return _lookup_join(frame, lookup, keys)
