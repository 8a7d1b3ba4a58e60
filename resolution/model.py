"""The Splink model: derived from the fields present, trained once, saved as
versioned JSON, reused by later runs.

The user writes no Splink settings; `nayose.yaml`'s `matching` section may
override blocking rules and comparisons.

Below MIN_TRAINING_RECORDS records nothing can be estimated, and the model
is the built-in one (`built_in_settings`): weights nayose sets, not learned,
until a night's base is large enough to train on.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl
from splink import SettingsCreator, block_on
from splink.internals.comparison_creator import ComparisonCreator

from nayose_config import MatchingConfig
from resolution.comparisons import (
    COMPARISON_LEVEL_CHANGES,
    COMPARISON_LEVELS_VERSION,
    NATIONAL_ID_OTHER_BITS,
    NATIONAL_ID_SAME_BITS,
    OTHER_MIDDLE_NAMES,
    AddressComparison,
    BirthDateComparison,
    CityComparison,
    EmailComparison,
    GenderComparison,
    NationalIdComparison,
    PersonNamePartComparison,
    PhoneComparison,
    PostalCodeComparison,
)
from resolution.probability_floor import floor_m_u_probabilities

log = logging.getLogger(__name__)

MODEL_FORMAT_VERSION = 1

# (comparison, the column whose presence it needs)
_COMPARISON_CANDIDATES: tuple[tuple[str, str], ...] = (
    ("family_name", "mk_family"),
    ("given_name", "mk_given"),
    ("birth_date", "mk_birth_date"),
    ("email", "std_email"),
    ("phone", "std_phone"),
    ("postal_code", "std_postal_code"),
    ("city", "mk_city"),
    ("address", "mk_address"),
    ("gender", "std_gender"),
    ("national_id", "std_national_id"),
)

# Blocking rules, each a tuple of columns that must be equal. Ordered from the
# most selective; a rule is used when all its columns are populated enough and
# its comparison count stays within budget (`check_blocking_rules`). Together
# they let a true pair through when any one of name, birth date and address
# survives intact next to one other field: a typo or swap in any single field
# does not lose the pair.
# A name in hanzi or Hangul has no romanized key (`mk_*_roman` is null): it
# meets its Latin spelling (`Seo-jun`, `Cheung`), and another export's hanzi,
# only on the folded Chinese or Korean key (`mk_*_cjk`), so each rule on a
# romanized name has its CJK twin. Without them such a pair was compared only
# when a rule on other fields alone brought it (email, phone, birth date and
# postal code), and those alone are the rules a large base drops first. The
# family name alone is a weak key (Kim, Lee, Wang are a fifth of a
# population): it is paired with the birth date only.
_BLOCKING_CANDIDATES: tuple[tuple[str, ...], ...] = (
    ("std_national_id",),
    ("std_email",),
    ("std_phone",),
    ("mk_birth_date", "mk_given_roman"),
    ("mk_birth_date", "mk_family_roman"),
    ("mk_birth_date", "mk_given_cjk"),
    ("mk_birth_date", "mk_family_cjk"),
    ("mk_name_pair",),
    ("mk_family_cjk", "mk_given_cjk"),
    ("std_postal_code", "mk_given_roman"),
    ("std_postal_code", "mk_family_roman"),
    ("std_postal_code", "mk_given_cjk"),
    ("mk_birth_date", "std_postal_code"),
    ("mk_birth_date", "mk_city"),
    ("mk_address", "mk_given_roman"),
    ("mk_address", "mk_family_roman"),
    ("mk_address", "mk_birth_date"),
    # Typo-tolerant: only the start of a value, or one field alone.
    ("mk_family_start", "mk_given_start"),
    ("mk_address_start",),
    ("mk_birth_date",),
    ("std_postal_code",),
    ("mk_prefecture", "mk_family_start"),
    ("mk_address_numbers", "mk_given_start"),
)

# Rules for the prior (records that are almost surely the same person).
_DETERMINISTIC_CANDIDATES: tuple[tuple[str, ...], ...] = (
    ("std_email", "mk_birth_date"),
    ("std_phone", "mk_birth_date"),
    ("mk_family", "mk_given", "mk_birth_date"),
)

# EM sessions: each fixes what it blocks on, so together they train every comparison.
# Each session takes the first of its alternatives whose columns are filled. Names block
# on their romanized spelling first: a kanji record and its romaji twin from another
# source agree there and nowhere else, and where duplicates exist only across scripts,
# blocking on the written name finds only namesakes (EM then learns that half of all
# matches have unrelated birth dates, emails and phones).
_TRAINING_BLOCKS: tuple[tuple[tuple[str, ...], ...], ...] = (
    (("mk_birth_date",),),
    (("mk_family_roman", "mk_given_roman"), ("mk_family", "mk_given")),
    (("std_email",),),
)

COMPARISONS_PER_RECORD_PER_RULE = 2
"""A blocking rule adding more than this many comparisons per record (and
more than 1M in all) is dropped: it would dominate the run's cost. On 1M
sample records the postal-code-only rule adds ~6 per record, more than all
other rules together, and finds almost no pair they miss."""

COMPARISONS_PER_RECORD = 8
"""Budget for all blocking rules together (at least 4M); later rules that
would exceed it are dropped. Scoring costs ~20-40 µs per comparison on two
cores, so 8 per record keeps a 1M-record night within a few minutes."""

BLOCKING_ANALYSIS_RECORDS = 100_000
"""Blocking rules are counted exactly up to this many records and on a sample
of this many above (counts scale back up): at 300k records counting on 200k
took a third of training."""

MIN_FILL_RATE = 0.02
"""A column filled in fewer than 2% of records is treated as absent."""

MIN_TRAINING_RECORDS = 1_000
"""Below this many records in the base no model is estimated: the run links
with the built-in model (`built_in_settings`) and says so, and the first
night whose base holds this many trains one. Every estimate needs more than
a first delivery of a handful of records holds: u is counted on random pairs
of records, which among a few records are the duplicates themselves as often
as not (5 records with one duplicate: 1 of the 10 pairs shares an email, so
a shared email looks commonplace and weighs little); EM learns m from the
pairs a blocking rule finds, and a few dozen records give a rule none or a
handful (Splink asks for hundreds); the deterministic count of the prior
divides by the pairs (none for one record) and refuses two duplicates (more
matches than its recall allows); term frequencies of a few records make every
shared value look common. A thousand records give half a million random
pairs for u and, at usual duplicate rates, hundreds of pairs per EM session."""

BUILT_IN_WEIGHTS: dict[str, tuple[float, float]] = {
    "family_name": (8.0, -7.0),
    "given_name": (8.0, -8.0),
    "birth_date": (12.0, -10.0),
    "email": (14.0, -4.0),
    "phone": (12.0, -4.0),
    "postal_code": (6.0, -2.0),
    "city": (3.0, -1.0),
    "address": (8.0, -2.0),
    "gender": (1.0, -3.0),
    "national_id": (NATIONAL_ID_SAME_BITS, NATIONAL_ID_OTHER_BITS),  # as the trained model: set, not learned
}
"""The built-in model's weights in bits, per comparison: (its first level,
exact agreement; its last, 'all other comparisons'). Levels between weigh
from half the first's weight down to 0 by rank (`built_in_level_weights`).
Set by what a value tells about a person, not learned: a shared email or
phone identifies, a birth date nearly does, a name part is shared by
namesakes, a city or gender by many; a birth date or a given name that
differs speaks strongly against, an email or phone that differs weakly
(people have several), a place weakly (people move). With the
prior of BUILT_IN_PROBABILITY_TWO_RANDOM_RECORDS_MATCH (-13.3 bits) a pair is
linked at p >= 0.9 from 16.5 bits: the same name and birth date (28), name
and email (30), name and phone (28) link; a name alone (16), or an email
alone (14), goes to review; namesakes whose birth dates differ do not."""

SPLINK_DEFAULT_WEIGHTS = (10.0, -5.0)
"""The weights of a comparison BUILT_IN_WEIGHTS does not name (one of
`matching.comparisons`): Splink's default m and u make its exact level
weigh +10 bits and its lowest -5."""

BUILT_IN_PROBABILITY_TWO_RANDOM_RECORDS_MATCH = 1e-4
"""The built-in model's prior, Splink's default: fixed, since the model is
kept while the base grows towards MIN_TRAINING_RECORDS."""

BUILT_IN_BETWEEN_M = 0.01
"""The m of each level between a comparison's first and last in the built-in
model (its u then follows from the level's weight); only the weights, the
ratios m/u, matter for scoring."""


def _comparison(name: str) -> ComparisonCreator:
    return {
        "family_name": lambda: PersonNamePartComparison("family"),
        "given_name": lambda: PersonNamePartComparison("given"),
        "birth_date": BirthDateComparison,
        "email": EmailComparison,
        "phone": PhoneComparison,
        "postal_code": PostalCodeComparison,
        "city": CityComparison,
        "address": AddressComparison,
        "gender": GenderComparison,
        "national_id": NationalIdComparison,
    }[name]()


def populated_columns(records: pl.DataFrame, columns: list[str]) -> set[str]:
    """Columns of `columns` present in `records` and filled in at least MIN_FILL_RATE of rows."""
    present = [c for c in columns if c in records.columns]
    if not present or records.height == 0:
        return set()
    fill = records.select([pl.col(c).is_not_null().mean().alias(c) for c in present]).row(0, named=True)
    return {c for c, rate in fill.items() if rate is not None and rate >= MIN_FILL_RATE}


@dataclass(frozen=True)
class BlockingRuleCount:
    """Splink's blocking analysis of one candidate rule: the comparisons it
    adds beyond the rules before it, whether the model predicts with it, and
    if not, what dropped it: `"comparisons"` (too many, `check_blocking_rules`)
    or `"yield"` (too few matches for its cost, measured after training:
    `resolution.blocking_yield`)."""

    columns: tuple[str, ...]
    marginal_comparisons: int
    kept: bool
    dropped_for: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": list(self.columns),
            "marginal_comparisons": self.marginal_comparisons,
            "kept": self.kept,
            "dropped_for": self.dropped_for,
        }


@dataclass(frozen=True)
class ModelDesign:
    """What the model compares and blocks on, derived from the data."""

    comparisons: tuple[str, ...]
    blocking_rules: tuple[tuple[str, ...], ...]
    deterministic_rules: tuple[tuple[str, ...], ...]
    training_blocks: tuple[tuple[str, ...], ...]
    blocking_counts: tuple[BlockingRuleCount, ...] = ()
    candidate_rules: tuple[tuple[str, ...], ...] = ()

    @property
    def fingerprint(self) -> str:
        """What the model depends on: comparisons and the candidate blocking
        rules (before counting), so a nightly run can compare it with the
        saved model's without counting comparisons again."""
        rules = self.candidate_rules or self.blocking_rules
        text = json.dumps([self.comparisons, rules], ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def design_model(records: pl.DataFrame, *, check_counts: bool = True) -> ModelDesign:
    """Choose comparisons and rules from the columns the records actually fill.

    With `check_counts` (default), candidate blocking rules are counted with
    Splink's blocking analysis and those that would explode are dropped
    (`check_blocking_rules`): done when training; a nightly run with a saved
    model needs only the fingerprint (`check_counts=False`), and the kept rules
    and counts are in the saved model. Refuses (ValueError) data with fewer than two
    comparable fields: no model can tell people apart from one attribute; and
    an empty base, whose fields are all unfilled for want of records, not of
    a mapping."""
    if records.height == 0:
        raise ValueError(
            "the base holds no records, so there is nothing to link: every row of the exports was quarantined "
            "or they hold none"
        )
    all_cols = sorted({c for _, c in _COMPARISON_CANDIDATES} | {c for r in _BLOCKING_CANDIDATES for c in r})
    filled = populated_columns(records, all_cols)
    comparisons = tuple(name for name, col in _COMPARISON_CANDIDATES if col in filled)
    if len(comparisons) < 2:
        raise ValueError(
            f"only {len(comparisons)} comparable field(s) are populated ({', '.join(comparisons) or 'none'}); "
            "map at least two of name, birth_date, email, phone, postal_code, address"
        )

    def usable(rules: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], ...]:
        return tuple(r for r in rules if all(c in filled for c in r))

    candidates = usable(_BLOCKING_CANDIDATES)
    if not candidates:
        raise ValueError("no blocking rule can be derived: map a name, email, phone or birth date")
    blocking, counts = candidates, ()
    if check_counts:
        counts = check_blocking_rules(records, candidates)
        blocking = tuple(c.columns for c in counts if c.kept)
    return ModelDesign(
        comparisons=comparisons,
        blocking_rules=blocking,
        deterministic_rules=usable(_DETERMINISTIC_CANDIDATES) or blocking[:1],
        training_blocks=tuple(usable(alternatives)[0] for alternatives in _TRAINING_BLOCKS if usable(alternatives))
        or blocking[:2],
        blocking_counts=counts,
        candidate_rules=candidates,
    )


def check_blocking_rules(records: pl.DataFrame, rules: tuple[tuple[str, ...], ...]) -> tuple[BlockingRuleCount, ...]:
    """Count the comparisons each rule adds (Splink's blocking analysis, exact
    up to BLOCKING_ANALYSIS_RECORDS, sampled above) and keep a rule only when it adds at most
    COMPARISONS_PER_RECORD_PER_RULE per record and the running total stays
    within COMPARISONS_PER_RECORD per record. The first rule is always kept."""
    from splink.blocking_analysis import count_comparisons_from_blocking_rules

    from resolution.linking import make_duckdb_api, splink_input

    n = max(records.height, 1)
    db_api = make_duckdb_api()
    sdf = db_api.register(splink_input(records), dataset_display_name="blocking_analysis")
    analysed = count_comparisons_from_blocking_rules(
        sdf,
        blocking_rules=[block_on(*r) for r in rules],
        link_type="dedupe_only",
        unique_id_column_name="record_key",
        record_sample_proportion=min(1.0, BLOCKING_ANALYSIS_RECORDS / n),
    )
    per_rule_cap = max(1_000_000, COMPARISONS_PER_RECORD_PER_RULE * n)
    total_cap = max(4_000_000, COMPARISONS_PER_RECORD * n)
    kept_total, out = 0, []
    for index, (rule, record) in enumerate(zip(rules, analysed)):
        marginal = int(record["marginal_comparison_count"])
        keep = index == 0 or (marginal <= per_rule_cap and kept_total + marginal <= total_cap)
        if keep:
            kept_total += marginal
        else:
            log.warning("blocking rule %s dropped: it adds %d comparisons", " & ".join(rule), marginal)
        out.append(BlockingRuleCount(rule, marginal, keep, None if keep else "comparisons"))
    return tuple(out)


def build_settings(design: ModelDesign, matching: MatchingConfig) -> SettingsCreator:
    """Splink settings for the design, with `nayose.yaml` overrides applied."""
    comparisons: list[Any] = []
    for name in design.comparisons:
        override = (matching.comparisons or {}).get(name)
        comparisons.append(override if override is not None else _comparison(name))
    blocking = (
        list(matching.blocking_rules)
        if matching.blocking_rules
        else [block_on(*cols) for cols in design.blocking_rules]
    )
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="record_key",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=blocking,
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
        additional_columns_to_retain=["source_system"],
    )


