"""Dagster metadata of review pairs and sample rows holds no record key, pair id or place in clear."""

from __future__ import annotations

import polars as pl

from assets.metadata import pairs_table, sample_table


def test_review_pairs_in_metadata_mask_keys_and_leave_out_the_pair_id_and_places() -> None:
    """The event log outlives an erasure: a customer number (the id) and a
    town beside a masked name would still say who was queued."""
    queue = pl.DataFrame(
        {
            "pair_id": ["crm:C0000005|web:W00000072"],
            "record_key_l": ["crm:C0000005"],
            "record_key_r": ["web:W00000072"],
            "match_probability": [0.72],
            "std_family_name_l": ["秋山"],
            "std_family_name_r": ["秋山"],
            "std_city_l": ["南秋田郡五城目町"],
            "std_city_r": ["南秋田郡五城目町"],
            "std_address_l": ["1-2-3"],
            "gamma_family_name": [3],
        }
    )
    table = pairs_table(queue).value
    assert "C0000005" not in table and "W00000072" not in table and "五城目" not in table and "1-2-3" not in table
    assert "crm:******05" in table and "web:*******72" in table
    assert "秋山" not in table and "0.72" in table


def test_golden_sample_in_metadata_leaves_out_places_and_masks_consent_sources() -> None:
    """A golden record's town and prefecture beside its masked name and birth
    year narrow who it is; the consent's source names a record (a customer
    number). Counts stay plain, and the note says which places were left out."""
    golden = pl.DataFrame(
        {
            "golden_id": ["G0123456789abcdef0123"],
            "family_name": ["秋山"],
            "given_name": ["花子"],
            "birth_date": ["1980-03-01"],
            "postal_code": ["0181700"],
            "prefecture": ["秋田県"],
            "city": ["南秋田郡五城目町"],
            "address_line": ["字石崎1-2-3"],
            "building": ["コーポ秋山101"],
            "record_count": [3],
            "consent_marketing_email": [True],
            "consent_marketing_email_source": ["crm:C0000005"],
        }
    )
    table = sample_table(golden).value
    for clear in ("秋田県", "五城目", "石崎", "コーポ", "秋山", "花子", "1980-03-01", "C0000005"):
        assert clear not in table, clear
    assert "crm:******05" in table and "G0123456789abcdef0123" in table and "| 3 |" in table
    assert "left out (places): prefecture, city, address_line, building" in table


def test_ingested_sample_in_metadata_masks_the_source_record_id() -> None:
    rows = pl.DataFrame({"source_record_id": ["C0000164"], "full_name": ["秋山 花子"], "prefecture": ["秋田県"]})
    table = sample_table(rows).value
    assert "C0000164" not in table and "******64" in table and "秋田県" not in table


def test_review_pairs_in_metadata_leave_out_prefectures() -> None:
    queue = pl.DataFrame({"record_key_l": ["crm:C0000005"], "std_prefecture_l": ["秋田県"], "std_prefecture_r": ["秋田県"]})
    assert "秋田県" not in pairs_table(queue).value
