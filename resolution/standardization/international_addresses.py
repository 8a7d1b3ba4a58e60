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
  (in IT the province may follow: `…, 00184 Roma RM`);
- town and state after the street, number, complement and district (`BR`),
  the CEP after them if at all: `Rua Augusta, 1500, apto 12 - Consolação,
  São Paulo - SP, 01305-100` (also `São Paulo/SP`); the district stays in the
  street, as a Mexican colonia does;
- a known town at the end (`AE`, which has no postal codes): `Flat 2507, Al
  Noor Tower, Al Nuaimiya, Ajman`, or without commas;
- town, a province if the line names one (`southeast_asian_places`), code
  (`PH`, `ID`): `12 Rizal St., Brgy. San Antonio, Makati City, Metro Manila
  1203`; the barangay (a kelurahan) stays in the street, as a colonia does;
- town (its province) and code (`TH`), after a comma in Latin letters
  (`99/1 Sukhumvit Rd, Khlong Toei, Bangkok 10110`), after a space in Thai
  script, where it is marked a province or is one (`… อ.เมืองขอนแก่น
  จ.ขอนแก่น 40000`, `… เขตคลองเตย กรุงเทพฯ 10110`);
- code before the town, the state after it if at all (`MY`): `No. 5, Jalan
  Ampang, 53100 Kuala Lumpur, Wilayah Persekutuan`;
- a city or province at the end, its code after it if at all (`VN`): `Số 12
  Phố Huế, Phường Hàng Bài, Quận Hoàn Kiếm, Hà Nội`.

A P.O. box the line carries besides the street (`AE`: `…, Dubai, UAE, P.O.
Box 69934`) is dropped from it (the canonical schema has no field for it),
then a trailing part naming the record's own country (`, USA`,
`, Deutschland`, `, UAE`). A line whose end has no such shape, or whose
country has none here, is left whole: nothing is guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import polars as pl

from resolution.standardization.countries import US_STATES, line_country
from resolution.standardization.postal_codes import ZERO_PADDED_CODES
from resolution.standardization.southeast_asian_places import (
    ID_PROVINCES,
    MY_STATES,
    MY_STATES_AT_LINE_END,
    PH_PROVINCES,
    TH_PROVINCES,
    THAI_PROVINCE_SIGN,
    VN_TOWN_AT_LINE_END,
)
from resolution.standardization.text import clean_text, without_accent_marks

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

