"""Family members are not one customer, and neither are neighbours.

People of one household share what a match model weighs most after the name:
the family name, the address with its postal code and city, the landline,
sometimes an email. Counted as independent evidence those outweigh a
different given name and a different birth date, and a mother and daughter
are linked. A pair whose given names and birth dates *both* disagree outright
(each comparison's lowest level, "all other comparisons": neither a typo, a
reading, a swap nor a near date) is two people, whatever else they share: it
is never linked and not offered for review. So is a pair whose family names
and birth dates both disagree outright: neighbours who share a given name
(two Justins of one street), where one person who changed her family name
on marrying keeps her birth date. And a pair whose family names disagree
outright needs a birth date, email or phone weighing for it: with only the
given name about the person (the other record has no birth date), the place
makes the score.

Likewise a pair that agrees on nothing about the person - no name, birth
date, email or phone weighs for it (each is missing on one side or
disagrees) - rests on the place alone: a postal code that names one office
tower and a street in it make a strong score for two people who merely share
a building. It is never linked and not offered for review either.
"""

from __future__ import annotations

import math
from typing import Any

import polars as pl

PAIR_RULES = "household+identifier/2"
"""The version of the rules here, recorded with every run: pairs kept from a
night scored under other rules were never filtered by these, so the next
night scores every pair again (once). Change it when a rule changes."""

PERSON_COMPARISONS = (("given_name", "birth_date"), ("family_name", "birth_date"))
"""Comparisons whose joint outright disagreement tells two people apart who
share a home or a street (each pair of comparisons on its own)."""

OTHER_FAMILY_EVIDENCE = ("birth_date", "email", "phone")
"""When the family names disagree outright, one of these must weigh for a
link: a shared given name beside a shared street or town is two neighbours."""

IDENTIFIER_COMPARISONS = ("family_name", "given_name", "birth_date", "email", "phone")
"""The comparisons about the person rather than the place: one of them must weigh for a link."""

_INTERMEDIATE = r"^(mw|mw_tf_adj|tf|gamma|bf)_.*$"
"""Splink's per-comparison columns of a prediction (match weights, term frequencies)."""


def scoring_settings(settings: dict[str, Any]) -> dict[str, Any]:
    """`settings` (a saved model's) for scoring: Splink keeps each
    comparison's match weight (`mw_<comparison>`), which tells its level."""
    return {**settings, "retain_intermediate_calculation_columns": True}


def _else_weight(comparison: dict[str, Any]) -> float | None:
    """The match weight of the comparison's else level, when no other level has
    the same weight (else the level cannot be told from the weight)."""
    levels = [lv for lv in comparison.get("comparison_levels", []) if not lv.get("is_null_level")]
    weights = []
    for level in levels:
        m, u = level.get("m_probability"), level.get("u_probability")
        weights.append(math.log2(m / u) if m and u else None)
    if not levels or str(levels[-1].get("sql_condition", "")).strip().upper() != "ELSE" or weights[-1] is None:
        return None
    if any(w is not None and abs(w - weights[-1]) < 1e-9 for w in weights[:-1]):
        return None
    return weights[-1]


def _at_else_level(name: str, by_name: dict[str, dict[str, Any]], columns: list[str]) -> pl.Expr | None:
    """True where a pair's comparison `name` is at its else level (told by its
    match weight `mw_<name>`); None when the model lacks the comparison, its
    else level cannot be told from its weight, or the pairs lack the weight."""
    weight = _else_weight(by_name[name]) if name in by_name else None
    if weight is None or f"mw_{name}" not in columns:
        return None
    return (pl.col(f"mw_{name}") - weight).abs() < 1e-9


def without_household_pairs(pairs: pl.DataFrame, settings: dict[str, Any]) -> pl.DataFrame:
    """`pairs` (scored with `scoring_settings(settings)`) without those whose
    comparisons of one of `PERSON_COMPARISONS` (given name and birth date;
    family name and birth date) are all at their else level, without those
    where no identifier comparison (`IDENTIFIER_COMPARISONS`) has a positive
    match weight, and without Splink's intermediate columns. A model without
    one of a `PERSON_COMPARISONS` pair (or whose else level cannot be told
    apart) keeps the pairs that one would remove; one without any identifier
    comparison keeps those the second would."""
    by_name = {c.get("output_column_name"): c for c in settings.get("comparisons", [])}
    for together in PERSON_COMPARISONS:
        at_else = [_at_else_level(name, by_name, pairs.columns) for name in together]
        if pairs.height and all(level is not None for level in at_else):
            pairs = pairs.filter(~pl.all_horizontal(at_else).fill_null(False))
    family_disagrees = _at_else_level("family_name", by_name, pairs.columns)
    if pairs.height and family_disagrees is not None:
        other = [pl.col(f"mw_{name}").fill_null(0.0) > 0 for name in OTHER_FAMILY_EVIDENCE if f"mw_{name}" in pairs.columns]
        pairs = pairs.filter(~(family_disagrees & ~pl.any_horizontal(other) if other else family_disagrees).fill_null(False))
    identifiers = [f"mw_{name}" for name in IDENTIFIER_COMPARISONS if f"mw_{name}" in pairs.columns]
    if pairs.height and identifiers:
        pairs = pairs.filter(pl.any_horizontal(pl.col(c).fill_null(0.0) > 0 for c in identifiers))
    return pairs.select(pl.exclude(_INTERMEDIATE))
