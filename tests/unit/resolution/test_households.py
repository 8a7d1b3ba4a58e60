"""Two people of one household - given names and birth dates both different
outright, or given names different outright with no birth date or email for
the pair - are never linked, whatever else they share; nor are two records
that agree on nothing about the person, only on the place. Given names
different outright with no birth date for the pair are held for review."""

from __future__ import annotations

import math

import polars as pl

from resolution.households import (
    FAMILY_PHONE_MAX_RECORDS,
    GENERATIONS_APART,
    HELD_BY,
    born_apart,
    family_phones,
    generations_apart,
    held_apart,
    national_ids_apart,
    pairs_under_rules,
    scoring_settings,
    without_household_pairs,
)
from resolution.steward_decisions import apply_decisions


def _comparison(name: str, levels: list[tuple[float, float]]) -> dict:
    """A saved comparison: a null level, then (m, u) per level, the last one ELSE."""
    return {
        "output_column_name": name,
        "comparison_levels": [
            {"sql_condition": f"{name}_l IS NULL", "is_null_level": True},
            *[{"sql_condition": f"level {i}", "m_probability": m, "u_probability": u} for i, (m, u) in enumerate(levels[:-1])],
            {"sql_condition": "ELSE", "m_probability": levels[-1][0], "u_probability": levels[-1][1]},
        ],
    }


SETTINGS = {
    "comparisons": [
        _comparison("given_name", [(0.9, 0.01), (0.05, 0.02), (0.05, 0.97)]),
        _comparison("birth_date", [(0.8, 0.001), (0.1, 0.01), (0.1, 0.989)]),
    ]
}


def _weight(m: float, u: float) -> float:
    return math.log2(m / u)


GIVEN = {"exact": _weight(0.9, 0.01), "typo": _weight(0.05, 0.02), "else": _weight(0.05, 0.97), "null": 0.0}
BIRTH = {"exact": _weight(0.8, 0.001), "typo": _weight(0.1, 0.01), "else": _weight(0.1, 0.989), "null": 0.0}


def _pairs(levels: list[tuple[str, str]], email: float = 10.4) -> pl.DataFrame:
    # a shared email and a shared landline by default: evidence about the person, so that
    # only the rule of given name and birth date both different outright applies
    return pl.DataFrame(
        {
            "record_key_l": [f"a:{i}" for i in range(len(levels))],
            "record_key_r": [f"b:{i}" for i in range(len(levels))],
            "match_probability": [0.999] * len(levels),
            "mw_given_name": [GIVEN[g] for g, _ in levels],
            "mw_birth_date": [BIRTH[b] for _, b in levels],
            "mw_email": [email] * len(levels),
            "mw_phone": [4.0] * len(levels),
            "tf_std_given_name_l": [0.1] * len(levels),
            "mw_tf_adj_given_name": [0.0] * len(levels),
        }
    )


def _ruled(pairs: pl.DataFrame, settings: dict, records: pl.DataFrame | None = None) -> list[tuple[str, str | None]]:
    """The pairs the rules keep, as (left record key, `HELD_BY`)."""
    return pairs_under_rules(pairs, settings, records).select("record_key_l", HELD_BY).rows()


def test_only_pairs_differing_outright_in_both_given_name_and_birth_date_go() -> None:
    # mother and daughter; a given-name typo; a birth-date typo; no birth date (held); the same person
    levels = [("else", "else"), ("typo", "else"), ("else", "typo"), ("else", "null"), ("exact", "exact")]
    assert _ruled(_pairs(levels), SETTINGS) == [("a:1", None), ("a:2", None), ("a:3", "given_name"), ("a:4", None)]
    kept = without_household_pairs(_pairs(levels), SETTINGS)
    assert kept["record_key_l"].to_list() == ["a:1", "a:2", "a:4"]
    assert kept.columns == ["record_key_l", "record_key_r", "match_probability"]  # Splink's intermediate columns go


def test_without_the_comparison_or_a_telling_weight_no_pair_goes() -> None:
    pairs = _pairs([("else", "else")])
    no_birth_date = {"comparisons": SETTINGS["comparisons"][:1]}
    assert pairs_under_rules(pairs, no_birth_date).height == 1  # kept (held for another given name, no birth date for it)
    # a level weighing what the else level weighs: the weight does not tell the level
    ambiguous = _comparison("given_name", [(0.05, 0.97), (0.9, 0.01), (0.05, 0.97)])
    assert without_household_pairs(pairs, {"comparisons": [ambiguous, SETTINGS["comparisons"][1]]}).height == 1


def test_a_given_name_different_outright_needs_a_birth_date_or_an_email_for_it() -> None:
    """A mother and her son share the family name, the address and the
    landline; with one birth date missing those outweighed their given names.
    A given name different outright needs a birth date or an email weighing
    for the pair; a shared phone is not enough. With the email but no birth
    date (a couple's family mailbox) it is held for review, not linked."""
    rows = [
        ("else", "null", 0.0),  # mother and son: only the household's landline
        ("else", "null", -3.0),  # ... and their emails disagree
        ("else", "null", 10.4),  # the email agrees: stays
        ("else", "exact", 0.0),  # the birth date agrees: stays
        ("else", "typo", 0.0),  # a near birth date weighs for it: stays
        ("typo", "null", 0.0),  # a typo in the given name: stays
        ("null", "null", 0.0),  # no given name on one side: stays
    ]
    pairs = pl.concat([_pairs([(g, b)], email=e) for g, b, e in rows]).with_columns(
        pl.Series("record_key_l", [f"a:{i}" for i in range(len(rows))])
    )
    assert _ruled(pairs, SETTINGS) == [("a:2", "given_name"), ("a:3", None), ("a:4", None), ("a:5", None), ("a:6", None)]


def test_a_name_level_the_model_weighs_against_disagrees_as_the_else_level_does() -> None:
    """A model trained on Japanese records weighs its loose Jaro-Winkler level
    against a match (hiroshi/hiroko): there it disagrees as the else level
    does. A typo level weighing for the pair stays an agreement."""
    loose = _comparison("given_name", [(0.9, 0.01), (0.05, 0.02), (0.02, 0.05), (0.03, 0.92)])
    settings = {"comparisons": [loose, SETTINGS["comparisons"][1]]}
    weights = {"typo": _weight(0.05, 0.02), "loose": _weight(0.02, 0.05)}
    pairs = pl.concat([_pairs([("exact", b)], email=0.0) for b in ("else", "else", "null", "null")]).with_columns(
        pl.Series("record_key_l", ["a:0", "a:1", "a:2", "a:3"]),
        pl.Series("mw_given_name", [weights["loose"], weights["typo"], weights["loose"], weights["typo"]]),
    )
    kept = without_household_pairs(pairs, settings)
    # loose with birth dates apart: two people; loose with no birth date: no evidence despite it
    assert kept["record_key_l"].to_list() == ["a:1", "a:3"]


def test_names_that_agree_written_together_do_not_disagree() -> None:
    """An unspaced full name split in another place (`西 口修樹` against `西口
    修樹`) puts both parts at their else level; written together the names
    agree, so no rule about a part that disagrees removes the pair. The
    names are the scored records'; without them, the rules hold as ever."""
    pairs = pl.concat([_pairs([("else", "null")], email=0.0)] * 3).with_columns(
        pl.Series("record_key_l", ["a:0", "a:1", "a:2"]), pl.Series("record_key_r", ["b:0", "b:1", "b:2"])
    )
    records = pl.DataFrame(
        {
            "record_key": ["a:0", "b:0", "a:1", "b:1", "a:2", "b:2"],
            "std_family_name": ["西", "西口", "西", "西口", "西", None],
            "std_given_name": ["口修樹", "修樹", "口修樹", "修二", "口修樹", "西口修樹"],
        }
    )
    kept = without_household_pairs(pairs, SETTINGS, records)
    assert kept["record_key_l"].to_list() == ["a:0"]  # not another name; not a missing family name
    assert kept.columns == ["record_key_l", "record_key_r", "match_probability"]
    assert without_household_pairs(pairs, SETTINGS).height == 0


