"""Chinese-Malaysian names and Filipino middle names: the same on the
per-record and the expression path. Fictional people only."""

from __future__ import annotations

import pytest

from resolution.standardization import names
from resolution.standardization.cjk_names import chinese_family_name_first
from resolution.standardization.filipino_names import without_middle_name
from resolution.standardization.latin_names import (
    FAMILY_NAME_PARTICLES,
    compared_surnames,
    split_latin_full_name,
)

PATHS = {"per_record": 10**9, "expressions": 0}


def _parts(result) -> list[tuple[str | None, str | None]]:
    return result.records.select("std_family_name", "std_given_name").rows()


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["Tan", "Ah", "Kow"], ("Tan", "Ah Kow")),
        (["GOH", "BOON", "HOCK"], ("GOH", "BOON HOCK")),
        (["Wong", "Siew", "Lan"], ("Wong", "Siew Lan")),
        (["Ah", "Kow", "Tan"], None),  # given name first already
        (["Lee", "Hui", "Min"], ("Lee", "Hui Min")),  # `Min` is a Korean family name, no Chinese one
        (["Hui", "Min", "Lee"], None),  # a Chinese family name at both ends tells nothing
        (["Lee", "Ann", "Smith"], None),  # no syllables of a Chinese given name
        (["Tan", "Kow"], None),  # two words: either order
    ],
)
def test_chinese_family_name_first(words, expected):
    assert chinese_family_name_first(words) == expected


@pytest.mark.parametrize("path", PATHS)
def test_chinese_malaysian_names_in_either_order_key_alike(monkeypatch, standardize, path):
    monkeypatch.setattr(names, "_FAST_NAMES_MIN_RECORDS", PATHS[path])
    result = standardize(
        {"full_name": "Teoh Kok Wah"},
        {"full_name": "Kok Wah Teoh"},
        {"full_name": "TEOH KOK WAH"},
        {"given_name": "Kok Wah", "family_name": "Teoh"},
        source_country="MY",
    )
    assert len(set(_parts(result))) == 1 and _parts(result)[0][0] == "teoh"


@pytest.mark.parametrize(
    ("family", "expected"),
    [
        ("Dela Cruz", "Cruz"),
        ("De la Cruz", "Cruz"),
        ("DELACRUZ", "CRUZ"),
        ("Delos Reyes", "Reyes"),
        ("Delosreyes", "reyes"),
        ("Delano", "Delano"),  # no surname after the particle
        ("Dela", "Dela"),
    ],
)
def test_joined_filipino_particles_key_as_spanish_ones(family, expected):
    assert compared_surnames(family) == expected


@pytest.mark.parametrize(
    ("given_words", "expected"),
    [
        (["Juan", "Santos"], ["Juan"]),
        (["Maria", "Teresa", "Dela", "Cruz"], ["Maria", "Teresa"]),
        (["Mark", "Anthony"], ["Mark", "Anthony"]),  # a second given name
        (["Santos"], ["Santos"]),  # no given name would be left
        (["Juan", "S."], ["Juan", "S."]),  # an initial: the given name compared stops at it
    ],
)
def test_without_middle_name(given_words, expected):
    assert without_middle_name(given_words, FAMILY_NAME_PARTICLES) == expected


@pytest.mark.parametrize("path", PATHS)
def test_a_filipino_middle_name_is_neither_given_nor_family_name(monkeypatch, standardize, path):
    """A Filipino's full name with the mother's surname keys as his first
    and last name do; in a Mexican record the same words are a double surname."""
    monkeypatch.setattr(names, "_FAST_NAMES_MIN_RECORDS", PATHS[path])
    result = standardize(
        {"full_name": "Jose Bautista Dela Cruz", "country": "PH"},
        {"full_name": "Jose B. Dela Cruz", "country": "PH"},
        {"given_name": "Jose", "family_name": "Delacruz", "country": "PH"},
        {"full_name": "Jose Dela Cruz Bautista", "country": "PH"},
        {"full_name": "Rodrigo Garcia Lopez", "country": "PH"},
        {"full_name": "Rodrigo Garcia Lopez", "country": "MX"},
        source_country="VN",
    )
    assert _parts(result) == [
        ("cruz", "jose"), ("cruz", "jose"), ("cruz", "jose"), ("bautista", "jose"), ("lopez", "rodrigo"),
        ("garcialopez", "rodrigo"),
    ]  # fmt: skip


def test_middle_name_only_where_told():
    assert split_latin_full_name("Juan Santos Reyes", maternal_middle_name=True) == ("Reyes", "Juan")
    assert split_latin_full_name("María García López") == ("García López", "María")
