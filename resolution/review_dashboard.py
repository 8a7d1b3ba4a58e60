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
from resolution.linking import register_base_term_frequencies, splink_input
from resolution.review_queue import pair_id

MASKED_PREDICTIONS = "nayose_masked_review_predictions"


@dataclass(frozen=True)
class ReviewScores:
    linker: Linker  # its input is the review pairs' records only, with term frequencies of the whole base
    pairs: pl.DataFrame  # the review pairs with every field's gamma_, bf_, mw_ column and the values; sorted by pair_id


def score_review_pairs(
    db_api: Any, base: pl.DataFrame, review_queue: pl.DataFrame, settings: dict[str, Any]
) -> ReviewScores | None:
    """The review pairs scored again keeping each field's comparison level and
    match weight (term frequencies from the whole base); None for an empty queue.

    Only the pairs' records go to the backend, with the term frequencies of
    the values they hold computed from the whole base in polars: the scores
    are those of a linker over the whole base."""
    if review_queue.height == 0:
        return None
    detailed = copy.deepcopy(settings)
    detailed["retain_intermediate_calculation_columns"] = True
    detailed["retain_matching_columns"] = True
    keys = pl.concat([review_queue["record_key_l"], review_queue["record_key_r"]]).unique().implode()
    records = base.filter(pl.col("record_key").is_in(keys))
    involved = db_api.register(splink_input(records), dataset_display_name="review")
    # The settings are the saved model's, checked when it was trained; the check only logs.
    linker = Linker(involved, detailed, log_level=logging.ERROR, validate_settings=False)
    register_base_term_frequencies(db_api, linker, base, records, detailed)
    scored = pl.from_arrow(linker.inference.predict_within(involved).as_pyarrow_table())
    scored = (
        scored.with_columns(pair_id=pair_id(pl.col("record_key_l"), pl.col("record_key_r")))
        .filter(pl.col("pair_id").is_in(review_queue["pair_id"].implode()))
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
