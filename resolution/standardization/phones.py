"""Phone numbers to E.164 with phonenumbers, once per distinct (number, country).

Numbers written the plain Japanese way (`090-1234-5678`, `+81 3 1234 5678`:
digits, spaces and dashes only) are decided by polars expressions built from
phonenumbers' own metadata for JP, which give the same E.164 and type as the
library; every other value goes through phonenumbers itself.
"""

from __future__ import annotations

import re

import phonenumbers
import polars as pl
from phonenumbers import PhoneNumberDesc, PhoneNumberType

from resolution.standardization.distinct import map_distinct, over_distinct
from resolution.standardization.issues import issue_column, issue_when
from resolution.standardization.text import (
    clean_text,
    dashes_to_hyphen,
    empty_to_null,
    with_computed_where,
    without_decimal_zero,
)

_PHONE_TYPES = {
    PhoneNumberType.MOBILE: "mobile",
    PhoneNumberType.FIXED_LINE: "fixed_line",
}

# Longer than any real number with punctuation: refuse before parsing.
_MAX_PHONE_LENGTH = 40


_EXTENSION = r"\(?\s*内線\s*(?:番号)?\s*:?\s*([0-9-]+)\s*\)?"
"""A Japanese extension (`内線123`, `(内線:123)`): written ` ext. 123`, which phonenumbers reads."""
_NOTE = r"\([^0-9()]*\)|[\p{Han}\p{Hiragana}\p{Katakana}ー]+"
"""Words that are not the number: `(代)`, `(代表)`, `自宅`, `携帯:`, `(home)`."""
_SEPARATOR = r"\s+/\s+|[、,;]|\s+or\s+"
"""Between two numbers in one field (`090-1234-5678 / 03-1234-5678`); a `/`
without spaces is inside a number (`030/1234567`)."""


def phone_text(expr: pl.Expr) -> pl.Expr:
    """Width-folded phone text: full-width digits/`＋`, `ー`-style dashes and a
    `tel:` prefix handled; a Japanese extension written as phonenumbers reads
    extensions, notes around the number dropped, of several numbers the
    first, and a float column's `.0` (`9012345678.0`; the leading zero a
    spreadsheet dropped phonenumbers does without); everything else is left
    to phonenumbers."""
    return _without_words(_plain_phone_text(expr))


def written_digits(expr: pl.Expr) -> pl.Expr:
    """The digits of a phone value as written (`phone_text`'s first number,
    without an extension): what is left of a number phonenumbers refused,
    for its last digits (`match_keys`: a foreign mobile written without its
    country code ends as its E.164 does)."""
    return phone_text(expr).str.replace(r"(?i)\s*(?:ext\.?|x|#).*$", "").str.replace_all(r"[^0-9]", "")


def _plain_phone_text(expr: pl.Expr) -> pl.Expr:
    return dashes_to_hyphen(clean_text(expr)).str.replace(r"(?i)^tel:\s*", "")


_WORDS_OR_EDGES = r"[^0-9 +()\-]|\(\s*\)|^[ \-]|[ \-]$"
"""Plain phone text `_without_words` changes: anything but digits, spaces,
`+`, brackets and dashes, empty brackets, a space or dash at either end."""


def _without_words(text: pl.Expr) -> pl.Expr:
    text = without_decimal_zero(text).str.replace(_EXTENSION, " ext. $1").str.replace_all(_NOTE, " ")
    first_number = text.str.replace(f"(?:{_SEPARATOR}).*$", "")
    return empty_to_null(first_number.str.replace_all(r"\s+", " ").str.strip_chars(" :.-"))


