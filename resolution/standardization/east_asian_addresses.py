"""Chinese, Taiwanese, Hong Kong and Korean addresses: region, street, building.

Japan's parser reads `号` as the end of a block number and `棟`/`室` as a
building's name, so a Chinese `深南大道755号30栋801室` came out as the street
`75530棟801` and the building `室`, and a Taiwanese `97號3樓` as `97号3` and
`樓`. These addresses have their own grammar, read here:

- Chinese script (records of CN, TW, HK, MO, or a line starting with a
  province of China, a county of Taiwan or a region of Hong Kong):
  province (`...省`, `...自治区`, the four municipalities, a county or city
  of Taiwan, a region of Hong Kong), city (`...市/州/盟/地区`) and district
  (`...区/县/旗`, Taiwan's `...區/鄉/鎮/市`), then the street up to where a
  building or flat starts (`30栋`, `3号楼`, `13樓`, `5F`, `801室`, `第12座`),
  which is the building. `深南大道755号` keeps its `号`, `281號` its `號`.
- Hangul (Korea's road-name form `서울특별시 강남구 테헤란로 123, 101동 202호`
  and the old lot form `서울특별시 강남구 역삼동 123-45`): 시/도, then 시/군/구
  (`강남구`, `성남시 분당구`), then the street up to its first number, the
  rest the building; a reference in brackets (`(역삼동)`) is dropped.

Names are kept as written (the city of Taiwan written `台北市` or `臺北市`),
but for Korea's provinces, written short as often as in full (`서울시`,
`서울`, `서울특별시`), and China's provinces written without `省`
(`广东`): those are given by their full names, as Japan's `東京` is
`東京都`. Chinese numerals before a street's markers are digits
(`敦化南路二段` -> `敦化南路2段`), as every other number of the line is.
The comparable keys fold the traditional and simplified spellings of these
markers and of a few characters of place names (`comparable_east_asian`):
`755號` and `755号` meet there, not in the standardized address.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import polars as pl

from resolution.standardization.japanese_addresses import KANJI_NUMERALS, kanji_number

CHINESE_SCRIPT_COUNTRIES = frozenset(["CN", "TW", "HK", "MO"])
"""Countries whose addresses in Chinese characters are read by `parse_chinese_address`."""

CN_PROVINCES: tuple[str, ...] = (
    "河北省", "山西省", "辽宁省", "吉林省", "黑龙江省", "江苏省", "浙江省", "安徽省", "福建省", "江西省",
    "山东省", "河南省", "湖北省", "湖南省", "广东省", "海南省", "四川省", "贵州省", "云南省", "陕西省",
    "甘肃省", "青海省", "台湾省",
)  # fmt: skip
"""Provinces of China (simplified): written without `省` as often (`广东深圳市`)."""

CN_AUTONOMOUS_REGIONS: dict[str, str] = {
    "内蒙古": "内蒙古自治区", "广西": "广西壮族自治区", "西藏": "西藏自治区", "宁夏": "宁夏回族自治区",
    "新疆": "新疆维吾尔自治区",
}  # fmt: skip
"""Autonomous regions by their short names."""

MUNICIPALITIES: tuple[str, ...] = (
    "北京市", "天津市", "上海市", "重庆市", "重慶市",
    "台北市", "臺北市", "新北市", "桃园市", "桃園市", "台中市", "臺中市", "台南市", "臺南市", "高雄市",
    "基隆市", "新竹市", "嘉义市", "嘉義市",
)  # fmt: skip
"""Cities at the top of the hierarchy (China's four municipalities, Taiwan's
special municipalities and provincial cities): the province, as `東京都` is
a prefecture. The next part is a district (`朝阳区`, `大安區`)."""

TW_COUNTIES: tuple[str, ...] = (
    "新竹縣", "苗栗縣", "彰化縣", "南投縣", "雲林縣", "嘉義縣", "屏東縣", "宜蘭縣", "花蓮縣", "臺東縣",
    "台東縣", "澎湖縣", "金門縣", "連江縣",
)  # fmt: skip
"""Taiwan's counties: the province, as its municipalities are (`彰化縣` `員林市`)."""

