"""Floors of a model's m and u probabilities: no 0, no absurd weight, sums of 1."""

from __future__ import annotations

import copy
import math

import pytest

from resolution.probability_floor import (
    BIRTH_DATE_M_CEILING,
    LEVELS_APART_BITS,
    M_PROBABILITY_FLOOR,
    MOVE_M_FLOOR,
    U_PROBABILITY_FLOOR,
    capped_probabilities,
    floor_em_parameter_records,
    floor_m_u_probabilities,
    floor_probabilities,
    keep_trained_levels_below_first,
    level_weights,
    levels_below_floor,
    splink_default_m_u,
    weigh_unestimated_levels,
)

LOWEST_WEIGHT = math.log2(M_PROBABILITY_FLOOR)  # -13.3 bits: a level never seen among matches, u = 1
HIGHEST_WEIGHT = math.log2(1 / U_PROBABILITY_FLOOR)  # +29.9 bits


def _level(label: str, m: float | None, u: float | None) -> dict:
    level = {"sql_condition": f"-- {label}", "label_for_charts": label}
    if m is not None:
        level["m_probability"] = m
    if u is not None:
        level["u_probability"] = u
    return level


def _settings(*comparisons: tuple[str, list[dict]]) -> dict:
    return {
        "link_type": "dedupe_only",
        "probability_two_random_records_match": 1e-4,
        "comparisons": [
            {
                "output_column_name": name,
                "comparison_levels": [{"sql_condition": "x IS NULL", "is_null_level": True}, *levels],
            }
            for name, levels in comparisons
        ],
    }


def _city_settings() -> dict:
    """As the JP drill's clean data trains it: no match ever has another city."""
    return _settings(
        (
            "city",
            [
                _level("Exact match on mk_city", 0.98, 0.07),
                _level("one typo", 0.02, 0.003),
                _level("same prefecture/state", 1e-65, 0.07),
                _level("All other comparisons", 0.0, 0.857),
            ],
        ),
        ("gender", [_level("Exact match", 1.0, 0.5), _level("All other comparisons", 3e-31, 0.5)]),
    )


def test_a_zero_m_comes_out_floored_and_the_comparison_sums_to_one():
    floored = floor_m_u_probabilities(_city_settings())
    levels = floored["comparisons"][0]["comparison_levels"][1:]
    m = [level["m_probability"] for level in levels]
    assert m[2] == m[3] == MOVE_M_FLOOR  # another city: a move, which a first delivery may not show
    assert math.fsum(m) == pytest.approx(1.0, abs=1e-12)
    assert m[0] / m[1] == pytest.approx(0.98 / 0.02)  # the levels above the floor keep their proportions
    assert [level["u_probability"] for level in levels] == pytest.approx([0.07, 0.003, 0.07, 0.857], rel=1e-6)
    gender = floored["comparisons"][1]["comparison_levels"][1:]
    assert [level["m_probability"] for level in gender] == pytest.approx([1 - M_PROBABILITY_FLOOR, M_PROBABILITY_FLOOR])


def test_weights_are_bounded_whatever_training_produced():
    nasty = _settings(
        (
            "name",
            [
                _level("exact", 1.0, 0.0),
                _level("typo", 1e-300, 1e-300),
                _level("similar", float("nan"), 0.5),
                _level("All other comparisons", 0.0, 0.5),
            ],
        ),
        ("email", [_level("exact", 0.0, 0.0), _level("All other comparisons", 0.0, 0.0)]),
    )
    weights = [w.weight for w in level_weights(floor_m_u_probabilities(nasty))]
    assert all(w is not None for w in weights)
    assert min(weights) >= LOWEST_WEIGHT - 1e-9
    assert max(weights) <= HIGHEST_WEIGHT + 1e-9
    assert min(weights) == pytest.approx(math.log2(M_PROBABILITY_FLOOR / 0.5))  # never seen among matches: -12.3 bits
    assert levels_below_floor(floor_m_u_probabilities(nasty)) == []


