"""Comparisons per canonical field type, in Splink's comparison-creator shape.

Each class lists its levels, strongest first, on the match-key columns that
`match_keys.add_match_keys` derives. Adding a comparison means adding a class.
Levels use Splink's level library so the same comparison runs on DuckDB and Spark.
"""

from __future__ import annotations

from typing import List

import splink.comparison_level_library as cll
from splink.internals.column_expression import ColumnExpression
from splink.internals.comparison_creator import ComparisonCreator
from splink.internals.comparison_level_creator import ComparisonLevelCreator
from splink.internals.dialects import SplinkDialect

from resolution.given_names import COMPOUND_SEPARATOR
from resolution.match_keys import NAME_WORD_SEPARATOR, NAMES_SEPARATOR
from resolution.standardization.cjk_names import CANTONESE_SHARED_FAMILY_NAMES
from resolution.standardization.national_ids import LIFETIME_TYPES

COMPARISON_LEVEL_CHANGES = {
    2: "a move to another postal area is weighed once, by the postal code",
    3: "a move to another city is weighed once, by the city, where a postal code is missing",
    4: "given names that are nicknames of one name (Bob, Robert) agree at a level of their own",
    5: "a name part in hanzi, Hangul or CJK katakana agrees with its Latin spelling in its own language (王 and Wang)",
    6: (
        "a given name that is only an initial and the name it starts (R., Ryan) agree at a level of their own, "
        "and two other initials (M., P.) are no typo"
    ),
    7: "the postal area of a UK postcode is its outward code (M7 of M7 2LF), no longer its first three characters",
    8: "a name part in Arabic script agrees with a Latin spelling of the same consonants (فاطمة and Fatima, Fathima)",
    9: (
        "a name part one record holds in kana only and the other in kanji of that reading (カズヤ, 和也) agree at "
        "the romanized level, no longer with other kanji of one reading (浩, 博), which keep a level of their own; "
        "two names in kanji of other readings (大野 オオノ, 小野 オノ) whose romanized spellings agree once long "
        "vowels are folded (ono) agree as one typo, no longer at the romanized level"
    ),
    10: "a phone number phonenumbers refused is compared by its last 8 digits as written, no longer null",
    11: (
        "a compound given name and its lead name alone or its rest (Mohammed Shahidul; Mohammed or Shahidul) agree "
        "at a level of their own, and two compounds of one lead with other rests (Mohammed Shahidul, Mohammed "
        "Abdur Rahman) are no typo"
    ),
    12: (
        "a Latin family name that starts or ends the other (Souza, Pereira Souza; García, García López: "
        "a surname left out) agrees at a level of its own"
    ),
    13: (
        "an email's same local part at another address, and a similar address of the same digits, weigh only where "
        "the local part holds more than the record's name (mk_email_mailbox); mailboxes of the name alone weigh nothing there"
    ),
    14: (
        "a name part in hanzi or Hangul agrees with a Latin one of the same folded Chinese or Korean spelling "
        "(张 and Chang, Cheung; 서준 and Seo-jun, Suh Joon: mk_*_cjk), not only with its one spelling"
    ),
    15: (
        "the order-swapped levels need both names swapped (family = the other's given and given = the other's family), "
        "no longer one of them alone (Jung Maximilian, Julia Jung)"
    ),
    16: (
        "黄 (Huang) and 王 (Wang) no longer share a folded Chinese key: each meets its own Latin spellings, and "
        "the Hong Kong spelling both write (Wong) meets either"
    ),
    17: (
        "a name part with no Latin spelling (Thai script) and a Latin one are not compared, as a missing name is "
        "not: the pair is weighed on its other fields, no longer as two names that disagree outright"
    ),
    18: (
        "a single name one record holds as its family name alone and the other as its given name alone (Budi in a "
        "last-name box, Budi as a one-word full name) agree at the given name, no longer both missing"
    ),
    19: (
        "a name part in Thai script is compared with a Latin one by its RTGS spelling (mk_*_alt: ธนากร thanakon) "
        "and its folded Thai spelling (mk_*_cjk: Thanakorn, Tanakorn), no longer left out as not comparable"
    ),
    20: (
        "a national identifier (BVN, NIN, South African or Kenyan ID, passport) is compared: the same number agrees, "
        "two numbers of one kind a person keeps for life disagree, other kinds weigh nothing"
    ),
    21: (
        "names whose words are the same in another order, or one record's words all among the other's (KARANJA "
        "MARGARET NJOKI, Margaret / Karanja), agree at a level of their own at the family and the given name, no "
        "longer outright disagreeing; one first given name with other middle names both records carry (Gbenga "
        "Oluwatobi, Gbenga Segun) is a level of its own, no longer the same given name"
    ),
    22: (
        "the single name held in the other box is weighed after the given name's exact levels, not first: the "
        "built-in model gave it the exact level's weight and ranked an exact given name lower"
    ),
}
"""What changed in the levels here, by version (1: the levels before versions
were recorded). Add an entry when a comparison's levels change: a saved model
keeps the levels it was trained with, and one trained on an older version is
reported each night with the changes it lacks (`model.levels_outdated`) until
`nayose train` retrains it."""

COMPARISON_LEVELS_VERSION = max(COMPARISON_LEVEL_CHANGES)
"""The version of the levels here, saved with every model trained (`model.save_model`)."""


