"""Chinese and Korean names: the Chinese split, the folded spellings a name in
hanzi or Hangul shares with its Latin spellings, and given names written
syllable by syllable. All names are generated."""

from __future__ import annotations

import polars as pl
import pytest

from resolution.standardization.cjk_names import (
    _SYLLABLE_SHAPE,
    CANTONESE_SHARED_FAMILY_NAMES,
    _syllable_keys,
    chinese_key,
    korean_key,
    split_chinese_full_name,
    syllable_given_name,
    written_given_name_first,
)
from resolution.standardization.names import ZH, standardize_name


@pytest.mark.parametrize(
    ("full", "expected"),
    [
        ("陈怡君", ("陈", "怡君")),
        ("李娜", ("李", "娜")),
        ("欧阳娜", ("欧阳", "娜")),
        ("司馬家明", ("司馬", "家明")),
        ("欧阳", ("欧", "阳")),  # two characters: a compound family name leaves no given name, so it is none
        ("王", None),
        ("王小明的公司有限", None),  # too long for one person's name
        ("山田はな", None),
    ],
)
def test_split_chinese_full_name(full, expected):
    assert split_chinese_full_name(full) == expected


def test_a_chinese_record_is_split_chinese_style_without_japanese_readings():
    name = standardize_name(None, None, "林志建", None, None, None, False, chinese_context=True)
    assert (name.family, name.given, name.script) == ("林", "志建", ZH)
    assert (name.family_kana, name.given_kana, name.full_kana, name.kana_issue) == (None, None, None, None)
    assert standardize_name(None, None, "歐陽娜", None, None, None, False, chinese_context=True).family == "欧陽"


def test_a_japanese_record_in_kanji_keeps_its_japanese_split_and_readings():
    japanese = standardize_name(None, None, "林志建", None, None, None, True)
    assert (japanese.family, japanese.script, japanese.family_kana) == ("林", "ja", "ハヤシ")
    # kana makes a name Japanese wherever its bearer lives
    assert standardize_name(None, None, "山田はな", None, None, None, False, chinese_context=True).script == "ja"


@pytest.mark.parametrize(
    ("spellings", "family"),
    [
        (("张", "張", "Zhang", "Chang", "CHEUNG"), True),
        (("陈", "Chen", "Chan"), True),
        (("王", "汪", "Wang"), True),
        (("黄", "黃", "Huang"), True),
        (("吴", "Wu", "Ng"), True),
        (("林", "Lin", "Lam"), True),
        (("欧阳", "歐陽", "Ouyang", "Ou-Yang", "Au-Yeung"), True),
        (("怡君", "Yijun", "Yi-Chun", "Yi Chun", "yichun"), False),
        (("家丽", "Jiali", "Chia-Li", "Chiali"), False),
        (("秀娟", "Xiujuan", "Hsiu-Chuan"), False),
        (("志明", "Zhiming", "Chih-Ming"), False),
        (("建国强", "Jianguoqiang", "Chien-Kuo-Chiang"), False),  # three characters too
    ],
)
def test_chinese_spellings_share_one_key(spellings, family):
    keys = {chinese_key(spelling, family) for spelling in spellings}
    assert len(keys) == 1 and None not in keys, keys


def test_a_hong_kong_spelling_two_names_share_is_its_own_key_and_names_both():
    # 王 and 黄 are both Wong in Hong Kong, and two names everywhere else
    assert chinese_key("王", True) != chinese_key("黄", True)
    assert chinese_key("Wong", True) == chinese_key("WONG", True) == "wong"
    assert CANTONESE_SHARED_FAMILY_NAMES["wong"] == (chinese_key("王", True), chinese_key("黄", True))


def test_chinese_key_refuses_what_is_no_chinese_syllable():
    assert chinese_key("Vincent", False) is None
    assert chinese_key("O'Brien", True) is None
    assert chinese_key("Wang", True) != chinese_key("Zhang", True)
    assert chinese_key("Chen", True) != chinese_key("Cheng", True)


