"""Addresses: `std_prefecture`, `std_city`, `std_address`, `std_building`.

Japanese addresses (country JP, or any part written in Japanese script) are
split by `japanese_addresses.parse_japanese_address` over distinct
(prefecture, city, address_line) triples. Other addresses are normalized with
polars expressions: lower-case, accents stripped, common words abbreviated.
"""

from __future__ import annotations

import polars as pl

from resolution.standardization.distinct import map_distinct, over_distinct
from resolution.standardization.issues import issue_column, issue_when
from resolution.standardization.japanese_addresses import (
    PREFECTURE_SHORT_NAMES,
    parse_japanese_address,
)
from resolution.standardization.text import (
    clean_text,
    dashes_between_digits_to_hyphen,
    has_japanese_script,
    remove_spaces,
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
}


def latin_text(expr: pl.Expr) -> pl.Expr:
    """Lower-case, accents stripped (NFKD minus combining marks), punctuation
    `.,#` dropped, spaces collapsed; null when nothing is left."""
    folded = clean_text(expr).str.to_lowercase().str.normalize("NFKD").str.replace_all(r"\p{M}", "")
    spaced = folded.str.replace_all(r"[.,#]", " ").str.replace_all(r"\s+", " ").str.strip_chars()
    return pl.when(spaced.str.len_chars() > 0).then(spaced)


def latin_address(expr: pl.Expr) -> pl.Expr:
    """`latin_text` with `LATIN_ABBREVIATIONS` applied (`Main Street` -> `main st`)."""
    text = latin_text(expr)
    for word, abbreviation in LATIN_ABBREVIATIONS.items():
        text = text.str.replace_all(rf"\b{word}\b", abbreviation)
    return text


def _japanese_parts(prefecture: str | None, city: str | None, line: str | None) -> tuple:
    parts = parse_japanese_address(prefecture, city, line)
    return parts.prefecture, parts.city, parts.street, parts.building


def standardize_address(frame: pl.DataFrame) -> pl.DataFrame:
    """Add `std_prefecture`, `std_city`, `std_address`, `std_building` and the
    `address` issue column. Needs `std_country`.

    Japanese: flags `address_prefecture_not_found` when an address line gives
    no prefecture (and no column does), `address_no_street_number` when the
    street part has no number. A `building` column wins over building text
    found after the street number.
    """
    return over_distinct(frame, ["prefecture", "city", "address_line", "building", "std_country"], _add_address_columns)


def _add_address_columns(frame: pl.DataFrame) -> pl.DataFrame:
    cleaned = {
        name: dashes_between_digits_to_hyphen(clean_text(pl.col(name))).alias(f"_address_{name}")
        for name in ("prefecture", "city", "address_line", "building")
    }
    frame = frame.with_columns(cleaned.values())
    is_japanese = (pl.col("std_country") == "JP") | pl.any_horizontal(
        has_japanese_script(pl.col(f"_address_{name}")) for name in cleaned
    ).fill_null(False)
    frame = frame.with_columns(is_japanese.fill_null(False).alias("_address_is_japanese"))
    frame = frame.with_columns(
        pl.when(pl.col("_address_is_japanese"))
        .then(pl.col(f"_address_{name}"))
        .alias(f"_jp_{name}")
        for name in ("address_line", "prefecture", "city")
    )
    frame = map_distinct(
        frame,
        # address_line first: rows without it still get prefecture/city below.
        ["_jp_address_line", "_jp_prefecture", "_jp_city"],
        lambda line, prefecture, city: _japanese_parts(prefecture, city, line),
        {
            "_jp_std_prefecture": pl.Utf8,
            "_jp_std_city": pl.Utf8,
            "_jp_std_street": pl.Utf8,
            "_jp_std_building": pl.Utf8,
        },
    )
    japanese = pl.col("_address_is_japanese")
    line_given = pl.col("_address_address_line").is_not_null()
    prefecture_column = remove_spaces(pl.col("_jp_prefecture")).replace(PREFECTURE_SHORT_NAMES)
    frame = frame.with_columns(
        pl.when(japanese)
        .then(pl.coalesce("_jp_std_prefecture", prefecture_column))
        .otherwise(pl.col("_address_prefecture").str.to_uppercase())
        .alias("std_prefecture"),
        pl.when(japanese)
        .then(pl.coalesce("_jp_std_city", remove_spaces(pl.col("_jp_city"))))
        .otherwise(latin_text(pl.col("_address_city")))
        .alias("std_city"),
        pl.when(japanese)
        .then(pl.col("_jp_std_street"))
        .otherwise(latin_address(pl.col("_address_address_line")))
        .alias("std_address"),
        pl.when(japanese)
        .then(pl.coalesce(remove_spaces(pl.col("_address_building")), "_jp_std_building"))
        .otherwise(latin_address(pl.col("_address_building")))
        .alias("std_building"),
    )
    frame = frame.with_columns(
        pl.coalesce(
            issue_when(
                japanese & line_given & pl.col("std_prefecture").is_null(),
                "address_prefecture_not_found",
            ),
            issue_when(
                japanese & line_given & ~pl.col("std_address").fill_null("").str.contains(r"\d"),
                "address_no_street_number",
            ),
        ).alias(issue_column("address"))
    )
    return frame.drop(
        [name for name in frame.columns if name.startswith(("_address_", "_jp_"))]
    )

