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
from pathlib import Path
from typing import Any

import polars as pl
from splink import Linker

from governance.masking import mask_frame
from resolution.incremental import term_frequency_columns
from resolution.linking import splink_input

MASKED_PREDICTIONS = "nayose_masked_review_predictions"


def comparison_viewer_html(db_api: Any, base: pl.DataFrame, review_queue: pl.DataFrame, settings: dict[str, Any]) -> str | None:
    """The comparison viewer page (HTML text) for the pairs of `review_queue`,
    or None when the queue is empty. `db_api` must be a DuckDB backend."""
    if review_queue.height == 0:
        return None
    detailed = copy.deepcopy(settings)
    detailed["retain_intermediate_calculation_columns"] = True
    detailed["retain_matching_columns"] = True
    linker = Linker(db_api.register(splink_input(base), dataset_display_name="customers"), detailed, log_level=logging.ERROR)
    for column in term_frequency_columns(detailed):
        linker.table_management.compute_tf_table(column)
    keys = pl.concat([review_queue["record_key_l"], review_queue["record_key_r"]]).unique().implode()
    involved = db_api.register(splink_input(base.filter(pl.col("record_key").is_in(keys))), dataset_display_name="review")
    scored = pl.from_arrow(linker.inference.predict_within(involved).as_pyarrow_table())
    pair_ids = review_queue["pair_id"].implode()
    scored = scored.filter(
        pl.concat_str([pl.min_horizontal("record_key_l", "record_key_r"), pl.max_horizontal("record_key_l", "record_key_r")], separator="|").is_in(pair_ids)
    )
    if scored.height == 0:
        return None
    con = db_api.duckdb_con
    con.register("nayose_masked_view", mask_frame(scored).to_arrow())
    # the viewer reads rowid, which only a real table has
    con.execute(f"CREATE OR REPLACE TABLE {MASKED_PREDICTIONS} AS SELECT * FROM nayose_masked_view")
    con.unregister("nayose_masked_view")
    masked = db_api.table_to_splink_dataframe("__splink__df_predict", MASKED_PREDICTIONS)
    with tempfile.TemporaryDirectory(prefix="nayose-viewer-") as scratch:  # Splink writes a file either way
        return linker.visualisations.comparison_viewer_dashboard(
            masked, str(Path(scratch) / "viewer.html"), overwrite=True, return_html_as_string=True
        )
