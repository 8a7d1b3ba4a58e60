"""Phone numbers to E.164 with phonenumbers, once per distinct (number, country)."""

from __future__ import annotations

import phonenumbers
import polars as pl
from phonenumbers import PhoneNumberType

from resolution.standardization.distinct import map_distinct, over_distinct
from resolution.standardization.issues import issue_column, issue_when
from resolution.standardization.text import clean_text, dashes_to_hyphen

_PHONE_TYPES = {
    PhoneNumberType.MOBILE: "mobile",
    PhoneNumberType.FIXED_LINE: "fixed_line",
}

# Longer than any real number with punctuation: refuse before parsing.
_MAX_PHONE_LENGTH = 40


def phone_text(expr: pl.Expr) -> pl.Expr:
    """Width-folded phone text: full-width digits/`＋`, `ー`-style dashes and a
    `tel:` prefix handled; everything else is left to phonenumbers."""
    return dashes_to_hyphen(clean_text(expr)).str.replace(r"(?i)^tel:\s*", "")


def parse_phone(text: str, region: str | None) -> tuple[str | None, str | None]:
    """One phone number -> (E.164, type), or (None, None) when invalid.

    `region` is the ISO alpha-2 country used for numbers without `+`; numbers
    that are not valid for their country (per phonenumbers) are refused.
    Type is `mobile`, `fixed_line` or `other` (toll-free, IP, or numbers whose
    plan does not tell mobile from fixed, e.g. US).
    """
    if len(text) > _MAX_PHONE_LENGTH:
        return None, None
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None, None
    if not phonenumbers.is_valid_number(number):
        return None, None
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return e164, _PHONE_TYPES.get(phonenumbers.number_type(number), "other")


def standardize_phone(frame: pl.DataFrame) -> pl.DataFrame:
    """Add `std_phone`, `std_phone_type` and the `phone` issue column
    (`phone_invalid` when a phone was given but is not a valid number).
    Needs `std_country`."""
    return over_distinct(frame, ["phone", "std_country"], _add_phone_columns)


def _add_phone_columns(frame: pl.DataFrame) -> pl.DataFrame:
    frame = frame.with_columns(phone_text(pl.col("phone")).alias("_phone_text"))
    frame = map_distinct(
        frame,
        ["_phone_text", "std_country"],
        parse_phone,
        {"std_phone": pl.Utf8, "std_phone_type": pl.Utf8},
    )
    return frame.with_columns(
        issue_when(
            pl.col("_phone_text").is_not_null() & pl.col("std_phone").is_null(), "phone_invalid"
        ).alias(issue_column("phone"))
    ).drop("_phone_text")
