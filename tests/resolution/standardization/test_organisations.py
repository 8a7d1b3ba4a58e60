"""Businesses among customers: told by a legal form, a trade or the
salutation; their names kept whole (without the legal form) and not split
into family and given name. Every name here is made up."""

from __future__ import annotations

import polars as pl
import pytest

from resolution.standardization.organisations import (
    organisation_key,
    organisation_names,
    without_legal_form,
)
from tests.resolution.standardization.conftest import issue_codes

BUSINESSES = [
    "Kranich GmbH",
    "Kranich GmbH & Co. KG",
    "Velten G.m.b.H.",
    "Perrin AG",
    "Perrin SA",
    "Dorsel S.A.",
    "Süßmann e.K.",
    "Lammers OHG",
    "Brückner UG (haftungsbeschränkt)",
    "Harlow Ltd",
    "ACMEX Inc.",
    "Fenwick, Inc.",
    "Quillon LLC",
    "Marrow & Co.",
    "Bellard & Söhne",
    "Carver und Sohn",
    "Gray & Son",
    "Tessier SARL",
    "Fabbri S.r.l.",
    "Van Dorp B.V.",
    "Koskinen Oy",
    "Nordlys A/S",
    "Kowalik Sp. z o.o.",
    "Wattle Pty Ltd",
    "Firma Lindqvist",
    "Fa. Overbeck",
    "Bäckerei Hollmann",
    "Baeckerei Hollmann",
    "Hotel Zum Adler",
    "株式会社山岡製作所",
    "(株)山岡製作所",
    "山岡商店",
    "中村歯科",
]

PEOPLE = [
    "Anna Ek",
    "Jan van As",
    "Mehmet As",
    "João de Sá",
    "Joao de Sa",
    "Min-jun Sa",
    "Péter Sas",
    "Lindqvist, Ab",
    "Nguyen Van Ky",
    "PERRIN AG",  # in capitals the case tells nothing: a salutation must say so
    "Hotel",
    "Gruber, Maria DI",
    "Kita Taro",
    "山岡 花子",
    "Frank Kranich",
    "grayson",  # not `gray & son`
    "Jasmine Aldreson",
    "Holly Drayson",
]


@pytest.mark.parametrize("name", BUSINESSES)
def test_a_legal_form_or_a_trade_names_a_business(name: str) -> None:
    assert organisation_names(pl.Series([name])).to_list() == [name]


@pytest.mark.parametrize("name", PEOPLE)
def test_short_forms_that_are_words_of_names_do_not(name: str) -> None:
    assert organisation_names(pl.Series([name])).to_list() == []


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Kranich GmbH", "kranich"),
        ("Kranich GmbH & Co. KG", "kranich"),
        ("Perrin AG", "perrin"),
        ("Firma Lindqvist", "lindqvist"),
        ("Bäckerei Hollmann", "backereihollmann"),
        ("Van Dorp B.V.", "vandorp"),
        ("Jan van As GmbH", "janvanas"),  # `As` after a particle stays the name's
        ("株式会社山岡製作所", "山岡製作所"),
        ("GmbH", "gmbh"),  # nothing else: the name itself
    ],
)
def test_an_organisation_is_keyed_without_its_legal_form(name: str, key: str) -> None:
    assert organisation_key(name) == (key,)


def test_a_form_in_the_middle_of_the_name_goes_too() -> None:
    assert without_legal_form("Kranich GmbH Niederlassung Süd") == "Kranich Niederlassung Süd"


def test_an_organisation_is_not_split_and_a_person_of_its_name_stays_one(standardize) -> None:
    """`Perrin AG` in a call centre's full name: family `perrin`, no given
    name (not family `ag`, given `perrin`); `Kranich GmbH` in a family name
    column keys as the person Kranich does, who is a person by his given
    name; `Firma` says so where the name does not, and is no unrecognized
    gender; a family name alone is neither party."""
    result = standardize(
        {"full_name": "Perrin AG"},
        {"family_name": "Kranich GmbH", "gender": "Firma"},
        {"family_name": "Kranich", "given_name": "Frank", "gender": "Herr"},
        {"family_name": "Hollmann", "gender": "Firma"},
        {"family_name": "Kranich"},
        {"full_name": "Lindqvist, Ab", "birth_date": "1980-02-03"},
        source_country="DE",
    )
    got = result.records.select("std_family_name", "std_given_name", "std_full_name", "std_gender", "std_party").rows()
    assert got == [
        ("perrin", None, "perrin", None, "organisation"),
        ("kranich", None, "kranich", None, "organisation"),
        ("kranich", "frank", "kranichfrank", "M", "person"),
        ("hollmann", None, "hollmann", None, "organisation"),
        ("kranich", None, "kranich", None, None),
        ("lindqvist", "ab", "lindqvistab", None, "person"),
    ]
    assert issue_codes(result, "gender") == [None] * 6
    assert issue_codes(result, "full_name") == [None] * 6


def test_a_japanese_business_has_no_reading_of_its_legal_form(standardize) -> None:
    result = standardize({"full_name": "株式会社山岡製作所"}, {"full_name": "山岡 花子"})
    got = result.records.select("std_family_name", "std_given_name", "std_full_kana", "std_party").rows()
    assert got[0] == ("山岡製作所", None, None, "organisation")
    assert got[1][:2] == ("山岡", "花子") and got[1][3] == "person"
