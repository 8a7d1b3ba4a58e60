"""Family members are not one customer, and neither are neighbours.

People of one household share what a match model weighs most after the name:
the family name, the address with its postal code and city, the landline,
sometimes an email. Counted as independent evidence those outweigh a
different given name and a different birth date, and a mother and daughter
are linked. A pair whose given names and birth dates *both* disagree outright
(each comparison's lowest level, "all other comparisons": neither a typo, a
reading, a swap nor a near date) is two people, whatever else they share: it
is never linked and not offered for review. So is a pair whose family names
and birth dates both disagree outright: neighbours who share a given name
(two Justins of one street), where one person who changed her family name
on marrying keeps her birth date. And a pair whose family names disagree
outright needs a birth date, email or phone weighing for it: with only the
given name about the person (the other record has no birth date), the place
makes the score. (Held for a steward's review instead, such pairs were 96%
neighbours of one given name on the 1M-record benchmark: 2,882 pairs queued,
103 of them one customer.) Likewise a pair whose given names disagree
outright needs a birth date or an email weighing for it: the family name,
the address and the landline are the household's, and with one birth date
missing they linked a mother to her son. For the family and the given name,
"disagree outright" also covers a level the model weighs against the pair
(`NAME_PARTS`); it does not cover names that agree written together, nor a
given name and its nickname, nor an initial and the name it starts
(`_name_flags`).

A pair whose postal codes are of other areas (`MOVE` at its else level: one
of them moved, weighed once, by the postal code alone; or, with a postal code
missing, whose city weighs against it) needs a birth date or phone weighing
for it (`MOVE_EVIDENCE`) or the same email address (`MOVE_EMAIL`): a shared
name alone is a namesake's as easily in another town, and so is the same
mailbox at another provider. Without it, the pair is not linked but held for
a steward's review (`HELD_BY`): it may be one customer who moved.

Likewise a pair that agrees on nothing about the person - no name, birth
date, email or phone weighs for it (each is missing on one side or
disagrees) - rests on the place alone: a postal code that names one office
tower and a street in it make a strong score for two people who merely share
a building. It is never linked and not offered for review either. A
landline (`HOUSEHOLD_PHONE_TYPES`) is the home's, not the person's: a pair
that nothing but a shared landline identifies is not linked but held for
review (`HELD_BY` "landline"). A call-centre record whose name was not
parsed (`ﾊﾗﾀﾞｷｮｳﾍｲ`, no birth date), sharing only the home's landline and
town, linked to the son of the house and through him to his father (14 of
a Japanese export's 50 links of two people); it is one of the household,
which the full name tells a steward.

The household's evidence (family name, address, postal code, city) is one
fact about a home, not one about a person. A pair whose given names or
birth dates disagree outright - a father and his son of one name, twins -
is linked only if what is about the person (`PERSON_EVIDENCE`: given name,
birth date, email, phone, gender) weighs for it on balance: the model's own
weights, so that data where a birth date is often mistyped (FEBRL) weighs
another birth date lightly, and data where it is not weighs it heavily. A
landline is the home's, not the person's: a phone of a fixed-line type
(`HOUSEHOLD_PHONE_TYPES`) counts as nothing there, and neither does a mobile
that records of clearly different people carry (`family_phones`: one
mobile often serves a family in Southeast and South Asia and Latin America).
Given names that disagree outright with genders that do too are two people
(twins, a couple) whatever else they share. Given names that disagree
outright with no birth date weighing for the pair (a couple's family
mailbox and landline, one birth date missing) are never linked: such a pair
is held for review (`HELD_BY` "given_name"). So is one whose given names
disagree outright in one household (`_one_household`: the same street
address, the same phone, or the same family name at one postal code) with
neither an email nor a mobile weighing for it: twins share their birth date
with the address and the landline, and the birth date (+10.8 bits) outweighed
their other given names (-3.6 bits) on a UK/US/AU retailer's export, which
linked 27 of its 37 pairs of twins. The mirror: birth dates that disagree
outright (both present) in one household with neither an email nor a
mobile weighing for the pair (a mobile both carry is a family's:
`family_phones`) are held for review (`HELD_BY` "birth_date"):
a father and his son of one name (Germans, like most exports, write no
`Jr.`) share the address and the landline, and their exact given name
(+6.3 bits) outweighed the birth date (-5.6 bits, capped by
`probability_floor.BIRTH_DATE_M_CEILING`) on balance: a DACH utility's
export linked 42 of its 60 fathers and sons. A birth date mistyped beyond
a typo level is the same customer's all the same, which a steward tells.
A cluster that holds both records of such a held pair all the same
(chained through a call-centre record of their name and landline without a
birth date) is split at its weakest link (`held_apart`), and so is one that
holds two records of one name and home born apart whose own pair was never
kept (`born_apart`).

Two records whose generational suffixes differ (`NAME_SUFFIX`: `jr` and
`sr`, `ii` and `iii`) are two people, a father and his son of one name at one
address: never linked, not offered for review. A suffix on one record alone
says nothing (a form without the field), unless the birth dates disagree
outright too: a Brazilian father is `CAIO RODRIGUES ROCHA`, his son `CAIO
RODRIGUES ROCHA FILHO` (`Filho`, `Júnior`, `Neto`, `Sobrinho` are suffixes),
and they share name, address and phone.

A person and an organisation are never one customer (`PARTY`): a business's
record (`Kühn GmbH`, `Anrede = Firma`) shares the address, the landline and
the family name of its owner's household, and linked to them it joined the
household into one customer. Such a pair is never linked and not offered for
review. Two organisations are matched as any two records are.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

import polars as pl
from rapidfuzz.distance import JaroWinkler

from resolution.given_names import TABLED_GIVEN_NAME, initial_agrees, nicknames_agree
from resolution.match_keys import NAME_WORD_SEPARATOR
from resolution.row_matching import with_each_side
from resolution.standardization.national_ids import LIFETIME_TYPES

PAIR_RULES = "household+identifier+move+person+generation+party+born-apart+name-order+family-phone+national-id+middle-names+street-move+street-home+middle-names-apart/25"
"""The version of the rules here, recorded with every run: pairs kept from a
night scored under other rules were never filtered by these, so the next
night scores every pair again (once). Change it when a rule changes."""

PERSON_COMPARISONS = (("given_name", "birth_date"), ("family_name", "birth_date"), ("given_name", "gender"))
"""Comparisons whose joint outright disagreement tells two people apart who
share a home or a street (each pair of comparisons on its own)."""

EVIDENCE_DESPITE = {"family_name": ("birth_date", "email", "phone"), "given_name": ("birth_date", "email")}
"""When a comparison disagrees outright, one of its comparisons here must weigh
for a link. A shared given name beside a shared street or town is two
neighbours; a shared family name, address and phone are one household's."""

MOVE = "postal_code"
"""The comparison whose else level is a move: postal codes of other areas.
The city and street that differ with them are not weighed again (their
`comparisons.MovedElsewhereLevel`), so the move costs its weight once."""

MOVE_WITHOUT_POSTAL_CODE = "city"
"""Where a postal code is missing (`MOVE` at its null level, weight 0), the
comparison that weighs a move: another city (a level weighing against the
pair; the street that differs with it is not weighed again)."""

STREET = "address"
"""The comparison of the street address. At a level weighing for a pair it says
one home whatever the address keys (`_one_household_without_mobile`). Where
the postal codes agree or one is missing (`MOVE` weighs no move), it weighs
a move within one town: another street address, at a level the model weighs
against the pair (another street, or the same street with other house
numbers). A shared name there, with the postal code and the city, is a
namesake's as easily: on a Baltic loyalty export and a Russian CRM, `Līga
Ozola` of Elizabetes iela 58 and of 86, one birth date missing and other
mobiles, linked at p 0.94 (the name, postal code and city, +18.8 bits,
against another street address and another mobile, -5.6); such pairs were 47
of the CIS tester's 69 false links, and none of its true ones. Where the
postal codes are of other areas the street is at its null level
(`comparisons.MovedElsewhereLevel`), so a move is not counted twice.

Only where a contact of the person weighs against the pair
(`CONTACTS_APART`: other phones or other emails, both given): FEBRL's
duplicates, with no phone or email to tell, carry a corrupted street and
birth date beside their name and town often enough: held without it, 31 of
FEBRL4's true pairs (and 2 false ones) were, F1 0.9892 to 0.9864."""

CONTACTS_APART = ("phone", "email")
"""Comparisons of which one weighing against a pair at another street
address in one town (`STREET`) makes it a move to confirm."""

