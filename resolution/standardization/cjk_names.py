"""Chinese and Korean names: the Chinese split of a name in hanzi, and the
folded romanization keys a name in hanzi or Hangul shares with the Latin
spellings its bearer actually writes.

A Chinese customer's 张伟 is `Zhang Wei` in pinyin, `Chang Wei` in
Wade–Giles (Taiwan), `Cheung Wai` in Hong Kong; 陈怡君 is `Chen Yijun`,
`Chen Yi-Chun`, `Chen Yi Chun`. A Korean's 박서준 is `Park Seo-jun`,
`Bak Seojun`, `Pak Suh Joon`. One exact spelling (`mk_*_alt`) meets one of
these at most. The keys here fold both sides into one spelling per sound:

- `chinese_key`: every syllable in Wade–Giles without apostrophes and
  umlauts (pinyin `zhang`, `chang` and Wade–Giles `Chang` are `chang`;
  `qi` and `ji` `chi`), a Latin name read as pinyin or as Wade–Giles
  syllable by syllable; a family name written in Hong Kong's Cantonese
  spelling (`Chan`, `Wong`, `Lam`, `Ng`) read through `CANTONESE_FAMILY_NAMES`.
- `korean_key`: Revised Romanization and the passport/McCune spellings
  folded together (`eo`/`u`, `oo`/`u`, `ee`/`ui`/`i`, `g`/`k`, `d`/`t`,
  `b`/`p`, `j`/`ch`, `sh`/`s`, an `h` closing a syllable dropped); family
  names by their variants (`KOREAN_FAMILY_NAME_VARIANTS`: 이 Lee, Yi, Rhee, I).

Both fold distinct names together (`Jun` of 俊 and `Chun` of 春; 연 and 윤
are both `Yun`): the key is only compared across scripts (a name in hanzi or
Hangul against a Latin one, `comparisons.AlternativeSpellingLevel`), where
a Latin spelling cannot tell them apart either.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

import polars as pl

from resolution.standardization.kanji_variants import fold_kanji_variants_in
from resolution.standardization.other_scripts import (
    HANGUL_FAMILY_NAME_SPELLINGS,
    HANGUL_SYLLABLES,
    HANZI_NAME,
    _revised_romanization,
)

CHINESE_COUNTRIES = frozenset({"CN", "TW", "HK", "MO", "SG"})
"""Countries whose names written in Chinese characters are Chinese names:
split Chinese-style and never read in Japanese."""

KOREAN_COUNTRIES = frozenset({"KR", "KP"})

HANZI_NAME_PATTERN = r"^[\x{3400}-\x{4dbf}\x{4e00}-\x{9fff}\x{f900}-\x{faff}\x{20000}-\x{3ffff}]+$"
"""`other_scripts.HANZI_NAME` for polars."""

CHINESE_COMPOUND_FAMILY_NAMES = frozenset(
    """欧阳 歐陽 司马 司馬 诸葛 諸葛 上官 司徒 东方 東方 皇甫 尉迟 尉遲 公孙 公孫 慕容 令狐 夏侯 长孙 長孫
    宇文 轩辕 軒轅 西门 西門 南宫 南宮 端木 独孤 獨孤 申屠 万俟 萬俟 闻人 聞人 澹台 澹臺 公冶 宗政 濮阳 濮陽
    太史 仲孙 仲孫 钟离 鍾離 赫连 赫連 呼延 百里 东郭 東郭 左丘 谷梁 拓跋 司空 第五 梁丘 段干 巫马 巫馬""".split()
)
"""Two-character Chinese family names (simplified and traditional): 欧阳娜 is
欧阳 + 娜; every other Chinese name's family name is its first character."""

MAX_CHINESE_NAME_LENGTH = 5
"""A longer run of hanzi is no one person's Chinese name (a note, a company)."""


@cache
def _compound_family_names() -> frozenset[str]:
    """`CHINESE_COMPOUND_FAMILY_NAMES` as written and with kanji variants folded
    (names are folded before they are split: 歐陽 is 欧陽 then)."""
    return CHINESE_COMPOUND_FAMILY_NAMES | {fold_kanji_variants_in(name) for name in CHINESE_COMPOUND_FAMILY_NAMES}


