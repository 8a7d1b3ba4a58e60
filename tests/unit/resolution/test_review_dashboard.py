"""The review pairs' scores: the same as scoring them with a linker over the
whole base (the implementation kept below as the reference), though only the
pairs' records go to the backend, with term frequencies computed in polars,
and every queued pair is scored, also one the model's blocking rules miss."""

from __future__ import annotations

import copy
import logging
import random
from datetime import date

import polars as pl
import pytest
from splink import Linker

from nayose_config.model import MatchingConfig
from resolution.engines import settings_for_dialect
from resolution.linking import make_duckdb_api, splink_input, term_frequency_columns
from resolution.match_keys import add_match_keys
from resolution.model import build_settings, design_model
from resolution.review_dashboard import (
    comparison_viewer_html,
    field_weights,
    review_detail,
    score_review_pairs,
)
from resolution.review_queue import pair_id


def reference_scores(db_api, base: pl.DataFrame, review_queue: pl.DataFrame, settings: dict) -> pl.DataFrame:
    """The implementation before: the whole base registered, Splink's term-frequency tables over it."""
    detailed = copy.deepcopy(settings)
    detailed["retain_intermediate_calculation_columns"] = True
    detailed["retain_matching_columns"] = True
    linker = Linker(db_api.register(splink_input(base), dataset_display_name="customers"), detailed, log_level=logging.ERROR)
    for column in term_frequency_columns(detailed):
        linker.table_management.compute_tf_table(column)
    keys = pl.concat([review_queue["record_key_l"], review_queue["record_key_r"]]).unique().implode()
    involved = db_api.register(splink_input(base.filter(pl.col("record_key").is_in(keys))), dataset_display_name="review")
    scored = pl.from_arrow(linker.inference.predict_within(involved).as_pyarrow_table())
    return scored.with_columns(pair_id=pair_id(pl.col("record_key_l"), pl.col("record_key_r"))).filter(
        pl.col("pair_id").is_in(review_queue["pair_id"].implode())
    )


def _base(n: int, seed: int) -> pl.DataFrame:
    """Made-up people with frequent and rare values, so term frequencies matter."""
    rng = random.Random(seed)

    def skewed(values):  # a few common values, a long tail of rare ones
        return rng.choice(values[:3]) if rng.random() < 0.6 else rng.choice(values)

    family = ["yamada", "sato", "suzuki"] + [f"fam{i}" for i in range(40)] + [None]
    given = ["taro", "hanako", "ken"] + [f"giv{i}" for i in range(40)] + [None]
    rows = []
    for i in range(n):
        rows.append(
            {
                "record_key": f"{rng.choice(['crm', 'pos'])}:{i:05d}",
                "source_system": rng.choice(["crm", "pos"]),
                "std_family_name": skewed(family),
                "std_given_name": skewed(given),
                "std_email": rng.choice([None, f"p{rng.randrange(n // 3)}@example.com"]),
                "std_phone": rng.choice([None, f"090{rng.randrange(n // 4):08d}"]),
                "std_postal_code": skewed(["1000001", "1500001", "5300001"] + [f"{rng.randrange(10**7):07d}" for _ in range(5)]),
                "std_prefecture": rng.choice(["東京都", "大阪府"]),
                "std_city": skewed(["千代田区", "渋谷区", "北区", None, "港区", "中央区"]),
                "std_address": rng.choice(["1-2-3", "2-3-4", None, f"{rng.randrange(9)}-1-1"]),
                "std_birth_date": rng.choice([None, date(1980, 3, 1), date(1975, 5, 12), date(1990, 1, rng.randrange(1, 28))]),
                "std_gender": rng.choice(["M", "F", None]),
            }
        )
    return add_match_keys(pl.DataFrame(rows))


def _settings(base: pl.DataFrame) -> dict:
    linker = Linker(
        make_duckdb_api().register(splink_input(base)),
        build_settings(design_model(base, check_counts=False), MatchingConfig()),
        log_level=logging.ERROR,
    )
    return linker.misc.save_model_to_json()


