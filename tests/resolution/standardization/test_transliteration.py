"""Cyrillic and Greek names: their Latin spelling, the folded spelling the
transliteration systems share, and the keys that let them meet their Latin
twins (made-up names)."""

from __future__ import annotations

import pytest

from resolution.match_keys import add_match_keys
from resolution.standardization import names
from resolution.standardization.latin_names import latin_name
from resolution.standardization.other_scripts import alternative_romanization
from resolution.standardization.readings import comparable_romanization
from resolution.standardization.transliteration import (
    latin_spelling,
    phonetic_fold,
    without_accents,
)


@pytest.mark.parametrize(
    ("written", "spelled"),
    [
        ("иванов", "ivanov"),
        ("щукина", "shchukina"),
        ("хрущёв", "khrushchev"),
        ("юлия", "yuliya"),
        ("андрій", "andriy"),  # Ukrainian: і tells the table
        ("григорій", "hryhoriy"),  # and then г is h, и y
        ("ганна", "ganna"),  # no letter tells: Russian
        ("ђорђевић", "dordevic"),  # Serbian, as its Latin alphabet without accents
        ("събев", "sabev"),  # Bulgarian ъ before a consonant
        ("παπαδοπουλος", "papadopoulos"),
        ("ευαγγελος", "evangelos"),
        ("ευθυμιος", "efthymios"),  # ευ before a voiceless consonant
        ("χατζηδακης", "chatzidakis"),
        ("müller", "muller"),  # other letters lose their accents only
    ],
)
def test_latin_spelling(written, spelled):
    assert latin_spelling(written) == spelled


@pytest.mark.parametrize(
    "spellings",
    [
        ("ivanov", "iwanow"),  # English, German/Polish
        ("shchukin", "schtschukin", "szczukin"),
        ("yuriy", "jurij", "yuri", "iurii"),
        ("sergey", "sergej", "sergei"),
        ("yuliya", "julija", "yulia", "julia"),
        ("yevgeniy", "jewgenij", "evgeni"),
        ("aleksey", "alexei"),
        ("papadopoulos", "papadopulos"),
        ("chatzidakis", "hatzidakis"),
        ("aikaterini", "ekaterini"),
        ("konstantinos", "konstandinos"),
        ("mpakogiannis", "bakogiannis"),
    ],
)
def test_transliterations_of_one_name_fold_alike(spellings):
    assert len({phonetic_fold(spelling) for spelling in spellings}) == 1


@pytest.mark.parametrize(("one", "other"), [("ivanov", "ivanova"), ("petrenko", "petrenkov"), ("shevchenko", "savchenko")])
def test_different_names_stay_apart(one, other):
    assert phonetic_fold(one) != phonetic_fold(other)


def test_short_i_is_no_i_after_accents_are_dropped():
    """`й` (и with a breve) and `ї` are letters of their own; other marks go."""
    assert without_accents("Андрій Йосип") == "Андрій Йосип"
    assert without_accents("Фёдор Παπαδόπουλος José") == "Федор Παπαδοπουλος Jose"
    assert latin_name("Сергій") == "сергій"
    assert comparable_romanization(latin_name("Сергій")) == "serhiy"


@pytest.mark.parametrize(
    ("written", "latin"),
    [("иванов", "iwanow"), ("юрий", "jurij"), ("χατζηδακης", "hatzidakis"), ("μπακογιαννης", "bakogiannis")],
)
def test_script_and_latin_spellings_agree_on_the_alternative_level(written, latin):
    """The name comparison's alternative level (`AlternativeSpellingLevel`):
    one side's romanized key is the other's alternative, or both alternatives
    are equal."""
    keys = [(comparable_romanization(name), alternative_romanization(name, family=True)) for name in (written, latin)]
    (roman_l, alternative_l), (roman_r, alternative_r) = keys
    assert roman_l != roman_r
    assert roman_l == alternative_r or alternative_l == roman_r or (alternative_l and alternative_l == alternative_r)


@pytest.mark.parametrize("romaji", ["keiko", "chika", "junko", "yuuki"])
def test_a_name_romanized_japanese_can_spell_gets_no_folded_alternative(romaji):
    """`Keiko` folded (`kiko`) would meet Kiko, `Chika` Hika: Japanese names
    written in Latin keep their romanized key only."""
    assert alternative_romanization(romaji, family=False) is None


@pytest.mark.parametrize("path", (10**9, 0))
def test_cyrillic_and_greek_records_are_keyed_and_labelled(monkeypatch, standardize, path):
    monkeypatch.setattr(names, "_FAST_NAMES_MIN_RECORDS", path)
    rows = [
        {"family_name": "Иванов", "given_name": "Сергей"},
        {"full_name": "Сергей Иванов"},
        {"family_name": "Παπαδόπουλος", "given_name": "Γιώργος"},
        {"family_name": "Iwanow", "given_name": "Sergej"},
    ]
    records = add_match_keys(standardize(*rows, source_country="DE").records)
    got = records.select("std_name_script", "mk_family_roman", "mk_given_roman", "mk_family_alt", "mk_given_alt").rows()
    assert got == [
        ("cyrillic", "ivanov", "sergey", None, "sergi"),
        ("cyrillic", "ivanov", "sergey", None, "sergi"),
        ("greek", "papadopoulos", "giorgos", "papadopulos", None),
        ("latin", "iwanow", "sergej", "ivanov", "sergi"),
    ]
