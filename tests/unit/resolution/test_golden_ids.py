"""Stable golden ids across runs: created, kept, merged, split, retired."""

from __future__ import annotations

import itertools

import polars as pl
import pytest

from resolution.golden_ids import (
    IDENTITY_EVENT_SCHEMA,
    IdFate,
    assign_golden_ids,
    erased_events,
    follow_merges,
    merged_into,
    new_golden_id,
)

NO_PREVIOUS = pl.DataFrame(schema={"record_key": pl.Utf8, "golden_id": pl.Utf8})


def _minter():
    """Deterministic ids N1, N2, ... in the order they are minted."""
    counter = itertools.count(1)
    return lambda: f"N{next(counter)}"


def _clusters(groups: dict[str, list[str]]) -> pl.DataFrame:
    return pl.DataFrame(
        [(key, cluster) for cluster, keys in groups.items() for key in keys],
        schema={"record_key": pl.Utf8, "cluster_id": pl.Utf8},
        orient="row",
    )


def _crosswalk(groups: dict[str, list[str]]) -> pl.DataFrame:
    return pl.DataFrame(
        [(key, golden) for golden, keys in groups.items() for key in keys],
        schema={"record_key": pl.Utf8, "golden_id": pl.Utf8},
        orient="row",
    )


def _assign(clusters: dict[str, list[str]], previous: pl.DataFrame):
    return assign_golden_ids(_clusters(clusters), previous, run_id="run-2", mint=_minter())


def _groups(crosswalk: pl.DataFrame) -> dict[str, list[str]]:
    """golden_id -> sorted record keys."""
    return {
        row["golden_id"]: sorted(row["record_key"])
        for row in crosswalk.group_by("golden_id").agg("record_key").iter_rows(named=True)
    }


def _events(result) -> set[tuple]:
    return set(result.events.select("event_type", "golden_id", "related_golden_id", "record_count").rows())


def test_first_run_creates_one_id_per_cluster():
    result = assign_golden_ids(
        _clusters({"c1": ["crm:1", "pos:1"], "c2": ["crm:2"]}), NO_PREVIOUS, run_id="run-1", mint=_minter()
    )

    assert _groups(result.crosswalk) == {"N1": ["crm:1", "pos:1"], "N2": ["crm:2"]}
    assert _events(result) == {("created", "N1", None, 2), ("created", "N2", None, 1)}
    assert result.events["run_id"].unique().to_list() == ["run-1"]
    assert dict(result.events.schema) == IDENTITY_EVENT_SCHEMA
    assert result.crosswalk.columns == ["record_key", "golden_id"]


PREVIOUS = _crosswalk({"G1": ["a", "b", "c"], "G2": ["d", "e"], "G3": ["f"]})