class NamePartsSwappedLevel(ComparisonLevelCreator):
    """Both records' names written in the other order: one record's `part`
    matches the other record's `other` part, and its `other` part the other
    record's `part` (`Mason Madeline`, `Madeline Mason`).

    With `jaro_winkler_threshold`, "matches" means Jaro-Winkler similarity at
    or above it, so a swap with a typo still counts. One side alone matching
    is no swap: a call centre's `Jung Maximilian` (family `maximilian`, given
    `jung`) and Julia Jung share a family name and nothing else, and the
    level, then reached by either name alone, linked them (+5.5 bits at the
    family name, +5.3 at the given name)."""

    def __init__(self, part: str, other: str, jaro_winkler_threshold: float | None = None):
        self.part = ColumnExpression.instantiate_if_str(part)
        self.other = ColumnExpression.instantiate_if_str(other)
        self.threshold = jaro_winkler_threshold

    def create_sql(self, sql_dialect: SplinkDialect) -> str:
        self.part.sql_dialect = sql_dialect
        self.other.sql_dialect = sql_dialect
        p, o = self.part, self.other
        if self.threshold is None:
            return f"({p.name_l} = {o.name_r} AND {p.name_r} = {o.name_l})"
        jw = sql_dialect.jaro_winkler_function_name
        t = self.threshold
        return f"({jw}({p.name_l}, {o.name_r}) >= {t} AND {jw}({p.name_r}, {o.name_l}) >= {t})"

    def create_label_for_charts(self) -> str:
        how = "exactly" if self.threshold is None else f"Jaro-Winkler >= {self.threshold}"
        return f"{self.part.label} and {self.other.label} match the other's {self.other.label} and {self.part.label} ({how}; order swapped)"


class SingleNameInTheOtherBoxLevel(ComparisonLevelCreator):
    """One record holds a name only as its family name, the other only as its
    given name, and it is the same (`part` of one is the `other` of the other,
    exactly; the `part` of the one and the `other` of the other are null): a
    person of a single name (an Indonesian `Budi`, a Tamil, a Burmese name) whom
    one form took in its last-name box and another, or a one-word full name,
    as a given name. Both name parts were then missing, and a pair of such
    records was weighed on its phone or birth date alone."""

    def __init__(self, part: str | ColumnExpression, other: str | ColumnExpression):
        self.part = ColumnExpression.instantiate_if_str(part)
        self.other = ColumnExpression.instantiate_if_str(other)

    def create_sql(self, sql_dialect: SplinkDialect) -> str:
        self.part.sql_dialect = sql_dialect
        self.other.sql_dialect = sql_dialect
        p, o = self.part, self.other
        return (
            f"(({p.name_l} IS NULL AND {o.name_r} IS NULL AND {o.name_l} = {p.name_r})"
            f" OR ({p.name_r} IS NULL AND {o.name_l} IS NULL AND {o.name_r} = {p.name_l}))"
        )

    def create_label_for_charts(self) -> str:
        return "a single name, a family name alone in one record and a given name alone in the other"


OTHER_MIDDLE_NAMES = "same first given name, other middle names"
"""The given name's level for an exact first given name whose middle names
disagree: placed before the exact levels it refines (a pair takes the first
level that holds), weaker evidence than they are (`model.built_in_settings`
ranks it after the first)."""


def _sql_strings(values: tuple[str, ...]) -> str:
    """`'a', 'b'`: values without quotes of their own as SQL string literals."""
    return ", ".join(f"'{value}'" for value in values)


class AlternativeSpellingLevel(ComparisonLevelCreator):
    """One record's romanized name equals the other's alternative spelling
    (`mk_*_alt`: pinyin of 王 is `wang`, `김` is `kim`), either way round, or
    both alternative spellings are equal (张 and 張). A name written in
    Chinese characters or Hangul and its Latin spelling agree nowhere else:
    the romanized key is the Japanese reading (王 `o`).

    With `consonants` (`mk_*_consonants`, a Latin name's consonant key), a
    name in Arabic script, whose alternative spelling is its consonant key
    (`فاطمة` `FTM`), agrees with a Latin name of that key (`Fatima`,
    `Fathima`): Arabic script writes no short vowels, so no spelling of
    `فاطمة` equals `fatima`. Two Latin names never meet on their consonants.

    With `cjk` (`mk_*_cjk`, a folded Chinese or Korean spelling), a name in
    hanzi or Hangul agrees with a Latin one of the same key (张 and `Chang`,
    `Cheung`; 서준 and `Suh Joon`): the fold joins spellings a Latin name
    cannot tell apart, so it is compared across scripts only (one side
    without a romanized key: hanzi and Hangul have none). A Hong Kong
    spelling two family names share (`Wong`: 王 and 黄,
    `cjk_names.CANTONESE_SHARED_FAMILY_NAMES`) is its own key and meets
    the key of each."""

    def __init__(self, roman: str, alternative: str, consonants: str | None = None, cjk: str | None = None):
        self.roman = ColumnExpression.instantiate_if_str(roman)
        self.alternative = ColumnExpression.instantiate_if_str(alternative)
        self.consonants = ColumnExpression.instantiate_if_str(consonants) if consonants else None
        self.cjk = ColumnExpression.instantiate_if_str(cjk) if cjk else None

    def create_sql(self, sql_dialect: SplinkDialect) -> str:
        self.roman.sql_dialect = sql_dialect
        self.alternative.sql_dialect = sql_dialect
        r, a = self.roman, self.alternative
        conditions = [f"{r.name_l} = {a.name_r}", f"{a.name_l} = {r.name_r}", f"{a.name_l} = {a.name_r}"]
        if self.consonants is not None:
            self.consonants.sql_dialect = sql_dialect
            c = self.consonants
            conditions += [f"{a.name_l} = {c.name_r}", f"{c.name_l} = {a.name_r}"]
        if self.cjk is not None:
            self.cjk.sql_dialect = sql_dialect
            k = self.cjk
            same = [f"{k.name_l} = {k.name_r}"] + [
                f"({shared} = '{spelling}' AND {named} IN ({_sql_strings(keys)}))"
                for spelling, keys in CANTONESE_SHARED_FAMILY_NAMES.items()
                for shared, named in ((k.name_l, k.name_r), (k.name_r, k.name_l))
            ]
            conditions.append(f"(({' OR '.join(same)}) AND ({r.name_l} IS NULL) <> ({r.name_r} IS NULL))")
        return f"({' OR '.join(conditions)})"

    def create_label_for_charts(self) -> str:
        return f"{self.roman.label} is the other's spelling in its own script's language ({self.alternative.label})"


