"""Presented golden values: a surviving record's own spelling of a standardized value.

Standardized Latin names and addresses are matching keys: lower-case, accents
stripped, `ß` -> `ss`, punctuation dropped, `Street` -> `st` (`godard`,
`237 rue oceane marion`). A golden record shows people the spelling the
surviving source record delivered (`Godard`, `237 rue Océane Marion`), cleaned
(NFKC, whitespace collapsed and trimmed): the span of that record's raw value
that folds to the standardized value. Where no span does (the value was
derived, e.g. a full name joined from its parts), the standardized value
stays.

Japanese values are matched with kanji variants folded (`髙橋` -> `高橋`,
`塩竈市` -> `塩竃市`, `松が谷` -> `松ケ谷`): that folding is for matching only,
a customer's name is `髙橋` and the city is `塩竈市`. Both foldings are
character for character, so each run of Japanese script in the standardized
value is shown as the characters of the record's raw value that fold to it
(`japanese_spelling`); the street's normalized block (`1丁目2番3号` ->
`1-2-3`) stays.

`presented_value` aligns one value; `with_presented_values` replaces
standardized columns of a frame by their presented values, with expressions
where the cleaned raw value folds to the standardized one as a whole (most
values) and in Python once per distinct remaining (standardized, raw) tuple;
Japanese values go to Python only where a raw value holds a character the
folding changes.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, partial

import polars as pl

from resolution.standardization.addresses import (
    GERMAN_STREET_SUFFIX,
    LATIN_ABBREVIATIONS,
    NUMBER_SIGNS,
    unit_first_text,
)
from resolution.standardization.distinct import map_distinct
from resolution.standardization.japanese_addresses import fold_place_name
from resolution.standardization.kanji_variants import (
    fold_kanji_variants_in,
    kanji_variant_table,
)
from resolution.standardization.latin_names import (
    HANGUL_NAME,
    LATIN_LETTERS,
    given_first,
    without_name_suffixes,
    written_suffixes,
)
from resolution.standardization.names import (
    JAPANESE_NAME_CHARACTER,
    JAPANESE_NAME_PATTERN,
    clean_name,
    family_name_key,
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
    followed by more words, or ends it after a Vietnamese middle name, the
    whole column is shown (matching keeps one given name only; the golden
    record shows `Mary Ann`, `William J.`, `Văn An`).
    `japanese_sources`: the raw columns a Japanese value is found in, when
    not `sources` (a web form's town is in its city column, so the street
    `松ケ谷1-2` is spelled from `address_line` and `city`). `place`: a
    Japanese value folded as a place name (`fold_place_name`: the particle
    `ヶ`/`が` between kanji too), else as a person's name. `surnames`: the
    value is a family name key (`names.family_name_key`, particles dropped:
    `pereirasouza`), shown as the longest run of raw words keyed so
    (`Pereira de Souza`), before any shorter span that folds to it."""

    sources: tuple[str, ...]
    surnames: bool = False
    reordered: bool = False
    codes_kept: bool = False
    whole_field: bool = False
    japanese_sources: tuple[str, ...] = ()
    place: bool = False

    @property
    def japanese(self) -> tuple[str, ...]:
        """The raw columns a Japanese value's spelling is looked for in, in order."""
        return self.japanese_sources or self.sources

    @property
    def raw_columns(self) -> tuple[str, ...]:
        """Every raw column either path reads."""
        return tuple(dict.fromkeys((*self.sources, *self.japanese)))


CODE_LENGTH = 3

PRESENTATION_VERSION = 10
"""Changes when presented values would come out differently from the same
records: the nightly run then rebuilds every golden record, not only the
changed ones (see `assets.golden.golden_rules_fingerprint`). 3: Japanese
values in the record's own kanji (`髙橋`, `塩竈市`), not the matching's. 4: a
family name as matched, particles first (`van Pasman` from `Pasman, van`).
5: a Vietnamese given name with its middle name (`Văn An`), which matching leaves out.
6: a full name written `Family, Given` shown given name first (`Nicole Larsen`).
7: a full name as the record wrote it (`Rafael Pereira de Souza`, not rebuilt
from its parts), a family name as its written surnames (`Pereira de Souza`,
not the key `pereirasouza`).
8: a full name composed from its parts with the suffix its family or given
column ends with (`Jeremy Miles Jr.`, not `Jeremy Miles`), and a given name
without it (`JOHN`, not `JOHN JR`).
9: an organisation's name as written, legal form included, as family and full
name (`Kühn GmbH`, not `Kühn`; `Perret AG`, not `AG Perret`:
`organisations.with_written_organisation_names`).
10: academic and professional titles dropped from a written name as
honorifics are (`Gruber, Josef Mag.`, `Dipl.-Ing. Jürg Wyss`:
`text.strip_honorifics`)."""

