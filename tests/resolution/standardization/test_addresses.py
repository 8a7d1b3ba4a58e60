import polars as pl
import pytest

from resolution.standardization.japanese_addresses import kanji_number, normalize_street
from resolution.standardization.postal_codes import split_line_postal_code
from resolution.standardization.text import clean_text, dashes_between_digits_to_hyphen
from tests.resolution.standardization.conftest import issue_codes

JAPANESE_ADDRESSES = [
    # (prefecture, city, address_line, building) -> (std_prefecture, std_city, std_address, std_building)
    ((None, None, "東京都千代田区千代田1-2-3", None), ("東京都", "千代田区", "千代田1-2-3", None)),
    ((None, None, "東京都千代田区千代田1丁目2番3号", None), ("東京都", "千代田区", "千代田1-2-3", None)),
    ((None, None, "東京都千代田区千代田一丁目2番3号", None), ("東京都", "千代田区", "千代田1-2-3", None)),
    ((None, None, "東京都千代田区千代田１－２－３", None), ("東京都", "千代田区", "千代田1-2-3", None)),
    ((None, None, "東京都千代田区千代田1ー2ー3", None), ("東京都", "千代田区", "千代田1-2-3", None)),
    ((None, None, "東京都千代田区千代田1丁目2-3", None), ("東京都", "千代田区", "千代田1-2-3", None)),
    ((None, None, "東京都千代田区千代田1丁目2番地3", None), ("東京都", "千代田区", "千代田1-2-3", None)),
    ((None, None, "東京都千代田区千代田1の2の3", None), ("東京都", "千代田区", "千代田1-2-3", None)),
    ((None, None, "東京都　千代田区　千代田２番地３", None), ("東京都", "千代田区", "千代田2-3", None)),
    ((None, None, "東京千代田区千代田1-2-3", None), ("東京都", "千代田区", "千代田1-2-3", None)),
    ((None, None, "神奈川県横浜市中区山下町1-2-3", None), ("神奈川県", "横浜市中区", "山下町1-2-3", None)),
    ((None, None, "横浜市中区山下町1-2-3", None), ("神奈川県", "横浜市中区", "山下町1-2-3", None)),
    ((None, None, "京都府京都市中京区寺町1-2", None), ("京都府", "京都市中京区", "寺町1-2", None)),
    ((None, None, "京都市中京区寺町1-2", None), ("京都府", "京都市中京区", "寺町1-2", None)),
    ((None, None, "静岡市葵区追手町9-6", None), ("静岡県", "静岡市葵区", "追手町9-6", None)),
    ((None, None, "東京都西多摩郡瑞穂町箱根ケ崎2335", None), ("東京都", "西多摩郡瑞穂町", "箱根ケ崎2335", None)),
    ((None, None, "三重県四日市市諏訪町1-5", None), ("三重県", "四日市市", "諏訪町1-5", None)),
    ((None, None, "千葉県市川市八幡1-1-1", None), ("千葉県", "市川市", "八幡1-1-1", None)),
    ((None, None, "東京都千代田区一番町2-3", None), ("東京都", "千代田区", "一番町2-3", None)),
    ((None, None, "東京都世田谷区三軒茶屋二丁目十一番二十号", None), ("東京都", "世田谷区", "三軒茶屋2-11-20", None)),
    (
        (None, None, "東京都千代田区千代田1-2-3 メゾン千代田101", None),
        ("東京都", "千代田区", "千代田1-2-3", "メゾン千代田101"),
    ),
    (
        (None, None, "東京都東村山市本町1丁目2番3号 コーポ本町 201号室", None),
        ("東京都", "東村山市", "本町1-2-3", "コーポ本町201号室"),
    ),
    (("東京", "千代田区", "千代田1-2-3", "ﾒｿﾞﾝ 101"), ("東京都", "千代田区", "千代田1-2-3", "メゾン101")),
    (("東京都", "千代田区", "東京都千代田区千代田1-2-3", None), ("東京都", "千代田区", "千代田1-2-3", None)),
    (("大阪府", None, None, None), ("大阪府", None, None, None)),
    # A postal code the line starts or ends with is not part of the address.
    ((None, None, "〒625-4735 東京都新宿区西町5-14-18", None), ("東京都", "新宿区", "西町5-14-18", None)),
    ((None, None, "〒６２５－４７３５　東京都新宿区西町５－１４－１８", None), ("東京都", "新宿区", "西町5-14-18", None)),
    ((None, None, "625-4735 東京都新宿区西町5-14-18 コーポ西町101", None), ("東京都", "新宿区", "西町5-14-18", "コーポ西町101")),
    ((None, None, "東京都新宿区西町5-14-18 〒625-4735", None), ("東京都", "新宿区", "西町5-14-18", None)),
]


@pytest.mark.parametrize(("given", "expected"), JAPANESE_ADDRESSES)
def test_japanese_address(standardize, given, expected):
    prefecture, city, line, building = given
    result = standardize(
        {"prefecture": prefecture, "city": city, "address_line": line, "building": building}
    )
    columns = ("std_prefecture", "std_city", "std_address", "std_building")
    assert result.records.select(columns).row(0) == expected
    assert issue_codes(result, "address") == [None]


def test_address_issues(standardize):
    result = standardize({"address_line": "どこか遠く"}, {"address_line": "東京都千代田区千代田"})
    assert issue_codes(result, "address") == ["address_prefecture_not_found", "address_no_street_number"]


