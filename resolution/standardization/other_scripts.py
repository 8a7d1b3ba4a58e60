"""Names written in Chinese characters, Hangul, CJK katakana, Cyrillic or
Greek: the Latin spelling their own language gives them.

The romanized match key of a name (`match_keys`) is its *Japanese* reading:
王 is `o` (or `wan` from the kana ワン), 偉 `i`, 김 has none. A customer from
China or Korea writes the same name `Wang Wei` or `Kim Minjun` elsewhere, so
each name part also gets an alternative spelling: pinyin for a name in hanzi
(kanji), a romanization for one in Hangul (the family names as Koreans spell
them in passports, `이` Lee, `박` Park; given names syllable by syllable in
the spellings most common in passports, `현` hyun, `우` woo, else Revised
Romanization), and for a katakana family name that is a common Chinese,
Korean or Vietnamese one (`ワン`, `キム`) its usual Latin spelling. A name in
Cyrillic or Greek, and a Latin one that may be their transliteration, gets
the spelling the transliteration systems share (`Iwanow`, `Ivanov`,
`Иванов`: `transliteration.phonetic_fold`). A name in Arabic script gets its
consonant key (`arabic_names.consonant_skeleton`: `فاطمة` `FTM`), which the
Latin spellings' consonant key (`mk_*_consonants`) meets. A name in Thai
script gets its Royal Thai General System spelling (`thai_names.rtgs`:
`ธนากร` `thanakon`), which a Latin spelling as the passport writes it meets;
the other usual spellings meet its folded key (`thai_names.thai_spelling_key`,
in `mk_*_cjk`). Values are computed once per distinct name part.
"""

from __future__ import annotations

import re
from functools import lru_cache

from resolution.standardization.arabic_names import ARABIC_LETTER, consonant_skeleton
from resolution.standardization.readings import ROMAJI, comparable_romanization
from resolution.standardization.thai_names import rtgs
from resolution.standardization.transliteration import CYRILLIC_OR_GREEK, phonetic_fold

HANGUL_SYLLABLES = re.compile(r"^[\uac00-\ud7a3]+$")
HANZI_NAME = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]+$")

MAX_PINYIN_LENGTH = 2
"""Pinyin only for name parts of at most this many characters: Chinese
family names have one (rarely two), given names one or two. Longer
parts are Japanese (or an unsplit full name): no Chinese spelling to meet."""

HANGUL_FAMILY_NAME_SPELLINGS = {
    "김": "kim", "이": "lee", "리": "lee", "박": "park", "최": "choi", "정": "jung", "강": "kang", "조": "cho",
    "윤": "yoon", "장": "jang", "임": "lim", "림": "lim", "한": "han", "오": "oh", "서": "seo", "신": "shin",
    "권": "kwon", "황": "hwang", "안": "ahn", "송": "song", "류": "ryu", "유": "yoo", "전": "jeon", "홍": "hong",
    "고": "ko", "문": "moon", "양": "yang", "손": "son", "배": "bae", "백": "baek", "허": "heo", "남": "nam",
    "심": "shim", "노": "noh", "하": "ha", "곽": "kwak", "성": "sung", "차": "cha", "주": "joo", "우": "woo",
    "구": "koo", "민": "min", "진": "jin", "나": "na", "엄": "um", "채": "chae", "원": "won", "천": "chun",
    "방": "bang", "공": "kong", "현": "hyun", "함": "ham", "변": "byun", "염": "yeom", "여": "yeo", "추": "choo",
    "도": "do", "석": "seok", "선": "sun", "설": "seol", "마": "ma", "길": "gil", "연": "yeon", "표": "pyo",
    "명": "myung", "기": "ki", "반": "ban", "왕": "wang", "금": "keum", "옥": "ok", "육": "yook", "인": "in",
    "맹": "maeng", "제": "je", "모": "mo", "탁": "tak", "국": "kook", "은": "eun", "편": "pyun", "용": "yong",
    "남궁": "namgoong", "황보": "hwangbo", "제갈": "jegal", "선우": "sunwoo", "독고": "dokgo", "사공": "sagong",
}  # fmt: skip
"""Korean family names as their bearers spell them in passports (one
spelling each: 이 is also Yi or Rhee, 정 Jeong or Chung; those meet by the
other fields or not at all)."""