class NoCommonLettersLevel(ComparisonLevelCreator):
    """One record's name part has a Latin spelling (`mk_*_roman`) and the
    other's has none, nor any alternative one (`mk_*_alt`): a name in a
    script nayose does not romanize (Devanagari, Tamil; Thai script has its
    RTGS spelling, `thai_names.rtgs`) against a Latin spelling. Their
    letters cannot be compared, so the level is a null level (a missing name
    says as much): at the else level the two spellings of one name weighed
    as two names, and a Thai bank's customers never met their wallet
    records, though most shared the mobile."""

    def __init__(self, roman: str | ColumnExpression, alternative: str | ColumnExpression):
        self.roman = ColumnExpression.instantiate_if_str(roman)
        self.alternative = ColumnExpression.instantiate_if_str(alternative)

    def create_sql(self, sql_dialect: SplinkDialect) -> str:
        self.roman.sql_dialect = sql_dialect
        self.alternative.sql_dialect = sql_dialect
        r, a = self.roman, self.alternative

        def unspelled(side: str, other: str) -> str:
            return (
                f"({getattr(r, 'name_' + side)} IS NULL AND {getattr(a, 'name_' + side)} IS NULL "
                f"AND {getattr(r, 'name_' + other)} IS NOT NULL)"
            )

        return f"({unspelled('l', 'r')} OR {unspelled('r', 'l')})"

    def create_label_for_charts(self) -> str:
        return f"{self.roman.label} has no Latin spelling on one side"


class SameDigitsLevel(ComparisonLevelCreator):
    """Both values hold the same digits, in the same order (none on either
    side counts as the same): `david.berg31@...` and `david.berg22@...` do not.
    Name-pattern addresses that differ in their number belong to different
    people far more often than to one person with a typo."""

    def __init__(self, col: str):
        self.col = ColumnExpression.instantiate_if_str(col)

    def create_sql(self, sql_dialect: SplinkDialect) -> str:
        self.col.sql_dialect = sql_dialect
        # Spark's regexp_replace replaces every match; DuckDB's needs the 'g' flag
        flags = "" if sql_dialect.sql_dialect_str == "spark" else ", 'g'"
        left, right = (f"regexp_replace({name}, '[^0-9]', ''{flags})" for name in (self.col.name_l, self.col.name_r))
        return f"{left} = {right}"

    def create_label_for_charts(self) -> str:
        return f"same digits in {self.col.label}"


class SharedNameLevel(ComparisonLevelCreator):
    """Both records' lists of names (`match_keys.mk_given_names`: text, the
    names joined by `NAMES_SEPARATOR`) share one: the given names are
    nicknames of one name, or one of the other, or Russian, Ukrainian or
    Belarusian forms of one name (`Алексей`, `Oleksii`: `ru:aleksey`). Null
    on either side (a name neither table knows) is no agreement."""

    def __init__(self, col: str | ColumnExpression):
        self.col = ColumnExpression.instantiate_if_str(col)

    def create_sql(self, sql_dialect: SplinkDialect) -> str:
        self.col.sql_dialect = sql_dialect
        left, right = self.col.name_l, self.col.name_r
        if sql_dialect.sql_dialect_str == "spark":  # split takes a regular expression there
            return f"arrays_overlap(split({left}, '[{NAMES_SEPARATOR}]'), split({right}, '[{NAMES_SEPARATOR}]'))"
        return f"list_has_any(string_split({left}, '{NAMES_SEPARATOR}'), string_split({right}, '{NAMES_SEPARATOR}'))"

    def create_label_for_charts(self) -> str:
        return "nicknames of one name"


def _words_sql(sql_dialect: SplinkDialect, column: str) -> str:
    """SQL of the list of words of a `NAME_WORD_SEPARATOR`-joined match key."""
    if sql_dialect.sql_dialect_str == "spark":  # split takes a regular expression there
        return f"split({column}, '[{NAME_WORD_SEPARATOR}]')"
    return f"string_split({column}, '{NAME_WORD_SEPARATOR}')"


def _any_shared_sql(sql_dialect: SplinkDialect, left: str, right: str) -> str:
    """SQL: the word lists `left` and `right` share a word."""
    if sql_dialect.sql_dialect_str == "spark":
        return f"arrays_overlap({left}, {right})"
    return f"list_has_any({left}, {right})"


class NameWordsLevel(ComparisonLevelCreator):
    """Both records' names have the same words, in another order or split
    otherwise into family and given name, or one record's words (two at
    least) are all among the other's (`match_keys.mk_name_words`:
    `KARANJA MARGARET NJOKI` and `Margaret` / `Karanja`). A Kenyan export
    writes names surname first as often as last and with or without a
    middle name, and the splitter reads the last word as the family name:
    such a customer's records disagreed outright at both name parts (a pair
    sharing a birth date and an email weighed 0 and only reached review).
    Each record's part (`name`, the standardized one) must be among the
    other record's words: one family's records share their family name's
    words, and the words of `Del Rosario` / `Rosario` were among those of
    `Del Rosario` / `Miguel` (`Tran Van Dung` and `Van Tran`, `Latifa Hessa
    Al Shamsi` and `Hessa Al Shamsi` alike), which linked a Filipino family
    (23 false pairs on the Southeast Asian tester's set) and Gulf sisters.
    Placed after every level of the part's own agreement, so it takes only
    names that would otherwise disagree outright; the pair rules hold such
    a pair as they hold names in the other order
    (`households._swapped_without_evidence`)."""

    def __init__(self, col: str | ColumnExpression, name: str | ColumnExpression):
        self.col = ColumnExpression.instantiate_if_str(col)
        self.name = ColumnExpression.instantiate_if_str(name)

    def create_sql(self, sql_dialect: SplinkDialect) -> str:
        self.col.sql_dialect = sql_dialect
        self.name.sql_dialect = sql_dialect
        left, right = (_words_sql(sql_dialect, name) for name in (self.col.name_l, self.col.name_r))
        spark = sql_dialect.sql_dialect_str == "spark"
        if spark:
            within = [f"size(array_except({a}, {b})) = 0" for a, b in ((left, right), (right, left))]
        else:
            within = [f"list_has_all({a}, {b})" for a, b in ((left, right), (right, left))]
        contains = "array_contains" if spark else "list_contains"
        crosswise = f"{contains}({right}, {self.name.name_l}) AND {contains}({left}, {self.name.name_r})"
        return f"(({within[0]} OR {within[1]}) AND {crosswise})"

    def create_label_for_charts(self) -> str:
        return "the same name words in another order, or one's words among the other's"


