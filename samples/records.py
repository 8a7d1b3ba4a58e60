"""Which source captured which person, when: one row per source record, with the person's true values then.

A person appears in 1-4 records (about 35% once, most 2-3 times).  Their
records go to different sources first (a weighted order per person) and
sometimes twice to the same source (duplicate sign-ups).  Records are ordered
in time; a person who moves or marries shows the new address or family name
from some record on.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from samples.randomness import RandomStreams

SOURCES = ("crm", "store_pos", "ec_shop", "global_web")
RECORDS_PER_PERSON: dict[int, float] = {1: 0.35, 2: 0.35, 3: 0.2, 4: 0.1}
REPEAT_SOURCE_SHARE = 0.12  # a later record goes back to the previous source

# Source weights by kind of person: Japanese at home, Japanese abroad, Western.
SOURCE_WEIGHTS: dict[str, dict[str, float]] = {
    "home": {"crm": 0.4, "store_pos": 0.3, "ec_shop": 0.3},
    "abroad": {"crm": 0.25, "ec_shop": 0.25, "global_web": 0.5},
    "west": {"ec_shop": 0.2, "global_web": 0.8},
}

HISTORY_START = dt.datetime(2016, 1, 1)


def records_per_person(streams: RandomStreams, n_records: int) -> pl.Series:
    """Record counts per person, summing exactly to ``n_records`` (the last person is cut short)."""
    mean = sum(k * p for k, p in RECORDS_PER_PERSON.items())
    n_guess = int(n_records / mean * 1.2) + 10
    counts = streams.choice("records.count", n_guess, list(RECORDS_PER_PERSON.values())) + 1
    before = counts.cum_sum() - counts
    counts = counts.filter(before < n_records)
    overflow = int(counts.sum()) - n_records
    return pl.concat([counts[:-1], pl.Series([int(counts[-1]) - overflow], dtype=counts.dtype)]).cast(pl.Int64)


def _kind(people: pl.DataFrame) -> pl.Expr:
    """'home', 'abroad' or 'west' for each person."""
    return (
        pl.when(pl.col("origin") == "west").then(pl.lit("west"))
        .when(pl.col("abroad")).then(pl.lit("abroad"))
        .otherwise(pl.lit("home"))
    )


def _source_order(streams: RandomStreams, people: pl.DataFrame) -> pl.DataFrame:
    """Each person's sources in a random weighted order: ``person_id, position, source, n_sources``."""
    long = people.select("person_id", _kind(people).alias("kind")).join(
        pl.DataFrame(
            [(k, s, w) for k, ws in SOURCE_WEIGHTS.items() for s, w in ws.items()],
            schema=["kind", "source", "weight"], orient="row",
        ),
        on="kind",
    ).sort("person_id", "source")
    # Exponential race: the smallest -log(u)/w wins, which samples without replacement by weight.
    u = streams.uniform("records.source_race", long.height)
    return (
        long.with_columns((-(pl.lit(u).log()) / pl.col("weight")).alias("key"))
        .sort("person_id", "key")
        .with_columns(
            pl.int_range(pl.len()).over("person_id").alias("position"),
            pl.len().over("person_id").alias("n_sources"),
        )
        .select("person_id", "position", "source", "n_sources")
    )