MOVE_EVIDENCE = ("birth_date", "phone")
"""A pair at `MOVE`'s else level needs one of these weighing for it, or the
same email (`MOVE_EMAIL`)."""

MOVE_EMAIL = "std_email"
"""The record column whose equal values confirm a move (told from the records
scored). Another level of the email comparison weighing for the pair does
not: a mailbox that spells the name (`richard.gordon@`) at another provider
is a namesake's as easily as the customer's. Without the records, any email
level weighing for the pair does."""

IDENTIFIER_COMPARISONS = ("family_name", "given_name", "birth_date", "email", "phone")

PERSON_EVIDENCE = ("given_name", "birth_date", "email", "phone", "gender")
"""The comparisons about the person whose match weights, summed, must weigh
for a pair whose given names or birth dates disagree outright (`ON_BALANCE`).
The phone counts only when it is the person's (`HOUSEHOLD_PHONE_TYPES`)."""

PHONE_TYPE = "std_phone_type"
HOUSEHOLD_PHONE_TYPES = ("fixed_line",)
"""Phone types (the records' `PHONE_TYPE`, phonenumbers' number type) that
are a home's, not a person's: a landline shared by a father and his son of
one name weighed +10.7 bits for them in `PERSON_EVIDENCE` on a Western
export. A pair whose phone comparison weighs for it while either record's
number is of these types counts the phone as 0 there. A mobile (JP 090,
080, 070) stays the person's, unless records of clearly different people
carry it (`family_phones`), and so does a number whose plan does not tell
mobile from fixed (`other`: US, Canada), or one of unknown type."""

ON_BALANCE = ("given_name", "birth_date")
"""Comparisons whose outright disagreement asks `PERSON_EVIDENCE` to weigh for the pair."""
"""The comparisons about the person rather than the place: one of them must weigh for a link."""

NAME_SUFFIX = "std_name_suffix"
"""The record column of a Latin name's generational suffix (`jr`, `sr`, `ii`
...): two records whose values differ are never linked (`_other_generations`)."""

HOUSEHOLD_COLUMNS = ("mk_address", "std_phone", "mk_family_roman", "std_postal_code")
"""The record columns `_one_household` reads: the same street address, the
same phone, or the same family name at one postal code. The family name is
its romanized key: a web form's romaji record (`inoue`) is of the household
of one written in kanji (`井上`); compared as written, twins of whom one
wrote in romaji were of no household and linked."""

MOBILE_PHONE_TYPES = ("mobile",)
"""Phone types that are the person's beyond doubt: in one household, a phone
of another type (a US number, whose plan does not tell mobile from fixed)
may be the home's, and only a shared mobile or email links two given names
that disagree outright there."""

FAMILY_PHONE = "std_phone"
"""The record column whose number, carried by records of two clearly
different people (`family_phones`), is the household's and not a person's."""

FAMILY_PHONE_MAX_RECORDS = 50
"""The most records of one number whose pairs `family_phones` compares: a
number carried by more (a shop's, a placeholder) is no one person's and is
taken as shared without comparing them (and without a join that grows with
the square of its records)."""

_INTERMEDIATE = r"^(mw|mw_tf_adj|tf|gamma|bf)_.*$"
"""Splink's per-comparison columns of a prediction (match weights, term frequencies)."""


INITIAL_KEY = "mk_given_roman"
"""The record column whose initial agreement (`given_names.initial_agrees`) is no disagreement."""

WRITTEN_NAMES = ("std_family_name", "std_given_name")
WRITTEN_FULL_NAME = "std_full_name"
"""The record columns `_name_flags` reads, from the records scored (not
carried on every candidate pair through Splink: that cost 0.3-0.45 GB of peak
memory at 1M records)."""


def scoring_settings(settings: dict[str, Any]) -> dict[str, Any]:
    """`settings` (a saved model's) for scoring: Splink keeps each
    comparison's match weight (`mw_<comparison>`), which tells its level."""
    return {**settings, "retain_intermediate_calculation_columns": True}


def _else_weight(comparison: dict[str, Any]) -> float | None:
    """The match weight of the comparison's else level, when no other level has
    the same weight (else the level cannot be told from the weight)."""
    levels = [lv for lv in comparison.get("comparison_levels", []) if not lv.get("is_null_level")]
    weights = []
    for level in levels:
        m, u = level.get("m_probability"), level.get("u_probability")
        weights.append(math.log2(m / u) if m and u else None)
    if not levels or str(levels[-1].get("sql_condition", "")).strip().upper() != "ELSE" or weights[-1] is None:
        return None
    if any(w is not None and abs(w - weights[-1]) < 1e-9 for w in weights[:-1]):
        return None
    return weights[-1]


def _at_else_level(name: str, by_name: dict[str, dict[str, Any]], columns: list[str]) -> pl.Expr | None:
    """True where a pair's comparison `name` is at its else level (told by its
    match weight `mw_<name>`); None when the model lacks the comparison, its
    else level cannot be told from its weight, or the pairs lack the weight."""
    weight = _else_weight(by_name[name]) if name in by_name else None
    if weight is None or f"mw_{name}" not in columns:
        return None
    return (pl.col(f"mw_{name}") - weight).abs() < 1e-9


def _name_flags(held: pl.DataFrame, records: pl.DataFrame | None) -> pl.DataFrame:
    """The `held` pairs (`_row`, record keys) with two flags from the scored
    `records` (by record key; both False without the records or their names):
    - `_split_elsewhere`: the names differ only in where the full name was
      split into family and given name (`西 口修樹` and `西口 修樹`, an
      unspaced full name split by a dictionary that lacked one of them):
      written together (`WRITTEN_NAMES`, in either order: `和一 小垣` and
      `小垣 和一`; or as the full names `WRITTEN_FULL_NAME` where one part
      is missing) they agree, or their words (`NAME_WORDS`) are the same
      set (`GEORGE KIMANI KARANJA`, `KARANJA GEORGE KIMANI`: a Kenyan
      export writes a name in any order; of one birth date and P.O. box,
      the pair was held as twins once the street comparison told one
      household), so neither part disagrees about the person;
    - `_nickname`: one given name is a nickname of the other, or both of one
      name (`bob`, `robert`; `given_names.nicknames_agree`), or forms of
      one name in Russian, Ukrainian or Belarusian or their Latin spellings
      (`алексей`, `олексій`, `oleksii`), or one is the
      other's initial (`r`, `ryan`, on the romanized key `INITIAL_KEY`:
      `given_names.initial_agrees`): the given name does not disagree."""
    if records is None or not held.height or not set(WRITTEN_NAMES) <= set(records.columns):
        return held.with_columns(_split_elsewhere=pl.lit(False), _nickname=pl.lit(False))
    middle_apart = pl.col(MIDDLE_APART) if MIDDLE_APART in held.columns else pl.lit(False)
    full = pl.col(WRITTEN_FULL_NAME) if WRITTEN_FULL_NAME in records.columns else pl.lit(None, dtype=pl.Utf8)
    initial = pl.col(INITIAL_KEY) if INITIAL_KEY in records.columns else pl.lit(None, dtype=pl.Utf8)
    words = pl.col(NAME_WORDS) if NAME_WORDS in records.columns else pl.lit(None, dtype=pl.Utf8)
    held = with_each_side(
        held, records, _written=pl.concat_str(WRITTEN_NAMES), _swapped=pl.concat_str(WRITTEN_NAMES[::-1]), _full=full,
        _given=pl.col("std_given_name"), _initial=initial, _words=words,
    )
    tabled = pl.all_horizontal(pl.col(f"_given_{side}").str.contains(TABLED_GIVEN_NAME) for side in "lr")
    names = held.filter(tabled.fill_null(False)).select("_given_l", "_given_r").unique()  # a Python call per distinct pair
    names = names.with_columns(
        _nickname=pl.Series(
            [nicknames_agree(left, right) for left, right in names.iter_rows()], dtype=pl.Boolean
        )
    )
    return held.join(names, on=["_given_l", "_given_r"], how="left", nulls_equal=False).with_columns(
        _split_elsewhere=pl.any_horizontal(
            pl.col("_written_l") == pl.col("_written_r"), pl.col("_written_l") == pl.col("_swapped_r"), pl.col("_full_l") == pl.col("_full_r"),
            pl.col("_words_l") == pl.col("_words_r"),
        ).fill_null(False) & ~middle_apart.fill_null(False),
        _nickname=(pl.col("_nickname") | initial_agrees(pl.col("_initial_l"), pl.col("_initial_r"))).fill_null(False),
    )