def test_a_nickname_is_not_another_given_name() -> None:
    """`bob` and `robert` are one given name (the `nicknames` table): the
    rules about a given name that disagrees do not remove the pair. Those
    about the family name still do."""
    rows = [("bob", "robert", "else"), ("kate", "katherine", "else"), ("brenda", "john", "else"), ("bob", "robert", "family")]
    birth = ["null", "null", "null", "else"]  # the last: family names and birth dates both apart
    pairs = pl.concat([_pairs([("else", b)], email=0.0) for b in birth]).with_columns(
        pl.Series("record_key_l", [f"a:{i}" for i in range(len(rows))]),
        pl.Series("record_key_r", [f"b:{i}" for i in range(len(rows))]),
        pl.Series("mw_family_name", [FAMILY["exact"]] * 3 + [FAMILY["else"]]),
    )
    records = pl.DataFrame(
        {
            "record_key": [f"{side}:{i}" for i in range(len(rows)) for side in "ab"],
            "std_family_name": ["smith"] * 6 + ["smith", "jones"],
            "std_given_name": [name for left, right, _ in rows for name in (left, right)],
        }
    )
    kept = without_household_pairs(pairs, WITH_FAMILY, records)
    assert kept["record_key_l"].to_list() == ["a:0", "a:1"]  # not brenda/john; not another family and birth date


def test_russian_and_ukrainian_forms_of_one_name_are_not_another_given_name() -> None:
    """`Алексей` in a Moscow CRM and `Олексій` or `Oleksii` in a Kyiv shop
    are one given name (`east_slavic_names`); `Юрий` and `Юлия` are two."""
    rows = [("алексей", "олексій"), ("oleksii", "алексей"), ("юрий", "юлия")]
    pairs = pl.concat([_pairs([("else", "null")], email=0.0)] * len(rows)).with_columns(
        pl.Series("record_key_l", [f"a:{i}" for i in range(len(rows))]),
        pl.Series("record_key_r", [f"b:{i}" for i in range(len(rows))]),
        pl.Series("mw_family_name", [FAMILY["exact"]] * len(rows)),
    )
    records = pl.DataFrame(
        {
            "record_key": [f"{side}:{i}" for i in range(len(rows)) for side in "ab"],
            "std_family_name": ["зайцев"] * 2 * len(rows),
            "std_given_name": [name for pair in rows for name in pair],
        }
    )
    kept = without_household_pairs(pairs, WITH_FAMILY, records)
    assert kept["record_key_l"].to_list() == ["a:0", "a:1"]


def test_scoring_settings_keep_the_weights_and_leave_the_model_alone() -> None:
    saved = {"comparisons": [], "retain_intermediate_calculation_columns": False}
    assert scoring_settings(saved)["retain_intermediate_calculation_columns"] is True
    assert saved["retain_intermediate_calculation_columns"] is False


def test_a_pair_with_no_identifier_for_it_goes_whatever_the_address() -> None:
    """Office-tower neighbours: one record has no name, email or phone; the
    postal code, city and street make the score. A pair with any identifier
    weighing for it stays."""
    pairs = pl.DataFrame(
        {
            "record_key_l": ["a:0", "a:1", "a:2", "a:3"],
            "record_key_r": ["b:0", "b:1", "b:2", "b:3"],
            "match_probability": [0.92, 0.99, 0.99, 0.99],
            "mw_family_name": [0.0, 6.3, -13.0, None],
            "mw_given_name": [0.0, 0.0, -13.0, 0.0],
            "mw_birth_date": [0.0, -13.0, 0.0, 0.0],
            "mw_email": [0.0, 0.0, 0.0, 10.4],
            "mw_phone": [None, 0.0, 0.0, 0.0],
            "mw_postal_code": [11.5, 11.5, 11.5, 11.5],
            "mw_address": [9.7, 9.7, 9.7, 9.7],
        }
    )
    kept = without_household_pairs(pairs, {"comparisons": []})
    assert kept["record_key_l"].to_list() == ["a:1", "a:3"]  # the family name; the email
    address_only = pairs.select("record_key_l", "record_key_r", "match_probability", "mw_postal_code", "mw_address")
    assert without_household_pairs(address_only, {"comparisons": []}).height == 4  # a model of places alone: kept


FAMILY = {"exact": _weight(0.9, 0.02), "typo": _weight(0.05, 0.03), "else": _weight(0.05, 0.95), "null": 0.0}
WITH_FAMILY = {"comparisons": [_comparison("family_name", [(0.9, 0.02), (0.05, 0.03), (0.05, 0.95)]), *SETTINGS["comparisons"]]}


def _neighbours(rows: list[tuple[str, str, float, float]]) -> pl.DataFrame:
    """Pairs sharing a given name and a street: (family level, birth-date level, email weight, phone weight)."""
    return pl.DataFrame(
        {
            "record_key_l": [f"a:{i}" for i in range(len(rows))],
            "record_key_r": [f"b:{i}" for i in range(len(rows))],
            "match_probability": [0.99] * len(rows),
            "mw_family_name": [FAMILY[f] for f, _, _, _ in rows],
            "mw_given_name": [GIVEN["exact"]] * len(rows),
            "mw_birth_date": [BIRTH[b] for _, b, _, _ in rows],
            "mw_email": [e for _, _, e, _ in rows],
            "mw_phone": [p for _, _, _, p in rows],
            "mw_address": [9.7] * len(rows),
        }
    )


def test_neighbours_of_one_given_name_are_not_one_person() -> None:
    """Family names different outright: with birth dates different outright too,
    or with nothing but the given name about the person (no birth date, email
    or phone weighing for it), the pair goes. A married name with the same
    birth date, email or phone stays; so does a family-name typo."""
    rows = [
        ("else", "else", 0.0, 0.0),  # Justin Hughes, 1983 and Justin North, 1950 of one street
        ("else", "else", 10.4, 0.0),  # ... even sharing an email: a family's address
        ("else", "null", 0.0, 0.0),  # one birth date missing: only the given name and the street
        ("else", "null", -3.0, None),  # emails disagree
        ("else", "exact", 0.0, 0.0),  # married: the birth date agrees
        ("else", "null", 10.4, 0.0),  # married: the email agrees
        ("else", "null", 0.0, 5.0),  # married: the phone agrees
        ("typo", "null", 0.0, 0.0),  # a typo in the family name
        ("null", "null", 0.0, 0.0),  # no family name on one side
    ]
    kept = without_household_pairs(_neighbours(rows), WITH_FAMILY)
    assert kept["record_key_l"].to_list() == ["a:4", "a:5", "a:6", "a:7", "a:8"]


def test_a_move_that_only_lacks_confirmation_is_held_for_review_and_the_rest_go() -> None:
    """A move with nothing about the person to confirm it may be one customer
    who moved: such a pair is kept with `held_by` "move" (a steward decides;
    it is never linked). The pairs the other rules remove are not kept at
    all, another family name with nothing to confirm it among them: at 1M
    records those were mostly neighbours of one given name."""
    postal = _comparison("postal_code", [(0.85, 0.0001), (0.01, 0.002), (0.14, 0.998)])
    settings = {"comparisons": [*WITH_FAMILY["comparisons"], postal]}
    moved, same_area = _weight(0.14, 0.998), _weight(0.01, 0.002)
    rows = [
        ("else", "else", 0.0, 0.0),  # family names and birth dates apart: two people, dropped
        ("else", "null", 0.0, 0.0),  # another family name, nothing confirming: dropped
        ("exact", "null", 0.0, 0.0),  # moved, nothing confirming (below): held
        ("exact", "exact", 0.0, 0.0),  # moved, the birth date confirms: linkable
        ("else", "null", 0.0, 0.0),  # another family name and moved: dropped
    ]
    pairs = _neighbours(rows).with_columns(mw_postal_code=pl.Series([same_area, same_area, moved, moved, moved]))

    ruled = pairs_under_rules(pairs, settings)

    assert ruled.select("record_key_l", HELD_BY).rows() == [("a:2", "move"), ("a:3", None)]
    assert not any(c.startswith("mw_") for c in ruled.columns)
    assert without_household_pairs(pairs, settings)["record_key_l"].to_list() == ["a:3"]


