"""Japanese addresses written in romaji, as English web forms take them."""

import polars as pl
import pytest

from resolution.match_keys import add_match_keys
from resolution.standardization.romaji_addresses import (
    parse_romaji_address,
    romaji_prefecture,
)
from tests.resolution.standardization.conftest import issue_codes

PREFECTURE_NAMES = [
    ("Tokyo", "東京都"),
    ("tokyo-to", "東京都"),
    ("TOKYO TO", "東京都"),
    ("Tōkyō", "東京都"),
    ("Toukyou-to", "東京都"),
    ("Kyoto-fu", "京都府"),
    ("Osaka Prefecture", "大阪府"),
    ("Hyogo", "兵庫県"),
    ("Hyōgo-ken", "兵庫県"),
    ("Hyougo Pref.", "兵庫県"),
    ("Hokkaido", "北海道"),
    ("Hokkai-do", "北海道"),
    ("Kōchi", "高知県"),
    ("Ooita-ken", "大分県"),
    ("Gumma", "群馬県"),
    ("Okinawa", "沖縄県"),
    # not a prefecture: a city of the same name, a misspelling, a foreign place
    ("Osaka-shi", None),
    ("Tokio", None),
    ("Springfield", None),
    ("", None),
]


@pytest.mark.parametrize(("text", "expected"), PREFECTURE_NAMES)
def test_romaji_prefecture(text, expected):
    assert romaji_prefecture(text) == expected


ROMAJI_ADDRESSES = [
    # (prefecture, city, address_line, postal code) -> (prefecture, city, street, building)
    ((None, None, "4-17-10 Shibuya, Shibuya-ku, Tokyo", "1500002"), ("東京都", "渋谷区", "渋谷4-17-10", None)),
    ((None, None, "Tokyo-to Shinjuku-ku Nishishinjuku 2-8-1", None), ("東京都", "新宿区", "西新宿2-8-1", None)),
    ((None, None, "1-1 Marunouchi 1-chome, Chiyoda-ku, Tokyo, Japan", "1000005"), ("東京都", "千代田区", "丸の内1-1-1", None)),
    ((None, None, "Osaka-fu Osaka-shi Kita-ku Umeda 3-1-1", None), ("大阪府", "大阪市北区", "梅田3-1-1", None)),
    ((None, None, "Sapporo, Hokkaido", None), ("北海道", "札幌市", None, None)),
    ((None, None, "Naha-shi, Okinawa", None), ("沖縄県", "那覇市", None, None)),
    ((None, None, "Chūō-ku, Tōkyō", None), ("東京都", "中央区", None, None)),
    (("Tokyo", "Shibuya-ku", "4-17-10 Shibuya", "1500002"), ("東京都", "渋谷区", "渋谷4-17-10", None)),
    (("東京都", "渋谷区", "4-17-10 Shibuya", "1500002"), ("東京都", "渋谷区", "渋谷4-17-10", None)),
    (("Kyoto-fu", None, None, None), ("京都府", None, None, None)),
    (("Hyōgo-ken", None, None, None), ("兵庫県", None, None, None)),
    # English word order: ward before its city, town before its district
    ((None, None, "1-2-3 Yamashita-cho, Naka-ku, Yokohama-shi, Kanagawa", None), ("神奈川県", "横浜市中区", "山下町1-2-3", None)),
    ((None, None, "2335 Hakonegasaki, Mizuho-machi, Nishitama-gun, Tokyo", None), ("東京都", "西多摩郡瑞穂町", "箱根ケ崎2335", None)),
    # a bare city name next to the prefecture, known to Japan Post
    ((None, None, "Nishishinjuku 2-8-1, Shinjuku, Tokyo", None), ("東京都", "新宿区", "西新宿2-8-1", None)),
    ((None, None, "Nagano, Nagano", None), ("長野県", "長野市", None, None)),
    # the building part of the line
    ((None, None, "Shibuya Hikarie 11F, 2-21-1 Shibuya, Shibuya-ku, Tokyo", None), ("東京都", "渋谷区", "渋谷2-21-1", "shibuya hikarie 11f")),
    # Osaka has two 北区 (大阪市, 堺市): only the postal code tells which
    ((None, None, "3-1-1 Umeda, Kita-ku, Osaka", None), ("大阪府", "kita-ku", "umeda 3-1-1", None)),
    ((None, None, "3-1-1 Umeda, Kita-ku, Osaka", "5300001"), ("大阪府", "大阪市北区", "梅田3-1-1", None)),
    # a town named like a prefecture is not one
    ((None, None, "2-1 Saga, Koto-ku", None), ("東京都", "江東区", "佐賀2-1", None)),
]  # fmt: skip


