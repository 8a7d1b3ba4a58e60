"""Train, predict and cluster with Splink on a swappable backend (`db_api`).

Inputs are standardized records with match keys (`match_keys.add_match_keys`);
outputs are polars frames: scored pairs and a record -> cluster assignment.
"""

from __future__ import annotations

import logging
import math
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
from splink import Linker, SettingsCreator, block_on
from splink.clustering import cluster_pairwise_predictions_at_threshold
from splink.internals.exceptions import SplinkException
from splink.internals.splink_dataframe import SplinkDataFrame

from resolution.households import (
    linkable,
    pairs_under_rules,
    scoring_settings,
    without_household_pairs,
)
from resolution.match_keys import MATCH_KEY_COLUMNS
from resolution.model import ModelDesign
from resolution.probability_floor import (
    MIN_PROBABILITY,
    floor_em_parameter_records,
    floor_m_u_probabilities,
    level_weights,
    unestimated_levels_weighed,
)

log = logging.getLogger(__name__)

SPLINK_INPUT_COLUMNS = (
    "record_key",
    "source_system",
    "std_family_name",
    "std_given_name",
    "std_family_kana",
    "std_given_kana",
    "std_email",
    "std_email_local",
    "std_phone",
    "std_postal_code",
    "std_gender",
    "std_phone_type",  # the pair rules read these of the records scored (`households`)
    "std_name_suffix",
    "std_party",
    "std_national_id",
    "std_national_id_type",
) + MATCH_KEY_COLUMNS

EM_MAX_PAIRS = 500_000
"""Each EM session trains on about this many blocked pairs (Splink samples
records to hit it): plenty for m estimates, and a bounded cost at any size.
Splink's `record_sample_proportion` alone does not sample EM's pairs."""

EM_PROBE_RECORDS = 100_000
"""Records sampled per side by Splink's probe that sizes the EM sample."""

U_MAX_PAIRS = 1_000_000
"""Random pairs for the u estimates at most (`matching.max_pairs_for_u`;
50 per record below 20k records)."""


DUCKDB_MEMORY_CAP_GB = 4.0
"""DuckDB spills beyond this: with the polars frames beside it, a 1M-record
run then stays within about 6 GB however much RAM the machine has."""


def make_duckdb_api(memory_limit_gb: float | None = None, threads: int | None = None) -> Any:
    """An in-memory DuckDB backend sized to the machine (threads = cores, memory
    limit = 60% of RAM up to DUCKDB_MEMORY_CAP_GB, unless given)."""
    import duckdb
    from splink import DuckDBAPI

    con = duckdb.connect()
    threads = threads or os.cpu_count() or 2
    if memory_limit_gb is None:
        try:
            total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
            memory_limit_gb = max(1.0, min(DUCKDB_MEMORY_CAP_GB, round(total * 0.6, 1)))
        except (ValueError, OSError):
            memory_limit_gb = 4.0
    con.execute(f"SET threads = {int(threads)}")
    con.execute(f"SET memory_limit = '{memory_limit_gb}GB'")
    con.execute("SET preserve_insertion_order = false")
    return DuckDBAPI(con)


SCAN_BATCH_ROWS = 2048
"""Rows per Arrow batch of an input that scoring hands the backend in batches
(one DuckDB vector). DuckDB scans an Arrow table one batch per thread at a
time: the 20k changed records of a 1% night in one batch kept the scoring,
which runs on the scan's thread, on one core (0.82 of 0.97 CPU-s on one
thread); in batches the two threads split it (0.47 + 0.37)."""


def splink_input(records: pl.DataFrame, *, batch_rows: int | None = None) -> pa.Table:
    """The columns Splink needs, as Arrow (absent columns become null text);
    in batches of `batch_rows` rows when given, so that the backend can scan
    it on all its threads."""
    cols = [pl.col(c) if c in records.columns else pl.lit(None, dtype=pl.Utf8).alias(c) for c in SPLINK_INPUT_COLUMNS]
    table = records.select(cols).to_arrow()
    return table if batch_rows is None else in_batches(table, batch_rows)