STATE_NAMES: dict[str, dict[str, str]] = {
    "MX": {
        "AGUASCALIENTES": "AGU", "AGS": "AGU", "BAJA CALIFORNIA": "BCN", "BC": "BCN",
        "BAJA CALIFORNIA SUR": "BCS", "CAMPECHE": "CAM", "CAMP": "CAM", "CHIAPAS": "CHP", "CHIS": "CHP",
        "CHIHUAHUA": "CHH", "CHIH": "CHH", "CIUDAD DE MEXICO": "CMX", "CDMX": "CMX", "CD MX": "CMX",
        "CD DE MEXICO": "CMX", "DISTRITO FEDERAL": "CMX", "DF": "CMX", "MEXICO DF": "CMX",
        "COAHUILA": "COA", "COAHUILA DE ZARAGOZA": "COA", "COAH": "COA", "COLIMA": "COL",
        "DURANGO": "DUR", "DGO": "DUR", "GUANAJUATO": "GUA", "GTO": "GUA", "GUERRERO": "GRO",
        "HIDALGO": "HID", "HGO": "HID", "JALISCO": "JAL", "MEXICO": "MEX", "ESTADO DE MEXICO": "MEX",
        "EDO DE MEXICO": "MEX", "EDO MEX": "MEX", "EDOMEX": "MEX", "MICHOACAN": "MIC",
        "MICHOACAN DE OCAMPO": "MIC", "MICH": "MIC", "MORELOS": "MOR", "NAYARIT": "NAY",
        "NUEVO LEON": "NLE", "NL": "NLE", "OAXACA": "OAX", "PUEBLA": "PUE", "QUERETARO": "QUE",
        "QUERETARO DE ARTEAGA": "QUE", "QRO": "QUE", "QUINTANA ROO": "ROO", "Q ROO": "ROO",
        "QROO": "ROO", "SAN LUIS POTOSI": "SLP", "SINALOA": "SIN", "SONORA": "SON", "TABASCO": "TAB",
        "TAMAULIPAS": "TAM", "TAMPS": "TAM", "TLAXCALA": "TLA", "TLAX": "TLA", "VERACRUZ": "VER",
        "VERACRUZ DE IGNACIO DE LA LLAVE": "VER", "YUCATAN": "YUC", "ZACATECAS": "ZAC",
        **{code: code for code in ("AGU", "BCN", "BCS", "CAM", "CHP", "CHH", "CMX", "COA", "COL", "DUR",
                                   "GUA", "GRO", "HID", "JAL", "MEX", "MIC", "MOR", "NAY", "NLE", "OAX",
                                   "PUE", "QUE", "ROO", "SLP", "SIN", "SON", "TAB", "TAM", "TLA", "VER",
                                   "YUC", "ZAC")},
    },
    "BR": {
        "ACRE": "AC", "ALAGOAS": "AL", "AMAPA": "AP", "AMAZONAS": "AM", "BAHIA": "BA", "CEARA": "CE",
        "DISTRITO FEDERAL": "DF", "ESPIRITO SANTO": "ES", "GOIAS": "GO", "MARANHAO": "MA",
        "MATO GROSSO": "MT", "MATO GROSSO DO SUL": "MS", "MINAS GERAIS": "MG", "PARA": "PA",
        "PARAIBA": "PB", "PARANA": "PR", "PERNAMBUCO": "PE", "PIAUI": "PI", "RIO DE JANEIRO": "RJ",
        "RIO GRANDE DO NORTE": "RN", "RIO GRANDE DO SUL": "RS", "RONDONIA": "RO", "RORAIMA": "RR",
        "SANTA CATARINA": "SC", "SAO PAULO": "SP", "SERGIPE": "SE", "TOCANTINS": "TO",
    },
    "PH": {"METRO MANILA": "NCR", "NATIONAL CAPITAL REGION": "NCR", "NCR": "NCR", "MM": "NCR"},
    "MY": MY_STATES,
    "AE": {
        "ABU DHABI": "AZ", "ABUDHABI": "AZ", "AJMAN": "AJ", "DUBAI": "DU", "FUJAIRAH": "FU",
        "AL FUJAIRAH": "FU", "RAS AL KHAIMAH": "RK", "RAK": "RK", "SHARJAH": "SH", "ASH SHARIQAH": "SH",
        "UMM AL QUWAIN": "UQ", "UMM AL QAIWAIN": "UQ", "UAQ": "UQ",
    },
}  # fmt: skip
"""States, emirates and federal units written out, as a state column writes
them (upper-case, accents and punctuation dropped: `Nuevo León`, `NUEVO
LEON`, `N.L.` are `NLE`; `CDMX`, `Ciudad de México`, `Distrito Federal` are
`CMX`; `São Paulo` is `SP`), by their ISO 3166-2 codes. Brazil's UF codes
are its state codes as written; the other countries' codes are listed too,
so that a code written as such stays itself. Here and not in
`REGION_NAMES`: no line is split by them, and a state may have its
country's name (México)."""

BR_STATES = frozenset(STATE_NAMES["BR"].values())

AE_TOWNS: dict[str, str] = {
    "DUBAI": "DU", "ABU DHABI": "AZ", "SHARJAH": "SH", "AJMAN": "AJ", "UMM AL QUWAIN": "UQ",
    "UMM AL-QUWAIN": "UQ", "RAS AL KHAIMAH": "RK", "RAS AL-KHAIMAH": "RK", "FUJAIRAH": "FU", "AL AIN": "AZ",
    "KHOR FAKKAN": "SH", "KALBA": "SH", "DIBBA": "", "HATTA": "DU", "RUWAIS": "AZ", "MADINAT ZAYED": "AZ",
}  # fmt: skip
"""Towns of the Emirates an address line ends with (upper-case), by the
emirate each lies in (`Al Ain`: Abu Dhabi); `""` where that is not one
(Dibba is Fujairah's and Sharjah's). Each emirate's seat bears its name, so a
record whose town is `Dubai` and which names no emirate is in Dubai's
(`town_region`)."""