def split_chinese_full_name(full: str) -> tuple[str, str] | None:
    """(family, given) of an unspaced Chinese name in hanzi: a compound family
    name (`CHINESE_COMPOUND_FAMILY_NAMES`) when one starts a name of three
    characters or more, else the first character; the rest is the given name.
    None for a single character, a name longer than `MAX_CHINESE_NAME_LENGTH`
    or anything but hanzi."""
    if not (2 <= len(full) <= MAX_CHINESE_NAME_LENGTH and HANZI_NAME.match(full)):
        return None
    length = 2 if len(full) >= 3 and full[:2] in _compound_family_names() else 1
    return full[:length], full[length:]


def chinese_written_name(*values: str | None) -> bool:
    """True when every given value is hanzi alone (spaces aside) and one is given:
    a name with kana is Japanese wherever its bearer lives."""
    parts = [v.replace(" ", "") for v in values if v]
    return bool(parts) and all(HANZI_NAME.match(part) for part in parts)


# --- Chinese: pinyin and Wade–Giles syllables -------------------------------------------

_LATIN_WORDS = re.compile(r"[a-z]+")

PINYIN_READ_AS_WADE_GILES = frozenset({"chi"})
"""Syllables both systems write, read as Wade–Giles: `Chi` is far more often
Wade–Giles 吉/琪/紀 (pinyin ji/qi) than pinyin 池 (Wade–Giles `chih`). Every
other such syllable (`jun`, `ju`, `juan`: pinyin 君, Wade–Giles 润) is read as pinyin."""


@cache
def _syllable_keys() -> dict[str, str]:
    """Latin syllable (pinyin or Wade–Giles, toneless, no apostrophe) -> its key:
    its Wade–Giles spelling without apostrophes and umlauts."""
    from pypinyin.contrib.tone_convert import to_normal
    from pypinyin.pinyin_dict import pinyin_dict
    from pypinyin.style.wadegiles import to_wade_glides

    toned = {s for v in set(pinyin_dict.values()) for s in v.split(",")}  # about 1,500 of 40,000 entries
    pinyin = {to_normal(s, v_to_u=True).replace("ü", "v") for s in toned}
    # Wade–Giles as written (not the interjections without a vowel: `m`, `ng`)
    keys = {_plain(to_wade_glides(p)): _plain(to_wade_glides(p)) for p in pinyin if re.search("[aeiouv]", p)}
    for p in pinyin:
        if p.isalpha() and re.search("[aeiouv]", p) and p not in PINYIN_READ_AS_WADE_GILES:
            keys[p.replace("v", "u")] = _plain(to_wade_glides(p))
    return keys


def _plain(wade_giles: str) -> str:
    return re.sub(r"[^a-z]", "", wade_giles.replace("ü", "u").replace("v", "u"))


CANTONESE_FAMILY_NAMES = {
    "chan": "chen", "lam": "lin", "cheung": "zhang", "ng": "wu", "lau": "liu", "yeung": "yang",
    "chow": "zhou", "kwok": "guo", "tsang": "zeng", "leung": "liang", "lee": "li", "tse": "xie", "hui": "xu",
    "fung": "feng", "yip": "ye", "mak": "mai", "choi": "cai", "tsoi": "cai", "tam": "tan", "siu": "xiao",
    "chiu": "zhao", "law": "luo", "kwan": "guan", "poon": "pan", "sze": "shi", "tsui": "xu", "shum": "shen",
    "yuen": "yuan", "kwong": "kuang", "mok": "mo", "fong": "fang", "auyeung": "ouyang", "szeto": "situ",
    "tong": "tang", "cheng": "zheng", "ho": "he", "chau": "zhou", "tsai": "cai", "koo": "gu", "yau": "qiu",
}  # fmt: skip
"""Hong Kong (Cantonese) spellings of common Chinese family names, with the
pinyin of the name they stand for (`Chan` 陈 chen, `Ng` 吴 wu, `Au-Yeung`
欧阳). A spelling two names share is in `CANTONESE_SHARED_FAMILY_NAMES` instead."""

