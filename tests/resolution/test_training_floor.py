"""Training on clean data, where some levels never occur among matches: it
neither crashes (Splink refused an m of 0) nor saves absurd weights."""

from __future__ import annotations

import json
import math
import random
from datetime import date

import polars as pl
import pytest
import splink.internals.expectation_maximisation as em

from nayose_config import MatchingConfig
from resolution.comparisons import (
    COMPARISON_LEVEL_CHANGES,
    COMPARISON_LEVELS_VERSION,
    CityComparison,
)
from resolution.linking import (
    ModelTrainingError,
    floored_em,
    make_duckdb_api,
    train_model,
)
from resolution.match_keys import add_match_keys
from resolution.model import build_settings, design_model, levels_outdated, save_model
from resolution.probability_floor import (
    M_PROBABILITY_FLOOR,
    U_PROBABILITY_FLOOR,
    level_weights,
    levels_below_floor,
)


def _clean_base(people: int, seed: int) -> pl.DataFrame:
    """Made-up people, each in 1-3 records that agree wherever both are filled
    (no typo, no move): among matches, no name, city or birth date ever differs."""
    rng = random.Random(seed)
    family = ["山田", "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "中村", "小林", "加藤"]
    given = ["太郎", "花子", "一郎", "健", "美咲", "大輔", "陽子", "翔太", "彩", "誠"]
    cities = ["千代田区", "渋谷区", "港区", "新宿区", "北区", "中央区"]
    rows = []
    for p in range(people):
        person = {
            "std_family_name": rng.choice(family),
            "std_given_name": rng.choice(given),
            "std_birth_date": date(1950 + rng.randrange(50), 1 + rng.randrange(12), 1 + rng.randrange(28)),
            "std_email": f"p{p}@example.com",
            "std_phone": f"+8190{p:08d}",
            "std_postal_code": f"{rng.randrange(10**7):07d}",
            "std_prefecture": "東京都",
            "std_city": rng.choice(cities),
            "std_address": f"{rng.randrange(1, 9)}-{rng.randrange(1, 30)}-{rng.randrange(1, 20)}",
            "std_gender": rng.choice(["M", "F"]),
        }
        for copy in range(rng.choice([1, 1, 2, 3])):
            row = {k: (None if rng.random() < 0.1 else v) for k, v in person.items()}
            rows.append({"record_key": f"s{copy % 2}:{p}-{copy}", "source_system": f"s{copy % 2}", **row})
    return add_match_keys(pl.DataFrame(rows))


@pytest.fixture(scope="module")
def clean():
    base = _clean_base(300, seed=1)  # Splink's EM set an m of 0.0 on this before the floors
    design = design_model(base)
    return base, design, train_model(make_duckdb_api(), base, design, build_settings(design, MatchingConfig()))


def test_training_on_clean_data_gives_bounded_weights_and_no_zero(clean):
    _, _, trained = clean
    levels = level_weights(trained)
    weights = [w.weight for w in levels if w.weight is not None]
    assert weights
    estimated = [w for w, lv in zip(levels, _levels(trained)) if not lv.get("fix_m_probability")]
    assert all(w.m_probability is None or w.m_probability >= M_PROBABILITY_FLOOR * (1 - 1e-9) for w in estimated)
    assert all(w.u_probability is None or w.u_probability >= U_PROBABILITY_FLOOR * (1 - 1e-9) for w in estimated)
    assert min(weights) >= math.log2(M_PROBABILITY_FLOOR) - 1e-9  # -13.3 bits at worst
    assert max(weights) <= 30
    # levels never seen among these matches are strongly, not absurdly, against a link
    for comparison in ("gender", "phone", "birth_date"):
        other = next(w for w in levels if w.comparison == comparison and w.level == "All other comparisons")
        assert other.m_probability == pytest.approx(M_PROBABILITY_FLOOR)
        assert -13.5 < other.weight < -11, comparison
    for comparison in trained["comparisons"]:  # the estimated ones; those weighed as a neighbour come on top
        m = [lv["m_probability"] for lv in comparison["comparison_levels"] if _estimated_m(lv)]
        assert math.fsum(m) == pytest.approx(1.0, abs=1e-9), comparison["output_column_name"]


def _levels(settings: dict) -> list[dict]:
    return [lv for c in settings["comparisons"] for lv in c["comparison_levels"] if not lv.get("is_null_level")]


def _estimated_m(level: dict) -> bool:
    return "m_probability" in level and not level.get("fix_m_probability")


def test_a_level_training_never_saw_weighs_between_the_levels_around_it_and_is_saved_so(clean, tmp_path):
    """Clean data has no typo: no training pair falls in the family name's
    typo level. It keeps weighing a typo (Splink's default, within the
    trained levels around it: above 'All other', a disagreement, below the
    same written name), not the disagreement's veto, and the saved model
    keeps it, marked fixed, with nothing left for the outdated-model report
    to say."""
    base, design, trained = clean
    levels = {(w.comparison, w.level): w for w in level_weights(trained)}
    typo = levels[("family_name", "one typo or Jaro-Winkler >= 0.92")]
    assert levels[("family_name", "All other comparisons")].weight + 5 < typo.weight
    assert typo.weight < levels[("family_name", "same written name")].weight
    saved = save_model(tmp_path, trained, design, base)
    on_disk = json.loads(saved.path.read_text())["splink_settings"]
    assert on_disk == trained
    assert any(lv.get("fix_m_probability") for lv in _levels(on_disk))
    assert levels_below_floor(on_disk) == []


def test_the_saved_model_holds_the_floored_values(clean, tmp_path):
    base, design, trained = clean
    unfloored = json.loads(json.dumps(trained))
    unfloored["comparisons"][0]["comparison_levels"][-1]["m_probability"] = 0.0
    saved = save_model(tmp_path, unfloored, design, base)
    on_disk = json.loads(saved.path.read_text())["splink_settings"]
    assert on_disk == saved.settings
    assert on_disk["comparisons"][0]["comparison_levels"][-1]["m_probability"] == M_PROBABILITY_FLOOR


def test_a_model_trained_before_a_change_of_levels_is_told_which(clean, tmp_path):
    """A saved model keeps the levels it was trained with; one saved before a
    change (or before versions were recorded) is told what it lacks."""
    base, design, trained = clean
    saved = save_model(tmp_path, trained, design, base)
    assert saved.meta["comparison_levels_version"] == COMPARISON_LEVELS_VERSION
    assert levels_outdated(json.loads(saved.path.read_text())["nayose"]) == []
    before_versions = {k: v for k, v in saved.meta.items() if k != "comparison_levels_version"}
    assert levels_outdated(before_versions) == [COMPARISON_LEVEL_CHANGES[v] for v in sorted(COMPARISON_LEVEL_CHANGES)]
    assert any("move" in change for change in levels_outdated(before_versions))


def test_floored_em_puts_splinks_functions_back():
    compute, populate = em.compute_proportions_for_new_parameters, em.populate_m_u_from_lookup
    with floored_em():
        assert em.compute_proportions_for_new_parameters is not compute
        assert em.populate_m_u_from_lookup is not populate
    assert (em.compute_proportions_for_new_parameters, em.populate_m_u_from_lookup) == (compute, populate)
    with pytest.raises(RuntimeError), floored_em():
        raise RuntimeError("a failed session")
    assert (em.compute_proportions_for_new_parameters, em.populate_m_u_from_lookup) == (compute, populate)


def test_a_value_splink_refuses_is_reported_with_its_comparison_and_level():
    other = CityComparison().get_comparison("duckdb").comparison_levels[-1]
    lookup = {"city": {other.comparison_vector_value: {"m_probability": 0.0, "u_probability": 0.5}}}
    with pytest.raises(ModelTrainingError) as raised, floored_em():
        em.populate_m_u_from_lookup(set(), other, "city", lookup)
    message = str(raised.value)
    assert "comparison 'city', level 'All other comparisons'" in message
    assert "m_probability value 0.0" in message
    assert "\n" not in message  # the CLI prints a failed step's last line
