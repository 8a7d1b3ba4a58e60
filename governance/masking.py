"""Masking personal values for anything a person other than the privacy
officer may see: Dagster metadata, logs, samples in reports, the stewards'
copies and `nayose review list`.

What stays in clear is what names no one: a large public mail provider's
domain (millions hold an address there), a prefecture or state, a gender, a
country. A company's or a family's own mail domain (`kuehn-gmbh.de`) and a
city name beside a masked name narrow who it is as well as a name does, so
they are masked like the name, keeping their first character (and a domain its
public suffix, `.de`, `.co.jp`); a steward tells whether two of them agree
from the comparison `nayose review list` prints beside them, not from the
values.
"""

from __future__ import annotations

import polars as pl

PERSONAL_FIELDS = (
    "family_name", "given_name", "full_name", "family_name_kana", "given_name_kana", "full_name_kana",
    "birth_date", "email", "phone", "postal_code", "city", "address_line", "building",
)

PUBLIC_MAIL_DOMAINS = frozenset(
    {
        # worldwide
        "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com", "yahoo.com",
        "ymail.com", "icloud.com", "me.com", "mac.com", "aol.com", "proton.me", "protonmail.com", "mail.com",
        "gmx.com", "zoho.com", "yandex.com", "yandex.ru", "mail.ru",
        # Europe
        "gmx.de", "gmx.net", "gmx.at", "gmx.ch", "web.de", "t-online.de", "freenet.de", "posteo.de", "mail.de",
        "arcor.de", "online.de", "hotmail.de", "outlook.de", "yahoo.de", "googlemail.de", "aon.at", "chello.at",
        "a1.net", "bluewin.ch", "hispeed.ch", "sunrise.ch", "orange.fr", "free.fr", "wanadoo.fr", "laposte.net",
        "sfr.fr", "hotmail.fr", "yahoo.fr", "libero.it", "virgilio.it", "alice.it", "tiscali.it", "hotmail.it",
        "yahoo.it", "hotmail.es", "yahoo.es", "telefonica.net", "sapo.pt", "ziggo.nl", "kpnmail.nl", "hotmail.nl",
        "telenet.be", "skynet.be", "seznam.cz", "wp.pl", "o2.pl", "onet.pl", "interia.pl", "btinternet.com",
        "sky.com", "hotmail.co.uk", "yahoo.co.uk", "outlook.jp",
        # the Americas and Oceania
        "comcast.net", "verizon.net", "att.net", "sbcglobal.net", "uol.com.br", "bol.com.br", "terra.com.br",
        "hotmail.com.br", "yahoo.com.br", "hotmail.com.ar", "yahoo.com.ar", "yahoo.com.mx", "bigpond.com",
        "optusnet.com.au",
        # Japan (carriers included: one carrier's domain is shared by tens of millions)
        "yahoo.co.jp", "docomo.ne.jp", "ezweb.ne.jp", "au.com", "softbank.ne.jp", "i.softbank.jp",
        "ymobile.ne.jp", "nifty.com", "ocn.ne.jp", "biglobe.ne.jp", "so-net.ne.jp", "icloud.jp",
        # Korea, China, Taiwan, Hong Kong
        "naver.com", "daum.net", "hanmail.net", "kakao.com", "nate.com", "qq.com", "163.com", "126.com",
        "sina.com", "sina.cn", "sohu.com", "foxmail.com", "yeah.net", "yahoo.com.tw", "hinet.net",
        "msa.hinet.net", "yahoo.com.hk", "netvigator.com",
        # South Asia and the Gulf
        "rediffmail.com", "yahoo.co.in",
    }
)
"""Mail domains of large public providers, shown in clear in a masked email:
an address there says nothing of whom it belongs to, and a steward learns
from `gmx.de` beside `web.de` that a pair's mailboxes are at two providers.
Any other domain (a company's, a family's, a small ISP's) is masked. A
provider missing here is masked too: the safe side."""

_SECOND_LEVEL = "co|ne|or|ac|go|ad|ed|gr|lg|com|net|org|gov|edu|ltd|plc|gen|nom|biz|info"
_PUBLIC_SUFFIX = rf"((?:\.(?:{_SECOND_LEVEL})\.[^.@]{{2}})|\.[^.@]+)$"
"""The end of a domain that names no one: its top-level domain, with a
country's second level before it (`.co.jp`, `.com.br`, `.co.uk`)."""


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


def mask_domain(expr: pl.Expr) -> pl.Expr:
    """A mail domain as a masked email shows it: a large public provider's
    (`PUBLIC_MAIL_DOMAINS`, any case) in clear, any other masked as text up to
    its public suffix (`kuehn-gmbh.de` -> `k*********.de`, `yamada-shoten.co.jp`
    -> `y************.co.jp`); one without a dot is masked whole."""
    text = expr.cast(pl.Utf8)
    suffix = text.str.extract(_PUBLIC_SUFFIX, 1)
    body = text.str.slice(0, text.str.len_chars() - suffix.str.len_chars())
    masked = pl.when(suffix.is_null() | (body == "")).then(mask_text(text)).otherwise(mask_text(body) + suffix)
    return pl.when(text.str.to_lowercase().is_in(sorted(PUBLIC_MAIL_DOMAINS))).then(text).otherwise(masked)


def mask_email(expr: pl.Expr) -> pl.Expr:
    """`t***@gmail.com`, `t***@k*********.de`: the first character of the
    local part and the domain as `mask_domain` shows it."""
    text = expr.cast(pl.Utf8)
    return pl.when(text.str.contains("@")).then(
        text.str.slice(0, 1) + pl.lit("***@") + mask_domain(text.str.split("@").list.last())
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
        elif base.startswith("national_id") and "type" not in base:
            # no digit shown: a South African ID's first six are the birth date, the last ones a check digit
            exprs.append(mask_text(pl.col(column), keep=0).alias(column))
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
