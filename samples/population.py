"""The generated people: one row per person, the ground truth every source captures differently.

Japanese residents (most people), Japanese living abroad, and Western people
from the US, GB, AU, DE, FR and ES.  Each person has a name with its reading
and romanization, birth date, gender, e-mail, phone(s), a current and a later
address (used when the person moves), and, for some women, a family name taken
at marriage.  Everything is drawn column-wise from seeded streams.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from samples.geography import AREA_CODES, WESTERN_COUNTRIES, draw_japanese_addresses, draw_western_addresses
from samples.name_tables import NameTable, japanese_family_names, japanese_given_names, western_names
from samples.randomness import RandomStreams, pick

JAPANESE_SHARE = 0.86
ABROAD_SHARE = 0.04  # of Japanese people
WESTERN_COUNTRY_SHARES: dict[str, float] = {"US": 0.38, "GB": 0.2, "AU": 0.1, "DE": 0.13, "FR": 0.11, "ES": 0.08}
MOVED_SHARE = 0.18
MARRIED_SHARE = 0.14  # of Japanese women born 1960-2000

BIRTH_FIRST = dt.date(1930, 1, 1)
BIRTH_LAST = dt.date(2006, 12, 31)

_JA_DOMAINS = {
    "gmail.com": 0.3, "yahoo.co.jp": 0.18, "docomo.ne.jp": 0.1, "ezweb.ne.jp": 0.07, "softbank.ne.jp": 0.06,
    "icloud.com": 0.12, "outlook.jp": 0.08, "hotmail.co.jp": 0.05, "nifty.com": 0.04,
}
_WEST_DOMAINS = {
    "gmail.com": 0.4, "yahoo.com": 0.14, "outlook.com": 0.14, "hotmail.com": 0.1, "icloud.com": 0.1,
    "gmx.de": 0.04, "orange.fr": 0.04, "btinternet.com": 0.04,
}
ALTERNATE_DOMAINS = ("gmail.com", "yahoo.co.jp", "icloud.com", "outlook.com", "au.com", "i.softbank.jp")

_US_AREA_CODES = ("212", "213", "305", "312", "415", "503", "512", "617", "646", "702", "713", "718", "206", "303",
                  "404", "480", "602", "614", "704", "808")


def draw_names(streams: RandomStreams, stream: str, n: int, table: NameTable) -> pl.DataFrame:
    """``n`` names from ``table``: columns ``name, kana, romaji``."""
    index = streams.choice(stream, n, table.probs)
    return pl.DataFrame({
        "name": pick(table.names, index),
        "kana": pick(table.kana, index),
        "romaji": pick(table.romaji, index),
    })


def _by_key(key: pl.Series, options: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """Row-wise pick: row i comes from ``options[key[i]]`` (all options have the same length and columns)."""
    columns = next(iter(options.values())).columns
    out = {}
    for column in columns:
        expr = pl.lit(None, dtype=pl.String)
        for value, frame in options.items():
            expr = pl.when(key == value).then(frame[column]).otherwise(expr)
        out[column] = pl.select(expr).to_series()
    return pl.DataFrame(out)


def _digits(streams: RandomStreams, stream: str, n: int, width: int) -> pl.Series:
    """``n`` zero-padded random digit strings of ``width`` digits."""
    return streams.integers(stream, n, 0, 10**width).cast(pl.String).str.zfill(width)


def draw_birth_dates(streams: RandomStreams, stream: str, n: int) -> pl.Series:
    """Birth dates between 1930 and 2006, denser in the middle (a triangular shape)."""
    span = (BIRTH_LAST - BIRTH_FIRST).days
    u = (streams.uniform(f"{stream}.a", n) + streams.uniform(f"{stream}.b", n)) / 2
    days = (u * span).floor().cast(pl.Int64)
    return pl.select(pl.lit(BIRTH_FIRST) + pl.duration(days=days)).to_series().alias("birth_date")


def japanese_phones(streams: RandomStreams, stream: str, prefecture: pl.Series) -> pl.DataFrame:
    """Japanese phones in national format (``090-1234-5678`` / ``03-1234-5678``): column ``phone``."""
    n = len(prefecture)
    mobile_prefix = pick(("090", "080", "070"), streams.choice(f"{stream}.mp", n, (0.5, 0.4, 0.1)))
    mobile = pl.concat_str([mobile_prefix, _digits(streams, f"{stream}.m1", n, 4), _digits(streams, f"{stream}.m2", n, 4)],
                           separator="-")
    area = prefecture.replace_strict({p: c for p, (c, _) in AREA_CODES.items()}, default=None)
    width = prefecture.replace_strict({p: w for p, (_, w) in AREA_CODES.items()}, default=0)
    # Subscriber numbers start 2-9; split as 4+4 (8 digits) or 3+4 (7 digits).
    first = streams.integers(f"{stream}.f", n, 2, 10).cast(pl.String)
    rest = _digits(streams, f"{stream}.r", n, 7)
    local = pl.select(
        pl.when(width == 8)
        .then(pl.concat_str([first, rest.str.slice(0, 3), pl.lit("-"), rest.str.slice(3, 4)]))
        .otherwise(pl.concat_str([first, rest.str.slice(0, 2), pl.lit("-"), rest.str.slice(2, 4)]))
    ).to_series()
    landline = streams.bernoulli(f"{stream}.land", n, 0.15) & area.is_not_null()
    phone = pl.select(pl.when(landline).then(pl.concat_str([area, local], separator="-")).otherwise(mobile)).to_series()
    return pl.DataFrame({"phone": phone})


def western_phones(streams: RandomStreams, stream: str, country: pl.Series) -> pl.DataFrame:
    """Mobile phones in each country's national format (``(212) 345-6789``, ``07912 345678``...): ``phone``."""
    n = len(country)
    d = {k: _digits(streams, f"{stream}.{k}", n, k) for k in (2, 3, 4, 6, 7, 8)}
    us_area = pick(_US_AREA_CODES, streams.integers(f"{stream}.us", n, 0, len(_US_AREA_CODES)))
    lead = streams.integers(f"{stream}.lead", n, 2, 10).cast(pl.String)
    gb_lead = streams.integers(f"{stream}.gb", n, 4, 10).cast(pl.String)
    formats = {
        "US": pl.concat_str([pl.lit("("), us_area, pl.lit(") "), lead, d[2], pl.lit("-"), d[4]]),
        "GB": pl.concat_str([pl.lit("07"), gb_lead, d[2], pl.lit(" "), d[6]]),
        "AU": pl.concat_str([pl.lit("04"), d[2], pl.lit(" "), d[3], pl.lit(" "), d[3].str.reverse()]),
        "DE": pl.concat_str([pl.lit("0151 "), d[8]]),
        "FR": pl.concat_str([pl.lit("06 "), d[2], pl.lit(" "), d[2].str.reverse(), pl.lit(" "), d[4].str.slice(0, 2),
                             pl.lit(" "), d[4].str.slice(2, 2)]),
        "ES": pl.concat_str([pl.lit("6"), d[2], pl.lit(" "), d[6].str.slice(0, 2), pl.lit(" "), d[6].str.slice(2, 2),
                             pl.lit(" "), d[6].str.slice(4, 2)]),
    }
    expr = pl.lit(None, dtype=pl.String)
    for code, fmt in formats.items():
        expr = pl.when(country == code).then(fmt).otherwise(expr)
    return pl.DataFrame({"phone": pl.select(expr).to_series()})