@pytest.mark.parametrize(("given", "expected"), ROMAJI_ADDRESSES)
def test_parse_romaji_address(given, expected):
    assert tuple(parse_romaji_address(*given)) == expected


ENGLISH_FORMS = [
    # (record, country) -> (std_postal_code, std_prefecture, std_city, std_address, std_building)
    (
        {"address_line": "4-17-10 Shibuya, Shibuya-ku, Tokyo 150-0002"},
        ("1500002", "東京都", "渋谷区", "渋谷4-17-10", None),
    ),
    (
        {"address_line": "1-1 Marunouchi 1-chome, Chiyoda-ku, Tokyo, 100-0005, Japan"},
        ("1000005", "東京都", "千代田区", "丸の内1-1-1", None),
    ),
    (
        {"address_line": "4-17-10 Shibuya", "city": "Shibuya-ku", "prefecture": "Tokyo", "postal_code": "150-0002"},
        ("1500002", "東京都", "渋谷区", "渋谷4-17-10", None),
    ),
    (
        {"address_line": "Osaka-fu Osaka-shi Kita-ku Umeda 3-1-1", "building": "Grand Front Osaka"},
        (None, "大阪府", "大阪市北区", "梅田3-1-1", "grand front osaka"),
    ),
    ({"prefecture": "Hyogo"}, (None, "兵庫県", None, None, None)),
    # the same line in a US record is a US address: nothing Japanese about it
    (
        {"address_line": "12 Osaka St, Springfield", "country": "US"},
        (None, None, None, "12 osaka st springfield", None),
    ),
]


@pytest.mark.parametrize(("record", "expected"), ENGLISH_FORMS)
def test_romaji_address_through_standardization(standardize, record, expected):
    result = standardize(record)
    columns = ("std_postal_code", "std_prefecture", "std_city", "std_address", "std_building")
    assert result.records.select(columns).row(0) == expected
    assert issue_codes(result, "address") == [None]


def test_a_non_japanese_record_naming_osaka_is_left_alone(standardize):
    result = standardize({"address_line": "12 Osaka St", "city": "Springfield", "prefecture": "IL"}, source_country="US")
    assert result.records.select("std_prefecture", "std_city", "std_address").row(0) == ("IL", "springfield", "12 osaka st")


def test_unconfirmed_romaji_city_stays_lower_case(standardize):
    result = standardize({"address_line": "3-1-1 Umeda, Kita-ku, Osaka"})
    assert result.records.select("std_prefecture", "std_city", "std_address").row(0) == ("大阪府", "kita-ku", "umeda 3-1-1")


def test_romaji_and_kanji_records_of_one_address_share_their_keys(standardize):
    result = standardize(
        {"address_line": "東京都千代田区丸の内一丁目1番1号", "postal_code": "100-0005"},
        {"address_line": "1-1 Marunouchi 1-chome, Chiyoda-ku, Tokyo, 100-0005, Japan"},
        {"address_line": "〒150-0002 東京都渋谷区渋谷4丁目17番10号"},
        {"address_line": "4-17-10 Shibuya", "city": "Shibuya-ku", "prefecture": "Tokyo", "postal_code": "1500002"},
        {"address_line": "大阪府大阪市北区梅田3-1-1"},
        {"address_line": "Osaka-fu Osaka-shi Kita-ku Umeda 3-1-1"},
    )
    keys = add_match_keys(result.records).select(
        "std_prefecture", "std_city", "mk_address_numbers", "mk_address", "mk_city"
    )
    kanji, romaji = keys[::2], keys[1::2]
    assert kanji.rows() == romaji.rows()
    assert kanji.get_column("mk_address_numbers").to_list() == ["1-1-1", "4-17-10", "3-1-1"]
    assert pl.Series(kanji.get_column("std_city")).to_list() == ["千代田区", "渋谷区", "大阪市北区"]


def test_postal_codes_looked_up_one_by_one_give_what_the_whole_table_gives() -> None:
    """A night with a few romaji addresses asks Japan Post by postal code; past
    a few hundred codes the whole table is read once: both give the same places."""
    from resolution.standardization import romaji_addresses

    for code in ("1500002", "1000005", "0600001", "5300001", "9999999"):
        assert romaji_addresses._queried_places_at(code) == romaji_addresses._places().by_code.get(code, ())
    assert romaji_addresses._places_at("1500002") and romaji_addresses._places_at(None) == ()
