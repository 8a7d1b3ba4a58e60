"""Turning small frames into Dagster metadata (personal columns masked first)."""

from __future__ import annotations

import dagster as dg
import polars as pl

from governance.masking import mask_frame


def markdown_table(frame: pl.DataFrame, max_rows: int = 20) -> dg.MetadataValue:
    """A markdown table of the first rows of `frame`, personal columns masked."""
    shown = mask_frame(frame.head(max_rows))
    if shown.width == 0:
        return dg.MetadataValue.md("_(empty)_")
    cells = [[("" if v is None else str(v)).replace("|", "\\|") for v in row] for row in shown.iter_rows()]
    lines = ["| " + " | ".join(shown.columns) + " |", "|" + "---|" * shown.width]
    lines += ["| " + " | ".join(row) + " |" for row in cells]
    return dg.MetadataValue.md("\n".join(lines))