HK_MACAU_REGIONS: tuple[str, ...] = (
    "香港岛", "香港島", "香港", "九龙", "九龍", "新界", "澳门", "澳門",
)  # fmt: skip
"""The regions a Hong Kong or Macau line starts with (neither has provinces)."""

KR_PROVINCES: dict[str, tuple[str, ...]] = {
    "서울특별시": ("서울시", "서울"),
    "부산광역시": ("부산시", "부산"),
    "대구광역시": ("대구시", "대구"),
    "인천광역시": ("인천시", "인천"),
    "광주광역시": ("광주시", "광주"),
    "대전광역시": ("대전시", "대전"),
    "울산광역시": ("울산시", "울산"),
    "세종특별자치시": ("세종시", "세종"),
    "경기도": ("경기",),
    "강원특별자치도": ("강원도", "강원"),
    "충청북도": ("충북",),
    "충청남도": ("충남",),
    "전북특별자치도": ("전라북도", "전북"),
    "전라남도": ("전남",),
    "경상북도": ("경북",),
    "경상남도": ("경남",),
    "제주특별자치도": ("제주도", "제주"),
}
"""Korea's provinces and metropolitan cities (시/도) by their names today,
with their short and former names (`강원도` became `강원특별자치도` in 2023,
`전라북도` `전북특별자치도` in 2024): a record written before and one after meet."""

_KR_PROVINCE_OF = {name: full for full, others in KR_PROVINCES.items() for name in (full, *others)}
_CN_PROVINCE_OF = {
    **{
        name: name
        for name in (*CN_PROVINCES, *CN_AUTONOMOUS_REGIONS.values(), *MUNICIPALITIES, *TW_COUNTIES, *HK_MACAU_REGIONS)
    },
    **{name[:-1]: name for name in (*CN_PROVINCES, *MUNICIPALITIES, *TW_COUNTIES)},
    **CN_AUTONOMOUS_REGIONS,
}
"""Province-level names as given (full) by every spelling looked up."""

# A province by its suffix (`...省`, `...自治区`), not made of what a street is.
_NOT_A_PLACE = r"\d\s路街道巷弄号號段"
_PROVINCE_BY_SUFFIX = re.compile(
    rf"^[^{_NOT_A_PLACE}]{{1,10}}?(?:特别行政区|特別行政區|自治区|自治區)"
    rf"|^[^{_NOT_A_PLACE}省县縣市区區]{{2,3}}省"
)
_SUFFIXES = "市州盟区區县縣旗乡鄉镇鎮"
# A suffix ends the name only where no other follows (`杭州市`, not `杭州`; `前鎮區`, not `前鎮`).
_CITY = re.compile(rf"^[^{_NOT_A_PLACE}区區县縣]{{1,7}}?(?:市|自治州|州|盟|地区|地區)(?![{_SUFFIXES}])")
_DISTRICT = re.compile(rf"^[^{_NOT_A_PLACE}]{{1,6}}?(?:区|區|县|縣|旗|乡|鄉|镇|鎮|市)(?![{_SUFFIXES}])")
_CITY_PLACEHOLDERS = frozenset(["市辖区", "市轄區", "县", "縣", "省直辖县级行政区划"])
"""What a form's city drop-down says where a municipality has no city level."""

_CHINESE_NUMERAL_BEFORE_MARKER = re.compile(
    rf"([{KANJI_NUMERALS}零两兩]+)(?=段|巷|弄|号|號|楼|樓|层|層|栋|棟|幢|座|单元|單元|室)"
)
_BUILDING_START = re.compile(
    r"第?[0-9A-Za-z]+\s*(?:号楼|號樓|号館|號館|栋|棟|幢|座|楼|樓|层|層|单元|單元|室|户|戶|[Ff](?![A-Za-z]))"
    r"|[0-9]+/[Ff]"
)
"""Where a building or flat starts: `30栋`, `3号楼`, `A座`, `第12座`, `13樓`,
`5F`, `2单元`, `801室`, Hong Kong's `10/F`. The street is what comes before."""

_KR_BRACKETS = re.compile(r"\s*\([^)]*\)")
_KR_CITY_WORD = re.compile(r"^\S+?[시군구]$")
_KR_HOUSE_NUMBER = re.compile(r"^(?:산|지하)?\s*\d+(?:-\d+)?(?:번지)?$")
_KR_ROAD_BEFORE_NUMBER = re.compile(r"(?<=[로길동리가])(?=\d)")


