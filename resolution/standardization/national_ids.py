"""National identifiers: a BVN, a NIN, a South African or Kenyan ID number, a passport.

A source maps `national_id` (the number) and, optionally, `national_id_type`
(what kind of number it is: a column, or a constant SQL literal such as
`"'BVN'"` when one column holds one kind). The number is compared as written
once spaces, dashes, dots and slashes are gone and letters are upper-case.

The kind decides what a disagreement means. A number a person keeps for life
(`LIFETIME_TYPES`: a South African ID, a BVN, a NIN, a Kenyan ID) that
differs between two records says they are two people; a passport or any kind
not known here is renewed or replaced, so two numbers of it say nothing. A
source that maps no type gets the kind its country's shape makes certain
(`ZA`: 13 digits, `KE`: 7 or 8 digits); a Nigerian 11-digit number is a BVN
or a NIN, which differ for one person, so its kind stays unknown (map the type).

The shapes known are checked cheaply: a South African ID's 13 digits, its
birth date (YYMMDD) and its Luhn check digit; a BVN's or NIN's 11 digits; a
Kenyan ID's 7 or 8 digits. A value that fails is not used (`national_id_invalid`).
A Japanese My Number (個人番号) may only be held for statutory purposes: one
mapped here (its type, or 12 digits with its check digit from a Japanese
source) is never used (`national_id_my_number`), and `ingestion.mapping`
does not keep it either.
"""

from __future__ import annotations

import polars as pl

from governance.sensitive import my_number_expr
from resolution.standardization.issues import issue_column, issue_when
from resolution.standardization.text import clean_text

LIFETIME_TYPES = ("ZA_ID", "NG_BVN", "NG_NIN", "KE_ID")
"""Kinds of number a person holds one of for life: two that differ are two people."""

MY_NUMBER_TYPE = "JP_MY_NUMBER"

TYPE_ALIASES: dict[str, str] = {
    "BVN": "NG_BVN",
    "NIN": "NG_NIN",
    "SA_ID": "ZA_ID",
    "RSA_ID": "ZA_ID",
    "KENYA_ID": "KE_ID",
    "PASSPORT_NUMBER": "PASSPORT",
    "PASSPORT_NO": "PASSPORT",
    "MY_NUMBER": MY_NUMBER_TYPE,
    "MYNUMBER": MY_NUMBER_TYPE,
    "INDIVIDUAL_NUMBER": MY_NUMBER_TYPE,
}
"""Spellings of a kind as a source may write it, and the kind they stand for."""

_SHAPES: dict[str, str] = {"NG_BVN": r"^[0-9]{11}$", "NG_NIN": r"^[0-9]{11}$", "KE_ID": r"^[0-9]{7,8}$"}
_ANY_SHAPE = r"^[0-9A-Z]{5,20}$"  # a passport, a tax id ... of unknown format: letters and digits


def _digit(text: pl.Expr, i: int) -> pl.Expr:
    return text.str.slice(i, 1).cast(pl.Int32, strict=False)


def za_id_valid(text: pl.Expr) -> pl.Expr:
    """13 digits whose first six are a date (YYMMDD, in either century) and
    whose last is the Luhn check digit of the twelve before it."""
    doubled = [_digit(text, i) * 2 for i in range(1, 13, 2)]
    luhn = sum(_digit(text, i) for i in range(0, 13, 2)) + sum(pl.when(d > 9).then(d - 9).otherwise(d) for d in doubled)
    born = text.str.slice(0, 6)
    dated = pl.any_horizontal(
        (pl.lit(century) + born).str.to_date("%Y%m%d", strict=False).is_not_null() for century in ("19", "20")
    )
    return text.str.contains(r"^[0-9]{13}$") & dated & (luhn % 10 == 0)


def _is_my_number(text: pl.Expr) -> pl.Expr:
    twelve = text.str.contains(r"^[0-9]{12}$")
    return twelve & my_number_expr(pl.when(twelve).then(text))


def national_id_type(declared: pl.Expr) -> pl.Expr:
    """A declared kind, upper-case with `_` between its words, aliases resolved."""
    words = clean_text(declared).str.to_uppercase().str.replace_all(r"[^0-9A-Z]+", "_").str.strip_chars("_")
    return words.replace(TYPE_ALIASES)


def national_id_text(value: pl.Expr) -> pl.Expr:
    """A number as compared: without spaces, dashes, dots and slashes, upper-case; '' is null."""
    number = clean_text(value).str.replace_all(r"[\s\-./]", "").str.to_uppercase()
    return pl.when(number != "").then(number)


def is_my_number_id(number: pl.Expr, declared: pl.Expr, country: pl.Expr) -> pl.Expr:
    """A `national_id_text` that is a My Number: declared so, or undeclared
    from a Japanese source with 12 digits and the check digit (never null)."""
    of_japan = (country.str.to_uppercase() == "JP").fill_null(False)
    return ((declared == MY_NUMBER_TYPE) | (declared.is_null() & of_japan & _is_my_number(number))).fill_null(False)


def national_id_kind(number: pl.Expr, declared: pl.Expr, country: pl.Expr) -> pl.Expr:
    """The kind a `national_id_text` is checked as: the declared one
    (`national_id_type`), else the one its (upper-case) country and shape
    make certain, else null (any shape of letters and digits)."""
    inferred = (
        pl.when((country == "ZA") & number.str.contains(r"^[0-9]{13}$"))
        .then(pl.lit("ZA_ID"))
        .when((country == "KE") & number.str.contains(r"^[0-9]{7,8}$"))
        .then(pl.lit("KE_ID"))
    )
    return pl.when(declared.is_not_null()).then(declared).otherwise(inferred)


SHAPES_EXPECTED: dict[str, str] = {
    "ZA_ID": "13 digits: a YYMMDD birth date, and a last digit that is the Luhn check digit of the twelve before it",
    "NG_BVN": "11 digits",
    "NG_NIN": "11 digits",
    "KE_ID": "7 or 8 digits",
}
"""What a number of each kind checked here must be, in words (a request's error says it)."""
ANY_SHAPE_EXPECTED = "5 to 20 letters and digits"


def standardize_national_id(frame: pl.DataFrame) -> pl.DataFrame:
    """Add `std_national_id` (`national_id_text`) and `std_national_id_type`
    (its kind: declared, else certain from the source's country and the
    shape); a number of a known kind in another shape, or too short to
    identify anyone, is null + `national_id_invalid`; a My Number is null +
    `national_id_my_number`."""
    number = national_id_text(pl.col("national_id"))
    country = pl.col("source_country").str.to_uppercase()
    declared = national_id_type(pl.col("national_id_type"))
    kind = national_id_kind(number, declared, country)
    valid = pl.when(kind == "ZA_ID").then(za_id_valid(number))
    for name, pattern in _SHAPES.items():
        valid = valid.when(kind == name).then(number.str.contains(pattern))
    valid = valid.otherwise(number.str.contains(_ANY_SHAPE))
    refused = is_my_number_id(number, declared, country)
    invalid = number.is_not_null() & ~refused & ~valid.fill_null(False)
    usable = number.is_not_null() & ~refused & ~invalid
    return frame.with_columns(
        pl.when(usable).then(number).alias("std_national_id"),
        pl.when(usable).then(kind).alias("std_national_id_type"),
        pl.when(number.is_not_null() & refused)
        .then(pl.lit("national_id_my_number"))
        .otherwise(issue_when(invalid, "national_id_invalid"))
        .alias(issue_column("national_id")),
    )
