"""Incremental scoring hands the backend only the records blocking can pair
with a changed one, and scores exactly as over the whole base."""

from __future__ import annotations

import polars as pl
import pytest
from splink import SettingsCreator, block_on

from resolution import incremental
from resolution.households import pairs_under_rules, scoring_settings
from resolution.incremental import score_changed_records, sharing_a_blocking_key
from resolution.linking import (
    SPLINK_INPUT_COLUMNS,
    blocking_key_columns,
    linker_over,
    make_duckdb_api,
    register_base_term_frequencies,
    splink_input,
)
from tests.conftest import GeneratedNight


def _settings_with(rules: list) -> dict:
    import splink.comparison_library as cl

    return (
        SettingsCreator(
            link_type="dedupe_only",
            unique_id_column_name="record_key",
            comparisons=[cl.ExactMatch("a")],
            blocking_rules_to_generate_predictions=rules,
        )
        .get_settings("duckdb")
        .as_dict()
    )


def test_blocking_key_columns_reads_equality_rules_as_block_on_writes_them() -> None:
    settings = _settings_with([block_on("a"), block_on("b", "c")])
    assert blocking_key_columns(settings) == (("a",), ("b", "c"))
    spark = {"blocking_rules_to_generate_predictions": [{"blocking_rule": "(l.`b` = r.`b`) AND (l.`c` = r.`c`)"}]}
    assert blocking_key_columns(spark) == (("b", "c"),)


@pytest.mark.parametrize(
    "rule",
    [
        "l.a = r.a OR l.b = r.b",
        'l."a" = r."b"',  # different columns
        'substr(l."a", 1, 2) = substr(r."a", 1, 2)',
        'l."a" = r."a" AND levenshtein(l."b", r."b") < 2',
    ],
)
def test_blocking_key_columns_refuses_any_other_rule(rule: str) -> None:
    settings = {"blocking_rules_to_generate_predictions": [{"blocking_rule": 'l."a" = r."a"'}, {"blocking_rule": rule}]}
    assert blocking_key_columns(settings) is None


def test_records_sharing_a_blocking_key_are_those_blocking_can_pair() -> None:
    records = pl.DataFrame(
        {
            "record_key": ["r1", "r2", "r3", "r4", "r5"],
            "a": ["x", "y", None, "z", "x"],
            "b": ["1", "2", "3", None, None],
        }
    )
    changed = pl.DataFrame({"record_key": ["c1", "c2"], "a": ["x", None], "b": ["9", "3"]})
    # rule a alone: r1, r5 share "x"; rule (a, b): none agree on both non-null; rule b: r3 shares "3"
    shared = sharing_a_blocking_key(records, changed, (("a",), ("a", "b"), ("b",)))
    assert records.filter(shared)["record_key"].to_list() == ["r1", "r3", "r5"]
    only_pairs = sharing_a_blocking_key(records, changed, (("a", "b"),))
    assert not only_pairs.any()  # a null never matches
    assert sharing_a_blocking_key(records, changed.clear(), (("a",),)).to_list() == [False] * records.height


@pytest.fixture(scope="module")
def trained(generated_night: GeneratedNight) -> tuple[pl.DataFrame, dict]:
    """Records and trained settings of a generated sample after one nightly run."""
    return generated_night.records, generated_night.saved.settings


