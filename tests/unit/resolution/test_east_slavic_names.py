"""Russian, Ukrainian and Belarusian forms of one given name are one name;
other names, a man's and a woman's of one root among them, stay apart."""

from __future__ import annotations

import pytest

from resolution.east_slavic_names import (
    EAST_SLAVIC_GIVEN_NAMES,
    FAMILY_MARK,
    _families_by_spelling,
    east_slavic_family,
)


@pytest.mark.parametrize(
    ("family", "forms"),
    [
        # Russian, Ukrainian, Belarusian; English, passport ICAO, BGN, German and French spellings
        ("aleksandr", ["александр", "олександр", "аляксандр", "alexander", "aleksandr", "alexandr", "oleksandr", "aliaksandr"]),
        ("aleksey", ["алексей", "олексій", "аляксей", "aleksei", "alexey", "alexej", "oleksii", "oleksiy", "aliaksei"]),
        ("yuri", ["юрий", "юрій", "юрый", "yuri", "yuriy", "iurii", "jurij", "yurii", "iouri", "juri"]),
        ("dmitry", ["дмитрий", "дмитро", "дзмітрый", "dmitry", "dmitriy", "dmitrii", "dmitrij", "dmytro", "dzmitry"]),
        ("sergey", ["сергей", "сергій", "сяргей", "sergey", "sergei", "sergej", "serhii", "serhiy", "siarhei"]),
        ("evgeny", ["евгений", "євген", "яўген", "evgeny", "yevgeniy", "jewgeni", "yevhen", "ievgen"]),
        ("elena", ["елена", "олена", "elena", "yelena", "jelena", "olena"]),
        ("alyona", ["алёна", "алена", "альона", "alena", "alyona", "aliona", "alona"]),
        ("natalya", ["наталья", "наталия", "наталія", "наталля", "natalya", "natalia", "nataliia", "natalja"]),
        ("tatyana", ["татьяна", "тетяна", "таццяна", "tatyana", "tatiana", "tatjana", "tetiana", "tetyana"]),
        ("pyotr", ["пётр", "петр", "петро", "пятро", "pyotr", "petr", "petro", "piotr", "pjotr"]),
        ("nikolay", ["николай", "микола", "мікалай", "nikolay", "nikolai", "nikolaj", "mykola", "mikalai"]),
        ("vladimir", ["владимир", "володимир", "уладзімір", "vladimir", "wladimir", "volodymyr", "uladzimir"]),
        ("olga", ["ольга", "вольга", "olga", "olha", "volha"]),
        ("galina", ["галина", "галіна", "galina", "halyna", "halina"]),
    ],
)
def test_forms_and_spellings_of_one_name_are_one_family(family, forms):
    assert {east_slavic_family(form) for form in forms} == {f"{FAMILY_MARK}{family}"}


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("alexander", "alexandra"), ("александр", "александра"), ("oleksandr", "oleksandra"),
        ("evgeny", "evgenia"), ("євген", "євгенія"), ("yevgeniy", "yevheniia"),
        ("yuri", "yulia"), ("юрий", "юлия"), ("iurii", "iuliia"),
        ("elena", "alena"), ("олена", "альона"), ("egor", "igor"), ("oleg", "olga"),
        ("valentin", "valentina"), ("valery", "valeria"), ("vitaly", "viktor"),
    ],
)  # fmt: skip
def test_other_names_stay_other_names(left, right):
    assert east_slavic_family(left) != east_slavic_family(right)


def test_names_of_their_own_elsewhere_are_no_forms():
    """`Hanna` is Ганна in Ukrainian, but a German Hanna and Anna are sisters."""
    assert east_slavic_family("ганна") == east_slavic_family("anna")
    assert east_slavic_family("hanna") is None
    assert east_slavic_family("michael") is None  # other languages' forms of a name are not its spellings
    assert east_slavic_family("zorblax") is None
    assert east_slavic_family("") is None


def test_no_two_families_share_a_folded_spelling():
    families = _families_by_spelling()  # raises when two do
    assert set(families.values()) == set(EAST_SLAVIC_GIVEN_NAMES)
