"""One-line addresses outside Japan: the street, town, region and postal code
an address line carries when a source has no columns for them.

Exports outside Japan often write the whole address in one field
(`1600 Amphitheatre Pkwy, Mountain View, CA 94043, USA`, `Hauptstraße 5,
10115 Berlin`, `71 Eleanor Rd, Leeds LS1 4AP`). Compared whole with another
source's street column, such a line looks like another address, and its
postal code and town take no part in matching. Where the line's end has the
shape a country writes it in, it is split:

- region and code after the town (`US`, `CA`, `AU`): `…, Mountain View, CA 94043`
  (or `California 94043`: the region is given as its code);
- code after the town (`GB`, `IE`, `NZ`, `IN`, `SG`): `…, Leeds LS1 4AP`
  (in GB a county may come between: `…, Whiteberg, Staffordshire S72 2US`);
- code before the town (most of continental Europe, `MX`): `…, 10115 Berlin`
  (in IT the province may follow: `…, 00184 Roma RM`).

A trailing part naming the record's own country (`, USA`, `, Deutschland`)
is dropped first. A line whose end has no such shape, or whose country has
none here, is left whole: nothing is guessed.
"""

from __future__ import annotations

import re

import polars as pl

from resolution.standardization.countries import US_STATES, line_country

REGIONS: dict[str, frozenset[str]] = {
    "US": US_STATES,
    "CA": frozenset(["AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT"]),
    "AU": frozenset(["ACT", "NSW", "NT", "QLD", "SA", "TAS", "VIC", "WA"]),
}
"""Region codes written before the postal code, upper-case (`CA 94043`, `QC H3A 1B2`, `NSW 2000`)."""

REGION_NAMES: dict[str, dict[str, str]] = {
    "US": {
        "ALABAMA": "AL", "ALASKA": "AK", "ARIZONA": "AZ", "ARKANSAS": "AR", "CALIFORNIA": "CA", "COLORADO": "CO",
        "CONNECTICUT": "CT", "DELAWARE": "DE", "FLORIDA": "FL", "GEORGIA": "GA", "HAWAII": "HI", "IDAHO": "ID",
        "ILLINOIS": "IL", "INDIANA": "IN", "IOWA": "IA", "KANSAS": "KS", "KENTUCKY": "KY", "LOUISIANA": "LA",
        "MAINE": "ME", "MARYLAND": "MD", "MASSACHUSETTS": "MA", "MICHIGAN": "MI", "MINNESOTA": "MN",
        "MISSISSIPPI": "MS", "MISSOURI": "MO", "MONTANA": "MT", "NEBRASKA": "NE", "NEVADA": "NV",
        "NEW HAMPSHIRE": "NH", "NEW JERSEY": "NJ", "NEW MEXICO": "NM", "NEW YORK": "NY", "NORTH CAROLINA": "NC",
        "NORTH DAKOTA": "ND", "OHIO": "OH", "OKLAHOMA": "OK", "OREGON": "OR", "PENNSYLVANIA": "PA",
        "RHODE ISLAND": "RI", "SOUTH CAROLINA": "SC", "SOUTH DAKOTA": "SD", "TENNESSEE": "TN", "TEXAS": "TX",
        "UTAH": "UT", "VERMONT": "VT", "VIRGINIA": "VA", "WASHINGTON": "WA", "WEST VIRGINIA": "WV",
        "WISCONSIN": "WI", "WYOMING": "WY", "DISTRICT OF COLUMBIA": "DC", "AMERICAN SAMOA": "AS", "GUAM": "GU",
        "NORTHERN MARIANA ISLANDS": "MP", "PUERTO RICO": "PR", "VIRGIN ISLANDS": "VI",
        "U.S. VIRGIN ISLANDS": "VI",
    },
    "CA": {
        "ALBERTA": "AB", "BRITISH COLUMBIA": "BC", "COLOMBIE-BRITANNIQUE": "BC", "MANITOBA": "MB",
        "NEW BRUNSWICK": "NB", "NOUVEAU-BRUNSWICK": "NB", "NEWFOUNDLAND AND LABRADOR": "NL",
        "TERRE-NEUVE-ET-LABRADOR": "NL", "NOVA SCOTIA": "NS", "NOUVELLE-ÉCOSSE": "NS",
        "NORTHWEST TERRITORIES": "NT", "TERRITOIRES DU NORD-OUEST": "NT", "NUNAVUT": "NU", "ONTARIO": "ON",
        "PRINCE EDWARD ISLAND": "PE", "ÎLE-DU-PRINCE-ÉDOUARD": "PE", "QUEBEC": "QC", "QUÉBEC": "QC",
        "SASKATCHEWAN": "SK", "YUKON": "YT",
    },
    "AU": {
        "AUSTRALIAN CAPITAL TERRITORY": "ACT", "NEW SOUTH WALES": "NSW", "NORTHERN TERRITORY": "NT",
        "QUEENSLAND": "QLD", "SOUTH AUSTRALIA": "SA", "TASMANIA": "TAS", "VICTORIA": "VIC",
        "WESTERN AUSTRALIA": "WA",
    },
}  # fmt: skip
"""Regions written out (any case), by their codes: `…, Mountain View, California 94043` is `CA`."""