AE_AREAS_ENDING_WITH_A_TOWN = ("BUR",)
"""The first words of areas named after their town (`Bur Dubai`): a line
ending with the area is not split before the town's name."""


def _state_key(region: pl.Expr) -> pl.Expr:
    """`region` as `STATE_NAMES` spells it: upper-case, accents dropped, `.`
    dropped, other punctuation a space, spaces collapsed."""
    upper = without_accent_marks(clean_text(region).str.to_uppercase())
    spaced = upper.str.replace_all(r"\.", "").str.replace_all(r"[\p{P}\s]+", " ")
    return spaced.str.strip_chars()


def region_code(country: pl.Expr, region: pl.Expr) -> pl.Expr:
    """`region` (a state or province, code or name, any case) upper-case, as
    its code where `country` has `REGION_NAMES` (`California` in the US ->
    `CA`) or `STATE_NAMES` (`Nuevo León`, `NUEVO LEON`, `N.L.` in MX ->
    `NLE`); else upper-case as written, accents dropped (`ÎLE-DE-FRANCE` and
    `ILE-DE-FRANCE` meet)."""
    upper = region.str.to_uppercase()
    by_name = pl.concat_str([country, upper], separator="|").replace_strict(
        _CODES_BY_COUNTRY_AND_NAME, default=None, return_dtype=pl.Utf8
    )
    by_state = pl.concat_str([country, _state_key(region)], separator="|").replace_strict(
        _CODES_BY_COUNTRY_AND_STATE, default=None, return_dtype=pl.Utf8
    )
    unaccented = without_accent_marks(upper).str.normalize("NFC")
    return pl.coalesce(by_name, by_state, unaccented)


def town_region(country: pl.Expr, town: pl.Expr) -> pl.Expr:
    """The region a town lies in where the town tells it (`AE_TOWNS`: a record
    of the Emirates in `Dubai` is in Dubai's emirate, code `DU`); else null."""
    key = pl.concat_str([country, clean_text(town).str.to_uppercase()], separator="|")
    return key.replace_strict(_REGIONS_BY_TOWN, default=None, return_dtype=pl.Utf8)


_CODES_BY_COUNTRY_AND_NAME = {f"{c}|{name}": code for c, names in REGION_NAMES.items() for name, code in names.items()}
"""`REGION_NAMES` keyed `US|CALIFORNIA`: one lookup for every country."""

_CODES_BY_COUNTRY_AND_STATE = {f"{c}|{name}": code for c, names in STATE_NAMES.items() for name, code in names.items()}
"""`STATE_NAMES` keyed `MX|NUEVO LEON`."""

_REGIONS_BY_TOWN = {f"AE|{town}": emirate for town, emirate in AE_TOWNS.items() if emirate}

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

LOST_ZERO_COUNTRIES = frozenset(
    country for country, code in _CODE_BEFORE_TOWN.items() if code == r"\d{5}" and ZERO_PADDED_CODES.get(country, (0,))[0] == 5
)
"""Countries of 5-digit codes written before the town whose leading zero a
spreadsheet drops (`ZERO_PADDED_CODES`: DE, FR, ES, IT, FI, MX, TR): a line may carry
the code as four digits (`Birkenallee 36, 1067 Dresden`, composed from a
number column), read as the code after a comma only, where a house number
is not (`Im Feld 1234 Dresden` stays whole). `standardize_postal_code` puts
the zero back (`postal_codes.restored_zeros`)."""

_PROVINCE_AFTER_TOWN = r"(?:\s+\(?(?P<region>[A-Z]{2})\)?)?"
"""An Italian line's province after the town (`00184 Roma RM`, `20121 Milano (MI)`): the region."""

