"""How many of the probable matches the blocking rules find, without labels.

After training, a sample of records is compared through a wide net of
single-field rules (same birth date, email, phone, name, postal code), scored
with the trained model, and the pairs it links become the probable matches.
The recall estimate is the share of those that the model's own blocking rules
also generate. Pairs sharing none of the net's fields are beyond the estimate:
it is an upper bound on true recall, but it catches a rule set that misses
whole kinds of duplicates.
"""

from __future__ import annotations

from typing import Any

import polars as pl
from splink import block_on

from resolution.linking import linked_pairs

WIDE_NET: tuple[tuple[str, ...], ...] = (
    ("mk_birth_date",),
    ("std_email",),
    ("std_phone",),
    ("mk_name_pair",),
    ("mk_family", "mk_given"),
    ("std_postal_code",),
)
SAMPLE_RECORDS = 20_000


def _covered(pairs: pl.DataFrame, records: pl.DataFrame, rules: tuple[tuple[str, ...], ...]) -> pl.DataFrame:
    """For each pair, in order: True when some rule generates it (all its columns equal and present)."""
    columns = sorted({c for rule in rules for c in rule if c in records.columns})
    sides = records.select("record_key", *columns)
    joined = pairs.join(sides.rename(lambda c: f"{c}_l"), on="record_key_l", how="left", maintain_order="left").join(
        sides.rename(lambda c: f"{c}_r"), on="record_key_r", how="left", maintain_order="left"
    )
    conditions = [
        pl.all_horizontal([(pl.col(f"{c}_l") == pl.col(f"{c}_r")).fill_null(False) for c in rule])
        for rule in rules
        if all(c in columns for c in rule)
    ]
    return joined.select(pl.any_horizontal(conditions) if conditions else pl.lit(False))


def estimate_blocking_recall(
    db_api: Any,
    records: pl.DataFrame,
    settings: dict[str, Any],
    rules: tuple[tuple[str, ...], ...],
    *,
    link_threshold: float,
    sample_records: int = SAMPLE_RECORDS,
) -> dict[str, Any]:
    """`probable_matches` found by the wide net on a sample, how many the
    blocking `rules` cover, and `recall_estimate` (None when the net found none)."""
    sample = records.sample(sample_records, seed=0) if records.height > sample_records else records
    net = [r for r in WIDE_NET if all(c in sample.columns and sample[c].null_count() < sample.height for c in r)]
    result: dict[str, Any] = {"sample_records": sample.height, "wide_net": [list(r) for r in net]}
    if not net or sample.height < 2:
        return result | {"probable_matches": 0, "covered": 0, "recall_estimate": None}
    probable = linked_pairs(
        db_api, sample, settings, link_threshold=link_threshold, blocking_rules=[block_on(*r) for r in net]
    )
    if probable.height == 0:
        return result | {"probable_matches": 0, "covered": 0, "recall_estimate": None}
    covered = int(_covered(probable, sample, rules).to_series().sum())
    return result | {
        "probable_matches": probable.height,
        "covered": covered,
        "recall_estimate": round(covered / probable.height, 4),
    }
