"""Person names: family/given split, normalized spelling and kana readings.

Polars expressions clean every name column (NFKC, honorifics, kanji variants,
hiragana -> katakana for readings). `standardize_name` decides one record; on
large inputs the same decisions are made as expressions over whole columns,
with Python only per distinct value (kanji variants, script, Latin splits,
normalized parts, generated readings), not per combination of name columns.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

import polars as pl

from resolution.standardization.arabic_names import (
    ARABIC_LETTER,
    arabic_written_name,
    split_arabic_full_name,
)
from resolution.standardization.cjk_names import (
    CHINESE_COUNTRIES,
    HANZI_NAME_PATTERN,
    chinese_written_name,
    split_chinese_full_name,
    syllable_given_name,
)
from resolution.standardization.distinct import map_distinct, over_distinct
from resolution.standardization.family_names import (
    MAX_FAMILY_NAME_LENGTH,
    known_family_names,
    romanized_family_names,
    split_by_family_name,
)
from resolution.standardization.filipino_names import MIDDLE_NAME_COUNTRIES
from resolution.standardization.issues import issue_column
from resolution.standardization.kanji_variants import (
    fold_kanji_variants_in,
    kanji_variant_table,
)
from resolution.standardization.latin_names import (
    FAMILY_FIRST_COUNTRIES,
    MAGHREB_COUNTRIES,
    compared_given_name,
    compared_surnames,
    generational_suffix,
    latin_name,
    particles_first,
    split_latin_full_name,
    without_name_suffixes,
)
from resolution.standardization.other_scripts import (
    NAME_MARKS,
    split_katakana_full_name,
)
from resolution.standardization.readings import dictionary_readings, generated_reading
from resolution.standardization.text import (
    HIRAGANA,
    KATAKANA,
    PICTOGRAPHS_AND_FORMATTING,
    clean_text,
    empty_to_null,
    hiragana_to_katakana,
    strip_honorifics,
    without_pictographs,
)
from resolution.standardization.transliteration import CYRILLIC_COUNTRIES

NAME_COLUMNS = ("family_name", "given_name", "full_name")
KANA_COLUMNS = ("family_name_kana", "given_name_kana", "full_name_kana")

JA, KO, CYRILLIC, GREEK, ARABIC, THAI, LATIN = "ja", "ko", "cyrillic", "greek", "arabic", "thai", "latin"
SCRIPTS = (JA, KO, CYRILLIC, GREEK, ARABIC, THAI, LATIN)
"""The name scripts, in the order `name_script` tells them (the first found wins)."""
ZH = "zh"
"""A name in hanzi alone of a Chinese-speaking record (`chinese_context`): not
told by its characters (`name_script` calls it `ja`) but by where its bearer
lives; split Chinese-style (`cjk_names.split_chinese_full_name`), never read in Japanese."""

JAPANESE_NAME_CHARACTER = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff々〆ヶ\U00020000-\U0003ffff]")
# `JAPANESE_NAME_CHARACTER` for polars (same code points).
JAPANESE_NAME_PATTERN = r"[\x{3040}-\x{30ff}\x{3400}-\x{9fff}\x{f900}-\x{faff}々〆ヶ\x{20000}-\x{3ffff}]"
_HANGUL_CHARACTER = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")
_CYRILLIC_CHARACTER = re.compile(r"[\u0400-\u04ff]")
_GREEK_CHARACTER = re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]")
THAI_CHARACTER = re.compile(r"[\u0e01-\u0e5b]")
_KANA_NAME = re.compile(r"^[\u3041-\u3096\u30a1-\u30faー・]+$")
_KATAKANA_NAME = re.compile(r"^[\u30a1-\u30faー]+$")
_LETTER = re.compile(r"[^\W\d_]")
_HIRAGANA_TO_KATAKANA = str.maketrans(HIRAGANA, KATAKANA)


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


def japanese_name(value: str) -> str | None:
    """A Japanese name part without spaces, middle dots or double hyphens (`ジャン＝ピエール`)."""
    return NAME_MARKS.sub("", value.replace(" ", "")) or None


def name_script(*values: str | None) -> str | None:
    """`ja` when any value has kanji/kana, else `ko` when any has Hangul,
    `cyrillic`, `greek`, `arabic` or `thai` when any has those letters,
    `latin` when any has letters (Latin, Hebrew ...), else None. A Thai name
    is split and cleaned as a Latin one is (given name first, spaced), but
    has no Latin spelling: its script tells the comparisons so."""
    text = " ".join(v for v in values if v)
    for script, character in (
        (JA, JAPANESE_NAME_CHARACTER),
        (KO, _HANGUL_CHARACTER),
        (CYRILLIC, _CYRILLIC_CHARACTER),
        (GREEK, _GREEK_CHARACTER),
        (ARABIC, ARABIC_LETTER),
        (THAI, THAI_CHARACTER),
    ):
        if character.search(text):
            return script
    return LATIN if _LETTER.search(text) else None


def split_full_name(
    full: str,
    script: str,
    japanese_context: bool,
    family_first_capitals: bool = False,
    middle_name: bool = False,
    name_order: str | None = None,
    maghrebi: bool = False,
    cyrillic_country: bool = False,
) -> tuple[str | None, str] | None:
    """(family, given) from a full name, or None when it cannot be split.

    Japanese and Chinese (`ZH`): first space-separated token is the family name;
    an unspaced Chinese name splits after its family name (`split_chinese_full_name`); a foreign name
    in katakana splits at its `・`/`＝` (`split_katakana_full_name`); other
    unspaced names split after the longest known family name. Arabic:
    `split_arabic_full_name` (given name first, `بن`/`بنت` chains dropped).
    Latin and Hangul: `split_latin_full_name` (suffixes, particles, `Family, Given`,
    ALL-CAPS family names, double surnames); in a Japanese record a known
    romanized family name first means family-first (`Yamada Taro`); with
    `family_first_capitals` (a source of a family-first country) a name all
    in capitals is family first (`SMITH JOHN`, as passports write it); with
    `middle_name` (a record of `filipino_names.MIDDLE_NAME_COUNTRIES`) the
    word before one surname is the mother's, no given name nor surname;
    `name_order` is the source's (`nayose_config.SourceConfig.name_order`, None: `auto`);
    `maghrebi`: a record of `latin_names.MAGHREB_COUNTRIES`; `cyrillic_country`:
    a record of `transliteration.CYRILLIC_COUNTRIES` (its Latin name's family
    name is the word of a surname's shape, first or last).
    """
    if script == JA:
        tokens = full.split(" ")
        if len(tokens) > 1:
            return tokens[0], "".join(tokens[1:])
        return split_katakana_full_name(full) if NAME_MARKS.search(full) else split_by_family_name(full)
    if script == ARABIC:
        return split_arabic_full_name(full)
    if script == ZH:
        tokens = full.split(" ")
        return (tokens[0], "".join(tokens[1:])) if len(tokens) > 1 else split_chinese_full_name(full)
    family_first = romanized_family_names() if japanese_context else None
    return split_latin_full_name(
        full,
        family_first,
        capitals_family_first=family_first_capitals,
        maternal_middle_name=middle_name,
        name_order=name_order,
        maghrebi=maghrebi,
        cyrillic_country=cyrillic_country,
    )


def split_kana_full_name(full_kana: str, japanese_context: bool) -> tuple[str | None, str | None]:
    """(family, given) readings of an unspaced full name a source holds in
    kana only (a call centre's `ﾔﾏﾀﾞｸﾐｺ`, cleaned to katakana), split as a
    written Japanese name is (`split_full_name`: after the longest known
    family name's reading, `ヤマダ` `クミコ`; a foreign name at its `・`),
    without spaces or marks; (None, None) when it cannot be split."""
    split = split_full_name(full_kana, JA, japanese_context)
    if split is None:
        return None, None
    return japanese_name(split[0]), japanese_name(split[1])


def _readings_of(part: str) -> set[str]:
    """The readings a name part may have: its own (kana), generated, or any
    its dictionary holds (`dictionary_readings`: 河野 コウノ and カワノ)."""
    own = _own_or_generated_reading(part)[0]
    return dictionary_readings(part) | ({own} if own else set())


def split_by_reading(full: str, family_kana: str | None, given_kana: str | None) -> tuple[str, str] | None:
    """(family, given) of an unspaced Japanese name (`辺見美香`) whose reading
    is given spaced (`ﾍﾝﾐ ﾐｶ`, or in family and given kana columns): the one
    place where the part before it reads as the family name (辺見 ヘンミ) or
    the part after it as the given name (美香 ミカ). A family name no list
    knows is split as the customer's own furigana splits it. The readings
    pykakasi's dictionary holds are tried first, a dictionary lookup each;
    generated readings (`_readings_of`, pykakasi's converter, about 4 CPU-s
    over a 200k-record night of rare family names) only where none fits.
    None when no place, or more than one, fits, or a reading is missing."""
    if not (family_kana and given_kana) or len(full) < 2:
        return None
    fits: set[int] = set()
    for readings in (dictionary_readings, _readings_of):
        fits = {
            length
            for length in range(1, len(full))
            if family_kana in readings(full[:length]) or given_kana in readings(full[length:])
        }
        if fits:
            break
    if len(fits) != 1:
        return None
    (length,) = fits
    return full[:length], full[length:]


def _normalized(value: str | None, latin: Callable[[str], str | None]) -> str | None:
    """A name part as compared: Japanese without spaces; Arabic
    `arabic_written_name`; any other script `latin` of it."""
    if not value:
        return None
    script = name_script(value)
    if script == ARABIC:
        return arabic_written_name(value)
    return japanese_name(value) if script == JA else latin(value)


def family_name_key(value: str | None) -> str | None:
    """The compared family name (also of an unsplit full name): Latin without
    suffixes (`Rocha Neto` -> `rocha`), its particles first (`Berg, van der`
    -> `vanderberg`), its surnames without their Spanish and Portuguese
    particles in the order written (`latin_names.compared_surnames`:
    `Pereira de Souza` -> `pereirasouza`, as `PEREIRA SOUZA` and `Pereira-de
    Souza`). It does not depend on the record's country: a Brazilian in a US
    export keys as in a Brazilian one."""
    return _normalized(value, lambda part: latin_name(compared_surnames(particles_first(without_name_suffixes(part, 1)))))


def _normalized_given(value: str | None, family: str | None = None) -> str | None:
    """The compared given name: Japanese without spaces; Arabic
    `arabic_written_name`; Latin its first given name, with the rest of a
    compound it leads (`compared_given_name`: `William J.` -> `william`,
    `Mohammed Shahidul` -> `mohammed-shahidul`), but the syllables of a
    Chinese or Korean given name joined (`syllable_given_name`: `Kim`
    `Do Yun` -> `doyun`)."""
    joined = syllable_given_name(value, family) if value and family and " " in value else None
    return joined or _normalized(value, compared_given_name)


def _captured_kana(value: str | None) -> tuple[str | None, bool]:
    """(katakana without spaces, refused?) for a cleaned furigana value."""
    if not value:
        return None, False
    compact = NAME_MARKS.sub("", value.replace(" ", ""))
    return (compact, False) if _KATAKANA_NAME.match(compact) else (None, True)


def _own_or_generated_reading(part: str | None) -> tuple[str | None, bool]:
    """(reading, generated?) of a Japanese name part: itself when in kana,
    else pykakasi's reading (None when it cannot read it)."""
    if not part or name_script(part) != JA:
        return None, False
    if _KANA_NAME.match(part):
        return NAME_MARKS.sub("", part.translate(_HIRAGANA_TO_KATAKANA)), False
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
    family_first_capitals: bool = False,
    chinese_context: bool = False,
    middle_name: bool = False,
    name_order: str | None = None,
    maghrebi: bool = False,
    cyrillic_country: bool = False,
) -> StandardName:
    """Decide one record's standardized name.

    In: cleaned name columns (single-spaced, honorifics stripped; kanji
    variants are folded here) and cleaned kana columns (katakana, single-spaced), and
    whether the record is Japanese (romanized names are then tried family-first)
    and whether its source writes capitals family first (`FAMILY_FIRST_COUNTRIES`),
    and whether it is Chinese-speaking (`cjk_names.CHINESE_COUNTRIES`: a name in
    hanzi alone is then script `ZH`, split Chinese-style, without readings),
    and whether its full name has a middle name, the mother's surname
    (`filipino_names.MIDDLE_NAME_COUNTRIES`), its source's `name_order`
    (`nayose_config.SourceConfig.name_order`; None: `auto`) and whether it is Maghrebi
    (`latin_names.MAGHREB_COUNTRIES`: `Ben Ali Mohamed` family first) or of a
    country writing Cyrillic (`transliteration.CYRILLIC_COUNTRIES`: `NURLANOV
    ASKAR` family first).
    Out: `StandardName`. Refused: names with no letters (`name_invalid`),
    furigana that is not kana (`name_kana_invalid`); flagged: full names that
    cannot be split (`name_unsplit`), Japanese names with no reading at all
    (`name_kana_unavailable`).
    """
    family, given, full = (fold_kanji_variants_in(v) if v else v for v in (family, given, full))
    script = name_script(family, given, full)
    if script is None and any((family, given, full)):
        return StandardName(value_issue="name_invalid")
    if chinese_context and script == JA and chinese_written_name(family, given, full):
        script = ZH

    captured_family, family_refused = _captured_kana(family_kana)
    captured_given, given_refused = _captured_kana(given_kana)
    captured_full, full_refused = _captured_kana(full_kana)
    if captured_full and full_kana and " " in full_kana.strip():
        first, _, rest = full_kana.strip().partition(" ")
        captured_family = captured_family or first
        captured_given = captured_given or rest.replace(" ", "")

    split_issue = None
    unsplit_full = None
    if family and given:
        family_part, given_part = family, given
    elif full and script:
        split = split_full_name(
            full, script, japanese_context, family_first_capitals, middle_name, name_order, maghrebi, cyrillic_country
        )
        if split is None and script == JA and not NAME_MARKS.search(full):  # a family name no list knows
            split = split_by_reading(full, captured_family, captured_given)
        if split is None:
            family_part = given_part = None
            unsplit_full = full
            split_issue = "name_unsplit"
        else:
            family_part, given_part = split
    else:
        family_part, given_part = family, given
    std_family, std_given = family_name_key(family_part), _normalized_given(given_part, family_part)
    std_full = family_name_key(unsplit_full) if unsplit_full else ((std_family or "") + (std_given or "")) or None
    if full_kana and captured_full and not (family or given or full or captured_family or captured_given):
        captured_family, captured_given = split_kana_full_name(full_kana, japanese_context)
        split_issue = split_issue if captured_family else "name_unsplit"

    read = _own_or_generated_reading if script != ZH else lambda _: (None, False)
    own_family, family_generated = (captured_family, False) if captured_family else read(std_family)
    own_given, given_generated = (captured_given, False) if captured_given else read(std_given)
    # An unspaced captured reading that starts with the family's reading splits too.
    if captured_full and not captured_family and own_family and not captured_given:
        if captured_full.startswith(own_family) and len(captured_full) > len(own_family):
            # Confirmed by the captured reading: no longer a guess.
            family_generated = False
            own_given, given_generated = captured_full[len(own_family) :], False

    if captured_full:
        full_reading, full_generated = captured_full, False
    elif unsplit_full:
        full_reading, full_generated = read(std_full)
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


_NAME_NOTE = r"\s*\([^()]*\)"
"""A note in brackets after or inside a name: `渡辺 さくら（旧姓：佐藤）`,
`John (Jack) Smith`, `山田 太郎 (ヤマダ タロウ)`, `Smith (née Jones)`."""


def clean_name(expr: pl.Expr) -> pl.Expr:
    """A name column as it is read: cleaned (`clean_text`), pictographs, notes
    in brackets (`_NAME_NOTE`) and honorifics (`strip_honorifics`) dropped."""
    cleaned = clean_text(without_pictographs(expr))
    without_notes = empty_to_null(cleaned.str.replace_all(_NAME_NOTE, "").str.strip_chars())
    return strip_honorifics(pl.coalesce(without_notes, cleaned))


def _clean_kana(expr: pl.Expr) -> pl.Expr:
    return hiragana_to_katakana(clean_text(without_pictographs(expr)))


def standardize_names(frame: pl.DataFrame) -> pl.DataFrame:
    """Add the `std_*name*`/`std_*kana*` columns, `std_kana_generated`,
    `std_name_script`, `std_name_suffix` (`latin_names.generational_suffix`:
    `jr`, `sr`, `ii` ...; a father and his son of one name differ only there)
    and the `name` issue columns. Needs `std_country`.

    Names are read as Japanese in a record of Japan; a record whose country
    is unknown (its `country` names none) is read by its source's country
    (`source_country`, when the frame has it): how a source writes names
    does not depend on a country cell nobody can read. A full name is split
    in its source's `name_order` (`source_name_order`, when the frame has it:
    `family_first`, `given_first`; null or `auto`: by case and country)."""
    source = pl.col("source_country") if "source_country" in frame.columns else pl.lit(None, pl.Utf8)
    order = pl.col("source_name_order") if "source_name_order" in frame.columns else pl.lit(None, pl.Utf8)
    frame = frame.with_columns(
        pl.coalesce(pl.col("std_country"), source).alias(_NAMES_COUNTRY),
        source.is_in(sorted(FAMILY_FIRST_COUNTRIES)).fill_null(False).alias(_NAMES_FAMILY_FIRST),
        pl.when(order != "auto").then(order).alias(_NAMES_ORDER),
    )
    keys = [*NAME_COLUMNS, *KANA_COLUMNS, _NAMES_COUNTRY, _NAMES_FAMILY_FIRST, _NAMES_ORDER]
    return over_distinct(frame, keys, _add_names_columns).drop(_NAMES_COUNTRY, _NAMES_FAMILY_FIRST, _NAMES_ORDER)


_NAMES_COUNTRY = "_names_country"
"""The country names are read by (`standardize_names`)."""
_NAMES_FAMILY_FIRST = "_names_family_first"
"""Whether the record's source is of a country that writes family names first
(`FAMILY_FIRST_COUNTRIES`): a name all in capitals there is family first,
as in a passport, whatever the customer's own country."""
_NAMES_ORDER = "_names_order"
"""The source's `name_order` (`nayose_config.SourceConfig.name_order`), null for `auto`."""


def _standardize_name_row(_: bool, *values: str | bool | None) -> tuple:
    # Module-level (picklable) for map_distinct's worker processes.
    return tuple(standardize_name(*values))


def _folded_name(value: str) -> tuple[str, str | None]:
    """(kanji variants folded, its script): the first step of `standardize_name`."""
    folded = fold_kanji_variants_in(value)
    return folded, name_script(folded)


def _split_in_python(
    full: str,
    script: str,
    japanese_context: bool,
    family_first_capitals: bool,
    middle_name: bool,
    name_order: str | None,
    maghrebi: bool,
    cyrillic_country: bool,
) -> tuple[str | None, str | None]:
    split = split_full_name(
        full, script, japanese_context, family_first_capitals, middle_name, name_order, maghrebi, cyrillic_country
    )
    return split or (None, None)


def _unspaced_family_name_length(full: str, family_kana: str | None, given_kana: str | None) -> tuple[int | None]:
    """Length of the family name of an unspaced Japanese name no known family
    name in kanji starts: `split_by_family_name` (a kana name), else
    `split_by_reading`."""
    split = split_by_family_name(full) or split_by_reading(full, family_kana, given_kana)
    return (len(split[0]) if split else None,)


def _normalized_family_part(part: str) -> tuple[str | None]:
    return (family_name_key(part),)


def _normalized_given_part(part: str, family: str | None) -> tuple[str | None]:
    return (_normalized_given(part, family),)


_OUTPUT_SCHEMA: dict[str, type[pl.DataType]] = {
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
}

# Below this many distinct records, `standardize_name` per record costs less
# than setting up the expressions.
_FAST_NAMES_MIN_RECORDS = 2_000

# A captured reading once spaces and middle dots are removed (`_captured_kana`).
_KATAKANA_NAME_PATTERN = r"^[\x{30a1}-\x{30fa}ー]+$"


def _captured(kana: pl.Expr) -> pl.Expr:
    compact = kana.str.replace_all(" ", "", literal=True).str.replace_all(NAME_MARKS.pattern, "")
    return pl.when(compact.str.contains(_KATAKANA_NAME_PATTERN)).then(compact)


def _before_first_space(text: pl.Expr) -> pl.Expr:
    return text.str.extract(r"^([^ ]*) ")


def _after_first_space_unspaced(text: pl.Expr) -> pl.Expr:
    return text.str.replace(r"^[^ ]* ", "").str.replace_all(" ", "", literal=True)


def _known_family_name_length(full: pl.Expr) -> pl.Expr:
    """`split_by_family_name`: length of the longest known family name that
    starts `full` and leaves at least one character, else null."""
    known = sorted(known_family_names())
    length = pl.lit(None, pl.Int64)
    for size in range(1, MAX_FAMILY_NAME_LENGTH + 1):  # longest last: it wins
        found = (full.str.len_chars() > size) & full.str.slice(0, size).is_in(known)
        length = pl.when(found).then(pl.lit(size, pl.Int64)).otherwise(length)
    return length


def _with_reading(frame: pl.DataFrame, part: str, needed: pl.Expr, name: str) -> pl.DataFrame:
    """Add `_name_{name}_reading`/`_generated`: `_own_or_generated_reading` of
    column `part` where `needed` (readings are the costly step)."""
    frame = frame.with_columns(pl.when(needed).then(pl.col(part)).alias(f"_name_{name}_reading_of"))
    return map_distinct(
        frame,
        [f"_name_{name}_reading_of"],
        _own_or_generated_reading,
        {f"_name_{name}_reading": pl.Utf8, f"_name_{name}_generated": pl.Boolean},
    ).with_columns(pl.col(f"_name_{name}_generated").fill_null(False))


def _with_names_expressions(frame: pl.DataFrame) -> pl.DataFrame:
    """`standardize_name` for every record, as expressions over whole columns.
    Per-value steps (kanji variants, script, splitting Latin full names,
    normalized parts, generated readings) run in Python over distinct values."""
    variants = list(kanji_variant_table())
    for name in NAME_COLUMNS:
        value = pl.col(f"_name_{name}")
        # Only values with a kanji variant or without Japanese script need Python.
        frame = frame.with_columns(
            (value.str.contains_any(variants) | ~value.str.contains(JAPANESE_NAME_PATTERN)).alias("_name_in_python")
        )
        frame = map_distinct(
            frame.with_columns(pl.when(pl.col("_name_in_python")).then(value).alias("_name_python_value")),
            ["_name_python_value"],
            _folded_name,
            {"_name_python_folded": pl.Utf8, "_name_python_script": pl.Utf8},
        )
        in_python = pl.col("_name_in_python")
        frame = frame.with_columns(
            pl.when(in_python).then(pl.col("_name_python_folded")).otherwise(value).alias(f"_name_folded_{name}"),
            pl.when(in_python)
            .then(pl.col("_name_python_script"))
            .when(value.is_not_null())
            .then(pl.lit(JA))
            .alias(f"_name_script_{name}"),
        ).drop("_name_in_python", "_name_python_value", "_name_python_folded", "_name_python_script")
    family, given, full = (pl.col(f"_name_folded_{name}") for name in NAME_COLUMNS)
    scripts = [pl.col(f"_name_script_{name}") for name in NAME_COLUMNS]
    both_parts = family.is_not_null() & given.is_not_null()
    frame = frame.with_columns(
        pl.coalesce(
            pl.when(pl.any_horizontal(script == code for script in scripts)).then(pl.lit(code))
            for code in SCRIPTS
        ).alias("_name_script")
    )
    hanzi_only = pl.all_horizontal(
        part.is_null() | part.str.replace_all(" ", "", literal=True).str.contains(HANZI_NAME_PATTERN)
        for part in (family, given, full)
    )
    chinese = pl.col("_name_chinese") & (pl.col("_name_script") == JA) & hanzi_only
    frame = frame.with_columns(pl.when(chinese).then(pl.lit(ZH)).otherwise("_name_script").alias("_name_script"))
    script = pl.col("_name_script")
    split = ~both_parts & full.is_not_null() & script.is_not_null()
    spaced = full.str.contains(" ", literal=True)
    # every script but Japanese (Latin, Hangul, Cyrillic ...) and katakana with `・`/`＝` is split in Python
    marked = (script == JA) & ~spaced & full.str.contains(NAME_MARKS.pattern)
    full_kana = pl.col("_name_full_name_kana")
    frame = frame.with_columns(
        *(_captured(pl.col(f"_name_{name}")).alias(f"_name_captured_{name}") for name in KANA_COLUMNS),
    )
    captured_full = pl.col("_name_captured_full_name_kana")
    spaced_full = captured_full.is_not_null() & full_kana.str.contains(" ", literal=True)
    frame = frame.with_columns(
        pl.coalesce(
            "_name_captured_family_name_kana", pl.when(spaced_full).then(_before_first_space(full_kana))
        ).alias("_name_cf"),
        pl.coalesce(
            "_name_captured_given_name_kana", pl.when(spaced_full).then(_after_first_space_unspaced(full_kana))
        ).alias("_name_cg"),
        pl.any_horizontal(
            pl.col(f"_name_{name}").is_not_null() & pl.col(f"_name_captured_{name}").is_null() for name in KANA_COLUMNS
        ).alias("_name_kana_refused"),
    )
    captured_family, captured_given = pl.col("_name_cf"), pl.col("_name_cg")
    frame = frame.with_columns(
        (split & ((script != JA) | marked)).alias("_name_latin"),
        (split & (script == JA) & ~spaced & ~marked).alias("_name_unspaced"),
        _known_family_name_length(full).alias("_name_kanji_length"),
    )
    latin, unspaced = pl.col("_name_latin"), pl.col("_name_unspaced")
    # a kana name, or one of a family name no list knows (split by its reading), in Python
    frame = map_distinct(
        frame.with_columns(pl.when(unspaced & pl.col("_name_kanji_length").is_null()).then(full).alias("_name_unknown")),
        ["_name_unknown", "_name_cf", "_name_cg"],
        _unspaced_family_name_length,
        {"_name_found_length": pl.Int64},
    )
    frame = frame.with_columns(pl.coalesce("_name_kanji_length", "_name_found_length").alias("_name_known_length"))
    known_length = pl.col("_name_known_length")
    frame = map_distinct(
        frame.with_columns(pl.when(latin).then(full).alias("_name_latin_full")),
        [
            "_name_latin_full",
            "_name_script",
            "_name_japanese",
            "_name_family_first",
            "_name_middle_name",
            "_name_order",
            "_name_maghrebi",
            "_name_cyrillic_country",
        ],
        _split_in_python,
        {"_name_latin_family": pl.Utf8, "_name_latin_given": pl.Utf8},
    )
    # (own column, split at the first space, split after a known family name)
    parts = {
        "family": (family, _before_first_space(full), full.str.slice(0, known_length)),
        "given": (given, _after_first_space_unspaced(full), full.str.slice(known_length)),
    }
    frame = frame.with_columns(
        *(
            pl.when(both_parts)
            .then(own)
            .when(latin)
            .then(pl.col(f"_name_latin_{part}"))
            .when(split & spaced)
            .then(at_space)
            .when(unspaced)
            .then(pl.when(known_length.is_not_null()).then(after_known))
            .when(~split)
            .then(own)
            .alias(f"_name_{part}_part")
            for part, (own, at_space, after_known) in parts.items()
        ),
        # a Latin name of one word splits into its given name alone (`split_latin_full_name`)
        pl.when((unspaced & known_length.is_null()) | (latin & pl.col("_name_latin_given").is_null()))
        .then(full)
        .alias("_name_unsplit"),
    )
    # the family name beside a given name of several words only (`syllable_given_name`: `Kim` `Do Yun`)
    given_part = pl.col("_name_given_part")
    frame = frame.with_columns(
        pl.when(given_part.str.contains(" ", literal=True)).then(pl.col("_name_family_part")).alias("_name_beside")
    )
    normalizers = (
        ("family_part", _normalized_family_part, []),
        ("given_part", _normalized_given_part, ["_name_beside"]),
        ("unsplit", _normalized_family_part, []),
    )
    for part, normalize, context in normalizers:
        frame = map_distinct(frame, [f"_name_{part}", *context], normalize, {f"_name_std_{part}": pl.Utf8})

    kana_only = (
        captured_full.is_not_null()
        & pl.all_horizontal(part.is_null() for part in (family, given, full, captured_family, captured_given))
    )
    frame = map_distinct(
        frame.with_columns(pl.when(kana_only).then(full_kana).alias("_name_kana_only"), kana_only.alias("_name_ko")),
        ["_name_kana_only", "_name_japanese"],
        split_kana_full_name,
        {"_name_kf": pl.Utf8, "_name_kg": pl.Utf8},
    ).with_columns(
        pl.coalesce(captured_family, "_name_kf").alias("_name_cf"),
        pl.coalesce(captured_given, "_name_kg").alias("_name_cg"),
        (pl.col("_name_ko") & pl.col("_name_kf").is_null()).alias("_name_kana_unsplit"),
    )
    unsplit = pl.col("_name_unsplit").is_not_null()
    read = script != ZH  # a Chinese name gets no Japanese reading
    frame = _with_reading(frame, "_name_std_family_part", captured_family.is_null() & read, "family")
    frame = _with_reading(frame, "_name_std_given_part", captured_given.is_null() & read, "given")
    frame = _with_reading(frame, "_name_std_unsplit", captured_full.is_null() & unsplit & read, "unsplit")
    frame = frame.with_columns(
        pl.coalesce(captured_family, "_name_family_reading").alias("_name_own_family"),
        pl.coalesce(captured_given, "_name_given_reading").alias("_name_own_given"),
    )
    own_family = pl.col("_name_own_family")
    # An unspaced captured reading that starts with the family's reading splits too.
    splits_reading = (
        captured_full.is_not_null()
        & captured_family.is_null()
        & own_family.is_not_null()
        & captured_given.is_null()
        & captured_full.str.starts_with(own_family)
        & (captured_full.str.len_chars() > own_family.str.len_chars())
    ).fill_null(False)
    frame = frame.with_columns(
        pl.when(splits_reading).then(False).otherwise("_name_family_generated").alias("_name_fg"),
        pl.when(splits_reading)
        .then(captured_full.str.slice(own_family.str.len_chars()))
        .otherwise("_name_own_given")
        .alias("_name_own_given"),
        pl.when(splits_reading).then(False).otherwise("_name_given_generated").alias("_name_gg"),
    )

    own_given, family_generated, given_generated = (pl.col(f"_name_{n}") for n in ("own_given", "fg", "gg"))
    std_family, std_given = pl.col("_name_std_family_part"), pl.col("_name_std_given_part")
    both_readings = own_family.is_not_null() & own_given.is_not_null()
    one_reading = (own_family.is_not_null() | own_given.is_not_null()) & ~(
        std_family.is_not_null() & std_given.is_not_null()
    )
    frame = frame.with_columns(
        pl.when(captured_full.is_not_null())
        .then(captured_full)
        .when(unsplit)
        .then(pl.col("_name_unsplit_reading"))
        .when(both_readings)
        .then(own_family + own_given)
        .when(one_reading)
        .then(pl.coalesce(own_family, own_given))
        .alias("_name_full_reading"),
        pl.when(captured_full.is_not_null())
        .then(False)
        .when(unsplit)
        .then(pl.col("_name_unsplit_generated"))
        .when(both_readings)
        .then(family_generated | given_generated)
        .when(one_reading)
        .then(pl.when(own_family.is_not_null()).then(family_generated).otherwise(given_generated))
        .otherwise(False)
        .alias("_name_full_generated"),
    )
    full_reading = pl.col("_name_full_reading")
    readings = (own_family, own_given, full_reading)
    valid = ~(script.is_null() & pl.any_horizontal(family.is_not_null(), given.is_not_null(), full.is_not_null()))
    joined = pl.concat_str(std_family.fill_null(""), std_given.fill_null(""))
    outputs = (
        std_family,
        std_given,
        pl.when(unsplit).then(pl.col("_name_std_unsplit")).when(joined != "").then(joined),
        own_family,
        own_given,
        full_reading,
        pl.when(pl.any_horizontal(reading.is_not_null() for reading in readings)).then(
            family_generated | given_generated | pl.col("_name_full_generated")
        ),
        script,
        pl.lit(None, pl.Utf8),
        pl.when(unsplit | pl.col("_name_kana_unsplit")).then(pl.lit("name_unsplit")),
        pl.when(pl.col("_name_kana_refused"))
        .then(pl.lit("name_kana_invalid"))
        .when((script == JA) & full_reading.is_null())
        .then(pl.lit("name_kana_unavailable")),
    )
    return frame.with_columns(
        pl.when(valid).then(output).alias(name) for name, output in zip(_OUTPUT_SCHEMA, outputs, strict=True)
    ).with_columns(pl.when(~valid).then(pl.lit("name_invalid")).alias(issue_column("name", "value")))


def _maghrebi_ben(name: pl.Expr, maghrebi: pl.Expr) -> pl.Expr:
    """`name` with the word `bin` written `ben` (`BIN ALI` -> `BEN ALI`) in a
    `maghrebi` record: there it is the particle of a family name, which
    `Ben Ali`, `BEN ALI` and `Benali` key alike (`benali`), not the marker
    before a Malaysian or Gulf father's name that the family name is
    compared without (`latin_names.MALAY_PATRONYMIC_MARKERS`)."""
    for written, spelled in (("bin", "ben"), ("Bin", "Ben"), ("BIN", "BEN")):
        name = pl.when(maghrebi).then(name.str.replace_all(rf"\b{written}\b", spelled)).otherwise(name)
    return name


def _add_names_columns(frame: pl.DataFrame) -> pl.DataFrame:
    maghrebi = pl.col(_NAMES_COUNTRY).is_in(sorted(MAGHREB_COUNTRIES)).fill_null(False)
    frame = (
        frame.lazy()
        .with_columns(
            *(
                (_maghrebi_ben(clean_name(pl.col(name)), maghrebi) if name != "given_name" else clean_name(pl.col(name)))
                .alias(f"_name_{name}")
                for name in NAME_COLUMNS
            ),
            *(_clean_kana(pl.col(name)).alias(f"_name_{name}") for name in KANA_COLUMNS),
            (pl.col(_NAMES_COUNTRY) == "JP").fill_null(False).alias("_name_japanese"),
            pl.col(_NAMES_COUNTRY).is_in(sorted(CHINESE_COUNTRIES)).fill_null(False).alias("_name_chinese"),
            pl.col(_NAMES_FAMILY_FIRST).alias("_name_family_first"),
            pl.col(_NAMES_COUNTRY).is_in(sorted(MIDDLE_NAME_COUNTRIES)).fill_null(False).alias("_name_middle_name"),
            pl.col(_NAMES_ORDER).alias("_name_order"),
            maghrebi.alias("_name_maghrebi"),
            pl.col(_NAMES_COUNTRY).is_in(sorted(CYRILLIC_COUNTRIES)).fill_null(False).alias("_name_cyrillic_country"),
            pl.when(
                pl.any_horizontal(
                    pl.col(name).cast(pl.Utf8).str.contains(PICTOGRAPHS_AND_FORMATTING).fill_null(False)
                    for name in (*NAME_COLUMNS, *KANA_COLUMNS)
                )
            )
            .then(pl.lit("name_symbols_removed"))
            .alias(issue_column("name", "symbols")),
        )
        .collect()
    )
    if frame.height >= _FAST_NAMES_MIN_RECORDS:
        frame = _with_names_expressions(frame)
    else:
        flags = [
            "_name_japanese",
            "_name_family_first",
            "_name_chinese",
            "_name_middle_name",
            "_name_order",
            "_name_maghrebi",
            "_name_cyrillic_country",
        ]
        keys = [f"_name_{name}" for name in (*NAME_COLUMNS, *KANA_COLUMNS)] + flags
        # The first key must be non-null for a row to be looked up: use a marker.
        frame = frame.with_columns(
            pl.when(pl.any_horizontal(pl.col(keys[: -len(flags)]).is_not_null())).then(True).alias("_name_any")
        )
        frame = map_distinct(frame, ["_name_any", *keys], _standardize_name_row, _OUTPUT_SCHEMA)
    # the suffix of the full name, else of the family or given name (`Miles Jr` in a last-name column;
    # `Filho` after a given name and a surname in a full name, after a surname in a family name)
    suffix = pl.coalesce(
        generational_suffix(pl.col(f"_name_{name}"), words)
        for name, words in (("full_name", 2), ("family_name", 1), ("given_name", None))
    )
    frame = frame.with_columns(pl.when(pl.col("std_name_script") == LATIN).then(suffix).alias("std_name_suffix"))
    return frame.drop([name for name in frame.columns if name.startswith("_name_")])
