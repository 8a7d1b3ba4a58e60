"""Turning small frames into Dagster metadata (personal columns masked first)."""

from __future__ import annotations

import dagster as dg
import polars as pl

from governance.masking import mask_frame, mask_record_key


def markdown_table(frame: pl.DataFrame, max_rows: int = 20) -> dg.MetadataValue:
    """A markdown table of the first rows of `frame`, personal columns masked
    (the shared policy of `governance.masking`, which the stewards' copies
    and `nayose review list` follow too)."""
    shown = mask_frame(frame.head(max_rows))
    if shown.width == 0:
        return dg.MetadataValue.md("_(empty)_")
    cells = [[("" if v is None else str(v)).replace("|", "\\|") for v in row] for row in shown.iter_rows()]
    lines = ["| " + " | ".join(shown.columns) + " |", "|" + "---|" * shown.width]
    lines += ["| " + " | ".join(row) + " |" for row in cells]
    return dg.MetadataValue.md("\n".join(lines))


PLACE_FIELDS = frozenset({"prefecture", "city", "address", "address_line", "building"})
"""Places, left out of Dagster metadata: even masked (a city keeps its first
character, a prefecture stays) a place beside a masked name narrows who it is,
and the event log, which anyone with the UI reads, outlives an erasure. The
stewards' copies keep them masked; a steward learns from `nayose review list`
whether a pair's two places agree."""


def is_place_column(column: str) -> bool:
    """A place column by its canonical (`city`), standardized (`std_city`) or
    side-by-side review name (`std_city_l`)."""
    base = column.removeprefix("std_")
    if base.endswith(("_l", "_r")):
        base = base[:-2]
    return base in PLACE_FIELDS


def _record_id_columns(frame: pl.DataFrame) -> list[str]:
    """Columns naming a source record: an id may be a customer number the
    person knows, or an email used as one (`source_record_id`, the review
    pair's `record_key_l`/`_r`, a golden consent's `consent_<purpose>_source`,
    `crm:C0000164`)."""
    return [
        c
        for c, dtype in frame.schema.items()
        if dtype == pl.Utf8
        and (c in ("source_record_id", "record_key", "record_key_l", "record_key_r") or (c.startswith("consent_") and c.endswith("_source")))
    ]


def sample_table(frame: pl.DataFrame, max_rows: int = 5) -> dg.MetadataValue:
    """`markdown_table` of sample rows for Dagster metadata: places left out
    (named under the table, so a steward knows they were there), record ids
    masked (`crm:******64`), every other personal column masked as the
    shared policy says. Counts and rules sit beside it as plain numbers."""
    places = [c for c in frame.columns if is_place_column(c)]
    shown = frame.head(max_rows).drop(places)
    ids = _record_id_columns(shown)
    shown = shown.with_columns(pl.col(c).map_elements(mask_record_key, return_dtype=pl.Utf8) for c in ids)
    table = markdown_table(shown, max_rows=max_rows)
    if not places:
        return table
    return dg.MetadataValue.md(f"{table.value}\n\n_left out (places): {', '.join(places)}_")


def pairs_table(pairs: pl.DataFrame, max_rows: int = 10) -> dg.MetadataValue:
    """`sample_table` of review pairs for Dagster metadata: record keys
    masked, the pair id (the two keys) and the places left out, scores and
    golden ids left out as well."""
    shown = pairs.select([c for c in pairs.columns if not c.startswith(("gamma_", "bf_", "golden_id")) and c != "pair_id"])
    return sample_table(shown, max_rows=max_rows)
