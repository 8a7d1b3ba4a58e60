"""Masking personal values for anything a person other than the privacy
officer may see: Dagster metadata, logs, samples in reports."""

from __future__ import annotations

import polars as pl

PERSONAL_FIELDS = (
    "family_name", "given_name", "full_name", "family_name_kana", "given_name_kana", "full_name_kana",
    "birth_date", "email", "phone", "postal_code", "address_line", "building",
)


def mask_text(expr: pl.Expr, keep: int = 1) -> pl.Expr:
    """Keep the first `keep` characters, replace the rest with `*` (at least
    three); a value no longer than `keep` keeps none (a one-character name, 愛,
    would otherwise show whole)."""
    text = expr.cast(pl.Utf8)
    # len_chars is unsigned: subtract in signed arithmetic, or '' would wrap to 4 billion stars
    length = text.str.len_chars().cast(pl.Int64)
    kept = pl.min_horizontal(pl.lit(keep, pl.Int64), length - 1).clip(lower_bound=0)
    stars = pl.max_horizontal(length - kept, pl.lit(3))
    # '' padded with '*' to that many characters: about 4x cheaper than repeat_by(...).list.join("").
    # A null value stays null (a null operand makes the concatenation null).
    return text.str.slice(0, kept) + pl.lit("").str.pad_end(stars, "*")


def mask_email(expr: pl.Expr) -> pl.Expr:
    """`t***@example.com`: first character of the local part and the domain."""
    text = expr.cast(pl.Utf8)
    return pl.when(text.str.contains("@")).then(
        text.str.slice(0, 1) + pl.lit("***@") + text.str.split("@").list.last()
    ).otherwise(mask_text(text))


def mask_phone(expr: pl.Expr) -> pl.Expr:
    """Only the last two digits stay."""
    text = expr.cast(pl.Utf8)
    return pl.when(text.is_null()).then(None).otherwise(pl.lit("*******") + text.str.slice(-2))


def mask_record_key(record_key: str) -> str:
    """`crm:******64` for `crm:C0000164`: the source system and the id's last
    two characters (none of an id of four or fewer), for a log line or
    Dagster metadata that must say which record without naming it (an id can
    be a customer number the person knows, or an email used as one)."""
    source, sep, record_id = record_key.partition(":")
    if not sep:
        source, record_id = "", record_key
    kept = record_id[-2:] if len(record_id) > 4 else ""
    return f"{source}{sep}{'*' * max(len(record_id) - len(kept), 3)}{kept}"


def mask_expressions(schema: pl.Schema) -> list[pl.Expr]:
    """The masking of each personal column (canonical, std_* and golden names)
    of a frame of `schema`, one expression per column masked, named as it;
    a column without one is left as it is."""
    exprs = []
    for column, dtype in schema.items():
        if column.startswith(("gamma_", "bf_", "mw_", "tf_", "match_")):
            continue  # model scores about a field, not its value
        if column.startswith("consent_"):
            continue  # a consent decision (flag, time, source system) for a purpose, e.g. marketing_email: no contact value
        base = column.removeprefix("std_")
        if base.endswith(("_l", "_r")):  # side-by-side review columns
            base = base[:-2]
        if "email" in base and "flag" not in base:
            # a date, time, number or flag as text never holds '@', so mask_email would mask it
            # as text anyway (e.g. the golden consent_marketing_email_at): skip its '@' split
            plain = dtype.is_numeric() or dtype.is_temporal() or dtype == pl.Boolean
            exprs.append((mask_text if plain else mask_email)(pl.col(column)).alias(column))
        elif base.startswith("phone") and "type" not in base:
            exprs.append(mask_phone(pl.col(column)).alias(column))
        elif (
            base in PERSONAL_FIELDS
            or base in {"family_kana", "given_kana", "full_kana", "address", "email_local"}
            or base.startswith("mk_")  # match keys are derived from names, dates, addresses
        ):
            exprs.append(mask_text(pl.col(column)).alias(column))
    return exprs


def mask_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """Mask every personal column (canonical, std_* and golden names) of `frame`."""
    exprs = mask_expressions(frame.schema)
    # lazily, so a column's text (a date or timestamp cast to text) is computed once, not per use
    return frame.lazy().with_columns(exprs).collect() if exprs else frame
