"""Given names that are names of their own are no nicknames of each other."""

from __future__ import annotations

import pytest

from resolution.given_names import names_of, nicknames_agree


@pytest.mark.parametrize(("left", "right"), [("nancy", "ann"), ("peter", "patrick"), ("ian", "john"), ("tony", "ann"), ("mary", "mercy")])
def test_names_of_their_own_are_no_nicknames_of_each_other(left, right):
    """Twins `NANCY OWINO` and `ANN OWINO` were one name through the table."""
    assert not nicknames_agree(left, right)


@pytest.mark.parametrize(("left", "right"), [("nan", "nancy"), ("pete", "peter"), ("johnny", "john"), ("bob", "robert"), ("annie", "ann")])
def test_a_name_of_its_own_still_meets_its_nicknames(left, right):
    assert nicknames_agree(left, right)
    assert names_of("nancy") == ["nancy"]
