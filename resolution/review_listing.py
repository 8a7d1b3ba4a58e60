"""What `nayose review list` shows of the review queue.

A steward decides a pair from its two records side by side, but sees their
values masked (`governance.masking`): `m*****` beside `m******` cannot say
whether the names agree. So each field of a pair carries how its two values
compare, worked out on the values themselves (`same`, `differs (1 edit)`,
`day and month swapped`, `same mailbox, other domain`, ...), and the weight
the model gave that field, and the masked values only show what kind of value
it is. The comparison names no value: an edit count, never the characters.

The pairs come likeliest first: the queue holds pairs from `review_lower`
(0.5 by default) up to the linking threshold, highest match probability
first, and after them the pairs a rule holds back from a link (`HELD_BY`),
highest first among themselves. A rule holds a pair for what the model
does not weigh (birth dates apart in one household, names alike only in the
other order with nothing else for them), so its probability, often 0.99 and
more, is not how likely it is one person: listed by it, they filled the top
of the list (on the testers' sets, 0 of 20 in the first 20 were one person
for the African fintech's, the DACH utility's and the Japanese insurer's
queues; with the pairs no rule holds first, 6, 7 and 19; a rule that
misjudges a set's pairs puts them lower: the East Asian marketplace's
given-name rule held 26 pairs, 22 of them one person, and its first 20
held 17 true pairs, now 10). `uncertain`
keeps the queue's own order, nearest 0.5 first.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import duckdb
import polars as pl

from governance.masking import mask_frame
from resolution.households import HELD_BY
from resolution.review_queue import REVIEW_FIELDS

ORDERS = ("likeliest", "uncertain")

_NAME_PAIRS = (("std_family_name", "std_given_name"), ("std_family_kana", "std_given_kana"))
"""Fields whose values may stand in each other's place (a name written in the other order)."""

_EDITS_SHOWN = frozenset({"std_family_name", "std_given_name", "std_family_kana", "std_given_kana",
                          "std_birth_date", "std_phone", "std_postal_code", "std_city", "std_address"})
"""Fields where the number of edits between two values tells a typo from another value."""

_SCRIPTS_TOLD = frozenset({"std_family_name", "std_given_name", "std_city", "std_address"})
"""Fields that one source writes in Latin letters and another in its own
script: two such values are `in another script`, not `differs (n edits)`."""


@dataclass(frozen=True)
class ReviewListing:
    total: int  # pairs in the queue
    order: str  # one of ORDERS
    pairs: pl.DataFrame  # the pairs shown, in order: keys, scores, masked `*_l`/`*_r` values, `cmp_*` and `w_*` per field
    fields: tuple[str, ...]  # the review fields the queue has, in `REVIEW_FIELDS` order


def ordered(queue: pl.DataFrame, order: str) -> pl.DataFrame:
    """`queue` in a listing `order`: `likeliest` (the pairs no rule holds,
    highest match probability first, then those a rule holds, `HELD_BY`,
    likewise) or `uncertain` (nearest 0.5 first, the queue's own order); ties by
    pair id, so a listing reads the same every time. Refuses another order."""
    if order == "likeliest":
        held = pl.col(HELD_BY).is_not_null() if HELD_BY in queue.columns else pl.repeat(False, pl.len())
        return queue.sort([held, pl.col("match_probability"), pl.col("pair_id")], descending=[False, True, False], nulls_last=True)
    if order == "uncertain":
        return queue.sort((pl.col("match_probability") - 0.5).abs(), "pair_id", nulls_last=True)
    raise ValueError(f"unknown order {order!r}: use one of {', '.join(ORDERS)}")


def review_fields(queue: pl.DataFrame) -> tuple[str, ...]:
    """The `REVIEW_FIELDS` the queue holds side by side."""
    return tuple(f for f in REVIEW_FIELDS if f"{f}_l" in queue.columns and f"{f}_r" in queue.columns)


def field_comparisons(queue: pl.DataFrame) -> pl.DataFrame:
    """`pair_id` and, per review field but the source system, `cmp_<field>`: how its two values
    compare (null when both are missing), computed in one DuckDB query over
    the pairs: `same`; `one missing`; for emails `same mailbox, other domain`,
    `same domain, other mailbox (n edits)`; for names `the other's given_name`
    (or family name: written in the other order); for birth dates `day and
    month swapped`; for names and places written in Latin letters on one
    side only `in another script`; for names, dates, phones, postal codes
    and places `differs (n edits)`; else `differs`."""
    fields = tuple(f for f in review_fields(queue) if f != "source_system")  # where a record came from, not about the person
    if not fields or queue.height == 0:
        return queue.select("pair_id")
    columns = ["pair_id", *(f"{f}{side}" for f in fields for side in ("_l", "_r"))]
    cases = ",\n".join(f"{_comparison_sql(f, fields)} AS \"cmp_{f}\"" for f in fields)
    con = duckdb.connect()
    try:
        con.register("pairs", queue.select(columns).with_columns(pl.exclude("pair_id").cast(pl.Utf8)).to_arrow())
        return pl.from_arrow(con.sql(f"SELECT pair_id, {cases} FROM pairs").to_arrow_table())
    finally:
        con.close()