def test_the_testers_model_weights_come_back_within_bounds():
    """The international drill's family name: 'All other' weighed -121.9 bits."""
    settings = _settings(
        (
            "family_name",
            [
                _level("same written name", 0.936, 0.00659),
                _level("order swapped", 0.0235, 0.00125),
                _level("one typo", 0.0515, 0.00266),
                _level("swapped with a typo", 2.52e-16, 0.00189),
                _level("loosely similar", 0.00243, 0.00552),
                _level("All other comparisons", 1.99e-37, 0.982),
            ],
        )
    )
    before = {w.level: w.weight for w in level_weights(settings)}
    after = {w.level: w.weight for w in level_weights(floor_m_u_probabilities(settings))}
    assert before["All other comparisons"] == pytest.approx(-121.9, abs=0.1)
    assert after["All other comparisons"] == pytest.approx(math.log2(M_PROBABILITY_FLOOR / 0.982), abs=1e-3)  # -13.3
    assert -13.3 < after["swapped with a typo"] < -4  # u 0.0019: a rare level, weakly against
    # EM sessions are combined by medians, which need not sum to 1 (here 1.013): renormalised
    assert after["same written name"] == pytest.approx(before["same written name"], abs=0.05)
    assert [w.level for w in levels_below_floor(settings)] == ["swapped with a typo", "All other comparisons"]


def test_levels_without_a_value_and_null_levels_are_left_alone_and_the_input_is_not_changed():
    settings = _settings(
        (
            "birth_date",
            [_level("exact", 0.99, 1e-4), _level("transposed", None, 1e-5), _level("All other comparisons", 0.0, None)],
        )
    )
    original = copy.deepcopy(settings)
    floored = floor_m_u_probabilities(settings)
    assert settings == original
    null_level, exact, transposed, other = floored["comparisons"][0]["comparison_levels"]
    assert null_level == original["comparisons"][0]["comparison_levels"][0]
    # not observed in training, no estimated level below (the last has no u): Splink's default m, +11.3 bits
    # beside the exact level's +13.3, so no cap; written down, and marked as not an estimate
    assert transposed["m_probability"] == pytest.approx(0.05 / 2, rel=0.01) and transposed["fix_m_probability"]
    assert "u_probability" not in other
    assert exact["m_probability"] + other["m_probability"] == pytest.approx(1.0)
    assert other["m_probability"] == M_PROBABILITY_FLOOR
    assert floored["probability_two_random_records_match"] == 1e-4


def test_flooring_is_idempotent_and_leaves_a_healthy_model_as_it_is():
    healthy = _settings(("phone", [_level("exact", 0.95, 1e-4), _level("All other comparisons", 0.05, 0.9999)]))
    once = floor_m_u_probabilities(healthy)
    assert floor_m_u_probabilities(once) == once
    assert [level.get("m_probability") for level in once["comparisons"][0]["comparison_levels"][1:]] == pytest.approx(
        [0.95, 0.05]
    )
    floored = floor_m_u_probabilities(_city_settings())
    assert floor_m_u_probabilities(floored) == floored


def test_floor_probabilities_water_fills_and_refuses_an_impossible_floor():
    # 0.0 and 2e-5 go to the floor; the rest share what is left in proportion
    assert floor_probabilities([0.0, 2e-5, 0.6, 0.4, None], 1e-4) == pytest.approx(
        [1e-4, 1e-4, 0.6 * 0.9998, 0.4 * 0.9998, None]
    )
    # scaling the rest down can push another level below the floor: it is floored too
    assert floor_probabilities([0.0, 0.0, 0.2, 0.8], 0.25) == pytest.approx([0.25, 0.25, 0.25, 0.25])
    assert floor_probabilities([0.0, 0.0], 0.1) == [0.5, 0.5]
    assert floor_probabilities([None, None], 0.1) == [None, None]
    with pytest.raises(ValueError, match="cannot hold"):
        floor_probabilities([0.5, 0.5, 0.0], 0.4)


