"""Turning small frames into Dagster metadata (personal columns masked first)."""

from __future__ import annotations

import dagster as dg
import polars as pl

from governance.masking import mask_frame, mask_record_key


def markdown_table(frame: pl.DataFrame, max_rows: int = 20) -> dg.MetadataValue:
    """A markdown table of the first rows of `frame`, personal columns masked."""
    shown = mask_frame(frame.head(max_rows))
    if shown.width == 0:
        return dg.MetadataValue.md("_(empty)_")
    cells = [[("" if v is None else str(v)).replace("|", "\\|") for v in row] for row in shown.iter_rows()]
    lines = ["| " + " | ".join(shown.columns) + " |", "|" + "---|" * shown.width]
    lines += ["| " + " | ".join(row) + " |" for row in cells]
    return dg.MetadataValue.md("\n".join(lines))


PLACE_COLUMNS = ("std_city_l", "std_city_r", "std_address_l", "std_address_r", "std_building_l", "std_building_r")
"""A pair's places, left out of Dagster metadata: beside a masked name, a town
narrows who it is, and the event log outlives an erasure."""


def pairs_table(pairs: pl.DataFrame, max_rows: int = 10) -> dg.MetadataValue:
    """`markdown_table` of review pairs for Dagster metadata: record keys
    masked (`crm:******64`: an id may be a customer number the person knows,
    or an email used as one), the pair id (the two keys) and the places left
    out, scores and golden ids left out as well."""
    shown = pairs.head(max_rows).select(
        [c for c in pairs.columns if not c.startswith(("gamma_", "bf_", "golden_id")) and c not in ("pair_id", *PLACE_COLUMNS)]
    )
    keys = [c for c in ("record_key_l", "record_key_r") if c in shown.columns]
    shown = shown.with_columns(pl.col(c).map_elements(mask_record_key, return_dtype=pl.Utf8) for c in keys)
    return markdown_table(shown, max_rows=max_rows)