def test_postal_codes_of_other_areas_need_a_birth_date_email_or_phone_for_the_pair() -> None:
    """A move is weighed once, by the postal code (the city and street that
    differ with it are not weighed again); a shared name alone is then a
    namesake's as easily as a customer's who moved, so the pair needs a birth
    date, an email or a phone weighing for it."""
    postal = _comparison("postal_code", [(0.85, 0.0001), (0.01, 0.002), (0.14, 0.998)])
    settings = {"comparisons": [*SETTINGS["comparisons"], postal]}
    moved, same_area = _weight(0.14, 0.998), _weight(0.01, 0.002)
    pairs = _pairs([("exact", "null")] * 6, email=0.0).with_columns(
        mw_postal_code=pl.Series([moved, moved, moved, moved, same_area, 0.0]),
        mw_birth_date=pl.Series([0.0, BIRTH["exact"], 0.0, 0.0, 0.0, 0.0]),
        mw_email=pl.Series([0.0, 0.0, 9.1, 0.0, 0.0, 0.0]),
        mw_phone=pl.Series([0.0, 0.0, 0.0, 11.0, 0.0, 0.0]),
    )
    # the name alone at another place goes; with a birth date, an email or a phone it stays;
    # in the same area, or with one postal code missing, the name suffices as before
    kept = without_household_pairs(pairs, settings)
    assert kept["record_key_l"].to_list() == ["a:1", "a:2", "a:3", "a:4", "a:5"]
    # a phone of another person weighs against the pair: no evidence for it
    other_phone = pairs.head(1).with_columns(mw_phone=pl.lit(-5.0))
    assert without_household_pairs(other_phone, settings).height == 0
    # a model without the postal code comparison keeps the pair
    assert without_household_pairs(pairs.head(1), SETTINGS).height == 1
    # one postal code missing and another city: the city weighs the move, which needs the same
    city = _comparison("city", [(0.8, 0.01), (0.15, 0.2), (0.05, 0.79)])
    other_city = pairs.select(pl.exclude("mw_city")).with_columns(
        mw_postal_code=pl.lit(0.0), mw_city=pl.lit(_weight(0.05, 0.79))
    )
    with_city = {"comparisons": [*settings["comparisons"], city]}
    assert without_household_pairs(other_city, with_city)["record_key_l"].to_list() == ["a:1", "a:2", "a:3"]
    same_city = other_city.with_columns(mw_city=pl.lit(_weight(0.8, 0.01)))
    assert without_household_pairs(same_city, with_city).height == 6


def test_an_email_confirms_a_move_only_when_it_is_the_same_address() -> None:
    """With the records scored, the email must be the same address: the same
    mailbox at another provider (`taro.yamada@` at Gmail and at Yahoo) weighs
    for the pair, but spells a namesake's name as easily."""
    postal = _comparison("postal_code", [(0.85, 0.0001), (0.01, 0.002), (0.14, 0.998)])
    settings = {"comparisons": [*SETTINGS["comparisons"], postal]}
    pairs = _pairs([("exact", "null")] * 3, email=7.7).with_columns(
        mw_postal_code=pl.lit(_weight(0.14, 0.998)), mw_phone=pl.lit(0.0)
    )
    records = pl.DataFrame(
        {
            "record_key": ["a:0", "b:0", "a:1", "b:1", "a:2", "b:2"],
            "std_email": [
                "taro.yamada@gmail.com", "taro.yamada@gmail.com",  # the same address: a move
                "taro.yamada@gmail.com", "taro.yamada@yahoo.co.jp",  # the same mailbox elsewhere
                "taro.yamada@gmail.com", None,
            ],
        }
    )
    assert without_household_pairs(pairs, settings, records)["record_key_l"].to_list() == ["a:0"]
    # without the records, the email comparison weighing for the pair is all there is to go by
    assert without_household_pairs(pairs, settings).height == 3


def test_another_street_address_in_one_town_needs_a_birth_date_email_or_phone_for_the_pair() -> None:
    """Two Anna Kalnas of one postal code and city, one at Lauku iela 12 and
    one at Lauku iela 21 (the address comparison at a level the model weighs
    against: other house numbers), one birth date missing and other mobiles:
    the name and the town are a namesake's as easily, so the pair is held
    for review as a move ("move"), never linked. A birth date, a phone or
    the same email confirms it; a street address the model weighs for (a
    typo it has learned to forgive) or a missing one is no move; nor is
    another street with no phone or email against the pair (FEBRL's
    duplicates, a street and a birth date corrupted, no contacts)."""
    postal = _comparison("postal_code", [(0.85, 0.0001), (0.01, 0.002), (0.14, 0.998)])
    settings = {"comparisons": [*SETTINGS["comparisons"], postal]}
    same_postal_code, other_numbers, forgiven_typo = _weight(0.85, 0.0001), -4.9, 2.1
    pairs = _pairs([("exact", "null")] * 8, email=0.0).with_columns(
        mw_postal_code=pl.Series([same_postal_code] * 5 + [0.0] + [same_postal_code] * 2),
        mw_address=pl.Series([other_numbers] * 4 + [forgiven_typo, other_numbers, None, other_numbers]),
        mw_birth_date=pl.Series([0.0, BIRTH["exact"]] + [0.0] * 6),
        mw_phone=pl.Series([-2.7, -2.7, 11.7, -2.7, -2.7, -2.7, -2.7, 0.0]),
        mw_email=pl.Series([-2.4, -2.4, -2.4, 7.7, -2.4, -2.4, -2.4, 0.0]),
    )
    # each her own mailbox; the pair a:3 of one address
    emails = {f"{side}:{i}": f"anna.kalna.{i}{side if i != 3 else ''}@example.lv" for i in range(8) for side in "ab"}
    records = pl.DataFrame({"record_key": list(emails), "std_email": list(emails.values())})
    ruled = pairs_under_rules(pairs, settings, records).select("record_key_l", HELD_BY).rows()
    # another house on one street, nothing about the person: held; so with the postal code missing
    assert ruled == [("a:0", "move"), *((f"a:{i}", None) for i in range(1, 5)), ("a:5", "move"), ("a:6", None), ("a:7", None)]
    assert without_household_pairs(pairs, settings, records)["record_key_l"].to_list() == ["a:1", "a:2", "a:3", "a:4", "a:6", "a:7"]
    # a model without the address comparison has no street to tell a move by
    assert pairs_under_rules(pairs.drop("mw_address"), settings, records).filter(pl.col(HELD_BY) == "move").height == 0


GENDER = _comparison("gender", [(0.98, 0.5), (0.02, 0.5)])
SEX = {"same": _weight(0.98, 0.5), "other": _weight(0.02, 0.5), "null": 0.0}
PERSON = {"comparisons": [*WITH_FAMILY["comparisons"], GENDER]}


def _person_pairs(rows: list[tuple[str, str, float, float, str]]) -> pl.DataFrame:
    """Pairs of one family name and street: (given level, birth level, email weight, phone weight, gender level)."""
    return pl.DataFrame(
        {
            "record_key_l": [f"a:{i}" for i in range(len(rows))],
            "record_key_r": [f"b:{i}" for i in range(len(rows))],
            "match_probability": [0.999] * len(rows),
            "mw_family_name": [FAMILY["exact"]] * len(rows),
            "mw_given_name": [GIVEN[g] for g, *_ in rows],
            "mw_birth_date": [BIRTH[b] for _, b, *_ in rows],
            "mw_email": [e for _, _, e, _, _ in rows],
            "mw_phone": [p for *_, p, _ in rows],
            "mw_gender": [SEX[s] for *_, s in rows],
            "mw_address": [9.7] * len(rows),
        }
    )


