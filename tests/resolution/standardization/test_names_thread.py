"""`standardize_records` runs the names on a thread beside the other fields:
its answers are those of the standardizers run one after another."""

from datetime import date

import polars as pl
from polars.testing import assert_frame_equal

from resolution import standardization


def test_names_beside_the_other_fields_give_one_chain_s_frame():
    """`standardize_records` runs the names on a thread: its records and issues
    (columns and rows in order) are those of the standardizers run one after
    another."""
    frame = pl.DataFrame(
        {
            "record_key": ["a:1", "a:2", "a:3", "a:4"],
            "source_country": ["JP", "JP", "US", "JP"],
            "full_name": ["山田太郎", "髙橋 一郎", "Sean Taylor, Jr.", None],
            "family_name_kana": [None, "ﾀｶﾊｼ", None, "ヤマダ"],
            "birth_date": ["昭和55年3月1日", "1980-02-30", "03/04/1985", "x"],
            "email": ["a.b.@docomo.ne.jp", "taro@example.com", "nope", None],
            "phone": ["090ー1234ー5678", "+1 212 555 0100", "12", None],
            "postal_code": ["100-0001", None, "10001", "1"],
            "address_line": ["東京都千代田区千代田一丁目1番1号", "〒150-0002 渋谷区渋谷2-1", "1 Main St", None],
            "updated_at": ["2026-11-01T10:00:00+09:00", None, "2026-11-02", "bad"],
        }
    )
    today = date(2026, 11, 26)
    result = standardization.standardize_records(frame, today=today, timezone="Asia/Tokyo")

    chained = standardization._with_canonical_fields(frame)
    for step in (
        standardization.standardize_country,
        standardization.standardize_party,
        standardization.standardize_names,
        lambda f: standardization.standardize_birth_date(f, today, "Asia/Tokyo"),
        standardization.standardize_gender,
        standardization.standardize_email,
        standardization.standardize_phone,
        standardization.standardize_address,
        standardization.standardize_postal_code,
        lambda f: standardization.standardize_updated_at(f, today, "Asia/Tokyo"),
        standardization.standardize_national_id,
    ):
        chained = step(chained)
    chained = standardization.with_persons(standardization.with_organisation_names(chained))
    chained, issues = standardization.collect_issues(chained)
    assert result.issues.height > 0
    assert_frame_equal(result.issues, issues)
    assert_frame_equal(result.records, chained.select(result.records.columns).cast(result.records.schema))
