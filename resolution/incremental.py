"""Incremental linking: score only what changed, re-cluster only what it touches.

A nightly partition brings a few new or changed records. Instead of scoring
the whole base again, they are scored against each other (Splink's
`predict_within`) and against the unchanged base (`predict_between`), with
term frequencies taken from the whole base. Pairs among unchanged records are
kept from the previous run. Only clusters that a new pair or a changed record
touches are clustered again; every other record keeps its golden id's cluster.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import polars as pl
from splink import Linker
from splink.internals.dialects import SplinkDialect
from sqlglot import exp

from resolution.engines import settings_for_dialect
from resolution.households import links, pairs_under_rules, scoring_settings
from resolution.linking import (
    SCAN_BATCH_ROWS,
    SPLINK_INPUT_COLUMNS,
    blocking_key_columns,
    cluster_records,
    in_batches,
    linker_over,
    linker_with_term_frequencies,
    register_base_term_frequencies,
    splink_input,
)
from resolution.row_matching import flags, rows_with_equal_keys, with_looked_up


def sharing_a_blocking_key(
    records: pl.DataFrame, changed: pl.DataFrame, rules: tuple[tuple[str, ...], ...]
) -> pl.Series:
    """One boolean per row of `records`: whether it agrees with some row of
    `changed` on every column of some rule, none of them null, i.e. whether
    blocking on `rules` can pair it with a changed record (the others need
    not reach the backend at all). Compared by 64-bit hashes of the rule's
    values: a collision can only add a record, which the backend's exact
    blocking then pairs with nothing."""
    if not rules or changed.height == 0:
        return pl.repeat(False, records.height, dtype=pl.Boolean, eager=True)
    ours, theirs = _rule_hashes(records, rules), _rule_hashes(changed, rules)
    shared = pl.any_horizontal(pl.col(r).is_in(theirs[r].drop_nulls().implode()) for r in ours.columns)
    return ours.select(shared.fill_null(False)).to_series()


_MIX = 0x9E3779B97F4A7C15  # an odd 64-bit constant: multiplying by it spreads one hash before the next is mixed in


def _rule_hashes(frame: pl.DataFrame, rules: tuple[tuple[str, ...], ...]) -> pl.DataFrame:
    """One column per rule: a 64-bit hash of the row's values in the rule's
    columns, null when one of them is null. Each column is hashed once."""
    columns = sorted({c for rule in rules for c in rule})
    hashed = frame.select(pl.when(pl.col(c).is_not_null()).then(pl.col(c).hash()).alias(c) for c in columns)
    mix = pl.lit(_MIX, dtype=pl.UInt64)

    def combined(rule: tuple[str, ...]) -> pl.Expr:
        expr = pl.col(rule[0])
        for column in rule[1:]:
            expr = (expr * mix) ^ pl.col(column)  # wraps around; a null anywhere makes it null
        return expr

    return hashed.select(combined(rule).alias(f"rule_{i}") for i, rule in enumerate(rules))


PARTNER = "nayose_partner"
"""A column of the candidates `score_changed_records` scores the changed records
against: true for an unchanged record, false for a changed one."""


def score_changed_records(
    db_api: Any, base: pl.DataFrame, changed_keys: pl.Series, settings: dict[str, Any], *, score_threshold: float
) -> pl.DataFrame:
    """Pairs involving a changed record: changed x changed and changed x unchanged,
    scored with term frequencies of the whole base. Returns polars pairs
    (record_key_l, record_key_r, match_weight, match_probability, ...,
    `households.HELD_BY`): the pairs and scores of Splink's
    `predict_within(changed)` and `predict_between(changed, unchanged)`, as
    the pair rules leave them (`households.pairs_under_rules`).

    When the blocking rules are plain equalities (`linking.blocking_key_columns`)
    only the unchanged records blocking can pair with a changed one go to the
    backend, with the base's term frequencies of their values
    (`linking.register_base_term_frequencies`): the same pairs and scores as
    handing it the whole base, at a fraction of the cost.

    Both kinds of pair come from one `predict_between(changed, candidates)`,
    the candidates being the changed records and the unchanged ones: Splink
    then builds its SQL once (building it took about as long as DuckDB took
    to score a 1% night's 20k changed records among themselves). Its blocking
    rules are the model's, each also asking that the right record be
    unchanged or come after the left (`once_per_pair`): a pair of two changed
    records is blocked once, as `predict_within` orients it, and no record
    with itself (those were a quarter of the pairs scored; with rules that
    cannot be so written, `changed_pairs_as_within` drops them after scoring).
    The inputs go to the backend in batches (`linking.SCAN_BATCH_ROWS`) so
    that it scores on all its threads."""
    scoring = scoring_settings(settings)
    base = base.select([c for c in SPLINK_INPUT_COLUMNS if c in base.columns])  # what the backend is handed
    is_changed = base.select(pl.col("record_key").is_in(changed_keys.implode())).to_series()
    changed_records = base.filter(is_changed)
    rules = blocking_key_columns(scoring)
    if rules is None:
        candidates = base
        partner = ~is_changed
    else:
        # one filter of the base: copying its unchanged rows first cost more than the scoring around it
        partners = base.filter(sharing_a_blocking_key(base, changed_records, rules) & ~is_changed)
        candidates = pl.concat([changed_records, partners])
        partner = pl.repeat(False, changed_records.height, eager=True).extend(
            pl.repeat(True, partners.height, eager=True)
        )
    candidates_table = in_batches(splink_input(candidates).append_column(PARTNER, partner.to_arrow()), SCAN_BATCH_ROWS)
    registered = db_api.register(candidates_table, dataset_display_name="candidates")
    if rules is None:
        linker: Linker = linker_with_term_frequencies(db_api, registered, scoring)
    else:
        linker = linker_over(db_api, registered, scoring)
        register_base_term_frequencies(db_api, linker, base, candidates, scoring)
    changed = db_api.register(splink_input(changed_records, batch_rows=SCAN_BATCH_ROWS), dataset_display_name="changed")
    rules_once = once_per_pair(settings_for_dialect(scoring, db_api.sql_dialect.sql_dialect_str))
    predicted = linker.inference.predict_between(
        changed,
        registered,
        blocking_rules_to_generate_predictions=rules_once,
        threshold_match_probability=score_threshold,
    )
    scored = pl.from_arrow(predicted.as_pyarrow_table())
    assert isinstance(scored, pl.DataFrame)
    return pairs_under_rules(changed_pairs_as_within(scored, changed_records["record_key"]), settings, candidates)


def once_per_pair(settings: dict[str, Any]) -> list[dict[str, Any]] | None:
    """The prediction blocking rules of `settings`, each also asking that the
    pair's right record be a partner (`PARTNER`) or its key come after the
    left's, as `predict_within` asks of a pair (DuckDB and Spark both order
    text by its bytes). A pair meets a rule so written exactly when it meets
    the rule and that condition, so that every pair kept is blocked by the
    same rule as before (its `match_key`). None when a rule explodes arrays
    (its SQL then runs over tables without the partner column)."""
    dialect = settings.get("sql_dialect") or "duckdb"
    rules = settings.get("blocking_rules_to_generate_predictions", [])
    if any(not isinstance(rule, dict) or "arrays_to_explode" in rule for rule in rules):
        return None
    glot = SplinkDialect.from_string(dialect).sqlglot_dialect

    def column(side: str, name: str) -> str:
        return exp.Column(this=exp.to_identifier(name, quoted=True), table=exp.to_identifier(side)).sql(dialect=glot)

    uid = settings.get("unique_id_column_name", "unique_id")
    also = f"({column('l', uid)} < {column('r', uid)} OR {column('r', PARTNER)})"
    return [
        {**rule, "blocking_rule": f"({rule['blocking_rule']}) AND {also}", "sql_dialect": dialect} for rule in rules
    ]


def changed_pairs_as_within(scored: pl.DataFrame, changed_keys: pl.Series) -> pl.DataFrame:
    """`scored`, pairs of a changed record (left) with any record (right), as
    `predict_within` and `predict_between` would give them: a pair of two
    changed records once, left key before right key as `predict_within`
    orients it (DuckDB and polars both order text by its UTF-8 bytes), and no
    record with itself. (What `once_per_pair`'s rules already block.)"""
    right_unchanged = ~pl.col("record_key_r").is_in(changed_keys.implode())
    return scored.filter(right_unchanged | (pl.col("record_key_l") < pl.col("record_key_r")))


@dataclass(frozen=True)
class IncrementalLink:
    pairs: pl.DataFrame  # every scored pair of the base: kept + new
    clusters: pl.DataFrame  # record_key, cluster_id for the whole base
    affected_records: int
    new_pairs: int
    changed_left: pl.Series  # record_key_l of every pair dropped or scored anew: `pairs` differs from
    # the previous pairs only in rows whose record_key_l is one of these


def link_incrementally(
    db_api: Any,
    base: pl.DataFrame,
    changed_keys: pl.Series,
    previous_pairs: pl.DataFrame,
    previous_crosswalk: pl.DataFrame,
    settings: dict[str, Any],
    *,
    score_threshold: float,
    link_threshold: float,
) -> IncrementalLink:
    """Link the changed records into the base without re-scoring the rest.

    `previous_pairs` and `previous_crosswalk` (record_key, golden_id) are the
    last published state. Records of the base absent from it count as changed."""
    # one chunk (a copy's parts come as several): the lookups below gather from it
    known = previous_crosswalk.select("record_key", "golden_id").rechunk()
    present = base.select("record_key")
    matches = rows_with_equal_keys(present, known)
    changed_keys = pl.concat(
        [changed_keys.cast(pl.Utf8), present.filter(~flags(present.height, matches["_l"]))["record_key"]]
    ).unique()
    # The backend scores on a thread (DuckDB and polars let go of the GIL) while this one sorts out
    # the previous pairs and ids (about 0.15 s of polars work beside the scoring's 1 s on the 1% night).
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="nayose-scoring") as pool:
        scoring = (
            pool.submit(score_changed_records, db_api, base, changed_keys, settings, score_threshold=score_threshold)
            if changed_keys.len()
            else None
        )
        # A previous pair is kept unless an end changed or left the base: both small sets. Its ends are
        # records of the previous crosswalk (published together, erased together).
        gone = known.filter(~flags(known.height, matches["_r"]))["record_key"]
        rescored = pl.concat([changed_keys, gone.cast(pl.Utf8)]).implode()
        is_rescored = previous_pairs.select(
            pl.col("record_key_l").is_in(rescored) | pl.col("record_key_r").is_in(rescored)
        ).to_series()
        kept_pairs = previous_pairs.filter(~is_rescored)
        dropped = previous_pairs.filter(is_rescored)
        current = with_looked_up(present, known, "golden_id", matches)  # each record with its previous id
        new_pairs = scoring.result() if scoring is not None else previous_pairs.clear()
    pairs = pl.concat([kept_pairs, new_pairs], how="diagonal_relaxed")

    # Clusters to redo: those holding a changed record, a record that lost a
    # pair, or an endpoint of a new link.
    linked_new = links(new_pairs, link_threshold)
    touched = pl.concat(
        [
            changed_keys,
            linked_new["record_key_l"],
            linked_new["record_key_r"],
            dropped["record_key_l"],
            dropped["record_key_r"],
        ]
    ).unique()
    is_touched = current.select(pl.col("record_key").is_in(touched.implode())).to_series()
    touched_ids = current.filter(is_touched & current["golden_id"].is_not_null())["golden_id"].unique()
    is_affected = is_touched | current.select(pl.col("golden_id").is_in(touched_ids.implode()).fill_null(False)).to_series()
    affected = current.filter(is_affected)["record_key"]
    affected_list = affected.implode()
    sub_pairs = pairs.filter(pl.col("record_key_l").is_in(affected_list) & pl.col("record_key_r").is_in(affected_list))
    redone = cluster_records(db_api, affected, sub_pairs, link_threshold=link_threshold) if affected.len() else None
    untouched = current.filter(~is_affected).select("record_key", cluster_id=pl.lit("g:") + pl.col("golden_id"))
    parts = [untouched]
    if redone is not None:
        parts.append(redone.with_columns(cluster_id=pl.lit("n:") + pl.col("cluster_id")))
    return IncrementalLink(
        pairs=pairs,
        clusters=pl.concat(parts),
        affected_records=affected.len(),
        new_pairs=new_pairs.height,
        changed_left=pl.concat([dropped["record_key_l"], new_pairs["record_key_l"].cast(pl.Utf8)]).unique(),
    )
