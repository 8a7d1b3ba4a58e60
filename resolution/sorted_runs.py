"""Sorting frames that are a few sorted parts one after another.

The nightly golden records and crosswalk are last night's tables with some
golden ids replaced. Read from their table copies they come as a whole part
then one part per night's patch, each sorted, the rows of one golden id in
one part: sorted again on the id alone, stably (a sort that is cheap on
nearly sorted keys), they are in order on every key, which one pass checks.
Sorting a million crosswalk rows on its three text keys costs several
times more.
"""

from __future__ import annotations

import polars as pl


def descents(keys: list[str]) -> pl.Expr:
    """True at each row that sorts before the row above it on `keys`
    (lexicographically, ascending); false on the first row."""
    below: pl.Expr | None = None
    for key in reversed(keys):
        here, above = pl.col(key), pl.col(key).shift(1)
        smaller = here < above
        below = smaller if below is None else smaller | ((here == above) & below)
    assert below is not None, "sort on at least one key"
    return below.fill_null(False)


def is_sorted_on(frame: pl.DataFrame, keys: list[str]) -> bool:
    """Whether `frame` is sorted ascending on `keys`, none of them null."""
    return not frame.select(pl.any_horizontal(pl.col(keys).is_null()).any() | descents(keys).any()).item()


def sorted_from_parts(frame: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """`frame` sorted on `keys`, as `frame.sort(keys)` gives it when no key is
    null and no two rows are equal on all keys. Sorted stably on the first key
    alone and checked; sorted on every key when that is not enough (the rows
    of one first key not in order among themselves, or a null key)."""
    by_first = frame.sort(keys[0], maintain_order=True)
    return by_first if len(keys) == 1 or is_sorted_on(by_first, keys) else frame.sort(keys)
