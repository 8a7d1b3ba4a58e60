"""Blocking rules that cost much and find little are dropped after training.

A rule's cost is the comparisons that it alone generates (no other kept rule
would); its yield is the matches that it alone finds. Both are measured on a
sample of the records: every candidate pair the kept rules generate is listed
with the rules that generate it, and scored with the trained model. Rules are
then dropped greedily, the most comparisons saved per match lost first, while
together they lose at most MAX_RECALL_LOSS of the sample's matches and each
saves at least MIN_COMPARISON_SHARE of its comparisons.

On 1M generated records, the typo-tolerant rule (same house numbers and the
first letter of the given name) made 40% of all comparisons and found 99 of
763,742 true pairs that no other rule found: it is the kind of rule this drops.
Which rules those are depends on the data, so it is measured on the user's own.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import polars as pl

from resolution.linking import linked_pairs
from resolution.model import ModelDesign

SAMPLE_RECORDS = 200_000
"""Records the yields are measured on (all of them below this)."""

MIN_SAMPLE_MATCHES = 1_000
"""Below this many matches in the sample, a rule's lone finds are too few to
count on: nothing is dropped."""

MAX_RECALL_LOSS = 0.001
"""Share of the sample's matches that all dropped rules together may lose
(the default of `nayose.yaml`'s `matching.blocking_recall_budget`)."""

MIN_COMPARISON_SHARE = 0.10
"""A rule is worth dropping only when it alone generates at least this share
of all comparisons."""


@dataclass(frozen=True)
class RuleYield:
    """One blocking rule on the sample: the comparisons and matches no other
    kept rule generates, and whether it was dropped."""

    columns: tuple[str, ...]
    only_comparisons: int
    only_matches: int
    dropped: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": list(self.columns),
            "only_comparisons": self.only_comparisons,
            "only_matches": self.only_matches,
            "dropped": self.dropped,
        }


@dataclass(frozen=True)
class BlockingYield:
    """The yield measurement: sample size, its comparisons and matches, and per rule."""

    sample_records: int
    comparisons: int
    matches: int
    rules: tuple[RuleYield, ...]

    @property
    def kept_rules(self) -> tuple[tuple[str, ...], ...]:
        return tuple(r.columns for r in self.rules if not r.dropped)

    @property
    def dropped_rules(self) -> tuple[RuleYield, ...]:
        return tuple(r for r in self.rules if r.dropped)

    def as_dict(self) -> dict[str, Any]:
        return {
            "sample_records": self.sample_records,
            "comparisons": self.comparisons,
            "matches": self.matches,
            "rules": [r.as_dict() for r in self.rules],
        }


def candidate_pairs(records: pl.DataFrame, rules: tuple[tuple[str, ...], ...]) -> pl.DataFrame:
    """Every pair some rule generates (Splink's semantics: all the rule's
    columns equal and present), as record_key_l < record_key_r with `rules`, a
    bit mask of the rules (bit i for rule i) that generate it."""
    frames = []
    for index, rule in enumerate(rules):
        side = records.select("record_key", *rule).drop_nulls(list(rule))
        frames.append(
            side.join(side, on=list(rule), suffix="_r")
            .filter(pl.col("record_key") < pl.col("record_key_r"))
            .select(
                record_key_l="record_key",
                record_key_r="record_key_r",
                rules=pl.lit(1 << index, dtype=pl.Int64),
            )
        )
    if not frames:
        return pl.DataFrame(schema={"record_key_l": pl.Utf8, "record_key_r": pl.Utf8, "rules": pl.Int64})
    return pl.concat(frames).group_by("record_key_l", "record_key_r").agg(pl.col("rules").sum())


def choose_rules_to_drop(
    pairs: pl.DataFrame,
    rule_count: int,
    *,
    max_recall_loss: float = MAX_RECALL_LOSS,
    min_comparison_share: float = MIN_COMPARISON_SHARE,
    min_matches: int = MIN_SAMPLE_MATCHES,
) -> tuple[set[int], list[tuple[int, int]]]:
    """Greedy choice over `pairs` (`rules` bit mask, `is_match`). Returns the
    dropped rule indexes and, per rule, (comparisons, matches) that it alone
    generates among the rules finally kept (dropped rules: among those kept
    when it was dropped)."""
    total = pairs.height
    matches = int(pairs["is_match"].sum()) if total else 0
    kept = set(range(rule_count))
    dropped: set[int] = set()
    alone: dict[int, tuple[int, int]] = {}
    lost = 0

    def lone_counts(kept_rules: set[int]) -> dict[int, tuple[int, int]]:
        mask = sum(1 << i for i in kept_rules)
        restricted = pairs.select(lone=pl.col("rules") & mask, is_match="is_match")
        counts = restricted.group_by("lone").agg(pl.len().alias("n"), pl.col("is_match").sum().alias("m"))
        by_mask = {int(row[0]): (int(row[1]), int(row[2])) for row in counts.iter_rows()}
        return {i: by_mask.get(1 << i, (0, 0)) for i in kept_rules}

    while matches >= min_matches and len(kept) > 1:
        current = lone_counts(kept)
        eligible = [
            (comparisons / (found + 1), i)
            for i, (comparisons, found) in current.items()
            if comparisons >= min_comparison_share * total and lost + found <= max_recall_loss * matches
        ]
        if not eligible:
            break
        _, victim = max(eligible)
        alone[victim] = current[victim]
        lost += current[victim][1]
        kept.discard(victim)
        dropped.add(victim)
    alone.update(lone_counts(kept))
    return dropped, [alone[i] for i in range(rule_count)]