@pytest.mark.parametrize(
    ("spellings", "family"),
    [
        (("이", "Lee", "Yi", "Rhee", "I"), True),
        (("박", "Park", "Pak", "Bak"), True),
        (("최", "Choi", "Choe"), True),
        (("정", "Jung", "Jeong", "Chung"), True),
        (("남궁", "Namgung", "Namgoong", "Namkoong"), True),
        (("선우", "Sunwoo", "Seonu"), True),
        (("서", "Seo", "Suh"), True),
        (("김", "Kim", "Gim"), True),
        (("주호", "Juho", "Joo-ho", "JOOHO"), False),
        (("서준", "Seo-jun", "Seojun", "Suh Joon"), False),
        (("현우", "Hyeon-u", "Hyunwoo", "Hyun-woo"), False),
        (("경수", "Gyeongsu", "Kyung-soo"), False),
        (("도윤", "Doyun", "Do Yun", "Doyoon"), False),
        (("희진", "Huijin", "Heejin"), False),
        (("현경", "Hyun Kyung", "Hyunkyung", "Hyeon Kyung"), False),  # hyeon|gyeong, not hyeong|yeong
        (("은경", "Eun Kyung", "Eunkyung"), False),
        (("안나", "Anna"), False),  # the n where two syllables meet is one, as in Latin
    ],
)
def test_korean_spellings_share_one_key(spellings, family):
    keys = {korean_key(spelling, family) for spelling in spellings}
    assert len(keys) == 1 and None not in keys, keys


def test_korean_key_keeps_other_names_apart():
    assert korean_key("정", True) != korean_key("전", True)  # Jung, Jeon
    assert korean_key("민준", False) != korean_key("민정", False)
    assert korean_key("김", True) != korean_key("강", True)
    assert korean_key("山田", True) is None


@pytest.mark.parametrize(
    ("given", "family", "expected"),
    [
        ("Do Yun", "Kim", "doyun"),
        ("TAE YUN", "LEE", "taeyun"),
        ("Tai Man", "Chan", "taiman"),
        ("Seo Jun", "Park", "seojun"),
        ("Yi Chun", "Chang", "yichun"),
        ("Mary Ann", "Lee", None),  # a Western double given name keeps its first name alone
        ("Jo Ann", "Smith", None),  # no Chinese or Korean family name
        ("Vincent Tai Man", "Wong", None),
        ("Doyun", "Kim", None),  # one word: nothing to join
        ("Do Yun", None, None),
    ],
)
def test_syllable_given_name(given, family, expected):
    assert syllable_given_name(given, family) == expected


def test_every_chinese_syllable_has_the_shape_told_before_loading_them():
    # the shape is checked first so that a Western name never loads pypinyin: it must let every syllable through
    keys = _syllable_keys()
    assert len(keys) > 400
    assert [key for key in keys if not _SYLLABLE_SHAPE.match(key)] == []
    assert [word for word in ("mary", "ann", "paul", "marie", "smith") if _SYLLABLE_SHAPE.match(word)] == []


def test_a_latin_given_name_of_syllables_is_compared_whole():
    name = standardize_name("Kim", "Do Yun", None, None, None, None, False)
    assert (name.family, name.given) == ("kim", "doyun")
    assert standardize_name("Lee", "Mary Ann", None, None, None, None, False).given == "mary"


@pytest.mark.parametrize(
    ("family", "given", "swapped"),
    [
        ("Sang U", "PARK", True),  # a web form's boxes filled family name first
        ("qiangda", "liu", True),
        ("Mei-ling", "Chan", True),
        ("Kim", "Minjun", False),
        ("Wang", "Lin", False),  # both family names: nothing tells which is which
        ("Chen", "Vivian", False),
        (None, "Lee", False),
    ],
)
def test_written_given_name_first(family, given, swapped):
    frame = pl.DataFrame({"family": [family], "given": [given]}, schema={"family": pl.Utf8, "given": pl.Utf8})
    found = frame.select(written_given_name_first(pl.col("family"), pl.col("given")).fill_null(False)).item()
    assert found is swapped