def test_em_records_are_floored_per_comparison_and_the_prior_is_left_alone():
    records = [
        {"comparison_vector_value": 2, "output_column_name": "city", "m_probability": 0.99, "u_probability": 0.07},
        {"comparison_vector_value": 1, "output_column_name": "city", "m_probability": 0.01, "u_probability": 0.07},
        {"comparison_vector_value": 0, "output_column_name": "city", "m_probability": 0.0, "u_probability": 0.86},
        {"comparison_vector_value": 1, "output_column_name": "gender", "m_probability": 1.0, "u_probability": 0.5},
        {"comparison_vector_value": 0, "output_column_name": "gender", "m_probability": None, "u_probability": 0.5},
        {
            "comparison_vector_value": 0,
            "output_column_name": "_probability_two_random_records_match",
            "m_probability": 0.0,
            "u_probability": 1.0,
        },
    ]
    out = floor_em_parameter_records(records)
    assert records[2]["m_probability"] == 0.0  # not changed in place
    city = [r["m_probability"] for r in out if r["output_column_name"] == "city"]
    assert city[2] == MOVE_M_FLOOR and math.fsum(city) == pytest.approx(1.0)
    assert [r["m_probability"] for r in out if r["output_column_name"] == "gender"] == [1.0, None]
    assert out[-1] == records[-1]


def test_a_move_is_never_ruled_out_by_a_first_delivery_without_movers():
    """The foreign-residents tester's night 1 held no customer at two
    addresses: EM put a move at -13.2 bits, and night 2's movers (same name
    and birth date) scored below review and were split silently."""
    learned = _settings(
        (
            "postal_code",
            [
                _level("Exact match on std_postal_code", 1.0, 0.0625),
                _level("one typo", 1e-4, 0.00594),
                _level("same area (first three)", 1e-4, 0.0015),
                _level("All other comparisons", 1e-4, 0.932),
            ],
        ),
        ("email", [_level("exact", 0.9999, 1e-4), _level("All other comparisons", 1e-4, 0.9999)]),
    )
    assert [(w.comparison, w.level) for w in levels_below_floor(learned)] == [
        ("postal_code", "same area (first three)"),
        ("postal_code", "All other comparisons"),
    ]
    floored = floor_m_u_probabilities(learned)
    weights = {(w.comparison, w.level): w.weight for w in level_weights(floored)}
    assert weights[("postal_code", "All other comparisons")] == pytest.approx(math.log2(MOVE_M_FLOOR / 0.932), abs=0.01)  # -6.5
    assert weights[("postal_code", "one typo")] == pytest.approx(math.log2(M_PROBABILITY_FLOOR / 0.00594), abs=0.01)
    assert weights[("email", "All other comparisons")] == pytest.approx(math.log2(1e-4 / 0.9999), abs=1e-3)
    assert levels_below_floor(floored) == []
    # data with movers trains above the floor: nothing changes
    movers = _settings(("postal_code", [_level("exact", 0.85, 1e-5), _level("area", 0.01, 2e-3), _level("else", 0.14, 0.99799)]))
    assert floor_m_u_probabilities(movers) == movers