NAME_PARTS = ("family_name", "given_name")
"""Comparisons for which a level the model weighs against the pair disagrees
as the else level does. Romanized Japanese given names that a loose level
calls similar are other names (hiroshi/hiroko, yuko/yoko: Jaro-Winkler 0.85),
and a model trained on Japanese records weighs such levels against a match;
one trained on typo-ridden Latin names weighs them for it, and they stay
agreements there."""


def _disagrees(name: str, by_name: dict[str, dict[str, Any]], columns: list[str]) -> pl.Expr | None:
    """True where a pair's comparison `name` disagrees outright: at its else
    level (`_at_else_level`), or, for a name part (`NAME_PARTS`), at any level
    with a negative match weight, or, for the given name, where the pairs'
    `GIVEN_APART` is true (`_with_given_names_apart`). None where
    `_at_else_level` is None."""
    at_else = _at_else_level(name, by_name, columns)
    if name not in NAME_PARTS or at_else is None:
        return at_else
    if name == "given_name" and GIVEN_APART in columns:
        return at_else | (pl.col(f"mw_{name}") < 0) | pl.col(GIVEN_APART)
    return at_else | (pl.col(f"mw_{name}") < 0)


GIVEN_APART = "_given_apart"

SHORT_GIVEN_NAME = 3
"""The most letters of a romanized given name (`mk_given_roman`) that leave
little room for a typo: two such names that differ are two names when their
birth dates agree (twins: `mai` and `ai`, `yu` and `yui`, `tom` and `tim`)
or both are kana readings (`KANA_READING`: マイ and アイ differ by a syllable,
not a letter), though one edit apart puts them at the given-name
comparison's typo level, which weighs for a pair (+0.9 bits on a Japanese
export: twins 舞 and 愛 of one birth date, address and landline were
linked, and a call-centre record of one, in kana without a birth date, to
the other). Latin names without the birth date agreeing may be a typo
(FEBRL's `pia` and `pai`, `ben` and `bwn`, no birth date on one side),
which a rule must not drop. An initial (one letter) is no such name."""

KANA_READING = r"^[\p{Katakana}\p{Hiragana}ー]+$"
"""A given name's reading key (`mk_given`) that is kana: the record holds its reading."""

KANJI_NAME = r"^\p{Han}+$"
"""A given name written in kanji alone: two such names written otherwise
and of other readings (舞 and 愛, 優花 and 優奈: twins) are two names,
whatever level their romanized readings meet at. An input method writes a
name from its reading, so a kanji name mistyped is one of the same reading
(裕子, 祐子; 一郎, 一朗), which its reading, romanized, still matches."""

GIVEN_FORMS = {"_written": "std_given_name", "_reading": "mk_given", "_roman": "mk_given_roman", "_alt": "mk_given_alt"}
"""The record columns `_with_given_names_apart` reads: the given name's forms
that the comparison's exact levels compare."""


def _exact_weights(comparison: dict[str, Any]) -> list[float]:
    """The match weights of the comparison's levels that are one column's
    exact match (`"c_l" = "c_r"`): a pair at one of them agrees in that form."""
    exact = re.compile(r'^"?(\w+)_l"? = "?\1_r"?$')
    return [
        math.log2(level["m_probability"] / level["u_probability"])
        for level in comparison.get("comparison_levels", [])
        if exact.match(str(level.get("sql_condition", "")).strip()) and level.get("m_probability") and level.get("u_probability")
    ]


MIDDLE_APART = "_middle_apart"
"""True where a pair's given names are apart by their middle names (`_middle_names_level`):
their written names agree, and no name flag of `_name_flags` says they are one name split otherwise."""

MIDDLE_NAMES_KEY = "mk_middle_names"
"""The match key of the given-name comparison's level of one first given
name with other middle names (`comparisons.MiddleNamesDisagreeLevel`)."""


def _middle_names_level(comparison: dict[str, Any]) -> pl.Expr | None:
    """True where a pair's given-name comparison is at its level of other
    middle names (told by its match weight, `mw_given_name`, as
    `_at_else_level` tells the else level); None without the level or
    where another level weighs the same."""
    weights = [
        (MIDDLE_NAMES_KEY in str(level.get("sql_condition", "")), math.log2(m / u))
        for level in comparison.get("comparison_levels", [])
        if (m := level.get("m_probability")) and (u := level.get("u_probability"))
    ]
    middle = [w for at, w in weights if at]
    if len(middle) != 1 or sum(abs(w - middle[0]) < 1e-9 for _, w in weights) > 1:
        return None
    return (pl.col("mw_given_name") - middle[0]).abs() < 1e-9


def _with_given_names_apart(marked: pl.DataFrame, by_name: dict[str, dict[str, Any]], records: pl.DataFrame | None) -> pl.DataFrame:
    """`marked` (with `_row`) with `GIVEN_APART`: true where the given-name
    comparison is at its level of one first given name with other middle
    names that both records carry (`_middle_names_level`: `Gbenga
    Oluwatobi`, `Gbenga Segun`, a father and his son: of 110 such pairs of
    the African fintech tester's records none was one person, while EM
    weighed the level for a match, +5.1 bits, as a first given name agreeing
    is rare among random pairs), or where the given-name
    comparison weighs for a pair, at none of its exact levels, while the
    records' given names are two names: of at most `SHORT_GIVEN_NAME` (and
    two or more) letters romanized with birth dates weighing for the pair
    or both read in kana, or both in kanji (`KANJI_NAME`), and equal in none of their forms (`GIVEN_FORMS`:
    written, reading, romanized, or one's spelling in its own language the
    other's). False without `records` or their columns; only the pairs
    asked have their records read."""
    weight = pl.col("mw_given_name")
    if "mw_given_name" not in marked.columns:
        return marked.with_columns(pl.lit(False).alias(GIVEN_APART), pl.lit(False).alias(MIDDLE_APART))
    middle = _middle_names_level(by_name.get("given_name", {}))
    marked = marked.with_columns((middle.fill_null(False) if middle is not None else pl.lit(False)).alias(MIDDLE_APART))
    apart_middle = pl.col(MIDDLE_APART)
    if records is None or not set(GIVEN_FORMS.values()) <= set(records.columns):
        return marked.with_columns(apart_middle.alias(GIVEN_APART))
    exact = [(weight - w).abs() < 1e-9 for w in _exact_weights(by_name.get("given_name", {}))]
    asked = marked.filter(((weight > 0) & ~pl.any_horizontal(exact) if exact else weight > 0).fill_null(False))
    born = (pl.col("mw_birth_date") > 0) if "mw_birth_date" in marked.columns else pl.lit(False)
    asked = asked.select("_row", "record_key_l", "record_key_r", born.fill_null(False).alias("_born"))
    sides = with_each_side(asked, records, **{k: pl.col(v) for k, v in GIVEN_FORMS.items()})

    def side(form: str, s: str) -> pl.Expr:
        return pl.col(f"{form}_{s}")

    one_form = pl.any_horizontal(
        *(side(form, "l") == side(form, "r") for form in GIVEN_FORMS),
        side("_roman", "l") == side("_alt", "r"),
        side("_alt", "l") == side("_roman", "r"),
    ).fill_null(False)
    read = pl.all_horizontal(side("_reading", s).str.contains(KANA_READING) for s in "lr")
    short = (pl.col("_born") | read) & pl.all_horizontal(side("_roman", s).str.len_chars().is_between(2, SHORT_GIVEN_NAME) for s in "lr")
    kanji = pl.all_horizontal(side("_written", s).str.contains(KANJI_NAME) for s in "lr")
    apart = sides.filter(~one_form & (short | kanji).fill_null(False))["_row"]
    return marked.with_columns((pl.col("_row").is_in(apart.implode()) | apart_middle).alias(GIVEN_APART))


def _lacking(evidence: tuple[str, ...], where: pl.Expr, columns: list[str]) -> pl.Expr:
    """True `where` none of the `evidence` comparisons weighs for the pair
    (a positive match weight; a comparison the pairs lack weighs nothing)."""
    weighing = [pl.col(f"mw_{name}").fill_null(0.0) > 0 for name in evidence if f"mw_{name}" in columns]
    return where & ~pl.any_horizontal(weighing) if weighing else where


