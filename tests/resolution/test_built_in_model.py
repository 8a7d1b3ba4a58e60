"""The built-in model of small deliveries, and training where an EM session
finds no pairs (made-up people only)."""

from __future__ import annotations

import math
from datetime import date

import polars as pl
import pytest

from nayose_config import MatchingConfig
from resolution.comparisons import OTHER_MIDDLE_NAMES
from resolution.linking import make_duckdb_api, train_model
from resolution.match_keys import add_match_keys
from resolution.model import (
    BUILT_IN_PROBABILITY_TWO_RANDOM_RECORDS_MATCH,
    BUILT_IN_WEIGHTS,
    SPLINK_DEFAULT_WEIGHTS,
    build_settings,
    built_in_level_probabilities,
    built_in_level_weights,
    built_in_settings,
    design_model,
)
from resolution.probability_floor import (
    M_PROBABILITY_FLOOR,
    U_PROBABILITY_FLOOR,
    floor_m_u_probabilities,
    level_weights,
)

FIRST = ["Anna", "Jonas", "Lea", "Felix", "Mia", "Paul", "Emma", "Noah"]
LAST = ["Weber", "Klein", "Wolf", "Braun", "Koch", "Richter", "Schulz"]


def _base(people: int, *, duplicates: int = 0, shared_email: bool = True) -> pl.DataFrame:
    """`people` made-up people (no two alike) and `duplicates` second records
    of the first ones: same name and birth date, and the same email only
    when `shared_email`."""
    rows = []
    for i in range(people + duplicates):
        p = i % people
        rows.append(
            {
                "record_key": f"m:{i}",
                "source_system": "m",
                "std_family_name": LAST[p % 7],
                "std_given_name": FIRST[p // 7 % 8],
                "std_birth_date": date(1940 + p % 50, 1 + p % 12, 1 + p % 28),
                "std_email": f"p{p}@example.com" if shared_email or i < people else f"p{p}.{i}@example.org",
            }
        )
    return add_match_keys(pl.DataFrame(rows))


def _train(base: pl.DataFrame) -> tuple[list[str], dict]:
    design = design_model(base)
    trained = train_model(make_duckdb_api(), base, design, build_settings(design, MatchingConfig()))
    return list(design.comparisons), trained


def test_training_without_any_pairs_keeps_every_comparison() -> None:
    """Splink's EM sessions took the comparisons they block on out of the model and put them back only on
    success: three sessions without pairs left none (scoring SQL `... +  as match_weight`)."""
    comparisons, trained = _train(_base(5))
    assert [c["output_column_name"] for c in trained["comparisons"]] == comparisons
    assert len(comparisons) == 4


def test_an_em_session_without_pairs_leaves_its_comparison_in_the_model() -> None:
    """Duplicates that never share an email: the session blocking on email finds no pairs. Its comparison was
    left out of the saved model for good, silently, at any size."""
    comparisons, trained = _train(_base(50, duplicates=20, shared_email=False))
    assert [c["output_column_name"] for c in trained["comparisons"]] == comparisons
    email = next(c for c in trained["comparisons"] if c["output_column_name"] == "email")
    assert any(level.get("m_probability") for level in email["comparison_levels"])  # trained by the other sessions


@pytest.mark.parametrize("levels", [1, 2, 3, 4, 6, 8, 12])
@pytest.mark.parametrize(("first", "last"), [*BUILT_IN_WEIGHTS.values(), SPLINK_DEFAULT_WEIGHTS])
def test_built_in_levels_weigh_as_set_and_are_probabilities_within_the_floors(levels, first, last) -> None:
    weights = built_in_level_weights(first, last, levels)
    probabilities = built_in_level_probabilities(weights)
    assert len(probabilities) == levels
    assert math.isclose(sum(m for m, _ in probabilities), 1) and math.isclose(sum(u for _, u in probabilities), 1)
    assert all(m >= M_PROBABILITY_FLOOR and u >= U_PROBABILITY_FLOOR for m, u in probabilities)
    if levels >= 2:
        assert [math.log2(m / u) for m, u in probabilities] == pytest.approx(weights, abs=1e-9)
        assert weights[0] == first and weights[-1] == last
        assert weights == sorted(weights, reverse=True)  # a later level is never stronger evidence
        assert all(0 <= w <= first / 2 for w in weights[1:-1])  # near agreement: at most half an exact one


def test_built_in_settings_use_the_set_weights_and_no_term_frequencies() -> None:
    base = _base(5)
    design = design_model(base)
    settings = built_in_settings(build_settings(design, MatchingConfig()))
    assert settings["probability_two_random_records_match"] == BUILT_IN_PROBABILITY_TWO_RANDOM_RECORDS_MATCH
    assert [c["output_column_name"] for c in settings["comparisons"]] == list(design.comparisons)
    floored = level_weights(floor_m_u_probabilities(settings))  # save_model floors: it keeps them as built
    built = level_weights(settings)
    assert [v for w in floored for v in (w.m_probability, w.u_probability)] == pytest.approx(
        [v for w in built for v in (w.m_probability, w.u_probability)], rel=1e-12
    )
    for comparison in settings["comparisons"]:
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        assert not any("tf_adjustment_column" in lv for lv in comparison["comparison_levels"])
        first, last = BUILT_IN_WEIGHTS[comparison["output_column_name"]]
        weights = [w.weight for w in level_weights({"comparisons": [comparison]})]
        # a level placed before the exact one to refine it (other middle names) ranks after it
        exact = 1 if levels[0].get("label_for_charts") == OTHER_MIDDLE_NAMES else 0
        assert weights[exact] == pytest.approx(first) and weights[-1] == pytest.approx(last), comparison["output_column_name"]
        assert all(w < first for i, w in enumerate(weights) if i != exact)
        assert len(weights) == len(levels)


def test_a_base_without_records_is_refused_for_what_it_is() -> None:
    with pytest.raises(ValueError, match="the base holds no records"):
        design_model(_base(5).clear())
