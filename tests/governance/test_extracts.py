from __future__ import annotations

from datetime import date, datetime

import polars as pl
import pytest

from governance.extracts import DIRECT_IDENTIFIERS, purpose_extract

KEY = b"test-only-key-0123456789abcdef"


@pytest.fixture
def golden() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "golden_id": ["G1", "G2", "G3", "G4"],
            "family_name": ["山田", "佐藤", "鈴木", "Smith"],
            "given_name": ["太郎", "花子", "一郎", "John"],
            "birth_date": [date(1980, 3, 1), date(1975, 5, 12), date(1990, 1, 1), None],
            "email": ["taro@example.com", "hanako@example.jp", None, "john@example.com"],
            "phone": ["+819012345678", None, "+818011112222", None],
            "postal_code": ["1000001", "1500001", "5300001", None],
            "prefecture": ["東京都", "東京都", "大阪府", None],
            "city": ["千代田区", "渋谷区", "大阪市北区", None],
            "address_line": ["千代田1-2-3", "神宮前2-3-4", "梅田1-1-1", None],
            "gender": ["M", "F", None, "M"],
            "country": ["JP", "JP", "JP", "US"],
            "record_count": [3, 2, 1, 2],
            "source_systems": ["crm,pos,shop", "crm,shop", "crm", "crm,shop"],
            "updated_at": [datetime(2026, 1, 1)] * 4,
        }
    )


@pytest.fixture
def consent() -> pl.DataFrame:
    return pl.DataFrame(
        {"golden_id": ["G1", "G2", "G3"], "consent_analytics": [True, False, None], "consent_marketing_email": [True, True, True]}
    )


def test_extract_has_no_direct_identifier_and_only_consented_records(golden, consent) -> None:
    extract = purpose_extract(golden, consent, "analytics", KEY)
    assert extract.height == 1  # G2 withdrew, G3 never decided, G4 has no consent row
    assert not set(extract.columns) & set(DIRECT_IDENTIFIERS)
    row = extract.row(0, named=True)
    assert row["birth_year"] == 1980 and row["prefecture"] == "東京都" and row["record_count"] == 3
    cells = " ".join(str(v) for v in row.values())
    for value in ("山田", "太郎", "taro@example.com", "+819012345678", "1000001", "千代田", "G1", "1980-03-01"):
        assert value not in cells


def test_pseudonyms_differ_per_purpose_and_need_the_key(golden, consent) -> None:
    analytics = purpose_extract(golden, consent, "analytics", KEY)
    email = purpose_extract(golden, consent, "marketing_email", KEY)
    other_key = purpose_extract(golden, consent, "analytics", b"another-test-key-0000000")
    assert email.height == 3
    assert not set(analytics["pseudonym"]) & set(email["pseudonym"])
    assert analytics["pseudonym"].to_list() != other_key["pseudonym"].to_list()


def test_unknown_purpose_is_refused(golden, consent) -> None:
    with pytest.raises(ValueError, match="third_party_sharing"):
        purpose_extract(golden, consent, "third_party_sharing", KEY)
