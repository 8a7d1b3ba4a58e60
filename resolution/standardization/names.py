"""Person names: family/given split, normalized spelling and kana readings.

Polars expressions clean every name column (NFKC, honorifics, kanji variants,
hiragana -> katakana for readings); the split and the readings are decided in
Python once per distinct combination of name columns.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

import polars as pl

from resolution.standardization.distinct import map_distinct, over_distinct
from resolution.standardization.family_names import romanized_family_names, split_by_family_name
from resolution.standardization.issues import issue_column
from resolution.standardization.kanji_variants import fold_kanji_variants_in
from resolution.standardization.readings import generated_reading
from resolution.standardization.text import (
    HIRAGANA,
    KATAKANA,
    clean_text,
    hiragana_to_katakana,
    strip_honorifics,
)

NAME_COLUMNS = ("family_name", "given_name", "full_name")
KANA_COLUMNS = ("family_name_kana", "given_name_kana", "full_name_kana")

JA, LATIN = "ja", "latin"

_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff々〆ヶ\U00020000-\U0003ffff]")
_KANA_NAME = re.compile(r"^[\u3041-\u3096\u30a1-\u30faー・]+$")
_KATAKANA_NAME = re.compile(r"^[\u30a1-\u30faー]+$")
_LETTER = re.compile(r"[^\W\d_]")
_NOT_LATIN_NAME_CHARACTER = re.compile(r"[^a-z0-9]")
_HIRAGANA_TO_KATAKANA = str.maketrans(HIRAGANA, KATAKANA)
# Letters NFKD does not decompose.
_LATIN_LETTERS = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ß": "ss", "ı": "i"})


class StandardName(NamedTuple):
    """Everything `standardize_name` decides for one record."""

    family: str | None = None
    given: str | None = None
    full: str | None = None
    family_kana: str | None = None
    given_kana: str | None = None
    full_kana: str | None = None
    kana_generated: bool | None = None
    script: str | None = None
    value_issue: str | None = None
    split_issue: str | None = None
    kana_issue: str | None = None


def latin_name(value: str) -> str | None:
    """`José` -> `jose`, `O'Brien` -> `obrien`, `Smith-Jones` -> `smithjones`:
    lower-case, accents stripped, everything but letters and digits dropped."""
    folded = unicodedata.normalize("NFKD", value.lower().translate(_LATIN_LETTERS))
    stripped = "".join(c for c in folded if not unicodedata.combining(c))
    return _NOT_LATIN_NAME_CHARACTER.sub("", stripped) or None


def japanese_name(value: str) -> str | None:
    """A Japanese name part without spaces or middle dots."""
    return value.replace(" ", "").replace("・", "") or None


def name_script(*values: str | None) -> str | None:
    """`ja` when any value has kanji/kana, `latin` when any has letters, else None."""
    text = " ".join(v for v in values if v)
    if _JAPANESE.search(text):
        return JA
    return LATIN if _LETTER.search(text) else None


def split_full_name(full: str, script: str, japanese_context: bool) -> tuple[str, str] | None:
    """(family, given) from a full name, or None when it cannot be split.

    Japanese: first space-separated token is the family name; unspaced names
    split after the longest known family name. Latin: `Family, Given`; an
    ALL-CAPS token is the family name (`SMITH John`); in a Japanese record a
    known romanized family name first means family-first (`Yamada Taro`);
    otherwise `Given Family`.
    """
    if script == JA:
        tokens = full.split(" ")
        if len(tokens) > 1:
            return tokens[0], "".join(tokens[1:])
        return split_by_family_name(full)
    if "," in full:
        family, _, given = full.partition(",")
        return (family.strip(), given.strip()) if family.strip() and given.strip() else None
    tokens = full.split(" ")
    if len(tokens) < 2:
        return None
    capitals = [token.isupper() and len(token) > 1 for token in tokens]
    if capitals[0] and not all(capitals):
        return tokens[0], " ".join(tokens[1:])
    if capitals[-1] and not all(capitals):
        return tokens[-1], " ".join(tokens[:-1])
    if japanese_context:
        known = romanized_family_names()
        if latin_name(tokens[0]) in known and latin_name(tokens[-1]) not in known:
            return tokens[0], " ".join(tokens[1:])
    return tokens[-1], " ".join(tokens[:-1])


def _normalized_part(value: str | None) -> str | None:
    if not value:
        return None
    return japanese_name(value) if name_script(value) == JA else latin_name(value)


def _captured_kana(value: str | None) -> tuple[str | None, bool]:
    """(katakana without spaces, refused?) for a cleaned furigana value."""
    if not value:
        return None, False
    compact = value.replace(" ", "").replace("・", "")
    return (compact, False) if _KATAKANA_NAME.match(compact) else (None, True)


def _own_or_generated_reading(part: str | None) -> tuple[str | None, bool]:
    """(reading, generated?) of a Japanese name part: itself when in kana,
    else pykakasi's reading (None when it cannot read it)."""
    if not part or name_script(part) != JA:
        return None, False
    if _KANA_NAME.match(part):
        return part.translate(_HIRAGANA_TO_KATAKANA).replace("・", ""), False
    reading = generated_reading(part)
    return reading, reading is not None


