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


@pytest.mark.parametrize(("left", "right"), [("алексей", "олексій"), ("oleksii", "алексей"), ("iurii", "юрий"), ("alexander", "oleksandr"), ("ivan", "іван")])
def test_russian_ukrainian_and_latin_forms_of_one_name_agree(left, right):
    """A Moscow CRM's `Алексей` and a Kyiv shop's `Олексій` are one customer's name."""
    assert nicknames_agree(left, right)


@pytest.mark.parametrize(("left", "right"), [("alexander", "alexandra"), ("евгений", "евгения"), ("yuri", "yulia"), ("ivan", "john")])
def test_other_east_slavic_names_stay_apart(left, right):
    assert not nicknames_agree(left, right)


def test_a_cyrillic_name_no_table_knows_has_no_names():
    assert names_of("айгуль") is None
    assert names_of("ivan") == ["ivan", "ru:ivan"]  # a name of its own in the nickname table keeps its family