def too_few_to_train(records: int) -> bool:
    """Whether a base of `records` records is too small to estimate a model on (MIN_TRAINING_RECORDS)."""
    return records < MIN_TRAINING_RECORDS


def built_in_level_weights(first: float, last: float, levels: int) -> list[float]:
    """The weights of a comparison's `levels` non-null levels, strongest
    first, in the built-in model: `first`, then the levels between by rank
    from half of `first` down to 0 (one level between: half), then `last`.
    A level between is weaker evidence than the one above it (Splink takes a
    pair's first level that holds); without data to say how much, its rank
    is all there is, and a near agreement (a typo, a reading, the same year)
    weighs at most half of an exact one: it makes a pair of namesakes no
    closer to a link than their name does."""
    if levels < 2:
        return [0.0] * levels
    k = levels - 2
    between = [first / 2] if k == 1 else [first / 2 * (k - 1 - i) / (k - 1) for i in range(k)]
    return [first, *between, last]


def built_in_level_probabilities(weights: list[float]) -> list[tuple[float, float]]:
    """(m, u) per level such that each level weighs `weights[i]` bits
    (log2(m/u)) and m and u each sum to 1: the levels between get m =
    BUILT_IN_BETWEEN_M, the first and last share what remains. Needs the
    first weight above the last (ValueError); one level alone is (1, 1)."""
    if len(weights) < 2:
        return [(1.0, 1.0)] * len(weights)
    first, last = 2.0 ** weights[0], 2.0 ** weights[-1]
    if not first > last:
        raise ValueError(f"a comparison's first level must weigh more than its last ({weights[0]} <= {weights[-1]} bits)")
    between = [(BUILT_IN_BETWEEN_M, BUILT_IN_BETWEEN_M / 2.0 ** w) for w in weights[1:-1]]
    m_rest = 1.0 - sum(m for m, _ in between)
    u_rest = 1.0 - sum(u for _, u in between)
    # m_first + m_last = m_rest, u_first + u_last = u_rest, m_first = first * u_first, m_last = last * u_last
    u_first = (m_rest - last * u_rest) / (first - last)
    if not (0 < u_first < u_rest and m_rest > 0):
        raise ValueError(f"no probabilities give a comparison the weights {weights}")
    return [(first * u_first, u_first)] + between + [(m_rest - first * u_first, u_rest - u_first)]


