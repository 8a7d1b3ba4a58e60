"""Country: the record's `country` when it names a country, else the one its
address line ends with, else the source's."""

from __future__ import annotations

import phonenumbers
import polars as pl

from resolution.standardization.distinct import over_distinct
from resolution.standardization.issues import issue_column, issue_when
from resolution.standardization.text import clean_text

# phonenumbers knows every ISO 3166-1 alpha-2 code that has a phone plan,
# which is every country customer data will name.
ISO_ALPHA2 = frozenset(phonenumbers.SUPPORTED_REGIONS)

COUNTRY_NAMES: dict[str, str] = {
    "日本": "JP",
    "日本国": "JP",
    "JAPAN": "JP",
    "NIPPON": "JP",
    "JPN": "JP",
    "UK": "GB",
    "GBR": "GB",
    "UNITED KINGDOM": "GB",
    "GREAT BRITAIN": "GB",
    "ENGLAND": "GB",
    "イギリス": "GB",
    "英国": "GB",
    "USA": "US",
    "U.S.A.": "US",
    "U.S.": "US",
    "UNITED STATES": "US",
    "UNITED STATES OF AMERICA": "US",
    "アメリカ": "US",
    "アメリカ合衆国": "US",
    "米国": "US",
    "CANADA": "CA",
    "カナダ": "CA",
    "AUSTRALIA": "AU",
    "オーストラリア": "AU",
    "GERMANY": "DE",
    "DEUTSCHLAND": "DE",
    "ドイツ": "DE",
    "FRANCE": "FR",
    "フランス": "FR",
    "KOREA": "KR",
    "SOUTH KOREA": "KR",
    "韓国": "KR",
    "CHINA": "CN",
    "中国": "CN",
    "TAIWAN": "TW",
    "台湾": "TW",
    # countries whose one-line addresses are split (`international_addresses`), by English and own names
    "NETHERLANDS": "NL",
    "THE NETHERLANDS": "NL",
    "NEDERLAND": "NL",
    "HOLLAND": "NL",
    "SPAIN": "ES",
    "ESPAÑA": "ES",
    "ESPANA": "ES",
    "ITALY": "IT",
    "ITALIA": "IT",
    "AUSTRIA": "AT",
    "ÖSTERREICH": "AT",
    "OSTERREICH": "AT",
    "SWITZERLAND": "CH",
    "SCHWEIZ": "CH",
    "SUISSE": "CH",
    "SVIZZERA": "CH",
    "BELGIUM": "BE",
    "BELGIQUE": "BE",
    "BELGIË": "BE",
    "BELGIE": "BE",
    "DENMARK": "DK",
    "DANMARK": "DK",
    "NORWAY": "NO",
    "NORGE": "NO",
    "SWEDEN": "SE",
    "SVERIGE": "SE",
    "FINLAND": "FI",
    "SUOMI": "FI",
    "PORTUGAL": "PT",
    "POLAND": "PL",
    "POLSKA": "PL",
    "IRELAND": "IE",
    "NEW ZEALAND": "NZ",
    "INDIA": "IN",
    "SINGAPORE": "SG",
    "MEXICO": "MX",
    "MÉXICO": "MX",
}


US_STATES = frozenset(
    ["AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "DC", "AS", "GU", "MP", "PR", "VI"]
)
"""US state and territory codes: as the last part of an address line they name a state, not a country."""


def country_code(expr: pl.Expr) -> pl.Expr:
    """ISO alpha-2 code for a country value (`jp`, `Japan`, `日本`), else null."""
    upper = clean_text(expr).str.to_uppercase()
    by_name = upper.replace_strict(COUNTRY_NAMES, default=None, return_dtype=pl.Utf8)
    by_code = pl.when(upper.is_in(list(ISO_ALPHA2))).then(upper)
    return pl.coalesce(by_code, by_name)


def line_country(line: pl.Expr) -> pl.Expr:
    """The country an address line ends with, as an ISO alpha-2 code, else
    null: its last comma-separated part when that names a country (`Germany`,
    `USA`, `日本`), or is a country code after the street and a town: after a
    part holding a digit (`Jasonmouth, MP 98903, US`), or any code that is not
    also a US state's (`Hewittton, Norfolk, GB`). `12 Main St, Springfield,
    CA` is California, not Canada; `…, Berlin, DE` without a postal code stays
    the source's (Delaware or Germany)."""
    # regexes on the raw line, the text cleaned only in the last part: a million lines in a fraction of a second
    last = clean_text(line.str.extract(r"[,，]([^,，]*)$", 1)).str.to_uppercase()
    before = line.str.extract(r"[,，]([^,，]*)[,，][^,，]*$", 1)
    three_parts = line.str.count_matches(r"[,，]") >= 2
    by_name = last.replace_strict(COUNTRY_NAMES, default=None, return_dtype=pl.Utf8)
    unambiguous = before.str.contains(r"[0-9０-９]").fill_null(False) | ~last.is_in(list(US_STATES))
    by_code = pl.when(last.is_in(list(ISO_ALPHA2)) & three_parts & unambiguous).then(last)
    return pl.coalesce(by_name, by_code)


def standardize_country(frame: pl.DataFrame) -> pl.DataFrame:
    """Add `std_country` (the record's country, else the one its address line
    ends with, else `source_country`: a Japanese shop's customer abroad) and
    flag a `country` value that names no known country."""
    frame = frame.with_columns(line_country(pl.col("address_line")).alias("_line_country"))
    return over_distinct(frame, ["country", "_line_country", "source_country"], _add_country_columns).drop("_line_country")


def _add_country_columns(frame: pl.DataFrame) -> pl.DataFrame:
    record_country = country_code(pl.col("country"))
    return frame.with_columns(
        pl.coalesce(record_country, pl.col("_line_country"), country_code(pl.col("source_country"))).alias("std_country"),
        issue_when(
            clean_text(pl.col("country")).is_not_null() & record_country.is_null(),
            "country_unrecognized",
        ).alias(issue_column("country")),
    )
