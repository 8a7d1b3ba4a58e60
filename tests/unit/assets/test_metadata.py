"""Dagster metadata of review pairs holds no record key, pair id or place in clear."""

from __future__ import annotations

import polars as pl

from assets.metadata import pairs_table


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