_SEPARATOR = r"(?:\s*,\s*|\s+)"
_TOWN = r"(?P<town>[^,\d][^,]*?)"


_BR_TOWN_WORD = r"[^\s,/\d\-–][^\s,/]*"
"""A word of a Brazilian town: not a number, no comma or slash (`Embu-Guaçu` is one word)."""

_BR_PATTERN = (
    rf"^(?P<street>.+?)(?:\s*,\s*|\s+[-–]\s+)(?P<town>{_BR_TOWN_WORD}(?:\s+{_BR_TOWN_WORD})*)"
    rf"(?:\s*[-–/,]\s*|\s+)(?P<region>(?i:{'|'.join(sorted(BR_STATES))}))"
    r"(?:\s*[,-]?\s*(?:(?i:cep)\s*:?\s*)?(?P<code>\d{5}-?\d{3}))?$"
)
"""`street[, number][, complement] - district, town - UF[, CEP]`: the town is
the last part before the state, after a comma or a spaced dash."""

_AE_PATTERN = (
    r"^(?P<street>.+?)(?:(?:\s*,\s*|\s+)(?P<town>(?i:"
    + "|".join(sorted((re.escape(town) for town in AE_TOWNS), key=len, reverse=True))
    + r")))?$"
)
"""The line, and a known town that ends it after a comma or a space (the street
when none does)."""

PO_BOX = r"(?i)\s*,?\s*\bP\.?\s*O\.?\s*Box\s*(?:No\.?\s*)?\d+\s*"
"""A P.O. box anywhere in a line (`P.O. Box 69934`, `PO Box 123`, `P O BOX 5`), with the comma before it."""

PO_BOX_COUNTRIES = frozenset(["AE"])
"""Countries whose lines may name a P.O. box besides the street: dropped
there (in the US a P.O. box is the address, and is kept)."""


_CODE_AFTER_TOWN_AND_PROVINCE = {"PH": (r"\d{4}", PH_PROVINCES), "ID": (r"\d{5}", ID_PROVINCES)}
"""`…, town[, province] code`: the province only where `southeast_asian_places` knows it (else it is the town)."""

NEEDS_CODE_OR_REGION = frozenset(_CODE_AFTER_TOWN_AND_PROVINCE)
"""Countries whose lines are split only where a postal code or a province
ends them: a last part alone may be a barangay as well as a town."""


def _alternatives(names: Iterable[str]) -> str:
    """`names` as a regex alternation, longest first (`Davao del Sur` before `Davao`)."""
    return "|".join(sorted((re.escape(name) for name in names), key=len, reverse=True))


def _spelled_with_dots(name: str) -> str:
    """A pattern of `name` (upper-case words) that also matches it with dots
    after its words and the letters of a two-letter one (`WP KUALA LUMPUR`:
    `W.P. Kuala Lumpur`)."""
    words = (r"\.?".join(word) if len(word) <= 2 else re.escape(word) for word in name.split())
    return r"\.?\s*".join(words)


_TH_PATTERN = (
    rf"^(?P<street>.+?)(?:\s*,\s*{_TOWN}|\s+(?P<thai_town>{THAI_PROVINCE_SIGN}\s*[^,\s\d]+"
    rf"|{_alternatives(TH_PROVINCES)}))?{_SEPARATOR}(?P<code>\d{{5}})$"
)
"""A Thai line: `street, town code` in Latin letters; in Thai script the town
(group `thai_town`) after a space, marked `จ.`/`จังหวัด` or a province's
name (`TH_PROVINCES`)."""

_MY_PATTERN = (
    rf"^(?:(?P<street>.+?){_SEPARATOR})?(?P<code>\d{{5}})\s+{_TOWN}"
    rf"(?:{_SEPARATOR}(?P<region>(?i:{'|'.join(_spelled_with_dots(name) for name in MY_STATES_AT_LINE_END)})))?$"
)
"""A Malaysian line: `street, code town[, state]`."""

