"""Addresses: `std_prefecture`, `std_city`, `std_address`, `std_building`.

Japanese addresses (country JP, or written in Japanese script: see
`_address_script`) are split as `japanese_addresses.parse_japanese_address` splits them: on large
inputs the street part by expressions, prefecture and city in Python once per
distinct text before the first digit; lines with what those expressions do
not cover (kanji numerals, `番町`, `号室` ...) and small inputs go through
`parse_japanese_address` itself, once per distinct (prefecture, city,
address_line). Japanese addresses written in Latin letters (`4-17-10 Shibuya,
Shibuya-ku, Tokyo`) go through `romaji_addresses.parse_romaji_address`, once
per distinct (address_line, prefecture, city, postal code), which gives the
kanji path's forms wherever Japan Post's readings confirm them. Whichever
path split them, Japanese city and street parts are then folded to one
spelling (`fold_place_name`, `fold_street`: 霞ヶ関/霞が関, 奥澤/奥沢,
大字上野/上野), once per distinct value. Chinese, Taiwanese, Hong Kong and
Korean addresses in their own scripts go through `east_asian_addresses`,
once per distinct address. Other addresses are normalized with polars
expressions:
lower-case, accents stripped, `ß` -> `ss`, common words abbreviated
(`Street` -> `st`, `Avenida` -> `av`, `Flat` -> `apt`; the German street
suffix, `Hauptstraße`, `Hauptstrasse`, `Hauptstr.` -> `hauptstr`), a flat
written after a building's name put first (`unit_first`). A postal code the
line starts or ends with (`〒100-0001 東京都...`) is not part of the address:
the line is split without it, and the code is left for `standardize_postal_code`.
"""

from __future__ import annotations

import re

import polars as pl

from resolution.standardization.distinct import map_distinct, over_distinct
from resolution.standardization.east_asian_addresses import (
    CHINESE,
    CHINESE_REGION_AT_START,
    CHINESE_SCRIPT_COUNTRIES,
    HANGUL,
    KANA,
    KOREAN,
    parse_east_asian_address,
)
from resolution.standardization.international_addresses import (
    region_code,
    split_international_lines,
    town_region,
)
from resolution.standardization.issues import issue_column, issue_when
from resolution.standardization.japanese_addresses import (
    BLOCK_MARKER_ENDS,
    BUILDING_AFTER_NUMBER,
    BUILDING_LEADING_CHARACTERS,
    KANJI_NUMERALS,
    PREFECTURE_SHORT_NAMES,
    PREFECTURES,
    fold_place_name_expr,
    fold_street_expr,
    parse_japanese_address,
    region_consumed,
)
from resolution.standardization.latin_names import LATIN_LETTERS
from resolution.standardization.postal_codes import (
    LINE_POSTAL_CODE,
    postal_text,
    split_line_postal_code,
)
from resolution.standardization.romaji_addresses import parse_romaji_address
from resolution.standardization.southeast_asian_places import (
    fold_thai_address_words,
    thai_digits_to_ascii,
    thai_province,
    vietnamese_city,
    without_neighbourhood_units,
)
from resolution.standardization.text import (
    DASH_CHARACTERS,
    JAPANESE_SCRIPT,
    clean_text,
    dashes_between_digits_to_hyphen,
    empty_to_null,
    has_japanese_script,
    remove_spaces,
    with_computed_where,
    without_accent_marks,
)