def test_a_father_and_his_son_of_one_name_are_two_people_unless_the_person_weighs_for_the_pair() -> None:
    """Same name and street, birth dates apart outright: the pair is linked
    only when what is about the person (given name, birth date, email,
    phone, gender) weighs for it on balance, by the model's weights. Full
    names written alike do not answer for the birth date."""
    rows = [
        ("exact", "else", -4.1, -4.1, "same"),  # father and son: their own email and phone
        ("exact", "else", 10.4, -4.1, "same"),  # the same email: a birth date typed wrong
        ("exact", "else", 0.0, 0.0, "null"),  # nothing else about them: the model's given name outweighs
        ("exact", "typo", -4.1, -4.1, "same"),  # a near birth date is no outright disagreement
    ]
    records = pl.DataFrame(
        {
            "record_key": [f"{side}:{i}" for i in range(len(rows)) for side in "ab"],
            "std_family_name": ["benthin"] * 8,
            "std_given_name": ["hasso"] * 8,
            "std_full_name": ["hasso benthin"] * 8,
        }
    )
    kept = without_household_pairs(_person_pairs(rows), PERSON, records)
    assert kept["record_key_l"].to_list() == ["a:1", "a:2", "a:3"]


def test_twins_go_when_their_genders_or_their_own_contacts_tell_them_apart() -> None:
    """Twins share the family name, the address and the birth date: given
    names apart outright with genders apart too are two people, whatever
    else they share; of one gender, their own email and phone outweigh
    the birth date. Twins who share a landline and a gender are beyond
    these rules (the model links them)."""
    rows = [
        ("else", "exact", -4.1, 10.7, "other"),  # a brother and sister sharing the landline
        ("else", "exact", -4.1, -4.1, "same"),  # two brothers, each with his own email and phone
        ("else", "exact", -4.1, 10.7, "same"),  # two brothers sharing the landline: linked
        ("typo", "exact", -4.1, -4.1, "other"),  # a given-name typo and a gender mistyped: one person
    ]
    kept = without_household_pairs(_person_pairs(rows), PERSON)
    assert kept["record_key_l"].to_list() == ["a:2", "a:3"]


def test_a_shared_landline_is_the_households_not_the_persons() -> None:
    """A father and his son of one name who share a phone: the phone weighs
    for them on balance when it is a mobile (the person's) or of a plan that
    does not tell mobile from fixed (US), not when it is a fixed line (the
    home's). Pairs no name or birth-date rule asks about keep the landline."""
    rows = [("exact", "else", -4.1, 10.7, "null")] * 4 + [("exact", "exact", -4.1, 10.7, "null")]  # their own emails
    types = ["fixed_line", "mobile", "other", None, "fixed_line"]
    records = pl.DataFrame(
        {
            "record_key": [f"{side}:{i}" for i in range(len(rows)) for side in "ab"],
            "std_family_name": ["benthin"] * 10,
            "std_given_name": ["hasso"] * 10,
            "std_phone_type": [t for t in types for _ in "ab"],
        }
    )
    kept = without_household_pairs(_person_pairs(rows), PERSON, records)
    assert kept["record_key_l"].to_list() == ["a:1", "a:2", "a:3", "a:4"]
    # without the records' phone types, the phone weighs as it is
    assert without_household_pairs(_person_pairs(rows), PERSON).height == 5


def test_full_names_written_alike_answer_for_a_given_name_that_disagrees() -> None:
    """A given name missing on one side while its full name is written out
    (`杉関英一`), or a reading generated wrongly for it: the given-name levels
    disagree, the full names agree, so no rule about the given name removes
    the pair."""
    pairs = _person_pairs([("else", "null", 0.0, 0.0, "null")] * 2).with_columns(
        pl.Series("record_key_r", ["b:0", "b:1"]), pl.Series("record_key_l", ["a:0", "a:1"])
    )
    records = pl.DataFrame(
        {
            "record_key": ["a:0", "b:0", "a:1", "b:1"],
            "std_family_name": ["杉関", "杉関", "杉関", "杉関"],
            "std_given_name": ["英一", None, "英一", None],
            "std_full_name": ["杉関英一", "杉関英一", "杉関英一", "杉関英二"],
        }
    )
    assert without_household_pairs(pairs, PERSON, records)["record_key_l"].to_list() == ["a:0"]
    # written in the other order (`和一 小垣` and `小垣 和一`), the names agree too
    swapped = records.with_columns(
        std_family_name=pl.Series(["和一", "小垣", "和一", "小垣"]), std_given_name=pl.Series(["小垣", "和一", "小垣", "和二"]),
        std_full_name=pl.lit(None, pl.Utf8),
    )
    assert _ruled(pairs, PERSON, swapped) == [("a:0", None)]  # 和二 is another given name, with nothing for it


def test_a_father_and_his_son_of_other_suffixes_are_two_people() -> None:
    """`Jr.` and `Sr.` (or `II` and `III`) on the two records: two people,
    whatever they share; not offered for review either. A suffix on one
    record alone, or the same one on both, concludes nothing."""
    rows = [("exact", "null", 10.4, 10.7, "same")] * 4  # one name, street, email and phone: the model links them
    suffixes = [("jr", "sr"), ("ii", "iii"), ("jr", None), ("sr", "sr")]
    records = pl.DataFrame(
        {
            "record_key": [f"{side}:{i}" for i in range(len(rows)) for side in "ab"],
            "std_family_name": ["benthin"] * 8,
            "std_given_name": ["hasso"] * 8,
            "std_name_suffix": [suffix for pair in suffixes for suffix in pair],
        }
    )
    assert _ruled(_person_pairs(rows), PERSON, records) == [("a:2", None), ("a:3", None)]


def test_a_cluster_holding_both_generations_is_split_between_them() -> None:
    """The son's `jr` record and the father's `sr` record in one cluster
    (chained through a web record without a suffix): a cannot-link for each
    two of them; none for a cluster of one suffix, nor across clusters."""
    clusters = pl.DataFrame(
        {"record_key": ["crm:1", "web:1", "pos:1", "crm:2", "pos:2", "crm:3"], "cluster_id": ["1", "1", "1", "2", "2", "3"]}
    )
    records = pl.DataFrame(
        {"record_key": ["crm:1", "web:1", "pos:1", "crm:2", "pos:2", "crm:3"], "std_name_suffix": ["jr", None, "sr", "jr", "jr", "sr"]}
    )
    apart = generations_apart(clusters, records)
    assert apart.select("record_key_l", "record_key_r", "decision", "steward").rows() == [
        ("crm:1", "pos:1", "cannot_link", GENERATIONS_APART)
    ]
    assert generations_apart(clusters, records.drop("std_name_suffix")).height == 0


def test_a_father_and_his_son_chained_through_a_record_without_a_birth_date_are_split() -> None:
    """Father (`sap:1`) and son (`web:1`) of one name and home are held for
    their birth dates, but a call-centre record without one (`call:1`) links
    to both: a cannot-link between them, and the cluster splits at its
    weakest link, the call record going with the one it matches best. Held
    pairs already apart, or held by another rule, are left alone."""
    clusters = pl.DataFrame(
        {"record_key": ["sap:1", "call:1", "web:1", "sap:2", "web:2", "sap:3", "web:3"], "cluster_id": ["1", "1", "1", "2", "3", "4", "4"]}
    )
    pairs = pl.DataFrame(
        {
            "record_key_l": ["web:1", "call:1", "call:1", "sap:2", "sap:3"],
            "record_key_r": ["sap:1", "sap:1", "web:1", "web:2", "web:3"],
            "match_probability": [0.999, 0.99, 0.999, 0.999, 0.999],
            HELD_BY: ["birth_date", None, None, "birth_date", "given_name"],
        }
    )
    apart = held_apart(clusters, pairs)
    assert apart.select("record_key_l", "record_key_r", "decision", "steward").rows() == [
        ("sap:1", "web:1", "cannot_link", GENERATIONS_APART)
    ]
    split = apply_decisions(clusters, pairs, apart, link_threshold=0.9)
    together = split.group_by("cluster_id").agg(pl.col("record_key").sort())["record_key"].to_list()
    assert sorted(together) == [["call:1", "web:1"], ["sap:1"], ["sap:2"], ["sap:3", "web:3"], ["web:2"]]
    assert held_apart(clusters, pairs.drop(HELD_BY)).height == 0