LINE_POSTAL_CODES = [
    # address line -> (postal code, line without it)
    ("〒625-4735 東京都新宿区西町5-14-18", ("6254735", "東京都新宿区西町5-14-18")),
    ("〒6254735 東京都新宿区西町5-14-18", ("6254735", "東京都新宿区西町5-14-18")),
    ("〒 625-4735 東京都新宿区西町5-14-18", ("6254735", "東京都新宿区西町5-14-18")),
    ("〒６２５－４７３５　東京都新宿区西町５－１４－１８", ("6254735", "東京都新宿区西町5-14-18")),
    ("〒625ー4735東京都新宿区西町5-14-18", ("6254735", "東京都新宿区西町5-14-18")),
    ("〶625-4735 東京都新宿区西町5-14-18", ("6254735", "東京都新宿区西町5-14-18")),
    ("625-4735 東京都新宿区西町5-14-18", ("6254735", "東京都新宿区西町5-14-18")),
    ("625-4735大阪府大阪市北区梅田1-2-3", ("6254735", "大阪府大阪市北区梅田1-2-3")),
    ("625-4735 東京新宿区西町5-14-18", ("6254735", "東京新宿区西町5-14-18")),
    ("東京都新宿区西町5-14-18 〒625-4735", ("6254735", "東京都新宿区西町5-14-18")),
    ("〒625-4735", ("6254735", None)),
    # Not a postal code: no mark and no prefecture after it, or not 3+4 digits.
    ("625-4735 西町5-14-18", (None, "625-4735 西町5-14-18")),
    ("東京都新宿区西町5-14-18 625-4735", (None, "東京都新宿区西町5-14-18 625-4735")),
    ("〒625-47351 東京都新宿区西町5-14-18", (None, "〒625-47351 東京都新宿区西町5-14-18")),
    ("東京都新宿区西町5-14-18", (None, "東京都新宿区西町5-14-18")),
    (None, (None, None)),
]


LATIN_LINES = [
    # a Japanese address as a foreign form writes it; the same line in another country's record
    ("4-17-10 Shibuya, Shibuya-ku, Tokyo 150-0002", True, ("1500002", "4-17-10 Shibuya, Shibuya-ku, Tokyo")),
    ("4-17-10 Shibuya, Shibuya-ku, Tokyo 150-0002", False, (None, "4-17-10 Shibuya, Shibuya-ku, Tokyo 150-0002")),
    ("123 Main St, Springfield, IL 62704-1234", True, (None, "123 Main St, Springfield, IL 62704-1234")),  # ZIP+4
    ("1-1 Marunouchi, Chiyoda-ku, Tokyo, 100-0005, Japan", True, ("1000005", "1-1 Marunouchi, Chiyoda-ku, Tokyo")),
]


@pytest.mark.parametrize(("line", "japanese", "expected"), LATIN_LINES)
def test_a_latin_line_ends_with_a_postal_code_only_in_a_japanese_record(line, japanese, expected):
    frame = pl.DataFrame({"line": [line], "jp": [japanese]})
    result = frame.select(split_line_postal_code(pl.col("line"), pl.col("jp")).alias("split")).unnest("split")
    assert result.row(0) == expected


@pytest.mark.parametrize(("line", "expected"), LINE_POSTAL_CODES)
def test_split_line_postal_code(line, expected):
    cleaned = dashes_between_digits_to_hyphen(clean_text(pl.col("line")))
    frame = pl.DataFrame({"line": [line]}, schema={"line": pl.Utf8})
    result = frame.select(split_line_postal_code(cleaned).alias("split")).unnest("split")
    assert result.row(0) == expected


def test_postal_code_from_address_line(standardize):
    line = "〒100-0001 東京都千代田区千代田1-1"
    result = standardize(
        {"address_line": line},
        {"address_line": line, "postal_code": "100-0001"},
        {"address_line": line, "postal_code": "150-0001"},
    )
    columns = ("std_postal_code", "std_prefecture", "std_city", "std_address")
    assert result.records.select(columns).rows() == [
        ("1000001", "東京都", "千代田区", "千代田1-1"),
        ("1000001", "東京都", "千代田区", "千代田1-1"),
        ("1500001", "東京都", "千代田区", "千代田1-1"),  # the record's own code is kept
    ]
    assert issue_codes(result, "postal_code") == [None, None, "postal_code_address_mismatch"]
    assert issue_codes(result, "address") == [None, None, None]


LATIN_ADDRESSES = [
    ("123 Main Street, Apartment 4", "123 main st apt 4"),
    ("10  Downing   Street", "10 downing st"),
    ("1 Rue de l'Église", "1 rue de l'eglise"),
    ("55 Sunset Boulevard", "55 sunset blvd"),
]


@pytest.mark.parametrize(("line", "expected"), LATIN_ADDRESSES)
def test_latin_address(standardize, line, expected):
    result = standardize({"address_line": line, "city": "Los Ángeles", "prefecture": "ca"}, source_country="US")
    assert result.records.select("std_address", "std_city", "std_prefecture").row(0) == (
        expected,
        "los angeles",
        "CA",
    )


@pytest.mark.parametrize(
    ("text", "number"), [("三", 3), ("十", 10), ("十二", 12), ("二十", 20), ("二十三", 23), ("百五", 105), ("一〇一", 101)]
)
def test_kanji_number(text, number):
    assert kanji_number(text) == number


@pytest.mark.parametrize(
    ("street", "expected"),
    [("1丁目2番3号", "1-2-3"), ("2番地3", "2-3"), ("1の2の3", "1-2-3"), ("一番町1番", "一番町1"), ("5-6 101号室", "5-6 101号室")],
)
def test_normalize_street(street, expected):
    assert normalize_street(street) == expected