_VN_PATTERN = rf"^(?P<street>.+?)\s*,\s*(?P<town>{VN_TOWN_AT_LINE_END})(?:{_SEPARATOR}(?P<code>\d{{6}}))?$"
"""A Vietnamese line ending with its city or province (`VN_TOWN_AT_LINE_END`), a postal code after it if at all."""


_CIS_TOWN_MARKER = r"(?i:г\.|гор\.|город|м\.|місто|пгт\.?|смт\.?|пос\.|с\.|село|g\.|gorod)"
"""Words that say a town follows in a Russian, Ukrainian, Kazakh or Belarusian
line (`г. Москва`, `м. Київ`, `пгт.`, `с.`; `g. Moskva` transliterated)."""

_CIS_REGION = r"(?i:[^,]*?(?:обл\.?|область|край|респ\.?|республика|автономный округ|ао))"
_CIS_DISTRICT = r"(?i:[^,]*?(?:р-н|район|р-он))"

_CIS_PATTERN = (
    r"^(?:(?P<code>\d{5,6})\s*,\s*)?"
    rf"(?:(?P<region>{_CIS_REGION})\s*,\s*)?(?:{_CIS_DISTRICT}\s*,\s*)?"
    rf"(?:(?P<marker>{_CIS_TOWN_MARKER})\s*)?(?P<town>[^,\d][^,]*?)\s*,\s*(?P<street>.+?)"
    r"(?:\s*,\s*(?P<code_end>\d{5,6}))?$"
)
"""A Russian, Ukrainian, Kazakh or Belarusian line: town first, then the
street and house (`101000, г. Москва, ул. Ленина, д. 5, кв. 12`; `м. Київ,
вул. Хрещатик, 1`), the postal code first or last, a region and a district
before the town if at all. Split only where a town word or a postal code
says where the town is (`ул. Ленина, д. 5` alone is a street)."""

CIS_COUNTRIES = ("RU", "UA", "KZ", "BY")


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
        if country in LOST_ZERO_COUNTRIES:
            code, before = r"\d{4,5}", r"(?:\s*,\s*(?P<comma>)|\s+)"
        province = _PROVINCE_AFTER_TOWN if country == "IT" else ""
        patterns[country] = (
            rf"^(?:(?P<street>.+?){before})?(?:(?i:[a-z]{{1,2}})-)?(?P<code>{code})\s+{_TOWN}{province}$"
        )
    for country, (code, provinces) in _CODE_AFTER_TOWN_AND_PROVINCE.items():
        patterns[country] = (
            rf"^(?P<street>.+?)\s*,\s*{_TOWN}(?:{_SEPARATOR}(?P<region>(?i:{_alternatives(provinces)})))?"
            rf"(?:{_SEPARATOR}(?P<code>{code}))?$"
        )
    patterns["TH"] = _TH_PATTERN
    patterns["MY"] = _MY_PATTERN
    patterns["VN"] = _VN_PATTERN
    patterns["BR"] = _BR_PATTERN
    patterns["AE"] = _AE_PATTERN
    patterns.update(dict.fromkeys(CIS_COUNTRIES, _CIS_PATTERN))
    return patterns


LINE_PATTERNS: dict[str, str] = _patterns()
"""The countries whose one-line addresses are split, and how (see the module docstring)."""

PARTS = ("street", "town", "region", "code")