def plan_records(people: pl.DataFrame, counts: pl.Series, seed: int, date: dt.date) -> pl.DataFrame:
    """One row per source record: ``person_id, source, occurrence, updated_at, new_address, married_name``.

    ``counts[i]`` is the number of records of ``people[i]``.  ``updated_at``
    lies between 2016 and the end of ``date``; ``occurrence`` is the record's
    rank in time for its person (0 first).
    """
    streams = RandomStreams(seed)
    per_person = people.select("person_id", "moves", "marries").with_columns(counts.alias("count"))
    change_u = streams.uniform("records.change_at", per_person.height)
    per_person = per_person.with_columns(
        # The life event happens before some record 1..count-1 (never for single records).
        (1 + (pl.lit(change_u) * (pl.col("count") - 1)).floor().cast(pl.Int64)).alias("change_at")
    )
    records = per_person.select(pl.all().repeat_by("count").list.explode(keep_nulls=False, empty_as_null=False))
    n = records.height
    end = dt.datetime.combine(date, dt.time(23, 59, 59))
    span = int((end - HISTORY_START).total_seconds())
    seconds = (streams.uniform("records.time", n) * span).floor().cast(pl.Int64)
    records = records.with_columns(
        (pl.lit(HISTORY_START) + pl.duration(seconds=seconds)).alias("updated_at"),
        streams.bernoulli("records.repeat", n, REPEAT_SOURCE_SHARE).alias("repeat"),
    ).sort("person_id", "updated_at")
    records = records.with_columns(pl.int_range(pl.len()).over("person_id").alias("occurrence"))
    order = _source_order(streams, people)
    n_sources = order.group_by("person_id").agg(pl.col("n_sources").first())
    records = records.join(n_sources, on="person_id", how="left").with_columns(
        pl.when(pl.col("repeat") & (pl.col("occurrence") > 0))
        .then((pl.col("occurrence") - 1) % pl.col("n_sources"))
        .otherwise(pl.col("occurrence") % pl.col("n_sources"))
        .alias("position")
    )
    records = records.join(order.drop("n_sources"), on=["person_id", "position"], how="left")
    after_change = pl.col("occurrence") >= pl.col("change_at")
    return records.select(
        "person_id",
        "source",
        "occurrence",
        "updated_at",
        (pl.col("moves") & after_change).alias("new_address"),
        (pl.col("marries") & after_change).alias("married_name"),
    ).sort("person_id", "occurrence")


def _pick_address(prefix_a: str, prefix_b: str, fields: tuple[str, ...]) -> list[pl.Expr]:
    """The first or the later address of a person, by the record's ``new_address`` flag."""
    return [
        pl.when(pl.col("new_address")).then(pl.col(f"{prefix_b}_{f}")).otherwise(pl.col(f"{prefix_a}_{f}")).alias(f)
        for f in fields
    ]


def true_record_values(records: pl.DataFrame, people: pl.DataFrame) -> pl.DataFrame:
    """The person's true values at each record, before any capture error.

    Columns: ``person_id, source, occurrence, updated_at, origin, foreign,
    gender, family_name, family_kana, family_romaji, given_name, given_kana,
    given_romaji, birth_date, email, phone, country, postal_code, prefecture,
    city, town, block, building, street``.  ``foreign`` is true when the record
    holds an address abroad (global_web, or a Western / overseas customer of
    ec_shop); then ``street, city, prefecture (state), postal_code`` are the
    foreign ones and ``town, block, building`` are null.
    """
    joined = records.join(people, on="person_id", how="left")
    foreign = (pl.col("source") == "global_web") | (
        (pl.col("source") == "ec_shop") & ((pl.col("origin") == "west") | pl.col("abroad"))
    )
    married = pl.col("married_name")
    jp = _pick_address("jp", "jp2", ("postal_code", "prefecture", "city", "town", "block", "building"))
    fa = _pick_address("foreign", "foreign2", ("street", "city", "state", "postcode"))
    return joined.with_columns(foreign.alias("foreign")).select(
        "person_id", "source", "occurrence", "updated_at", "origin", "foreign", "gender",
        *[
            pl.when(married).then(pl.col(f"married_family_{part}")).otherwise(pl.col(f"family_{part}")).alias(f"family_{part}")
            for part in ("name", "kana", "romaji")
        ],
        "given_name", "given_kana", "given_romaji", "birth_date", "email",
        pl.when("foreign").then(pl.col("foreign_phone")).otherwise(pl.col("jp_phone")).alias("phone"),
        pl.when("foreign").then(pl.col("foreign_country")).otherwise(pl.lit("JP")).alias("country"),
        pl.when("foreign").then(fa[3]).otherwise(jp[0]).alias("postal_code"),
        pl.when("foreign").then(fa[2]).otherwise(jp[1]).alias("prefecture"),
        pl.when("foreign").then(fa[1]).otherwise(jp[2]).alias("city"),
        pl.when("foreign").then(None).otherwise(jp[3]).alias("town"),
        pl.when("foreign").then(None).otherwise(jp[4]).alias("block"),
        pl.when("foreign").then(None).otherwise(jp[5]).alias("building"),
        pl.when("foreign").then(fa[0]).otherwise(None).alias("street"),
    )
