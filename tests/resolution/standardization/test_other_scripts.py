"""Names in hanzi, Hangul and CJK katakana: their Latin spelling, and where a
katakana full name splits."""

from __future__ import annotations

import pytest

from resolution.standardization.other_scripts import (
    alternative_romanization,
    hangul_romanization,
    pinyin,
    split_katakana_full_name,
)


@pytest.mark.parametrize(
    ("value", "family", "expected"),
    [
        ("王", True, "wang"),
        ("偉", False, "wei"),
        ("建國", False, "jianguo"),  # traditional and simplified alike
        ("建国", False, "jianguo"),
        ("周", True, "zhou"),  # no romanized Japanese: not folded, as the Latin key of `Zhou` is not
        ("吕", True, "lu"),
        ("김", True, "kim"),
        ("이", True, "lee"),
        ("남궁", True, "namgoong"),
        ("민준", False, "minjun"),
        ("현우", False, "hyunwo"),  # hyunwoo, long vowel folded
        ("서연", False, "seoyeon"),
        ("キム", True, "kim"),
        ("ワン", True, "wang"),
        ("ワン", False, None),  # the table is of family names
        ("美加子", False, None),  # three characters: a Japanese name, no pinyin
        ("wang", True, "vang"),  # a Latin name: the transliterations' fold (w as v)
        ("さくら", False, None),
    ],
)
def test_alternative_romanization(value, family, expected):
    assert alternative_romanization(value, family) == expected


def test_a_name_that_is_no_romaji_keeps_its_folded_spelling():
    assert alternative_romanization("iurii", family=False) is None  # could be romanized Japanese
    assert alternative_romanization("iurii", family=False, romaji=False) == "iuri"
    assert alternative_romanization("ワン", family=True, romaji=False) == "wang"


def test_hangul_given_names_by_syllable():
    assert hangul_romanization("지호", family=False) == "jiho"
    assert hangul_romanization("한글", family=False) == "hangeul"  # Revised Romanization where no usual spelling
    assert hangul_romanization("김", family=False) == "gim"  # a given-name syllable, not the family name
    assert hangul_romanization("Kim", family=True) is None


def test_pinyin_only_for_short_hanzi_parts():
    assert pinyin("李") == "li"
    assert pinyin("欧阳修") is None
    assert pinyin("山田たろう") is None


@pytest.mark.parametrize(
    ("full", "expected"),
    [
        ("ワン・ウェイ", ("ワン", "ウェイ")),  # Chinese: family first
        ("ウェイ・ワン", ("ワン", "ウェイ")),  # the known family name decides
        ("チャン・リー", ("チャン", "リー")),  # both known: family first
        ("キム・ミンジュン", ("キム", "ミンジュン")),
        ("グエン・ヴァン・アン", ("グエン", "ヴァン・アン")),
        ("ジョン・スミス", None),  # Western: left whole (its katakana meets no Latin spelling)
        ("ジャン=ピエール", None),
        ("ヤマダ タロウ", None),  # spaced: split elsewhere
    ],
)
def test_split_katakana_full_name(full, expected):
    assert split_katakana_full_name(full) == expected
