"""Chinese, Taiwanese, Hong Kong and Korean addresses are read by their own
grammar (`east_asian_addresses`), not by Japan's parser."""

import pytest

from resolution.match_keys import add_match_keys
from resolution.standardization.east_asian_addresses import (
    parse_chinese_address,
    parse_korean_address,
)
from tests.resolution.standardization.conftest import issue_codes

CHINESE_ADDRESSES = [
    # (prefecture, city, address_line) -> (prefecture, city, street, building)
    (("广东省", "深圳市", "南山区深南大道755号30栋801室"), ("广东省", "深圳市南山区", "深南大道755号", "30栋801室")),
    ((None, None, "广东省深圳市南山区深南大道755号30栋801室"), ("广东省", "深圳市南山区", "深南大道755号", "30栋801室")),
    # a province without 省, a province column that the line repeats, spaces
    ((None, None, "广东 深圳市 南山区 深南大道 755 号 30 栋 801 室"), ("广东省", "深圳市南山区", "深南大道755号", "30栋801室")),
    (("广东", "深圳市", "广东省深圳市南山区深南大道755号"), ("广东省", "深圳市南山区", "深南大道755号", None)),
    # a municipality: the district is the city, however the form repeats the municipality
    (("北京市", "北京市", "朝阳区建国路88号3号楼2单元501室"), ("北京市", "朝阳区", "建国路88号", "3号楼2单元501室")),
    (("北京市", "市辖区", "朝阳区建国路88号"), ("北京市", "朝阳区", "建国路88号", None)),
    ((None, None, "上海市徐汇区漕溪北路12弄5号601室"), ("上海市", "徐汇区", "漕溪北路12弄5号", "601室")),
    # a county-level city, a city ending in 州, an autonomous region by its short name
    ((None, None, "江苏省苏州市昆山市前进西路12号院3号楼"), ("江苏省", "苏州市昆山市", "前进西路12号院", "3号楼")),
    ((None, None, "浙江省杭州市西湖区文三路100号"), ("浙江省", "杭州市西湖区", "文三路100号", None)),
    ((None, None, "新疆乌鲁木齐市天山区解放南路12号"), ("新疆维吾尔自治区", "乌鲁木齐市天山区", "解放南路12号", None)),
    # Taiwan: municipality or county, district or township, sections and floors
    ((None, None, "臺北市大安區敦化南路二段281號13樓"), ("臺北市", "大安區", "敦化南路2段281號", "13樓")),
    ((None, None, "高雄市前鎮區中華五路97號3樓"), ("高雄市", "前鎮區", "中華五路97號", "3樓")),
    ((None, None, "彰化縣員林市中山路一段100巷5弄3號4樓之1"), ("彰化縣", "員林市", "中山路1段100巷5弄3號", "4樓之1")),
    ((None, None, "新北市板橋區文化路一段32號12F"), ("新北市", "板橋區", "文化路1段32號", "12F")),
    # Hong Kong: a region, an estate, a block (第一城 is a name: no number there)
    ((None, None, "新界沙田第一城第12座10樓5G室"), ("新界", None, "沙田第一城", "第12座10樓5G室")),
    ((None, None, "香港太古城第5座6樓34F室"), ("香港", None, "太古城", "第5座6樓34F室")),
]


@pytest.mark.parametrize(("given", "expected"), CHINESE_ADDRESSES)
def test_parse_chinese_address(given, expected):
    assert tuple(parse_chinese_address(*given)) == expected


KOREAN_ADDRESSES = [
    ("서울특별시 강남구 테헤란로 123, 101동 202호", ("서울특별시", "강남구", "테헤란로 123", "101동 202호")),
    # short province names, a number written on, the reference in brackets dropped
    ("서울시 강남구 테헤란로123 (역삼동)", ("서울특별시", "강남구", "테헤란로 123", None)),
    ("서울 강남구 테헤란로 123 101동 202호", ("서울특별시", "강남구", "테헤란로 123", "101동 202호")),
    ("경기도 성남시 분당구 판교역로 89", ("경기도", "성남시 분당구", "판교역로 89", None)),
    ("부산 해운대구 중앙로12번길 3 한빛빌딩 5층", ("부산광역시", "해운대구", "중앙로 12번길 3", "한빛빌딩 5층")),
    # the old lot-number form; a former province name
    ("서울특별시 강남구 역삼동 123-45번지", ("서울특별시", "강남구", "역삼동 123-45", None)),
    ("강원도 춘천시 중앙로 1", ("강원특별자치도", "춘천시", "중앙로 1", None)),
    ("세종특별자치시 한누리대로 2130", ("세종특별자치시", None, "한누리대로 2130", None)),
]


@pytest.mark.parametrize(("line", "expected"), KOREAN_ADDRESSES)
def test_parse_korean_address(line, expected):
    assert tuple(parse_korean_address(None, None, line)) == expected


def test_a_building_column_wins_over_the_lines_building():
    assert parse_korean_address(None, None, "서울특별시 마포구 양화로 127", "110동 1501호").building == "110동 1501호"
    assert parse_chinese_address(None, None, "上海市徐汇区漕溪北路5号", "6 栋 101 室").building == "6栋101室"


