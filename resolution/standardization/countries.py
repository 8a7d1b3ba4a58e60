"""Country: the record's `country` when it names a country, else the one its
address line ends with, else (no country written) the source's.

A country is named by its ISO code or by its name in any of the major
languages an export may be written in (`Frankreich`, `Allemagne`, `ドイツ`):
the territory names of the Unicode CLDR, as babel ships them (offline), for
`NAME_LANGUAGES`, and a few informal names CLDR does not give (`USA`,
`Großbritannien`, `Holland`). A `country` value that names no country leaves
the record's country unknown (null, `country_unrecognized`, counted invalid):
taking the source's default instead made a French number `06 11 82 32 85` a
valid-looking German `+49611823285` and dropped a Canadian postal code as
malformed for Germany, while the quality report counted the country valid.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache
from importlib import resources
from pathlib import Path

import phonenumbers
import polars as pl

from resolution.standardization.distinct import over_distinct
from resolution.standardization.issues import issue_column, issue_when
from resolution.standardization.text import clean_text

# phonenumbers knows every ISO 3166-1 alpha-2 code that has a phone plan,
# which is every country customer data will name.
ISO_ALPHA2 = frozenset(phonenumbers.SUPPORTED_REGIONS)

NAME_LANGUAGES = (
    "en", "de", "fr", "es", "it", "nl", "pt", "pl", "sv", "da", "nb", "fi", "cs", "hu", "ro", "el", "ru", "tr",
    "ja", "zh_Hans", "zh_Hant", "ko",
    "ar", "fa", "ur", "he", "hi", "bn", "th", "id", "uk", "bg",
)  # fmt: skip
"""CLDR locales whose country names are recognised: the languages of the
exports nayose meets (Western and East Asian), a few more of Europe's, and
the scripts of the Gulf, South Asia, Israel, Thailand and Indonesia
(`الإمارات العربية المتحدة`, `भारत`). Not Vietnamese: without its accents its
short names are other countries' codes and words (`Nga` is Russia, but NGA
Nigeria's alpha-3 code; `Ao` Austria)."""

UNKNOWN_COUNTRY_VALUES = frozenset(
    ["-", "--", "?", "0", "N/A", "N.A.", "NONE", "NULL", "UNKNOWN", "UNBEKANNT", "K.A.", "KEINE ANGABE",
     "INCONNU", "DESCONOCIDO", "SCONOSCIUTO", "ONBEKEND", "不明", "未設定", "なし"]
)  # fmt: skip
"""Upper-cased `country` values that say no country was given: read as an
empty cell (the source's default country, no issue), not as a country
nobody can place. (`NA` is Namibia.)"""

