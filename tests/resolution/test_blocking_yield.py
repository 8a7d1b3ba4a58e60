"""Blocking rules that cost much and find little are dropped after training:
which pairs each rule generates, the greedy choice, and the measurement
against Splink's own counts on a trained model."""

from __future__ import annotations

import json

import polars as pl
import pytest

from resolution.blocking_yield import (
    candidate_pairs,
    choose_rules_to_drop,
    design_without_rules,
    measure_blocking_yield,
    without_rules,
)
from resolution.households import scoring_settings, without_household_pairs
from resolution.linking import linker_over, make_duckdb_api
from resolution.model import BlockingRuleCount, ModelDesign
from tests.conftest import GeneratedNight


def test_candidate_pairs_mark_every_rule_that_generates_a_pair_and_skip_missing_values() -> None:
    records = pl.DataFrame(
        {
            "record_key": ["a", "b", "c", "d"],
            "std_email": ["x@e.jp", "x@e.jp", None, None],
            "mk_birth_date": ["1980-01-01", "1980-01-01", "1970-01-01", "1970-01-01"],
            "mk_given": ["タロウ", "タロウ", None, None],
        }
    )
    pairs = candidate_pairs(records, (("std_email",), ("mk_birth_date",), ("mk_birth_date", "mk_given")))
    got = {(r["record_key_l"], r["record_key_r"]): r["rules"] for r in pairs.iter_rows(named=True)}
    assert got == {("a", "b"): 0b111, ("c", "d"): 0b010}  # c-d: no email and no given name to block on


def _pairs(spec: list[tuple[int, bool, int]]) -> pl.DataFrame:
    """(rules mask, is_match, how many such pairs)."""
    rows = [(mask, match) for mask, match, n in spec for _ in range(n)]
    return pl.DataFrame(
        {
            "record_key_l": [f"l{i}" for i in range(len(rows))],
            "record_key_r": [f"r{i}" for i in range(len(rows))],
            "rules": [m for m, _ in rows],
            "is_match": [x for _, x in rows],
        }
    )


def test_a_rule_making_many_comparisons_alone_and_finding_almost_nothing_alone_is_dropped() -> None:
    pairs = _pairs(
        [
            (0b001, True, 2000),  # rule 0 finds most matches
            (0b011, True, 500),  # rule 1 finds some, all also found by rule 0
            (0b010, False, 3000),  # rule 1 alone: many comparisons
            (0b010, True, 2),  # ... and two matches only it finds
            (0b100, True, 300),  # rule 2 alone finds many matches: kept
            (0b100, False, 3000),
        ]
    )
    dropped, alone = choose_rules_to_drop(pairs, 3, max_recall_loss=0.001, min_comparison_share=0.1, min_matches=1000)
    assert dropped == {1}
    assert alone[1] == (3002, 2)
    assert alone[2] == (3300, 300)


def test_dropped_rules_together_stay_within_the_recall_budget() -> None:
    pairs = _pairs(
        [
            (0b001, True, 3000),
            (0b010, False, 3000),
            (0b010, True, 2),
            (0b100, False, 3000),
            (0b100, True, 2),
        ]
    )
    # Each of rules 1 and 2 alone loses 2 of 3004 matches (within 0.1%); both would lose 4 (over it).
    dropped, _ = choose_rules_to_drop(pairs, 3, max_recall_loss=0.001, min_comparison_share=0.1, min_matches=1000)
    assert len(dropped) == 1
    dropped, _ = choose_rules_to_drop(pairs, 3, max_recall_loss=0.002, min_comparison_share=0.1, min_matches=1000)
    assert dropped == {1, 2}


def test_a_rule_whose_pairs_others_also_generate_saves_nothing_and_stays() -> None:
    pairs = _pairs([(0b001, True, 2000), (0b011, False, 5000)])
    dropped, alone = choose_rules_to_drop(pairs, 2, min_matches=1000)
    assert dropped == set()
    assert alone[1] == (0, 0)


def test_too_few_matches_to_judge_drops_nothing() -> None:
    pairs = _pairs([(0b001, True, 50), (0b010, False, 5000)])
    dropped, _ = choose_rules_to_drop(pairs, 2, min_matches=1000)
    assert dropped == set()


def test_without_rules_keeps_the_settings_rules_of_the_kept_columns_in_order() -> None:
    settings = {"blocking_rules_to_generate_predictions": ["r0", "r1", "r2"], "comparisons": []}
    rules = (("a",), ("b",), ("c", "d"))
    out = without_rules(settings, rules, (("a",), ("c", "d")))
    assert out["blocking_rules_to_generate_predictions"] == ["r0", "r2"]
    assert settings["blocking_rules_to_generate_predictions"] == ["r0", "r1", "r2"]
    with pytest.raises(ValueError, match="3 blocking rules"):
        without_rules(settings, rules[:2], rules[:1])