def _unconfirmed_moves(pairs: pl.DataFrame, by_name: dict[str, dict[str, Any]], records: pl.DataFrame | None) -> pl.Series:
    """The `_row`s of `pairs` at `MOVE`'s else level (or, with `MOVE` at its
    null level, whose `MOVE_WITHOUT_POSTAL_CODE` weighs against them), or
    whose `STREET` weighs against them (another street address)
    with a comparison of `CONTACTS_APART` weighing against them too, that
    none of `MOVE_EVIDENCE` weighs for and whose records' `MOVE_EMAIL` differ (or,
    without `records` or the column, whose email comparison does not weigh
    for them)."""
    moves = []
    elsewhere = _at_else_level(MOVE, by_name, pairs.columns)
    if elsewhere is not None:
        if f"mw_{MOVE_WITHOUT_POSTAL_CODE}" in pairs.columns:
            elsewhere = elsewhere | ((pl.col(f"mw_{MOVE}") == 0) & (pl.col(f"mw_{MOVE_WITHOUT_POSTAL_CODE}") < 0))
        moves.append(elsewhere)
    contacts_apart = [pl.col(f"mw_{name}") < 0 for name in CONTACTS_APART if f"mw_{name}" in pairs.columns]
    if f"mw_{STREET}" in pairs.columns and contacts_apart:
        moves.append((pl.col(f"mw_{STREET}") < 0) & pl.any_horizontal(contacts_apart))
    if not pairs.height or not moves:
        return pairs["_row"].clear()
    moved = pl.any_horizontal(moves)
    if records is None or MOVE_EMAIL not in records.columns:
        return pairs.filter(_lacking((*MOVE_EVIDENCE, "email"), moved, pairs.columns).fill_null(False))["_row"]
    unconfirmed = _lacking(MOVE_EVIDENCE, moved, pairs.columns).fill_null(False)
    held = pairs.filter(unconfirmed).select("_row", "record_key_l", "record_key_r")
    held = with_each_side(held, records, _email=pl.col(MOVE_EMAIL))
    return held.filter(~(pl.col("_email_l") == pl.col("_email_r")).fill_null(False))["_row"]


def family_phones(records: pl.DataFrame, numbers: pl.Series | None = None) -> pl.Series:
    """The numbers (`FAMILY_PHONE`) of `records` that two records of clearly
    different people carry: birth dates that disagree outright
    (`_birth_dates_outright`: other years, not a typo), whatever their given
    names (a father and his son of one name), or more than
    `FAMILY_PHONE_MAX_RECORDS` records.

    One mobile often serves a family (Southeast and South Asia, Latin
    America, elderly parents anywhere): its number is then the household's,
    as a landline is (`HOUSEHOLD_PHONE_TYPES`). Weighed as the person's, it
    linked a father and his son of one name and a father and his son a
    letter apart (Bình and Vinh) on a Southeast Asian e-wallet's export:
    the mobile outweighed their birth dates, and exempted them from the
    rules that hold one household's pairs (`_one_household_without_mobile`,
    `born_apart`). The records show the family: a mother and her son on the
    number, or a father and his son of one name (whose pair the household
    rules take for two people already, unless a contact of the person's
    weighs for it: the mobile no longer does). One customer's records on
    their own number differ in a typo of the birth date, rarely in years
    beyond one.
    A number that only a couple born in one year carry is not told (p 0.9996
    for Rosario and Jericho of one family name, address and mobile, born 13
    days apart): their pair is no such evidence, and a customer's records
    whose given names were written otherwise (in another script, another
    romanization) share the mobile and the birth year as readily. Empty
    without the columns. `numbers`: only those are asked about (a number's
    records alone tell it; a night's pairs name a few of a million records'
    numbers, and the whole base took 0.7 s)."""
    if not {FAMILY_PHONE, BIRTH_DATE_KEY} <= set(records.columns):
        return pl.Series(FAMILY_PHONE, [], dtype=pl.Utf8)
    if numbers is not None:
        records = records.filter(pl.col(FAMILY_PHONE).is_in(numbers.drop_nulls().unique().implode()))
    carried = records.select(FAMILY_PHONE, _born=pl.col(BIRTH_DATE_KEY)).drop_nulls(FAMILY_PHONE)
    carried = carried.with_columns(_carriers=pl.len().over(FAMILY_PHONE)).filter(pl.col("_carriers") > 1)
    crowded = carried.filter(pl.col("_carriers") > FAMILY_PHONE_MAX_RECORDS)[FAMILY_PHONE].unique()
    people = carried.filter(pl.col("_carriers") <= FAMILY_PHONE_MAX_RECORDS).drop_nulls("_born").with_row_index("_i")
    both = people.join(people, on=FAMILY_PHONE, suffix="_r").filter(pl.col("_i") < pl.col("_i_r"))
    # most records sharing a number are one customer's, of one birth year: those go at one comparison before the
    # outright test's ten (1.3 s -> 0.3 s for a million records on 650,000 numbers)
    both = both.filter(pl.col("_born").str.slice(0, 4) != pl.col("_born_r").str.slice(0, 4))
    apart = both.filter(_birth_dates_outright(pl.col("_born"), pl.col("_born_r")))
    return pl.concat([crowded, apart[FAMILY_PHONE].unique()]).unique()


_PERSON_PHONE = "_person_phone"


def _with_person_phone(marked: pl.DataFrame, by_name: dict[str, dict[str, Any]], records: pl.DataFrame | None) -> pl.DataFrame:
    """`marked` (with `_row`) with `_PERSON_PHONE`: the phone's match weight
    as `PERSON_EVIDENCE` and the identifier rule count it, 0 where the phone
    weighs for a pair that an `ON_BALANCE` comparison disagrees about, or
    that no other of `IDENTIFIER_COMPARISONS` weighs for, and either
    record's number is of `HOUSEHOLD_PHONE_TYPES` or a family's
    (`family_phones` of `records`), told from `records`; without them, or
    their `PHONE_TYPE`, the weight as it is. Only those pairs' records are
    read (and, where there are such pairs, the numbers of all `records`)."""
    if "mw_phone" not in marked.columns:
        return marked.with_columns(pl.lit(0.0).alias(_PERSON_PHONE))
    weight = pl.col("mw_phone")
    rules = [rule for name in ON_BALANCE if (rule := _disagrees(name, by_name, marked.columns)) is not None]
    others = [pl.col(f"mw_{name}").fill_null(0.0) > 0 for name in IDENTIFIER_COMPARISONS if name != "phone" and f"mw_{name}" in marked.columns]
    rules.append(~pl.any_horizontal(others) if others else pl.lit(True))  # the phone alone says the pair is one person
    if records is None or PHONE_TYPE not in records.columns or not marked.height:
        return marked.with_columns(weight.alias(_PERSON_PHONE))
    asked = marked.filter((pl.any_horizontal(rules) & (weight > 0)).fill_null(False)).select("_row", "record_key_l", "record_key_r")
    number = pl.col(FAMILY_PHONE) if FAMILY_PHONE in records.columns else pl.lit(None, dtype=pl.Utf8)
    asked = with_each_side(asked, records, _phone_type=pl.col(PHONE_TYPE), _number=number)
    numbers = pl.concat([asked["_number_l"], asked["_number_r"]])
    family = family_phones(records, numbers).implode() if asked.height else pl.lit([], dtype=pl.List(pl.Utf8))
    household = asked.filter(
        pl.any_horizontal(
            *(pl.col(f"_phone_type_{side}").is_in(HOUSEHOLD_PHONE_TYPES) for side in "lr"),
            *(pl.col(f"_number_{side}").is_in(family) for side in "lr"),
        ).fill_null(False)
    )["_row"]
    return marked.with_columns(
        pl.when(pl.col("_row").is_in(household.implode())).then(pl.lit(0.0)).otherwise(weight).alias(_PERSON_PHONE)
    )


def _other_generations(pairs: pl.DataFrame, records: pl.DataFrame | None, dates_apart: pl.Expr | None = None) -> pl.Series:
    """The `_row`s of `pairs` whose records both carry a `NAME_SUFFIX` and
    carry other ones (`jr` and `sr`), or of which one record carries one and
    the other none where `dates_apart` (their birth dates disagree
    outright): `CAIO ROCHA` and `CAIO ROCHA FILHO`, a Brazilian father
    never writes a suffix. Only the pairs with a suffixed record are looked
    at (few: a suffix is rare)."""
    if records is None or NAME_SUFFIX not in records.columns or not pairs.height:
        return pairs["_row"].clear()
    suffixed = records.filter(pl.col(NAME_SUFFIX).is_not_null()).select("record_key", NAME_SUFFIX)
    keys = suffixed["record_key"].implode()
    either = pairs.filter(pl.col("record_key_l").is_in(keys) | pl.col("record_key_r").is_in(keys))
    apart = (dates_apart if dates_apart is not None else pl.lit(False)).fill_null(False).alias("_dates_apart")
    either = with_each_side(either.select("_row", "record_key_l", "record_key_r", apart), suffixed, _suffix=pl.col(NAME_SUFFIX))
    one_only = pl.col("_suffix_l").is_null() | pl.col("_suffix_r").is_null()
    return either.filter(pl.when(one_only).then(pl.col("_dates_apart")).otherwise(pl.col("_suffix_l") != pl.col("_suffix_r")))["_row"]


