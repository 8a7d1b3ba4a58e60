"""Romanized readings: readings a legacy export wrote without small kana meet
the ones written with them, and names that differ there stay apart."""

from __future__ import annotations

import pytest

from resolution.match_keys import add_match_keys
from resolution.standardization.readings import comparable_romanization


@pytest.mark.parametrize(
    ("legacy", "modern", "romaji"),
    [
        ("キヨウコ", "キョウコ", "Kyoko"),
        ("キヨウコ", "キョウコ", "Kyouko"),
        ("シユンイチ", "シュンイチ", "Shunichi"),
        ("ジユンコ", "ジュンコ", "Junko"),
        ("シヨウタ", "ショウタ", "Shota"),
        ("リヨウ", "リョウ", "Ryo"),
        ("リユウジ", "リュウジ", "Ryuji"),
        ("チヨウ", "チョウ", "Cho"),
        ("ジヨウジ", "ジョウジ", "Joji"),
        ("シユウヘイ", "シュウヘイ", "Shuhei"),
        ("ギヨウ", "ギョウ", "Gyo"),
        ("ニユウ", "ニュウ", "Nyu"),
        ("ハツトリ", "ハットリ", "Hattori"),
        ("ホツタ", "ホッタ", "Hotta"),
        ("イツペイ", "イッペイ", "Ippei"),
    ],
)
def test_a_reading_without_small_kana_meets_its_modern_and_romaji_spellings(legacy, modern, romaji):
    assert comparable_romanization(legacy) == comparable_romanization(modern) == comparable_romanization(romaji)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("キヨコ", "キョウコ"),  # Kiyoko is not Kyoko
        ("Kiyoko", "Kyoko"),
        ("キヨシ", "キョウシ"),
        ("ミユキ", "ミュウキ"),
        ("イツキ", "イッキ"),  # Itsuki is not Ikki
        ("チヨコ", "チョウコ"),
        ("キヨオ", "キョウ"),  # 清雄 is not 恭
    ],
)
def test_names_that_differ_in_small_kana_where_both_are_names_stay_apart(one, other):
    assert comparable_romanization(one) != comparable_romanization(other)


@pytest.mark.parametrize(
    ("name", "key"),
    [("ヨシユキ", "yoshiyuki"), ("チヨダ", "chiyoda"), ("キヨシ", "kiyoshi"), ("ミユキ", "miyuki"),
     ("Priya", "priya"), ("マツモト", "matsumoto"), ("Setsuko", "setsuko")],
)  # fmt: skip
def test_large_kana_a_legacy_spelling_cannot_be_told_from_are_read_as_written(name, key):
    assert comparable_romanization(name) == key


def test_legacy_kana_is_kept_as_written_and_meets_in_the_romanized_key(standardize):
    rows = [
        {"full_name": "中村 恭子", "full_name_kana": "ﾅｶﾑﾗ ｷﾖｳｺ"},
        {"full_name": "中村 恭子", "full_name_kana": "ナカムラ キョウコ"},
        {"family_name": "Nakamura", "given_name": "Kyoko"},
    ]
    records = add_match_keys(standardize(*rows).records)
    # the reading the customer's record shows is the one its source wrote
    assert records["std_given_kana"].to_list() == ["キヨウコ", "キョウコ", None]
    assert records["mk_given_roman"].to_list() == ["kyoko", "kyoko", "kyoko"]


@pytest.mark.parametrize(
    ("one", "other"),
    [("Bos", "Boos"), ("Brouwer", "Brower"), ("Noort", "Nort"), ("Timmermans", "Tinmermans"), ("Hoogland", "Hogland")],
)
def test_latin_names_romanized_japanese_cannot_spell_keep_their_letters(one, other):
    """Long vowels and `m` before b/p/m are folded as romaji only in names
    Japanese can spell: `Boos` is not `Bos`, `Brouwer` keeps its `ou`."""
    assert comparable_romanization(one) == one.lower()
    assert comparable_romanization(one) != comparable_romanization(other)


@pytest.mark.parametrize(
    ("romaji", "kana"),
    [("Satoh", "サトウ"), ("Ohno", "オオノ"), ("Homma", "ホンマ"), ("Shoutarou", "ショウタロウ"), ("Yuuki", "ユウキ"),
     ("Hattori", "ハットリ"), ("Matcha", "マッチャ")],
)  # fmt: skip
def test_romaji_still_meets_its_kana(romaji, kana):
    assert comparable_romanization(romaji) == comparable_romanization(kana)