class EastAsianAddress(NamedTuple):
    """Parts of one address; any may be None."""

    prefecture: str | None
    city: str | None
    street: str | None
    building: str | None


def _without_spaces(text: str) -> str:
    """Chinese text without its spaces, but between two Latin letters or digits (`Room 801`)."""
    return re.sub(r"(?<![0-9A-Za-z]) | (?![0-9A-Za-z])", "", text)


def _digits_for_numerals(text: str) -> str:
    """Chinese numerals before a street's or building's marker as digits: `二段` -> `2段`,
    `十二樓` -> `12樓`, `一百零五号` -> `105号` (not `第一城`: no marker follows)."""

    def digits(match: re.Match[str]) -> str:
        numeral = match.group(1).replace("零", "〇").replace("两", "二").replace("兩", "二")
        return str(kanji_number(numeral))

    return _CHINESE_NUMERAL_BEFORE_MARKER.sub(digits, text)


def chinese_province(name: str | None) -> str | None:
    """A province-level name in full (`广东` -> `广东省`, `北京` -> `北京市`,
    `内蒙古` -> `内蒙古自治区`); another name as written, without spaces."""
    if not name:
        return None
    name = _without_spaces(name)
    return _CN_PROVINCE_OF.get(name, name)


def _chinese_province_at_start(text: str) -> tuple[str | None, str]:
    """(province, rest) for a line starting with a province-level name (full
    names first, a short name only before a city or district); else (None, text)."""
    for length in range(min(len(text), 9), 1, -1):
        full = _CN_PROVINCE_OF.get(text[:length])
        if full is None:
            continue
        rest = text[length:]
        if full == text[:length] or full in HK_MACAU_REGIONS or _CITY.match(rest) or _DISTRICT.match(rest):
            return full, rest
    found = _PROVINCE_BY_SUFFIX.match(text)
    if found:
        return found.group(0), text[found.end() :]
    return None, text


def split_chinese_street(text: str) -> tuple[str | None, str | None]:
    """(street, building) of the part of a line after its region: the building
    starts at its first marker (`_BUILDING_START`); without one the whole is
    the street. `深南大道755号30栋801室` -> (`深南大道755号`, `30栋801室`)."""
    found = _BUILDING_START.search(text)
    if not found:
        return text or None, None
    return text[: found.start()] or None, text[found.start() :] or None


def parse_chinese_address(
    prefecture: str | None, city: str | None, line: str | None, building: str | None = None
) -> EastAsianAddress:
    """Split one address in Chinese characters (see the module docstring).

    In: cleaned (NFKC, single-spaced) prefecture and city columns and
    address line, any None. A province column wins over the line's; the
    line's province and city are taken off the street either way. The city
    is the prefecture-level city and the district together (`深圳市南山区`),
    the district alone in a municipality (`北京市` `朝阳区`), as a Japanese
    city is `横浜市中区`. A building column wins over the line's building.
    Out: parts without spaces; street None when the line has none."""
    rest = _digits_for_numerals(_without_spaces(line or ""))
    province = chinese_province(prefecture)
    found, after = _chinese_province_at_start(rest)
    if found and (province is None or found == province):
        province, rest = found, after
    city = _without_spaces(city) if city else None
    if city in _CITY_PLACEHOLDERS or (city and city == province):
        city = None
    if city and rest.startswith(city):
        rest = rest[len(city) :]
    if not city and (found_city := _CITY.match(rest)):
        city, rest = found_city.group(0), rest[found_city.end() :]
    if not (city and city[-1] in "区區县縣旗乡鄉镇鎮") and (district := _DISTRICT.match(rest)):
        city, rest = (city or "") + district.group(0), rest[district.end() :]
    street, line_building = split_chinese_street(rest)
    building = _digits_for_numerals(_without_spaces(building)) if building else line_building
    return EastAsianAddress(province, city or None, street, building or None)


def korean_province(name: str | None) -> str | None:
    """A 시/도 by its name today (`서울시`, `서울` -> `서울특별시`); another name as written."""
    if not name:
        return None
    name = name.strip()
    return _KR_PROVINCE_OF.get(name, _KR_PROVINCE_OF.get(name.replace(" ", ""), name))