def parse_phone(text: str, region: str | None, written_in: str | None = None) -> tuple[str | None, str | None]:
    """One phone number -> (E.164, type), or (None, None) when invalid.

    `region` is the ISO alpha-2 country used for numbers without `+` (the
    record's country); numbers that are not valid for their country (per
    phonenumbers) are refused. Type is `mobile`, `fixed_line` or `other`
    (toll-free, IP, or numbers whose plan does not tell mobile from fixed,
    e.g. US).

    A number that is no valid number of `region` is read again, in order:
    - with `00` as the international prefix (`0081-90-…`: most of the world
      dials abroad with `00`, and people write `+` so even where the prefix
      is another, such as Japan's `010`);
    - as written in `written_in`, the source's country, where it was typed:
      a Japanese shop's foreign customer gives a Japanese mobile
      (`090-…`) or dials abroad the Japanese way (`010-86-…`). Not for a
      record whose country is unknown (`region` None): a value that names no
      country may be any country's, and its number is no more the source's
      than its postal code is.
    Only when none of these readings is a valid number, each is read once
    more as a number of an older numbering plan (`current_number`: a Mexican
    `+52 1 55…`, a Brazilian 8-digit mobile), so that a number valid as
    written is never rewritten.
    """
    if len(text) > _MAX_PHONE_LENGTH:
        return None, None
    readings = [(text, region)]
    if re.match(r"^00[ \-]?[1-9]", text):
        readings.append(("+" + text[2:].lstrip(" -"), region))
    if region and written_in and written_in != region:
        readings.append((text, written_in))
    for older_plan in (False, True):
        for reading, reading_region in readings:
            found = parse_in_region(reading, reading_region, older_plan=older_plan)
            if found[0] is not None:
                return found
    return None, None


def parse_in_region(text: str, region: str | None, *, older_plan: bool = False) -> tuple[str | None, str | None]:
    """`parse_phone` for one reading: (E.164, type) of `text` as phonenumbers
    reads it in `region`, or (None, None) when that is no valid number. With
    `older_plan`, an invalid number is read as `current_number` gives it."""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None, None
    # UNKNOWN exactly when `is_valid_number` is false (both decide with
    # `_number_type_helper`): one region lookup instead of two.
    kind = phonenumbers.number_type(number)
    if kind == PhoneNumberType.UNKNOWN and older_plan:
        number, kind = current_number(number)
    if kind == PhoneNumberType.UNKNOWN:
        return None, None
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return e164, _PHONE_TYPES.get(kind, "other")


_BRAZILIAN_OLD_MOBILE = re.compile(r"([1-9][1-9])([6-9][0-9]{7})")
"""A Brazilian area code and an 8-digit subscriber number in the range
mobiles had (6-9) before Anatel put a `9` in front of every mobile
(2012-2016); fixed lines start 2-5 and were not changed."""


def current_number(number: phonenumbers.PhoneNumber) -> tuple[phonenumbers.PhoneNumber, int]:
    """An invalid number read as the valid number its country's numbering
    plan has made of it, with its phonenumbers type; the number itself and
    `UNKNOWN` when no plan change below applies, or when what it gives is
    no valid number (no guess is kept that phonenumbers does not accept).

    Plan changes whose old form still fills exports (customers keep the
    number they typed years ago, systems keep the form they stored):
    - Mexico (2019): the mobile `1` after the country code (`+52 1 55 8614
      5095`), the `044`/`045` mobile prefixes and the `01` long-distance
      prefix (`044 55 8614 5095`, `01 55 …`) were dropped: the ten digits
      that remain are the number.
    - Brazil (2012-2016): a mobile's 8-digit subscriber number got a
      leading `9` (`(11) 8123-4567` is `(11) 98123-4567`); kept only where
      the result is a mobile.
    """
    national = str(number.national_number)
    leading_zero = bool(number.italian_leading_zero)
    current: str | None = None
    if number.country_code == 52:
        if len(national) == 11 and national.startswith("1"):  # +52 1 …, and 01 … (the zero is the leading one)
            current = national[1:]
        elif leading_zero and len(national) == 12 and national[:2] in ("44", "45"):
            current = national[2:]
    elif number.country_code == 55 and not leading_zero and (old := _BRAZILIAN_OLD_MOBILE.fullmatch(national)):
        current = old.group(1) + "9" + old.group(2)
    if current is None:
        return number, PhoneNumberType.UNKNOWN
    renewed = phonenumbers.PhoneNumber(country_code=number.country_code, national_number=int(current))
    kind = phonenumbers.number_type(renewed)
    if number.country_code == 55 and kind != PhoneNumberType.MOBILE:
        return number, PhoneNumberType.UNKNOWN
    return renewed, kind


def _matches_description(national: pl.Expr, description: PhoneNumberDesc | None) -> pl.Expr:
    """phonenumbers' `_is_number_matching_desc`: a possible length, then the
    whole national number matching the pattern."""
    if description is None or not description.national_number_pattern:
        return pl.lit(False)
    matches = national.str.contains(f"^(?:{description.national_number_pattern})$")
    if description.possible_length:
        matches = national.str.len_chars().is_in(list(description.possible_length)) & matches
    return matches