_TERM_FREQUENCY_KEYS = ("tf_adjustment_column", "tf_adjustment_weight", "tf_minimum_u_value")


def built_in_settings(settings: SettingsCreator) -> dict[str, Any]:
    """Splink settings (a dict, as training returns them) for `settings`'
    comparisons and blocking rules with the built-in weights instead of
    estimated ones: each comparison's levels weigh BUILT_IN_WEIGHTS
    (`built_in_level_weights`; SPLINK_DEFAULT_WEIGHTS for a comparison it
    does not name), the prior is BUILT_IN_PROBABILITY_TWO_RANDOM_RECORDS_MATCH,
    and no level adjusts for term frequencies: the frequencies of the few
    records a built-in model serves say nothing of how common a name or a
    value is (a name two records of five share would count as one in 2.5)."""
    out = settings.get_settings("duckdb").as_dict()
    out["probability_two_random_records_match"] = BUILT_IN_PROBABILITY_TWO_RANDOM_RECORDS_MATCH
    for comparison in out["comparisons"]:
        levels = [level for level in comparison["comparison_levels"] if not level.get("is_null_level")]
        # a level placed before the exact one only to refine it is ranked after it (the exact level weighs `first`)
        refining = [level for level in levels[:1] if level.get("label_for_charts") == OTHER_MIDDLE_NAMES]
        levels = [*levels[len(refining) : len(refining) + 1], *refining, *levels[len(refining) + 1 :]]
        first, last = BUILT_IN_WEIGHTS.get(comparison.get("output_column_name"), SPLINK_DEFAULT_WEIGHTS)
        weights = built_in_level_weights(first, last, len(levels))
        for level, (m, u) in zip(levels, built_in_level_probabilities(weights)):
            level["m_probability"], level["u_probability"] = m, u
        for level in comparison["comparison_levels"]:
            for key in _TERM_FREQUENCY_KEYS:
                level.pop(key, None)
    return out