# Whole words only; applied after lower-casing.
LATIN_ABBREVIATIONS: dict[str, str] = {
    "street": "st",
    "road": "rd",
    "avenue": "ave",
    "apartment": "apt",
    "boulevard": "blvd",
    "drive": "dr",
    "lane": "ln",
    "court": "ct",
    "place": "pl",
    "square": "sq",
    "suite": "ste",
    "floor": "fl",
    "building": "bldg",
    "north": "n",
    "south": "s",
    "east": "e",
    "west": "w",
    "block": "blk",
    # Southeast Asia: a Filipino barangay, Malay and Indonesian street words, Vietnamese wards and districts
    "barangay": "brgy",
    "bgy": "brgy",
    "brg": "brgy",
    "jalan": "jln",
    "jl": "jln",
    "kampung": "kg",
    "kampong": "kg",
    "kp": "kg",
    "taman": "tmn",
    "lorong": "lrg",
    "kelurahan": "kel",
    "kecamatan": "kec",
    "kabupaten": "kab",
    "thanh pho": "tp",
    "phuong": "p",
    "quan": "q",
    "huyen": "h",
    "duong": "d",
    # Russian and Ukrainian (Cyrillic kept: `ул. Ленина, д. 5` and `улица Ленина, дом 5` alike)
    "улица": "ул",
    "проспект": "пр",
    "просп": "пр",
    "пр-т": "пр",
    "переулок": "пер",
    "бульвар": "б-р",
    "шоссе": "ш",
    "площадь": "пл",
    "набережная": "наб",
    "дом": "д",
    "квартира": "кв",
    "корпус": "корп",
    "строение": "стр",
    "вулиця": "вул",
    "провулок": "пров",
    "будинок": "буд",
    # Portuguese and Spanish, as Brazilian and Mexican exports write them (`AV.`, `R.`, `apto`)
    "avenida": "av",
    "avda": "av",
    "rua": "r",
    "travessa": "tv",
    "trav": "tv",
    "alameda": "al",
    "estrada": "estr",
    "rodovia": "rod",
    "praca": "pca",
    "calle": "c",
    "calzada": "calz",
    "privada": "priv",
    "carrera": "cra",
    "colonia": "col",
    "edificio": "edif",
    "interior": "int",
    "bloco": "bl",
    "bloque": "bl",
    "quadra": "qd",
    "lote": "lt",
    # a flat, however written (`Flat 1105`, `Apt 1105`, `apto 12`, `depto 3`), is one word
    "flat": "apt",
    "apto": "apt",
    "ap": "apt",
    "apartamento": "apt",
    "departamento": "apt",
    "depto": "apt",
    "dpto": "apt",
}


GERMAN_STREET_SUFFIX = ("strasse", "str")
"""`Straße` as German, Austrian and Swiss addresses write it, in a word of its
own or at the end of one (`Berliner Straße`, `Hauptstraße`): spelled out,
with `ss` (Swiss, and keyboards without `ß`) or abbreviated (`Hauptstr.`),
in the standardized street as its abbreviation, so that the three meet (of
287 true pairs of one German postal code in a tester's project, 84 differed
only so)."""

_LETTERS_SPELLED_OUT = {chr(code): spelled for code, spelled in LATIN_LETTERS.items()}
"""Letters NFKD does not decompose (`ß`, `ø`, `æ`, `ł`), spelled as names spell them (`latin_name`)."""


def latin_text(expr: pl.Expr) -> pl.Expr:
    """Lower-case, accents stripped (NFKD minus combining marks), `ß` -> `ss`
    (and the other letters NFKD keeps, as names fold them), punctuation `.,#`
    dropped, spaces collapsed; null when nothing is left."""
    lowered = clean_text(expr).str.to_lowercase()
    lowered = lowered.str.replace_many(list(_LETTERS_SPELLED_OUT), list(_LETTERS_SPELLED_OUT.values()))
    folded = without_accent_marks(lowered)
    spaced = folded.str.replace_all(r"[.,#]", " ").str.replace_all(r"\s+", " ").str.strip_chars()
    return pl.when(spaced.str.len_chars() > 0).then(spaced)


NUMBER_SIGNS = ("no", "n", "n°", "num", "numero", "nro", "so")
"""Words saying a number follows (`Flat No 1105`, `Nº 12`, `número 5`; NFKD
reads `º` as `o`; Vietnamese `Số 12`): dropped before a number, which says as much."""

WITHOUT_NUMBER = ("sin numero", "sem numero", "s/n", "s/no", "sn")
"""A house without a number, as Spanish and Portuguese write it: `s/n`."""


UNIT_AFTER_NAME = (
    r"^([^,\d]+?)\s*,\s*((?i:flat|apt|apartment|apto|ap|unit)\.?\s*(?:(?i:no|n°|nº)\.?\s*)?[0-9][^,]*?)\s*(,|$)"
)
"""A flat written after the building's name (`Al Noor Tower, Flat No 2507,
Al Nuaimiya`), which others write first (`Flat 2507, Al Noor Tower, …`):
`unit_first` moves it there, so that both spellings of one flat meet. Not
after a street with its number (`123 Main St, Apt 4`), where the flat
follows in every spelling."""