class MiddleNamesDisagreeLevel(ComparisonLevelCreator):
    """Both records carry middle names (`match_keys.mk_middle_names`: words
    of the name outside its compared family and first given name), and they
    disagree outright: none of one record's middle names is among the other
    record's name words (`mk_name_words`: a middle name the other record
    holds as its family name is the same name split otherwise), and they
    are not one typo apart (Jaro-Winkler below `jaro_winkler_threshold`).
    A father and his son of one first name (`Gbenga Oluwatobi`, `Gbenga
    Segun`) were the same given name, and of one family name and address
    were linked (p 0.9998). A record without a middle name says nothing
    against one with it."""

    def __init__(self, middle: str | ColumnExpression, words: str | ColumnExpression, jaro_winkler_threshold: float = 0.9):
        self.middle = ColumnExpression.instantiate_if_str(middle)
        self.words = ColumnExpression.instantiate_if_str(words)
        self.threshold = jaro_winkler_threshold

    def create_sql(self, sql_dialect: SplinkDialect) -> str:
        self.middle.sql_dialect = sql_dialect
        self.words.sql_dialect = sql_dialect
        m, w = self.middle, self.words
        jw = sql_dialect.jaro_winkler_function_name
        shared = [
            _any_shared_sql(sql_dialect, _words_sql(sql_dialect, middle), _words_sql(sql_dialect, words))
            for middle, words in ((m.name_l, w.name_r), (m.name_r, w.name_l))
        ]
        return (
            f"({m.name_l} IS NOT NULL AND {m.name_r} IS NOT NULL AND {w.name_l} IS NOT NULL AND {w.name_r} IS NOT NULL "
            f"AND NOT {shared[0]} AND NOT {shared[1]} AND {jw}({m.name_l}, {m.name_r}) < {self.threshold})"
        )

    def create_label_for_charts(self) -> str:
        return "other middle names (both carry one)"


class InitialLevel(ComparisonLevelCreator):
    """One record's value is a single letter the other's starts with (`r`,
    `ryan`: a form that asked for an initial only). Two single letters meet
    at the exact levels before it. `given_names.initial_agrees` says the same
    for the pair rules."""

    def __init__(self, col: str | ColumnExpression):
        self.col = ColumnExpression.instantiate_if_str(col)

    def create_sql(self, sql_dialect: SplinkDialect) -> str:
        self.col.sql_dialect = sql_dialect
        left, right = self.col.name_l, self.col.name_r
        return (
            f"((length({left}) = 1 AND substr({right}, 1, 1) = {left}) "
            f"OR (length({right}) = 1 AND substr({left}, 1, 1) = {right}))"
        )

    def create_label_for_charts(self) -> str:
        return "one is the other's initial"


class NoInitialLevel(ComparisonLevelCreator):
    """Neither record's value is a single letter (to be combined with
    another level: two initials are one edit apart, and no typo). A null
    value is no single letter."""

    def __init__(self, col: str | ColumnExpression):
        self.col = ColumnExpression.instantiate_if_str(col)

    def create_sql(self, sql_dialect: SplinkDialect) -> str:
        self.col.sql_dialect = sql_dialect
        # a value without one (a name of no Latin spelling) is no initial either
        return f"coalesce(length({self.col.name_l}), 2) > 1 AND coalesce(length({self.col.name_r}), 2) > 1"

    def create_label_for_charts(self) -> str:
        return f"{self.col.label} longer than one letter"


_KANJI = "[㐀-鿿豈-﫿々〆ヶ]"
"""A name with a kanji in it (the CJK blocks of the Basic Multilingual Plane)."""


def _matches_sql(sql_dialect: SplinkDialect, column: str, pattern: str) -> str:
    if sql_dialect.sql_dialect_str == "spark":
        return f"({column} RLIKE '{pattern}')"
    return f"regexp_matches({column}, '{pattern}')"


class BothInKanjiLevel(ComparisonLevelCreator):
    """Both records' written name parts have kanji: their readings are the
    names' own (大野 オオノ, 小野 オノ), not a romanization that may have dropped
    a long vowel (`Ono` for 大野)."""

    def __init__(self, col: str | ColumnExpression):
        self.col = ColumnExpression.instantiate_if_str(col)

    def create_sql(self, sql_dialect: SplinkDialect) -> str:
        self.col.sql_dialect = sql_dialect
        sides = (f"coalesce({_matches_sql(sql_dialect, name, _KANJI)}, false)" for name in (self.col.name_l, self.col.name_r))
        return " AND ".join(sides)

    def create_label_for_charts(self) -> str:
        return f"{self.col.label} in kanji on both sides"


def _compound_parts(name: str) -> tuple[str, str, str]:
    """SQL of (is a compound, its lead, its rest) of a standardized given
    name (`given_names.COMPOUND_SEPARATOR` between lead and rest): `instr`
    and `substr` read alike on DuckDB and Spark."""
    at = f"instr({name}, '{COMPOUND_SEPARATOR}')"
    return f"{at} > 1", f"substr({name}, 1, {at} - 1)", f"substr({name}, {at} + 1)"


class LeadNameLevel(ComparisonLevelCreator):
    """One record's given name is a compound (`mohammed-shahidul`:
    `latin_names.compared_given_name`) and the other's is its lead name
    alone (`mohammed`) or its rest (`shahidul`): a web form's short name, or
    the name a customer is called by. `given_names.initial_agrees` says the
    same for the pair rules."""

    def __init__(self, col: str | ColumnExpression):
        self.col = ColumnExpression.instantiate_if_str(col)

    def create_sql(self, sql_dialect: SplinkDialect) -> str:
        self.col.sql_dialect = sql_dialect
        left, right = self.col.name_l, self.col.name_r

        def part_of(part: str, compound: str) -> str:
            is_compound, lead, rest = _compound_parts(compound)
            return f"({is_compound} AND ({part} = {lead} OR {part} = {rest}))"

        return f"({part_of(left, right)} OR {part_of(right, left)})"

    def create_label_for_charts(self) -> str:
        return "one is the other's compound name in part"