def in_batches(table: pa.Table, batch_rows: int) -> pa.Table:
    """`table` in record batches of at most `batch_rows` rows."""
    return pa.Table.from_batches(table.to_batches(max_chunksize=batch_rows), schema=table.schema)


def term_frequency_columns(settings: dict[str, Any]) -> list[str]:
    """Columns whose comparison levels use term-frequency adjustments."""
    columns = []
    for comparison in settings.get("comparisons", []):
        for level in comparison.get("comparison_levels", []):
            column = level.get("tf_adjustment_column")
            if column and column not in columns:
                columns.append(column)
    return columns


def linker_over(
    db_api: Any, records: pl.DataFrame | SplinkDataFrame, settings: SettingsCreator | dict[str, Any]
) -> Linker:
    """A linker whose input is `records` (registered with the backend here,
    unless already registered)."""
    if isinstance(settings, dict):
        from resolution.engines import settings_for_dialect

        settings = settings_for_dialect(settings, db_api.sql_dialect.sql_dialect_str)
    if isinstance(records, SplinkDataFrame):
        sdf = records
    else:
        sdf = db_api.register(splink_input(records), dataset_display_name="customers")
    # Splink's settings check only logs warnings, which log_level=ERROR silences: skip its work (0.1 s at 58k records)
    return Linker(sdf, settings, log_level=logging.ERROR, validate_settings=False)


def term_frequency_tables(
    base: pl.DataFrame, records: pl.DataFrame, columns: list[str], prefix: str = "tf_"
) -> dict[str, pa.Table]:
    """Per column, Splink's term-frequency table (`<column>`, `<prefix><column>`:
    the share of the base's non-null values equal to it) for the values
    `records` hold: all that scoring `records` looks up. The same numbers as
    Splink's `compute_tf_table` over the whole base, at a fraction of the cost."""
    present = [c for c in columns if c in base.columns and c in records.columns]
    counts = pl.collect_all(
        [
            base.lazy()
            .select(c)
            .filter(pl.col(c).is_in(records[c].drop_nulls().unique().implode()))
            .group_by(c)
            .agg(pl.len().alias("n"))
            for c in present
        ]
    )
    tables = {}
    for column in columns:
        name = f"{prefix}{column}"
        if column not in present:  # an absent column is all null: no term frequencies
            tables[column] = pa.table({column: pa.array([], pa.string()), name: pa.array([], pa.float64())})
            continue
        found = counts[present.index(column)].to_arrow()
        total = base.height - base[column].null_count()
        # Splink divides in SQL, cast(count as double) / count(column). Divide
        # element by element as it does: polars divides a column by a number
        # through its reciprocal, which can differ in the last bit.
        share = pc.divide(pc.cast(found.column("n"), pa.float64()), pa.scalar(float(total), pa.float64()))
        tables[column] = pa.table({column: found.column(column), name: share})
    return tables


def register_base_term_frequencies(
    db_api: Any, linker: Linker, base: pl.DataFrame, records: pl.DataFrame, settings: dict[str, Any]
) -> None:
    """Give `linker`, whose input is `records` (a part of `base`), the term
    frequencies of the whole `base` for the values `records` hold: it then
    scores them as a linker over the whole base would, without the base being
    handed to the backend."""
    prefix = settings.get("term_frequency_adjustment_column_prefix", "tf_")
    for column, table in term_frequency_tables(base, records, term_frequency_columns(settings), prefix).items():
        linker.table_management.register_term_frequency_lookup(db_api.register(table), column)


_EQUALITY = re.compile(r'^\(?\s*l\.(["`])(\w+)\1\s*=\s*r\.\1\2\1\s*\)?$')