def unit_first(expr: pl.Expr) -> pl.Expr:
    """A line (commas as written) with a flat that follows the first part
    moved before it (`UNIT_AFTER_NAME`); other lines as they are."""
    return expr.str.replace(UNIT_AFTER_NAME, "${2}, ${1}${3}")


def unit_first_text(text: str) -> str:
    """`unit_first` of one text, for the spelling a golden record shows."""
    return re.sub(UNIT_AFTER_NAME, r"\2, \1\3", text, count=1)


def latin_address(expr: pl.Expr) -> pl.Expr:
    """`latin_text` with `LATIN_ABBREVIATIONS` applied (`Main Street` -> `main
    st`, `Avenida` -> `av`, `Flat` -> `apt`), `GERMAN_STREET_SUFFIX`
    (`Hauptstraße 1` -> `hauptstr 1`), `NUMBER_SIGNS` before a number dropped
    (`apto nº 12` -> `apt 12`) and `WITHOUT_NUMBER` as `s/n`."""
    text = latin_text(expr)
    for word, abbreviation in LATIN_ABBREVIATIONS.items():
        text = text.str.replace_all(rf"\b{word}\b", abbreviation)
    signs = "|".join(NUMBER_SIGNS)
    text = text.str.replace_all(rf"\b(?:{signs})\s*([0-9])", "${1}")
    text = text.str.replace_all(rf"\b(?:{'|'.join(WITHOUT_NUMBER)})(\s|$)", "s/n${1}")
    long, short = GERMAN_STREET_SUFFIX
    return text.str.replace_all(rf"{long}(\P{{L}}|$)", f"{short}${{1}}")


def _foreign_city(country: pl.Expr, city: pl.Expr) -> pl.Expr:
    """A city outside Japan and East Asia as `latin_text` spells it, a Thai
    province written in Thai script by its Latin name (`thai_province`:
    `กรุงเทพฯ` -> `bangkok`), a Vietnamese city by one name for all its
    spellings (`vietnamese_city`: `TP. Hồ Chí Minh`, `HCMC` -> `ho chi minh`)."""
    spelled = latin_text(thai_province(city))
    return pl.when(country == "VN").then(vietnamese_city(spelled)).otherwise(spelled)