def national_number_type(national: pl.Expr, region: str) -> pl.Expr:
    """Type (`mobile`, `fixed_line`, `other`) of an ASCII-digit national
    significant number of `region`, or null when phonenumbers would call it
    invalid: `number_type`'s decision order, on the region's metadata."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    decision = pl.when(~_matches_description(national, metadata.general_desc)).then(pl.lit(None, pl.Utf8))
    for other in (
        metadata.premium_rate, metadata.toll_free, metadata.shared_cost, metadata.voip,
        metadata.personal_number, metadata.pager, metadata.uan, metadata.voicemail,
    ):  # fmt: skip
        decision = decision.when(_matches_description(national, other)).then(pl.lit("other"))
    fixed_line = _matches_description(national, metadata.fixed_line)
    mobile = _matches_description(national, metadata.mobile)
    if metadata.same_mobile_and_fixed_line_pattern:
        return decision.when(fixed_line).then(pl.lit("other"))  # FIXED_LINE_OR_MOBILE
    return (
        decision.when(fixed_line & mobile)
        .then(pl.lit("other"))
        .when(fixed_line)
        .then(pl.lit("fixed_line"))
        .when(mobile)
        .then(pl.lit("mobile"))
    )


def japanese_national_number(text: pl.Expr, region: pl.Expr) -> pl.Expr:
    """The national significant number of a `phone_text` value written
    `+81` or (region JP) `0` and then a non-zero digit, with only digits,
    spaces and dashes; null for anything else, which is left to phonenumbers
    (`010` is the international call prefix; `+810...`, `00...` take its
    longer road). phonenumbers reads these numbers exactly so: the number is
    valid when `national_number_type` gives a type, else invalid."""
    compact = text.str.replace_all(r"[ \-]", "")
    plain = text.str.contains(r"^\+?[0-9 \-]+$") & (text.str.len_chars() <= _MAX_PHONE_LENGTH)
    return (
        pl.when(plain & compact.str.contains(r"^\+81[1-9]"))
        .then(compact.str.slice(3))
        .when(plain & (region == "JP") & compact.str.contains(r"^0[1-9]") & ~compact.str.starts_with("010"))
        .then(compact.str.slice(1))
    )


def standardize_phone(frame: pl.DataFrame) -> pl.DataFrame:
    """Add `std_phone`, `std_phone_type` and the `phone` issue column
    (`phone_invalid` when a phone was given but is not a valid number).
    Needs `std_country` and `source_country`."""
    return over_distinct(frame, ["phone", "std_country", "source_country"], _add_phone_columns)


def _add_phone_columns(frame: pl.DataFrame) -> pl.DataFrame:
    # `phone_text`, its word handling run only on the values that have any
    plain = pl.col("_phone_text")
    frame = frame.with_columns(_plain_phone_text(pl.col("phone")).alias("_phone_text"))
    frame = with_computed_where(frame, "_phone_text", plain.str.contains(_WORDS_OR_EDGES), _without_words(plain), plain)
    frame = frame.with_columns(
        japanese_national_number(pl.col("_phone_text"), pl.col("std_country")).alias("_phone_national")
    )
    frame = frame.with_columns(national_number_type(pl.col("_phone_national"), "JP").alias("_phone_fast_type"))
    frame = frame.with_columns(
        pl.when(pl.col("_phone_national").is_null()).then(pl.col("_phone_text")).alias("_phone_library_text")
    )
    frame = map_distinct(
        frame,
        ["_phone_library_text", "std_country", "source_country"],
        parse_phone,
        {"_phone_library": pl.Utf8, "_phone_library_type": pl.Utf8},
    )
    fast = pl.col("_phone_national").is_not_null()
    valid = pl.col("_phone_fast_type").is_not_null()
    frame = frame.with_columns(
        pl.when(fast)
        .then(pl.when(valid).then(pl.lit("+81") + pl.col("_phone_national")))
        .otherwise("_phone_library")
        .alias("std_phone"),
        pl.when(fast).then("_phone_fast_type").otherwise("_phone_library_type").alias("std_phone_type"),
    )
    return frame.with_columns(
        issue_when(
            clean_text(pl.col("phone")).is_not_null() & pl.col("std_phone").is_null(), "phone_invalid"
        ).alias(issue_column("phone"))
    ).drop("_phone_text", "_phone_national", "_phone_fast_type", "_phone_library_text", "_phone_library", "_phone_library_type")