INFORMAL_COUNTRY_NAMES: dict[str, str] = {
    # codes and abbreviations exports write (ISO alpha-3 codes come from CLDR)
    "UK": "GB",
    "U.K.": "GB",
    "U.S.A.": "US",
    "U.S.": "US",
    "U.S.A": "US",
    "EE.UU.": "US",  # Spanish
    "EE. UU.": "US",
    "EEUU": "US",
    "EUA": "US",  # Portuguese
    "E.U.A.": "US",
    "UAE": "AE",
    "U.A.E.": "AE",
    "U.A.E": "AE",
    "KSA": "SA",
    "K.S.A.": "SA",
    "PRC": "CN",
    "P.R.C.": "CN",
    "P.R. CHINA": "CN",
    "ROK": "KR",
    "R.O.K.": "KR",
    "DPRK": "KP",
    "RSA": "ZA",
    "R.S.A.": "ZA",
    "N.Z.": "NZ",
    "H.K.": "HK",
    "HKSAR": "HK",
    "S. KOREA": "KR",
    "S. AFRICA": "ZA",
    # everyday names beside CLDR's official ones
    "EMIRATES": "AE",
    "THE EMIRATES": "AE",
    "الإمارات": "AE",  # "the Emirates"; CLDR: الإمارات العربية المتحدة
    "الامارات": "AE",
    "الإمارات العربية": "AE",
    "السعودية": "SA",  # CLDR: المملكة العربية السعودية
    "أمريكا": "US",
    "امريكا": "US",
    "بريطانيا": "GB",
    "REPUBLIC OF IRELAND": "IE",
    "EIRE": "IE",
    "英国": "GB",
    # official and everyday names CLDR does not give (it names the state: Vereinigtes Königreich, Royaume-Uni)
    "日本国": "JP",
    "NIPPON": "JP",
    "アメリカ": "US",
    "米国": "US",
    "UNITED STATES OF AMERICA": "US",
    "VEREINIGTE STAATEN VON AMERIKA": "US",
    "ÉTATS-UNIS D'AMÉRIQUE": "US",
    "ESTADOS UNIDOS DE AMÉRICA": "US",
    "STATI UNITI D'AMERICA": "US",
    "AMERIKA": "US",
    "GREAT BRITAIN": "GB",
    "GROSSBRITANNIEN": "GB",
    "GRANDE-BRETAGNE": "GB",
    "GRANDE BRETAGNE": "GB",
    "GRAN BRETAÑA": "GB",
    "GRAN BRETAGNA": "GB",
    "GROOT-BRITTANNIË": "GB",
    "ENGLAND": "GB",
    "ANGLETERRE": "GB",
    "INGHILTERRA": "GB",
    "INGLATERRA": "GB",
    "ENGELAND": "GB",
    "SCOTLAND": "GB",
    "WALES": "GB",
    "NORTHERN IRELAND": "GB",
    "KOREA": "KR",
    "REPUBLIC OF KOREA": "KR",
    "THE NETHERLANDS": "NL",
    "HOLLAND": "NL",
    "CZECH REPUBLIC": "CZ",
    "TSCHECHISCHE REPUBLIK": "CZ",
    "TURKEY": "TR",
    "IVORY COAST": "CI",
    "RUSSIAN FEDERATION": "RU",
    # ISO 3166's English names, as forms and passports print them
    "KOREA, REPUBLIC OF": "KR",
    "KOREA (SOUTH)": "KR",
    "KOREA, DEMOCRATIC PEOPLE'S REPUBLIC OF": "KP",
    "TAIWAN, PROVINCE OF CHINA": "TW",
    "REPUBLIC OF CHINA": "TW",
    "PEOPLE'S REPUBLIC OF CHINA": "CN",
    "CHINA, PEOPLE'S REPUBLIC OF": "CN",
    "IRAN, ISLAMIC REPUBLIC OF": "IR",
    "LAO PEOPLE'S DEMOCRATIC REPUBLIC": "LA",
    "TANZANIA, UNITED REPUBLIC OF": "TZ",
    "BOLIVIA, PLURINATIONAL STATE OF": "BO",
    "VENEZUELA, BOLIVARIAN REPUBLIC OF": "VE",
    "MOLDOVA, REPUBLIC OF": "MD",
    "SYRIAN ARAB REPUBLIC": "SY",
    "UNITED KINGDOM OF GREAT BRITAIN AND NORTHERN IRELAND": "GB",
    "HONG KONG": "HK",
    "MACAO": "MO",
    "MACAU": "MO",
    # Greater China and Korea as marketplaces' country pickers write them (the region, the SAR, the province)
    "MAINLAND CHINA": "CN",
    "CHINA MAINLAND": "CN",
    "CHINA (MAINLAND)": "CN",
    "CHINA, MAINLAND": "CN",
    "CHINESE MAINLAND": "CN",
    "中国大陆": "CN",
    "中國大陸": "CN",
    "中国内地": "CN",
    "中國內地": "CN",
    "HONG KONG SAR": "HK",
    "HONG KONG S.A.R.": "HK",
    "HONG KONG, CHINA": "HK",
    "HONG KONG (CHINA)": "HK",
    "CHINA, HONG KONG SAR": "HK",
    "HONGKONG": "HK",
    "HK SAR": "HK",
    "中国香港": "HK",
    "中國香港": "HK",
    "香港特别行政区": "HK",
    "香港特別行政區": "HK",
    "MACAU SAR": "MO",
    "MACAO SAR": "MO",
    "MACAU, CHINA": "MO",
    "MACAO, CHINA": "MO",
    "CHINA, MACAO SAR": "MO",
    "中国澳门": "MO",
    "中國澳門": "MO",
    "澳门特别行政区": "MO",
    "澳門特別行政區": "MO",
    "REPUBLIC OF CHINA (TAIWAN)": "TW",
    "TAIWAN (REPUBLIC OF CHINA)": "TW",
    "TAIWAN, REPUBLIC OF CHINA": "TW",
    "TAIWAN ROC": "TW",
    "TAIWAN (ROC)": "TW",
    "TAIWAN, R.O.C.": "TW",
    "TAIWAN R.O.C.": "TW",
    "R.O.C.": "TW",
    "TAIWAN, CHINA": "TW",
    "CHINESE TAIPEI": "TW",
    "臺灣": "TW",
    "台湾": "TW",
    "中国台湾": "TW",
    "中國台灣": "TW",
    "中國臺灣": "TW",
    "한국": "KR",
    "남한": "KR",
    "KOREA (REPUBLIC OF)": "KR",
    "KOREA, SOUTH": "KR",
    "SOUTH KOREA (REPUBLIC OF KOREA)": "KR",
    "북한": "KP",
    "중국": "CN",
    # official names in Japanese (residence cards and forms write them), Chinese and Korean
    "中華人民共和国": "CN",
    "中华人民共和国": "CN",
    "大韓民国": "KR",
    "大韩民国": "KR",
    "韓國": "KR",
    "朝鮮民主主義人民共和国": "KP",
    "中華民国": "TW",
    "中華民國": "TW",
    "中华民国": "TW",
    "香港": "HK",
    "澳門": "MO",
    "澳门": "MO",
    "マカオ": "MO",
    "ベトナム社会主義共和国": "VN",
    "フィリピン共和国": "PH",
    "ブラジル連邦共和国": "BR",
    "ネパール連邦民主共和国": "NP",
    "インドネシア共和国": "ID",
    "ミャンマー連邦共和国": "MM",
    "タイ王国": "TH",
    "スリランカ民主社会主義共和国": "LK",
    "ペルー共和国": "PE",
    "グレートブリテン及び北アイルランド連合王国": "GB",
    "バングラデシュ人民共和国": "BD",
    "パキスタン・イスラム共和国": "PK",
    "モンゴル国": "MN",
    "カンボジア王国": "KH",
    "フランス共和国": "FR",
    "ドイツ連邦共和国": "DE",
    "オーストラリア連邦": "AU",
    "ロシア連邦": "RU",
    "イタリア共和国": "IT",
    "スペイン王国": "ES",
    "シンガポール共和国": "SG",
    "ウズベキスタン共和国": "UZ",
    "インド共和国": "IN",
}
"""Codes, abbreviations and everyday names (upper-case), beside the CLDR names
(`country_names`); they win where both name a value."""