CANTONESE_SHARED_FAMILY_NAMES = {"wong": ("wang", "huang")}
"""Hong Kong spellings that two family names share (`Wong`: 王 and 汪, pinyin
wang, and 黄, huang), with the keys (`chinese_key`) of the names they stand
for. Such a spelling is its own key, and the comparison meets it with each
of those keys (`comparisons.AlternativeSpellingLevel`): keyed as one of the
names it met only that one, and keyed alike 黄 and 王 were one name (黄 met
`Wang`, 王 `Huang`, at the level of the same spelling)."""


def chinese_key(value: str, family: bool) -> str | None:
    """The folded Chinese spelling of a name part: hanzi by its pinyin, Latin
    letters read as pinyin or Wade–Giles syllables (`Yi-Chun`, `Yichun`,
    `Yi Chun` alike), each syllable keyed by `_syllable_keys`; a family name
    also by its Cantonese spelling (`CANTONESE_FAMILY_NAMES`; one two names
    share, `CANTONESE_SHARED_FAMILY_NAMES`, as written). None when the
    value is neither, or its letters are not Chinese syllables throughout
    (`Vincent`)."""
    compact = value.replace(" ", "")
    if HANZI_NAME.match(compact):
        syllables = _pinyin_syllables(compact)
        if syllables is None:
            return None
    else:
        words = _LATIN_WORDS.findall(value.lower())
        if not words or "".join(words) != re.sub(r"[\s\-'’]", "", value.lower()):
            return None
        joined = "".join(words)
        if family and joined in CANTONESE_SHARED_FAMILY_NAMES:
            return joined
        if family and joined in CANTONESE_FAMILY_NAMES:
            syllables = _segmented(CANTONESE_FAMILY_NAMES[joined]) or [None]
        else:
            syllables = [s for word in words for s in (_segmented(word) or [None])]
            if not all(syllables):
                return None
    keys = _syllable_keys()
    folded = [keys.get(s) for s in syllables]  # type: ignore[arg-type]
    return "".join(folded) if all(folded) else None  # type: ignore[arg-type]


@lru_cache(maxsize=100_000)
def _pinyin_syllables(hanzi: str) -> list[str] | None:
    """Toneless pinyin of each character (`ü` as `u`), None when one has none."""
    from pypinyin import Style, lazy_pinyin

    syllables = lazy_pinyin(hanzi, style=Style.NORMAL, v_to_u=True, errors=lambda _: [""])
    return [s.replace("ü", "u") for s in syllables] if all(syllables) else None


def _segmented(word: str) -> list[str] | None:
    """`word` as Chinese syllables (`_syllable_keys`), the fewest of them
    (`xiujuan` xiu juan; `chiali` chia li), None when it is not."""
    keys = _syllable_keys()
    best: list[list[str] | None] = [[]] + [None] * len(word)
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - 6), end):
            before = best[start]
            if before is not None and word[start:end] in keys:
                if best[end] is None or len(before) + 1 < len(best[end]):  # type: ignore[arg-type]
                    best[end] = [*before, word[start:end]]
    return best[-1]


# --- Korean -----------------------------------------------------------------------------

KOREAN_FAMILY_NAME_VARIANTS = {
    "yi": "lee", "rhee": "lee", "i": "lee", "ri": "lee", "rhie": "lee", "ree": "lee", "lie": "lee",
    "pak": "park", "bak": "park", "bahk": "park", "pack": "park",
    "choe": "choi", "chey": "choi", "choy": "choi",
    "lim": "im", "rim": "im", "yim": "im",
    "ryu": "yoo", "yu": "yoo", "you": "yoo", "rhyu": "yoo", "lyu": "yoo",
    "roh": "noh", "ro": "noh", "no": "noh",
    "kwak": "gwak", "koo": "gu", "ku": "gu",
}  # fmt: skip
"""Latin spellings of Korean family names (Lee, Yi, Rhee, I for 이; Park, Pak,
Bak for 박) and the one each is keyed by, beyond what `korean_key`'s fold
joins (Jung, Jeong, Chung; Kim, Gim; Kang, Gang). 류 and 유 (Ryu, Yoo, Yu),
임 and 림 (Lim, Im), 노 and 로 (Noh, Roh) are keyed alike: their bearers
write either."""