PRESENTED_ATTRIBUTES: dict[str, PresentedAttribute] = {
    "family_name": PresentedAttribute(("family_name", "full_name"), surnames=True, reordered=True),
    "given_name": PresentedAttribute(("given_name", "full_name"), whole_field=True),
    "full_name": PresentedAttribute(("full_name",), reordered=True),
    "prefecture": PresentedAttribute(("prefecture",), codes_kept=True, japanese_sources=("prefecture", "city", "address_line"), place=True),
    "city": PresentedAttribute(("city", "address_line"), place=True),
    "address_line": PresentedAttribute(("address_line",), japanese_sources=("address_line", "city"), place=True),
    "building": PresentedAttribute(("building", "address_line"), place=True),
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
        word = "".join(pieces[index:end])
        short = LATIN_ABBREVIATIONS.get(word) if end > index else None
        suffix = _street_suffix_start(pieces, index, end)
        if word in _NUMBER_SIGN_WORDS and _number_follows(pieces, end):
            pass  # dropped before a number, as standardized addresses drop it (`Flat No 1105`: `apt 1105`)
        elif short:
            units.append((short, index, end))
        elif suffix is not None:
            units += [(pieces[position], position, position + 1) for position in range(index, suffix)]
            units.append((GERMAN_STREET_SUFFIX[1], suffix, end))
        else:
            units += [(pieces[position], position, position + 1) for position in range(index, end)]
        index = end + 1 if end == index else end
    return units


_NUMBER_SIGN_WORDS = frozenset(folded(sign) for sign in NUMBER_SIGNS)


def _number_follows(pieces: list[str], end: int) -> bool:
    """Whether the next folded character after `end` (spaces and punctuation skipped) is a digit."""
    following = next((piece for piece in pieces[end:] if piece), "")
    return following[:1].isdigit()


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
    abbreviable = any(word in lowered for word in (*LATIN_ABBREVIATIONS, *_NUMBER_SIGN_WORDS)) or GERMAN_STREET_SUFFIX[0] in "".join(pieces)
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
    `godardjeanpierre`, `Esteves da Correia` for `correiaestevesda`; None
    otherwise. Words written in a list's order, with a comma, are shown in
    the rotation's order: `van Pasman` for `vanpasman` from `Pasman, van`."""
    words = raw.split(" ")
    if len(words) > 1 and folded(words[0]) in LATIN_HONORIFICS:
        words = words[1:]
    kept = [word for word in words if folded(word)]
    pieces = [folded(word) for word in kept]
    for turn in range(1, len(pieces)):
        if "".join(pieces[turn:] + pieces[:turn]) == target:
            return " ".join(word.strip(",") for word in kept[turn:] + kept[:turn]) if "," in raw else " ".join(words)
    return None


_SPAN_ENDS = re.compile(r"^[\W_]+|[^\w.]+$")
"""What a run of words is shown without: punctuation before it, and after
it but a full stop (`St.`): the comma of `Souza, Mateus`, quotes."""


def _surname_span(target: str, raw: str) -> str | None:
    """The longest run of `raw`'s words (`_SPAN_ENDS` dropped) that
    carries no name suffix and whose family name key
    (`names.family_name_key`) folds to `target`: `Pereira de Souza` for
    `pereirasouza` in `RAFAEL PEREIRA DE SOUZA`, `dos Santos` for `santos` in
    `Júlia dos Santos`, `Teixeira Ramos` in `Paulo Teixeira Ramos Júnior`;
    None when there is none."""
    words = raw.split(" ")
    for size in range(len(words), 0, -1):
        for start in range(len(words) - size + 1):
            span = _SPAN_ENDS.sub("", " ".join(words[start : start + size]))
            if not span or "," in span or without_name_suffixes(span, 1) != span:
                continue
            key = family_name_key(span)
            if key and folded(key) == target:
                return span
    return None


_JAPANESE_RUN = re.compile(f"{JAPANESE_NAME_CHARACTER.pattern}+")


def japanese_spelling(standardized: str, *raws: str | None, place: bool = False) -> str:
    """`standardized` with each run of Japanese script in it spelled as the
    first raw value (cleaned) holding it spells it: the raw characters, spaces
    left out, that fold to that run. Folding is `fold_place_name` for a `place`, else
    `fold_kanji_variants_in`; both are character for character, so a position
    in the folded raw value is one in the raw value.

    `高橋` from `髙橋 一郎` -> `髙橋`; `塩竃市` from `宮城県塩竈市` -> `塩竈市`;
    `松ケ谷1-2-3` from `松が谷1丁目2番3号` -> `松が谷1-2-3` (the street block
    stays normalized); a run no raw value folds to stays as it is."""
    fold = fold_place_name if place else fold_kanji_variants_in
    compacts = [raw.replace(" ", "") for raw in raws if raw]
    pairs = [(compact, folded_raw) for compact in compacts if len(folded_raw := fold(compact)) == len(compact)]

    def spelled(run: re.Match[str]) -> str:
        text = run.group(0)
        for compact, folded_raw in pairs:
            at = folded_raw.find(text)
            if at >= 0:
                return compact[at : at + len(text)]
        return text

    return _JAPANESE_RUN.sub(spelled, standardized)


def presented_value(
    standardized: str, *raws: str | None, reordered: bool = False, place: bool = False, surnames: bool = False
) -> str:
    """The presented spelling of one standardized value.

    In: the standardized value and the surviving record's raw values it may
    come from, cleaned (NFKC, single spaces, trimmed), in order of preference;
    `reordered`: the standardized value may be the raw words in another order
    (a full name is family + given); `place`: a Japanese value is a place name
    (how it was folded); `surnames`: a family name key, shown as the written
    surnames it keys (`_surname_span`) where a raw value holds them. Out: the first raw span that folds (`folded`) to the
    standardized value on word boundaries, e.g.
    `godard` in `Marie Godard` -> `Godard`, `obrien` -> `O'Brien`, `strasse` ->
    `Straße`, `12 main st` in `12 Main Street, 75001` -> `12 Main Street`;
    the standardized value itself when none does. A value or raw value in
    Japanese script: `japanese_spelling` (`高橋` from `髙橋` -> `髙橋`)."""
    if JAPANESE_NAME_CHARACTER.search(standardized) or any(raw and JAPANESE_NAME_CHARACTER.search(raw) for raw in raws):
        return japanese_spelling(standardized, *raws, place=place)
    target = folded(standardized)
    if not target:
        return standardized
    for raw in raws:
        if raw:
            span = (
                (_surname_span(target, raw) if surnames else None)
                or _aligned_span(target, raw)
                or (_reordered_words(target, raw) if reordered else None)
            )
            if not span and (unit_moved := unit_first_text(raw)) != raw:
                span = _aligned_span(target, unit_moved)  # a flat after the building's name (`unit_first`)
            if span:
                return span
    return standardized


def _presented_row(reordered: bool, surnames: bool, standardized: str, *raws: str | None) -> tuple[str]:
    # Module-level (picklable) for map_distinct's worker processes.
    return (presented_value(standardized, *raws, reordered=reordered, surnames=surnames),)


def _japanese_row(place: bool, standardized: str, *raws: str | None) -> tuple[str]:
    # Module-level (picklable) for map_distinct's worker processes.
    return (japanese_spelling(standardized, *raws, place=place),)


_KANJI = r"\x{3400}-\x{4dbf}\x{4e00}-\x{9fff}\x{f900}-\x{faff}\x{20000}-\x{3ffff}々〆"


@cache
def _folding_pattern(place: bool) -> str:
    """A regex for the characters `fold_place_name` (`place`) or
    `fold_kanji_variants_in` may change: a raw value without any is its own
    folding. (A character class: faster than `contains_any` over ~7,900
    patterns.)"""
    variants = "".join(
        "\\" + variant if variant in "\\]^-[&~" else variant  # escaped where a regex class would read them
        for variant in sorted(kanji_variant_table())
        if not (place and variant == "ヶ")
    )
    return f"[{variants}]|[{_KANJI}][ヶヵカガが][{_KANJI}]" if place else f"[{variants}]"


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
    raw_names = sorted({s for a in attributes for s in PRESENTED_ATTRIBUTES[a].raw_columns})
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
    # Per raw column, once (several attributes read the same one): in Japanese script? holding a
    # character the matching folds (`髙`, `ヶ`), as a name or as a place?
    sources = {name for a in attributes for name in PRESENTED_ATTRIBUTES[a].sources}
    foldings = {(name, PRESENTED_ATTRIBUTES[a].place) for a in attributes for name in PRESENTED_ATTRIBUTES[a].japanese}
    flags = [f"_ja_{name}" for name in sorted(sources)] + [f"_folds_{place}_{name}" for name, place in sorted(foldings)]
    frame = frame.with_columns(
        *(pl.col(f"_clean_{name}").str.contains(JAPANESE_NAME_PATTERN).fill_null(False).alias(f"_ja_{name}") for name in sorted(sources)),
        *(
            pl.col(f"_clean_{name}").str.contains(_folding_pattern(place)).fill_null(False).alias(f"_folds_{place}_{name}")
            for name, place in sorted(foldings)
        ),
    )
    for attribute, column in attributes.items():
        spec = PRESENTED_ATTRIBUTES[attribute]
        japanese = pl.col(column).str.contains(JAPANESE_NAME_PATTERN)
        kept = japanese | pl.any_horizontal(pl.col(f"_ja_{name}") for name in spec.sources)
        if spec.codes_kept:
            kept = kept | (pl.col(column).str.len_chars() <= CODE_LENGTH)
        # only the rows to present are folded and aligned: Japanese values and nulls stay as they are
        todo = frame.with_row_index("_at").filter(~kept.fill_null(True))
        if todo.height:
            shown = _presented_column(todo, column, spec)
            frame = frame.with_columns(frame[column].clone().scatter(todo["_at"], shown).alias(column))
        # Japanese values whose raw values hold a character the matching folds: in Python
        folding = pl.any_horizontal(pl.col(f"_folds_{spec.place}_{name}") for name in spec.japanese)
        todo = frame.with_row_index("_at").filter((folding & japanese).fill_null(False))
        if todo.height:
            shown = map_distinct(
                todo,
                [column, *(f"_clean_{name}" for name in spec.japanese)],
                partial(_japanese_row, spec.place),
                {"_spelled": pl.Utf8},
            )["_spelled"]
            frame = frame.with_columns(frame[column].clone().scatter(todo["_at"], shown).alias(column))
    if "full_name" in attributes:
        frame = _with_written_full_name(frame, attributes["full_name"])
    if composing:
        frame = _with_composed_full_name(frame, attributes)
    if "full_name" in attributes:  # `Larsen, Nicole` as spoken, `Nicole Larsen` (a source's sorted list)
        full = pl.col(attributes["full_name"])
        frame = frame.with_columns(pl.when(full.str.contains(",", literal=True)).then(given_first(full)).otherwise(full))
    return frame.drop(*(f"_clean_{name}" for name in raw_names), *flags)


def _with_written_full_name(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    """A full name that is not in Japanese script shown as its record wrote it
    (`names.clean_name`: cleaned, titles and notes in brackets dropped):
    `RAFAEL PEREIRA DE SOUZA`, `Paulo Teixeira Ramos Júnior`, not a key of
    its parts (`pereirasouzarafael`) nor the parts it was split into. Its
    standardized value came from that record's full name (survivorship keeps
    a record's name parts together), so nothing is lost or added."""
    full, raw = pl.col(column), pl.col("_clean_full_name")
    written = clean_name(raw)
    latin = ~full.str.contains(JAPANESE_NAME_PATTERN) & ~written.str.contains(JAPANESE_NAME_PATTERN)
    shown = (full.is_not_null() & latin & written.str.contains(r"\p{L}")).fill_null(False)
    return frame.with_columns(pl.when(shown).then(written).otherwise(full).alias(column))


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
        partial(_presented_row, spec.reordered, spec.surnames),
        {"_aligned": pl.Utf8},
    )
    shown = pl.when(pl.col("_whole")).then(first).otherwise(pl.coalesce("_aligned", std))
    if spec.whole_field:  # `Mary Ann`; a Vietnamese given name after its middle name, `Văn An`
        # without a suffix the column ends with (`JOHN JR`): a suffix is the full name's, after the family name
        first = first.str.head(first.str.len_chars() - written_suffixes(first, None).str.len_chars().fill_null(0))
        after_middle_name = first.str.contains(r"(?i)^(?:văn|van|thị|thi)\s") & first.str.ends_with(" " + shown)
        within = first.str.starts_with(shown + " ") | after_middle_name
        shown = pl.when(within.fill_null(False)).then(first).otherwise(shown)
    return todo.select(shown.alias(column)).to_series()


def _raw_column(frame: pl.DataFrame, name: str) -> pl.Expr:
    """The cleaned raw column `name` of `frame`, null where the frame has none."""
    return pl.col(f"_clean_{name}") if f"_clean_{name}" in frame.columns else pl.lit(None, pl.Utf8)


def _with_composed_full_name(frame: pl.DataFrame, attributes: dict[str, str]) -> pl.DataFrame:
    """A Latin full name that no raw full name spells (its source gave family
    and given names in their own columns: the standardized full name is the
    key `gerardstephane`) shown as its presented parts, given name first:
    `Stéphane Gérard`, `Mary Ann Smith` (a part that is missing is left
    out), and then the suffix the family or given column ends with, as
    written (`latin_names.written_suffixes`: `Jeremy Miles Jr.` from `Miles
    Jr.`, `Caio Rocha Neto` from `Rocha Neto`; the parts leave it out, and
    the golden record had lost it); a Hangul name family first and unspaced, as Korean writes it
    (`김민준`). Only where the standardized parts make the standardized full name.
    A Japanese full name no raw full name spelled otherwise (the folded
    `高橋一郎`, or parts given in their own columns) is its presented parts,
    family first and unspaced, as written (`髙橋一郎`).
    Needs `_std_full_name`, `_std_family_name` and `_std_given_name`, the
    standardized values before presenting; drops them."""
    full, family, given = (pl.col(attributes[a]) for a in ("full_name", "family_name", "given_name"))
    std_full, std_family, std_given = (pl.col(f"_std_{a}") for a in ("full_name", "family_name", "given_name"))
    # Only full names still standardized are looked at, and only Latin ones are folded (NFKD costs).
    todo = frame.with_row_index("_at").filter((full == std_full).fill_null(False))
    japanese = full.str.contains(JAPANESE_NAME_PATTERN)
    latin = todo.filter(~japanese)
    if latin.height:
        parts_fold = (folded_expr(std_family).fill_null("") + folded_expr(std_given).fill_null("")) == folded_expr(std_full)
        hangul = family.str.contains(HANGUL_NAME.pattern).fill_null(False)
        raw_family, raw_given = (_raw_column(latin, name) for name in ("family_name", "given_name"))
        suffix = pl.coalesce(written_suffixes(raw_family, 1), written_suffixes(raw_given, None))
        spoken = pl.concat_str([given, family], separator=" ", ignore_nulls=True)
        shown = latin.select(
            pl.when(parts_fold.fill_null(False) & hangul)
            .then(pl.concat_str([family, given], ignore_nulls=True))  # Korean: family first, unspaced (김민준)
            .when(parts_fold.fill_null(False))
            .then(pl.concat_str([spoken, suffix.fill_null("")]))
            .otherwise(full)
        ).to_series()
        frame = frame.with_columns(frame[attributes["full_name"]].clone().scatter(latin["_at"], shown))
    written = todo.filter(japanese & (pl.concat_str([std_family, std_given], ignore_nulls=True) == std_full))
    if written.height:
        # Japanese: family first, unspaced, as written (髙橋一郎)
        shown = written.select(pl.concat_str([family, given], ignore_nulls=True)).to_series()
        frame = frame.with_columns(frame[attributes["full_name"]].clone().scatter(written["_at"], shown))
    return frame.drop("_std_full_name", "_std_family_name", "_std_given_name")
