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
import pyarrow as pa
import pyarrow.compute as pc
from splink import Linker

from governance.masking import mask_frame
from resolution.linking import splink_input, term_frequency_columns
from resolution.review_queue import pair_id

MASKED_PREDICTIONS = "nayose_masked_review_predictions"


@dataclass(frozen=True)
class ReviewScores:
    linker: Linker  # its input is the review pairs' records only, with term frequencies of the whole base
    pairs: pl.DataFrame  # the review pairs with every field's gamma_, bf_, mw_ column and the values; sorted by pair_id


def term_frequency_tables(base: pl.DataFrame, records: pl.DataFrame, columns: list[str], prefix: str = "tf_") -> dict[str, pa.Table]:
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


def score_review_pairs(db_api: Any, base: pl.DataFrame, review_queue: pl.DataFrame, settings: dict[str, Any]) -> ReviewScores | None:
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
    prefix = detailed.get("term_frequency_adjustment_column_prefix", "tf_")
    tf_tables = term_frequency_tables(base, records, term_frequency_columns(detailed), prefix)
    for column, table in tf_tables.items():
        linker.table_management.register_term_frequency_lookup(db_api.register(table), column)
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
