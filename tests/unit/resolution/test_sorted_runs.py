"""Frames made of a few sorted parts come out as a full sort would give them."""

from __future__ import annotations

import random

import polars as pl
import pytest

from resolution.sorted_runs import is_sorted_on, sorted_from_parts

KEYS = ["golden_id", "source_system", "source_record_id"]


def _parts(rng: random.Random, n_ids: int, n_parts: int) -> pl.DataFrame:
    """Crosswalk-like rows, each golden id's rows in one part, each part sorted on KEYS."""
    rows = [
        (f"G{rng.randrange(10 * n_ids):05x}", rng.choice(["crm", "pos", "web"]), f"{rng.randrange(10**6):06d}")
        for _ in range(n_ids)
        for _ in range(rng.randint(1, 3))
    ]
    frame = pl.DataFrame(rows, schema=KEYS, orient="row").unique(KEYS)
    part = pl.col("golden_id").hash() % n_parts
    return pl.concat([frame.filter(part == p).sort(KEYS) for p in range(n_parts)])


@pytest.mark.parametrize("seed", range(10))
def test_parts_come_out_as_a_full_sort(seed):
    rng = random.Random(seed)
    frame = _parts(rng, rng.choice([1, 10, 500]), rng.choice([1, 2, 5]))
    assert sorted_from_parts(frame, KEYS).equals(frame.sort(KEYS))


def test_rows_of_one_id_out_of_order_are_sorted_on_every_key():
    frame = pl.DataFrame(
        {"golden_id": ["G2", "G1", "G1"], "source_system": ["crm", "web", "crm"], "source_record_id": ["1", "2", "3"]}
    )
    assert sorted_from_parts(frame, KEYS).equals(frame.sort(KEYS))  # a stable sort on the id alone is not enough here
    assert sorted_from_parts(frame, KEYS)["source_system"].to_list() == ["crm", "web", "crm"]


def test_null_keys_sort_as_a_full_sort():
    frame = pl.DataFrame({"golden_id": ["G2", None, "G1"], "source_system": ["a", "b", None], "source_record_id": ["1", "2", "3"]})
    assert sorted_from_parts(frame, KEYS).equals(frame.sort(KEYS))


def test_is_sorted_on_compares_every_key():
    frame = pl.DataFrame({"golden_id": ["G1", "G1", "G2"], "source_system": ["b", "a", "a"], "source_record_id": ["1", "1", "1"]})
    assert not is_sorted_on(frame, KEYS)
    assert is_sorted_on(frame.sort(KEYS), KEYS)
    assert is_sorted_on(frame.clear(), KEYS)