PARTY = "std_party"
"""The record column telling a `person` from an `organisation`
(`standardization.organisations`): a pair of one of each is never linked
(`_person_and_organisation`). A record that is neither (null: a family name
alone) may pair with either."""


def _person_and_organisation(pairs: pl.DataFrame, records: pl.DataFrame | None) -> pl.Series:
    """The `_row`s of `pairs` of a `person` and an `organisation` record
    (`PARTY` of `records`). Only the pairs with an organisation's record are
    looked at (few)."""
    if records is None or PARTY not in records.columns or not pairs.height:
        return pairs["_row"].clear()
    organisations = records.filter(pl.col(PARTY) == "organisation")["record_key"].implode()
    either = pairs.filter(pl.col("record_key_l").is_in(organisations) | pl.col("record_key_r").is_in(organisations))
    either = with_each_side(either.select("_row", "record_key_l", "record_key_r"), records, _party=pl.col(PARTY))
    # one side is an organisation's: the other is of another party when it is of one at all
    return either.filter((pl.col("_party_l") != pl.col("_party_r")).fill_null(False))["_row"]


NAME_ORDER_EVIDENCE = ("birth_date", "email", "phone")
"""What must weigh for a pair whose names agree only in the other order
(`_swapped_without_evidence`); the phone as the person's (a landline is the
home's)."""


def _swapped_without_evidence(pairs: pl.DataFrame, records: pl.DataFrame | None) -> pl.Series:
    """The `_row`s of `pairs` (with `_PERSON_PHONE`) whose records' names
    agree only written in the other order - one's romanized family name is
    the other's given name and the other way round, and the family names
    differ - with none of `NAME_ORDER_EVIDENCE` weighing for them. Names of a
    people that writes them in either order are as often namesakes as one
    customer: `Hung Le` and `Le Hung` of one town and nothing else about the
    person linked at p 0.925 once the swap level asked both names swapped,
    and so did `Thomas James` and `James Thomas` (foreign residents in Japan
    0.9658 -> 0.9427, a UK/US/AU retailer 0.9561 -> 0.9457). One customer
    whose form swapped the fields shares a birth date, email or mobile with
    the rest of their records. Only the pairs nothing of those weighs for
    are looked up (few). A model that compares no email or phone (FEBRL's
    exports have none, and a swapped duplicate there with a mistyped birth
    date has nothing else to show: F1 0.9890 -> 0.9881) holds none, as
    `_born_apart_at_home`. Names whose words agree only as a set (the same
    words in another order, or one record's among the other's: `KARANJA
    MARGARET NJOKI`, `Margaret` / `Karanja`; `match_keys.mk_name_words`),
    both parts differing, are held alike: a Kenyan export writes names in
    any order."""
    roman = ("mk_family_roman", "mk_given_roman")
    contact = any(f"mw_{name}" in pairs.columns for name in ("email", "phone"))
    if records is None or not pairs.height or not contact or any(c not in records.columns for c in roman):
        return pairs["_row"].clear()
    weighing = [
        pl.col(_PERSON_PHONE if name == "phone" else f"mw_{name}").fill_null(0.0) > 0
        for name in NAME_ORDER_EVIDENCE
        if f"mw_{name}" in pairs.columns
    ]
    bare = pairs.filter(~pl.any_horizontal(weighing)) if weighing else pairs
    words = pl.col(NAME_WORDS) if NAME_WORDS in records.columns else pl.lit(None, dtype=pl.Utf8)
    sides = with_each_side(
        bare.select("_row", "record_key_l", "record_key_r"),
        records,
        _f=pl.col(roman[0]),
        _g=pl.col(roman[1]),
        _w=words.str.split(NAME_WORD_SEPARATOR),
    )
    swapped = (pl.col("_f_l") == pl.col("_g_r")) & (pl.col("_g_l") == pl.col("_f_r")) & (pl.col("_f_l") != pl.col("_f_r"))
    left, right = pl.col("_w_l"), pl.col("_w_r")
    within = (left.list.set_difference(right).list.len() == 0) | (right.list.set_difference(left).list.len() == 0)
    as_words = within & (pl.col("_f_l") != pl.col("_f_r")) & (pl.col("_g_l") != pl.col("_g_r"))
    return sides.filter((swapped | as_words).fill_null(False))["_row"]


NAME_WORDS = "mk_name_words"
"""The record column of a name's words (`match_keys.mk_name_words`) `_swapped_without_evidence` reads."""


GENERATIONS_APART = "generations_apart"
"""The `steward` of the cannot-links `generations_apart` makes: the pair rules, not a person."""


def generations_apart(clusters: pl.DataFrame, records: pl.DataFrame) -> pl.DataFrame:
    """Cannot-links (`steward_decisions.DECISION_SCHEMA` columns, steward
    `GENERATIONS_APART`) between each two records of one cluster of
    `clusters` (`record_key`, `cluster_id`) whose `records` carry other
    `NAME_SUFFIX`es. The pair rules never link a `jr` to an `sr` record, but
    the son's and the father's records of a source without a suffix (a web
    form's first and last name) share name and address and link to both:
    the cluster then holds both generations, and is split at its weakest link
    (`steward_decisions.apply_decisions`). One row per two distinct suffixes'
    records, at most a few per such cluster."""
    if NAME_SUFFIX not in records.columns:
        return _cannot_links(pl.DataFrame(schema=dict.fromkeys(("record_key_l", "record_key_r"), pl.Utf8)), "")
    suffixed = clusters.select("record_key", pl.col("cluster_id").cast(pl.Utf8)).join(
        records.filter(pl.col(NAME_SUFFIX).is_not_null()).select("record_key", NAME_SUFFIX), on="record_key"
    )
    mixed = suffixed.filter(pl.col(NAME_SUFFIX).n_unique().over("cluster_id") > 1)
    pairs = mixed.join(mixed, on="cluster_id", suffix="_r").filter(
        (pl.col(NAME_SUFFIX) != pl.col(f"{NAME_SUFFIX}_r")) & (pl.col("record_key") < pl.col("record_key_r"))
    )
    return _cannot_links(pairs.select(record_key_l="record_key", record_key_r="record_key_r"), "other generational name suffixes")


NATIONAL_ID = "std_national_id"
NATIONAL_ID_TYPE = "std_national_id_type"


def national_ids_apart(clusters: pl.DataFrame, records: pl.DataFrame) -> pl.DataFrame:
    """Cannot-links (as `generations_apart`'s, steward `GENERATIONS_APART`)
    between each two records of one cluster of `clusters` (`record_key`,
    `cluster_id`) whose `records` carry other national identifiers of one
    kind a person keeps for life (`national_ids.LIFETIME_TYPES`): two
    people. Their own pair weighs against them (-13 bits), but twins of one
    family mobile, address and birth date, or a mother and daughter joined
    through a record without a number, still ended in one golden record
    (6 of a pan-African fintech's 16 false links left on night 2). The
    cluster is split at its weakest link. Empty without the records' columns."""
    if not {NATIONAL_ID, NATIONAL_ID_TYPE} <= set(records.columns):
        return _cannot_links(pl.DataFrame(schema=dict.fromkeys(("record_key_l", "record_key_r"), pl.Utf8)), "")
    numbered = clusters.select("record_key", pl.col("cluster_id").cast(pl.Utf8)).join(
        records.filter(pl.col(NATIONAL_ID_TYPE).is_in(LIFETIME_TYPES)).select("record_key", NATIONAL_ID, NATIONAL_ID_TYPE),
        on="record_key",
    )
    mixed = numbered.filter(pl.col(NATIONAL_ID).n_unique().over("cluster_id", NATIONAL_ID_TYPE) > 1)
    pairs = mixed.join(mixed, on=["cluster_id", NATIONAL_ID_TYPE], suffix="_r").filter(
        (pl.col(NATIONAL_ID) != pl.col(f"{NATIONAL_ID}_r")) & (pl.col("record_key") < pl.col("record_key_r"))
    )
    return _cannot_links(pairs.select(record_key_l="record_key", record_key_r="record_key_r"), "other national identifiers")


MIDDLE_NAMES_JARO_WINKLER = 0.9
"""Middle names at least this alike (Jaro-Winkler of the joined words) are one
typo apart, not other names: the threshold of `comparisons.MiddleNamesDisagreeLevel`."""


