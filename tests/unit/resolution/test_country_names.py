"""The country names nayose reads are CLDR's, as the installed babel gives them, kept in a file."""

from __future__ import annotations

import json

from resolution.standardization.countries import (
    COUNTRY_NAMES_FILE,
    cldr_country_names,
    country_names,
)


def test_the_country_names_file_is_what_babel_and_the_informal_names_give() -> None:
    """Written by `python -m resolution.standardization.countries`: write it
    again when babel (CLDR) or `INFORMAL_COUNTRY_NAMES` change."""
    assert json.loads(COUNTRY_NAMES_FILE.read_text(encoding="utf-8")) == cldr_country_names()
    assert country_names()["FRANKREICH"] == "FR"
    assert country_names()["ドイツ"] == "DE"
