"""Presented golden values: a surviving record's own spelling of a standardized value.

Standardized Latin names and addresses are matching keys: lower-case, accents
stripped, `ß` -> `ss`, punctuation dropped, `Street` -> `st` (`godard`,
`237 rue oceane marion`). A golden record shows people the spelling the
surviving source record delivered (`Godard`, `237 rue Océane Marion`), cleaned
(NFKC, whitespace collapsed and trimmed): the span of that record's raw value
that folds to the standardized value. Where no span does (the value was
derived, e.g. a full name joined from its parts), the standardized value
stays. Japanese values are already presentable (kanji variants folded, the
street block normalized) and stay as standardized.

`presented_value` aligns one value; `with_presented_values` replaces
standardized columns of a frame by their presented values, with expressions
where the cleaned raw value folds to the standardized one as a whole (most
values) and in Python once per distinct remaining (standardized, raw) tuple.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache, partial

import polars as pl

from resolution.standardization.addresses import (
    GERMAN_STREET_SUFFIX,
    LATIN_ABBREVIATIONS,
)
from resolution.standardization.distinct import map_distinct
from resolution.standardization.latin_names import HANGUL_NAME, LATIN_LETTERS
from resolution.standardization.names import (
    JAPANESE_NAME_CHARACTER,
    JAPANESE_NAME_PATTERN,
)
from resolution.standardization.text import LATIN_HONORIFICS, clean_text

# Final sigma lower-cases to `ς` inside a word but to `σ` alone: fold both the same way.
_FOLDED_LETTERS = {**{chr(k): v for k, v in LATIN_LETTERS.items()}, "ς": "σ"}


@dataclass(frozen=True)
class PresentedAttribute:
    """Where a golden attribute's presented spelling may come from.

    `sources`: raw columns of the surviving record, tried in order (a family
    name split from a full name is found in `full_name`). `reordered`: the
    standardized value may hold the raw value's words in another order (a
    full name is family + given). `codes_kept`: a standardized value of at
    most `CODE_LENGTH` characters is a code (`CA`, `NSW`) and stays upper-case.
    `whole_field`: when the presented value begins the record's own column
    followed by more words, the whole column is shown (matching keeps the
    first given name only; the golden record shows `Mary Ann`, `William J.`)."""

    sources: tuple[str, ...]
    reordered: bool = False
    codes_kept: bool = False
    whole_field: bool = False


CODE_LENGTH = 3

PRESENTATION_VERSION = 2
"""Changes when presented values would come out differently from the same
records: the nightly run then rebuilds every golden record, not only the
changed ones (see `assets.golden.golden_rules_fingerprint`)."""

PRESENTED_ATTRIBUTES: dict[str, PresentedAttribute] = {
    "family_name": PresentedAttribute(("family_name", "full_name")),
    "given_name": PresentedAttribute(("given_name", "full_name"), whole_field=True),
    "full_name": PresentedAttribute(("full_name",), reordered=True),
    "prefecture": PresentedAttribute(("prefecture",), codes_kept=True),
    "city": PresentedAttribute(("city", "address_line")),
    "address_line": PresentedAttribute(("address_line",)),
    "building": PresentedAttribute(("building", "address_line")),
}
"""Golden attributes shown in their source's spelling, by attribute name."""


@cache
def _folded_character(character: str) -> str:
    """What standardization keeps of one character for comparison: lower-case,
    letters NFKD does not decompose spelled out (`ß` -> `ss`), accents
    stripped, only letters and digits (punctuation and spaces fold to '')."""
    lowered = "".join(_FOLDED_LETTERS.get(c, c) for c in character.lower())
    return "".join(c for c in unicodedata.normalize("NFKD", lowered) if unicodedata.category(c)[0] in "LN")


def folded(text: str) -> str:
    """`text` folded as `_folded_character` folds each character: `O'Brien` ->
    `obrien`, `Straße 5` -> `strasse5`, `237 rue oceane marion` -> `237rueoceanemarion`."""
    return "".join(_folded_character(c) for c in text)


def folded_expr(expr: pl.Expr) -> pl.Expr:
    """`folded` as a polars expression."""
    lowered = expr.str.to_lowercase().str.replace_many(list(_FOLDED_LETTERS), list(_FOLDED_LETTERS.values()))
    return lowered.str.normalize("NFKD").str.replace_all(r"[^\p{L}\p{N}]", "")


_Unit = tuple[str, int, int]
"""A raw character (or, abbreviated, a whole word) as (what it folds to, its
start, its end (exclusive) in the raw text)."""