WITH_EMAIL = {"comparisons": [*SETTINGS["comparisons"], _comparison("email", [(0.9, 0.001), (0.1, 0.999)])]}


def _one_name_at_home(births: list[str | None], **columns: list) -> pl.DataFrame:
    """Records `r:i` of one name, street, postal code and landline, born `births` (`YYYY-MM-DD`, None for none), with `columns`."""
    n = len(births)
    values = {
        "mk_family_roman": ["neumann"] * n,
        "mk_given_roman": ["christian"] * n,
        "mk_address": ["lindenweg 4"] * n,
        "std_postal_code": ["10115"] * n,
        "std_phone": ["+49301234567"] * n,
        "std_phone_type": ["fixed_line"] * n,
        "std_email": [None] * n,
        **columns,
    }
    return pl.DataFrame({"record_key": [f"r:{i}" for i in range(n)], "mk_birth_date": births, **values}, schema_overrides={"std_email": pl.Utf8})


def _born_apart(records: pl.DataFrame, pairs: pl.DataFrame | None = None, settings: dict = WITH_EMAIL) -> list[tuple[str, str]]:
    """`born_apart`'s cannot-links for `records`, all in one cluster, as (left, right) record keys."""
    clusters = records.select("record_key", cluster_id=pl.lit("1"))
    none = pl.DataFrame(schema={"record_key_l": pl.Utf8, "record_key_r": pl.Utf8, "match_probability": pl.Float64, HELD_BY: pl.Utf8})
    apart = born_apart(clusters, records, none if pairs is None else pairs, settings, link_threshold=0.9)
    assert set(apart["steward"]) <= {GENERATIONS_APART} and set(apart["decision"]) <= {"cannot_link"}
    return apart.select("record_key_l", "record_key_r").sort("record_key_l", "record_key_r").rows()


def test_a_cluster_holding_a_father_and_his_son_of_one_name_and_home_is_split_between_them() -> None:
    """Father (`r:0`, 1961) and son (`r:2`, 1994) of one name, street and
    landline, both linked to a call-centre record without a birth date
    (`r:1`), their own pair never kept: a cannot-link between them, and the
    cluster splits at its weakest link, the call record going with the one
    it matches best."""
    records = _one_name_at_home(["1961-07-13", None, "1994-06-08"])
    pairs = pl.DataFrame(
        {"record_key_l": ["r:0", "r:1"], "record_key_r": ["r:1", "r:2"], "match_probability": [0.95, 0.999], HELD_BY: [None, None]}
    )
    assert _born_apart(records, pairs) == [("r:0", "r:2")]
    clusters = records.select("record_key", cluster_id=pl.lit("1"))
    split = apply_decisions(clusters, pairs, born_apart(clusters, records, pairs, WITH_EMAIL, link_threshold=0.9), link_threshold=0.9)
    together = split.group_by("cluster_id").agg(pl.col("record_key").sort())["record_key"].to_list()
    assert sorted(together) == [["r:0"], ["r:1", "r:2"]]


def test_birth_dates_a_typo_apart_are_one_customers() -> None:
    """Birth dates the comparison meets above its else level - the same
    year, a digit mistyped (1961 and 1991), two adjacent digits swapped
    (1967 and 1976), day and month transposed - are no generations apart;
    years more than one edit apart are (1961 and 1994, 1958 and 1986)."""
    typos = [("1961-07-13", "1961-11-02"), ("1961-07-13", "1991-07-13"), ("1967-03-02", "1976-03-02"), ("1961-07-03", "1961-03-07")]
    assert [_born_apart(_one_name_at_home(list(births))) for births in typos] == [[]] * len(typos)
    assert _born_apart(_one_name_at_home(["1958-03-02", "1986-03-02", "1961-07-13"])) == [
        ("r:0", "r:1"), ("r:0", "r:2"), ("r:1", "r:2")
    ]


def test_a_shared_email_or_mobile_or_another_name_or_home_keeps_records_born_apart_together() -> None:
    """A mistyped birth date is the same customer's where an email of the
    person's is shared, or where the rules and the model
    link the pair directly (held by no rule, at the link threshold);
    records of another given name, or of another home (street, phone and
    postal code all other), are not this rule's; nor is any record of a
    model that compares no email (FEBRL: no contact of the
    person's to tell a mistyped birth date from a son's)."""
    births = ["1961-07-13", "1994-06-08"]
    assert _born_apart(_one_name_at_home(births)) == [("r:0", "r:1")]
    assert _born_apart(_one_name_at_home(births, std_email=["c.neumann@example.de"] * 2)) == []
    # a mobile both carry, born decades apart, is the family's (`family_phones`): no exemption
    assert _born_apart(_one_name_at_home(births, std_phone_type=["mobile"] * 2)) == [("r:0", "r:1")]
    assert _born_apart(_one_name_at_home(births, mk_given_roman=["christian", "christoph"])) == []
    elsewhere = {"mk_address": ["lindenweg 4", "am markt 9"], "std_postal_code": ["10115", "80331"], "std_phone": ["+49301234567", None]}
    assert _born_apart(_one_name_at_home(births, **elsewhere)) == []
    assert _born_apart(_one_name_at_home(births), settings=SETTINGS) == []
    weighed = pl.DataFrame({"record_key_l": ["r:1"], "record_key_r": ["r:0"], "match_probability": [0.95], HELD_BY: [None]})
    assert _born_apart(_one_name_at_home(births), weighed) == []
    assert _born_apart(_one_name_at_home(births), weighed.with_columns(match_probability=pl.lit(0.5))) == [("r:0", "r:1")]
    assert _born_apart(_one_name_at_home(births), weighed.with_columns(pl.lit("birth_date").alias(HELD_BY))) == [("r:0", "r:1")]
    assert _born_apart(_one_name_at_home(births).drop("mk_birth_date")) == []


def _household_records(rows: int, **columns: list) -> pl.DataFrame:
    """Records `a:i`, `b:i` of one family name, street and postal code, with `columns` (one value per record)."""
    return pl.DataFrame(
        {
            "record_key": [f"{side}:{i}" for i in range(rows) for side in "ab"],
            "std_family_name": ["benthin"] * 2 * rows,
            "mk_family_roman": ["benthin"] * 2 * rows,
            "mk_address": ["12mainst"] * 2 * rows,
            "std_postal_code": ["M72LF"] * 2 * rows,
            **columns,
        }
    )


def test_twins_of_one_household_are_held_unless_an_email_or_a_mobile_weighs_for_them() -> None:
    """Given names apart outright at one address: the shared birth date does
    not link them (twins). A shared email or mobile does; a shared landline,
    or a phone whose plan does not tell mobile from fixed (US), does not: the
    pair is held for review. Neighbours of other addresses are not asked."""
    rows = [
        ("else", "exact", -4.1, 10.7, "same"),  # a shared landline
        ("else", "exact", 10.4, -4.1, "same"),  # a shared email
        ("else", "exact", -4.1, 10.7, "same"),  # a shared mobile
        ("else", "exact", -4.1, 10.7, "same"),  # a shared US phone
        ("else", "exact", -4.1, 10.7, "same"),  # a shared landline, other streets and family names
    ]
    types = ["fixed_line", None, "mobile", "other", "fixed_line"]
    records = _household_records(
        len(rows),
        std_given_name=["anna", "maria"] * len(rows),
        std_phone=["+441611234567", "+441611234567", None, None, *["+447700900123"] * 2, *["+12125550123"] * 2, "+441611234567", "+441611234568"],
        std_phone_type=[t for t in types for _ in "ab"],
    ).with_columns(
        mk_address=pl.Series(["12mainst"] * 8 + ["12mainst", "3highst"]),
        mk_family_roman=pl.Series(["benthin"] * 8 + ["benthin", "smith"]),
    )
    pairs = _person_pairs(rows).with_columns(mw_address=pl.Series([9.7] * 4 + [-2.9]))  # the street comparison says so too
    assert _ruled(pairs, PERSON, records) == [
        ("a:0", "given_name"), ("a:1", None), ("a:2", None), ("a:3", "given_name"), ("a:4", None),
    ]