def _comparison_sql(field: str, fields: tuple[str, ...]) -> str:
    left, right = f'"{field}_l"', f'"{field}_r"'
    whens = [f"WHEN {left} IS NULL AND {right} IS NULL THEN NULL",
             f"WHEN {left} IS NULL OR {right} IS NULL THEN 'one missing'",
             f"WHEN {left} = {right} THEN 'same'"]
    if field == "std_email":
        local_l, local_r = (f"split_part({s}, '@', 1)" for s in (left, right))
        domain_l, domain_r = (f"regexp_extract({s}, '@([^@]*)$', 1)" for s in (left, right))
        both = f"contains({left}, '@') AND contains({right}, '@')"
        whens += [f"WHEN {both} AND {local_l} = {local_r} THEN 'same mailbox, other domain'",
                  f"WHEN {both} AND {domain_l} = {domain_r} THEN 'same domain, other mailbox' || {_edits(local_l, local_r)}"]
    for first, second in _NAME_PAIRS:
        other = second if field == first else first if field == second else None
        if other in fields:
            whens.append(f'WHEN {left} = "{other}_r" AND {right} = "{other}_l" THEN \'the other\'\'s {other.removeprefix("std_")}\'')
    if field == "std_birth_date":
        whens.append(
            f"WHEN left({left}, 4) = left({right}, 4) AND substr({left}, 6, 2) = substr({right}, 9, 2) "
            f"AND substr({left}, 9, 2) = substr({right}, 6, 2) THEN 'day and month swapped'"
        )
    if field in _SCRIPTS_TOLD:  # `Юрий` and `Iurii`: edits across scripts say nothing (the weight says how they met)
        latin_l, latin_r = (f"regexp_matches({side}, '\\p{{Latin}}')" for side in (left, right))
        whens.append(f"WHEN {latin_l} <> {latin_r} THEN 'in another script'")
    whens.append(f"WHEN true THEN 'differs' || {_edits(left, right) if field in _EDITS_SHOWN else repr('')}")
    return "CASE " + " ".join(whens) + " END"


def _edits(left: str, right: str) -> str:
    """SQL for ` (n edits)` between two texts: how far apart, without the characters."""
    edits = f"levenshtein({left}, {right})"
    return f"' (' || {edits} || CASE WHEN {edits} = 1 THEN ' edit)' ELSE ' edits)' END"


def weight_columns(queue: pl.DataFrame, fields: tuple[str, ...]) -> list[pl.Expr]:
    """Per review field whose comparison the queue scored (`mw_<field>`, the
    field's name without `std_`), `w_<field>`: its match weight with its term
    frequency adjustment, as the pair's total adds them."""
    exprs = []
    for field in fields:
        name = field.removeprefix("std_")
        if f"mw_{name}" in queue.columns:
            adjusted = pl.col(f"mw_tf_adj_{name}").fill_null(0.0) if f"mw_tf_adj_{name}" in queue.columns else 0.0
            exprs.append((pl.col(f"mw_{name}") + adjusted).alias(f"w_{field}"))
    return exprs


def review_listing(queue: pl.DataFrame, *, order: str = "likeliest", limit: int | None = 20) -> ReviewListing:
    """The first `limit` pairs of `queue` (None or 0: all) in `order`, their
    values masked, each field's comparison and weight beside them."""
    shown = ordered(queue, order)
    if limit:
        shown = shown.head(limit)
    fields = review_fields(shown)
    # masked before the comparisons join: `cmp_std_email` would read as an email column
    masked = mask_frame(shown).with_columns(weight_columns(shown, fields))
    compared = field_comparisons(shown)
    if compared.width > 1:
        masked = masked.join(compared, on="pair_id", how="left", maintain_order="left")
    return ReviewListing(total=queue.height, order=order, pairs=masked, fields=fields)


def render_listing(listing: ReviewListing) -> str:
    """The listing as text for a terminal: a count line saying how many pairs
    are shown of how many and in what order, then a block per pair."""
    shown = listing.pairs.height
    ordering = (
        "likeliest the same person first (highest match probability, then the pairs a rule holds; "
        "--order uncertain: nearest 0.5 first)"
        if listing.order == "likeliest"
        else "nearest 0.5 first (--order likeliest: highest match probability first)"
    )
    if shown < listing.total:
        scope = f"showing {shown} of {listing.total}, {ordering}; --limit N shows N, --limit 0 all"
    else:
        scope = f"showing all {listing.total}, {ordering}"
    lines = [
        f"{listing.total} pair(s) waiting for a decision; {scope}.",
        "Values are masked; `compared` is worked out on the values themselves. Decide with "
        "`nayose review decide --pair 'PAIR' --same|--different --reason TEXT`.",
    ]
    for number, row in enumerate(listing.pairs.iter_rows(named=True), start=1):
        lines += ["", *_pair_block(number, row, listing.fields)]
    return "\n".join(lines)


def _pair_block(number: int, row: dict, fields: tuple[str, ...]) -> list[str]:
    probability, weight = row.get("match_probability"), row.get("match_weight")
    head = f"{number}. pair {row['pair_id']}"
    if probability is not None:
        head += f"  p {probability:.3f}"
    if weight is not None:
        head += f"  weight {weight:+.1f}"
    if row.get(HELD_BY):
        head += f"  held by rule: {row[HELD_BY]}"
    table = [("field", f"left {row.get('record_key_l') or ''}", f"right {row.get('record_key_r') or ''}", "compared", "weight")]
    for field in fields:
        left, right = row.get(f"{field}_l"), row.get(f"{field}_r")
        if left is None and right is None:
            continue  # nothing to show: a project without kana, a field neither export fills
        compared = row.get(f"cmp_{field}") or ""
        field_weight = row.get(f"w_{field}")
        table.append((field.removeprefix("std_"), _cell(left), _cell(right), compared,
                      "" if field_weight is None else f"{field_weight:+.1f}"))
    widths = [max(_width(r[i]) for r in table) for i in range(len(table[0]))]
    return [head, *("   " + "  ".join(_pad(c, w) for c, w in zip(r, widths, strict=True)).rstrip() for r in table)]


def _cell(value: object) -> str:
    return "-" if value is None else str(value)


def _width(text: str) -> int:
    """Columns `text` takes in a terminal: wide (CJK) characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
