"""Steward decisions: must-link merges, cannot-link splits at the weakest link."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from resolution.steward_decisions import (
    StewardDecision,
    append_decision,
    apply_decisions,
    contradicted_by,
    decided_pair_ids,
    decision_conflicts,
    load_decisions,
)


def _pairs(*edges: tuple[str, str, float]) -> pl.DataFrame:
    return pl.DataFrame(edges, schema=["record_key_l", "record_key_r", "match_probability"], orient="row")


def _decisions(*rows: tuple[str, str, str]) -> pl.DataFrame:
    return pl.DataFrame(
        [StewardDecision.make(l, r, d, steward="s", reason="checked").__dict__ for l, r, d in rows]
    )


def _groups(clusters: pl.DataFrame) -> set[frozenset[str]]:
    return {frozenset(g) for g in clusters.group_by("cluster_id").agg("record_key")["record_key"].to_list()}


def test_cannot_link_splits_a_chain_at_its_weakest_link() -> None:
    clusters = pl.DataFrame({"record_key": ["s:a", "s:b", "s:c", "s:d"], "cluster_id": ["1", "1", "1", "1"]})
    pairs = _pairs(("s:a", "s:b", 0.99), ("s:b", "s:c", 0.93), ("s:c", "s:d", 0.98))
    out = apply_decisions(clusters, pairs, _decisions(("s:a", "s:d", "cannot_link")), link_threshold=0.9)
    assert _groups(out) == {frozenset({"s:a", "s:b"}), frozenset({"s:c", "s:d"})}


def test_must_link_merges_two_clusters_and_wins_over_model() -> None:
    clusters = pl.DataFrame({"record_key": ["s:a", "s:b", "s:c"], "cluster_id": ["1", "2", "3"]})
    out = apply_decisions(clusters, _pairs(), _decisions(("s:a", "s:c", "must_link")), link_threshold=0.9)
    assert _groups(out) == {frozenset({"s:a", "s:c"}), frozenset({"s:b"})}


def test_must_link_and_cannot_link_together() -> None:
    clusters = pl.DataFrame({"record_key": ["s:a", "s:b", "s:c"], "cluster_id": ["1", "1", "2"]})
    pairs = _pairs(("s:a", "s:b", 0.95))
    decisions = _decisions(("s:b", "s:c", "must_link"), ("s:a", "s:c", "cannot_link"))
    out = apply_decisions(clusters, pairs, decisions, link_threshold=0.9)
    assert _groups(out) == {frozenset({"s:b", "s:c"}), frozenset({"s:a"})}


def test_decisions_on_unknown_records_are_ignored() -> None:
    clusters = pl.DataFrame({"record_key": ["s:a", "s:b"], "cluster_id": ["1", "1"]})
    out = apply_decisions(clusters, _pairs(("s:a", "s:b", 0.99)), _decisions(("s:a", "s:zz", "cannot_link")), link_threshold=0.9)
    assert _groups(out) == {frozenset({"s:a", "s:b"})}


def test_latest_decision_on_a_pair_wins_and_is_durable(tmp_path: Path) -> None:
    path = tmp_path / "decisions.jsonl"
    append_decision(path, StewardDecision.make("s:b", "s:a", "must_link", steward="ann", reason="same phone"))
    append_decision(path, StewardDecision.make("s:a", "s:b", "cannot_link", steward="bob", reason="twins"))
    decisions = load_decisions(path)
    assert decisions.height == 1
    assert decisions.row(0, named=True)["decision"] == "cannot_link"
    assert decided_pair_ids(decisions).to_list() == ["s:a|s:b"]


@pytest.mark.parametrize(
    "left,right,decision,steward,reason",
    [("s:a", "s:a", "must_link", "x", "y"), ("a", "s:b", "must_link", "x", "y"), ("s:a", "s:b", "maybe", "x", "y"),
     ("s:a", "s:b", "must_link", "", "y"), ("s:a", "s:b", "must_link", "x", " ")],
)
def test_bad_decisions_are_refused(left, right, decision, steward, reason) -> None:
    with pytest.raises(ValueError):
        StewardDecision.make(left, right, decision, steward=steward, reason=reason)


def test_must_links_outside_a_split_cluster_do_not_disturb_it() -> None:
    clusters = pl.DataFrame({"record_key": ["s:a", "s:b", "s:c", "s:d"], "cluster_id": ["1", "1", "2", "3"]})
    decisions = _decisions(("s:a", "s:b", "cannot_link"), ("s:c", "s:d", "must_link"))
    out = apply_decisions(clusters, _pairs(("s:a", "s:b", 0.99)), decisions, link_threshold=0.9)
    assert _groups(out) == {frozenset({"s:a"}), frozenset({"s:b"}), frozenset({"s:c", "s:d"})}


def test_contradictory_decisions_are_named_with_the_must_link_the_run_leaves_out() -> None:
    # a must-link A-B, then a cannot-link A-C and a must-link B-C: A and C cannot both be kept with B
    clusters = pl.DataFrame({"record_key": ["crm:C0000164", "shop:100359", "pos:2900000216"], "cluster_id": ["1", "2", "3"]})
    decisions = _decisions(
        ("crm:C0000164", "shop:100359", "must_link"),
        ("crm:C0000164", "pos:2900000216", "cannot_link"),
        ("shop:100359", "pos:2900000216", "must_link"),
    )
    out = apply_decisions(clusters, _pairs(("crm:C0000164", "shop:100359", 0.3)), decisions, link_threshold=0.9)
    [conflict] = decision_conflicts(decisions)

    assert (conflict.cannot_link.record_key_l, conflict.cannot_link.record_key_r) == ("crm:C0000164", "pos:2900000216")
    assert {(m.record_key_l, m.record_key_r) for m in conflict.chain} == {
        ("crm:C0000164", "shop:100359"), ("pos:2900000216", "shop:100359")
    }
    [left_out] = conflict.overridden  # the one the run did not apply: its records end apart, the other's together
    kept = next(m for m in conflict.chain if m != left_out)
    cluster = dict(zip(out["record_key"], out["cluster_id"]))
    assert cluster[left_out.record_key_l] != cluster[left_out.record_key_r]
    assert cluster[kept.record_key_l] == cluster[kept.record_key_r]
    text = conflict.describe()
    assert "cannot-link crm:" in text and left_out.decision_id[:8] in text and "not applied" in text
    for record_id in ("C0000164", "100359", "2900000216"):
        assert record_id not in text  # record keys masked


def test_agreeing_decisions_have_no_conflict() -> None:
    decisions = _decisions(("s:a", "s:b", "must_link"), ("s:b", "s:c", "must_link"), ("s:a", "s:d", "cannot_link"))
    assert decision_conflicts(decisions) == []


def test_a_new_decision_that_contradicts_earlier_ones_through_others_is_named() -> None:
    earlier = _decisions(("s:aaaaa1", "s:bbbbb1", "must_link"), ("s:aaaaa1", "s:ccccc1", "cannot_link"))
    closing = StewardDecision.make("s:bbbbb1", "s:ccccc1", "must_link", steward="s", reason="same phone")
    [conflict] = contradicted_by(earlier, closing)
    assert closing.decision_id in {m.decision_id for m in conflict.chain}
    # a cannot-link the must-links already contradict
    chained = _decisions(("s:a", "s:b", "must_link"), ("s:b", "s:c", "must_link"))
    apart = StewardDecision.make("s:c", "s:a", "cannot_link", steward="s", reason="twins")
    assert [c.cannot_link.decision_id for c in contradicted_by(chained, apart)] == [apart.decision_id]
    # neither a decision elsewhere, nor a change of mind on the pair itself
    assert contradicted_by(earlier, StewardDecision.make("s:x", "s:y", "must_link", steward="s", reason="r")) == []
    assert contradicted_by(earlier, StewardDecision.make("s:aaaaa1", "s:bbbbb1", "cannot_link", steward="s", reason="r")) == []