def _units(raw: str, pieces: list[str], abbreviated: bool) -> list[_Unit]:
    """The units of `raw` (`pieces`: each character folded) that fold to
    something; with `abbreviated`, a word of `LATIN_ABBREVIATIONS` (`Street`)
    is one unit folding to its abbreviation (`st`), and so is the German
    street suffix that ends a word (`straße` of `Hauptstraße`: `str`), as
    standardized addresses write them."""
    if not abbreviated:
        return [(piece, index, index + 1) for index, piece in enumerate(pieces) if piece]
    units: list[_Unit] = []
    index = 0
    while index < len(raw):
        end = index
        while end < len(raw) and pieces[end]:
            end += 1
        short = LATIN_ABBREVIATIONS.get("".join(pieces[index:end])) if end > index else None
        suffix = _street_suffix_start(pieces, index, end)
        if short:
            units.append((short, index, end))
        elif suffix is not None:
            units += [(pieces[position], position, position + 1) for position in range(index, suffix)]
            units.append((GERMAN_STREET_SUFFIX[1], suffix, end))
        else:
            units += [(pieces[position], position, position + 1) for position in range(index, end)]
        index = end + 1 if end == index else end
    return units


def _street_suffix_start(pieces: list[str], start: int, end: int) -> int | None:
    """Where the German street suffix (`straße`, `strasse`) starts in the word
    `pieces[start:end]` (folded characters), when the word ends with it; else None."""
    long = GERMAN_STREET_SUFFIX[0]
    folded_length = 0
    for position in range(end - 1, start - 1, -1):
        folded_length += len(pieces[position])
        if folded_length >= len(long):
            word_end = "".join(pieces[position:end])
            return position if word_end == long else None
    return None


def _aligned_span(target: str, raw: str) -> str | None:
    """The span of `raw` that folds to `target` (itself folded), starting and
    ending on word boundaries of `raw` (so `ann` is not found in `Anna`), with
    a full stop right after it (`St.`, `J.`); None when there is none."""
    pieces = [_folded_character(c) for c in raw]
    lowered = raw.lower()
    abbreviable = any(word in lowered for word in LATIN_ABBREVIATIONS) or GERMAN_STREET_SUFFIX[0] in "".join(pieces)
    variants = [False, True] if abbreviable else [False]
    for abbreviated in variants:
        units = _units(raw, pieces, abbreviated)
        text = "".join(unit[0] for unit in units)
        position = text.find(target)
        if position < 0:
            continue
        # per folded character: its unit's start and end in `raw`
        starts = [start for piece, start, _ in units for _ in piece]
        ends = [end for piece, _, end in units for _ in piece]
        while position >= 0:
            last = position + len(target) - 1
            start, end = starts[position], ends[last]
            whole_units = (position == 0 or starts[position - 1] != start) and (
                last + 1 == len(starts) or ends[last + 1] != end
            )
            on_boundaries = (start == 0 or not pieces[start - 1]) and (end == len(raw) or not pieces[end])
            if whole_units and on_boundaries:
                return raw[start : end + 1] if raw[end : end + 1] == "." else raw[start:end]
            position = text.find(target, position + 1)
    return None


def _reordered_words(target: str, raw: str) -> str | None:
    """`raw` (a leading title dropped) when its words, in some rotation, fold
    to `target`: `Marie Godard` for `godardmarie`, `Jean Pierre Godard` for
    `godardjeanpierre`; None otherwise."""
    words = raw.split(" ")
    if len(words) > 1 and folded(words[0]) in LATIN_HONORIFICS:
        words = words[1:]
    pieces = [piece for piece in (folded(word) for word in words) if piece]
    for turn in range(1, len(pieces)):
        if "".join(pieces[turn:] + pieces[:turn]) == target:
            return " ".join(words)
    return None


def presented_value(standardized: str, *raws: str | None, reordered: bool = False) -> str:
    """The presented spelling of one standardized value.

    In: the standardized value and the surviving record's raw values it may
    come from, cleaned (NFKC, single spaces, trimmed), in order of preference;
    `reordered`: the standardized value may be the raw words in another order
    (a full name is family + given). Out: the first raw span that folds
    (`folded`) to the standardized value on word boundaries, e.g.
    `godard` in `Marie Godard` -> `Godard`, `obrien` -> `O'Brien`, `strasse` ->
    `Straße`, `12 main st` in `12 Main Street, 75001` -> `12 Main Street`;
    the standardized value itself when none does, or when it or a raw value is
    in Japanese script."""
    if JAPANESE_NAME_CHARACTER.search(standardized) or any(raw and JAPANESE_NAME_CHARACTER.search(raw) for raw in raws):
        return standardized
    target = folded(standardized)
    if not target:
        return standardized
    for raw in raws:
        if raw:
            span = _aligned_span(target, raw) or (_reordered_words(target, raw) if reordered else None)
            if span:
                return span
    return standardized


def _presented_row(reordered: bool, standardized: str, *raws: str | None) -> tuple[str]:
    # Module-level (picklable) for map_distinct's worker processes.
    return (presented_value(standardized, *raws, reordered=reordered),)


def _spans_whole(text: pl.Expr) -> pl.Expr:
    """True when `text` starts and ends with a letter or digit (the span
    `presented_value` takes of a value folding to the target is then all of it)."""
    return text.str.contains(r"^[\p{L}\p{N}](?:.*[\p{L}\p{N}])?$")