class NoOtherCompoundLevel(ComparisonLevelCreator):
    """Not two compound given names of one lead whose rests differ beyond a
    typo (to be combined with similarity levels): `mohammed-shahidul` and
    `mohammed-abdulrahman` share their lead and are Jaro-Winkler 0.84, and
    were weighed as a loose likeness of one name; `maria-guadalupe` and
    `maria-fernanda` likewise."""

    def __init__(self, col: str | ColumnExpression, jaro_winkler_threshold: float = 0.92):
        self.col = ColumnExpression.instantiate_if_str(col)
        self.threshold = jaro_winkler_threshold

    def create_sql(self, sql_dialect: SplinkDialect) -> str:
        self.col.sql_dialect = sql_dialect
        (compound_l, lead_l, rest_l), (compound_r, lead_r, rest_r) = (
            _compound_parts(name) for name in (self.col.name_l, self.col.name_r)
        )
        jw, dl = sql_dialect.jaro_winkler_function_name, sql_dialect.damerau_levenshtein_function_name
        other = (
            f"{compound_l} AND {compound_r} AND {lead_l} = {lead_r} "
            f"AND {jw}({rest_l}, {rest_r}) < {self.threshold} AND {dl}({rest_l}, {rest_r}) > 1"
        )
        return f"NOT coalesce(({other}), false)"

    def create_label_for_charts(self) -> str:
        return f"{self.col.label} not two compounds of one lead"


class SurnameLeftOutLevel(ComparisonLevelCreator):
    """One record's family name starts or ends the other's, which is longer
    (`souza` and `pereirasouza`, `garcia` and `garcialopez`): a Spanish or
    Portuguese customer whose second surname one export left out, whichever
    of the two it kept (the Spanish the first, the Portuguese the last). Keys
    of at least `min_length` characters, and names without a kana reading
    (a Japanese reading's `naka` ends `tanaka`)."""

    def __init__(self, col: str | ColumnExpression, kana: str | ColumnExpression, min_length: int = 3):
        self.col = ColumnExpression.instantiate_if_str(col)
        self.kana = ColumnExpression.instantiate_if_str(kana)
        self.min_length = min_length

    def create_sql(self, sql_dialect: SplinkDialect) -> str:
        self.col.sql_dialect = sql_dialect
        self.kana.sql_dialect = sql_dialect

        def within(longer: str, shorter: str) -> str:
            return (
                f"(length({longer}) > length({shorter}) AND length({shorter}) >= {self.min_length} AND "
                f"(substr({longer}, 1, length({shorter})) = {shorter} "
                f"OR substr({longer}, length({longer}) - length({shorter}) + 1) = {shorter}))"
            )

        left, right = self.col.name_l, self.col.name_r
        no_kana = f"{self.kana.name_l} IS NULL AND {self.kana.name_r} IS NULL"
        return f"({no_kana} AND ({within(left, right)} OR {within(right, left)}))"

    def create_label_for_charts(self) -> str:
        return "a surname left out (one starts or ends the other)"