def is_built_in(meta: dict[str, Any]) -> bool:
    """Whether a saved model (its `meta`) is the built-in one, not trained."""
    return bool(meta.get("built_in"))


@dataclass(frozen=True)
class SavedModel:
    """A trained model on disk: Splink settings JSON plus what it was trained on."""

    path: Path
    settings: dict[str, Any]
    meta: dict[str, Any]


def data_fingerprint(records: pl.DataFrame) -> str:
    """A fingerprint of the training data's shape (row count and filled columns), not of its values."""
    filled = sorted(populated_columns(records, records.columns))
    return hashlib.sha256(json.dumps([records.height, filled]).encode()).hexdigest()[:16]


def save_model(
    models_dir: Path,
    settings: dict[str, Any],
    design: ModelDesign,
    records: pl.DataFrame,
    *,
    blocking_recall: dict[str, Any] | None = None,
    blocking_yield: dict[str, Any] | None = None,
    built_in: bool = False,
) -> SavedModel:
    """Write `model_v{N}.json` (N one above the latest) and return it. Its m
    and u probabilities are floored and normalised per comparison
    (`floor_m_u_probabilities`, as `train_model` returns them already): a
    saved model holds no 0 and no absurd weight, and a level training never
    saw weighs no more than the trained level above it nor less than the
    strongest below. `built_in`: the settings
    are `built_in_settings`, not estimated on `records` (`is_built_in`)."""
    settings = floor_m_u_probabilities(settings)
    models_dir.mkdir(parents=True, exist_ok=True)
    version = max((_version_of(p) for p in models_dir.glob("model_v*.json")), default=0) + 1
    meta = {
        "format_version": MODEL_FORMAT_VERSION,
        "model_version": version,
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "comparisons": list(design.comparisons),
        "blocking_rules": [list(r) for r in design.blocking_rules],
        "blocking_analysis": [c.as_dict() for c in design.blocking_counts],
        "blocking_recall": blocking_recall,
        "blocking_yield": blocking_yield,
        "design_fingerprint": design.fingerprint,
        "comparison_levels_version": COMPARISON_LEVELS_VERSION,
        "data_fingerprint": data_fingerprint(records),
        "records_trained_on": records.height,
        "built_in": built_in,
    }
    path = models_dir / f"model_v{version}.json"
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps({"nayose": meta, "splink_settings": settings}, ensure_ascii=False, indent=1))
    tmp.replace(path)
    return SavedModel(path=path, settings=settings, meta=meta)


def _version_of(path: Path) -> int:
    try:
        return int(path.stem.removeprefix("model_v"))
    except ValueError:
        return 0


def levels_outdated(meta: dict[str, Any]) -> list[str]:
    """What changed in the comparison levels (`COMPARISON_LEVEL_CHANGES`)
    since a saved model (its `meta`) was trained; empty when it is current.
    Models saved before the version was recorded count as version 1."""
    trained_with = int(meta.get("comparison_levels_version", 1))
    return [change for version, change in sorted(COMPARISON_LEVEL_CHANGES.items()) if version > trained_with]


def latest_model(models_dir: Path) -> SavedModel | None:
    """The highest-versioned saved model, or None."""
    paths = sorted(models_dir.glob("model_v*.json"), key=_version_of)
    if not paths:
        return None
    doc = json.loads(paths[-1].read_text())
    return SavedModel(path=paths[-1], settings=doc["splink_settings"], meta=doc["nayose"])