def draw_emails(streams: RandomStreams, stream: str, people: pl.DataFrame) -> pl.Series:
    """One e-mail per person from their romanized name, birth date and a domain mix by origin.

    Some docomo users keep a legacy address that breaks RFC 5322
    (``taro..yamada@docomo.ne.jp``).  Addresses that two people would share get
    a numeric suffix.
    """
    n = people.height
    given = pl.col("given_romaji").str.to_lowercase().str.replace_all(r"[^a-z]", "")
    family = pl.col("family_romaji").str.to_lowercase().str.replace_all(r"[^a-z]", "")
    year = pl.col("birth_date").dt.year().cast(pl.String)
    pattern = streams.choice(f"{stream}.pattern", n, (0.25, 0.15, 0.2, 0.15, 0.15, 0.1))
    number = _digits(streams, f"{stream}.number", n, 3)
    local = (
        pl.when(pattern == 0).then(pl.concat_str([given, family], separator="."))
        .when(pattern == 1).then(pl.concat_str([family, given], separator="_"))
        .when(pattern == 2).then(pl.concat_str([given, family.str.slice(0, 3), year.str.slice(2, 2)]))
        .when(pattern == 3).then(pl.concat_str([given.str.slice(0, 1), family]))
        .when(pattern == 4).then(pl.concat_str([family, pl.lit(number)]))
        .otherwise(pl.concat_str([given, year]))
    )
    ja_domain = pick(list(_JA_DOMAINS), streams.choice(f"{stream}.ja", n, list(_JA_DOMAINS.values())))
    west_domain = pick(list(_WEST_DOMAINS), streams.choice(f"{stream}.west", n, list(_WEST_DOMAINS.values())))
    legacy = streams.bernoulli(f"{stream}.legacy", n, 0.3)
    frame = people.select(
        local.alias("local"),
        pl.when(pl.col("origin") == "ja").then(ja_domain).otherwise(west_domain).alias("domain"),
        given.alias("g"), family.alias("f"),
    ).with_columns(
        pl.when((pl.col("domain") == "docomo.ne.jp") & legacy)
        .then(pl.concat_str(["g", pl.lit(".."), "f"]))
        .otherwise(pl.col("local"))
        .alias("local")
    ).with_columns(pl.concat_str(["local", pl.lit("@"), "domain"]).alias("email"))
    clash = pl.int_range(pl.len()).over("email")
    return frame.select(
        pl.when(clash > 0)
        .then(pl.concat_str(["local", clash.cast(pl.String), pl.lit("@"), "domain"]))
        .otherwise("email")
        .alias("email")
    ).to_series()