def middle_names_apart(
    clusters: pl.DataFrame, records: pl.DataFrame, pairs: pl.DataFrame, *, link_threshold: float
) -> pl.DataFrame:
    """Cannot-links (as `generations_apart`'s, steward `GENERATIONS_APART`)
    between each two records of one cluster of `clusters` (`record_key`,
    `cluster_id`) of one name (`BORN_APART_NAME`) whose middle names
    (`MIDDLE_NAMES_KEY`) disagree as `comparisons.MiddleNamesDisagreeLevel`
    tells: none of one's middle names among the other's words
    (`NAME_WORDS`) and the two less alike than `MIDDLE_NAMES_JARO_WINKLER`.
    Their own pair is kept apart (`GIVEN_APART`), but a father and his son
    of one name and home, `Зайцев Алексей Михайлович` and `Зайцев Алексей
    Алексеевич` of a CRM, both linked to a shop's records of the name
    without a patronymic (`Олексій Зайцев`), which say nothing: 6 of the 10
    such false pairs of the CIS/Baltic tester's night 2 (the other 4 are of
    records without one). The cluster is split at
    its weakest link. Not two records that `pairs` link directly at
    `link_threshold` (`links`): the pair rules let a birth date or email
    weighing for them outweigh their given names (`AMNA BINT MUHAMMAD AL
    NUAIMI` and `AMNA MOHAMMED AL NUAIMI`, one woman of a South Asian
    tester's set, a nasab written two ways), as `born_apart` spares such a
    pair. Record keys in order; empty without the records' columns."""
    name = list(BORN_APART_NAME)
    if not {*name, MIDDLE_NAMES_KEY, NAME_WORDS} <= set(records.columns):
        return _cannot_links(pl.DataFrame(schema=dict.fromkeys(("record_key_l", "record_key_r"), pl.Utf8)), "")
    group = ["cluster_id", *name]
    middled = records.select("record_key", *name, MIDDLE_NAMES_KEY, NAME_WORDS).drop_nulls()
    middled = middled.filter(pl.col(MIDDLE_NAMES_KEY).n_unique().over(name) > 1)
    middled = middled.join(clusters.select("record_key", pl.col("cluster_id").cast(pl.Utf8)), on="record_key")
    middled = middled.filter(pl.col(MIDDLE_NAMES_KEY).n_unique().over(group) > 1)
    both = middled.join(middled, on=group, suffix="_r").filter(
        (pl.col("record_key") < pl.col("record_key_r")) & (pl.col(MIDDLE_NAMES_KEY) != pl.col(f"{MIDDLE_NAMES_KEY}_r"))
    )

    def words(column: str) -> pl.Expr:
        return pl.col(column).str.split(NAME_WORD_SEPARATOR)

    shared = [
        words(f"{MIDDLE_NAMES_KEY}{a}").list.set_intersection(words(f"{NAME_WORDS}{b}")).list.len() > 0
        for a, b in (("", "_r"), ("_r", ""))
    ]
    unshared = both.filter(~pl.any_horizontal(shared))
    alike = unshared.select(MIDDLE_NAMES_KEY, f"{MIDDLE_NAMES_KEY}_r").unique()
    # a Python call per distinct two middle names (few)
    alike = alike.with_columns(
        _alike=pl.Series([JaroWinkler.similarity(left, right) for left, right in alike.iter_rows()], dtype=pl.Float64)
    )
    apart = unshared.join(alike, on=[MIDDLE_NAMES_KEY, f"{MIDDLE_NAMES_KEY}_r"]).filter(
        pl.col("_alike") < MIDDLE_NAMES_JARO_WINKLER
    )
    apart = _not_linked_directly(apart.select(record_key_l="record_key", record_key_r="record_key_r"), pairs, link_threshold)
    return _cannot_links(apart, "other middle names of one name")


HELD_APART = ("birth_date",)
"""The `HELD_BY` rules whose held pairs `held_apart` keeps in other clusters
when other links join them."""


def held_apart(clusters: pl.DataFrame, pairs: pl.DataFrame) -> pl.DataFrame:
    """Cannot-links (as `generations_apart`'s, steward `GENERATIONS_APART`)
    between the two records of each pair of `pairs` that a rule of
    `HELD_APART` holds (`HELD_BY`) and that `clusters` (`record_key`,
    `cluster_id`) put in one cluster all the same, record keys in order. A
    father and his son of one name and home are held, but a call-centre
    record of their name and landline without a birth date links to both
    (53 such links on a DACH utility's export): the cluster then holds both
    generations, and is split at its weakest link
    (`steward_decisions.apply_decisions`), which leaves the held pair for a
    steward to decide. A join of the held pairs with the clusters."""
    held = pairs.filter(pl.col(HELD_BY).is_in(HELD_APART)) if HELD_BY in pairs.columns else pairs.clear()
    ids = clusters.select("record_key", pl.col("cluster_id").cast(pl.Utf8))
    joined = with_each_side(held.select("record_key_l", "record_key_r"), ids, _cluster=pl.col("cluster_id"))
    together = joined.filter((pl.col("_cluster_l") == pl.col("_cluster_r")).fill_null(False))
    ordered = together.select(
        record_key_l=pl.min_horizontal("record_key_l", "record_key_r"), record_key_r=pl.max_horizontal("record_key_l", "record_key_r")
    ).unique()
    return _cannot_links(ordered, "birth dates apart in one household")


BORN_APART_NAME = ("mk_family_roman", "mk_given_roman")
"""The record columns (romanized name keys) that make two records of one
cluster "of one name" for `born_apart`."""

BIRTH_DATE_KEY = "mk_birth_date"
"""The record column of the birth date as `YYYY-MM-DD` text, as the birth-date comparison reads it."""


def _birth_dates_outright(left: pl.Expr, right: pl.Expr) -> pl.Expr:
    """True where two `YYYY-MM-DD` birth dates would meet at the birth-date
    comparison's else level (`comparisons.BirthDateComparison`): both
    present, of other years (so neither the same year, the same year and
    month, nor day and month transposed) and more than one digit typo or
    adjacent swap apart (`1961-07-13` and `1991-07-13` are one typo). Text
    of another length is never outright (not told apart here)."""
    positions = range(10)
    differ = [left.str.slice(i, 1) != right.str.slice(i, 1) for i in positions]
    hamming = pl.sum_horizontal(d.cast(pl.Int32) for d in differ)
    swapped = pl.any_horizontal(
        differ[i] & (left.str.slice(i, 1) == right.str.slice(i + 1, 1)) & (left.str.slice(i + 1, 1) == right.str.slice(i, 1))
        for i in positions[:-1]
    )
    one_typo = (hamming <= 1) | ((hamming == 2) & swapped)
    sized = (left.str.len_chars() == 10) & (right.str.len_chars() == 10)
    return (sized & (left.str.slice(0, 4) != right.str.slice(0, 4)) & ~one_typo).fill_null(False)