_KOREAN_FOLDS = (
    (re.compile(r"[^a-z]"), ""),
    (re.compile(r"([aeiouwy])h(?=[^aeiouwy]|$)"), r"\1"),  # Ahn, Oh, Suh, Bahk: a closing h
    (re.compile(r"eo"), "u"),  # 서 Seo/Suh, 현 Hyeon/Hyun, 성 Seong/Sung
    (re.compile(r"oo|ou"), "u"),  # 주 Ju/Joo, 우 U/Woo
    (re.compile(r"wu"), "u"),
    (re.compile(r"ee|ui"), "i"),  # 희 Hui/Hee
    (re.compile(r"sh"), "s"),  # 신 Sin/Shin
    (re.compile(r"ng"), "N"),  # `g` of `ng` is no initial
    (re.compile(r"g"), "k"),  # 경 Gyeong/Kyung, 김 Gim/Kim
    (re.compile(r"d"), "t"),
    (re.compile(r"b"), "p"),
    (re.compile(r"j"), "ch"),  # 정 Jung/Chung
    (re.compile(r"(.)\1"), r"\1"),
)


def _korean_fold(spelling: str) -> str:
    for pattern, replacement in _KOREAN_FOLDS:
        spelling = pattern.sub(replacement, spelling)
    return spelling.replace("N", "ng")


_KOREAN_FAMILY_KEYS = {
    hangul: KOREAN_FAMILY_NAME_VARIANTS.get(spelling, spelling) for hangul, spelling in HANGUL_FAMILY_NAME_SPELLINGS.items()
}
_KOREAN_FAMILY_KEYS.update({"이": "lee", "리": "lee", "임": "im", "림": "im", "류": "yoo", "유": "yoo", "노": "noh"})


def korean_key(value: str, family: bool) -> str | None:
    """The folded Korean spelling of a name part: Hangul by Revised
    Romanization syllable by syllable (a family name by
    `HANGUL_FAMILY_NAME_SPELLINGS`), Latin letters as written
    (`Seo-jun`, `Seojun`, `Suh Joon` alike), a family name through
    `KOREAN_FAMILY_NAME_VARIANTS`; then `_KOREAN_FOLDS` (Hangul: each syllable's). None for other
    scripts and for a Latin value with other characters."""
    compact = value.replace(" ", "")
    if HANGUL_SYLLABLES.match(compact):
        if family and compact in _KOREAN_FAMILY_KEYS:
            return _korean_fold(_KOREAN_FAMILY_KEYS[compact])
        # syllable by syllable: 현경 is hyeon|gyeong (`hyunkyung`, as `Hyun Kyung` is), which folded
        # as one string would read hyeong|yeong; a double letter where two meet is one, as in Latin
        return re.sub(r"(.)\1", r"\1", "".join(_korean_fold(_revised_romanization(s)) for s in compact))
    letters = re.sub(r"[\s\-'’.]", "", value.lower())
    if not letters.isascii() or not letters.isalpha():
        return None
    if family:
        letters = KOREAN_FAMILY_NAME_VARIANTS.get(letters, letters)
    return _korean_fold(letters)


# --- Given names written syllable by syllable -------------------------------------------

_KOREAN_SYLLABLE = re.compile(
    r"^(?:kk|tt|pp|ss|jj|ch|sh|[gkndtrlmbpsjhyw])?"
    r"(?:yae|yeo|wae|eo|ae|ya|ye|oe|yo|wa|wo|we|wi|yu|eu|ui|oo|ou|ee|a|e|o|u|i)"
    r"(?:ng|[kntlmph])?$"
)
"""One Korean syllable in Latin letters (Revised Romanization or a passport spelling: `seo`, `suh`, `joon`)."""