def region_code(country: pl.Expr, region: pl.Expr) -> pl.Expr:
    """`region` (a state or province, code or name, any case) upper-case, as
    its code where `country` has `REGION_NAMES` (`California` in the US ->
    `CA`); else upper-case as written."""
    upper = region.str.to_uppercase()
    by_name = pl.concat_str([country, upper], separator="|").replace_strict(
        _CODES_BY_COUNTRY_AND_NAME, default=None, return_dtype=pl.Utf8
    )
    return pl.coalesce(by_name, upper)


_CODES_BY_COUNTRY_AND_NAME = {f"{c}|{name}": code for c, names in REGION_NAMES.items() for name, code in names.items()}
"""`REGION_NAMES` keyed `US|CALIFORNIA`: one lookup for every country."""

_CODE_AFTER_REGION = {"US": r"\d{5}", "CA": r"(?i:[a-z]\d[a-z][ -]?\d[a-z]\d)", "AU": r"\d{4}"}
_ZIP_PLUS_FOUR = r"(?:-\d{4})?"
"""Kept out of the US code: matching compares the 5-digit ZIP (`standardize_postal_code`)."""

_CODE_AFTER_TOWN = {
    "GB": r"(?i:[a-z]{1,2}\d[a-z\d]? ?\d[a-z]{2})",
    "IE": r"(?i:[a-z]\d[\dw] ?[a-z\d]{4})",
    "NZ": r"\d{4}",
    "IN": r"\d{3} ?\d{3}",
    "SG": r"\d{6}",
}

_CODE_BEFORE_TOWN = {
    **dict.fromkeys(("DE", "FR", "ES", "IT", "FI", "MX", "HR", "EE", "TR"), r"\d{5}"),
    **dict.fromkeys(("AT", "CH", "BE", "DK", "NO", "LU", "HU", "SI", "LI"), r"\d{4}"),
    **dict.fromkeys(("SE", "CZ", "SK", "GR"), r"\d{3} ?\d{2}"),
    "NL": r"\d{4} ?(?i:[a-z]{2})",
    "PT": r"\d{4}-\d{3}",
    "PL": r"\d{2}-\d{3}",
}

GB_COUNTIES = frozenset(
    ["Bedfordshire", "Berkshire", "Bristol", "Buckinghamshire", "Cambridgeshire", "Cheshire", "Cleveland", "Cornwall",
     "Cumbria", "Derbyshire", "Devon", "Dorset", "Durham", "County Durham", "East Riding of Yorkshire", "East Sussex",
     "Essex", "Gloucestershire", "Greater London", "Greater Manchester", "Hampshire", "Herefordshire", "Hertfordshire",
     "Isle of Wight", "Kent", "Lancashire", "Leicestershire", "Lincolnshire", "Merseyside", "Middlesex", "Norfolk",
     "North Yorkshire", "Northamptonshire", "Northumberland", "Nottinghamshire", "Oxfordshire", "Rutland",
     "Shropshire", "Somerset", "South Yorkshire", "Staffordshire", "Suffolk", "Surrey", "Tyne and Wear",
     "Warwickshire", "West Berkshire", "West Midlands", "West Sussex", "West Yorkshire", "Wiltshire",
     "Worcestershire", "Yorkshire", "Anglesey", "Isle of Anglesey", "Breconshire", "Caernarvonshire",
     "Cardiganshire", "Carmarthenshire", "Clwyd", "Denbighshire", "Dyfed", "Flintshire", "Glamorgan",
     "Gwent", "Gwynedd", "Merionethshire", "Monmouthshire", "Montgomeryshire", "Pembrokeshire", "Powys",
     "Radnorshire", "Aberdeen City", "Aberdeenshire", "Angus", "Argyll and Bute", "City of Edinburgh",
     "Clackmannanshire", "Dumfries and Galloway", "Dundee City", "East Ayrshire", "East Dunbartonshire",
     "East Lothian", "East Renfrewshire", "Eilean Siar", "Falkirk", "Fife", "Glasgow City", "Highland",
     "Inverclyde", "Midlothian", "Moray", "North Ayrshire", "North Lanarkshire", "Orkney Islands",
     "Perth and Kinross", "Renfrewshire", "Scottish Borders", "Shetland Islands", "South Ayrshire",
     "South Lanarkshire", "Stirling", "West Dunbartonshire", "West Lothian", "Antrim", "County Antrim", "Armagh",
     "County Armagh", "Down", "County Down", "Fermanagh", "County Fermanagh", "Derry and Londonderry",
     "Londonderry", "County Londonderry", "Tyrone", "County Tyrone"]
)  # fmt: skip
"""Counties (and Scottish council areas) written between the town and the
postcode (`…, Whiteberg, Staffordshire S72 2US`): the region, not the town,
when another part before them can be the town (`…, Durham DH1 3HP`: the town)."""