def parse_korean_address(
    prefecture: str | None, city: str | None, line: str | None, building: str | None = None
) -> EastAsianAddress:
    """Split one address in Hangul (see the module docstring).

    In: cleaned prefecture and city columns and address line, any None. The
    street runs from after the 시/군/구 to its first house number (`테헤란로 123`,
    `역삼동 123-45`, `번지` dropped); what follows, and what follows a comma,
    is the building (`101동 202호`), unless a building column gives it. Out:
    parts single-spaced."""
    text = _KR_BRACKETS.sub("", line or "")
    main, _, detail = text.partition(",")
    words = _KR_ROAD_BEFORE_NUMBER.sub(" ", main).split()
    province = korean_province(prefecture)
    for count in (2, 1):  # `서울 특별시`? no: a name is one word, or a short name and `시`
        head = "".join(words[:count])
        if words[:count] and head in _KR_PROVINCE_OF:
            found = _KR_PROVINCE_OF[head]
            if province is None or found == province:
                province, words = found, words[count:]
            break
    city_words = city.split() if city else []
    if city_words and words[: len(city_words)] == city_words:
        words = words[len(city_words) :]
    if not city_words:
        while words and len(city_words) < 2 and _KR_CITY_WORD.match(words[0]):
            city_words, words = [*city_words, words[0]], words[1:]
    number = next((index for index, word in enumerate(words) if _KR_HOUSE_NUMBER.match(word)), None)
    street_words, building_words = (words, []) if number is None else (words[: number + 1], words[number + 1 :])
    street = re.sub(r"번지$", "", " ".join(street_words)) or None
    building = building or " ".join([*building_words, *detail.split()])
    return EastAsianAddress(province, " ".join(city_words) or None, street, building or None)


CHINESE = "zh"
KOREAN = "ko"


def parse_east_asian_address(
    kind: str, line: str | None, prefecture: str | None, city: str | None, building: str | None
) -> tuple[str | None, str | None, str | None, str | None]:
    """`parse_chinese_address` (`kind` `zh`) or `parse_korean_address` (`ko`),
    arguments in the order `map_distinct` passes them."""
    parse = parse_korean_address if kind == KOREAN else parse_chinese_address
    return tuple(parse(prefecture, city, line, building))


HANGUL = r"[\p{Hangul}]"
KANA = r"[\p{Hiragana}\p{Katakana}]"
_REGION_NAMES = sorted({full for name, full in _CN_PROVINCE_OF.items() if name == full}, key=len, reverse=True)
CHINESE_REGION_AT_START = (
    rf"^\s*(?:{'|'.join(_REGION_NAMES)}|[^{_NOT_A_PLACE}]{{1,10}}?(?:省|自治区|自治區|特别行政区|特別行政區))"
)
"""A line (or province column) that starts with a province-level name of
China, Taiwan, Hong Kong or Macau written in full (the polars side of
`_chinese_province_at_start`; a short name, `广东`, may start a Japanese
line's town)."""

COMPARABLE_CHARACTERS: dict[str, str] = {
    "號": "号", "樓": "楼", "栋": "棟", "區": "区", "縣": "县", "鄉": "郷", "乡": "郷", "镇": "鎮",
    "层": "層", "單": "単", "单": "単", "门": "門", "臺": "台", "东": "東", "灣": "湾", "戶": "户",
}  # fmt: skip
"""Traditional and simplified spellings of an address's markers (`號`/`号`,
`樓`/`楼`, `棟`/`栋`, `區`/`区`) and of a few characters of place names
(`臺`/`台`, `東`/`东`, `灣`/`湾`), as one: the form Japanese writes, so
that a Japanese address's key is what it was."""


def comparable_east_asian(expr: pl.Expr) -> pl.Expr:
    """`expr` with `COMPARABLE_CHARACTERS` folded: for match keys (`臺北市`
    and `台北市`, `281號` and `281号` meet), not for what a record shows."""
    return expr.str.replace_many(list(COMPARABLE_CHARACTERS), list(COMPARABLE_CHARACTERS.values()))
