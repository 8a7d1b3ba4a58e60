"""Kanji variant folding (異体字): 髙→高, 﨑→崎, 齋→斎, 邊→辺, 澤→沢 ...

ja-itaiji lists *families* of interchangeable characters, not a canonical
form, and its families are loose (澤's family also holds 途; 台's holds 怡,
颱 and every character written with 台). So a variant is folded only onto a
member of its family that is in JIS X 0208 level 1 (the everyday kanji),
when that member is unique and the relation is listed both ways; characters
that are themselves level 1 are never folded. A level-2 character is a
character of its own in Japanese (JIS encodes it beside the level-1 one), so
it is folded only where kakasi's list of old and variant forms (pykakasi's
itaiji dictionary: 國→国, 澤→沢, 濤→涛) names a level-1 member of its family:
怡 (the 怡 of 林娟怡) is no form of 台, nor 晨 of 辰, 煌 of 皇. An explicit
table, checked first, covers the name variants that rule gets wrong or misses.
"""

from __future__ import annotations

from functools import cache

from ja_itaiji import Itaiji
from pykakasi.kanji import Itaiji as KakasiItaiji

# Folds that must hold whatever ja-itaiji says (names seen in customer data).
EXPLICIT_FOLDS: dict[str, str] = {
    "髙": "高",
    "﨑": "崎",
    "嵜": "崎",
    "碕": "崎",
    "齋": "斎",
    "齊": "斎",
    "邊": "辺",
    "邉": "辺",
    "澤": "沢",
    "濵": "浜",
    "濱": "浜",
    "桒": "桑",
    "德": "徳",
    "槗": "橋",
    "𣘺": "橋",
    "嶋": "島",
    "嶌": "島",
    "冨": "富",
    "曻": "昇",
    "﨔": "欅",
    "凉": "涼",
    "舘": "館",
    # old forms kakasi does not list (the loose ja-itaiji families folded them, among wrong folds such as 怡 -> 台)
    "實": "実",
    "歐": "欧",  # 歐陽, a Chinese family name, keyed as 欧陽 in a Japanese record too
    "犧": "犠",
    "堯": "尭",
    "鶯": "鴬",
    "踐": "践",
    "隨": "随",
}

_LEVEL_1, _LEVEL_2, _OTHER = 0, 1, 2


def _jis_level(character: str) -> int:
    """JIS X 0208 level of a character (0: level 1, 1: level 2, 2: other)."""
    try:
        encoded = character.encode("euc_jp")
    except UnicodeEncodeError:
        return _OTHER
    if len(encoded) != 2 or encoded[0] < 0xB0:
        return _OTHER
    return _LEVEL_1 if encoded[0] <= 0xCF else _LEVEL_2


def _common_form(character: str, family: list[str]) -> str | None:
    """The unique, mutually listed, more common family member, or None; for
    a level-2 character, only the level-1 member kakasi names its form."""
    level = _jis_level(character)
    if level == _LEVEL_1:
        return None
    mutual = [
        member for member in family if member != character and character in Itaiji.get_family(member)
    ]
    if level == _LEVEL_2:
        kakasi_form = KakasiItaiji().convert(character)
        return kakasi_form if kakasi_form in mutual and _jis_level(kakasi_form) == _LEVEL_1 else None
    for wanted in (_LEVEL_1, _LEVEL_2):
        candidates = [member for member in mutual if _jis_level(member) == wanted]
        if len(candidates) == 1:
            return candidates[0]
    return None


@cache
def kanji_variant_table() -> dict[str, str]:
    """Mapping variant kanji -> common kanji (built once, ~7,000 entries)."""
    table: dict[str, str] = {}
    for character, family in Itaiji.dictionary.items():
        if len(character) != 1:
            continue
        common = _common_form(character, family)
        if common is not None:
            table[character] = common
    table.update({k: v for k, v in EXPLICIT_FOLDS.items() if k != v})
    return table


@cache
def _translation() -> dict[int, str]:
    return str.maketrans(kanji_variant_table())


def fold_kanji_variants_in(value: str) -> str:
    """Variant folding for one string (run over distinct values only: a
    polars `replace_many` over ~7,000 patterns costs more to build than this)."""
    return value.translate(_translation())