def test_one_flat_written_two_ways_is_one_household_by_the_street_comparison() -> None:
    """Twins Олена and Сергій Мельник of one birth date and flat, one in a
    Russian CRM (`ул Лесная д 7 кв 12`, no postal code) and one in a
    Ukrainian shop (`вул Лесная 7 кв 12`), other mobiles: their address keys
    differ, yet the street comparison weighs for the pair (the same numbers,
    a near street), so they are one household's and held for review, as
    twins of one address key are. A street the model weighs against (another
    house) is no household; nor is a pair whose street comparison the
    pairs lack."""
    rows = [("else", "exact", -2.4, -2.7, "same")] * 3
    records = pl.DataFrame(
        {
            "record_key": [f"{side}:{i}" for i in range(3) for side in "ab"],
            "std_family_name": ["мельник"] * 6,
            "mk_family_roman": ["melnik"] * 6,
            "std_given_name": ["олена", "сергій"] * 3,
            "mk_address": ["ullesnayad7kv12", "vullesnaya7kv12"] * 3,
            "std_postal_code": [None, "61000"] * 3,
            "std_phone": ["+380501110001", "+380671110002"] * 3,
            "std_phone_type": ["mobile"] * 6,
        }
    )
    pairs = _person_pairs(rows).with_columns(mw_address=pl.Series([8.0, -4.9, 0.0]))
    assert _ruled(pairs, PERSON, records) == [("a:0", "given_name"), ("a:1", None), ("a:2", None)]
    assert _ruled(pairs.drop("mw_address"), PERSON, records) == [("a:0", None), ("a:1", None), ("a:2", None)]


def test_a_name_of_the_same_words_in_another_order_is_no_other_given_name() -> None:
    """`WANJIRU PETER MWANGI` and `PETER MWANGI WANJIRU` of one birth date and
    P.O. box, other mobiles: split into parts, the given names (`peter`,
    `mwangi`) differ, but the words are the same set, so the pair is one
    name written in another order and not held as twins; twins' words differ."""
    rows = [("else", "exact", 0.0, -2.7, "same")] * 2
    records = pl.DataFrame(
        {
            "record_key": ["a:0", "b:0", "a:1", "b:1"],
            "std_family_name": ["wanjiru", "mwangi", "wanjiru", "wanjiru"],
            "std_given_name": ["peter", "wanjiru", "peter", "grace"],
            "mk_name_words": ["mwangi peter wanjiru", "mwangi peter wanjiru", "mwangi peter wanjiru", "grace mwangi wanjiru"],
            "mk_family_roman": ["wanjiru", "mwangi", "wanjiru", "wanjiru"],
            "mk_given_roman": ["peter", "wanjiru", "peter", "grace"],
            "mk_address": ["pobox35450nyeri", "box35450nyeri"] * 2,
            "std_postal_code": [None] * 4,
            "std_phone": ["+254713000001", "+254706000002"] * 2,
            "std_phone_type": ["mobile"] * 4,
        }
    )
    pairs = _person_pairs(rows).with_columns(mw_address=pl.lit(6.5))
    assert _ruled(pairs, PERSON, records) == [("a:0", None), ("a:1", "given_name")]


def test_a_father_and_his_son_of_one_name_and_home_are_held_unless_an_email_or_a_mobile_weighs_for_them() -> None:
    """One name at one address, birth dates apart outright (no `Jr.`
    written): the exact given name outweighs the birth date on balance, yet
    the pair is held for review, as twins are. A shared email or mobile
    links it (a birth date typed wrong); so does a near birth date; the same
    name at another street and postal code is not the household's."""
    rows = [
        ("exact", "else", 0.0, 10.7, "same"),  # a shared landline
        ("exact", "else", 10.4, 10.7, "same"),  # a shared email
        ("exact", "else", 0.0, 10.7, "same"),  # a shared mobile
        ("exact", "else", 0.0, 0.0, "same"),  # another street and postal code
        ("exact", "typo", 0.0, 10.7, "same"),  # a near birth date
        ("exact", "else", 0.0, 10.7, "same"),  # a shared landline, no email comparison in the model
    ]
    types = ["fixed_line", "fixed_line", "mobile", None, "fixed_line", "fixed_line"]
    records = _household_records(
        len(rows),
        std_given_name=["christian"] * 2 * len(rows),
        std_phone=[*["+4930123456"] * 4, *["+491701234567"] * 2, "+4989111111", "+4940222222", *["+4930123456"] * 4],
        std_phone_type=[t for t in types for _ in "ab"],
    ).with_columns(
        mk_address=pl.Series(["12mainst"] * 6 + ["12mainst", "3highst"] + ["12mainst"] * 4),
        std_postal_code=pl.Series(["10115"] * 6 + ["10115", "80331"] + ["10115"] * 4),
    )
    pairs = _person_pairs(rows).with_columns(mw_address=pl.Series([9.7] * 3 + [0.0] + [9.7] * 2))  # a:3 moved: a null level
    assert _ruled(pairs, PERSON, records)[:5] == [
        ("a:0", "birth_date"), ("a:1", None), ("a:2", None), ("a:3", None), ("a:4", None),
    ]
    # a model without an email comparison has no contact of the person's to ask for (FEBRL): linked
    assert _ruled(pairs.drop("mw_email"), PERSON, records)[5] == ("a:5", None)
    # held, never linked
    assert without_household_pairs(pairs, PERSON, records)["record_key_l"].to_list() == ["a:1", "a:2", "a:3", "a:4"]


def _carriers(numbers: list[str], given: list[str | None], births: list[str | None]) -> pl.DataFrame:
    return pl.DataFrame(
        {"record_key": [f"r:{i}" for i in range(len(numbers))], "std_phone": numbers, "mk_given_roman": given, "mk_birth_date": births},
        schema_overrides={"mk_given_roman": pl.Utf8, "mk_birth_date": pl.Utf8},
    )


def test_a_number_that_records_of_clearly_different_people_carry_is_a_familys() -> None:
    """A mother and her son, or a father and his son of one name (birth
    dates of other years beyond a typo), on one mobile: the family's number.
    One customer's records differ in a birth-date typo, a name typed
    otherwise, or a birth date missing; a couple born in one year tell
    nothing; a number carried by more records than
    `FAMILY_PHONE_MAX_RECORDS` is no one's."""
    records = _carriers(
        ["+639170000001"] * 3 + ["+639170000002"] * 2 + ["+639170000003"] * 2 + ["+639170000004"] * 2 + ["+639170000005"] * 2,
        ["rosario", "jericho", "miguel", "ana", "anna", "ana", "ana", "rosario", "jericho", "ana", "miguel"],
        ["1961-05-09", "1961-05-22", "1994-06-08", "1961-07-13", "1991-07-13", "1961-07-13", "1994-06-08", "1960-05-09", "1960-05-22", "1961-07-13", None],
    )
    assert sorted(family_phones(records).to_list()) == ["+639170000001", "+639170000003"]
    n = FAMILY_PHONE_MAX_RECORDS + 1
    assert family_phones(_carriers(["+639170000009"] * n, ["ana"] * n, ["1961-07-13"] * n)).to_list() == ["+639170000009"]
    assert family_phones(records.drop("mk_birth_date")).is_empty()