def measure_blocking_yield(
    db_api: Any,
    records: pl.DataFrame,
    settings: dict[str, Any],
    rules: tuple[tuple[str, ...], ...],
    *,
    link_threshold: float,
    sample_records: int = SAMPLE_RECORDS,
    min_matches: int = MIN_SAMPLE_MATCHES,
    min_comparison_share: float = MIN_COMPARISON_SHARE,
    max_recall_loss: float = MAX_RECALL_LOSS,
) -> BlockingYield:
    """Measure each of `rules` (the trained model's, in `settings`' order) on a
    sample of `records` and choose those to drop. A pair is a match when the
    trained model scores it at or above `link_threshold`; the thresholds of the
    choice are `choose_rules_to_drop`'s."""
    sample = records.sample(sample_records, seed=0) if records.height > sample_records else records
    pairs = candidate_pairs(sample, rules)
    if pairs.height:
        linked = linked_pairs(db_api, sample, settings, link_threshold=link_threshold).with_columns(
            is_match=pl.lit(True)
        )
        pairs = pairs.join(linked, on=["record_key_l", "record_key_r"], how="left").with_columns(
            pl.col("is_match").fill_null(False)
        )
    else:
        pairs = pairs.with_columns(is_match=pl.lit(False))
    dropped, alone = choose_rules_to_drop(
        pairs,
        len(rules),
        max_recall_loss=max_recall_loss,
        min_comparison_share=min_comparison_share,
        min_matches=min_matches,
    )
    return BlockingYield(
        sample_records=sample.height,
        comparisons=pairs.height,
        matches=int(pairs["is_match"].sum()) if pairs.height else 0,
        rules=tuple(
            RuleYield(rule, comparisons, found, index in dropped)
            for index, (rule, (comparisons, found)) in enumerate(zip(rules, alone))
        ),
    )


def without_rules(
    settings: dict[str, Any],
    rules: tuple[tuple[str, ...], ...],
    kept: tuple[tuple[str, ...], ...],
) -> dict[str, Any]:
    """Trained Splink settings whose prediction blocking rules (one per entry
    of `rules`, in order) keep only those in `kept`."""
    current = settings["blocking_rules_to_generate_predictions"]
    if len(current) != len(rules):
        raise ValueError(f"the settings hold {len(current)} blocking rules, not the {len(rules)} measured")
    keep = set(kept)
    return settings | {"blocking_rules_to_generate_predictions": [r for r, cols in zip(current, rules) if cols in keep]}


def prune_blocking_rules(
    db_api: Any,
    records: pl.DataFrame,
    settings: dict[str, Any],
    design: ModelDesign,
    *,
    link_threshold: float,
    max_recall_loss: float = MAX_RECALL_LOSS,
) -> tuple[dict[str, Any], ModelDesign, BlockingYield]:
    """The trained `settings` and `design` without the rules that cost much and
    find little on `records` (`measure_blocking_yield`, losing at most
    `max_recall_loss` of the sample's matches), and the measurement."""
    measured = measure_blocking_yield(
        db_api, records, settings, design.blocking_rules, link_threshold=link_threshold, max_recall_loss=max_recall_loss
    )
    if not measured.dropped_rules:
        return settings, design, measured
    kept = measured.kept_rules
    return without_rules(settings, design.blocking_rules, kept), design_without_rules(design, kept), measured


def design_without_rules(design: ModelDesign, kept: tuple[tuple[str, ...], ...]) -> ModelDesign:
    """`design` predicting with the `kept` rules only; its blocking analysis
    marks each other rule it had kept as dropped for its yield."""
    counts = tuple(
        replace(c, kept=False, dropped_for="yield") if c.kept and c.columns not in kept else c
        for c in design.blocking_counts
    )
    return replace(design, blocking_rules=kept, blocking_counts=counts)