@pytest.mark.parametrize(
    ("clusters", "groups", "events"),
    [
        pytest.param(
            {"x": ["a", "b", "c"], "y": ["d", "e"], "z": ["f"]},
            {"G1": ["a", "b", "c"], "G2": ["d", "e"], "G3": ["f"]},
            set(),
            id="same-clusters-new-labels",
        ),
        pytest.param(
            {"x": ["a", "b", "c", "g"], "y": ["d", "e"], "z": ["f"]},
            {"G1": ["a", "b", "c", "g"], "G2": ["d", "e"], "G3": ["f"]},
            set(),
            id="new-record-joins-existing",
        ),
        pytest.param(
            {"x": ["a", "b", "c"], "y": ["d", "e"], "z": ["f"], "w": ["g", "h"]},
            {"G1": ["a", "b", "c"], "G2": ["d", "e"], "G3": ["f"], "N1": ["g", "h"]},
            {("created", "N1", None, 2)},
            id="new-cluster-created",
        ),
        pytest.param(
            {"x": ["a", "b", "c", "d", "e"], "z": ["f"]},
            {"G1": ["a", "b", "c", "d", "e"], "G3": ["f"]},
            {("merged", "G2", "G1", 2)},
            id="merge-keeps-larger",
        ),
        pytest.param(
            {"x": ["d", "e", "f"], "y": ["a", "b", "c"]},
            {"G2": ["d", "e", "f"], "G1": ["a", "b", "c"]},
            {("merged", "G3", "G2", 1)},
            id="merge-small-into-larger",
        ),
        pytest.param(
            {"x": ["a", "b", "c", "d", "e", "f"]},
            {"G1": ["a", "b", "c", "d", "e", "f"]},
            {("merged", "G2", "G1", 2), ("merged", "G3", "G1", 1)},
            id="three-way-merge",
        ),
        pytest.param(
            {"x": ["a", "b"], "y": ["c"], "z": ["d", "e"], "w": ["f"]},
            {"G1": ["a", "b"], "N1": ["c"], "G2": ["d", "e"], "G3": ["f"]},
            {("split", "N1", "G1", 1)},
            id="split-keeps-id-on-larger-part",
        ),
        pytest.param(
            {"x": ["a"], "y": ["b", "c"], "z": ["d", "e"], "w": ["f"]},
            {"N1": ["a"], "G1": ["b", "c"], "G2": ["d", "e"], "G3": ["f"]},
            {("split", "N1", "G1", 1)},
            id="split-larger-part-listed-second",
        ),
        pytest.param(
            {"x": ["a", "b", "c"], "y": ["d", "e"]},
            {"G1": ["a", "b", "c"], "G2": ["d", "e"]},
            {("retired", "G3", None, 0)},
            id="no-records-left-retired",
        ),
    ],
)
def test_ids_follow_their_entities(clusters, groups, events):
    result = _assign(clusters, PREVIOUS)
    assert _groups(result.crosswalk) == groups
    assert _events(result) == events


def test_merge_tie_keeps_smallest_id():
    previous = _crosswalk({"G9": ["a", "b"], "G4": ["c", "d"]})
    result = _assign({"x": ["a", "b", "c", "d"]}, previous)
    assert _groups(result.crosswalk) == {"G4": ["a", "b", "c", "d"]}
    assert _events(result) == {("merged", "G9", "G4", 2)}


def test_merge_keeps_id_with_more_records_even_if_larger_id():
    previous = _crosswalk({"G1": ["a"], "G9": ["b", "c"]})
    result = _assign({"x": ["a", "b", "c"]}, previous)
    assert _groups(result.crosswalk) == {"G9": ["a", "b", "c"]}
    assert _events(result) == {("merged", "G1", "G9", 1)}


def test_split_and_merge_in_one_run():
    # G1 = {a,b,c} splits: {a,b} stay, c joins G2's records.
    previous = _crosswalk({"G1": ["a", "b", "c"], "G2": ["d", "e"]})
    result = _assign({"x": ["a", "b"], "y": ["c", "d", "e"]}, previous)
    assert _groups(result.crosswalk) == {"G1": ["a", "b"], "G2": ["c", "d", "e"]}
    assert _events(result) == set()


def test_records_swapping_between_entities_keep_the_majority_id():
    previous = _crosswalk({"G1": ["a", "b", "c"], "G2": ["d", "e", "f"]})
    result = _assign({"x": ["a", "b", "d"], "y": ["c", "e", "f"]}, previous)
    assert _groups(result.crosswalk) == {"G1": ["a", "b", "d"], "G2": ["c", "e", "f"]}
    assert _events(result) == set()


def test_split_into_equal_halves_is_deterministic():
    previous = _crosswalk({"G1": ["a", "b", "c", "d"]})
    outcomes = [
        _groups(_assign(clusters, previous).crosswalk)
        for clusters in ({"x": ["a", "b"], "y": ["c", "d"]}, {"y": ["c", "d"], "x": ["a", "b"]})
    ]
    assert outcomes[0] == outcomes[1]
    assert sorted(outcomes[0]) == ["G1", "N1"]


def test_fresh_ids_come_only_from_mint():
    minted = []

    def mint():
        minted.append(f"M{len(minted)}")
        return minted[-1]

    result = assign_golden_ids(_clusters({"c1": ["a"], "c2": ["b"], "c3": ["c"]}), NO_PREVIOUS, run_id="r", mint=mint)
    assert sorted(result.crosswalk["golden_id"].unique()) == sorted(minted)
    assert len(minted) == 3