def _sorted_pairs(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.select(sorted(frame.columns)).sort("record_key_l", "record_key_r")


def test_scoring_only_the_records_sharing_a_key_gives_the_whole_base_scores(trained, monkeypatch) -> None:
    records, settings = trained
    assert blocking_key_columns(settings)  # the derived model's rules are equalities: the narrow path is taken
    changed = records.sample(fraction=0.05, seed=1)["record_key"]
    narrow = score_changed_records(make_duckdb_api(), records, changed, settings, score_threshold=0.3)

    monkeypatch.setattr(incremental, "blocking_key_columns", lambda settings: None)  # the whole base to the backend
    whole = score_changed_records(make_duckdb_api(), records, changed, settings, score_threshold=0.3)

    assert narrow.height > 20
    assert _sorted_pairs(narrow).equals(_sorted_pairs(whole))


def test_one_prediction_gives_the_pairs_and_scores_of_within_and_between(trained) -> None:
    """score_changed_records scores by one predict_between(changed, candidates):
    the same rows, to the bit, as Splink's predict_within(changed) and
    predict_between(changed, unchanged) over the same inputs."""
    records, settings = trained
    changed = records.sample(fraction=0.1, seed=3)["record_key"]
    ours = score_changed_records(make_duckdb_api(), records, changed, settings, score_threshold=0.3)

    scoring = scoring_settings(settings)
    db_api = make_duckdb_api()
    is_changed = records["record_key"].is_in(changed.implode())
    linker = linker_over(db_api, records, scoring)
    register_base_term_frequencies(db_api, linker, records, records, scoring)
    left = db_api.register(splink_input(records.filter(is_changed)), dataset_display_name="changed")
    right = db_api.register(splink_input(records.filter(~is_changed)), dataset_display_name="unchanged")
    within = linker.inference.predict_within(left, threshold_match_probability=0.3)
    between = linker.inference.predict_between(left, right, threshold_match_probability=0.3)
    splink = pl.concat([pl.from_arrow(p.as_pyarrow_table()) for p in (within, between)], how="diagonal_relaxed")
    theirs = pairs_under_rules(splink, scoring, records)  # the rules reading records read the same ones

    pairs_of_two_changed = theirs.filter(pl.col("record_key_r").is_in(changed.implode()))
    assert pairs_of_two_changed.height > 5  # the case the one prediction meets twice over
    assert _sorted_pairs(ours).equals(_sorted_pairs(theirs))


def test_pairs_as_within_keeps_a_pair_of_two_changed_records_once_and_none_with_itself() -> None:
    scored = pl.DataFrame(
        {
            "record_key_l": ["c1", "c2", "c1", "c1", "c2"],
            "record_key_r": ["c2", "c1", "c1", "u9", "u1"],
            "match_weight": [1.0, 1.0, 9.0, 2.0, 3.0],
        }
    )
    kept = incremental.changed_pairs_as_within(scored, pl.Series(["c1", "c2"]))
    assert kept.rows() == [("c1", "c2", 1.0), ("c1", "u9", 2.0), ("c2", "u1", 3.0)]


def test_scoring_inputs_go_to_the_backend_in_batches_its_threads_can_share() -> None:
    records = pl.DataFrame({"record_key": [f"r{i}" for i in range(5000)], "std_email": ["a@example.com"] * 5000})
    batched = splink_input(records, batch_rows=2048)
    assert [b.num_rows for b in batched.to_batches()] == [2048, 2048, 904]
    assert batched.column_names == list(SPLINK_INPUT_COLUMNS)
    assert batched.equals(splink_input(records))


def test_once_per_pair_asks_each_rule_for_a_partner_or_a_later_key_in_the_engines_dialect() -> None:
    settings = _settings_with([block_on("a"), block_on("b", "c")])
    settings["unique_id_column_name"] = "record_key"
    rules = incremental.once_per_pair(settings)
    assert [r["blocking_rule"] for r in rules] == [
        '(l."a" = r."a") AND (l."record_key" < r."record_key" OR r."nayose_partner")',
        '((l."b" = r."b") AND (l."c" = r."c")) AND (l."record_key" < r."record_key" OR r."nayose_partner")',
    ]
    spark = {"sql_dialect": "spark", "blocking_rules_to_generate_predictions": [{"blocking_rule": "l.`a` = r.`a`"}]}
    assert incremental.once_per_pair(spark)[0] == {
        "blocking_rule": "(l.`a` = r.`a`) AND (l.`unique_id` < r.`unique_id` OR r.`nayose_partner`)",
        "sql_dialect": "spark",
    }
    exploding = {"blocking_rules_to_generate_predictions": [{"blocking_rule": "l.a = r.a", "arrays_to_explode": ["a"]}]}
    assert incremental.once_per_pair(exploding) is None