PARTS = ("std_prefecture", "std_city", "std_address", "std_building")


def test_chinese_records_are_not_read_by_japanese_rules(standardize):
    """`号`, `栋`, `室`, `號`, `樓` stay as written, the building is the flat,
    and a Taiwanese line has its municipality (before: `75530棟801` and
    building `室`; `97号3` and building `樓`; no prefecture found)."""
    result = standardize(
        {"prefecture": "广东省", "city": "深圳市", "address_line": "南山区深南大道755号30栋801室"},
        {"address_line": "臺北市大安區敦化南路二段97號3樓", "country": "TW"},
        source_country="CN",
    )
    assert result.records.select(PARTS).rows() == [
        ("广东省", "深圳市南山区", "深南大道755号", "30栋801室"),
        ("臺北市", "大安區", "敦化南路2段97號", "3樓"),
    ]
    assert issue_codes(result, "address") == [None, None]


def test_korean_records_are_split(standardize):
    result = standardize(
        {"address_line": "서울특별시 마포구 양화로 127", "building": "110동 1501호"},
        {"address_line": "서울시 마포구 양화로127"},
        source_country="KR",
    )
    assert result.records.select(PARTS).rows() == [
        ("서울특별시", "마포구", "양화로 127", "110동 1501호"),
        ("서울특별시", "마포구", "양화로 127", None),
    ]
    keyed = add_match_keys(result.records)
    assert keyed.select("mk_city", "mk_address", "mk_address_numbers").unique().rows() == [
        ("서울특별시마포구", "양화로127", "127")
    ]


def test_traditional_and_simplified_spellings_share_the_address_keys(standardize):
    """One flat written in simplified, traditional and full-width digits: the
    records keep their spelling, the keys are one."""
    lines = ["台北市大安區敦化南路二段281號13樓", "臺北市大安区敦化南路2段281号13楼", "臺北市大安區敦化南路２段２８１號１３樓"]
    result = standardize(*({"address_line": line} for line in lines), source_country="TW")
    assert result.records["std_address"].to_list() == ["敦化南路2段281號", "敦化南路2段281号", "敦化南路2段281號"]
    keyed = add_match_keys(result.records)
    assert keyed.select("mk_prefecture", "mk_city", "mk_address", "mk_address_numbers").unique().rows() == [
        ("台北市", "台北市大安区", "敦化南路2段281号", "2-281")
    ]


@pytest.mark.parametrize(
    ("line", "source_country", "expected"),
    [
        # a record of Japan is Japanese, in kanji alone too (`号` read as a block's)
        ("東京都千代田区千代田1-2-3", "JP", ("東京都", "千代田区", "千代田1-2-3")),
        ("北京市朝阳区建国路88号", "JP", (None, None, "北京市朝陽区建国路88")),
        # elsewhere: a Japanese prefecture or kana makes it Japanese, and kanji where nothing says Chinese
        ("東京都千代田区千代田1-2-3", "CN", ("東京都", "千代田区", "千代田1-2-3")),
        ("千代田区千代田1-2-3 メゾン千代田101", "KR", ("東京都", "千代田区", "千代田1-2-3")),
        ("千代田区千代田1-2-3", "US", ("東京都", "千代田区", "千代田1-2-3")),
        ("千代田区千代田1-2-3", None, ("東京都", "千代田区", "千代田1-2-3")),
        # a short province name (河南 for 河南省) may start a Japanese town's
        ("河南町白木1丁目2番3号", None, (None, None, "河南町白木1-2-3")),
        # Chinese characters in a record of CN/TW/HK/MO, or starting with a province of China or Taiwan
        ("朝阳区建国路88号", "CN", (None, "朝阳区", "建国路88号")),
        ("广东省深圳市南山区深南大道755号", None, ("广东省", "深圳市南山区", "深南大道755号")),
        ("河南省郑州市金水区花园路1号", None, ("河南省", "郑州市金水区", "花园路1号")),
        ("臺北市大安區敦化南路二段97號", "US", ("臺北市", "大安區", "敦化南路2段97號")),
        # Hangul is Korean
        ("서울특별시 마포구 양화로 127", "JP", ("서울특별시", "마포구", "양화로 127")),
    ],
)
def test_which_parser_reads_an_address(standardize, line, source_country, expected):
    """Japan's rules only for Japanese addresses: a record of JP, a Japanese
    prefecture, kana; kanji alone where nothing says Chinese."""
    result = standardize({"address_line": line}, source_country=source_country)
    assert result.records.select("std_prefecture", "std_city", "std_address").row(0) == expected


@pytest.mark.parametrize("code", ["000000", "999077", "999 077", "00000"])
def test_a_placeholder_postal_code_is_no_postal_code(standardize, code):
    """Hong Kong has no postal codes; forms take `000000` or China Post's
    `999077` for it, which would make strangers look alike."""
    result = standardize({"postal_code": code, "country": "HK"}, {"postal_code": code}, source_country="KR")
    assert result.records["std_postal_code"].to_list() == [None, None]
    assert issue_codes(result, "postal_code") == ["postal_code_placeholder"] * 2