def _queue(base: pl.DataFrame, n_pairs: int, seed: int) -> pl.DataFrame:
    rng = random.Random(seed)
    keys = base["record_key"].to_list()[: len(base) // 2]  # a part of the base only: its term frequencies differ
    pairs = {tuple(sorted(rng.sample(keys, 2))) for _ in range(n_pairs)}
    left, right = zip(*sorted(pairs))
    return pl.DataFrame({"record_key_l": left, "record_key_r": right}).with_columns(
        pair_id=pair_id(pl.col("record_key_l"), pl.col("record_key_r"))
    )


@pytest.fixture(scope="module")
def data():
    base = _base(400, seed=1)
    return base, _settings(base), _queue(base, 6000, seed=2)


def _assert_same(got: pl.DataFrame, expected: pl.DataFrame, queue: pl.DataFrame) -> None:
    """Every queued pair scored, and those the model's blocking rules compare
    (the reference scores no other) scored as the reference scores them."""
    assert sorted(got.columns) == sorted(expected.columns)
    assert got["pair_id"].to_list() == sorted(queue["pair_id"].to_list())  # each pair once, in pair_id order
    assert expected.height > 50 and got.height > expected.height  # pairs the blocking rules miss are scored too
    compared = [c for c in expected.columns if c != "match_key"]  # one blocking rule: its key is the same for all
    blocked = got.filter(pl.col("pair_id").is_in(expected["pair_id"].implode())).select(compared)
    # every gamma_, tf_, mw_, bf_ value, match_weight and probability, to the bit
    assert blocked.equals(expected.sort("pair_id").select(compared))


def test_scores_equal_a_linker_over_the_whole_base(data):
    base, settings, queue = data
    scores = score_review_pairs(make_duckdb_api(), base, queue, settings)
    expected = reference_scores(make_duckdb_api(), base, queue, settings)
    _assert_same(scores.pairs, expected, queue)
    # term frequencies of the base, not of the pairs' records alone
    involved = pl.concat([queue["record_key_l"], queue["record_key_r"]]).unique()
    assert involved.len() < base.height
    assert scores.pairs["tf_std_family_name_l"].drop_nulls().len() > 0


def test_scores_equal_with_a_term_frequency_column_missing_from_the_base(data):
    base, settings, queue = data
    base = base.drop("mk_city")  # scored as null: no term frequencies
    scores = score_review_pairs(make_duckdb_api(), base, queue, settings)
    _assert_same(scores.pairs, reference_scores(make_duckdb_api(), base, queue, settings), queue)
    assert scores.pairs["tf_mk_city_l"].null_count() == scores.pairs.height


def test_field_weights_and_viewer_from_the_scores(data):
    base, settings, queue = data
    db_api = make_duckdb_api()
    scores = score_review_pairs(db_api, base, queue, settings)
    weights = field_weights(scores)
    assert weights["pair_id"].to_list() == scores.pairs["pair_id"].to_list()
    assert any(c.startswith("gamma_") for c in weights.columns) and any(c.startswith("mw_") for c in weights.columns)
    html = comparison_viewer_html(db_api, scores)
    assert html is not None and "gamma_" in html


def test_empty_queue_scores_nothing(data):
    base, settings, queue = data
    assert score_review_pairs(make_duckdb_api(), base, queue.clear(), settings) is None


def test_review_detail_on_a_backend_of_its_own(data):
    """What the golden asset computes on a thread: the weights as scored on a shared backend, and the viewer page."""
    base, settings, queue = data
    detail = review_detail(base, queue, settings)
    assert detail.weights.equals(field_weights(score_review_pairs(make_duckdb_api(), base, queue, settings)))
    assert "gamma_" in detail.viewer_html
    for nothing in (review_detail(base, None, settings), review_detail(base, queue, None)):
        assert nothing.weights.columns == ["pair_id"] and nothing.weights.height == 0 and nothing.viewer_html == ""


def test_a_model_trained_on_spark_scores_the_review_pairs_on_duckdb(data):
    """A model saved by the Spark engine (backtick quoting, Spark's similarity
    functions) scores the review pairs on the golden stage's DuckDB backend
    as the same model saved by DuckDB does."""
    base, settings, queue = data
    spark_settings = settings_for_dialect(settings, "spark")
    assert spark_settings["sql_dialect"] == "spark" and "`" in str(spark_settings["comparisons"])
    scores = score_review_pairs(make_duckdb_api(), base, queue, spark_settings)
    assert scores.pairs.equals(score_review_pairs(make_duckdb_api(), base, queue, settings).pairs)