class PersonNamePartComparison(ComparisonCreator):
    """One name part (family or given), written in kanji/Latin and read in kana.

    Levels: missing, or a name of no Latin spelling against a Latin one
    (`NoCommonLettersLevel`: Devanagari `राम`, `Ram`; weight 0) · (the
    given name) a single name held as a family name alone in one record and a
    given name alone in the other (`SingleNameInTheOtherBoxLevel`) · exact
    written form (variant-folded, term-frequency adjusted) ·
    same romanized spelling (long vowels folded) unless both sides are in
    kanji: kana or romaji against anything, so a name held in kana only
    (`ｶｽﾞﾔ`, or only its reading) meets its kanji (和也) here · exact reading
    of other kanji (homophones: 浩, 博) · same spelling in the name's own language (hanzi or Hangul
    against Latin; Arabic script against Latin consonants, `AlternativeSpellingLevel`) · the part equals the *other* part of the other record (swapped
    family/given order) · one typo or Jaro-Winkler >= 0.92 · (the family name)
    a surname left out (`SurnameLeftOutLevel`: `souza`, `pereirasouza`) ·
    swapped with a typo · Jaro-Winkler >= 0.8 · (the given name) nicknames of
    one name · the same name words in another order, or one record's among
    the other's (`NameWordsLevel`: `KARANJA MARGARET NJOKI`, `Margaret` /
    `Karanja`) · else. The given name has a level before its exact ones:
    the same first given name with other middle names both records carry
    (`MiddleNamesDisagreeLevel`: `Gbenga Oluwatobi`, `Gbenga Segun`, a
    father and his son), which is part of their agreement and would be
    taken by them placed after.
    The given name has levels before the typos: one is the other's initial
    (`InitialLevel`); one is the other's compound in part, its lead name
    or its rest (`LeadNameLevel`: `Mohammed`, `Mohammed Shahidul`); two
    other initials are no typo (one edit apart), nor two compounds of one
    lead with other rests (`NoOtherCompoundLevel`: `Mohammed Shahidul`,
    `Mohammed Abdur Rahman`, which a similarity level called alike).

    A nickname and its name unlike it (Mike, Michael; Bob, Robert; Liz,
    Elizabeth) were weighed as other names, at the else level (-3.2 bits on
    a Western export): they share a name in `mk_given_names`
    (`SharedNameLevel`). The level comes after the loose one: nicknames that
    start their name (Chris, Christopher; Tom, Thomas) are most of what
    makes a loose similarity weigh for a match in Western data. Placed
    before it, it took them, the loose level weighed against a match (-0.3
    bits), and the pair rules took its typos (Chrs, Christopher) for another
    name (`households.NAME_PARTS`): 6 true pairs of that export were lost.

    The same reading was a level of its own before the romanized one: a name
    a call centre holds in kana (カズヤ) and the same name in kanji (和也)
    shared it with homophones (浩, 博: two names), and EM weighed it against a
    match (-5 bits), so kana-only records hardly met their kanji twins. A
    reading is all a kana-only side can say, as a spelling is all a romaji
    side can: both agree at the romanized level, whose m EM learns from the
    pairs that have a birth date or an email (a level only kana-only records
    reach gets no m when their source has neither: a call centre's). And two
    kanji names of other readings whose romanizations fold alike (大野 `ono`,
    小野 `ono`) agreed at the romanized level, above the same written name
    (+7.6 bits against +5.4): that level is for romaji that drops long vowels
    (`Ono` for 大野), not for two names whose own readings differ. They are
    one letter apart, and weigh as the typo level does; a level of their own
    got no m from EM (no such pair shared a birth date) and Splink's default
    m weighed it +5.1 bits.
    """

    def __init__(self, part: str):
        self.part = part
        other = "given" if part == "family" else "family"
        columns = {
            "name": f"std_{part}_name",
            "key": f"mk_{part}",
            "roman": f"mk_{part}_roman",
            "other_roman": f"mk_{other}_roman",
            "alternative": f"mk_{part}_alt",
            "consonants": f"mk_{part}_consonants",
            "cjk": f"mk_{part}_cjk",
            "words": "mk_name_words",
        }
        if part == "given":
            columns["names"] = "mk_given_names"
            columns["middle"] = "mk_middle_names"
        else:
            columns["kana"] = "std_family_kana"
        super().__init__(columns)

    def create_comparison_levels(self) -> List[ComparisonLevelCreator]:
        name, key = self.col_expressions["name"], self.col_expressions["key"]
        roman, other_roman = self.col_expressions["roman"], self.col_expressions["other_roman"]
        words = self.col_expressions["words"]
        given = "names" in self.col_expressions
        missing = cll.Or(cll.NullLevel(key), NoCommonLettersLevel(roman, self.col_expressions["alternative"]))
        # the given name weighs a single name held in the other box; the family name leaves it missing (weighed once)
        single_name = SingleNameInTheOtherBoxLevel(roman, other_roman)
        return [
            (cll.And(missing, cll.Not(single_name)) if given else missing).configure(
                is_null_level=True, label_for_charts=f"{key.label} missing, or not comparable across scripts"
            ),
            # before the exact levels, whose agreement it is part of (the first level a pair meets is its level)
            *(
                [
                    cll.And(
                        cll.Or(cll.ExactMatchLevel(name), cll.ExactMatchLevel(roman)),
                        MiddleNamesDisagreeLevel(self.col_expressions["middle"], words),
                    ).configure(label_for_charts=OTHER_MIDDLE_NAMES)
                ]
                if given
                else []
            ),
            cll.ExactMatchLevel(name, term_frequency_adjustments=True).configure(label_for_charts="same written name"),
            cll.And(cll.ExactMatchLevel(roman), cll.Not(BothInKanjiLevel(name))).configure(
                label_for_charts="same romanized spelling"
            ),
            cll.ExactMatchLevel(key).configure(label_for_charts="same reading, other kanji"),
            AlternativeSpellingLevel(
                roman, self.col_expressions["alternative"], self.col_expressions["consonants"], self.col_expressions["cjk"]
            ),
            # after the exact levels (one side's part is null: none of them holds it), not first: the built-in
            # model gives a comparison's first level its weight, and trained levels are kept below that one
            *([single_name] if given else []),
            NamePartsSwappedLevel(roman, other_roman),
            # `R. Ashton` and `Ryan Ashton` were at the else level, and the pair rules took them for two people
            *([InitialLevel(roman), LeadNameLevel(roman)] if given else []),
            # two initials (`m`, `p`) are one edit apart, and no typo of one name
            cll.And(
                cll.Or(
                    cll.DamerauLevenshteinLevel(roman, 1),
                    cll.JaroWinklerLevel(roman, 0.92),
                    cll.JaroWinklerLevel(key, 0.92),
                ),
                NoInitialLevel(roman),
                *([NoOtherCompoundLevel(roman)] if given else []),
            ).configure(label_for_charts="one typo or Jaro-Winkler >= 0.92"),
            # before the loose level: placed after it, the Spanish pairs of a surname left out (garcia,
            # garcialopez) made that level weigh for namesakes of one first surname (hernandezgutierrez,
            # hernandezhernandez): a Latin American tester's false pairs 73 -> 104
            *([] if given else [SurnameLeftOutLevel(roman, self.col_expressions["kana"])]),
            NamePartsSwappedLevel(roman, other_roman, jaro_winkler_threshold=0.9),
            (
                cll.And(cll.JaroWinklerLevel(roman, 0.8), NoOtherCompoundLevel(roman))
                if given
                else cll.JaroWinklerLevel(roman, 0.8)
            ).configure(label_for_charts="loosely similar (Jaro-Winkler >= 0.8)"),
            *([SharedNameLevel(self.col_expressions["names"])] if given else []),
            NameWordsLevel(words, name),
            cll.ElseLevel(),
        ]

    def create_output_column_name(self) -> str:
        return f"{self.part}_name"


class BirthDateComparison(ComparisonCreator):
    """Birth date as `YYYY-MM-DD` text: exact · day and month transposed ·
    one-digit typo (or two adjacent digits swapped) · same year and month ·
    same year · else."""

    def __init__(self, col: str = "mk_birth_date"):
        self.column = col
        super().__init__(col)

    def create_comparison_levels(self) -> List[ComparisonLevelCreator]:
        c = self.col_expression
        left, right = f'"{self.column}_l"', f'"{self.column}_r"'
        return [
            cll.NullLevel(c),
            cll.ExactMatchLevel(c),
            cll.CustomLevel(
                f"substr({left}, 1, 4) = substr({right}, 1, 4) "
                f"AND substr({left}, 6, 2) = substr({right}, 9, 2) "
                f"AND substr({left}, 9, 2) = substr({right}, 6, 2)",
                label_for_charts="day and month transposed",
            ),
            cll.DamerauLevenshteinLevel(c, 1).configure(label_for_charts="one-digit typo"),
            cll.CustomLevel(f"substr({left}, 1, 7) = substr({right}, 1, 7)", label_for_charts="same year and month"),
            cll.CustomLevel(f"substr({left}, 1, 4) = substr({right}, 1, 4)", label_for_charts="same year"),
            cll.ElseLevel(),
        ]

    def create_output_column_name(self) -> str:
        return "birth_date"