def test_a_birth_date_that_disagrees_outright_never_passes_for_common_among_matches():
    """A model trained on namesakes (the South Asian tester's: 58% of "matches" at
    other birth dates, -0.7 bits) keeps at most BIRTH_DATE_M_CEILING there; the
    other levels share what it gives up, in proportion; other comparisons' weakest
    levels and a model that trained below the ceiling are left alone."""
    levels = [
        _level("Exact match", 0.3483, 0.0031),
        _level("day and month swapped", 0.0178, 0.00006),
        _level("one-digit typo", 0.0349, 0.0015),
        _level("same year", 0.0140, 0.0160),
        _level("All other comparisons", 0.585, 0.979),
    ]
    settings = _settings(("birth_date", levels), ("given_name", copy.deepcopy(levels)))
    bounded = floor_m_u_probabilities(settings)
    birth, given = (c["comparison_levels"][1:] for c in bounded["comparisons"])  # after the null level
    m = [level["m_probability"] for level in birth]
    assert m[-1] == pytest.approx(BIRTH_DATE_M_CEILING)
    assert math.fsum(m) == pytest.approx(1.0)
    assert m[0] / m[2] == pytest.approx(0.3483 / 0.0349)  # proportions kept
    assert level_weights(bounded)[4].weight == pytest.approx(math.log2(BIRTH_DATE_M_CEILING / 0.979), abs=1e-3)  # -5.6 bits
    assert [level["m_probability"] for level in given] == pytest.approx([lv["m_probability"] for lv in levels])
    # its day and month swapped weighs +8.2 bits beside the exact date's +6.8: kept below that too
    assert [(w.comparison, w.level) for w in levels_below_floor(settings)] == [
        ("birth_date", "day and month swapped"),
        ("birth_date", "All other comparisons"),
        ("given_name", "day and month swapped"),
    ]
    assert levels_below_floor(bounded) == []
    assert floor_m_u_probabilities(bounded) == bounded  # idempotent
    trained_below = _settings(("birth_date", [_level("Exact match", 0.9987, 0.003), _level("All other comparisons", 0.0013, 0.997)]))
    assert floor_m_u_probabilities(trained_below) == trained_below


def test_capping_shares_the_excess_in_proportion_and_leaves_none_alone():
    assert capped_probabilities([0.2, 0.2, None, 0.6], [1.0, 1.0, 1.0, 0.1]) == pytest.approx([0.45, 0.45, None, 0.1])
    assert capped_probabilities([0.5, 0.5], [1.0, 0.6]) == [0.5, 0.5]


def _family_name_trained_without(*unseen: str, reading_m: float = 0.01) -> dict:
    """A family-name comparison as training leaves it when no pair fell in the
    levels `unseen` (Splink saves no m for them)."""
    levels = [
        _level("same written name", 0.5899 - reading_m, 0.010),  # +5.9 bits
        _level("a surname left out", 0.0001, 8e-6),
        _level("same reading, other kanji", reading_m, 0.002),  # +2.3 (-4.3 at an m of 0.0001)
        _level("one typo", 0.06, 0.004),
        _level("similar, other numbers", 0.0001, 0.05),  # -9.0: EM saw no match there
        _level("All other comparisons", 0.3499, 0.933992),  # -1.4
    ]
    for level in levels:
        if level["label_for_charts"] in unseen:
            del level["m_probability"]
    total = math.fsum(level.get("m_probability", 0.0) for level in levels)
    for level in levels:  # the estimates sum to 1, as the floors leave them
        if "m_probability" in level:
            level["m_probability"] /= total
    return _settings(("family_name", levels))


def _weights(settings: dict) -> dict[str, float | None]:
    return {w.level: w.weight for w in level_weights(settings)}


