"""Birth dates and update timestamps: Gregorian, wareki (和暦) and US/EU forms.

All parsing is polars expressions (regex extraction + non-strict strptime),
evaluated over the distinct raw values only and joined back.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from resolution.standardization.issues import issue_column
from resolution.standardization.text import clean_text

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
ERA_LETTERS = {"M": "明治", "T": "大正", "S": "昭和", "H": "平成", "R": "令和"}

EARLIEST_BIRTH_DATE = date(1900, 1, 1)

_TIME_SUFFIX = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
GREGORIAN = (
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?" + _TIME_SUFFIX + r"$"
)
COMPACT = r"^(\d{4})(\d{2})(\d{2})$"
DAY_MONTH_YEAR = r"^(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4})$"
WAREKI = (
    r"^(明治|大正|昭和|平成|令和|[MTSHRmtshr])\.?\s*(\d{1,2}|元)\s*[年./-]\s*"
    r"(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?$"
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


def _era_lookup(index: int) -> dict[str, object]:
    return {name: bounds[index] for name, bounds in ERAS.items()}


def calendar_dates(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    """Parse the dates in `frame[column]`, written in any supported form.

    Out: `frame` with `_date` (Date) and `_date_failure` (Utf8) added. The
    failure is null when parsed (or the value is empty) and otherwise one of
    `unparseable` (no known form), `ambiguous` (`03/01/1980`: day and month
    both <= 12 and different), `impossible` (no such day, e.g. Feb 30 or
    month 13), `out_of_era` (wareki date outside its era, e.g. 昭和65年).
    Refused dates have a null `_date`. Evaluated in steps so that each regex
    runs once.
    """
    g, c, u, w = (pl.col(name) for name in ("_gregorian", "_compact", "_dmy", "_wareki"))
    steps = frame.with_columns(clean_text(pl.col(column)).alias("_date_text"))
    text = pl.col("_date_text")
    steps = steps.with_columns(
        text.str.extract_groups(GREGORIAN).alias("_gregorian"),
        text.str.extract_groups(COMPACT).alias("_compact"),
        text.str.extract_groups(DAY_MONTH_YEAR).alias("_dmy"),
        text.str.extract_groups(WAREKI).alias("_wareki"),
    )
    first, second = _as_int(u.struct[0]), _as_int(u.struct[1])
    era = w.struct[0].str.to_uppercase().replace(ERA_LETTERS)
    steps = steps.with_columns(
        _make_date(
            _as_int(pl.coalesce(g.struct[0], c.struct[0])),
            _as_int(pl.coalesce(g.struct[1], c.struct[1])),
            _as_int(pl.coalesce(g.struct[2], c.struct[2])),
        ).alias("_gregorian_date"),
        pl.when((first > 12) & (second <= 12))
        .then(_make_date(_as_int(u.struct[2]), second, first))
        .when(((second > 12) & (first <= 12)) | (first == second))
        .then(_make_date(_as_int(u.struct[2]), first, second))
        .alias("_dmy_date"),
        ((first <= 12) & (second <= 12) & (first != second)).alias("_dmy_ambiguous"),
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
    matched = pl.any_horizontal(
        g.struct[0].is_not_null(), c.struct[0].is_not_null(), u.struct[0].is_not_null(), pl.col("_era").is_not_null()
    )
    parsed = pl.coalesce("_gregorian_date", "_dmy_date", "_wareki_date")
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
        "_date_text", "_gregorian", "_compact", "_dmy", "_wareki",
        "_gregorian_date", "_dmy_date", "_dmy_ambiguous", "_era", "_wareki_date",
    )  # fmt: skip


def _lookup_join(frame: pl.DataFrame, lookup: pl.DataFrame, key: str) -> pl.DataFrame:
    return frame.join(lookup, on=key, how="left", nulls_equal=True, maintain_order="left")


def standardize_birth_date(frame: pl.DataFrame, today: date) -> pl.DataFrame:
    """Add `std_birth_date` and the `birth_date` issue column.

    Refused (null + invalid issue): unparseable, ambiguous US/EU, impossible
    (incl. before 1900), outside its wareki era, after `today`. Parsed once
    per distinct value.
    """
    lookup = calendar_dates(frame.select(pl.col("birth_date").unique()), "birth_date")
    parsed = pl.col("_date")
    reason = (
        pl.when(pl.col("_date_failure").is_not_null())
        .then(pl.col("_date_failure"))
        .when(parsed < EARLIEST_BIRTH_DATE)
        .then(pl.lit("impossible"))
        .when(parsed > today)
        .then(pl.lit("in_future"))
    )
    lookup = lookup.select(
        "birth_date",
        pl.when(reason.is_null()).then(parsed).alias("std_birth_date"),
        (pl.lit("birth_date_") + reason).alias(issue_column("birth_date")),
    )
    return _lookup_join(frame, lookup, "birth_date")


_TIMESTAMP_FORMATS_WITH_OFFSET = ("%Y-%m-%d %H:%M:%S%.f%z", "%Y-%m-%d %H:%M%z")
_TIMESTAMP_FORMATS = ("%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%d %H:%M")


# Plain forms most exports use, parsed straight from the raw value; a value
# that does not parse this way goes through `_cleaned_timestamps`, which gives
# these forms the same result.
_PLAIN_TIMESTAMPS = (
    (r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2}$", "%Y-%m-%dT%H:%M:%S%:z", True),
    (r"^[0-9]{4}/[0-9]{2}/[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$", "%Y/%m/%d %H:%M:%S", False),
    (r"^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$", "%Y-%m-%d %H:%M:%S", False),
)


def _strptime(text: pl.Expr, fmt: str, with_offset: bool) -> pl.Expr:
    if with_offset:
        return text.str.strptime(pl.Datetime("us", "UTC"), fmt, strict=False).dt.replace_time_zone(None)
    return text.str.strptime(pl.Datetime("us"), fmt, strict=False)


def timestamps(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    """Parse `frame[column]` to naive Datetime(us) in `_timestamp` (null when
    unparseable).

    `2024-01-02T03:04:05`, `2024/01/02 03:04`, with fraction, with `Z` or an
    offset (converted to UTC, then the zone dropped), or a date alone in any
    form `calendar_dates` accepts (midnight).
    """
    raw = pl.col(column)
    plain = pl.coalesce(
        pl.when(raw.str.contains(shape)).then(_strptime(raw, fmt, with_offset))
        for shape, fmt, with_offset in _PLAIN_TIMESTAMPS
    )
    steps = frame.with_columns(plain.alias("_timestamp"))
    rest = _cleaned_timestamps(steps.filter(pl.col("_timestamp").is_null()).select(raw.unique()), column)
    steps = _lookup_join(steps, rest, column)
    return steps.with_columns(pl.coalesce("_timestamp", "_cleaned_timestamp").alias("_timestamp")).drop(
        "_cleaned_timestamp"
    )


def _cleaned_timestamps(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    """`column` and `_cleaned_timestamp`: every supported form, after `clean_text`."""
    text = (
        clean_text(pl.col(column))
        .str.replace(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})", "${1}-${2}-${3}")
        .str.replace(r"(\d)T(\d)", "${1} ${2}")
        .str.replace(r"\s*Z$", "+0000")
        .str.replace(r"\s*([+-]\d{2}):?(\d{2})$", "${1}${2}")
    )
    steps = calendar_dates(frame.with_columns(text.alias("_timestamp_text")), column)
    formats = [
        *(_strptime(pl.col("_timestamp_text"), fmt, True) for fmt in _TIMESTAMP_FORMATS_WITH_OFFSET),
        *(_strptime(pl.col("_timestamp_text"), fmt, False) for fmt in _TIMESTAMP_FORMATS),
    ]
    parsed = pl.coalesce(*formats, pl.col("_date").cast(pl.Datetime("us")))
    return steps.select(column, parsed.alias("_cleaned_timestamp"))


def standardize_updated_at(frame: pl.DataFrame, today: date) -> pl.DataFrame:
    """Add `std_updated_at`; unparseable -> null + invalid issue, a timestamp
    after `today` is kept and flagged. Parsed once per distinct value."""
    lookup = timestamps(frame.select(pl.col("updated_at").unique()), "updated_at")
    parsed = pl.col("_timestamp")
    code = (
        pl.when(clean_text(pl.col("updated_at")).is_not_null() & parsed.is_null())
        .then(pl.lit("updated_at_unparseable"))
        .when(parsed.dt.date() > today)
        .then(pl.lit("updated_at_in_future"))
    )
    lookup = lookup.select("updated_at", parsed.alias("std_updated_at"), code.alias(issue_column("updated_at")))
    return _lookup_join(frame, lookup, "updated_at")