HANGUL_NAME_SYLLABLE_SPELLINGS = {
    "현": "hyun", "성": "sung", "영": "young", "우": "woo", "정": "jung", "수": "soo", "주": "joo", "윤": "yoon",
    "훈": "hoon", "철": "chul", "경": "kyung", "규": "kyu", "광": "kwang", "근": "keun", "희": "hee", "숙": "sook",
    "순": "soon", "선": "sun", "중": "joong", "명": "myung", "형": "hyung", "병": "byung", "범": "bum",
    "준": "jun", "석": "seok", "혁": "hyuk", "창": "chang", "충": "choong", "욱": "wook", "웅": "woong",
}  # fmt: skip
"""Given-name syllables whose usual passport spelling is not Revised
Romanization's (`현` hyeon, `성` seong, `영` yeong, `우` u); every other
syllable is spelled by Revised Romanization."""

_INITIALS = ("g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h")
_MEDIALS = (
    "a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi", "yu", "eu",
    "ui", "i",
)  # fmt: skip
_FINALS = (
    "", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t", "t", "ng",
    "t", "t", "k", "t", "p", "t",
)  # fmt: skip

CJK_FAMILY_NAME_KATAKANA = {
    "キム": "kim", "イ": "lee", "パク": "park", "チェ": "choi", "チョン": "jung", "カン": "kang", "チョ": "cho",
    "ユン": "yoon", "ソン": "song", "ハン": "han", "ワン": "wang", "リー": "li", "リ": "li", "チャン": "zhang",
    "リュウ": "liu", "チン": "chen", "チェン": "chen", "ヤン": "yang", "ホアン": "huang", "チャオ": "zhao",
    "ウー": "wu", "チョウ": "zhou", "グエン": "nguyen", "ファム": "pham",
}  # fmt: skip
"""Common Chinese, Korean and Vietnamese family names as written in katakana,
with their usual Latin spelling: where a katakana full name starts
(`ワン・ウェイ` is family-first, `ウェイ・ワン` given-first) and the family
name's alternative spelling (`ワン` meets `Wang`). チン and チョウ are the
Japanese readings of 陳 and 張/趙 as well: the spelling given is the one the
katakana most often stands for."""


def hangul_romanization(value: str, family: bool) -> str | None:
    """`김` -> `kim` (family), `민준` -> `minjun`, `현우` -> `hyunwoo` (given):
    None unless `value` is Hangul syllables only."""
    if not HANGUL_SYLLABLES.match(value):
        return None
    if family and value in HANGUL_FAMILY_NAME_SPELLINGS:
        return HANGUL_FAMILY_NAME_SPELLINGS[value]
    return "".join(HANGUL_NAME_SYLLABLE_SPELLINGS.get(s) or _revised_romanization(s) for s in value)


def _revised_romanization(syllable: str) -> str:
    """One Hangul syllable in Revised Romanization, read alone (names are
    romanized syllable by syllable, without the sound changes between them)."""
    index = ord(syllable) - 0xAC00
    initial, rest = divmod(index, 21 * 28)
    medial, final = divmod(rest, 28)
    return _INITIALS[initial] + _MEDIALS[medial] + _FINALS[final]


def pinyin(value: str) -> str | None:
    """`王` -> `wang`, `建國` -> `jianguo`, `吕` -> `lu`: toneless pinyin of a
    name part in hanzi/kanji of at most `MAX_PINYIN_LENGTH` characters, else None."""
    if len(value) > MAX_PINYIN_LENGTH or not HANZI_NAME.match(value):
        return None
    return _pinyin(value)


@lru_cache(maxsize=200_000)
def _pinyin(value: str) -> str | None:
    from pypinyin import (  # about 0.3 s to import: only when a name needs it
        Style,
        lazy_pinyin,
    )

    syllables = lazy_pinyin(value, style=Style.NORMAL, v_to_u=True, errors=lambda _: [""])
    if not all(syllables):
        return None
    return "".join(syllables).replace("ü", "u")


