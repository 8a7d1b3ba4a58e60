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

A level no EM session saw at all (no pair of any training block fell in it:
the specialised levels, a kana name against its kanji, a surname left out,
a birth date's day and month transposed) has no m estimate, and Splink
scores it with its default m (0.95 for a comparison's first level, 0.05
shared among the others): beside a small u, a strongly positive weight,
above the trained levels that say more. `weigh_unestimated_levels` keeps
that weight within the trained levels around it.

A level training did see can weigh more than the exact agreement too, when
it is rarer among random pairs than their count can resolve (a name written
in the other order): `keep_trained_levels_below_first` raises its u so it
weighs less than its comparison's first level, unless it holds more of the
matches than that level (`floor_m_u_probabilities` does all three).
"""

from __future__ import annotations

import copy
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from splink.internals.comparison_level import _default_m_values, _default_u_values

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

MOVE_M_FLOOR = 0.01
"""The smallest m of a level that says the customer moved: the last
MOVE_LEVELS levels of a place comparison. People move (several percent of
them a year, and the records of one customer can be years apart), but a
first delivery of clean exports may hold no customer at two addresses: EM
then gives a move the floor of any level never seen, -13 bits, and a
customer who moves later is split silently (their pair scores below review,
so the move rule never holds it). At 0.01 a move weighs about -6.6 bits,
which a shared name and birth date or email still overcome, and the pair
goes to the move rule (`households`). Data with movers trains above it
(0.14 for the postal code on the 1M benchmark), and the floor then does
nothing."""

MOVE_LEVELS = {"postal_code": 2, "city": 2}
"""Place comparisons and how many of their last (weakest) non-null levels
are a move: a postal code of the same area (a move nearby) or of none in
common; a city of the same prefecture or state, or of none (the city weighs
the move when a postal code is missing). Counted from the end, as Splink's
comparison vector values count (0 is the last level)."""

BIRTH_DATE_M_CEILING = 0.02
"""The largest m of the level where two birth dates disagree outright (the
birth-date comparison's weakest, "All other"): a birth date does not change,
and a mistyped one mostly lands on a typo level (one digit, day and month
swapped, the same year and month). EM learns its m from the pairs it believes
are matches, and where those are blocked on names in a population of common
names (Mohammed Khan, Rajesh Kumar, 佐藤 健), or on a household's address and
landline, namesakes and a father and his son of one name pass for matches: the
testers' models put 15-58% of matches at different birth dates (-0.7 to -2.7
bits), so a shared given name outweighed one. At 0.02 a birth date that
disagrees weighs about -5.6 bits. Data whose matches disagree this rarely
trains below it (0.0013 on the 1M benchmark) and the ceiling does nothing;
FEBRL, whose generator corrupts 5-6% of its duplicates' birth dates (EM finds
0.049-0.065 there), keeps its F1 at 0.02 (0.9911 / 0.9902; at 0.01 it lost
0.25 points of recall), which the testers' sets nearly all keep too (their
precision at 0.01 was 0.3-1 point higher)."""

CEILED_LEVELS = {"birth_date": BIRTH_DATE_M_CEILING}
"""Comparisons whose weakest non-null level (comparison vector value 0) has
an m ceiling."""

LEVELS_APART_BITS = 1e-3
"""How far below the weight it takes a level `weigh_unestimated_levels`
weighs goes, times its rank in the comparison (1 for the first): no two
levels of a comparison weigh the same, since the pair rules tell a pair's
level by its match weight (`households._else_weight`, `_exact_weights`:
levels at one weight cannot be told apart, and the rule that holds a pair
whose given names disagree did not hold any on the Latin American tester:
pairwise precision 0.98 -> 0.91). A thousandth of a bit changes no link."""

MIN_PROBABILITY = 1e-300
"""Splink refuses an m or u below this (it would underflow to 0)."""


def floor_probabilities(values: Sequence[float | None], floor: float | Sequence[float]) -> list[float | None]:
    """The probabilities of one comparison's levels, each at least its floor
    (`floor`: one for all, or one per level), summing to 1. None (a level not
    observed, left to Splink's default) stays None and takes no share; a NaN
    or negative value counts as 0. Values at or above their floor keep their
    proportions to one another; an all-zero input becomes uniform. Refuses
    floors that the levels cannot all reach (summing to more than 1)."""
    floors = [floor] * len(values) if isinstance(floor, (int, float)) else list(floor)
    present = [i for i, v in enumerate(values) if v is not None]
    out: list[float | None] = list(values)
    if not present:
        return out
    if not (all(floors[i] > 0 for i in present) and math.fsum(floors[i] for i in present) <= 1):
        raise ValueError(f"floors of {[floors[i] for i in present]} cannot hold for {len(present)} levels summing to 1")
    raw = {i: _clean(values[i]) for i in present}
    if sum(raw.values()) <= 0:
        return [None if v is None else 1.0 / len(present) for v in values]
    floored: set[int] = set()
    while True:
        free = [i for i in present if i not in floored]
        left = 1.0 - math.fsum(floors[i] for i in floored)
        total = sum(raw[i] for i in free)
        scale = 1.0 if math.isclose(total, left, rel_tol=1e-12) else left / total if total > 0 else 0.0
        below = {i for i in free if raw[i] * scale < floors[i] * (1 - 1e-12)}  # a value at its floor stays
        if not below:
            break
        floored |= below
    for i in present:
        out[i] = floors[i] if i in floored else raw[i] * scale
    return out


def capped_probabilities(values: Sequence[float | None], ceilings: Sequence[float]) -> list[float | None]:
    """`values` (probabilities summing to 1) with each at most its ceiling
    (one per level, 1.0 for none), what a capped level gives up shared among
    the uncapped ones in proportion to their values (equally when they are
    all 0). None stays None. Unchanged when nothing is above its ceiling."""
    out = list(values)
    over = [i for i, v in enumerate(values) if v is not None and v > ceilings[i]]
    free = [i for i, v in enumerate(values) if v is not None and i not in over]
    if not over or not free:
        return out
    excess = math.fsum(values[i] - ceilings[i] for i in over)
    total = math.fsum(values[i] for i in free)
    for i in over:
        out[i] = ceilings[i]
    for i in free:
        out[i] = values[i] + excess * (values[i] / total if total > 0 else 1.0 / len(free))
    return out


def m_ceilings(comparison: str, vector_values: Sequence[int]) -> list[float]:
    """The m ceiling of each level of a comparison, given by its comparison
    vector value: CEILED_LEVELS's for its weakest level, else 1.0 (none)."""
    ceiling = CEILED_LEVELS.get(comparison)
    return [ceiling if ceiling is not None and v == 0 and len(vector_values) > 1 else 1.0 for v in vector_values]


def m_floors(comparison: str, vector_values: Sequence[int], m_floor: float = M_PROBABILITY_FLOOR) -> list[float]:
    """The m floor of each level of a comparison, given by its comparison
    vector value (0 the weakest): `m_floor`, and MOVE_M_FLOOR for a place
    comparison's move levels (MOVE_LEVELS), never its strongest level."""
    moves = min(MOVE_LEVELS.get(comparison, 0), max(vector_values, default=0))
    return [max(m_floor, MOVE_M_FLOOR) if v < moves else m_floor for v in vector_values]


def _vector_values(levels: int) -> range:
    """The comparison vector values of `levels` non-null levels, strongest first."""
    return range(levels - 1, -1, -1)


def _clean(value: float | None) -> float:
    if value is None or not isinstance(value, (int, float)) or math.isnan(value) or value < 0:
        return 0.0
    return float(value)


def floor_m_u_probabilities(
    settings: dict[str, Any], *, m_floor: float = M_PROBABILITY_FLOOR, u_floor: float = U_PROBABILITY_FLOOR
) -> dict[str, Any]:
    """A copy of Splink `settings` (the dict `save_model_to_json` returns)
    whose levels' m and u probabilities are floored and normalised per
    comparison (`floor_probabilities`), whose estimated levels of fewer
    matches weigh no more than the comparison's first
    (`keep_trained_levels_below_first`), then
    whose levels without an m estimate are weighed within their trained
    neighbours (`weigh_unestimated_levels`).
    Null levels, levels with a fixed m or u (`fix_m_probability`: set so,
    not estimated) and the levels of a comparison none of whose levels was
    estimated (Splink gives them its defaults) are left as they are.
    Idempotent."""
    out = copy.deepcopy(settings)
    for comparison in out.get("comparisons", []):
        levels, floors, ceilings = _levels_and_m_bounds(comparison, m_floor)
        _floor_levels(levels, floors, u_floor, ceilings)
        _keep_below_first(levels, u_floor)
        _weigh_unestimated(levels)
    return out


def _keep_below_first(levels: list[dict[str, Any]], u_floor: float) -> None:
    """`keep_trained_levels_below_first` on one comparison's non-null levels
    (dicts, strongest first), in place."""
    floors = _u_floors_below_first(levels, u_floor)
    if floors is None:
        return
    values = floor_probabilities([_estimate(level, "u_probability") for level in levels], floors)
    for level, value in zip(levels, values):
        if value is not None:
            level["u_probability"] = value


def _u_floors_below_first(levels: list[dict[str, Any]], u_floor: float) -> list[float] | None:
    """The u floor of each of a comparison's levels (dicts, strongest first)
    that keeps each estimated level holding fewer matches (m) than the first
    at least LEVELS_APART_BITS times its rank below the first level's
    weight, `u_floor` for the others; None when
    there is nothing to keep: the first level has no estimated weight, or
    weighs against a match (not the agreement this bound is about), or no
    level weighs above it, or the floors could not hold (summing to 1 or more)."""
    first = _level_weight(levels[0]) if levels else None
    if first is None or first <= 0 or _estimate(levels[0], "u_probability") is None:
        return None
    floors = [u_floor] * len(levels)
    first_m = float(levels[0]["m_probability"])
    for i, level in enumerate(levels[1:], start=1):
        m, u = _number_or_none(level.get("m_probability")), _estimate(level, "u_probability")
        if m is not None and u is not None and 0 < m < first_m:
            floors[i] = max(u_floor, m / 2.0 ** (first - LEVELS_APART_BITS * (i + 1)))
    present = [i for i, level in enumerate(levels) if _estimate(level, "u_probability") is not None]
    above = [i for i in present if floors[i] > float(levels[i]["u_probability"]) * (1 + 1e-12)]
    if not above or math.fsum(floors[i] for i in present) >= 1:
        return None
    return floors


def keep_trained_levels_below_first(settings: dict[str, Any], *, u_floor: float = U_PROBABILITY_FLOOR) -> dict[str, Any]:
    """A copy of Splink `settings` in which no estimated level of a
    comparison that holds fewer matches than its first (non-null) level,
    the exact agreement, weighs more than it: a level that does (a name
    written in the other order, a surname left out, the same last digits of
    a phone) gets the u that makes it weigh LEVELS_APART_BITS times its rank
    less, and the comparison's other u give up what it receives in
    proportion (`floor_probabilities`), so u still sums to 1 and m is left
    as trained. Idempotent.

    Why: the levels of a comparison are written strongest first, and a
    partial, swapped or loosened agreement is never better evidence of one
    person than the exact agreement of the same field. Training can say it
    is: u is counted on random pairs (a million at most, and fewer on a
    small base), and a level as rare among them as a swapped name is met
    once or never, so its u is as small as the count allows (1.5e-05 on the
    African fintech tester's 2,400 records) while its m is what EM found
    (0.048 where a Kenyan export writes names in any order). The family and
    the given name's swapped levels then weighed +11.6 bits each (both hold
    for one swapped pair), more than the same names in their own order
    (+7.3, +7.4), and outweighed a birth date 22 years apart (a pair of two
    people linked at p 0.98). Raising u, not lowering m, keeps what EM
    learnt of the matches (how often a swap happens) and corrects the
    estimate the sample could not resolve.

    A level that holds more matches than the exact one is left as trained:
    there it is the form in which that data's matches agree, not a lesser
    one, and its u is counted on many pairs (a hanzi name and its Latin
    spelling, m 0.84 beside the written name's 0.14 on the East Asian
    marketplace; a kana name and its kanji; a street written another way
    with the same numbers). Bounded too, they cost the Japanese insurer's
    set 0.4 points of recall. Only the first level bounds the others: the
    levels below it are not all in evidence order among themselves
    (nicknames of one name come after the loosely similar level and weigh
    more, `comparisons.PersonNamePartComparison`)."""
    out = copy.deepcopy(settings)
    for comparison in out.get("comparisons", []):
        _keep_below_first(_levels_and_m_bounds(comparison, M_PROBABILITY_FLOOR)[0], u_floor)
    return out


def weigh_unestimated_levels(settings: dict[str, Any]) -> dict[str, Any]:
    """A copy of trained Splink `settings` in which each level whose m no EM
    session estimated (no `m_probability`: no training pair fell in it)
    weighs what Splink's default m makes it weigh, bounded by the estimated
    levels around it: never more than the nearest estimated level above it
    (the next stricter), never less than the estimated level below it (less
    strict: Splink tries it later) that weighs most. Its u stays; where it
    has none either (no random pair fell in it), it takes the least u
    estimated in its comparison, not Splink's default u (fitted to Splink's
    default weights, that asked an m above 1 for the weights trained levels
    have: 1.86 on the pan-European set). Its m is set to give that weight,
    and both are marked fixed (`fix_m_probability`, `fix_u_probability`
    where set here), which the floors leave alone.

    Why: an agreement training never showed is evidence nobody measured, and
    Splink's default (the level holds 5% of matches, shared among the
    comparison's levels below the first) is a prior that knows nothing of
    the levels around it. Beside the small u of a rare level it made the
    level weigh more than the exact agreement (a surname left out +9.4 bits
    beside the same name's +5.6 on the Japanese insurer set); the order the
    levels are written in says a level is worth no more than the stricter one
    above it. And had the level not been written, its pairs would have
    fallen into one of the levels below it, so it is worth no less than the
    strongest of those. Within those bounds the default stands: a model
    trained on clean exports (no typo among its matches) keeps weighing a
    later typo as a typo, not as the "All other" level's veto. Comparisons
    none of whose levels was estimated keep Splink's defaults
    (`linking.m_not_estimated` reports them). Idempotent."""
    out = copy.deepcopy(settings)
    for comparison in out.get("comparisons", []):
        _weigh_unestimated(_levels_and_m_bounds(comparison, M_PROBABILITY_FLOOR)[0])
    return out


def _weigh_unestimated(levels: list[dict[str, Any]]) -> None:
    """`weigh_unestimated_levels` on one comparison's non-null levels (dicts,
    strongest first), in place."""
    weights = [_level_weight(level) for level in levels]
    estimated = [i for i, weight in enumerate(weights) if weight is not None]
    if not estimated:
        return
    least_u = min(float(levels[i]["u_probability"]) for i in estimated)
    for i, level in enumerate(levels):
        if _number_or_none(level.get("m_probability")) is not None:
            continue
        default_m, default_u = splink_default_m_u(len(levels), len(levels) - 1 - i)
        u = _number_or_none(level.get("u_probability"))
        scored = math.log2(default_m / (default_u if u is None else u))  # what Splink's defaults made it weigh
        if u is None:  # no random pair fell in it either: rarer than any level one did
            u = least_u
            level["u_probability"], level["fix_u_probability"] = u, True
        below = max((weights[j] for j in estimated if j > i), default=None)
        above = next((weights[j] for j in reversed(estimated) if j < i), None)
        weight = scored if below is None else max(scored, below)
        weight = (weight if above is None else min(weight, above)) - LEVELS_APART_BITS * (i + 1)
        level["m_probability"], level["fix_m_probability"] = min(max(u * 2.0**weight, MIN_PROBABILITY), 1.0), True


def splink_default_m_u(levels: int, vector_value: int) -> tuple[float, float]:
    """The m and u Splink (5.0) scores a level with when it has none, given
    the comparison's number of non-null levels and the level's comparison
    vector value (`Comparison` sets them as `default_m_probability` and
    `default_u_probability`): m 0.95 for the first level and 0.05 shared
    among the others; u such that the levels weigh from -5 up to +3 bits and
    the first +10."""
    if levels < 2:
        return 1.0, 1.0
    return _default_m_values(levels)[vector_value], _default_u_values(levels)[vector_value]


def _level_weight(level: dict[str, Any]) -> float | None:
    """log2(m / u) of a level (settings dict), None unless both are positive numbers."""
    m, u = _number_or_none(level.get("m_probability")), _number_or_none(level.get("u_probability"))
    return math.log2(m / u) if m is not None and u is not None and m > 0 and u > 0 else None


def _levels_and_m_bounds(
    comparison: dict[str, Any], m_floor: float
) -> tuple[list[dict[str, Any]], list[float], list[float]]:
    """A comparison's (settings dict) non-null levels, strongest first, and
    the m floor (`m_floors`) and ceiling (`m_ceilings`) of each."""
    levels = [level for level in comparison.get("comparison_levels", []) if not level.get("is_null_level")]
    name, vector_values = str(comparison.get("output_column_name")), _vector_values(len(levels))
    return levels, m_floors(name, vector_values, m_floor), m_ceilings(name, vector_values)


def _floor_levels(
    levels: list[dict[str, Any]], m_floor: list[float], u_floor: float, m_ceiling: list[float]
) -> None:
    """Floor and normalise, in place, the `m_probability` and `u_probability`
    of one comparison's levels (dicts, strongest first; `m_floor` and
    `m_ceiling` one per level), then cap each m at its ceiling; a level
    without a value keeps none, and a fixed value (`fix_m_probability`,
    `fix_u_probability`) is left as it is and takes no share."""
    for key, floor in (("m_probability", m_floor), ("u_probability", u_floor)):
        values = floor_probabilities([_estimate(level, key) for level in levels], floor)
        if key == "m_probability":
            values = capped_probabilities(values, m_ceiling)
        for level, value in zip(levels, values):
            if value is not None:
                level[key] = value


def _number_or_none(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _estimate(level: dict[str, Any], key: str) -> float | None:
    """A level's `key` ("m_probability" or "u_probability") as a number, None
    when it has none or it is fixed (not an estimate the floors bound)."""
    return None if level.get(f"fix_{key}") else _number_or_none(level.get(key))


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
    for name, group in by_comparison.items():
        vector_values = [r["comparison_vector_value"] for r in group]
        _floor_levels(group, m_floors(name, vector_values, m_floor), u_floor, m_ceilings(name, vector_values))
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


def unestimated_levels_weighed(
    trained: dict[str, Any], bounded: dict[str, Any]
) -> list[tuple[LevelWeight, LevelWeight]]:
    """The levels of `trained` settings without an m estimate to which
    `bounded` (`floor_m_u_probabilities(trained)`) gives one, each as Splink
    would have scored it (its default m, and default u where it had none:
    `splink_default_m_u`) and as bounded."""
    defaults = []
    for comparison in trained.get("comparisons", []):
        levels = len(_levels_and_m_bounds(comparison, M_PROBABILITY_FLOOR)[0])
        defaults += [splink_default_m_u(levels, v) for v in _vector_values(levels)]
    out = []
    for before, after, (m, u) in zip(level_weights(trained), level_weights(bounded), defaults, strict=True):
        if before.m_probability is None and after.m_probability is not None:
            u = u if before.u_probability is None else before.u_probability
            out.append((LevelWeight(before.comparison, before.level, m, u), after))
    return out


def levels_below_floor(
    settings: dict[str, Any], *, m_floor: float = M_PROBABILITY_FLOOR, u_floor: float = U_PROBABILITY_FLOOR
) -> list[LevelWeight]:
    """Levels whose estimated m or u is below its floor, or whose m is above
    its ceiling (allowing for rounding), levels without an m that
    `weigh_unestimated_levels` would weigh, and levels of fewer matches that
    weigh more than their comparison's first (`keep_trained_levels_below_first`): those
    `floor_m_u_probabilities` would change. Empty for a model trained since
    the floors, ceilings, neighbour weights and the first level's bound exist."""
    levels, floors, ceilings, u_floors = [], [], [], []
    for comparison in settings.get("comparisons", []):
        comparison_levels, level_floors, level_ceilings = _levels_and_m_bounds(comparison, m_floor)
        levels += comparison_levels
        floors += level_floors
        ceilings += level_ceilings
        u_floors += _u_floors_below_first(comparison_levels, u_floor) or [u_floor] * len(comparison_levels)
    weighed = level_weights(weigh_unestimated_levels(settings))
    out = []
    for w, level, floor, ceiling, u_floor_here, after in zip(
        level_weights(settings), levels, floors, ceilings, u_floors, weighed, strict=True
    ):
        m, u = _estimate(level, "m_probability"), _estimate(level, "u_probability")
        if (
            (m is not None and not floor * (1 - 1e-9) <= m <= ceiling * (1 + 1e-9))
            or (u is not None and u < u_floor_here * (1 - 1e-9))
            or (w.m_probability is None and after.m_probability is not None)
        ):
            out.append(w)
    return out
