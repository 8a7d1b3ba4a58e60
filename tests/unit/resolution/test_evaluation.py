"""Scoring a crosswalk against ground truth: pairwise and B-cubed, hand-computed."""

from __future__ import annotations

import polars as pl
import pytest

from resolution.evaluation import score_crosswalk, truth_left_out

# Truth: T1 = {a, b, c}, T2 = {d, e}  ->  3 + 1 = 4 true pairs.
TRUTH = pl.DataFrame({"record_key": list("abcde"), "truth_id": [1, 1, 1, 2, 2]})


def _predicted(groups: dict[str, str]) -> pl.DataFrame:
    """record keys (as one string) per golden id: {"G1": "abc"}."""
    return pl.DataFrame(
        [(key, golden) for golden, keys in groups.items() for key in keys],
        schema={"record_key": pl.Utf8, "golden_id": pl.Utf8},
        orient="row",
    )


@pytest.mark.parametrize(
    ("groups", "expected"),
    [
        pytest.param(
            {"X": "abc", "Y": "de"},
            dict(predicted_pairs=4, true_positive_pairs=4, precision=1, recall=1, f1=1,
                 bcubed_precision=1, bcubed_recall=1, bcubed_f1=1),
            id="perfect",
        ),
        pytest.param(
            # 10 predicted pairs, 4 correct. B-cubed precision: a,b,c 3/5; d,e 2/5 -> 13/25.
            {"G": "abcde"},
            dict(predicted_pairs=10, true_positive_pairs=4, precision=0.4, recall=1, f1=2 * 0.4 / 1.4,
                 bcubed_precision=13 / 25, bcubed_recall=1, bcubed_f1=2 * (13 / 25) / (1 + 13 / 25)),
            id="over-merged",
        ),
        pytest.param(
            # 1 predicted pair (a-b), correct. B-cubed recall: a,b 2/3; c 1/3; d,e 1/2 -> 8/15.
            {"G1": "ab", "G2": "c", "G3": "d", "G4": "e"},
            dict(predicted_pairs=1, true_positive_pairs=1, precision=1, recall=0.25, f1=0.4,
                 bcubed_precision=1, bcubed_recall=8 / 15, bcubed_f1=16 / 23),
            id="under-merged",
        ),
        pytest.param(
            # {a,b,d} {c,e}: 4 predicted pairs, only a-b correct.
            # B-cubed precision: a,b 2/3; d 1/3; c,e 1/2 -> 8/15; recall: a,b 2/3; c 1/3; d,e 1/2 -> 8/15.
            {"G1": "abd", "G2": "ce"},
            dict(predicted_pairs=4, true_positive_pairs=1, precision=0.25, recall=0.25, f1=0.25,
                 bcubed_precision=8 / 15, bcubed_recall=8 / 15, bcubed_f1=8 / 15),
            id="mixed",
        ),
        pytest.param(
            # every record alone: no predicted pairs -> precision 1 by convention, recall 0.
            {"G1": "a", "G2": "b", "G3": "c", "G4": "d", "G5": "e"},
            dict(predicted_pairs=0, true_positive_pairs=0, precision=1, recall=0, f1=0,
                 bcubed_precision=1, bcubed_recall=(3 * (1 / 3) + 2 * (1 / 2)) / 5, bcubed_f1=2 * 0.4 / 1.4),
            id="all-singletons",
        ),
    ],
)
def test_scores_match_hand_computation(groups, expected):
    accuracy = score_crosswalk(_predicted(groups), TRUTH)

    assert accuracy.records == 5
    assert accuracy.true_pairs == 4
    for name, value in expected.items():
        assert getattr(accuracy, name) == pytest.approx(value), name


def test_only_records_in_both_are_scored():
    predicted = _predicted({"X": "abcz", "Y": "de"})  # z is not in the truth
    truth = pl.concat([TRUTH, pl.DataFrame({"record_key": ["q"], "truth_id": [3]})])  # q is not predicted

    accuracy = score_crosswalk(predicted, truth)

    assert accuracy.records == 5
    assert (accuracy.precision, accuracy.recall, accuracy.bcubed_f1) == (1.0, 1.0, 1.0)


def test_truth_without_pairs_gives_recall_one():
    truth = pl.DataFrame({"record_key": ["a", "b"], "truth_id": ["1", "2"]})
    accuracy = score_crosswalk(_predicted({"G": "ab"}), truth)
    assert (accuracy.true_pairs, accuracy.recall, accuracy.precision) == (0, 1.0, 0.0)
    assert accuracy.f1 == 0.0


def test_as_dict_holds_every_measure():
    assert set(score_crosswalk(_predicted({"X": "abc", "Y": "de"}), TRUTH).as_dict()) == {
        "records", "true_pairs", "predicted_pairs", "true_positive_pairs", "precision", "recall", "f1",
        "bcubed_precision", "bcubed_recall", "bcubed_f1",
    }


@pytest.mark.parametrize(
    "predicted",
    [_predicted({"G": "xyz"}), pl.DataFrame(schema={"record_key": pl.Utf8, "golden_id": pl.Utf8})],
)
def test_empty_overlap_is_refused(predicted):
    with pytest.raises(ValueError, match="no record of the truth is in the crosswalk"):
        score_crosswalk(predicted, TRUTH)


def test_connected_components_follow_chains_and_keep_singletons():
    from resolution.evaluation import connected_components

    edges = pl.DataFrame({"record_key_l": ["a", "c", "x"], "record_key_r": ["b", "b", "y"]})
    out = connected_components(pl.Series(["a", "b", "c", "d", "x", "y"]), edges)
    groups = {frozenset(g) for g in out.group_by("cluster_id").agg("record_key")["record_key"].to_list()}
    assert groups == {frozenset("abc"), frozenset("d"), frozenset("xy")}


def test_threshold_sweep_trades_precision_for_recall():
    from resolution.evaluation import evaluate_thresholds

    pairs = pl.DataFrame(
        {"record_key_l": ["a", "a", "c"], "record_key_r": ["b", "c", "d"], "match_probability": [0.99, 0.7, 0.6]}
    )
    truth = pl.DataFrame({"record_key": ["a", "b", "c", "d"], "truth_id": ["1", "1", "1", "2"]})
    sweep = evaluate_thresholds(pl.Series(["a", "b", "c", "d"]), pairs, truth, thresholds=(0.5, 0.65, 0.9))
    by_t = {r["threshold"]: r for r in sweep.iter_rows(named=True)}
    assert by_t[0.5]["recall"] == 1.0 and by_t[0.5]["precision"] == 0.5  # a-b-c-d all merged: 3 of 6 pairs true
    assert by_t[0.65]["precision"] == 1.0 and by_t[0.65]["recall"] == 1.0
    assert by_t[0.9]["recall"] == pytest.approx(1 / 3)


def test_truth_rows_left_out_of_the_score_are_counted_by_source():
    """A truth file naming a source `sup` that the project calls `support`
    changed the scores without a word."""
    truth = pl.DataFrame(
        {"record_key": ["crm:1", "crm:2", "crm:3", "sup:1", "sup:2", "support:9"], "truth_id": list("aabbcc")}
    )
    predicted = pl.DataFrame({"record_key": ["crm:1", "crm:2", "support:9"], "golden_id": ["G1", "G1", "G2"]})
    assert truth_left_out(truth, predicted, ["crm", "support"]) == [
        "1 truth row(s) of crm are in no golden record (quarantined, not delivered or erased): not scored",
        "2 truth row(s) of source 'sup', which no source of this project is named: not scored",
    ]
    assert truth_left_out(truth.head(2), predicted, ["crm", "support"]) == []