def born_apart(
    clusters: pl.DataFrame, records: pl.DataFrame, pairs: pl.DataFrame, settings: dict[str, Any], *, link_threshold: float
) -> pl.DataFrame:
    """Cannot-links (as `generations_apart`'s, steward `GENERATIONS_APART`)
    between each two records of one cluster of `clusters` (`record_key`,
    `cluster_id`) whose `records` are of one name (`BORN_APART_NAME`) and
    one household (`_of_one_household`) with birth dates that disagree
    outright (`_birth_dates_outright`), sharing neither an email
    (`MOVE_EMAIL`) nor a mobile (`MOBILE_PHONE_TYPES`) of the person's (not a
    family's: `family_phones`), unless `pairs` link
    the two directly at `link_threshold` (`links`: the rules let an email or
    mobile level weigh for them). Record keys in order.

    `held_apart` splits a father and son whose own pair was held; on a DACH
    utility's export, 7 of the 19 fathers and sons still in one golden
    record on night 2 had no such pair: theirs was dropped by the rules or
    scored below the review band, and a call-centre or web record of their
    name and home without a birth date linked to both. The rule
    reads records, not pairs, so it holds for an incremental night's
    clusters as for a full run's. Like `_born_apart_at_home`, only for a
    model that compares emails (`settings`): FEBRL's duplicates carry
    birth dates mistyped decades apart at one address with no contact of
    the person's to tell them from a father and son. Empty without the
    records' columns."""
    wanted = list(dict.fromkeys((*BORN_APART_NAME, BIRTH_DATE_KEY, *HOUSEHOLD_COLUMNS, MOVE_EMAIL, PHONE_TYPE)))
    compares_email = any(c.get("output_column_name") == "email" for c in settings.get("comparisons", []))
    if not compares_email or not set(wanted) <= set(records.columns):
        return _cannot_links(pl.DataFrame(schema=dict.fromkeys(("record_key_l", "record_key_r"), pl.Utf8)), "")
    group = ["cluster_id", *BORN_APART_NAME]
    # the few records of one name and cluster with other birth dates, narrowed on the name and birth-date keys
    # alone before the household columns are joined (at 1M records, on a loaded machine: 1.9 s of CPU when all
    # were joined first, 0.95 s so)
    keys = ["record_key", *BORN_APART_NAME, BIRTH_DATE_KEY]
    named = records.select(keys).drop_nulls()
    named = named.filter(pl.col(BIRTH_DATE_KEY).n_unique().over(BORN_APART_NAME) > 1)
    dated = named.join(clusters.select("record_key", pl.col("cluster_id").cast(pl.Utf8)), on="record_key")
    dated = dated.filter(pl.col(BIRTH_DATE_KEY).n_unique().over(group) > 1)
    dated = dated.join(records.select("record_key", *(c for c in wanted if c not in keys)), on="record_key")
    both = dated.join(dated, on=group, suffix="_r").filter(pl.col("record_key") < pl.col("record_key_r"))

    def same(column: str) -> pl.Expr:
        if column in group:  # joined on: equal
            return pl.lit(True)
        return (pl.col(column) == pl.col(f"{column}_r")).fill_null(False)

    mobile = (
        same("std_phone")
        & pl.col(PHONE_TYPE).is_in(MOBILE_PHONE_TYPES).fill_null(False)
        & pl.col(f"{PHONE_TYPE}_r").is_in(MOBILE_PHONE_TYPES).fill_null(False)
        & ~pl.col(FAMILY_PHONE).is_in(family_phones(records, both[FAMILY_PHONE]).implode()).fill_null(False)
    )
    apart = both.filter(
        _birth_dates_outright(pl.col(BIRTH_DATE_KEY), pl.col(f"{BIRTH_DATE_KEY}_r")) & _of_one_household(same) & ~same(MOVE_EMAIL) & ~mobile
    ).select(record_key_l="record_key", record_key_r="record_key_r")
    return _cannot_links(_not_linked_directly(apart, pairs, link_threshold), "birth dates apart in one household")


def _not_linked_directly(apart: pl.DataFrame, pairs: pl.DataFrame, link_threshold: float) -> pl.DataFrame:
    """The pairs of `apart` (`record_key_l` before `record_key_r`) that `pairs`
    does not link directly at `link_threshold` (`links`, in either order):
    the pair rules let a birth date or email weighing for such two records
    outweigh what a cluster-level rule holds against them."""
    weighed = links(pairs, link_threshold).select(
        record_key_l=pl.min_horizontal("record_key_l", "record_key_r"), record_key_r=pl.max_horizontal("record_key_l", "record_key_r")
    )
    return apart.join(weighed, on=["record_key_l", "record_key_r"], how="anti")


def _cannot_links(pairs: pl.DataFrame, reason: str) -> pl.DataFrame:
    """`pairs` (`record_key_l`, `record_key_r`) as the pair rules' cannot-links (steward `GENERATIONS_APART`)."""
    return pairs.select(
        decision_id=pl.concat_str(pl.lit(GENERATIONS_APART + ":"), "record_key_l", pl.lit("|"), "record_key_r"),
        record_key_l=pl.col("record_key_l").cast(pl.Utf8),
        record_key_r=pl.col("record_key_r").cast(pl.Utf8),
        decision=pl.lit("cannot_link"),
        steward=pl.lit(GENERATIONS_APART),
        reason=pl.lit(reason),
        decided_at=pl.lit(None, dtype=pl.Utf8),
    )


def _of_one_household(same: Callable[[str], pl.Expr]) -> pl.Expr:
    """True where two records are one household's (`HOUSEHOLD_COLUMNS`): the
    same street address, the same phone, or the same family name at one
    postal code; `same(column)` tells where the two records' `column` agree."""
    address, phone, family, postal_code = HOUSEHOLD_COLUMNS
    return same(address) | same(phone) | (same(family) & same(postal_code))


def _street_weight(columns: list[str]) -> pl.Expr:
    """The pairs' match weight of `STREET` (`mw_address`), null where they lack it."""
    name = f"mw_{STREET}"
    return pl.col(name) if name in columns else pl.lit(None, pl.Float64).alias(name)


def _one_household_without_mobile(pairs: pl.DataFrame, records: pl.DataFrame | None) -> pl.Series:
    """The `_row`s of `pairs` (with `_PERSON_PHONE`: given names or birth
    dates that disagree outright, no email weighing for them) that are one household's by their
    `records` (`HOUSEHOLD_COLUMNS`: the same street address, the same phone,
    or the same family name and postal code) or by their street address
    comparison weighing for them (`STREET`: one flat written `ул Франка д
    89 кв 161` by a Russian CRM and `вул Франка 89 кв 161` by a Ukrainian
    shop, whose address keys differ: twins of one birth date and flat,
    Олена and Сергій, linked at p 0.999 for want of it) and that no mobile weighs for
    (a phone counts where `_PERSON_PHONE` weighs for the pair and both
    records' `PHONE_TYPE` are of `MOBILE_PHONE_TYPES`). None without the
    records or their columns."""
    if records is None or not pairs.height or not set(HOUSEHOLD_COLUMNS) <= set(records.columns):
        return pairs["_row"].clear()
    phone_type = pl.col(PHONE_TYPE) if PHONE_TYPE in records.columns else pl.lit(None, dtype=pl.Utf8)
    sides = with_each_side(
        pairs.select("_row", "record_key_l", "record_key_r", _PERSON_PHONE, _street_weight(pairs.columns)),
        records,
        **{f"_{column}": pl.col(column) for column in HOUSEHOLD_COLUMNS},
        _phone_type=phone_type,
    )

    def same(column: str) -> pl.Expr:
        return (pl.col(f"_{column}_l") == pl.col(f"_{column}_r")).fill_null(False)

    household = _of_one_household(same) | (pl.col(f"mw_{STREET}") > 0).fill_null(False)
    mobile = (pl.col(_PERSON_PHONE).fill_null(0.0) > 0) & pl.all_horizontal(
        pl.col(f"_phone_type_{side}").is_in(MOBILE_PHONE_TYPES).fill_null(False) for side in "lr"
    )
    return sides.filter(household & ~mobile)["_row"]


def _born_apart_at_home(marked: pl.DataFrame, by_name: dict[str, dict[str, Any]], records: pl.DataFrame | None) -> pl.Series:
    """The `_row`s of `marked` (with `_PERSON_PHONE`) whose birth dates
    disagree outright (both present: the comparison's else level) with no
    email weighing for them, in one household that no mobile weighs for
    (`_one_household_without_mobile`): a father and his son of one name
    (Germans, like most exports, write no `Jr.`), whose exact given name
    (+6.3 bits on a DACH utility's export) outweighs the birth date
    (about -5.6 bits at `probability_floor.BIRTH_DATE_M_CEILING`) on
    balance. The mirror of the twins rule, and like it asked only of a model
    that compares emails: an export with no contact of the person's (FEBRL,
    whose generator puts 6.5% of its duplicates' birth dates at the else
    level, most of them decades apart, at one address) has nothing that could
    confirm a pair, and holding them took FEBRL3's F1 from 0.9911 to 0.9711.
    Empty without the comparisons."""
    apart = _disagrees("birth_date", by_name, marked.columns)
    if apart is None or "mw_email" not in marked.columns or not marked.height:
        return marked["_row"].clear()
    return _one_household_without_mobile(marked.filter(_lacking(("email",), apart, marked.columns).fill_null(False)), records)


HELD_BY = "held_by"
"""The column of the pairs a rule holds for a steward's review rather than
dropping them (`pairs_under_rules`): `given_name`, given names that disagree
outright with no birth date for the pair (one customer whose name was
written another way, or a couple sharing a mailbox), or in one household
with no email or mobile for the pair (twins); `birth_date`, birth dates
that disagree outright in one household with no email or mobile for the
pair (a father and his son of one name); `name_order`, names that agree
only written in the other order with no birth date, email or mobile for the
pair (`Hung Le`, `Le Hung`); `move`, a pair that may
be one customer who moved, with nothing about the person to confirm it;
`landline`, a pair that only a shared fixed line identifies (a record whose
name was not parsed: one of the household, which a steward tells from its
full name); null for the pairs no rule holds. The other rules drop their pairs."""


