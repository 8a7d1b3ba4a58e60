"""Splink's comparison viewer for the review queue, with personal values masked.

The review pairs are scored again with every intermediate column kept (each
field's comparison level and match weight), their values masked, and handed
to Splink's comparison viewer, which bundles its JavaScript: the page opens
offline and holds no unmasked personal data.
"""

from __future__ import annotations

import copy
import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
from splink import Linker

from governance.masking import mask_frame
from resolution.engines import opened_db_api, settings_for_dialect
from resolution.linking import (
    blocking_key_columns,
    register_base_term_frequencies,
    splink_input,
)

MASKED_PREDICTIONS = "nayose_masked_review_predictions"
_PAIR = "nayose_review_pair"  # the pair a scored row belongs to (a record in several pairs is several rows)


@dataclass(frozen=True)
class ReviewScores:
    linker: Linker  # its input is the review pairs' records only, with term frequencies of the whole base
    pairs: pl.DataFrame  # the review pairs with every field's gamma_, bf_, mw_ column and the values; sorted by pair_id


@dataclass(frozen=True)
class ReviewDetail:
    weights: pl.DataFrame  # `field_weights` of the queued pairs
    viewer_html: str  # `comparison_viewer_html`, "" when there is nothing to show


def review_detail(base: pl.DataFrame, queued: pl.DataFrame | None, settings: dict[str, Any] | None) -> ReviewDetail:
    """The queued pairs' per-field detail and the comparison viewer page, on a
    DuckDB backend of their own, which is closed on return; `settings` are the
    saved model's (None: no model yet, nothing scored). It needs the pairs and
    records only, not the golden ids: the golden asset runs it on a thread
    beside the golden ids' and records' polars work (on a 1M-record 1% night
    about 0.45 s, mostly Splink's Python, whose SQL DuckDB runs)."""
    with opened_db_api("duckdb") as db_api:
        scores = score_review_pairs(db_api, base, queued, settings) if settings and queued is not None else None
        return ReviewDetail(weights=field_weights(scores), viewer_html=comparison_viewer_html(db_api, scores) or "")


def score_review_pairs(
    db_api: Any, base: pl.DataFrame, review_queue: pl.DataFrame, settings: dict[str, Any]
) -> ReviewScores | None:
    """The review pairs scored again keeping each field's comparison level and
    match weight (term frequencies from the whole base); None for an empty queue.

    Exactly the queue's pairs are compared, every one of them: each pair's two
    records go to the backend as rows of their own, blocked on the pair
    (the model's blocking rules would compare other pairs of these records,
    and miss a queued pair they no longer block). Their term frequencies are
    those of the whole base, computed in polars: the scores are those of a
    linker over the whole base."""
    if review_queue.height == 0:
        return None
    # a model trained on Spark is rewritten for this backend's SQL (the copy is ours to change)
    detailed = copy.deepcopy(settings_for_dialect(settings, db_api.sql_dialect.sql_dialect_str))
    detailed["retain_intermediate_calculation_columns"] = True
    detailed["retain_matching_columns"] = True
    detailed["blocking_rules_to_generate_predictions"] = [
        {"blocking_rule": f'l."{_PAIR}" = r."{_PAIR}"', "sql_dialect": "duckdb"}
    ]
    # the columns the model blocks on stay in the output, as when its rules compared the pairs
    blocked_on = [c for rule in blocking_key_columns(settings) or () for c in rule]
    detailed["additional_columns_to_retain"] = list(
        dict.fromkeys([*blocked_on, *detailed.get("additional_columns_to_retain", []), _PAIR])
    )
    # a row per pair end, named `pair_id|l` and `pair_id|r`: the left end sorts first, as the queue has it
    ends = pl.concat(
        [
            review_queue.select("pair_id", record_key="record_key_l", _side=pl.lit("|l")),
            review_queue.select("pair_id", record_key="record_key_r", _side=pl.lit("|r")),
        ]
    )
    rows = base.join(ends, on="record_key").with_columns(
        pl.col("pair_id").alias(_PAIR), (pl.col("pair_id") + pl.col("_side")).alias("record_key")
    )
    involved = db_api.register(
        splink_input(rows).append_column(_PAIR, rows[_PAIR].to_arrow()), dataset_display_name="review"
    )
    # The settings are the saved model's, checked when it was trained; the check only logs.
    linker = Linker(involved, detailed, log_level=logging.ERROR, validate_settings=False)
    register_base_term_frequencies(db_api, linker, base, rows, detailed)
    scored = pl.from_arrow(linker.inference.predict_within(involved).as_pyarrow_table())
    ends_of = review_queue.select("pair_id", _l="record_key_l", _r="record_key_r")
    scored = (
        scored.with_columns(pair_id=pl.col(f"{_PAIR}_l"))
        .drop(f"{_PAIR}_l", f"{_PAIR}_r")
        .join(ends_of, on="pair_id")
        .with_columns(record_key_l=pl.col("_l"), record_key_r=pl.col("_r"))  # the records' own keys again
        .drop("_l", "_r")
        .sort("pair_id")  # the backend returns pairs in no set order
    )
    return ReviewScores(linker=linker, pairs=scored)


def field_weights(scores: ReviewScores | None) -> pl.DataFrame:
    """pair_id and each field's comparison level (`gamma_*`) and match weight (`mw_*`)."""
    if scores is None:
        return pl.DataFrame(schema={"pair_id": pl.Utf8})
    return scores.pairs.select("pair_id", *[c for c in scores.pairs.columns if c.startswith(("gamma_", "mw_"))])


def comparison_viewer_html(db_api: Any, scores: ReviewScores | None) -> str | None:
    """Splink's comparison viewer page (HTML text) for the scored review pairs,
    personal values masked; None when there is nothing to show. DuckDB only."""
    if scores is None or scores.pairs.height == 0:
        return None
    con = db_api.duckdb_con
    con.register("nayose_masked_view", mask_frame(scores.pairs.drop("pair_id")).to_arrow())
    # the viewer reads rowid, which only a real table has
    con.execute(f"CREATE OR REPLACE TABLE {MASKED_PREDICTIONS} AS SELECT * FROM nayose_masked_view")
    con.unregister("nayose_masked_view")
    masked = db_api.table_to_splink_dataframe("__splink__df_predict", MASKED_PREDICTIONS)
    with tempfile.TemporaryDirectory(prefix="nayose-viewer-") as scratch:  # Splink writes a file either way
        return scores.linker.visualisations.comparison_viewer_dashboard(
            masked, str(Path(scratch) / "viewer.html"), overwrite=True, return_html_as_string=True
        )