def split_international_lines(lines: pl.DataFrame) -> pl.DataFrame:
    """`lines` (columns `line`: a cleaned address line, `country`: its
    record's ISO code) with the columns `street`, `town`, `region` and
    `code` (the postal code, upper-case, spaces and dashes as written) of
    each line `LINE_PATTERNS` splits; null in all four for the others.
    A P.O. box (`PO_BOX_COUNTRIES`), then a trailing part naming `country`,
    are dropped before the split. One regex pass per country over its
    distinct lines."""
    wanted = (
        lines.select("line", "country")
        .filter(pl.col("line").is_not_null() & pl.col("country").is_in(list(LINE_PATTERNS)))
        .unique()
    )
    if wanted.height == 0:
        return lines.with_columns(pl.lit(None, pl.Utf8).alias(part) for part in PARTS)
    without_box = (
        pl.when(pl.col("country").is_in(list(PO_BOX_COUNTRIES)))
        .then(pl.col("line").str.replace_all(PO_BOX, " ").str.strip_chars(" ,"))
        .otherwise(pl.col("line"))
    )
    without_country = (
        pl.when(line_country(without_box) == pl.col("country"))
        .then(without_box.str.replace(r"\s*[,，][^,，]*$", ""))
        .otherwise(without_box)
    )
    wanted = wanted.with_columns(without_country.str.strip_chars().alias("_line"))
    by_country = wanted.partition_by("country", as_dict=True)
    parts = (
        pl.concat([_split(group, country) for (country,), group in by_country.items()])
        .with_columns(pl.col(PARTS).str.strip_chars(" ,"))
        .with_columns(pl.col("code").str.to_uppercase())
        .with_columns(_area_named_after_its_town())
    )
    return lines.join(parts, on=["line", "country"], how="left", maintain_order="left")


def _area_named_after_its_town() -> list[pl.Expr]:
    """An Emirates line ending with an area named after its town (`…, Bur
    Dubai`) kept whole: its street is the line, its town unknown."""
    words = "|".join(AE_AREAS_ENDING_WITH_A_TOWN)
    area = (pl.col("country") == "AE") & pl.col("street").str.contains(rf"(?i)(?:^|[\s,])(?:{words})$").fill_null(False)
    return [
        pl.when(area).then(pl.concat_str("street", "town", separator=" ")).otherwise("street").alias("street"),
        pl.when(~area).then("town").alias("town"),
    ]


_LAZY_STREET = "^(?P<street>.+?)"
"""How most `LINE_PATTERNS` start: the street, then the end that names the town, region and code."""


def _split(lines: pl.DataFrame, country: str) -> pl.DataFrame:
    """`line`, `country` and the `PARTS` of `lines`' `_line` by `country`'s
    pattern (a part it has no group for: null). A code of four digits where
    five are written (`LOST_ZERO_COUNTRIES`) counts only after a comma; a
    line of `NEEDS_CODE_OR_REGION` only with one of them."""
    pattern = LINE_PATTERNS[country]
    line = pl.col("_line")
    if pattern.startswith(_LAZY_STREET):
        # the end alone, found from the line's end: the street is what comes before it (the same
        # split: the leftmost end that matches leaves the shortest street), found about 5 times faster
        end = pl.col("_groups").struct.field("_end")
        lines = lines.with_columns(line.str.extract_groups(f"(?P<_end>{pattern[len(_LAZY_STREET):]})").alias("_groups"))
        lines = lines.with_columns(
            pl.col("_groups").struct.with_fields(
                pl.when(end.is_not_null())
                .then(line.str.slice(0, line.str.len_chars() - end.str.len_chars()))
                .alias("street")
            )
        )
    else:
        # the groups once, as a column: each field of an expression would run the pattern again
        lines = lines.with_columns(line.str.extract_groups(pattern).alias("_groups"))
    groups = pl.col("_groups")
    split = pl.lit(True)
    if "(?P<comma>" in pattern:
        split = groups.struct.field("comma").is_not_null() | (groups.struct.field("code").str.len_chars() == 5)
    if country in NEEDS_CODE_OR_REGION:
        split = groups.struct.field("code").is_not_null() | groups.struct.field("region").is_not_null()
    if "(?P<marker>" in pattern:  # a town said by its word or placed by a postal code before it
        split = groups.struct.field("marker").is_not_null() | groups.struct.field("code").is_not_null()

    def part(name: str) -> pl.Expr:
        found = groups.struct.field(name) if f"(?P<{name}>" in pattern else pl.lit(None, pl.Utf8)
        if name == "town" and "(?P<thai_town>" in pattern:
            found = pl.coalesce(found, groups.struct.field("thai_town"))
        if name == "code" and "(?P<code_end>" in pattern:
            found = pl.coalesce(found, groups.struct.field("code_end"))
        return pl.when(split).then(found).alias(name)

    return lines.select("line", "country", *[part(name) for name in PARTS])