def test_a_level_training_never_saw_weighs_as_splinks_default_within_the_trained_levels_around_it():
    """Splink's default m (0.05 shared among the levels below the first)
    beside a rare level's u made a surname left out weigh +9.4 bits on the
    Japanese insurer set, more than the exact name (+5.6): it is capped at the
    stricter level above. Within the trained levels around it the default
    stands (a model trained on clean exports keeps weighing a typo as one)."""
    trained = _family_name_trained_without("a surname left out", "one typo")
    assert [w.level for w in levels_below_floor(trained)] == ["a surname left out", "one typo"]
    bounded = floor_m_u_probabilities(trained)
    weights, estimated = _weights(bounded), _weights(trained)
    # one typo (4th of 6 levels, vector value 2): Splink's default m 0.01 beside its u 0.004, +1.3 bits,
    # between 'All other' below (-1.4) and the other kanji's reading above (+2.3)
    default = math.log2(splink_default_m_u(6, 2)[0] / 0.004)
    assert estimated["All other comparisons"] < default < estimated["same reading, other kanji"]
    assert weights["one typo"] == pytest.approx(default, abs=0.01)
    # a surname left out: Splink's default +10.3, capped at the same written name's +5.9
    assert math.log2(0.05 / 5 / 8e-6) > estimated["same written name"]
    assert weights["a surname left out"] == pytest.approx(estimated["same written name"], abs=0.01)
    # a hair below, so that the pair rules can tell each level from its weight
    assert len({round(w, 9) for w in weights.values()}) == len(weights)
    assert weights["one typo"] == pytest.approx(default - 4 * LEVELS_APART_BITS, abs=1e-9)
    # the estimated levels keep their values; the weighed ones are marked as set, not estimated
    for name in ("same written name", "same reading, other kanji", "similar, other numbers", "All other comparisons"):
        assert weights[name] == pytest.approx(estimated[name], abs=1e-9)
    levels = {lv.get("label_for_charts"): lv for lv in bounded["comparisons"][0]["comparison_levels"]}
    assert levels["one typo"]["fix_m_probability"] and levels["one typo"]["u_probability"] == trained[
        "comparisons"
    ][0]["comparison_levels"][4]["u_probability"]
    assert "fix_u_probability" not in levels["one typo"]
    # the floors leave them as set: nothing is left to report
    assert floor_m_u_probabilities(bounded) == bounded
    assert levels_below_floor(bounded) == []
    # never more than the stricter level above: other kanji at -4.3 caps the typo's +1.3
    capped = floor_m_u_probabilities(_family_name_trained_without("one typo", reading_m=0.0001))
    assert _weights(capped)["one typo"] == pytest.approx(_weights(capped)["same reading, other kanji"], abs=0.01)
    assert _weights(capped)["one typo"] < _weights(capped)["All other comparisons"]


def test_a_level_without_m_or_u_takes_the_least_u_of_its_comparison_and_a_trained_model_is_unchanged():
    """Splink's default u, fitted to its default weights, asked an m of 1.86
    for a trained neighbour's +10.4 bits on the pan-European set."""
    trained = _family_name_trained_without("one typo")
    del trained["comparisons"][0]["comparison_levels"][4]["u_probability"]  # 'one typo', 4th of 6 levels
    bounded = floor_m_u_probabilities(trained)
    typo = bounded["comparisons"][0]["comparison_levels"][4]
    least_u = bounded["comparisons"][0]["comparison_levels"][2]["u_probability"]  # a surname left out's
    assert typo["fix_u_probability"] and typo["u_probability"] == least_u < splink_default_m_u(6, 2)[1]
    assert 0 < typo["m_probability"] <= 1
    default_m, default_u = splink_default_m_u(6, 2)
    assert _weights(bounded)["one typo"] == pytest.approx(
        min(max(math.log2(default_m / default_u), _weights(bounded)["All other comparisons"]), _weights(bounded)["same reading, other kanji"]),
        abs=0.01,
    )
    assert splink_default_m_u(6, 5)[0] == 0.95 and splink_default_m_u(6, 2)[0] == pytest.approx(0.01)
    healthy = _family_name_trained_without()
    assert weigh_unestimated_levels(healthy) == healthy
    assert floor_m_u_probabilities(healthy) == healthy


def test_a_comparison_no_session_trained_keeps_splinks_defaults():
    untrained = _settings(("gender", [_level("Exact match", None, 0.5), _level("All other comparisons", None, 0.5)]))
    assert weigh_unestimated_levels(untrained) == untrained
    assert levels_below_floor(untrained) == []


