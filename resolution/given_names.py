"""Given names that are one name: a nickname and its name (`bob`, `robert`),
or an initial and the name it starts (`r`, `ryan`).

The `nicknames` package's hand-curated English table says which names are
nicknames of which (`bob`/`robert`, `bill`/`will`, `kate`/`katherine`). The
match model weighs a pair of them at a level of its own (the given-name
comparison's `NicknamesLevel`, on the match key `mk_given_names`), and the
pair rules do not take them for two people (`households._name_flags`): both
ask `names_of` here, so they agree on what a nickname is.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import polars as pl

LATIN_GIVEN_NAME = r"^[A-Za-z][A-Za-z .'-]*$"
"""A given name the table may know: Latin letters (a standardized Latin
name is folded to ASCII: `Jérôme` is `jerome`)."""


@cache
def _nicknamer() -> Any:
    """The `nicknames` table, loaded on first use (importing the package costs
    30 ms of every run's start-up, most of which never looks a nickname up)."""
    from nicknames import NickNamer

    return NickNamer()


def names_of(given: str | None) -> list[str] | None:
    """The names `given` may stand for: itself and the names it is a nickname
    of (lower case, sorted); None when the table knows it neither as a
    nickname nor as a name with nicknames, so a match key built from it is
    null for most given names. Two given names are nicknames of one name
    (or one a nickname of the other) exactly when their lists share a name."""
    if not given:
        return None
    name = given.lower()
    nicknamer = _nicknamer()
    canonicals = nicknamer.canonicals_of(name)
    if not canonicals and not nicknamer.nicknames_of(name):
        return None
    return sorted(canonicals | {name})


def nicknames_agree(left: str | None, right: str | None) -> bool:
    """Whether one given name is a nickname of the other, or both nicknames
    (or the name) of one name (`names_of`)."""
    left_names, right_names = names_of(left), names_of(right)
    return bool(left_names and right_names and set(left_names) & set(right_names))


def initial_agrees(left: pl.Expr, right: pl.Expr) -> pl.Expr:
    """Whether one romanized given name is a single letter that the other
    starts with (`r`, `ryan`: a form that asked for an initial, `R. Ashton`).
    Two single letters agree only when equal, as exact names do. The SQL of
    the given-name comparison's `comparisons.InitialLevel` says the same."""

    def initial_of(initial: pl.Expr, name: pl.Expr) -> pl.Expr:
        return (initial.str.len_chars() == 1) & (name.str.slice(0, 1) == initial)

    return initial_of(left, right) | initial_of(right, left)