_SYLLABLE_SHAPE = re.compile(r"^[bcdfghjklmnpqrstwxyz]{0,3}[aeiouv]{1,3}(?:ng|rh|[nrh])?$")
"""The shape of every Chinese syllable key (`_syllable_keys`, pinyin and
Wade–Giles: up to three consonants, up to three vowels, an `n`, `ng`, `r`,
`h` or `rh` after them), which most Western given names lack (`mary`, `ann`,
`paul`): a word without it is no syllable, told before the syllables are
loaded (importing pypinyin takes about 0.5 s)."""

HOKKIEN_FAMILY_NAMES = {
    "tan": "chen", "lim": "lin", "teo": "zhang", "teoh": "zhang", "goh": "wu", "ong": "wang", "koh": "xu",
    "chua": "cai", "khoo": "qiu", "yeo": "yang", "tay": "zheng", "quek": "guo", "toh": "du", "seah": "she",
    "heng": "wang", "yap": "ye", "liew": "liu", "chong": "zhang", "loh": "luo", "low": "liu", "neo": "liang",
    "phua": "pan", "soh": "su", "wee": "huang", "ang": "hong", "khor": "xu", "lai": "lai", "gan": "yan",
    "tee": "zheng", "chew": "zhou", "ooi": "huang", "ng": "huang",
}  # fmt: skip
"""Hokkien, Teochew and Hakka spellings of Chinese family names, as Malaysia,
Singapore and Indonesia write them (`Tan` 陈 chen, `Lim` 林 lin, `Teoh` 张
zhang, `Goh` 吴 wu, `Ng` 黄 huang), with the pinyin of the name they stand
for: with `CANTONESE_FAMILY_NAMES` they tell a Chinese-Malaysian name's
order (`chinese_family_name_first`)."""

_SOUTHERN_SYLLABLE_SHAPE = re.compile(r"^[bcdfghjklmnpqrstwxyz]{0,3}[aeiou]{1,3}(?:ng|ck|[nmkpthrw])?$")
"""A syllable of a Chinese given name in a southern spelling (`Ah Kow`,
`Boon Hock`, `Chee Keong`, `Siew Lan`): `_SYLLABLE_SHAPE` that may close on
`k`, `p`, `t`, `m`, `w` or `ck` too. Most Western names have none (`ann`,
`marie`, `smith`)."""


def chinese_family_name_first(words: list[str]) -> tuple[str, str] | None:
    """(family, given) of a Chinese name written family name first in Latin
    letters as Malaysia and Singapore write it (`Tan Ah Kow`, `Wong Mei
    Ling`, `LIM KOK LEONG`): three words, the first a Chinese family name
    (`HOKKIEN_FAMILY_NAMES`, `CANTONESE_FAMILY_NAMES`, pinyin: `_chinese_family_names`),
    the other two syllables of a given name (`_SOUTHERN_SYLLABLE_SHAPE`), the
    last no Chinese family name (`Lee Hui Min`: `Min` is a Korean one, 민).
    Read given name first, `Kow` had been the family name and `Tan` the given
    name. None otherwise: a name with a Chinese family name at both ends
    (`Hui Min Lee`: `Hui` 许) tells nothing, and is read as it is written;
    `Ah Kow Tan` is given name first."""
    if len(words) != 3:
        return None
    keys = [word.lower() for word in words]
    if not all(_SOUTHERN_SYLLABLE_SHAPE.match(key) for key in keys[1:]) or not keys[0].isascii():
        return None

    def family_name(key: str) -> bool:
        # the dictionaries first: `_chinese_family_names` loads pypinyin
        return key in HOKKIEN_FAMILY_NAMES or key in CANTONESE_FAMILY_NAMES or key in _chinese_family_names()

    if not family_name(keys[0]) or family_name(keys[-1]):
        return None
    return words[0], " ".join(words[1:])


CHINESE_FAMILY_NAMES_HANZI = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟"
    "谭陆汪范金石廖贾夏韦傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
