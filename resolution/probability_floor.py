"""Floors for a model's m and u probabilities: no level is ever 0 or absurd.

EM estimates a level's m from the pairs it believes are matches. A level that
never occurs among the matches of the training sample (a city "All other" in
clean data, a birth-date typo when nobody mistyped one) gets m = 0, or a value
so small that a later iteration underflows to 0: Splink then refuses it
(`m_probability value 0.0 is below the minimum allowed value of 1e-300`), or,
when training gets through, the level weighs -100 bits and more, so that one
disagreement vetoes a link whatever else agrees. Not seeing a level among a
few thousand matches says its m is small, not that it is impossible.

`floor_probabilities` is the decision: every probability of a comparison is
at least a floor, and the comparison's probabilities sum to 1 again (the ones
above the floor give up, in proportion, what the floored ones receive): a
pseudo-count, as Laplace smoothing adds to a count never observed. It is
applied to each EM iteration's estimates (`floor_em_parameter_records`, hooked
into Splink by `resolution.linking`) and to the trained settings before they
are used or saved (`floor_m_u_probabilities`).
"""

from __future__ import annotations

import copy
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

M_PROBABILITY_FLOOR = 1e-4
"""The smallest m of a level. A level's weight is log2(m / u) with u <= 1, so
a level never seen among matches weighs at least log2(1e-4) = -13.3 bits (as
little as -7 bits when the level is rare among non-matches too): a strong
veto, which agreement on two or three other fields (an exact email or phone,
a birth date: +12 bits each) can still overcome. It is a pseudo-count of one
match in 10,000, about what EM's sample can resolve (a few thousand to tens of
thousands of matches among its 500k pairs); levels EM does see among matches
sit well above it (the rarest on the generated sample: ~2e-4)."""

U_PROBABILITY_FLOOR = 1e-9
"""The smallest u of a level. u is estimated on at most `max_pairs_for_u`
random pairs (1M by default), so an estimated u is never below one in that
many: the floor only replaces a 0 or an underflow, and caps a level's weight
at log2(1 / 1e-9) = +29.9 bits (an exact email or phone weighs ~+13)."""

MIN_PROBABILITY = 1e-300
"""Splink refuses an m or u below this (it would underflow to 0)."""


def floor_probabilities(values: Sequence[float | None], floor: float) -> list[float | None]:
    """The probabilities of one comparison's levels, each at least `floor`,
    summing to 1. None (a level not observed, left to Splink's default) stays
    None and takes no share; a NaN or negative value counts as 0. Values at or
    above the floor keep their proportions to one another; an all-zero input
    becomes uniform. Refuses a floor that the levels cannot all reach
    (floor * levels > 1)."""
    present = [i for i, v in enumerate(values) if v is not None]
    out: list[float | None] = list(values)
    if not present:
        return out
    if not 0 < floor * len(present) <= 1:
        raise ValueError(f"a floor of {floor} cannot hold for {len(present)} levels summing to 1")
    raw = {i: _clean(values[i]) for i in present}
    if sum(raw.values()) <= 0:
        return [None if v is None else 1.0 / len(present) for v in values]
    floored: set[int] = set()
    while True:
        free = [i for i in present if i not in floored]
        left = 1.0 - floor * len(floored)
        total = sum(raw[i] for i in free)
        below = {i for i in free if total <= 0 or raw[i] * left / total < floor}
        if not below:
            break
        floored |= below
    for i in present:
        out[i] = floor if i in floored else raw[i] * left / total
    return out


def _clean(value: float | None) -> float:
    if value is None or not isinstance(value, (int, float)) or math.isnan(value) or value < 0:
        return 0.0
    return float(value)


def floor_m_u_probabilities(
    settings: dict[str, Any], *, m_floor: float = M_PROBABILITY_FLOOR, u_floor: float = U_PROBABILITY_FLOOR
) -> dict[str, Any]:
    """A copy of Splink `settings` (the dict `save_model_to_json` returns)
    whose levels' m and u probabilities are floored and normalised per
    comparison (`floor_probabilities`). Null levels and levels without a
    value (not observed in training: Splink gives them its defaults) are left
    as they are. Idempotent."""
    out = copy.deepcopy(settings)
    for comparison in out.get("comparisons", []):
        levels = [level for level in comparison.get("comparison_levels", []) if not level.get("is_null_level")]
        _floor_levels(levels, m_floor, u_floor)
    return out


def _floor_levels(levels: list[dict[str, Any]], m_floor: float, u_floor: float) -> None:
    """Floor and normalise, in place, the `m_probability` and `u_probability`
    of one comparison's levels (dicts); a level without a value keeps none."""
    for key, floor in (("m_probability", m_floor), ("u_probability", u_floor)):
        values = [_number_or_none(level.get(key)) for level in levels]
        for level, value in zip(levels, floor_probabilities(values, floor)):
            if value is not None:
                level[key] = value


def _number_or_none(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def floor_em_parameter_records(
    records: list[dict[str, Any]], *, m_floor: float = M_PROBABILITY_FLOOR, u_floor: float = U_PROBABILITY_FLOOR
) -> list[dict[str, Any]]:
    """One EM iteration's estimates as Splink computes them (records with
    `output_column_name`, `comparison_vector_value`, `m_probability`,
    `u_probability`; one named `_probability_two_random_records_match` holds
    the prior), with each comparison's m and u floored and normalised. The
    prior's record is returned unchanged."""
    out = [dict(r) for r in records]
    by_comparison: dict[str, list[dict[str, Any]]] = {}
    for record in out:
        if record.get("output_column_name") != "_probability_two_random_records_match":
            by_comparison.setdefault(record["output_column_name"], []).append(record)
    for group in by_comparison.values():
        _floor_levels(group, m_floor, u_floor)
    return out


@dataclass(frozen=True)
class LevelWeight:
    """One level of a trained model: its m, u and weight log2(m / u) in bits
    (None when m or u is not set). Names only, no data values."""

    comparison: str
    level: str
    m_probability: float | None
    u_probability: float | None

    @property
    def weight(self) -> float | None:
        m, u = self.m_probability, self.u_probability
        if m is None or u is None or not m > 0 or not u > 0:
            return None
        return math.log2(m / u)


def level_weights(settings: dict[str, Any]) -> list[LevelWeight]:
    """Every non-null level of `settings` with its m, u and weight."""
    out = []
    for comparison in settings.get("comparisons", []):
        name = str(comparison.get("output_column_name", "?"))
        for level in comparison.get("comparison_levels", []):
            if level.get("is_null_level"):
                continue
            out.append(
                LevelWeight(
                    comparison=name,
                    level=str(level.get("label_for_charts") or level.get("sql_condition", "?")),
                    m_probability=_number_or_none(level.get("m_probability")),
                    u_probability=_number_or_none(level.get("u_probability")),
                )
            )
    return out


def levels_below_floor(
    settings: dict[str, Any], *, m_floor: float = M_PROBABILITY_FLOOR, u_floor: float = U_PROBABILITY_FLOOR
) -> list[LevelWeight]:
    """Levels whose m or u is below its floor (allowing for rounding): those
    `floor_m_u_probabilities` would raise. Empty for a model trained since the
    floors exist."""
    return [
        w
        for w in level_weights(settings)
        if (w.m_probability is not None and w.m_probability < m_floor * (1 - 1e-9))
        or (w.u_probability is not None and w.u_probability < u_floor * (1 - 1e-9))
    ]