def _name_key(name: str) -> str:
    """A country name as `country_code` compares it: NFKC, spaces collapsed, upper-case."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", name)).strip().upper()


def _without_accents(name: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))


COUNTRY_NAMES_FILE = Path(__file__).with_name("data") / "country_names.json"
"""`cldr_country_names()` as written by `python -m resolution.standardization.countries`:
built from babel's CLDR data each night it cost 0.35 s of one core (22
locales parsed), read from this file 5 ms. A test checks the file is what
the installed babel and `INFORMAL_COUNTRY_NAMES` give."""


@cache
def country_names() -> dict[str, str]:
    """Upper-case country name -> ISO alpha-2 (`cldr_country_names`, read from `COUNTRY_NAMES_FILE`)."""
    return json.loads(resources.files("resolution.standardization").joinpath("data/country_names.json").read_text("utf-8"))


def cldr_country_names() -> dict[str, str]:
    """Upper-case country name -> ISO alpha-2: CLDR's name of every country
    in each of `NAME_LANGUAGES`, also without accents (`ÉTATS-UNIS`,
    `ETATS-UNIS`) and without a bracketed part (`Myanmar (Burma)`), the ISO
    alpha-3 codes (CLDR's territory aliases: `CHN`, `KOR`, as passports and
    machine-readable zones write nationality), then `INFORMAL_COUNTRY_NAMES`.
    A name two countries share in some language (`Kongo`) names neither."""
    from babel import Locale
    from babel.core import get_global

    codes: dict[str, set[str]] = {}
    for language in NAME_LANGUAGES:
        for code, name in Locale.parse(language).territories.items():
            if code in ISO_ALPHA2:
                short = re.sub(r"\s*[(（][^)）]*[)）]", "", name)  # `Myanmar (Burma)`, `ミャンマー (ビルマ)`
                for spelling in {name, _without_accents(name), short, _without_accents(short)}:
                    codes.setdefault(_name_key(spelling), set()).add(code)
    names = {name: next(iter(found)) for name, found in codes.items() if len(found) == 1}
    for alias, replacements in get_global("territory_aliases").items():  # ISO alpha-3: `CHN`, `KOR`
        if re.fullmatch(r"[A-Z]{3}", alias) and len(replacements) == 1 and replacements[0] in ISO_ALPHA2:
            names.setdefault(alias, replacements[0])
    for name, code in INFORMAL_COUNTRY_NAMES.items():
        names[_name_key(name)] = code
        names[_name_key(_without_accents(name))] = code
    return dict(sorted(names.items()))


NOT_COUNTRIES_AT_LINE_END = frozenset(
    ["GEORGIA", "GUAM", "PUERTO RICO", "AMERICAN SAMOA", "NORTHERN MARIANA ISLANDS", "U.S. VIRGIN ISLANDS"]
)
"""Country names that are also a US, Canadian or Australian region's
(`…, Atlanta, Georgia`; the US territories, which US addresses write as
states): at the end of an address line, a region, as before CLDR's names
were read, not a country (a test checks this against
`international_addresses.REGION_NAMES`)."""


@cache
def line_country_names() -> dict[str, str]:
    """`country_names` without `NOT_COUNTRIES_AT_LINE_END`."""
    return {name: code for name, code in country_names().items() if name not in NOT_COUNTRIES_AT_LINE_END}


US_STATES = frozenset(
    ["AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "DC", "AS", "GU", "MP", "PR", "VI"]
)
"""US state and territory codes: as the last part of an address line they name a state, not a country."""


def country_code(expr: pl.Expr) -> pl.Expr:
    """ISO alpha-2 code for a country value (`jp`, `Japan`, `日本`,
    `Frankreich`), else null."""
    upper = clean_text(expr).str.to_uppercase()
    by_name = upper.replace_strict(country_names(), default=None, return_dtype=pl.Utf8)
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
    by_name = last.replace_strict(line_country_names(), default=None, return_dtype=pl.Utf8)
    unambiguous = before.str.contains(r"[0-9０-９]").fill_null(False) | ~last.is_in(list(US_STATES))
    by_code = pl.when(last.is_in(list(ISO_ALPHA2)) & three_parts & unambiguous).then(last)
    return pl.coalesce(by_name, by_code)


def standardize_country(frame: pl.DataFrame) -> pl.DataFrame:
    """Add `std_country`: the record's country, else the one its address line
    ends with (a Japanese shop's customer abroad), else, when the record
    writes no country (or `UNKNOWN_COUNTRY_VALUES`), `source_country`. A
    `country` value that names no country gives no default: the record's
    country stays unknown (null) and the value is `country_unrecognized`
    (invalid), so that its phone and postal code are not read as the source
    country's."""
    frame = frame.with_columns(line_country(pl.col("address_line")).alias("_line_country"))
    return over_distinct(frame, ["country", "_line_country", "source_country"], _add_country_columns).drop("_line_country")


def _add_country_columns(frame: pl.DataFrame) -> pl.DataFrame:
    written = clean_text(pl.col("country"))
    given = written.is_not_null() & ~written.str.to_uppercase().is_in(list(UNKNOWN_COUNTRY_VALUES))
    record_country = country_code(pl.col("country"))
    return frame.with_columns(
        pl.coalesce(
            record_country, pl.col("_line_country"), pl.when(~given).then(country_code(pl.col("source_country")))
        ).alias("std_country"),
        issue_when(given & record_country.is_null(), "country_unrecognized").alias(issue_column("country")),
    )


if __name__ == "__main__":  # write COUNTRY_NAMES_FILE again (after a babel upgrade or a change of the names)
    COUNTRY_NAMES_FILE.write_text(json.dumps(cldr_country_names(), ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