def with_presented_values(frame: pl.DataFrame, columns: dict[str, str]) -> pl.DataFrame:
    """`frame` with each standardized column of `columns` (golden attribute ->
    column) replaced by its presented value (`presented_value`).

    In: `frame` holding those columns and, per attribute of
    `PRESENTED_ATTRIBUTES`, its `sources` as `_raw_<source>` columns (a source
    that is missing counts as null). Attributes not listed there are left as
    they are. A value stays null where it was null; nothing else changes."""
    attributes = {a: column for a, column in columns.items() if a in PRESENTED_ATTRIBUTES}
    raw_names = sorted({s for a in attributes for s in PRESENTED_ATTRIBUTES[a].sources})
    composing = {"full_name", "family_name", "given_name"} <= set(attributes)
    if composing:
        frame = frame.with_columns(
            pl.col(attributes[a]).alias(f"_std_{a}") for a in ("full_name", "family_name", "given_name")
        )
    frame = frame.with_columns(
        clean_text(pl.col(f"_raw_{name}") if f"_raw_{name}" in frame.columns else pl.lit(None, pl.Utf8)).alias(
            f"_clean_{name}"
        )
        for name in raw_names
    )
    for attribute, column in attributes.items():
        spec = PRESENTED_ATTRIBUTES[attribute]
        raws = [pl.col(f"_clean_{name}") for name in spec.sources]
        kept = pl.col(column).str.contains(JAPANESE_NAME_PATTERN) | pl.any_horizontal(
            raw.str.contains(JAPANESE_NAME_PATTERN).fill_null(False) for raw in raws
        )
        if spec.codes_kept:
            kept = kept | (pl.col(column).str.len_chars() <= CODE_LENGTH)
        # only the rows to present are folded and aligned: Japanese values and nulls stay as they are
        todo = frame.with_row_index("_at").filter(~kept.fill_null(True))
        if todo.height:
            shown = _presented_column(todo, column, spec)
            frame = frame.with_columns(frame[column].clone().scatter(todo["_at"], shown).alias(column))
    if composing:
        frame = _with_composed_full_name(frame, attributes)
    return frame.drop(f"_clean_{name}" for name in raw_names)


def _presented_column(todo: pl.DataFrame, column: str, spec: PresentedAttribute) -> pl.Series:
    """The presented values of `column` for `todo`, rows that are neither null
    nor kept as standardized: the first raw source when it folds to the value
    as a whole (polars), else `presented_value` once per distinct value and
    sources; with `spec.whole_field`, the whole first source when the
    presented value begins it."""
    std = pl.col(column)
    raws = [pl.col(f"_clean_{name}") for name in spec.sources]
    first = raws[0]
    whole = ((folded_expr(first) == folded_expr(std)) & _spans_whole(first)).fill_null(False)
    todo = todo.with_columns(whole.alias("_whole"))
    unaligned = ~pl.col("_whole") & pl.any_horizontal(raw.is_not_null() for raw in raws)
    todo = map_distinct(
        todo.with_columns(pl.when(unaligned).then(std).alias("_unaligned")),
        ["_unaligned", *(f"_clean_{name}" for name in spec.sources)],
        partial(_presented_row, spec.reordered),
        {"_aligned": pl.Utf8},
    )
    shown = pl.when(pl.col("_whole")).then(first).otherwise(pl.coalesce("_aligned", std))
    if spec.whole_field:
        shown = pl.when(first.str.starts_with(shown + " ").fill_null(False)).then(first).otherwise(shown)
    return todo.select(shown.alias(column)).to_series()


def _with_composed_full_name(frame: pl.DataFrame, attributes: dict[str, str]) -> pl.DataFrame:
    """A Latin full name that no raw full name spells (its source gave family
    and given names in their own columns: the standardized full name is the
    key `gerardstephane`) shown as its presented parts, given name first:
    `Stéphane Gérard`, `Mary Ann Smith` (a part that is missing is left
    out); a Hangul name family first and unspaced, as Korean writes it
    (`김민준`). Only where the standardized parts make the standardized full name;
    Japanese full names (family + given, as written) stay as they are.
    Needs `_std_full_name`, `_std_family_name` and `_std_given_name`, the
    standardized values before presenting; drops them."""
    full, family, given = (pl.col(attributes[a]) for a in ("full_name", "family_name", "given_name"))
    std_full = pl.col("_std_full_name")
    parts_fold = (
        folded_expr(pl.col("_std_family_name")).fill_null("") + folded_expr(pl.col("_std_given_name")).fill_null("")
    ) == folded_expr(std_full)
    composed = (full == std_full) & ~full.str.contains(JAPANESE_NAME_PATTERN) & parts_fold
    hangul = family.str.contains(HANGUL_NAME.pattern).fill_null(False)
    return frame.with_columns(
        pl.when(composed.fill_null(False) & hangul)
        .then(pl.concat_str([family, given], ignore_nulls=True))  # Korean: family first, unspaced (김민준)
        .when(composed.fill_null(False))
        .then(pl.concat_str([given, family], separator=" ", ignore_nulls=True))
        .otherwise(full)
        .alias(attributes["full_name"])
    ).drop("_std_full_name", "_std_family_name", "_std_given_name")