def test_a_mobile_the_family_shares_is_the_households_not_the_persons() -> None:
    """A father and his son of one name and home on the family's one mobile:
    the mobile weighs for them no more than a landline would, and the pair
    is held for review. A couple of other given names on it is held when
    another record of the family carries it too (the mother's, born decades
    apart); on a mobile only the couple carry, the mobile links them."""
    rows = [("exact", "else", 0.0, 10.7, "same"), ("else", "typo", 0.0, 10.7, "same")]
    records = _household_records(
        len(rows),
        std_given_name=["eduardo", "eduardo", "rosario", "jericho"],
        mk_given_roman=["eduardo", "eduardo", "rosario", "jericho"],
        mk_birth_date=["1969-09-08", "2000-08-16", "1960-05-09", "1960-05-22"],
        std_phone=["+639267294948"] * 2 + ["+639050072126"] * 2,
        std_phone_type=["mobile"] * 4,
    )
    mothers = records.filter(pl.col("record_key").is_in(["a:0", "a:1"])).with_columns(
        record_key=pl.Series(["m:0", "m:1"]), std_given_name=pl.lit("kristine"), mk_given_roman=pl.lit("kristine"), mk_birth_date=pl.lit("1983-05-09")
    )
    with_mother = pl.concat([records, mothers])
    assert _ruled(_person_pairs(rows), PERSON, with_mother) == [("a:0", "birth_date"), ("a:1", "given_name")]
    assert _ruled(_person_pairs(rows), PERSON, records) == [("a:0", "birth_date"), ("a:1", None)]


def test_an_initial_is_not_another_given_name() -> None:
    """`R. Ashton` and `Ryan Ashton`: the initial agrees with the name it
    starts, so no rule about a given name that disagrees holds or drops
    the pair; `M.` and `Paul` disagree."""
    rows = [("else", "null", 10.4, 10.7, "null")] * 2  # the same email and phone, no birth date on one side
    records = _household_records(2, std_given_name=["r", "ryan", "m", "paul"], mk_given_roman=["r", "ryan", "m", "paul"])
    assert _ruled(_person_pairs(rows), PERSON, records) == [("a:0", None), ("a:1", "given_name")]


def test_a_son_whose_suffix_his_father_never_writes_is_told_apart_by_the_birth_date() -> None:
    """`CAIO ROCHA` and `CAIO ROCHA FILHO` (a Brazilian father writes no
    suffix; the son's `Filho`, `Júnior`, `Neto` is his name's) share name,
    address, phone and the family mobile: with birth dates that disagree
    outright they are two people. A suffix on one side with the birth date
    agreeing or missing concludes nothing (a form without the field)."""
    rows = [("exact", "else", 10.4, 10.7, "same"), ("exact", "exact", 10.4, 10.7, "same"), ("exact", "null", 10.4, 10.7, "same")]
    records = pl.DataFrame(
        {
            "record_key": [f"{side}:{i}" for i in range(len(rows)) for side in "ab"],
            "std_family_name": ["rodriguesrocha"] * 6,
            "std_given_name": ["caio"] * 6,
            "std_name_suffix": [None, "jr"] * 3,
        }
    )
    assert _ruled(_person_pairs(rows), PERSON, records) == [("a:1", None), ("a:2", None)]
    # without a suffix on either side, the birth date is weighed on balance as before
    unsuffixed = records.with_columns(pl.lit(None, pl.Utf8).alias("std_name_suffix"))
    assert ("a:0", None) in _ruled(_person_pairs(rows), PERSON, unsuffixed)


def test_a_shared_landline_alone_is_held_for_review() -> None:
    """A call-centre record whose name was not parsed and that has no birth
    date shares only the home's landline (and its town) with one of the
    family: nothing about the person identifies the pair, which is held for
    review, not linked. A shared mobile is the person's and links it; so
    does a family name weighing beside the landline, and a phone of unknown
    type."""
    pairs = pl.DataFrame(
        {
            "record_key_l": ["a:0", "a:1", "a:2", "a:3"],
            "record_key_r": ["b:0", "b:1", "b:2", "b:3"],
            "match_probability": [0.95] * 4,
            "mw_family_name": [0.0, 0.0, FAMILY["exact"], 0.0],
            "mw_given_name": [0.0] * 4,
            "mw_birth_date": [0.0] * 4,
            "mw_email": [0.0] * 4,
            "mw_phone": [10.3] * 4,
            "mw_city": [4.8] * 4,
        }
    )
    types = ["fixed_line", "mobile", "fixed_line", None]
    records = pl.DataFrame({"record_key": [f"{side}:{i}" for i in range(4) for side in "ab"], "std_phone_type": [t for t in types for _ in "ab"]})
    assert _ruled(pairs, WITH_FAMILY, records) == [("a:0", "landline"), ("a:1", None), ("a:2", None), ("a:3", None)]
    assert without_household_pairs(pairs, WITH_FAMILY).height == 4  # without the records' phone types: as it weighs


def test_short_given_names_or_kanji_names_of_other_readings_are_two_names() -> None:
    """Twins 舞 and 愛 share the birth date, the address and the landline;
    romanized (mai, ai) they are one edit apart, which the given-name
    comparison's typo level weighs for. Two names of at most three letters
    that differ with birth dates agreeing, or two kanji names written
    otherwise with other readings (優花, 優奈), disagree for the household
    rules: held for review. Longer
    names one letter apart in romaji (kaori, saori: a typo as readily),
    kanji names of one reading (裕子, 祐子: the input method's choice), one
    name's spelling in its own language (李, li) and an initial (m, mai)
    stay agreements."""
    given = [
        ("舞", "愛", "mai", "ai", None, None),
        ("tom", "tim", "tom", "tim", None, None),
        ("優花", "優奈", "yuka", "yuna", None, None),
        ("kaori", "saori", "kaori", "saori", None, None),
        ("裕子", "祐子", "yuko", "yuko", None, None),
        ("李", "li", "ri", "li", "li", None),
        ("m", "mai", "m", "mai", None, None),
    ]
    rows = [("typo", "exact", -4.1, 10.7, "same")] * len(given)  # one household's landline and birth date
    records = _household_records(
        len(given),
        std_given_name=[name for g in given for name in g[:2]],
        mk_given=[name for g in given for name in g[:2]],
        mk_given_roman=[name for g in given for name in g[2:4]],
        mk_given_alt=[name for g in given for name in g[4:]],
        std_phone=["+81523492008"] * 2 * len(given),
        std_phone_type=["fixed_line"] * 2 * len(given),
    )
    ruled = _ruled(_person_pairs(rows), PERSON, records)
    assert ruled == [("a:0", "given_name"), ("a:1", "given_name"), ("a:2", "given_name"), *[(f"a:{i}", None) for i in range(3, 7)]]
    # and with their genders apart too, two people outright (a brother and a sister)
    assert _ruled(_person_pairs([("typo", "exact", -4.1, 10.7, "other")]), PERSON, records.head(2)) == []
    # without the records' given names, the typo level is an agreement
    assert _ruled(_person_pairs(rows[:1]), PERSON, records.head(2).drop("mk_given_roman")) == [("a:0", None)]
    # short names one letter apart with no birth date for the pair may be a typo (pia, pai): not dropped, nor held;
    # two kana readings a syllable apart (アイ, マイ: a call-centre record of one twin) are two names
    typo = _household_records(
        2, std_given_name=["pia", "pai", None, "舞"], mk_given=["pia", "pai", "アイ", "マイ"], mk_given_roman=["pia", "pai", "ai", "mai"],
        mk_given_alt=[None] * 4,
    )
    assert _ruled(_person_pairs([("typo", "null", 0.0, 0.0, "same")] * 2), PERSON, typo) == [("a:0", None)]


def test_a_household_is_told_by_the_romanized_family_name() -> None:
    """Twins of one postal code, one written 井上 and the other `inoue` (a
    web form in romaji), with their own phones and other streets: one
    household by the romanized family name, so given names apart outright
    hold the pair for review; another family name at that postal code does not."""
    rows = [("else", "exact", 0.0, 0.0, "same")] * 2  # no email; phones of each their own
    records = _household_records(
        2,
        std_family_name=["井上", "inoue", "井上", "sakurai"],
        mk_family_roman=["inoue", "inoue", "inoue", "sakurai"],
        std_given_name=["翔太", "shohei"] * 2,
        mk_address=["1-2-3", "123", "1-2-3", "123"],
        std_phone=["+81928101247", "+819067741598"] * 2,
        std_phone_type=["fixed_line", "mobile"] * 2,
    )
    other_streets = _person_pairs(rows).with_columns(mw_address=pl.lit(-2.9))  # the street comparison against them too
    assert _ruled(other_streets, PERSON, records) == [("a:0", "given_name"), ("a:1", None)]