"""The most common Chinese family names: in pinyin and Wade–Giles (`_cjk_family_names`)
they tell a Latin name as Chinese."""


@cache
def _chinese_family_names() -> frozenset[str]:
    """Latin spellings (lower case, no hyphen) of common Chinese family
    names: pinyin and Wade–Giles of `CHINESE_FAMILY_NAMES_HANZI`,
    `CANTONESE_FAMILY_NAMES` and `CANTONESE_SHARED_FAMILY_NAMES`."""
    from pypinyin.style.wadegiles import to_wade_glides

    pinyin = [s for c in CHINESE_FAMILY_NAMES_HANZI for s in (_pinyin_syllables(c) or [])]
    return frozenset(
        [
            *pinyin,
            *(_plain(to_wade_glides(s)) for s in pinyin),
            *CANTONESE_FAMILY_NAMES,
            *CANTONESE_SHARED_FAMILY_NAMES,
        ]
    )


@cache
def _cjk_family_names() -> frozenset[str]:
    """Latin spellings (lower case, no hyphen) of common Chinese and Korean
    family names: `_chinese_family_names`, the Korean passport spellings and
    their variants."""
    korean = [*HANGUL_FAMILY_NAME_SPELLINGS.values(), *KOREAN_FAMILY_NAME_VARIANTS, "kim", "gim"]
    return _chinese_family_names() | frozenset(korean)


def cjk_family_name_spellings() -> list[str]:
    """`_cjk_family_names` sorted, for a polars `is_in`."""
    return sorted(_cjk_family_names())


def written_given_name_first(family: pl.Expr, given: pl.Expr) -> pl.Expr:
    """True where a Latin name's given name is a common Chinese or Korean
    family name (`_cjk_family_names`: Park, Lee, Liu, Chan) and its family
    name is none (`Sang U`, `Qiangda`): the boxes of a web form filled in
    the passport's order, family name first (`first_name: PARK`, `last_name:
    SANG U`). Such a record's CJK keys are taken the other way round
    (`match_keys._cjk_key`): its 박 is the Hangul record's 박, and `Pak` keyed
    as a given name would not be `Park`, nor `Chan` `Chen`. Both parts
    common family names (`Wang Lin`) tell nothing, and stay as written."""

    def is_family_name(part: pl.Expr) -> pl.Expr:
        return part.cast(pl.Utf8).str.to_lowercase().str.replace_all(r"[\s\-'’]", "").is_in(cjk_family_name_spellings())

    return is_family_name(given) & ~is_family_name(family)


def syllable_given_name(given: str, family: str | None) -> str | None:
    """`Do Yun`, `Tae Yun`, `Tai Man`, `SEO JUN` -> `doyun`, `taeyun`,
    `taiman`, `seojun`: a Latin given name written as separate syllables of
    a Chinese or Korean name, joined, when the family name is a common
    Chinese or Korean one (`_cjk_family_names`: Kim, Lee, Park, Chan, Wong,
    Zhang ...) and every word is such a syllable (`_KOREAN_SYLLABLE`, or a
    Chinese one). A Western name's first given name is compared alone
    (`Mary Ann` -> `mary`); these words are one name, and cut to the first
    (`do`) they met neither `Doyun` nor `도윤`. None otherwise (`Vincent Tai
    Man` keeps `vincent`; `Jo Ann Smith` is no Korean name)."""
    if not family:
        return None
    words = given.lower().split()
    if len(words) < 2 or not all(word.isascii() and word.isalpha() for word in words):
        return None
    if not all(_KOREAN_SYLLABLE.match(word) or _SYLLABLE_SHAPE.match(word) for word in words):
        return None  # told without loading pypinyin (`Mary Ann`, `Jean Paul`)
    if re.sub(r"[\s\-'’]", "", family.lower()) not in _cjk_family_names():
        return None
    keys = _syllable_keys()
    if not all(_KOREAN_SYLLABLE.match(word) or word in keys for word in words):
        return None
    return "".join(words)