def blocking_key_columns(settings: dict[str, Any]) -> tuple[tuple[str, ...], ...] | None:
    """The columns of each prediction blocking rule of `settings`, when every
    rule is a conjunction of equalities `l.c = r.c` (as `block_on` writes
    them: a pair is blocked when its records agree, non-null, on all of a
    rule's columns); None when any rule is other SQL."""
    rules = []
    for rule in settings.get("blocking_rules_to_generate_predictions", []):
        sql = rule.get("blocking_rule", "") if isinstance(rule, dict) else str(rule)
        parts = [_EQUALITY.match(part.strip()) for part in re.split(r"\s+AND\s+", sql, flags=re.IGNORECASE)]
        if not sql or not all(parts):
            return None
        rules.append(tuple(m.group(2) for m in parts))
    return tuple(rules)


def linker_with_term_frequencies(
    db_api: Any, records: pl.DataFrame | SplinkDataFrame, settings: dict[str, Any]
) -> Linker:
    """A linker over `records` with the term-frequency table of every column
    the trained `settings` adjust on, computed from `records` (so a later
    `predict_within`/`predict_between` uses these frequencies)."""
    linker = linker_over(db_api, records, settings)
    for column in term_frequency_columns(settings):
        linker.table_management.compute_tf_table(column)
    return linker


class ModelTrainingError(ValueError):
    """Training failed; the message names the training step and, when known,
    the comparison and level (names only, never a record's values)."""


_EM_HOOK_LOCK = threading.RLock()


@contextmanager
def floored_em() -> Iterator[None]:
    """Within this block, Splink's EM floors each iteration's m and u
    estimates (`floor_em_parameter_records`) before it sets them, so a level
    never seen among matches cannot reach 0 (which Splink refuses) or an
    underflowing value on the way; and a value Splink still refuses raises
    ModelTrainingError naming its comparison and level. Splink has no hook
    for either: the block swaps two functions of its EM module (pinned Splink
    5.0), under a lock, and puts them back on leaving."""
    import splink.internals.expectation_maximisation as em

    with _EM_HOOK_LOCK:
        compute, populate = em.compute_proportions_for_new_parameters, em.populate_m_u_from_lookup

        def floored_compute(df_params: Any) -> list[dict[str, Any]]:
            return floor_em_parameter_records(compute(df_params))

        def named_populate(fixed: Any, level: Any, comparison_name: str, lookup: Any) -> None:
            try:
                populate(fixed, level, comparison_name, lookup)
            except ValueError as exc:
                raise ModelTrainingError(
                    f"EM could not set comparison '{comparison_name}', level '{level.label_for_charts}': {exc}"
                ) from exc

        em.compute_proportions_for_new_parameters, em.populate_m_u_from_lookup = floored_compute, named_populate
        try:
            yield
        finally:
            em.compute_proportions_for_new_parameters, em.populate_m_u_from_lookup = compute, populate


def _invalid_levels(linker: Linker) -> list[str]:
    """'comparison / level' of each level whose trained m or u values include
    one Splink refuses (below MIN_PROBABILITY, or not a number)."""
    names = []
    for comparison in linker._settings_obj.comparisons:
        for level in comparison._comparison_levels_excluding_null:
            trained = level._trained_m_probabilities + level._trained_u_probabilities
            values = [r["probability"] for r in trained if isinstance(r["probability"], (int, float))]
            if any(math.isnan(v) or v < MIN_PROBABILITY for v in values):
                names.append(f"{comparison.output_column_name} / {level.label_for_charts}")
    return names


@contextmanager
def _training_step(linker: Linker, step: str) -> Iterator[None]:
    """Re-raise a ValueError of a training step as ModelTrainingError naming
    the step and the levels with values Splink refuses."""
    try:
        yield
    except ModelTrainingError as exc:
        raise ModelTrainingError(f"training failed in {step}: {exc}") from exc
    except ValueError as exc:
        levels = _invalid_levels(linker)
        where = f" (level{'s' if len(levels) > 1 else ''} {'; '.join(levels)})" if levels else ""
        message = " ".join(str(exc).split())
        raise ModelTrainingError(f"training failed in {step}{where}: {type(exc).__name__}: {message}") from exc