def _japanese_people(streams: RandomStreams, n: int) -> pl.DataFrame:
    """Name, gender, readings and married name columns for ``n`` Japanese people."""
    gender = pl.select(pl.when(streams.bernoulli("ja.gender", n, 0.52)).then(pl.lit("F")).otherwise(pl.lit("M"))).to_series()
    family = draw_names(streams, "ja.family", n, japanese_family_names())
    given = _by_key(gender, {g: draw_names(streams, f"ja.given.{g}", n, japanese_given_names(g)) for g in ("M", "F")})
    married = draw_names(streams, "ja.married", n, japanese_family_names())
    abroad = streams.bernoulli("ja.abroad", n, ABROAD_SHARE)
    abroad_country = pick(list(WESTERN_COUNTRY_SHARES), streams.choice("ja.abroad.country", n, list(WESTERN_COUNTRY_SHARES.values())))
    return pl.DataFrame({
        "origin": pl.Series(["ja"] * n),
        "gender": gender,
        "family_name": family["name"], "family_kana": family["kana"], "family_romaji": family["romaji"],
        "given_name": given["name"], "given_kana": given["kana"], "given_romaji": given["romaji"],
        "married_family_name": married["name"], "married_family_kana": married["kana"],
        "married_family_romaji": married["romaji"],
        "abroad": abroad,
        "foreign_country": pl.select(pl.when(abroad).then(abroad_country)).to_series(),
    })


