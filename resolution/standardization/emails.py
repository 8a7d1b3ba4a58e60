"""E-mail addresses: trimmed, lower-cased, syntax-checked offline.

Japanese feature-phone carriers used to hand out addresses that break RFC 5322
(`taro..yamada@docomo.ne.jp`, `taro.@ezweb.ne.jp`); they still receive mail,
so they are kept and flagged `email_legacy_carrier` rather than refused.
"""

from __future__ import annotations

import re
from functools import lru_cache

import polars as pl
from email_validator import EmailNotValidError, validate_email

from resolution.standardization.distinct import map_distinct, over_distinct
from resolution.standardization.issues import issue_column, issue_when
from resolution.standardization.text import clean_text, with_computed_where

LEGACY_CARRIER_DOMAINS = (
    "docomo.ne.jp",
    "ezweb.ne.jp",
    "au.com",
    "softbank.ne.jp",
    "i.softbank.jp",
    "disney.ne.jp",
    "vodafone.ne.jp",
    "pdx.ne.jp",
    "willcom.com",
    "emnet.ne.jp",
    "ymobile.ne.jp",
    "y-mobile.ne.jp",
)

DOTS_IGNORED_DOMAINS = ("gmail.com", "googlemail.com")
"""Domains whose mailboxes ignore dots in the local part (`taro.yamada@` is
`taroyamada@`): `std_email_local`, the mailbox compared, is without them."""

# The characters carriers allowed in local parts; only the dot placement is
# what makes these addresses RFC-invalid.
_LEGACY_LOCAL_PART = re.compile(r"^[a-z0-9._\-+/?]+$")

VALID, LEGACY, INVALID = "valid", "legacy", "invalid"


def _is_legacy_carrier_domain(domain: str) -> bool:
    return any(domain == d or domain.endswith("." + d) for d in LEGACY_CARRIER_DOMAINS)


# An ASCII dot-atom local part: email-validator accepts it whatever the domain,
# so only the domain (few distinct values) needs the library's checks.
_DOT_ATOM_LOCAL_PART = re.compile(r"^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")


@lru_cache(maxsize=100_000)
def _valid_domain(domain: str) -> bool:
    try:
        validate_email(f"a@{domain}", check_deliverability=False)
        return True
    except EmailNotValidError:
        return False


def classify_email(address: str) -> tuple[str]:
    """One cleaned, lower-cased address -> (`valid` | `legacy` | `invalid`,).

    `legacy`: RFC-invalid only through dots (consecutive, leading, trailing)
    on a Japanese carrier domain. Everything email-validator refuses otherwise
    (no @, spaces, bad domain, reserved domains like `.test`) is `invalid`.
    """
    local, at, domain = address.rpartition("@")
    # Fast path, same verdict: a plain local part within the length limits on a valid domain.
    if at and len(local) <= 64 and len(address) <= 254 and _DOT_ATOM_LOCAL_PART.match(local) and _valid_domain(domain):
        return (VALID,)
    try:
        validate_email(address, check_deliverability=False)
        return (VALID,)
    except EmailNotValidError:
        pass
    local, at, domain = address.rpartition("@")
    if not at or not _is_legacy_carrier_domain(domain) or not _LEGACY_LOCAL_PART.match(local):
        return (INVALID,)
    try:
        validate_email(re.sub(r"\.+", ".", local).strip(".") + "@" + domain, check_deliverability=False)
    except EmailNotValidError:
        return (INVALID,)
    return (LEGACY,)


def standardize_email(frame: pl.DataFrame) -> pl.DataFrame:
    """Add `std_email`, `std_email_local` (the local part without a `+tag`,
    and at `DOTS_IGNORED_DOMAINS` without dots) and the `email` issue column."""
    return over_distinct(frame, ["email"], _add_email_columns)


def _valid_domain_row(domain: str) -> tuple[bool]:
    return (_valid_domain(domain),)


def _plain_email_text(expr: pl.Expr) -> pl.Expr:
    return clean_text(expr).str.to_lowercase()


_SURROUNDED = r"^mailto:|[<;,、\s]|\.$"
"""Plain email text `_without_surroundings` changes."""


def _without_surroundings(text: pl.Expr) -> pl.Expr:
    """Plain email text with what exports write around an address taken off:
    `mailto:`, a display name (`Taro Yamada <taro@example.jp>`), the second of
    two addresses (`a@x.jp; b@y.jp`: the first is kept), spaces around the `@`
    and a trailing dot."""
    text = text.str.replace(r"^mailto:\s*", "")
    text = pl.coalesce(text.str.extract(r"<\s*([^<>\s]+@[^<>\s]+)\s*>"), text)
    text = text.str.replace(r"\s*[;,、]\s*.*$", "").str.replace(r"\s*@\s*", "@").str.strip_chars_end(".")
    return pl.when(text.str.len_chars() > 0).then(text)


def _add_email_columns(frame: pl.DataFrame) -> pl.DataFrame:
    # what surrounds an address is taken off only where there is any
    plain = pl.col("_email_text")
    frame = frame.with_columns(_plain_email_text(pl.col("email")).alias("_email_text"))
    surrounded = plain.str.contains(_SURROUNDED)
    frame = with_computed_where(frame, "_email_text", surrounded, _without_surroundings(plain), plain)
    # classify_email's own fast path as expressions: a plain local part within
    # the length limits; only its domain (few distinct values) goes to Python.
    text = pl.col("_email_text")
    local = text.str.extract(r"^(.*)@[^@]*$")
    plain = (
        local.str.contains(_DOT_ATOM_LOCAL_PART.pattern)
        & (local.str.len_chars() <= 64)
        & (text.str.len_chars() <= 254)
    )
    frame = frame.with_columns(pl.when(plain).then(text.str.extract(r"@([^@]*)$")).alias("_email_domain"))
    frame = map_distinct(frame, ["_email_domain"], _valid_domain_row, {"_email_domain_valid": pl.Boolean})
    frame = frame.with_columns(
        pl.when(pl.col("_email_domain_valid").fill_null(False).not_()).then(text).alias("_email_rest")
    )
    frame = map_distinct(frame, ["_email_rest"], classify_email, {"_email_class": pl.Utf8})
    frame = frame.with_columns(
        pl.when(pl.col("_email_domain_valid"))
        .then(pl.lit(VALID))
        .when(pl.col("_email_text").is_null() & clean_text(pl.col("email")).is_not_null())
        .then(pl.lit(INVALID))  # nothing but what is taken off (`mailto:`, `.`)
        .otherwise("_email_class")
        .alias("_email_class")
    )
    usable = pl.col("_email_class").is_in([VALID, LEGACY])
    std_email = pl.when(usable).then(pl.col("_email_text"))
    # the mailbox: a +tag (taro+shop@) is a filter of the same mailbox, not another address
    local = std_email.str.replace(r"@[^@]*$", "").str.replace(r"^([^+]+)\+.*$", "$1")
    dots_ignored = std_email.str.extract(r"@([^@]*)$").is_in(list(DOTS_IGNORED_DOMAINS))
    return frame.with_columns(
        std_email.alias("std_email"),
        pl.when(dots_ignored).then(local.str.replace_all(".", "", literal=True)).otherwise(local).alias("std_email_local"),
        pl.coalesce(
            issue_when(pl.col("_email_class") == INVALID, "email_invalid"),
            issue_when(pl.col("_email_class") == LEGACY, "email_legacy_carrier"),
        ).alias(issue_column("email")),
    ).drop("_email_text", "_email_domain", "_email_domain_valid", "_email_rest", "_email_class")