def train_model(
    db_api: Any,
    records: pl.DataFrame,
    design: ModelDesign,
    settings: SettingsCreator,
    *,
    max_pairs_for_u: float = U_MAX_PAIRS,
) -> dict[str, Any]:
    """Train: prior from deterministic rules, u by random sampling (at most
    `max_pairs_for_u` pairs), m by EM over several blocking sessions. Returns
    the trained settings as a dict, every m and u floored and normalised per
    comparison (`resolution.probability_floor`; EM's iterations are floored
    too). A failure raises ModelTrainingError naming the step (and the level
    when known)."""
    linker = linker_over(db_api, records, settings)
    with _training_step(linker, "the prior estimate"):
        linker.training.estimate_probability_two_random_records_match(
            [block_on(*r) for r in design.deterministic_rules], recall=0.7
        )
    n = max(records.height, 1)
    if not linker._settings_obj._probability_two_random_records_match > 0:
        # No record pair met a deterministic rule (a small or duplicate-free delivery):
        # fall back to one match among all pairs, capped, rather than an impossible prior of 0.
        linker._settings_obj._probability_two_random_records_match = min(1e-3, 2.0 / max(n * (n - 1), 2))
    with _training_step(linker, "the u estimate"):
        linker.training.estimate_u_using_random_sampling(max_pairs=min(max_pairs_for_u, max(1e5, n * 50.0)), seed=42)
    probe = min(1.0, max(0.01, EM_PROBE_RECORDS / n))
    for block in design.training_blocks:
        # Splink's EM session takes the comparisons its rule blocks on out of the linker's
        # settings and sets its own prior, and puts them back only when it completes: a
        # session without pairs left the model without those comparisons for good (all of
        # them after three such sessions: a model that compares nothing, whose scoring SQL
        # Splink cannot even write). The settings are restored from before the session.
        settings_before = linker._settings_obj.core_model_settings.copy()
        try:
            with _training_step(linker, f"the EM session on {' & '.join(block)}"), floored_em():
                linker.training.estimate_parameters_using_expectation_maximisation(
                    block_on(*block), max_pairs=EM_MAX_PAIRS, record_sample_proportion=probe
                )
        except SplinkException as exc:
            # A small or duplicate-free delivery may give a training block no
            # pairs at all; the other sessions (or Splink's defaults) still train m.
            if "generated comparisons is not empty" not in str(exc):
                raise
            linker._settings_obj.core_model_settings = settings_before
            log.warning("EM session on %s skipped: no pairs in this block", " & ".join(block))
    trained = linker.misc.save_model_to_json()
    untrained = m_not_estimated(trained)
    if untrained:
        log.warning(
            "m of %s not estimated (no EM session with pairs could train it): Splink's default m values stand in",
            ", ".join(untrained),
        )
    floored = floor_m_u_probabilities(trained)
    weighed = unestimated_levels_weighed(trained, floored)
    if weighed:
        log.warning(
            "m of %d level(s) not estimated (no training pair fell in them): each weighs as Splink's default m makes it "
            "(in brackets), at most as the trained level above it and at least as the strongest below: %s",
            len(weighed),
            "; ".join(f"{a.comparison} / {a.level} {a.weight:+.1f} bits ({b.weight:+.1f})" for b, a in weighed),
        )
    for before, after in zip(level_weights(trained), level_weights(floored)):
        if before.m_probability is None:  # none estimated: Splink's default m, or weighed above
            continue
        if after.weight is not None and (before.weight is None or abs(before.weight - after.weight) > 0.05):
            was = "undefined" if before.weight is None else f"{before.weight:.1f}"
            log.info(
                "%s / %s: weight %s -> %.1f bits (m, u floored)", before.comparison, before.level, was, after.weight
            )
    return floored