def _western_people(streams: RandomStreams, n: int) -> pl.DataFrame:
    """Name, gender and country columns for ``n`` Western people."""
    country = pick(list(WESTERN_COUNTRY_SHARES), streams.choice("west.country", n, list(WESTERN_COUNTRY_SHARES.values())))
    gender = pl.select(pl.when(streams.bernoulli("west.gender", n, 0.5)).then(pl.lit("F")).otherwise(pl.lit("M"))).to_series()
    family = _by_key(country, {c: draw_names(streams, f"west.family.{c}", n, western_names(c, "family"))
                               for c in WESTERN_COUNTRIES})
    key = pl.concat_str([country, gender], separator=".")
    given = _by_key(key, {f"{c}.{g}": draw_names(streams, f"west.given.{c}.{g}", n, western_names(c, g))
                          for c in WESTERN_COUNTRIES for g in ("M", "F")})
    return pl.DataFrame({
        "origin": pl.Series(["west"] * n),
        "gender": gender,
        "family_name": family["name"], "family_kana": pl.Series([None] * n, dtype=pl.String),
        "family_romaji": family["romaji"],
        "given_name": given["name"], "given_kana": pl.Series([None] * n, dtype=pl.String),
        "given_romaji": given["romaji"],
        "abroad": pl.Series([False] * n),
        "foreign_country": country,
    })


def generate_people(n_people: int, seed: int) -> pl.DataFrame:
    """Generate ``n_people`` people for ``seed``.

    Columns: ``person_id, origin ('ja'|'west'), abroad, gender ('F'|'M'),
    family_name, family_kana, family_romaji, given_name, given_kana,
    given_romaji, married_family_name/_kana/_romaji (null unless the person
    marries), marries, moves, birth_date, email, jp_phone, foreign_phone,
    foreign_country, jp_* and jp2_* (first and later Japanese address),
    foreign_* and foreign2_* (first and later address abroad)``.
    """
    if n_people < 1:
        raise ValueError(f"n_people must be at least 1, got {n_people}")
    streams = RandomStreams(seed)
    is_ja = streams.bernoulli("people.is_ja", n_people, JAPANESE_SHARE)
    n_ja = int(is_ja.sum())
    people = pl.concat([_japanese_people(streams, n_ja), _western_people(streams, n_people - n_ja)], how="diagonal")
    n = people.height
    people = people.with_columns(
        pl.format("P{}", pl.int_range(1, n + 1).cast(pl.String).str.zfill(7)).alias("person_id"),
        draw_birth_dates(streams, "people.birth", n),
    )
    born = pl.col("birth_date").dt.year()
    marries = (
        (pl.col("origin") == "ja") & (pl.col("gender") == "F") & born.is_between(1960, 2000)
        & pl.lit(streams.bernoulli("people.marries", n, MARRIED_SHARE))
    )
    people = people.with_columns(
        marries.alias("marries"),
        # One life event per person at most, so that a resolver can still follow them.
        (~marries & pl.lit(streams.bernoulli("people.moves", n, MOVED_SHARE))).alias("moves"),
    ).with_columns(
        [pl.when("marries").then(pl.col(c)).otherwise(None).alias(c)
         for c in ("married_family_name", "married_family_kana", "married_family_romaji")]
    )
    jp_a = draw_japanese_addresses(streams, "people.jp_a", n)
    jp_b = draw_japanese_addresses(streams, "people.jp_b", n)
    foreign_country = people["foreign_country"].fill_null("US")
    fa = draw_western_addresses(streams, "people.foreign_a", foreign_country)
    fb = draw_western_addresses(streams, "people.foreign_b", foreign_country)
    people = pl.concat(
        [
            people,
            jp_a.rename(lambda c: f"jp_{c}"),
            jp_b.rename(lambda c: f"jp2_{c}"),
            fa.rename(lambda c: f"foreign_{c}"),
            fb.rename(lambda c: f"foreign2_{c}"),
            japanese_phones(streams, "people.jp_phone", jp_a["prefecture"]).rename({"phone": "jp_phone"}),
            western_phones(streams, "people.foreign_phone", foreign_country).rename({"phone": "foreign_phone"}),
        ],
        how="horizontal",
    )
    people = people.with_columns(draw_emails(streams, "people.email", people).alias("email"))
    return people.select("person_id", pl.exclude("person_id"))
