"""Record keys an earlier version wrote with a float's `.0` are read as today's keys."""

from __future__ import annotations

import polars as pl

from resolution.float_keys import decisions_with_float_keys_renamed, with_float_keys_renamed
from resolution.golden_ids import assign_golden_ids
from resolution.steward_decisions import DECISION_SCHEMA


def _crosswalk(rows: list[tuple[str, str]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema={"record_key": pl.Utf8, "golden_id": pl.Utf8}, orient="row")


def _keys(*keys: str) -> pl.Series:
    return pl.Series("record_key", keys, dtype=pl.Utf8)


def test_a_float_written_key_is_renamed_when_the_run_holds_the_whole_number_key_only():
    previous = _crosswalk(
        [
            ("pos:2900000001.0", "G1"),  # renamed: the run has pos:2900000001 and not this key
            ("pos:2900000002.0", "G2"),  # kept: the run still has this key (a delta source before --full)
            ("pos:2900000003.0", "G3"),  # kept: the run has neither (the record left)
            ("crm:12.5", "G4"),  # not a whole number
            ("crm:A-1.0", "G5"),  # not a number
        ]
    )
    present = _keys("pos:2900000001", "pos:2900000002", "pos:2900000002.0", "crm:12", "crm:12.5", "crm:A-1")

    renamed = with_float_keys_renamed(previous, present)

    assert renamed["record_key"].to_list() == [
        "pos:2900000001",
        "pos:2900000002.0",
        "pos:2900000003.0",
        "crm:12.5",
        "crm:A-1.0",
    ]


def test_no_record_gains_a_second_crosswalk_row():
    previous = _crosswalk([("pos:7.0", "G1"), ("pos:7", "G2")])
    assert with_float_keys_renamed(previous, _keys("pos:7"))["record_key"].to_list() == ["pos:7.0", "pos:7"]


def test_a_frame_without_float_keys_is_returned_as_it_is():
    previous = _crosswalk([("pos:7", "G1")])
    assert with_float_keys_renamed(previous, _keys("pos:7")) is previous


def test_records_keep_their_golden_ids_across_the_rename():
    """The night after the upgrade: the same records under today's keys are the same customers."""
    previous = _crosswalk([("pos:1.0", "G1"), ("pos:2.0", "G1"), ("crm:9", "G1"), ("pos:3.0", "G2")])
    clusters = pl.DataFrame(
        {"record_key": ["pos:1", "pos:2", "crm:9", "pos:3"], "cluster_id": ["a", "a", "a", "b"]}
    )

    assignment = assign_golden_ids(
        clusters, with_float_keys_renamed(previous, clusters["record_key"]), run_id="r2", mint=lambda: "NEW"
    )

    assert dict(assignment.crosswalk.iter_rows()) == {"crm:9": "G1", "pos:1": "G1", "pos:2": "G1", "pos:3": "G2"}
    assert assignment.events.is_empty()


def test_decisions_are_renamed_ordered_again_and_the_latest_per_pair_kept():
    def decision(left: str, right: str, kind: str, decision_id: str) -> dict:
        return {
            "decision_id": decision_id,
            "record_key_l": left,
            "record_key_r": right,
            "decision": kind,
            "steward": "s",
            "reason": None,
            "decided_at": "2026-11-01T00:00:00",
        }

    decisions = pl.DataFrame(
        [
            decision("pos:10.0", "pos:9.0", "must_link", "d1"),  # renamed: pos:10 < pos:9 as text, reordered
            decision("crm:5", "pos:10.0", "cannot_link", "d2"),
            decision("pos:10", "pos:9", "cannot_link", "d3"),  # made after the upgrade: the latest for its pair
        ],
        schema=DECISION_SCHEMA,
    )

    renamed = decisions_with_float_keys_renamed(decisions, _keys("pos:9", "pos:10", "crm:5"))

    assert renamed.select("decision_id", "record_key_l", "record_key_r").rows() == [
        ("d2", "crm:5", "pos:10"),
        ("d3", "pos:10", "pos:9"),
    ]