def m_not_estimated(settings: dict[str, Any]) -> list[str]:
    """The comparisons of trained `settings` none of whose levels has an m
    probability: no EM session trained them (each session that could was
    skipped for want of pairs), so Splink scores them with its default m.
    (A level without an m beside estimated ones weighs Splink's default
    within the trained levels around it: `probability_floor.weigh_unestimated_levels`.)"""
    return [
        comparison["output_column_name"]
        for comparison in settings.get("comparisons", [])
        if all(
            level.get("m_probability") is None
            for level in comparison.get("comparison_levels", [])
            if not level.get("is_null_level")
        )
    ]


@dataclass(frozen=True)
class LinkResult:
    pairs: pl.DataFrame  # record_key_l, record_key_r, match_weight, match_probability, households.HELD_BY
    clusters: pl.DataFrame  # record_key, cluster_id


def predict_and_cluster(
    db_api: Any, records: pl.DataFrame, settings: dict[str, Any], *, score_threshold: float, link_threshold: float
) -> LinkResult:
    """Score candidate pairs (kept at or above `score_threshold`, as the pair
    rules leave them: `households.pairs_under_rules`) and cluster at `link_threshold`."""
    linker = linker_over(db_api, records, scoring_settings(settings))
    predictions = linker.inference.predict(threshold_match_probability=score_threshold)
    pairs = pairs_under_rules(pl.from_arrow(predictions.as_pyarrow_table()), settings, records)
    clusters = cluster_records(db_api, records["record_key"], pairs, link_threshold=link_threshold)
    return LinkResult(pairs=pairs, clusters=clusters)


def cluster_records(db_api: Any, record_keys: pl.Series, pairs: pl.DataFrame, *, link_threshold: float) -> pl.DataFrame:
    """Connected components of `pairs` at `link_threshold` over `record_keys`
    (records without a link are clusters of one; a pair the pair rules hold
    for review is no link: `households.linkable`). Returns record_key, cluster_id."""
    nodes = db_api.register(pl.DataFrame({"record_key": record_keys}).to_arrow(), dataset_display_name="nodes")
    edges_frame = linkable(pairs).select("record_key_l", "record_key_r", "match_probability")
    edges = db_api.register(edges_frame.to_arrow(), dataset_display_name="edges")
    clustered = cluster_pairwise_predictions_at_threshold(
        nodes,
        edges,
        db_api,
        node_id_column_name="record_key",
        edge_id_column_name_left="record_key_l",
        edge_id_column_name_right="record_key_r",
        threshold_match_probability=link_threshold,
    )
    return pl.from_arrow(clustered.as_pyarrow_table()).select("record_key", pl.col("cluster_id").cast(pl.Utf8))


def linked_pairs(
    db_api: Any,
    records: pl.DataFrame,
    settings: dict[str, Any],
    *,
    link_threshold: float,
    blocking_rules: list[Any] | None = None,
) -> pl.DataFrame:
    """Pairs among `records` (a sample, say) that the trained model links, with
    term frequencies of `records` themselves, by the settings' blocking rules
    or `blocking_rules`, and that the pair rules keep (`without_household_pairs`,
    as a run links them): record_key_l < record_key_r, text."""
    linker = linker_with_term_frequencies(db_api, records, scoring_settings(settings))
    registered = db_api.register(splink_input(records), dataset_display_name="linked_sample")
    found = pl.from_arrow(
        linker.inference.predict_within(
            registered,
            blocking_rules_to_generate_predictions=blocking_rules,
            threshold_match_probability=link_threshold,
        ).as_pyarrow_table()
    )
    found = without_household_pairs(found, settings, records)
    return found.select(
        record_key_l=pl.min_horizontal("record_key_l", "record_key_r").cast(pl.Utf8),
        record_key_r=pl.max_horizontal("record_key_l", "record_key_r").cast(pl.Utf8),
    ).unique()