class EmailComparison(ComparisonCreator):
    """Email: exact · same local part (domain changed) · similar (Jaro-Winkler
    >= 0.92) with the same digits · a mailbox of the name alone, same or
    similar (a null level: weighed by the names) · else. Two
    `first.last<NN>` addresses of namesakes are similar but for their
    number: not a typo of one person's.

    The local-part levels compare `mk_email_mailbox`, the local part where it
    holds more than the record's name (`match_keys.spells_name_alone`):
    `ranjitsingh@gmail.com` and `ranjitsingh@hotmail.com`, or `nasrinmiah@`
    and `miahnasrin@`, say of two records what their names say, and two
    namesakes' mailboxes spell their one name as readily as one customer's
    two do. Trained as evidence of their own (+8.5 and +7.6 bits on a
    Gulf/Indian/UK retailer's export) they linked namesakes; at a null
    level they neither count for nor against the pair (the same address
    still counts in full)."""

    def __init__(self):
        super().__init__({"email": "std_email", "local": "std_email_local", "mailbox": "mk_email_mailbox"})

    def create_comparison_levels(self) -> List[ComparisonLevelCreator]:
        email, local, mailbox = self.col_expressions["email"], self.col_expressions["local"], self.col_expressions["mailbox"]
        similar = cll.And(cll.JaroWinklerLevel(email, 0.92), SameDigitsLevel(email))
        return [
            cll.NullLevel(email),
            cll.ExactMatchLevel(email, term_frequency_adjustments=True),
            cll.ExactMatchLevel(mailbox).configure(label_for_charts="same local part, more than the name"),
            cll.And(similar, cll.Not(cll.NullLevel(mailbox))).configure(
                label_for_charts="similar, same digits (Jaro-Winkler >= 0.92), more than the name"
            ),
            cll.Or(cll.ExactMatchLevel(local), similar).configure(
                is_null_level=True, label_for_charts="a mailbox of the name alone, same or similar (weighed by the names)"
            ),
            cll.ElseLevel(),
        ]

    def create_output_column_name(self) -> str:
        return "email"


class PhoneComparison(ComparisonCreator):
    """Phone in E.164: exact · same last 8 digits · else. A number phonenumbers
    refused is compared by its last 8 digits as written (`mk_phone_last8`): a
    foreign mobile written without its country code (a UK `07700 900123` in a
    UAE export) meets its E.164 twin there, and is no null; only a record
    without 8 digits of a phone is."""

    def __init__(self):
        super().__init__({"phone": "std_phone", "last8": "mk_phone_last8"})

    def create_comparison_levels(self) -> List[ComparisonLevelCreator]:
        phone, last8 = self.col_expressions["phone"], self.col_expressions["last8"]
        return [
            cll.NullLevel(last8),
            cll.ExactMatchLevel(phone, term_frequency_adjustments=True),
            cll.ExactMatchLevel(last8).configure(label_for_charts="same last 8 digits"),
            cll.ElseLevel(),
        ]

    def create_output_column_name(self) -> str:
        return "phone"


class MovedElsewhereLevel(ComparisonLevelCreator):
    """For a place comparison, after its levels that agree: both postal codes
    given and of other areas (`mk_postal_area`), or, given `city` (for the
    street), a postal code missing and both cities given and other ones. The
    postal code comparison (or then the city's) weighs that move once; a city
    or street that differs with it (a city of the same prefecture or state
    too) is the same evidence again, not independent of it, so this is a
    null level (weight 0). Counted three times, one move outweighed a shared
    name and email: a customer who had moved was not found again. A move
    that nothing about the person confirms is not linked
    (`households._without_unconfirmed_moves`). Two cities of one postal area
    (neighbouring towns) are no move: their streets are weighed."""

    def __init__(self, area: str = "mk_postal_area", city: str | None = None):
        self.area = ColumnExpression.instantiate_if_str(area)
        self.city = ColumnExpression.instantiate_if_str(city) if city else None
        self.configure(is_null_level=True)

    def create_sql(self, sql_dialect: SplinkDialect) -> str:
        self.area.sql_dialect = sql_dialect
        moved = f"{self.area.name_l} <> {self.area.name_r}"
        if self.city is None:
            return moved
        self.city.sql_dialect = sql_dialect
        unknown = f"({self.area.name_l} IS NULL OR {self.area.name_r} IS NULL)"
        return f"({moved}) OR ({unknown} AND {self.city.name_l} <> {self.city.name_r})"

    def create_label_for_charts(self) -> str:
        if self.city is not None:
            return "postal codes of other areas, or other cities without one (weighed there)"
        return "postal codes of other areas (weighed there)"


class PostalCodeComparison(ComparisonCreator):
    """Postal code (any country, normalized): exact · one typo (or two adjacent
    characters swapped) · same area (`match_keys.postal_area`: a UK
    postcode's outward code, else the first three characters) · else."""

    def __init__(self):
        super().__init__({"postal": "std_postal_code", "area": "mk_postal_area"})

    def create_comparison_levels(self) -> List[ComparisonLevelCreator]:
        postal, area = self.col_expressions["postal"], self.col_expressions["area"]
        return [
            cll.NullLevel(postal),
            cll.ExactMatchLevel(postal, term_frequency_adjustments=True),
            cll.DamerauLevenshteinLevel(postal, 1).configure(label_for_charts="one typo"),
            cll.ExactMatchLevel(area).configure(label_for_charts="same area (UK outward code, else first three)"),
            cll.ElseLevel(),
        ]

    def create_output_column_name(self) -> str:
        return "postal_code"