def test_a_design_without_rules_marks_them_dropped_for_their_yield() -> None:
    counts = (
        BlockingRuleCount(("a",), 10, True),
        BlockingRuleCount(("b",), 90, True),
        BlockingRuleCount(("c",), 10**9, False, "comparisons"),
        BlockingRuleCount(("d",), 5, True),
    )
    design = ModelDesign(
        comparisons=("x",),
        blocking_rules=(("a",), ("b",), ("d",)),
        deterministic_rules=(),
        training_blocks=(),
        blocking_counts=counts,
        candidate_rules=(("a",), ("b",), ("c",), ("d",)),
    )
    pruned = design_without_rules(design, (("a",), ("d",)))
    assert pruned.blocking_rules == (("a",), ("d",))
    assert [(c.columns, c.kept, c.dropped_for) for c in pruned.blocking_counts] == [
        (("a",), True, None),
        (("b",), False, "yield"),
        (("c",), False, "comparisons"),  # dropped before training: stays as it was
        (("d",), True, None),
    ]
    assert pruned.fingerprint == design.fingerprint  # the nightly reuse check is unaffected
    assert pruned.blocking_counts[1].as_dict()["dropped_for"] == "yield"


@pytest.fixture(scope="module")
def trained(generated_night: GeneratedNight) -> tuple[pl.DataFrame, dict, tuple[tuple[str, ...], ...]]:
    """Records, trained settings and blocking rules of a generated sample after one nightly run."""
    saved = generated_night.saved
    return generated_night.records, saved.settings, tuple(tuple(r) for r in saved.meta["blocking_rules"])


def _linked(records: pl.DataFrame, settings: dict) -> set[tuple[str, str]]:
    """The pairs a run links: Splink's prediction, then the pair rules."""
    linker = linker_over(make_duckdb_api(), records, scoring_settings(settings))
    table = linker.inference.predict(threshold_match_probability=0.9)
    frame = without_household_pairs(pl.from_arrow(table.as_pyarrow_table()), settings, records)
    return {(min(a, b), max(a, b)) for a, b in frame.select("record_key_l", "record_key_r").iter_rows()}


def test_measured_comparisons_and_matches_are_splinks_own(trained) -> None:
    """The listed candidate pairs are exactly the comparisons Splink's blocking
    generates, and the matches are the pairs a run links (Splink's
    prediction, then the pair rules)."""
    from splink import block_on
    from splink.blocking_analysis import count_comparisons_from_blocking_rules

    records, settings, rules = trained
    measured = measure_blocking_yield(
        make_duckdb_api(), records, settings, rules, link_threshold=0.9, min_matches=10**9
    )

    sdf = make_duckdb_api().register(records.to_arrow(), dataset_display_name="everyone")
    counted = count_comparisons_from_blocking_rules(
        sdf,
        blocking_rules=[block_on(*r) for r in rules],
        link_type="dedupe_only",
        unique_id_column_name="record_key",
        record_sample_proportion=1.0,
    )
    assert measured.comparisons == sum(int(r["marginal_comparison_count"]) for r in counted)
    assert measured.matches == len(_linked(records, settings)) > 100
    assert not measured.dropped_rules  # min_matches out of reach: nothing dropped
    assert sum(r.only_comparisons for r in measured.rules) <= measured.comparisons
    json.dumps(measured.as_dict())  # saved with the model


def test_pruned_settings_link_the_pairs_the_kept_rules_generate(trained) -> None:
    """Predicting with the pruned rules gives the full rule set's links minus
    those only the dropped rules generate: no more were lost than measured."""
    records, settings, rules = trained
    # Thresholds for this small sample, so that rules are dropped, one of them losing matches.
    measured = measure_blocking_yield(
        make_duckdb_api(),
        records,
        settings,
        rules,
        link_threshold=0.9,
        min_matches=1,
        min_comparison_share=0.001,
        max_recall_loss=0.003,
    )
    pruned = without_rules(settings, rules, measured.kept_rules)
    before, after = _linked(records, settings), _linked(records, pruned)
    kept_pairs = candidate_pairs(records, measured.kept_rules).select("record_key_l", "record_key_r")
    assert after == before & set(kept_pairs.iter_rows())
    assert len(before - after) == sum(r.only_matches for r in measured.dropped_rules)
    assert 0 < len(before - after) <= 0.003 * len(before)
    assert len(measured.dropped_rules) >= 2