def _with_foreign_street(frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` with its `_address_street` (the street outside Japan and East
    Asia, as written) without an Indonesian line's neighbourhood units
    (`without_neighbourhood_units`) and with a Thai line's words as one
    abbreviation (`fold_thai_address_words`: `ถนนสุขุมวิท`, `ถ.สุขุมวิท` ->
    `ถ.สุขุมวิท`); each over the rows it concerns only."""
    street, country = pl.col("_address_street"), pl.col("std_country")
    frame = with_computed_where(
        frame, "_address_street", country == "ID", without_neighbourhood_units(street), street
    )
    return with_computed_where(
        frame, "_address_street", street.str.contains(r"\p{Thai}"), fold_thai_address_words(street), street
    )


def _japanese_parts(line: str | None, prefecture: str | None, city: str | None) -> tuple:
    # Arguments in map_distinct's key order; module-level for its worker processes.
    parts = parse_japanese_address(prefecture, city, line)
    return parts.prefecture, parts.city, parts.street, parts.building


def _romaji_parts(line: str, prefecture: str | None, city: str | None, postal_code: str | None) -> tuple:
    # Arguments in map_distinct's key order (line "" when none); module-level for its worker processes.
    return tuple(parse_romaji_address(prefecture, city, line or None, postal_code))


# Below this many distinct addresses, `parse_japanese_address` per address
# costs less than setting up the expressions.
_FAST_ADDRESSES_MIN_RECORDS = 1_000

# Japanese street parts as expressions: `parse_japanese_address` for lines
# whose street needs none of its lookarounds (`normalize_street` then checks
# only what these patterns check). Prefecture and city are still found in
# Python, once per distinct text before the first digit (`region_consumed`).
_SEPARATOR = f"[のノ{DASH_CHARACTERS}-]"
_NEEDS_PYTHON_LINE = (
    r"[\d--[0-9]]"  # digits other than ASCII: `\d` would differ from `[0-9]`
    r"|[\x1c-\x1f]"  # whitespace to Python, not to polars
    # kanji numerals to convert: before a marker or separator, after a number's
    rf"|[{KANJI_NUMERALS}](?:丁目|番|号|{_SEPARATOR})"
    rf"|[0-9]\s*(?:丁目|番地?)?\s*{_SEPARATOR}?\s*[{KANJI_NUMERALS}]"
    r"|番地?町|号[室棟館]"  # where `normalize_street`'s lookaheads matter
)
# Other dashes between digits are hyphens already (`dashes_between_digits_to_hyphen`).
# A hyphen pair only with a space to drop (a bare `1-2` would take the `2` the next pair needs: `1-2- 3`).
_STREET_DIGIT_PAIRS = (r"([0-9])-?\s*[のノ]\s*([0-9])", r"([0-9])(?:\s+-|-\s)\s*([0-9])")


def _without_spaces_between_non_digits(line: pl.Expr) -> pl.Expr:
    # Twice: neighbouring matches share a character (`a b c`). Kept after a block marker (`1番地 コーポ`).
    pattern = rf"([^0-9{BLOCK_MARKER_ENDS}]) ([^0-9])"
    return line.str.replace_all(pattern, "${1}${2}").str.replace_all(pattern, "${1}${2}")


def _normalized_street(text: pl.Expr) -> pl.Expr:
    """`normalize_street` for text without kanji numerals before a marker,
    `番町`, `番地町` or `号室/棟/館`."""
    text = text.str.replace_all(r"([0-9]+)\s*丁目(\s?)\s*", "${1}-${2}")
    text = text.str.replace_all(r"([0-9]+)\s*番地?(\s?)\s*", "${1}-${2}")
    text = text.str.replace_all(r"([0-9]+)\s*号", "${1}")
    for pattern in _STREET_DIGIT_PAIRS:  # twice: neighbouring matches share a digit
        text = text.str.replace_all(pattern, "${1}-${2}").str.replace_all(pattern, "${1}-${2}")
    return text.str.replace_all(r"-{2,}", "-").str.replace_all(r"-([^0-9]|$)", "${1}")


def _with_fast_japanese_parts(frame: pl.DataFrame) -> pl.DataFrame:
    """`_jp_fast_*` parts for the lines marked `_jp_fast` (null elsewhere)."""
    line = pl.when(pl.col("_jp_fast")).then(_without_spaces_between_non_digits(pl.col("_jp_address_line")))
    frame = frame.with_columns(line.alias("_jp_fast_line")).with_columns(
        pl.col("_jp_fast_line").str.extract(r"^([^0-9]*)").alias("_jp_fast_head")
    )
    frame = map_distinct(
        frame,
        ["_jp_fast_head", "_jp_prefecture", "_jp_city"],
        region_consumed,
        {"_jp_fast_prefecture": pl.Utf8, "_jp_fast_city": pl.Utf8, "_jp_fast_consumed": pl.Int64, "_jp_fast_town": pl.Utf8},
    )
    rest = pl.concat_str(
        pl.col("_jp_fast_town").fill_null(""), pl.col("_jp_fast_line").str.slice(pl.col("_jp_fast_consumed"))
    ).str.strip_chars()
    frame = frame.with_columns(_normalized_street(rest).alias("_jp_fast_text"))
    text = pl.col("_jp_fast_text")
    # `split_building`: up to the first `n-n...` block or number a building follows, whichever is
    # first; else the last number.
    block, lot = text.str.extract(r"^(.*?[0-9]+(?:-[0-9]+)+)"), text.str.extract(BUILDING_AFTER_NUMBER)
    first = pl.when(block.str.len_chars() <= lot.str.len_chars()).then(block).otherwise(lot)
    frame = frame.with_columns(
        pl.coalesce(first, block, lot, text.str.extract(r"^(.*[0-9])"), text).alias("_jp_fast_street")
    )
    street = pl.col("_jp_fast_street")
    building = (
        text.str.slice(street.str.len_chars()).str.strip_chars_start(BUILDING_LEADING_CHARACTERS).str.strip_chars_end(" -")
    )
    return frame.with_columns(
        remove_spaces(street).alias("_jp_fast_street"), remove_spaces(building).alias("_jp_fast_building")
    )


def _with_romaji_parts(frame: pl.DataFrame) -> pl.DataFrame:
    """`_rj_romaji` (a Japanese address written in Latin letters: no Japanese
    script in the line, a Latin letter in the line, prefecture or city) and,
    for those rows, `_rj_prefecture/city/street/building` by
    `parse_romaji_address`, once per distinct (line, prefecture, city, postal
    code); the postal code is the record's (7 digits), else the line's."""
    fields = [pl.col(f"_address_{name}") for name in ("address_line", "prefecture", "city")]
    romaji = (
        pl.col("_address_is_japanese")
        & ~has_japanese_script(pl.col("_address_address_line")).fill_null(False)
        & pl.any_horizontal(field.str.contains(r"\p{Latin}") for field in fields).fill_null(False)
    )
    own_code = postal_text(pl.col("postal_code"))
    code = pl.coalesce(pl.when(own_code.str.contains(r"^[0-9]{7}$")).then(own_code), pl.col(LINE_POSTAL_CODE))
    frame = frame.with_columns(romaji.alias("_rj_romaji")).with_columns(
        pl.when("_rj_romaji").then(pl.col("_address_address_line").fill_null("")).alias("_rj_line"),
        pl.when("_rj_romaji").then(code).alias("_rj_postal_code"),
    )
    parts = ("prefecture", "city", "street", "building")
    return map_distinct(
        frame,
        ["_rj_line", "_address_prefecture", "_address_city", "_rj_postal_code"],
        _romaji_parts,
        {f"_rj_{part}": pl.Utf8 for part in parts},
    )


def _with_international_parts(frame: pl.DataFrame) -> pl.DataFrame:
    """`_intl_street`, `_intl_town`, `_intl_region` of the address lines of
    records outside Japan that `split_international_lines` splits (null
    elsewhere; `_intl_split` tells those lines, whose street is null when the
    line had only a code and a town, and whose town is null when the line
    named only the street, as an Emirates line may); the line's postal code joins
    `LINE_POSTAL_CODE` (postal-text form) for `standardize_postal_code`, as a
    Japanese line's does."""
    lines = frame.select(
        pl.when(~pl.col("_address_is_japanese")).then(pl.col("_address_address_line")).alias("line"),
        pl.col("std_country").alias("country"),
    )
    parts = split_international_lines(lines)
    return frame.with_columns(
        parts["street"].alias("_intl_street"),
        parts["town"].alias("_intl_town"),
        parts["region"].alias("_intl_region"),
        pl.any_horizontal(parts[part].is_not_null() for part in ("street", "town", "code")).alias("_intl_split"),
        pl.coalesce(LINE_POSTAL_CODE, postal_text(parts["code"])).alias(LINE_POSTAL_CODE),
    )


_JAPANESE_PREFECTURE_AT_START = rf"^\s*(?:{'|'.join(PREFECTURES)})"


def _address_script(frame: pl.DataFrame) -> pl.DataFrame:
    """`_address_is_japanese` and `_ea_kind` (`KOREAN`, `CHINESE` or null):
    which parser reads each address.

    Hangul in the line, prefecture or city (and no kana anywhere) is Korean,
    whatever the country. Chinese characters there (no kana) are Chinese
    outside Japan: in a record of CN, TW, HK or MO, or one whose line or
    province starts with a province of China, a county of Taiwan or a region
    of Hong Kong, unless a Japanese prefecture starts it. Japanese: a record
    of JP, or another with kanji or kana (a customer abroad, a record without
    a country) that is neither, and, in a record of China, Taiwan, Hong Kong,
    Macau or Korea, only with kana or a Japanese prefecture."""
    region = [pl.col(f"_address_{name}") for name in ("address_line", "prefecture", "city")]
    every = [*region, pl.col("_address_building")]

    def anywhere(pattern: str, columns: list[pl.Expr]) -> pl.Expr:
        return pl.any_horizontal(column.str.contains(pattern) for column in columns).fill_null(False)

    def at_start(pattern: str) -> pl.Expr:
        return anywhere(pattern, [pl.col("_address_prefecture"), pl.col("_address_address_line")])

    country, kana = pl.col("std_country"), anywhere(KANA, every)
    japanese_prefecture = at_start(_JAPANESE_PREFECTURE_AT_START)
    korean = anywhere(HANGUL, region) & ~kana
    east_asian_country = country.is_in([*CHINESE_SCRIPT_COUNTRIES, "KR"]).fill_null(False)
    chinese = (
        ~korean
        & anywhere(JAPANESE_SCRIPT, region)
        & ~kana
        & ~japanese_prefecture
        & (country != "JP").fill_null(True)
        & (country.is_in(list(CHINESE_SCRIPT_COUNTRIES)).fill_null(False) | at_start(CHINESE_REGION_AT_START))
    )
    japanese = (country == "JP").fill_null(False) | (
        anywhere(JAPANESE_SCRIPT, every) & (~east_asian_country | kana | japanese_prefecture)
    )
    return frame.with_columns(
        (japanese & ~korean & ~chinese).alias("_address_is_japanese"),
        pl.when(korean).then(pl.lit(KOREAN)).when(chinese).then(pl.lit(CHINESE)).alias("_ea_kind"),
    )


def _with_east_asian_parts(frame: pl.DataFrame) -> pl.DataFrame:
    """`_ea_prefecture/city/street/building` of the Chinese and Korean
    addresses (`_ea_kind`), by `parse_east_asian_address`, once per distinct
    address."""
    return map_distinct(
        frame,
        ["_ea_kind", *(f"_address_{name}" for name in ("address_line", "prefecture", "city", "building"))],
        parse_east_asian_address,
        {f"_ea_{part}": pl.Utf8 for part in ("prefecture", "city", "street", "building")},
    )


def _with_folded_place_names(frame: pl.DataFrame) -> pl.DataFrame:
    """`std_city` and `std_address` of Japanese records (whichever path split
    them) in one spelling: `fold_place_name`, `fold_street`, as polars
    expressions."""
    japanese = pl.col("_address_is_japanese")
    return frame.with_columns(
        pl.when(japanese).then(empty_to_null(fold_place_name_expr(pl.col("std_city")))).otherwise("std_city").alias("std_city"),
        pl.when(japanese).then(empty_to_null(fold_street_expr(pl.col("std_address")))).otherwise("std_address").alias("std_address"),
    )


def standardize_address(frame: pl.DataFrame) -> pl.DataFrame:
    """Add `std_prefecture`, `std_city`, `std_address`, `std_building` and the
    `address` issue column. Needs `std_country`.

    Japanese: flags `address_prefecture_not_found` when an address line gives
    no prefecture (and no column does), `address_no_street_number` when the
    street part has no number. A `building` column wins over building text
    found after the street number. Chinese and Korean addresses
    (`east_asian_addresses`, chosen by `_address_script`): the same, but for
    the street number (a Hong Kong estate has none).

    A postal code the address line starts or ends with is taken off the line
    into `LINE_POSTAL_CODE`, which `standardize_postal_code` reads (and drops).
    """
    keys = ["prefecture", "city", "address_line", "building", "postal_code", "std_country"]
    return over_distinct(frame, keys, _add_address_columns)


def _add_address_columns(frame: pl.DataFrame) -> pl.DataFrame:
    cleaned = {
        name: dashes_between_digits_to_hyphen(thai_digits_to_ascii(clean_text(pl.col(name)))).alias(f"_address_{name}")
        for name in ("prefecture", "city", "address_line", "building")
    }
    split = pl.col("_address_line_split")
    frame = (
        frame.with_columns(cleaned.values())
        .with_columns(
            split_line_postal_code(pl.col("_address_address_line"), (pl.col("std_country") == "JP").fill_null(False))
            .alias("_address_line_split")
        )
        .with_columns(
            split.struct.field("postal_code").alias(LINE_POSTAL_CODE),
            split.struct.field("address_line").alias("_address_address_line"),
        )
    )
    frame = _address_script(frame)
    frame = _with_east_asian_parts(frame)
    frame = _with_international_parts(frame)
    frame = _with_romaji_parts(frame)
    frame = frame.with_columns(
        pl.when(pl.col("_address_is_japanese") & ~pl.col("_rj_romaji"))
        .then(pl.col(f"_address_{name}"))
        .alias(f"_jp_{name}")
        for name in ("address_line", "prefecture", "city")
    )
    if frame.height >= _FAST_ADDRESSES_MIN_RECORDS:
        fast = (
            pl.col("_jp_address_line").is_not_null()
            & ~pl.col("_jp_address_line").str.contains(_NEEDS_PYTHON_LINE)
            & ~pl.col("_jp_city").str.contains(r"\d").fill_null(False)
        )
        frame = _with_fast_japanese_parts(frame.with_columns(fast.alias("_jp_fast")))
    else:
        fast_parts = ("prefecture", "city", "street", "building")
        frame = frame.with_columns(
            pl.lit(False).alias("_jp_fast"), *(pl.lit(None, pl.Utf8).alias(f"_jp_fast_{part}") for part in fast_parts)
        )
    frame = frame.with_columns(
        pl.when(~pl.col("_jp_fast")).then(pl.col("_jp_address_line")).alias("_jp_slow_line")
    )
    frame = map_distinct(
        frame,
        # address_line first: rows without it still get prefecture/city below.
        ["_jp_slow_line", "_jp_prefecture", "_jp_city"],
        _japanese_parts,
        {
            "_jp_slow_prefecture": pl.Utf8,
            "_jp_slow_city": pl.Utf8,
            "_jp_slow_street": pl.Utf8,
            "_jp_slow_building": pl.Utf8,
        },
    )
    frame = frame.with_columns(
        pl.when(pl.col("_jp_fast"))
        .then(pl.col(f"_jp_fast_{part}"))
        .otherwise(pl.col(f"_jp_slow_{part}"))
        .alias(f"_jp_std_{part}")
        for part in ("prefecture", "city", "street", "building")
    )
    japanese = pl.col("_address_is_japanese")
    east_asian = pl.col("_ea_kind").is_not_null()
    romaji = pl.col("_rj_romaji")

    def foreign(name: str) -> pl.Expr:
        # Null on Japanese, Chinese and Korean rows: the Latin rewrites then cost nothing there.
        return pl.when(~japanese & ~east_asian).then(pl.col(f"_address_{name}"))

    frame = _with_foreign_street(
        frame.with_columns(
            unit_first(pl.when("_intl_split").then("_intl_street").otherwise(foreign("address_line"))).alias("_address_street")
        )
    )
    line_given = pl.col("_address_address_line").is_not_null()
    prefecture_column = remove_spaces(pl.col("_jp_prefecture")).replace(PREFECTURE_SHORT_NAMES)
    # Lazy: common subexpressions of the Latin rewrites are evaluated once.
    frame = frame.lazy().with_columns(
        pl.when(east_asian)
        .then(pl.col("_ea_prefecture"))
        .when(romaji)
        .then(pl.col("_rj_prefecture"))
        .when(japanese)
        .then(pl.coalesce("_jp_std_prefecture", prefecture_column))
        .otherwise(
            region_code(
                pl.col("std_country"),
                pl.coalesce(
                    "_address_prefecture",
                    "_intl_region",
                    town_region(pl.col("std_country"), pl.coalesce("_address_city", "_intl_town")),
                ),
            )
        )
        .alias("std_prefecture"),
        pl.when(east_asian)
        .then(pl.col("_ea_city"))
        .when(romaji)
        .then(pl.col("_rj_city"))
        .when(japanese)
        .then(pl.coalesce("_jp_std_city", remove_spaces(pl.col("_jp_city"))))
        .otherwise(_foreign_city(pl.col("std_country"), pl.coalesce(foreign("city"), "_intl_town")))
        .alias("std_city"),
        pl.when(east_asian)
        .then(pl.col("_ea_street"))
        .when(romaji)
        .then(pl.col("_rj_street"))
        .when(japanese)
        .then(pl.col("_jp_std_street"))
        .otherwise(
            latin_address(pl.col("_address_street"))
        )
        .alias("std_address"),
        pl.when(east_asian)
        .then(pl.col("_ea_building"))
        .when(romaji)
        .then(pl.coalesce(pl.col("_address_building").str.to_lowercase(), "_rj_building"))
        .when(japanese)
        .then(pl.coalesce(remove_spaces(pl.col("_address_building")), "_jp_std_building"))
        .otherwise(latin_address(foreign("building")))
        .alias("std_building"),
    ).collect()
    frame = _with_folded_place_names(frame)
    frame = frame.with_columns(
        pl.coalesce(
            issue_when(
                (japanese | east_asian) & line_given & pl.col("std_prefecture").is_null(),
                "address_prefecture_not_found",
            ),
            issue_when(
                japanese & line_given & ~pl.col("std_address").fill_null("").str.contains(r"\d"),
                "address_no_street_number",
            ),
        ).alias(issue_column("address"))
    )
    return frame.drop(
        [name for name in frame.columns if name.startswith(("_address_", "_jp_", "_rj_", "_intl_", "_ea_"))]
    )