_PROVINCE_AFTER_TOWN = r"(?:\s+\(?(?P<region>[A-Z]{2})\)?)?"
"""An Italian line's province after the town (`00184 Roma RM`, `20121 Milano (MI)`): the region."""

_SEPARATOR = r"(?:\s*,\s*|\s+)"
_TOWN = r"(?P<town>[^,\d][^,]*?)"


def _patterns() -> dict[str, str]:
    """Per country, a pattern of the whole line (without the country) with
    groups `street`, `town`, `region`, `code` (each may be absent)."""
    patterns = {}
    for country, code in _CODE_AFTER_REGION.items():
        codes = "|".join(sorted(REGIONS[country], key=len, reverse=True))
        names = "|".join(sorted((re.escape(n) for n in REGION_NAMES[country]), key=len, reverse=True))
        patterns[country] = (
            rf"^(?P<street>.+?)(?:\s*,\s*{_TOWN})?{_SEPARATOR}(?P<region>{codes}|(?i:{names}))\.?{_SEPARATOR}"
            rf"(?P<code>{code})"
            + (_ZIP_PLUS_FOUR if country == "US" else "")
            + "$"
        )
    counties = "|".join(sorted(GB_COUNTIES, key=len, reverse=True))
    for country, code in _CODE_AFTER_TOWN.items():
        county = rf"(?:\s*,\s*(?P<region>(?i:{counties})))?" if country == "GB" else ""
        patterns[country] = rf"^(?P<street>.+?)(?:\s*,\s*{_TOWN}{county})?{_SEPARATOR}(?P<code>{code})$"
    for country, code in _CODE_BEFORE_TOWN.items():
        # four digits are a house number as often as a code: only after a comma
        before = r"\s*,\s*" if code == r"\d{4}" else _SEPARATOR
        province = _PROVINCE_AFTER_TOWN if country == "IT" else ""
        patterns[country] = (
            rf"^(?:(?P<street>.+?){before})?(?:(?i:[a-z]{{1,2}})-)?(?P<code>{code})\s+{_TOWN}{province}$"
        )
    return patterns


LINE_PATTERNS: dict[str, str] = _patterns()
"""The countries whose one-line addresses are split, and how (see the module docstring)."""

PARTS = ("street", "town", "region", "code")


def split_international_lines(lines: pl.DataFrame) -> pl.DataFrame:
    """`lines` (columns `line`: a cleaned address line, `country`: its
    record's ISO code) with the columns `street`, `town`, `region` and
    `code` (the postal code, upper-case, spaces and dashes as written) of
    each line `LINE_PATTERNS` splits; null in all four for the others.
    A trailing part naming `country` is dropped before the split. One regex
    pass per country over its distinct lines."""
    wanted = (
        lines.select("line", "country")
        .filter(pl.col("line").is_not_null() & pl.col("country").is_in(list(LINE_PATTERNS)))
        .unique()
    )
    if wanted.height == 0:
        return lines.with_columns(pl.lit(None, pl.Utf8).alias(part) for part in PARTS)
    without_country = (
        pl.when(line_country(pl.col("line")) == pl.col("country"))
        .then(pl.col("line").str.replace(r"\s*[,，][^,，]*$", ""))
        .otherwise(pl.col("line"))
    )
    wanted = wanted.with_columns(without_country.str.strip_chars().alias("_line"))
    by_country = wanted.partition_by("country", as_dict=True)
    parts = (
        pl.concat([_split(group, LINE_PATTERNS[country]) for (country,), group in by_country.items()])
        .with_columns(pl.col(PARTS).str.strip_chars(" ,"))
        .with_columns(pl.col("code").str.to_uppercase())
    )
    return lines.join(parts, on=["line", "country"], how="left", maintain_order="left")


def _split(lines: pl.DataFrame, pattern: str) -> pl.DataFrame:
    """`line`, `country` and the `PARTS` of `lines`' `_line` by `pattern` (a part it has no group for: null)."""
    groups = pl.col("_line").str.extract_groups(pattern)
    return lines.select(
        "line",
        "country",
        *[
            groups.struct.field(part) if f"(?P<{part}>" in pattern else pl.lit(None, pl.Utf8).alias(part)
            for part in PARTS
        ],
    )
