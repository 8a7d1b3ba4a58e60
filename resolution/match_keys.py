"""Match keys: the columns Splink compares and blocks on, derived from the
standardized record (see docs/record-contract.md)."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial

import polars as pl

from resolution.given_names import COMPOUND_SEPARATOR, TABLED_GIVEN_NAME, names_of
from resolution.standardization.arabic_names import latin_consonant_skeleton
from resolution.standardization.cjk_names import (
    CHINESE_COUNTRIES,
    KOREAN_COUNTRIES,
    chinese_key,
    korean_key,
    written_given_name_first,
)
from resolution.standardization.east_asian_addresses import comparable_east_asian
from resolution.standardization.latin_names import LATIN_LETTERS, NAME_SUFFIXES
from resolution.standardization.other_scripts import (
    alternative_romanization,
    transliterated_alternative,
)
from resolution.standardization.phones import written_digits
from resolution.standardization.readings import comparable_romanization
from resolution.standardization.text import LATIN_HONORIFICS, with_computed_where
from resolution.standardization.thai_names import thai_spelling_key
from resolution.standardization.transliteration import CYRILLIC_COUNTRIES

MATCH_KEY_COLUMNS = (
    "mk_family",
    "mk_given",
    "mk_family_roman",
    "mk_given_roman",
    "mk_family_alt",
    "mk_given_alt",
    "mk_family_consonants",
    "mk_given_consonants",
    "mk_family_cjk",
    "mk_given_cjk",
    "mk_name_pair",
    "mk_family_start",
    "mk_given_start",
    "mk_birth_date",
    "mk_phone_last8",
    "mk_postal_area",
    "mk_prefecture",
    "mk_city",
    "mk_address",
    "mk_address_numbers",
    "mk_address_start",
    "mk_given_names",
    "mk_email_mailbox",
    "mk_name_words",
    "mk_middle_names",
)

NAME_START_LENGTH = 3
ADDRESS_START_LENGTH = 8
"""Prefix lengths of the typo-tolerant blocking keys: typos mostly fall later
in a value, so two spellings of one name or street usually share the start."""


def _col(frame: pl.DataFrame, name: str) -> pl.Expr:
    return pl.col(name) if name in frame.columns else pl.lit(None, dtype=pl.Utf8)


GERMAN_TRANSLITERATIONS = ((r"(^|[^aeiouyqg])ue", "${1}u"), (r"(^|[^aeiouy])([ao])e", "${1}${2}"))
"""`ue`, `oe`, `ae` after a consonant (or starting the name) as `u`, `o`,
`a`: German writes `ü`, `ö`, `ä` so without umlauts (`Mueller`, `Schroeder`,
`Baer`), and a form that drops accents writes them `u`, `o`, `a` (`Muller`),
which is how the standardized name (`latin_name`) spells `Müller`. Not after
a vowel (`Bauer`, `Neuer` stay), nor `ue` after `q`/`g` (`Vasquez`,
`Miguel`), nor before `NOT_AN_UMLAUT_AFTER` (`Michael`, `Zoe`). Spanish `ue`
and Dutch `oe` before a consonant are folded (`Fuentes` `funtes`, `Boer`
`bor`): every spelling of them is folded alike, and seldom into another name."""

NOT_AN_UMLAUT_AFTER = r"$|y|l$|l[aeiouy]|ls$|lss?[eo]n$"
"""What follows an `ae`, `oe`, `ue` that spells no umlaut: the end of the
name (`Zoe`, `Chloe`, `Joe`, `Sue`, `Mae`), a `y` (`Joey`, `Zoey`) and the
`-el` of Hebrew and Romance names (`Michael`, `Rafael`, `Israel`, `Samuel`,
`Manuel`, `Joel`, `Noel`; `Michaela`, `Manuela`, `Samuels`, `Samuelsson`,
`Michaelsen`). Folded, they were other names (`Michal`, `Rafal`, `Joy`,
`Jo`, `Su`) and agreed with them as the same romanized spelling. German
names put a consonant after an umlaut's `l` (`Müller`, `Möller`, `Hülsmann`)
and seldom end with an umlaut."""

_KEPT_E = "\x01"
"""The `e` of a digraph that spells no umlaut while the foldings run (no name holds it)."""


def without_german_transliterations(name: pl.Expr) -> pl.Expr:
    """A standardized Latin name (`mueller`) with `GERMAN_TRANSLITERATIONS`
    folded (`muller`), so that `Müller`, `Mueller` and `Muller` meet;
    `michael`, `zoe` stay (`NOT_AN_UMLAUT_AFTER`: the regex engine has no
    lookahead, so their `e` is set aside while the foldings run)."""
    name = name.str.replace_all(rf"([aou])e({NOT_AN_UMLAUT_AFTER})", f"${{1}}{_KEPT_E}${{2}}")
    for pattern, replacement in GERMAN_TRANSLITERATIONS:
        name = name.str.replace_all(pattern, replacement)
    return name.str.replace_all(_KEPT_E, "e", literal=True)


UK_POSTCODE = r"^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$"
"""A standardized UK postcode (upper case, no space: `M72LF`, `SW1A1AA`),
the outward code and the three-character inward code (a digit, two letters)."""


def postal_area(postal_code: pl.Expr) -> pl.Expr:
    """The area of a standardized postal code: a UK postcode's outward code
    (`UK_POSTCODE`, all but its last three characters: `M72LF` -> `M7`,
    `SW1A1AA` -> `SW1A`), else its first three characters (`1500001` ->
    `150`, `10001` -> `100`). The first three of a UK postcode mixed its
    district with the inward code's sector (`M72LF` -> `M72`, `M7` and
    `M72` being other districts). Told by the code's shape, which no other
    country's standardized code shares, so a UK postcode on a record of
    unknown country is read as one too."""
    uk = postal_code.str.contains(UK_POSTCODE)
    return pl.when(uk).then(postal_code.str.slice(0, postal_code.str.len_chars() - 3)).otherwise(postal_code.str.slice(0, 3))


NAMES_SEPARATOR = "|"
"""Between the names of `mk_given_names` (no name in the nickname table holds it)."""

ROMANIZED_NAME_KEYS = (("mk_family", "mk_family_roman"), ("mk_given", "mk_given_roman"))
"""Each name key and its romanization: `comparable_romanization` of its value."""


def add_match_keys(records: pl.DataFrame, known: pl.DataFrame | None = None) -> pl.DataFrame:
    """Add the `mk_*` columns.

    `known`, records whose match keys these rules derived (the earlier
    versions of re-delivered records, say), lends its romanized names
    (`ROMANIZED_NAME_KEYS`): a name found there is not romanized again, a
    Python call per distinct name (about 0.25 s for the 8,000 of a 1% night
    at 1M records, nearly all of them known).

    - `mk_family` / `mk_given`: a name part's kana reading when there is one
      (robust to kanji variants and typos), else its written form.
    - `mk_family_roman` / `mk_given_roman`: one Latin spelling of the part
      (`comparable_romanization` of the reading, or of the Latin name), so a
      kana record meets its romanized twin and long-vowel spellings agree.
      A Latin name of a record outside Japan is not read as romaji (its
      long vowels stay: `Pooja`, `Moore`, `Souza`, `John` had been `poja`,
      `more`, `soza`, `jon`, the same romanized spelling as those names;
      its romaji reading is its `mk_*_alt`, where `Satoh` abroad meets
      `Sato` and Hangul `현우` `Hyunwoo`), and has its German
      transliterations folded (`without_german_transliterations`: `Müller`,
      `Mueller` and `Muller` all `muller`, the same romanized spelling
      rather than a typo; `Böhm` and `Boehm` were names that disagree
      outright). A Japanese record's is left alone: `ue`, `ae` are syllables
      of romanized Japanese (`Ueno` is not `Uno`, `Maeda` not `Mada`).
    - `mk_family_alt` / `mk_given_alt`: the Latin spelling the written part
      has in its own language when that is not Japanese (pinyin of 王 `wang`,
      `김` `kim`, katakana `キム` `kim`: `other_scripts.alternative_romanization`),
      folded as the romanized keys are; for a Latin name abroad that
      romaji would spell otherwise, that spelling; else null for Latin,
      kana and Japanese readings. 王 (`mk_family_roman` `o`) meets `Wang` there. A part in
      Arabic script has its consonant key there (`فاطمة` `FTM`). A Latin
      name of a record of a country writing Cyrillic has its
      transliterations' folded spelling even where romaji could spell it
      (`Iurii`, `Yuri`: `iuri`, as `Юрий`; `_alternative`).
    - `mk_family_consonants` / `mk_given_consonants`: a Latin part's
      consonant key (`arabic_names.latin_consonant_skeleton`: `Fatima`,
      `Fathima` `FTM`; `Al Falasi` `FLS`), which an Arabic-script part's
      `mk_*_alt` meets; null for other scripts.
    - `mk_family_cjk` / `mk_given_cjk`: the folded Chinese or Korean spelling
      (`cjk_names.chinese_key`, `korean_key`) of a part in hanzi of a Chinese
      name (script `zh`), in Hangul, or in Latin letters of a record of a
      Chinese- or Korean-speaking country: `张`, `Zhang`, `Chang` and
      `Cheung` are `chang`; `서준`, `Seo-jun` and `Suh Joon` `suchun`. The
      comparison meets a hanzi or Hangul part with a Latin one on it, never
      two Latin parts (`AlternativeSpellingLevel`). Likewise the folded Thai
      spelling (`thai_names.thai_spelling_key`, marked `th:`) of a part in
      Thai script or in Latin letters of a record of Thailand: `ธนากร`,
      `Thanakorn` and `Tanakorn` are `th:tanakon`.
    - `mk_name_pair`: both romanized parts in sorted order, so a record with
      family and given swapped blocks with its twin (null unless both are known).
    - `mk_family_start` / `mk_given_start`, `mk_address_start`: the first
      characters of the romanized name / address key, for blocking that
      survives a late typo.
    - `mk_birth_date`: `YYYY-MM-DD`.
    - `mk_phone_last8`: the last 8 digits of the E.164 number, else, for a
      number phonenumbers refused, of the digits written (at least 8): a
      foreign mobile written without its country code (a UK `07700 900123`
      read in the UAE) still meets its E.164 twin (`+447700900123`) at the
      phone comparison's "same last 8 digits" level.
    - `mk_postal_area` (`postal_area`: a UK postcode's
      outward code, else the first three characters).
    - `mk_prefecture`: prefecture/state; `mk_city`: prefecture/state and city together
      (null without a city).
    - `mk_address`: the street part alone (city compared on its own),
      lower-case without spaces or punctuation but hyphens (`12 Main St.` =
      `12mainst`). Here and in `mk_prefecture`, `mk_city` the traditional and
      simplified spellings of Chinese addresses' markers and of a few
      characters of place names are one (`comparable_east_asian`: `281號`
      and `281号`, `臺北市` and `台北市`).
    - `mk_address_numbers`: the digit runs of the street part (`1-2-3`,
      house number), a typo-robust address key.
    - `mk_email_mailbox`: the email's local part (`std_email_local`) when it
      holds more than the record's name (`spells_name_alone`), else null.
    - `mk_name_words` / `mk_middle_names`: the words of a Latin name as
      delivered, and those of them outside its compared parts (its middle
      names), `name_words`.
    - `mk_given_names`: the names a Latin or Cyrillic given name abroad may
      stand for, itself among them (`given_names.names_of`: `bob` ->
      `bert|bob|bobby|robert`; `oleksii` -> `oleksii|ru:aleksey`, as
      `алексей` -> `алексей|ru:aleksey`), joined by `NAMES_SEPARATOR`
      (text, like every column of a record); null for a name neither the
      nickname table nor the East Slavic one knows (most), and for records
      of Japan, whose romanized names the English table misreads (`ken` is
      no Kenneth, `Yuri` no Юрий).
    """
    records = _with_written_last8(records)
    family = pl.coalesce(_col(records, "std_family_kana"), _col(records, "std_family_name"))
    given = pl.coalesce(_col(records, "std_given_kana"), _col(records, "std_given_name"))
    address = comparable_east_asian(
        _col(records, "std_address").str.to_lowercase().str.replace_all(r"[\s[\p{P}&&[^-]]]", "")
    )
    romanized = _known_romanizations(known)
    # a record of Japan (by its source's country when its own is unknown) keeps `ue`, `ae` (Ueno, Maeda)
    abroad = (pl.coalesce(_col(records, "std_country"), _col(records, "source_country")) != "JP").fill_null(True)

    def latin_abroad(part: str) -> pl.Expr:
        return abroad & _col(records, f"std_{part}_kana").is_null()

    def spelled(part: str, name: pl.Expr) -> pl.Expr:
        # what is romanized: a Latin name abroad without its German transliterations
        return pl.when(latin_abroad(part)).then(without_german_transliterations(name)).otherwise(name)

    names = {"family": family, "given": given}
    as_romaji = {part: _romanized(records, spelled(part, name), romanized) for part, name in names.items()}
    # a Latin name abroad is its own spelling, not romaji (`Pooja`, `Moore`): read as romaji, it is an alternative
    as_written = {
        part: pl.coalesce(
            _per_distinct(
                records,
                pl.when(latin_abroad(part) & name.str.contains(_READ_AS_ROMAJI)).then(spelled(part, name)),
                _as_written,
            ),
            as_romaji[part],
        )
        for part, name in names.items()
    }
    records = records.with_columns(
        mk_family=family,
        mk_given=given,
        **{
            f"mk_{part}_roman": pl.when(latin_abroad(part)).then(as_written[part]).otherwise(as_romaji[part])
            for part in names
        },
        **{
            f"mk_{part}_alt": pl.coalesce(
                _alternative(records, part, abroad),
                pl.when(latin_abroad(part) & (as_romaji[part] != as_written[part])).then(as_romaji[part]),
            )
            for part in names
        },
        **{f"mk_{part}_cjk": _cjk_key(records, part) for part in names},
        **{
            f"mk_{part}_consonants": _per_distinct(
                records, _col(records, f"std_{part}_name"), partial(latin_consonant_skeleton, family=part == "family")
            )
            for part in ("family", "given")
        },
    )
    family_roman, given_roman = pl.col("mk_family_roman"), pl.col("mk_given_roman")
    records = records.with_columns(
        mk_name_pair=pl.when(family_roman.is_not_null() & given_roman.is_not_null()).then(
            pl.concat_str(
                [pl.min_horizontal(family_roman, given_roman), pl.max_horizontal(family_roman, given_roman)],
                separator="|",
            )
        ),
        mk_family_start=family_roman.str.slice(0, NAME_START_LENGTH),
        mk_given_start=given_roman.str.slice(0, NAME_START_LENGTH),
        mk_birth_date=(
            pl.col("std_birth_date").dt.strftime("%Y-%m-%d")
            if "std_birth_date" in records.columns
            else pl.lit(None, dtype=pl.Utf8)
        ),
        mk_phone_last8=pl.coalesce(_col(records, "std_phone").str.slice(-8), pl.col("_written_last8")),
        mk_postal_area=postal_area(_col(records, "std_postal_code")),
        mk_prefecture=comparable_east_asian(_col(records, "std_prefecture")),
        mk_city=pl.when(_col(records, "std_city").is_not_null()).then(
            comparable_east_asian(
                pl.concat_str([_col(records, "std_prefecture"), _col(records, "std_city")], ignore_nulls=True)
            )
        ),
        mk_address=address,
        mk_address_numbers=_col(records, "std_address").str.extract_all(r"[0-9]+").list.join("-"),
        mk_address_start=address.str.slice(0, ADDRESS_START_LENGTH),
        mk_given_names=_given_names(records, pl.when(abroad & given.str.contains(TABLED_GIVEN_NAME)).then(given)),
    )
    records = _with_name_words(records)
    return _with_email_mailbox(records).with_columns(
        [pl.when(pl.col(c) == "").then(None).otherwise(pl.col(c)).alias(c) for c in MATCH_KEY_COLUMNS]
    ).drop("_written_last8")


NAME_WORD_SEPARATOR = " "
"""Between the words of `mk_name_words` and `mk_middle_names` (no standardized word holds it)."""

NOT_NAME_WORDS = tuple(sorted({*LATIN_HONORIFICS, *NAME_SUFFIXES}))
"""Words of a delivered name that are not names (titles and suffixes), left out of its words."""


def name_words(delivered: pl.Expr, compared: pl.Expr) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """(`mk_name_words`, the words as a list, `compared` in letters alone)
    of a Latin name as delivered, from which `_with_name_words` takes
    `mk_middle_names`
    (`delivered`: its family, given and full name fields joined by spaces)
    and its compared parts written together (`compared`: `std_full_name`).

    The words are the delivered name's words of two letters or more
    (lower-case, accents, dots and apostrophes dropped, letters of no
    accent spelled as `latin_name` spells them: `O'Brien` is `obrien`,
    `Đức` `duc`; titles and suffixes,
    `NOT_NAME_WORDS`, left out), distinct and sorted, joined by
    `NAME_WORD_SEPARATOR`; null for fewer than two. A name the splitter
    read in the wrong order still has its words: a Kenyan export writes
    `KARANJA MARGARET NJOKI` surname first as often as last, and it was
    compared as family `njoki`, given `karanja` with its own other record
    `Margaret` / `Karanja`, both parts disagreeing
    (`comparisons.NameWordsLevel` compares the words as a set).

    The middle names are the words that are not within the compared parts
    written together (`Gbenga Oluwatobi` of `Akinola`: `oluwatobi`): the
    compared given name is the first alone, so a father and his son of one
    first name (`Gbenga Oluwatobi`, `Gbenga Segun`) agreed as the same given
    name (`comparisons.MiddleNamesDisagreeLevel`). Null where there is none.
    A word a particle made part of the compared family name (`du Plessis`,
    `duplessis`) is within it and no middle name."""
    cleaned = delivered.str.normalize("NFKD").str.replace_all(r"[\p{Mn}'’.]", "").str.to_lowercase()
    cleaned = cleaned.str.replace_many({chr(letter): spelled for letter, spelled in LATIN_LETTERS.items()})
    words = cleaned.str.extract_all(r"\p{L}{2,}").list.set_difference(pl.lit(list(NOT_NAME_WORDS))).list.unique()
    words = words.list.sort()
    within = compared.str.replace_all(r"[^\p{L}]", "")
    joined = pl.when(words.list.len() >= 2).then(words.list.join(NAME_WORD_SEPARATOR))
    return joined, words, within


TRANSLITERATED_SCRIPTS = ("cyrillic", "greek")
"""Scripts (`std_name_script`) whose names' words are romanized word by word
(`romanized_words`) before `name_words` reads them."""


def romanized_words(name: str) -> str | None:
    """The words of a name in Cyrillic or Greek letters, each spelled in Latin
    letters as its name key is (`comparable_romanization`, not read as
    romaji), joined by spaces: `Зайцев Алексей Михайлович` -> `zaytsev aleksey
    mikhaylovich`. Word by word, so that a word's spelling does not depend on
    its neighbour (`евгений` alone is `evgeniy`). None when no word has one."""
    spelled = [comparable_romanization(word, romaji=False) for word in re.findall(r"\w+", name.lower())]
    return " ".join(word for word in spelled if word) or None


def folded_word(word: str) -> str | None:
    """The spelling a name word shares with its other transliterations
    (`other_scripts.transliterated_alternative`: `mikhaylovich`,
    `Mykhailovych` and `Mikhailovich` are all `mihelovih`), None where the
    fold leaves it alone."""
    return transliterated_alternative(word, romaji=False)


def _with_name_words(records: pl.DataFrame) -> pl.DataFrame:
    """`records` with `mk_name_words` and `mk_middle_names` (`name_words`)
    of their Latin names (script `latin`) and of their names in Cyrillic or
    Greek letters (`TRANSLITERATED_SCRIPTS`), romanized word by word
    (`romanized_words`) and compared with their family and given name
    romanized alike; computed on those rows only. A patronymic is such a
    name's middle word (`Алексей Михайлович Зайцев`): a father and his son
    of one name at one home (`Алексей Алексеевич Зайцев`) were linked, as
    the words of a Cyrillic name were never read. Each word also stands with
    its fold (`folded_word`), so a Cyrillic patronymic meets its Latin
    spellings (`Михайлович`, `Mykhailovych`), in those names and in Latin
    names of `CYRILLIC_COUNTRIES` (by the source's country when the record's
    own is unknown), as `_alternative` folds them; a Latin name elsewhere
    keeps its words as written (the fold reads `Jeremy` as `eremi`). The middle names by one
    explode of the words (three or so a record)."""
    script = _col(records, "std_name_script")
    latin = (script == "latin").fill_null(False)
    transliterated = script.is_in(list(TRANSLITERATED_SCRIPTS)).fill_null(False)
    delivered = pl.concat_str(
        [_col(records, c).cast(pl.Utf8) for c in ("family_name", "given_name", "full_name")], separator=" ", ignore_nulls=True
    )
    romanized = _per_distinct(records, pl.when(transliterated).then(delivered), romanized_words)
    parts = [
        _per_distinct(records, pl.when(transliterated).then(_col(records, f"std_{part}_name")), romanized_words)
        for part in ("family", "given")
    ]
    compared = pl.when(transliterated).then(pl.concat_str(parts, ignore_nulls=True)).otherwise(_col(records, "std_full_name"))
    joined, words, within = name_words(pl.when(latin).then(delivered).otherwise(romanized), compared)
    folds = transliterated | (latin & _of_cyrillic_country(records))
    frame = records.select(
        pl.int_range(pl.len(), dtype=pl.UInt32).alias("_i"),
        joined.alias("w"),
        words.alias("_words"),
        within.alias("_within"),
        folds.alias("_folds"),
    )
    exploded = (
        frame.filter(pl.col("w").is_not_null())
        .select("_i", "_within", "_words", "_folds")
        .explode("_words")
        .with_columns(_middle=~pl.col("_within").str.contains(pl.col("_words"), literal=True).fill_null(False))
    )
    folded = pl.when(pl.col("_folds")).then(pl.col("_words"))
    exploded = exploded.with_columns(_folded=_per_distinct(exploded, folded, folded_word))
    spelled = pl.concat(
        [exploded.select("_i", "_middle", word="_words"), exploded.select("_i", "_middle", word="_folded")]
    ).drop_nulls("word")
    found = spelled.group_by("_i").agg(
        pl.col("word").unique().sort().str.join(NAME_WORD_SEPARATOR).alias("w"),
        pl.col("word").filter(pl.col("_middle")).unique().sort().str.join(NAME_WORD_SEPARATOR).alias("m"),
    )
    found = found.with_columns(pl.when(pl.col("m") != "").then(pl.col("m")).alias("m"))
    frame = frame.select("_i").join(found, on="_i", how="left", maintain_order="left")
    return records.with_columns(mk_name_words=frame["w"], mk_middle_names=frame["m"])


def _with_written_last8(records: pl.DataFrame) -> pl.DataFrame:
    """`_written_last8`: the last 8 of `written_digits` (at least 8) of a
    phone without `std_phone`, computed on those rows only."""
    refused = _col(records, "std_phone").is_null() & _col(records, "phone").is_not_null()
    digits = written_digits(pl.col("phone"))
    last8 = pl.when(digits.str.len_chars() >= 8).then(digits.str.slice(-8))
    return with_computed_where(records, "_written_last8", refused, last8, pl.lit(None, dtype=pl.Utf8))


LATIN_NAME = r"^\p{Latin}+$"
"""A standardized name part in Latin letters alone: an email spells it as written (`pooja`, `zoë`)."""


def _with_email_mailbox(records: pl.DataFrame) -> pl.DataFrame:
    """`records` (with their romanized name keys) with `mk_email_mailbox`:
    `std_email_local`, null where `spells_name_alone` by each name part's
    Latin spelling (the standardized name where it is in Latin letters, else
    its romanized key) or by its spelling in its own language. Worked out
    only for local parts without digits (a digit is beyond any name), each
    value once (not once per spelling tried)."""
    if "std_email_local" not in records.columns:
        return records.with_columns(mk_email_mailbox=pl.lit(None, dtype=pl.Utf8))
    local = pl.col("std_email_local")
    asked = records.select((local.is_not_null() & ~local.str.contains(r"\d")).fill_null(False)).to_series()
    mailbox = records.get_column("std_email_local").alias("mk_email_mailbox")
    if not asked.any():
        return records.with_columns(mailbox)
    spellings = records.filter(asked).select(
        _letters=local.str.replace_all(r"[^\p{L}\p{N}]", ""),
        **{
            f"_{part}": pl.when((name := _col(records, f"std_{part}_name").cast(pl.Utf8)).str.contains(LATIN_NAME))
            .then(name)
            .otherwise(pl.col(f"mk_{part}_roman").cast(pl.Utf8))
            for part in ("family", "given")
        },
        **{f"_{part}_alt": pl.col(f"mk_{part}_alt").cast(pl.Utf8) for part in ("family", "given")},
    )
    # 王 偉 is `o` romanized (a Japanese reading) and `wang` in pinyin; 橋本 `hashimoto` and `qiaoben`
    alone = spellings.select(
        spells_name_alone(pl.col("_letters"), pl.col("_family"), pl.col("_given"))
        | spells_name_alone(
            pl.col("_letters"), pl.coalesce("_family_alt", "_family"), pl.coalesce("_given_alt", "_given")
        )
    ).to_series()
    return records.with_columns(mailbox.scatter(asked.arg_true().filter(alone.fill_null(False)), None))


def spells_name_alone(letters: pl.Expr, family: pl.Expr, given: pl.Expr) -> pl.Expr:
    """True where `letters` (an email's local part without its dots, hyphens
    and underscores, and with no digit) spells nothing but the name
    (`family` and `given`, as an email writes them): the start of the name
    written given then family or family then given, or with the given
    name's initial alone (`ranjitsingh`, `singh.ranjit`, `rsingh`, `ranjit`,
    `hashimoto.ai`, `guadalupe.rodriguez` of the family name
    `rodriguezrodriguez`).

    Such a mailbox at another provider, or one letter off, is a namesake's
    as easily as the customer's: what it says the names already said. Weighed
    as the same mailbox (+8.5 bits on a Gulf/Indian/UK retailer's export) it
    linked 139 of its 271 false pairs (`comparisons.EmailComparison` compares
    `mk_email_mailbox`, null for such a local part). A local part with
    digits (`ranjit87`) or other words (another member's name, a nickname)
    is beyond the name."""
    initial = given.str.slice(0, 1)
    spelled = [
        family,
        given,
        *(pl.concat_str(first, second) for first, second in ((given, family), (family, given), (initial, family), (family, initial))),
    ]
    return pl.any_horizontal(name.str.starts_with(letters) for name in spelled)


def _per_distinct(records: pl.DataFrame, value: pl.Expr, function: Callable[[str], str | None]) -> pl.Expr:
    """`function` of `value`, called once per distinct non-null value of it
    in `records` (names repeat); null where it gives None."""
    values = records.select(value.alias("v")).get_column("v").drop_nulls().unique().to_list()
    return value.replace_strict({v: function(v) for v in values}, default=None, return_dtype=pl.Utf8)


def _given_names(records: pl.DataFrame, given: pl.Expr) -> pl.Expr:
    """`names_of` each value of `given`, joined by NAMES_SEPARATOR."""
    return _per_distinct(records, given, lambda v: NAMES_SEPARATOR.join(names) if (names := names_of(v)) else None)


_READ_AS_ROMAJI = r"o[ouh]|uu|m[bpm]|iy[ou]|tsu[tp]|[\p{Cyrillic}\p{Greek}]"
"""Names whose romanized key may be another when their Latin letters are
read as romaji (`comparable_romanization`'s long vowels, `m` before b/p/m,
legacy kana spellings; and every name in Cyrillic or Greek, spelled in Latin
letters first): the others are the same either way."""

_FOLDED_BY_COUNTRY = rf"[aou]e|{_READ_AS_ROMAJI}"
"""Names whose romanized key may depend on the record's country (a German
transliteration is folded outside Japan only, `without_german_transliterations`;
long vowels, `m` before b/p/m and legacy kana spellings of romaji in Japan
only, `readings.comparable_romanization`): not lent. Every other name is
romanized alike in every record."""


def _known_romanizations(known: pl.DataFrame | None) -> dict[str, str | None]:
    """Name -> its romanization, from the name keys of `known` (empty names
    are stored as null and left out; a null romanization is kept: the name
    has no Latin spelling). Names matching `_FOLDED_BY_COUNTRY` are left out:
    their key there is that of the known record's country, which may not be
    the arrival's."""
    pairs = [
        known.select(name=pl.col(key), roman=pl.col(roman))
        for key, roman in ROMANIZED_NAME_KEYS
        if known is not None and {key, roman} <= set(known.columns)
    ]
    if not pairs:
        return {}
    found = pl.concat(pairs, how="vertical_relaxed").drop_nulls("name").unique("name", keep="any")
    found = found.filter(~pl.col("name").str.to_lowercase().str.contains(_FOLDED_BY_COUNTRY))
    return dict(zip(found["name"].to_list(), found["roman"].to_list()))


def _of_cyrillic_country(records: pl.DataFrame) -> pl.Expr:
    """True for a record of `CYRILLIC_COUNTRIES`: by its own country, by its
    source's when its own is unknown."""
    country = pl.coalesce(_col(records, "std_country"), _col(records, "source_country"))
    return country.is_in(sorted(CYRILLIC_COUNTRIES)).fill_null(False)


def _alternative(records: pl.DataFrame, part: str, abroad: pl.Expr) -> pl.Expr:
    """`alternative_romanization` of `std_{part}_name` (once per distinct value),
    with German transliterations folded abroad as `mk_{part}_roman` folds them.
    A Latin name of a record of `CYRILLIC_COUNTRIES` (by its source's country
    when its own is unknown) is no romanized Japanese: its folded spelling is
    kept where romaji could spell it too (`Iurii`, `Boiko`)."""
    name, family = _col(records, f"std_{part}_name"), part == "family"
    cyrillic = _of_cyrillic_country(records)
    alternative = pl.coalesce(
        _per_distinct(records, pl.when(~cyrillic).then(name), partial(alternative_romanization, family=family)),
        _per_distinct(
            records, pl.when(cyrillic).then(name), partial(alternative_romanization, family=family, romaji=False)
        ),
    )
    return pl.when(abroad).then(without_german_transliterations(alternative)).otherwise(alternative)


def _cjk_key(records: pl.DataFrame, part: str) -> pl.Expr:
    """`chinese_key` of `std_{part}_name` in a Chinese name (script `zh`, or
    Latin in a record of `CHINESE_COUNTRIES`), `korean_key` in a Korean one
    (Hangul, or Latin in `KOREAN_COUNTRIES`), `thai_spelling_key` in a Thai
    one (Thai script, or Latin in a record of Thailand); once per distinct value. A
    Latin name written given name first (`written_given_name_first`: `PARK`
    / `SANG U`) is keyed the other way round: its family key is that of its
    given name, keyed as a family name."""
    script = _col(records, "std_name_script")
    country = pl.coalesce(_col(records, "std_country"), _col(records, "source_country"))
    latin = script == "latin"
    chinese = (script == "zh") | (latin & country.is_in(sorted(CHINESE_COUNTRIES)))
    korean = (script == "ko") | (latin & country.is_in(sorted(KOREAN_COUNTRIES)))
    own, other = _col(records, f"std_{part}_name"), _col(records, f"std_{'given' if part == 'family' else 'family'}_name")
    name = own
    east_asian_latin = latin & (chinese | korean)
    if records.select(east_asian_latin.fill_null(False).any()).item():  # else the family names are never loaded
        written = [pl.when(east_asian_latin).then(_col(records, f"std_{p}_name")) for p in ("family", "given")]
        name = pl.when(written_given_name_first(*written).fill_null(False)).then(other).otherwise(own)
    family = part == "family"
    thai = (script == "thai") | (latin & (country == "TH"))
    return pl.coalesce(
        _per_distinct(records, pl.when(chinese).then(name), partial(chinese_key, family=family)),
        _per_distinct(records, pl.when(korean).then(name), partial(korean_key, family=family)),
        _per_distinct(records, pl.when(thai).then(own), thai_spelling_key),
    )


def _romanized(records: pl.DataFrame, name: pl.Expr, known: dict[str, str | None]) -> pl.Expr:
    """`comparable_romanization` of `name`, computed once per distinct value
    that `known` does not hold (`known` holds names whose key is the same in
    any record, so a name spelled without its transliterations is looked up too)."""
    return _per_distinct(records, name, lambda v: known[v] if v in known else _compound_romanization(v))


def _compound_romanization(name: str, romaji: bool = True) -> str | None:
    """`comparable_romanization` of each part of a compound given name
    (`mohammed-shahidul`: `given_names.COMPOUND_SEPARATOR` kept between
    them, which the comparison's `LeadNameLevel` reads); null when a part
    has none. `romaji` False: Latin letters are not read as romaji."""
    parts = [comparable_romanization(part, romaji=romaji) for part in name.split(COMPOUND_SEPARATOR)]
    return COMPOUND_SEPARATOR.join(parts) if all(parts) else None  # type: ignore[arg-type]


_as_written = partial(_compound_romanization, romaji=False)
"""The romanized key of a Latin name of a record outside Japan: its letters, not read as romaji."""