def standardize_name(
    family: str | None,
    given: str | None,
    full: str | None,
    family_kana: str | None,
    given_kana: str | None,
    full_kana: str | None,
    japanese_context: bool,
) -> StandardName:
    """Decide one record's standardized name.

    In: cleaned name columns (single-spaced, honorifics stripped; kanji
    variants are folded here) and cleaned kana columns (katakana, single-spaced), and
    whether the record is Japanese (romanized names are then tried family-first).
    Out: `StandardName`. Refused: names with no letters (`name_invalid`),
    furigana that is not kana (`name_kana_invalid`); flagged: full names that
    cannot be split (`name_unsplit`), Japanese names with no reading at all
    (`name_kana_unavailable`).
    """
    family, given, full = (fold_kanji_variants_in(v) if v else v for v in (family, given, full))
    script = name_script(family, given, full)
    if script is None and any((family, given, full)):
        return StandardName(value_issue="name_invalid")
    split_issue = None
    unsplit_full = None
    if family and given:
        family_part, given_part = family, given
    elif full and script:
        split = split_full_name(full, script, japanese_context)
        if split is None:
            family_part = given_part = None
            unsplit_full = full
            split_issue = "name_unsplit"
        else:
            family_part, given_part = split
    else:
        family_part, given_part = family, given
    std_family, std_given = _normalized_part(family_part), _normalized_part(given_part)
    std_full = (
        _normalized_part(unsplit_full) if unsplit_full else ((std_family or "") + (std_given or "")) or None
    )

    captured_family, family_refused = _captured_kana(family_kana)
    captured_given, given_refused = _captured_kana(given_kana)
    captured_full, full_refused = _captured_kana(full_kana)
    if captured_full and full_kana and " " in full_kana.strip():
        first, _, rest = full_kana.strip().partition(" ")
        captured_family = captured_family or first
        captured_given = captured_given or rest.replace(" ", "")

    own_family, family_generated = (
        (captured_family, False) if captured_family else _own_or_generated_reading(std_family)
    )
    own_given, given_generated = (
        (captured_given, False) if captured_given else _own_or_generated_reading(std_given)
    )
    # An unspaced captured reading that starts with the family's reading splits too.
    if captured_full and not captured_family and own_family and not captured_given:
        if captured_full.startswith(own_family) and len(captured_full) > len(own_family):
            # Confirmed by the captured reading: no longer a guess.
            family_generated = False
            own_given, given_generated = captured_full[len(own_family) :], False

    if captured_full:
        full_reading, full_generated = captured_full, False
    elif unsplit_full:
        full_reading, full_generated = _own_or_generated_reading(std_full)
    elif own_family and own_given:
        full_reading, full_generated = own_family + own_given, family_generated or given_generated
    elif (own_family or own_given) and not (std_family and std_given):
        full_reading = own_family or own_given
        full_generated = family_generated if own_family else given_generated
    else:
        full_reading, full_generated = None, False

    readings = (own_family, own_given, full_reading)
    generated = family_generated or given_generated or full_generated
    kana_issue = "name_kana_invalid" if (family_refused or given_refused or full_refused) else None
    if kana_issue is None and script == JA and full_reading is None:
        kana_issue = "name_kana_unavailable"
    return StandardName(
        std_family,
        std_given,
        std_full,
        own_family,
        own_given,
        full_reading,
        generated if any(readings) else None,
        script,
        None,
        split_issue,
        kana_issue,
    )


def _clean_name(expr: pl.Expr) -> pl.Expr:
    return strip_honorifics(clean_text(expr))


def _clean_kana(expr: pl.Expr) -> pl.Expr:
    return hiragana_to_katakana(clean_text(expr))


def standardize_names(frame: pl.DataFrame) -> pl.DataFrame:
    """Add the `std_*name*`/`std_*kana*` columns, `std_kana_generated`,
    `std_name_script` and the `name` issue columns. Needs `std_country`."""
    return over_distinct(frame, [*NAME_COLUMNS, *KANA_COLUMNS, "std_country"], _add_names_columns)


def _add_names_columns(frame: pl.DataFrame) -> pl.DataFrame:
    frame = frame.with_columns(
        *(_clean_name(pl.col(name)).alias(f"_name_{name}") for name in NAME_COLUMNS),
        *(_clean_kana(pl.col(name)).alias(f"_name_{name}") for name in KANA_COLUMNS),
        (pl.col("std_country") == "JP").fill_null(False).alias("_name_japanese"),
    )
    keys = [f"_name_{name}" for name in (*NAME_COLUMNS, *KANA_COLUMNS)] + ["_name_japanese"]
    # The first key must be non-null for a row to be looked up: use a marker.
    frame = frame.with_columns(
        pl.when(pl.any_horizontal(pl.col(keys[:-1]).is_not_null())).then(True).alias("_name_any")
    )
    frame = map_distinct(
        frame,
        ["_name_any", *keys],
        lambda _, *values: tuple(standardize_name(*values)),
        {
            "std_family_name": pl.Utf8,
            "std_given_name": pl.Utf8,
            "std_full_name": pl.Utf8,
            "std_family_kana": pl.Utf8,
            "std_given_kana": pl.Utf8,
            "std_full_kana": pl.Utf8,
            "std_kana_generated": pl.Boolean,
            "std_name_script": pl.Utf8,
            issue_column("name", "value"): pl.Utf8,
            issue_column("name", "split"): pl.Utf8,
            issue_column("name", "kana"): pl.Utf8,
        },
    )
    return frame.drop([name for name in frame.columns if name.startswith("_name_")])