def alternative_romanization(value: str, family: bool, romaji: bool = True) -> str | None:
    """The Latin spelling a name part (standardized written form) has in its own
    language, when that is not Japanese: pinyin of hanzi, a romanization of
    Hangul, the usual spelling of a Chinese/Korean/Vietnamese family name in
    katakana (`CJK_FAMILY_NAME_KATAKANA`, family names only), folded as
    `comparable_romanization` folds a Latin name (`hyunwoo` -> `hyunwo`, as
    `Hyunwoo` is keyed); for a name in Cyrillic, Greek or Latin letters, the
    spelling transliteration systems share (`transliterated_alternative`);
    for a name in Arabic script, its consonant key (`consonant_skeleton`,
    upper case: it meets a Latin name's consonant key, never a spelling);
    for a name in Thai script, its RTGS spelling (`rtgs`), keyed as a Latin
    name abroad is (not read as romaji). None otherwise (kana, long kanji
    names, names the fold leaves alone). `romaji` False: a Latin name is
    no romanized Japanese whatever it spells (`transliterated_alternative`)."""
    if ARABIC_LETTER.search(value):
        return consonant_skeleton(value, family)
    if (thai := rtgs(value)) is not None:
        return comparable_romanization(thai, romaji=False)
    if family and value in CJK_FAMILY_NAME_KATAKANA:
        spelled = CJK_FAMILY_NAME_KATAKANA[value]
    else:
        spelled = hangul_romanization(value, family) or pinyin(value)
    return comparable_romanization(spelled) if spelled else transliterated_alternative(value, romaji)


def transliterated_alternative(value: str, romaji: bool = True) -> str | None:
    """`Iwanow`, `Ivanov` and `Иванов` -> `ivanov`; `Jurij`, `Юрий` -> `iuri`;
    `Chatzidakis`, `Χατζηδάκης` -> `hacidakis`: `phonetic_fold` of the
    romanized key of a name in Cyrillic, Greek or Latin letters, when it
    changes it. None for kana, kanji and Hangul, and for a Latin name that
    romanized Japanese can spell (`ROMAJI`: `Keiko` is no `Kiko`, `Chika` no
    `Hika`, though `Jana` is then not `Яна`) unless `romaji` is False (a
    name of a record of `CYRILLIC_COUNTRIES`, where `Iurii` and `Yuri` are
    `Юрий`'s `iuri`: they had no folded spelling, `Yuriy` and `Jurij` had)."""
    latin = value.isascii()
    if not (latin or CYRILLIC_OR_GREEK.search(value)):
        return None
    roman = comparable_romanization(value)
    if roman is None or (latin and romaji and ROMAJI.match(roman)):
        return None
    folded = phonetic_fold(roman)
    return folded if folded != roman else None


NAME_MARKS = re.compile(r"[・=＝]")
"""Marks between the names of a foreign name in katakana: the middle dot
(`ジョン・スミス`), and the double hyphen `＝` (`=` once NFKC-folded), which
also joins a double given name (`ジャン＝ピエール`)."""


def split_katakana_full_name(full: str) -> tuple[str, str] | None:
    """(family, given) of an unspaced full name whose names are separated by
    `・` (or, without any `・`, by `＝`), else None.

    The order: Chinese, Korean and Vietnamese names in katakana are written
    family first (`ワン・ウェイ`), Western ones given first (`ジョン・スミス`).
    A side that is a common CJK family name (`CJK_FAMILY_NAME_KATAKANA`) and
    the other is not decides (`ウェイ・ワン` is Wang Wei); both such names:
    family first (`チャン・リー`); neither: given first, the last name being
    the family name (`ジャン＝ピエール・マルタン`)."""
    if " " in full:
        return None
    parts = [part for part in re.split("・" if "・" in full else "[=＝]", full) if part]
    if len(parts) < 2:
        return None
    first, last = parts[0] in CJK_FAMILY_NAME_KATAKANA, parts[-1] in CJK_FAMILY_NAME_KATAKANA
    if first:
        return parts[0], "・".join(parts[1:])
    if last:
        return parts[-1], "・".join(parts[:-1])
    return None
