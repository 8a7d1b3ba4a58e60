"""Family members are not one customer, and neither are neighbours.

People of one household share what a match model weighs most after the name:
the family name, the address with its postal code and city, the landline,
sometimes an email. Counted as independent evidence those outweigh a
different given name and a different birth date, and a mother and daughter
are linked. A pair whose given names and birth dates *both* disagree outright
(each comparison's lowest level, "all other comparisons": neither a typo, a
reading, a swap nor a near date) is two people, whatever else they share: it
is never linked and not offered for review.

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

PAIR_RULES = "household+identifier/1"
"""The version of the rules here, recorded with every run: pairs kept from a
night scored under other rules were never filtered by these, so the next
night scores every pair again (once). Change it when a rule changes."""

PERSON_COMPARISONS = ("given_name", "birth_date")
"""The comparisons whose joint disagreement tells two people of one household apart."""

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


def without_household_pairs(pairs: pl.DataFrame, settings: dict[str, Any]) -> pl.DataFrame:
    """`pairs` (scored with `scoring_settings(settings)`) without those whose
    given names and birth dates are both at their else level, without those
    where no identifier comparison (`IDENTIFIER_COMPARISONS`) has a positive
    match weight, and without Splink's intermediate columns. A model without
    given name or birth date (or whose else level cannot be told apart) keeps
    the first kind; one without any identifier comparison keeps the second."""
    by_name = {c.get("output_column_name"): c for c in settings.get("comparisons", [])}
    weights = {name: _else_weight(by_name[name]) if name in by_name else None for name in PERSON_COMPARISONS}
    columns = [f"mw_{name}" for name in PERSON_COMPARISONS]
    if pairs.height and None not in weights.values() and set(columns) <= set(pairs.columns):
        at_else = [(pl.col(f"mw_{name}") - weight).abs() < 1e-9 for name, weight in weights.items()]
        pairs = pairs.filter(~pl.all_horizontal(at_else).fill_null(False))
    identifiers = [f"mw_{name}" for name in IDENTIFIER_COMPARISONS if f"mw_{name}" in pairs.columns]
    if pairs.height and identifiers:
        pairs = pairs.filter(pl.any_horizontal(pl.col(c).fill_null(0.0) > 0 for c in identifiers))
    return pairs.select(pl.exclude(_INTERMEDIATE))