def test_integer_cluster_ids_accepted():
    clusters = pl.DataFrame({"record_key": ["a", "b", "c"], "cluster_id": [7, 7, 8]})
    result = assign_golden_ids(clusters, NO_PREVIOUS, run_id="r", mint=_minter())
    assert sorted(map(sorted, _groups(result.crosswalk).values())) == [["a", "b"], ["c"]]


@pytest.mark.parametrize("record_key", ["crm:山田太郎", "crm:taro@example.com", "pos:09012345678"])
def test_default_ids_are_opaque(record_key):
    result = assign_golden_ids(_clusters({"c1": [record_key]}), NO_PREVIOUS, run_id="r")
    golden_id = result.crosswalk["golden_id"].item()
    assert golden_id.startswith("G") and len(golden_id) == 21
    assert all(ch in "0123456789abcdef" for ch in golden_id[1:])
    assert record_key.split(":")[1] not in golden_id


def test_new_golden_ids_are_unique():
    assert len({new_golden_id() for _ in range(1000)}) == 1000


def test_affected_golden_ids_are_those_that_changed_members_or_records():
    from resolution.golden_ids import affected_golden_ids

    previous = pl.DataFrame({"record_key": ["a", "b", "c", "d", "e"], "golden_id": ["G1", "G1", "G2", "G3", "G4"]})
    now = pl.DataFrame({"record_key": ["a", "b", "c", "d", "f"], "golden_id": ["G1", "G1", "G2", "G2", "G5"]})
    changed = pl.Series(["b"])
    # G1: a record changed; G2: gained d; G5: new; G3, G4: gone (not rebuilt, they no longer exist)
    assert sorted(affected_golden_ids(previous, now, changed).to_list()) == ["G1", "G2", "G5"]


def test_merges_are_followed_to_the_id_held_now_and_back_to_the_ids_merged_in() -> None:
    # run 2 merges G1 into G2 (G2 holds more records) and retires G4 (its record left); run 3 merges G2 into G3
    night2 = assign_golden_ids(
        _clusters({"c1": ["a", "b1", "b2"]}), _crosswalk({"G1": ["a"], "G2": ["b1", "b2"], "G4": ["d"]}), run_id="run-2"
    )
    night3 = assign_golden_ids(
        _clusters({"c1": ["a", "b1", "b2", "c1", "c2", "c3", "c4"]}),
        _crosswalk({"G2": ["a", "b1", "b2"], "G3": ["c1", "c2", "c3", "c4"]}),
        run_id="run-3",
    )
    events = pl.concat([night2.events, night3.events, erased_events(["G5"], run_id="erasure:r@t")])
    assert {("merged", "G1", "G2"), ("merged", "G2", "G3"), ("retired", "G4", None)} <= set(
        events.select("event_type", "golden_id", "related_golden_id").rows()
    )
    held = {"G3"}
    assert follow_merges("G1", held, events) == IdFate("G3", merges=2)
    assert follow_merges("G3", held, events) == IdFate("G3", merges=0)
    assert follow_merges("G4", held, events) == IdFate(None, 0, "retired", "run-2")
    assert follow_merges("G5", held, events) == IdFate(None, 0, "erased", "erasure:r@t")
    assert follow_merges("G9", held, events) == IdFate(None)
    assert follow_merges("G1", held, None) == IdFate(None)
    assert merged_into({"G3"}, events) == {"G1", "G2"} and merged_into({"G2"}, events) == {"G1"}
    assert merged_into({"G3"}, None) == set()


def test_erased_events_name_the_ids_only() -> None:
    events = erased_events(["G2", "G1", "G2"], run_id="retention_sweep:2027-06-01@2027-06-01T00:00:00+00:00")
    assert dict(events.schema) == IDENTITY_EVENT_SCHEMA
    assert events.rows() == [
        ("erased", g, None, 0, "retention_sweep:2027-06-01@2027-06-01T00:00:00+00:00") for g in ("G1", "G2")
    ]
    assert erased_events([], run_id="x").height == 0