def _swapped_names_trained() -> dict:
    """A given name as an export that writes names in any order trains it:
    the swapped level is 5% of matches and met by one random pair in 65,000
    (its u as small as the sample can count), so it weighs +11.6 bits beside
    the exact name's +7.4; an initial no training pair fell in sits below."""
    return _settings(
        (
            "given_name",
            [
                _level("same written name", 0.74, 0.0044),
                _level("names in the other order", 0.046, 1.53e-05),
                _level("one is the other's initial", None, None),
                _level("one typo", 0.039, 0.00055),
                _level("swapped with a typo", 0.0154, 1.53e-05),
                _level("All other comparisons", 0.1596, 0.99498),
            ],
        )
    )


def test_no_trained_level_weighs_more_than_its_comparisons_exact_level():
    """A swapped pair of two people (born 22 years apart) was linked on the
    swapped levels' +11.6 bits; now they weigh a hair less than the same
    names in their own order, by a larger u; m stays as EM found it."""
    trained = _swapped_names_trained()
    before = _weights(trained)
    assert before["names in the other order"] == pytest.approx(11.55, abs=0.01)
    assert before["same written name"] == pytest.approx(7.39, abs=0.01)
    assert [w.level for w in levels_below_floor(trained)] == [
        "names in the other order",
        "one is the other's initial",
        "swapped with a typo",
    ]
    bounded = floor_m_u_probabilities(trained)
    after = _weights(bounded)
    exact = after["same written name"]
    assert exact == pytest.approx(before["same written name"], abs=0.01)
    assert after["names in the other order"] == pytest.approx(exact - 2 * LEVELS_APART_BITS, abs=0.001)
    assert after["swapped with a typo"] == pytest.approx(exact - 5 * LEVELS_APART_BITS, abs=0.001)
    # the initial, never trained, is bounded by the level above it as it now weighs
    assert after["one is the other's initial"] < after["names in the other order"]
    assert max(w for name, w in after.items() if name != "same written name") < exact
    # the levels already below it keep their weights to a hundredth of a bit; m as trained, u sums to 1
    for name in ("one typo", "All other comparisons"):
        assert after[name] == pytest.approx(before[name], abs=0.01)
    levels = bounded["comparisons"][0]["comparison_levels"][1:]
    assert [lv["m_probability"] for i, lv in enumerate(levels) if i != 2] == pytest.approx([0.74, 0.046, 0.039, 0.0154, 0.1596])
    assert math.fsum(lv["u_probability"] for i, lv in enumerate(levels) if i != 2) == pytest.approx(1.0)
    assert "fix_u_probability" not in levels[1]  # still an estimate, bounded
    assert levels_below_floor(bounded) == []
    assert floor_m_u_probabilities(bounded) == bounded  # idempotent


def test_levels_in_order_a_level_of_more_matches_and_a_first_level_that_weighs_against_are_left_alone():
    in_order = _settings(("phone", [_level("exact", 0.9, 1e-4), _level("last 8 digits", 0.05, 1e-3), _level("else", 0.05, 0.9989)]))
    assert keep_trained_levels_below_first(in_order) == in_order
    # a comparison whose first level says nothing for a match has no agreement to bound the others by
    upside_down = _settings(("gender", [_level("exact", 0.4, 0.5), _level("else", 0.6, 0.5)]))
    assert keep_trained_levels_below_first(upside_down) == upside_down
    # a level holding more matches than the exact one is how that data's matches agree (a hanzi family name
    # and its Latin spelling): its weight stands
    other_script = _settings(
        ("family_name", [_level("same written name", 0.14, 0.025), _level("its Latin spelling", 0.84, 0.037), _level("else", 0.02, 0.938)])
    )
    assert _weights(other_script)["its Latin spelling"] > _weights(other_script)["same written name"]
    assert keep_trained_levels_below_first(other_script) == other_script
    assert levels_below_floor(other_script) == []
    # the untrained first level (no m): nothing to bound by
    untrained = _settings(("city", [_level("exact", None, 0.08), _level("typo", 0.3, 0.001), _level("else", 0.7, 0.919)]))
    assert keep_trained_levels_below_first(untrained) == untrained