class AddressComparison(ComparisonCreator):
    """Street part of the address (normalized; city is compared on its own).

    A different house number is a different home (a neighbour), so the
    similar-street levels are split by whether the numbers agree: exact ·
    same numbers and edit distance <= 2 · same numbers and Jaro-Winkler >= 0.8 ·
    one typo anywhere (a mistyped number) · similar street, other numbers ·
    postal codes of other areas, or other cities where a postal code is
    missing (a null level, `MovedElsewhereLevel`) · else."""

    def __init__(self):
        super().__init__({"address": "mk_address", "numbers": "mk_address_numbers"})

    def create_comparison_levels(self) -> List[ComparisonLevelCreator]:
        address, numbers = self.col_expressions["address"], self.col_expressions["numbers"]
        same_numbers = cll.ExactMatchLevel(numbers)
        return [
            cll.NullLevel(address),
            cll.ExactMatchLevel(address),
            cll.And(same_numbers, cll.DamerauLevenshteinLevel(address, 2)).configure(
                label_for_charts="same numbers, edit distance <= 2"
            ),
            cll.And(same_numbers, cll.JaroWinklerLevel(address, 0.8)).configure(
                label_for_charts="same numbers, Jaro-Winkler >= 0.8"
            ),
            cll.DamerauLevenshteinLevel(address, 1).configure(label_for_charts="one typo"),
            cll.JaroWinklerLevel(address, 0.9).configure(label_for_charts="similar street, other numbers"),
            MovedElsewhereLevel(city="mk_city"),
            cll.ElseLevel(),
        ]

    def create_output_column_name(self) -> str:
        return "address"


class CityComparison(ComparisonCreator):
    """City (with its prefecture/state): exact (term-frequency adjusted) · one
    typo or Jaro-Winkler >= 0.9 · postal codes of other areas (a null level,
    `MovedElsewhereLevel`) · same prefecture/state · else."""

    def __init__(self):
        super().__init__({"city": "mk_city", "prefecture": "mk_prefecture"})

    def create_comparison_levels(self) -> List[ComparisonLevelCreator]:
        city, prefecture = self.col_expressions["city"], self.col_expressions["prefecture"]
        return [
            cll.NullLevel(city),
            cll.ExactMatchLevel(city, term_frequency_adjustments=True),
            cll.Or(cll.DamerauLevenshteinLevel(city, 1), cll.JaroWinklerLevel(city, 0.9)).configure(
                label_for_charts="one typo or Jaro-Winkler >= 0.9"
            ),
            MovedElsewhereLevel(),
            cll.ExactMatchLevel(prefecture).configure(label_for_charts="same prefecture/state"),
            cll.ElseLevel(),
        ]

    def create_output_column_name(self) -> str:
        return "city"


class GenderComparison(ComparisonCreator):
    """Gender: same · different (a weak but real signal against namesakes)."""

    def __init__(self):
        super().__init__("std_gender")

    def create_comparison_levels(self) -> List[ComparisonLevelCreator]:
        c = self.col_expression
        return [cll.NullLevel(c), cll.ExactMatchLevel(c), cll.ElseLevel()]

    def create_output_column_name(self) -> str:
        return "gender"


NATIONAL_ID_SAME_BITS = 20.0
"""The weight of one national identifier on both records: set, not trained.
Two people share one only by a clerk's error (a parent's BVN keyed on a
child's account), rarer than one in a million random pairs; a name and a
birth date that both differ (-20 bits and more) can still hold the pair
back. Random pairs almost never share a number, so u sampling sees none
and EM, blocking on birth dates and names, weighed it by chance (+29.9
bits, the u floor, beside m 0.45 on a pan-African fintech's export)."""

NATIONAL_ID_OTHER_BITS = -13.0
"""The weight of two numbers of one lifetime kind (`LIFETIME_TYPES`): set,
not trained, about as strong as the floor of a level never seen among
matches (`probability_floor.M_PROBABILITY_FLOOR`, -13.3 bits, which the
built-in model's m must stay above): a typo that still passes a number's
checks is about one in ten thousand records. Agreement on two or
three other fields can still overcome it. EM, which finds its matches among
namesakes of one source, made it -0.9 bits on the same export."""


def _fixed(level: ComparisonLevelCreator, bits: float, u: float) -> ComparisonLevelCreator:
    """`level` weighing `bits`, with m and u fixed (neither estimated)."""
    return level.configure(m_probability=u * 2.0**bits, u_probability=u, fix_m_probability=True, fix_u_probability=True)


class NationalIdComparison(ComparisonCreator):
    """National identifier (`standardization.national_ids`): the same number
    (of the same kind, or of a kind one record does not know;
    NATIONAL_ID_SAME_BITS) · two numbers of one kind a person keeps for life
    (`LIFETIME_TYPES`), which say two people (NATIONAL_ID_OTHER_BITS) · else:
    numbers of other kinds, of a kind that is renewed (a passport) or not
    known (a null level: weighed by the other fields). A record without a
    usable number weighs nothing either way."""

    def __init__(self):
        super().__init__({"id": "std_national_id", "type": "std_national_id_type"})

    def create_comparison_levels(self) -> List[ComparisonLevelCreator]:
        number, kind = self.col_expressions["id"], self.col_expressions["type"]
        lifetime = f'"std_national_id_type_l" IN ({_sql_strings(LIFETIME_TYPES)})'
        same = cll.And(cll.ExactMatchLevel(number), cll.Or(cll.NullLevel(kind), cll.ExactMatchLevel(kind)))
        other = cll.And(cll.ExactMatchLevel(kind), cll.CustomLevel(lifetime))
        return [
            cll.NullLevel(number),
            _fixed(same, NATIONAL_ID_SAME_BITS, 0.5e-6).configure(label_for_charts="same number"),
            _fixed(other, NATIONAL_ID_OTHER_BITS, 0.5).configure(
                label_for_charts="two numbers of one kind a person keeps for life"
            ),
            cll.ElseLevel().configure(
                is_null_level=True, label_for_charts="numbers of other or renewed kinds (weighed by the other fields)"
            ),
        ]

    def create_output_column_name(self) -> str:
        return "national_id"
