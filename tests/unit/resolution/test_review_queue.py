"""The review queue: the pairs it holds are chosen before the golden ids are
known (so that their scoring can start early), then laid out side by side."""

from __future__ import annotations

import polars as pl

from resolution.review_queue import QUEUE_KEY_SCHEMA, build_review_queue, queued_pairs


def _pairs() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "record_key_l": ["crm:2", "crm:1", "crm:3", "crm:1", "crm:4"],
            "record_key_r": ["crm:1", "crm:3", "crm:4", "crm:4", "crm:2"],
            "match_probability": [0.60, 0.10, 0.80, 0.45, 0.95],
            "match_weight": [0.6, -3.2, 2.0, -0.3, 4.2],
        }
    )


def test_queued_pairs_are_the_uncertain_undecided_ones():
    queued = queued_pairs(_pairs(), lower=0.3, upper=0.9, decided=pl.Series(["crm:3|crm:4"]))
    # 0.10 is below the band, 0.95 above it, crm:3|crm:4 is decided; the pair id orders its keys
    assert sorted(queued["pair_id"].to_list()) == ["crm:1|crm:2", "crm:1|crm:4"]
    assert queued_pairs(_pairs().clear(), lower=0.3, upper=0.9) is None


def test_a_pair_a_rule_holds_back_is_queued_whatever_its_probability():
    """A move or another family name that nothing about the person confirms is never linked: a steward decides."""
    pairs = _pairs().with_columns(held_by=pl.Series([None, None, None, None, "move"], dtype=pl.Utf8))
    queued = queued_pairs(pairs, lower=0.3, upper=0.9)
    assert sorted(queued["pair_id"].to_list()) == ["crm:1|crm:2", "crm:1|crm:4", "crm:2|crm:4", "crm:3|crm:4"]
    assert queued.filter(pl.col("pair_id") == "crm:2|crm:4")["held_by"].to_list() == ["move"]
    below = pairs.with_columns(match_probability=pl.Series([0.6, 0.1, 0.8, 0.45, 0.2]))
    assert "crm:2|crm:4" not in queued_pairs(below, lower=0.3, upper=0.9)["pair_id"].to_list()  # below the band
    # other links joined the pair's records: nothing for a steward to decide; apart, it is queued
    together = pl.DataFrame({"record_key": ["crm:1", "crm:2", "crm:3", "crm:4"], "cluster_id": ["c1", "c2", "c3", "c2"]})
    apart = together.with_columns(cluster_id=pl.Series(["c1", "c2", "c3", "c4"]))
    assert "crm:2|crm:4" not in queued_pairs(pairs, lower=0.3, upper=0.9, clusters=together)["pair_id"].to_list()
    assert "crm:2|crm:4" in queued_pairs(pairs, lower=0.3, upper=0.9, clusters=apart)["pair_id"].to_list()
    # the model's unsure pairs are queued whatever their clusters, as ever
    assert "crm:1|crm:4" in queued_pairs(pairs, lower=0.3, upper=0.9, clusters=together)["pair_id"].to_list()


def test_queue_of_the_queued_pairs_side_by_side_most_uncertain_first():
    records = pl.DataFrame(
        {"record_key": ["crm:1", "crm:2", "crm:4"], "std_family_name": ["佐藤", "佐藤", "鈴木"], "other": [1, 2, 3]}
    )
    crosswalk = pl.DataFrame({"record_key": ["crm:1", "crm:2", "crm:4"], "golden_id": ["G1", "G1", "G2"]})
    queue = build_review_queue(queued_pairs(_pairs(), lower=0.3, upper=0.9), crosswalk, records)
    assert queue["pair_id"].to_list() == ["crm:1|crm:4", "crm:1|crm:2", "crm:3|crm:4"]  # |p - 0.5|: 0.05, 0.10, 0.30
    assert queue.columns == [*QUEUE_KEY_SCHEMA, "std_family_name_l", "std_family_name_r"]
    assert queue.row(0, named=True) == {
        "pair_id": "crm:1|crm:4",
        "record_key_l": "crm:1",
        "record_key_r": "crm:4",
        "golden_id_l": "G1",
        "golden_id_r": "G2",
        "match_probability": 0.45,
        "match_weight": -0.3,
        "held_by": None,
        "std_family_name_l": "佐藤",
        "std_family_name_r": "鈴木",
    }
    assert queue.filter(pl.col("pair_id") == "crm:3|crm:4")["golden_id_l"].to_list() == [None]  # crm:3 has no id
    assert build_review_queue(None, crosswalk, records).schema == pl.Schema(QUEUE_KEY_SCHEMA)