def pairs_under_rules(pairs: pl.DataFrame, settings: dict[str, Any], records: pl.DataFrame | None = None) -> pl.DataFrame:
    """`pairs` (scored with `scoring_settings(settings)`) as the pair rules
    leave them, without Splink's intermediate columns and with `HELD_BY`.

    Dropped: pairs whose comparisons of one of `PERSON_COMPARISONS` (given
    name and birth date; family name and birth date; given name and gender)
    all disagree outright (`_disagrees`); pairs where a comparison of
    `EVIDENCE_DESPITE` disagrees outright and none of its evidence weighs for
    them; pairs where a comparison of `ON_BALANCE` disagrees outright and the
    match weights of `PERSON_EVIDENCE` sum to 0 or less; pairs where no
    identifier comparison (`IDENTIFIER_COMPARISONS`) has a positive match
    weight. Held for review, never linked (`HELD_BY`): pairs whose given
    names disagree outright with no birth date weighing for them
    ("given_name"), or of one household that neither an email nor a mobile
    weighs for ("given_name", `_one_household_without_mobile`); pairs whose
    birth dates disagree outright in one household that neither an email
    nor a mobile weighs for ("birth_date", `_born_apart_at_home`); pairs at
    `MOVE`'s else level that nothing about the person confirms ("move",
    `_unconfirmed_moves`); pairs whose names agree only written in the
    other order with no birth date, email or mobile for them ("name_order",
    `_swapped_without_evidence`); pairs that no identifier but a shared landline
    weighs for ("landline", `_with_person_phone`). Dropped too: pairs whose
    records carry other generational suffixes (`_other_generations`).
    For every rule, short given names that differ and kanji given names of
    other readings disagree (`_with_given_names_apart`).
    None of the name rules holds for names that agree written together in
    `records`, the records scored, and none about the given name for given
    names that are nicknames of one name (`_name_flags`). A model without
    one of a `PERSON_COMPARISONS` pair (or whose else level cannot be told
    apart) keeps the pairs that one would remove; one without any
    identifier comparison keeps those the last would. Dropped too: pairs of
    a person and an organisation (`_person_and_organisation`). No rule drops
    or holds a pair of one national identifier (its `national_id` weighs
    for it): one person whose name a source wrote in another order or
    without a birth date (`AGWANG ELIZABETH AWINO`, `AWINO AGWANG ELIZABETH`)."""
    if "mw_national_id" in pairs.columns:
        # the same national identifier: one person however the names, dates and homes read
        same_number = (pl.col("mw_national_id") > 0).fill_null(False)
        vouched = pairs.filter(same_number).select(pl.exclude(_INTERMEDIATE)).with_columns(pl.lit(None, pl.Utf8).alias(HELD_BY))
        rest = pairs_under_rules(pairs.filter(~same_number).drop("mw_national_id"), settings, records)
        return pl.concat([rest, vouched.select(rest.columns)])
    by_name = {c.get("output_column_name"): c for c in settings.get("comparisons", [])}
    marked = _with_given_names_apart(pairs.with_row_index("_row"), by_name, records)
    columns = marked.columns
    about_given: list[pl.Expr] = []  # rules a nickname answers
    about_others: list[pl.Expr] = []
    for together in PERSON_COMPARISONS:
        outright = [_disagrees(name, by_name, columns) for name in together]
        if all(level is not None for level in outright):
            (about_given if "given_name" in together else about_others).append(pl.all_horizontal(outright))
    for name, evidence in EVIDENCE_DESPITE.items():
        disagrees = _disagrees(name, by_name, columns)
        if disagrees is not None:
            rule = _lacking(evidence, disagrees, columns)
            (about_given if name == "given_name" else about_others).append(rule)
    marked = _with_person_phone(marked, by_name, records)
    person = [pl.col(_PERSON_PHONE if name == "phone" else f"mw_{name}").fill_null(0.0) for name in PERSON_EVIDENCE if f"mw_{name}" in pairs.columns]
    about_birth: list[pl.Expr] = []  # rules no name flag answers
    for name in ON_BALANCE:
        disagrees = _disagrees(name, by_name, columns)
        if disagrees is not None and person:
            (about_given if name == "given_name" else about_birth).append(disagrees & (pl.sum_horizontal(person) <= 0))

    def held(rules: list[pl.Expr]) -> pl.Expr:
        return pl.any_horizontal(rules).fill_null(False) if rules else pl.lit(False)

    if pairs.height and about_birth:
        marked = marked.filter(~held(about_birth))
    # given names apart with no birth date weighing for the pair: held for review ("given_name")
    other_given = _disagrees("given_name", by_name, columns)
    undated = [other_given & ~(pl.col("mw_birth_date").fill_null(0.0) > 0)] if other_given is not None and "mw_birth_date" in pairs.columns else []
    given_held = marked["_row"].clear()
    # given names apart without an email for the pair: held when one household's, unless a mobile weighs for it
    uncontacted = [other_given & ~(pl.col("mw_email").fill_null(0.0) > 0)] if other_given is not None and "mw_email" in pairs.columns else []
    if marked.height and (about_given or about_others or undated or uncontacted):
        flags = {"_held_given": held(about_given), "_held_other": held(about_others), "_undated": held(undated), "_uncontacted": held(uncontacted)}
        marked = marked.with_columns(**flags)
        flagged = _name_flags(
            marked.filter(pl.any_horizontal(*flags)).select("_row", "record_key_l", "record_key_r", _PERSON_PHONE, MIDDLE_APART, *flags, _street_weight(columns)),
            records,
        )
        dropped = flagged.filter(
            (pl.col("_held_other") & ~pl.col("_split_elsewhere"))
            | (pl.col("_held_given") & ~pl.col("_split_elsewhere") & ~pl.col("_nickname"))
        )["_row"]
        apart = ~pl.col("_split_elsewhere") & ~pl.col("_nickname")
        given_held = pl.concat([
            flagged.filter(pl.col("_undated") & apart)["_row"],
            _one_household_without_mobile(flagged.filter(pl.col("_uncontacted") & apart), records),
        ]).unique()
        marked = marked.filter(~pl.col("_row").is_in(dropped.implode())).drop(*flags)
    born_held = _born_apart_at_home(marked, by_name, records)
    order_held = _swapped_without_evidence(marked, records)
    generations = _other_generations(marked, records, _disagrees("birth_date", by_name, marked.columns))
    marked = marked.filter(~pl.col("_row").is_in(generations.implode()))
    marked = marked.filter(~pl.col("_row").is_in(_person_and_organisation(marked, records).implode()))
    moves = _unconfirmed_moves(marked, by_name, records)
    identifiers = [f"mw_{name}" for name in IDENTIFIER_COMPARISONS if f"mw_{name}" in marked.columns]
    landline_held = marked["_row"].clear()
    if marked.height and identifiers:
        marked = marked.filter(pl.any_horizontal(pl.col(c).fill_null(0.0) > 0 for c in identifiers))
        # the phone as the person's: a landline is the home's (`_with_person_phone`), and alone it tells no member
        person = [pl.col(_PERSON_PHONE if c == "mw_phone" else c).fill_null(0.0) > 0 for c in identifiers]
        landline_held = marked.filter(~pl.any_horizontal(person))["_row"]
    held_by = (
        pl.when(pl.col("_row").is_in(given_held.implode())).then(pl.lit("given_name"))
        .when(pl.col("_row").is_in(born_held.implode())).then(pl.lit("birth_date"))
        .when(pl.col("_row").is_in(order_held.implode())).then(pl.lit("name_order"))
        .when(pl.col("_row").is_in(moves.implode())).then(pl.lit("move"))
        .when(pl.col("_row").is_in(landline_held.implode())).then(pl.lit("landline"))
        .otherwise(pl.lit(None, dtype=pl.Utf8))
    )
    return marked.select(pl.exclude(_INTERMEDIATE)).with_columns(held_by.alias(HELD_BY)).drop("_row", _PERSON_PHONE, GIVEN_APART, MIDDLE_APART)


def without_household_pairs(
    pairs: pl.DataFrame, settings: dict[str, Any], records: pl.DataFrame | None = None
) -> pl.DataFrame:
    """The pairs the pair rules neither drop nor hold for review
    (`pairs_under_rules`), without Splink's intermediate columns: those a
    run may link."""
    return linkable(pairs_under_rules(pairs, settings, records)).drop(HELD_BY)


def linkable(pairs: pl.DataFrame) -> pl.DataFrame:
    """The `pairs` no rule holds for review (all of them when they have no `HELD_BY`)."""
    return pairs.filter(pl.col(HELD_BY).is_null()) if HELD_BY in pairs.columns else pairs


def links(pairs: pl.DataFrame, threshold: float) -> pl.DataFrame:
    """The `pairs` a run links at `threshold`: `linkable` ones whose `match_probability` reaches it."""
    return linkable(pairs).filter(pl.col("match_probability") >= threshold)