def test_a_person_and_an_organisation_are_never_one_customer() -> None:
    """A business (`Kranich GmbH`) shares the family name, street and
    landline of its owner's household: never linked to a person, not offered
    for review. Two organisations, or an organisation and a record that is
    of neither party (a family name alone), are scored as any pair."""
    rows = [("null", "null", 0.0, 10.7, "null")] * 4
    parties = [("organisation", "person"), ("person", "organisation"), ("organisation", "organisation"), ("organisation", None)]
    records = pl.DataFrame(
        {
            "record_key": [f"{side}:{i}" for i in range(len(rows)) for side in "ab"],
            "std_party": [party for pair in parties for party in pair],
        }
    )
    kept = without_household_pairs(_person_pairs(rows), PERSON, records)
    assert kept["record_key_l"].to_list() == ["a:2", "a:3"]
    assert pairs_under_rules(_person_pairs(rows), PERSON, records)["record_key_l"].to_list() == ["a:2", "a:3"]
    # without the records' parties, nothing is told apart
    assert without_household_pairs(_person_pairs(rows), PERSON, records.drop("std_party")).height == 4


def test_names_that_agree_only_in_the_other_order_are_held_unless_a_birth_date_email_or_mobile_weighs() -> None:
    """`Hung Le` and `Le Hung` of one town, nothing else about the person:
    namesakes of a people that writes names in either order as often as one
    customer, so the pair is held for review. A birth date, email or mobile
    for the pair links it (one customer whose form swapped the fields); so
    do names in the same order; a model comparing no email or phone (FEBRL)
    holds none."""
    rows = [
        ("exact", "null", 0.0, 0.0, "same"),  # nothing else
        ("exact", "null", 10.4, 0.0, "same"),  # a shared email
        ("exact", "exact", 0.0, 0.0, "same"),  # the same birth date
        ("exact", "null", 0.0, 0.0, "same"),  # the names in the same order
    ]
    records = _household_records(
        len(rows),
        mk_family_roman=["le", "hung"] * 3 + ["le", "le"],
        mk_given_roman=["hung", "le"] * 3 + ["hung", "hung"],
        std_phone_type=[None] * 2 * len(rows),
    )
    pairs = _person_pairs(rows)
    assert _ruled(pairs, PERSON, records) == [("a:0", "name_order"), ("a:1", None), ("a:2", None), ("a:3", None)]
    assert without_household_pairs(pairs, PERSON, records)["record_key_l"].to_list() == ["a:1", "a:2", "a:3"]
    no_contact = pairs.drop("mw_email", "mw_phone")
    assert [held for _, held in _ruled(no_contact, PERSON, records)] == [None] * len(rows)


def test_a_cluster_holding_two_lifetime_national_ids_of_one_kind_is_split() -> None:
    """Twins of one family mobile (`ke:1`, `ke:2`, other Kenyan IDs) chained
    through a record without a number (`web:1`): a cannot-link between the
    twins; none for two kinds (a BVN and a NIN of one person), for a passport
    renewed, nor across clusters."""
    keys = ["ke:1", "web:1", "ke:2", "ng:1", "ng:2", "x:1", "x:2", "ke:3"]
    clusters = pl.DataFrame({"record_key": keys, "cluster_id": ["1", "1", "1", "2", "2", "3", "3", "4"]})
    records = pl.DataFrame(
        {
            "record_key": keys,
            "std_national_id": ["12345678", None, "23456789", "22430430587", "61234567890", "AB1234567", "AB7654321", "12345678"],
            "std_national_id_type": ["KE_ID", None, "KE_ID", "NG_BVN", "NG_NIN", "PASSPORT", "PASSPORT", "KE_ID"],
        }
    )
    apart = national_ids_apart(clusters, records)
    assert apart.select("record_key_l", "record_key_r", "decision", "steward").rows() == [
        ("ke:1", "ke:2", "cannot_link", GENERATIONS_APART)
    ]
    assert national_ids_apart(clusters, records.drop("std_national_id_type")).height == 0


def test_no_rule_drops_or_holds_a_pair_of_one_national_id() -> None:
    """Given name and birth date both different outright: the pair goes,
    unless its records share one national identifier (a name written in
    another order, `AGWANG ELIZABETH AWINO` and `AWINO AGWANG ELIZABETH`)."""
    pairs = _pairs([("else", "else"), ("else", "else"), ("else", "null")]).with_columns(
        mw_national_id=pl.Series([20.0, None, 20.0])
    )
    assert sorted(_ruled(pairs, SETTINGS)) == [("a:0", None), ("a:2", None)]
    assert "mw_national_id" not in pairs_under_rules(pairs, SETTINGS).columns


def test_names_whose_words_agree_only_as_a_set_are_held_as_names_in_the_other_order() -> None:
    """`KARANJA MARGARET NJOKI` (read family `njoki`, given `karanja`) and
    `Margaret` / `Karanja` of one town and nothing else about the person are
    held for review, as `Le Hung` and `Hung Le` are; a shared email links
    them. Other words (`KAMAU MARGARET`) are no such agreement."""
    # the given-name comparison at its level of name words, which weighs for a pair
    rows = [("exact", "null", 0.0, 0.0, "same"), ("exact", "null", 10.4, 0.0, "same"), ("exact", "null", 0.0, 0.0, "same")]
    records = _household_records(
        len(rows),
        mk_family_roman=["njoki", "karanja"] * 2 + ["njoki", "kamau"],
        mk_given_roman=["karanja", "margaret"] * 3,
        mk_name_words=["karanja margaret njoki", "karanja margaret"] * 2 + ["karanja margaret njoki", "kamau margaret"],
        std_phone_type=[None] * 2 * len(rows),
    )
    assert _ruled(_person_pairs(rows), PERSON, records) == [("a:0", "name_order"), ("a:1", None), ("a:2", None)]


MIDDLE_LEVELS = [(0.1, 0.2), (0.04, 0.001), (0.8, 0.01), (0.05, 0.02), (0.05, 0.97)]
"""Given-name levels: single name, other middle names (weighs for a pair: a first given name agreeing is rare), exact, typo, else."""


def _with_middle_level(settings: dict) -> dict:
    given = _comparison("given_name", MIDDLE_LEVELS)
    given["comparison_levels"][2]["sql_condition"] = '("std_given_name_l" = "std_given_name_r") AND ("mk_middle_names_l" IS NOT NULL)'
    return {"comparisons": [given if c["output_column_name"] == "given_name" else c for c in settings["comparisons"]]}


def test_a_father_and_his_son_of_one_first_given_name_and_other_middle_names_are_held() -> None:
    """`Akinola / Gbenga Oluwatobi` and `Akinola / Gbenga Segun`, one
    address, no birth dates, their own phones: the given-name comparison's
    level of other middle names weighs for the pair (EM), yet their given
    names are two names for the pair rules, though written alike (the
    compared given name is the first): with nothing about the person for
    the pair the pair goes, with a shared email it is held for review. The
    same first given name (no middle name on one side) is an agreement."""
    settings = _with_middle_level(PERSON)
    middle, exact = (_weight(*MIDDLE_LEVELS[i]) for i in (1, 2))
    rows = [("exact", "null", 0.0, 0.0, "same"), ("exact", "null", 10.4, 0.0, "same"), ("exact", "null", 0.0, 0.0, "same")]
    pairs = _person_pairs(rows).with_columns(mw_given_name=pl.Series([middle, middle, exact]))
    records = _household_records(3, std_given_name=["gbenga"] * 6, std_phone_type=["mobile"] * 6)
    assert _ruled(pairs, settings, records) == [("a:1", "given_name"), ("a:2", None)]
    # a model without the level (trained before it) knows none
    assert _ruled(pairs, PERSON, records)[0] == ("a:0", None)
