"""Golden records of a generated night show names and addresses as the surviving records spelled them."""

from __future__ import annotations

import polars as pl

from resolution.presented_values import folded
from resolution.standardization.japanese_addresses import fold_place_name
from resolution.standardization.kanji_variants import fold_kanji_variants_in
from tests.conftest import GeneratedNight
from warehouse import ProjectPaths

_JAPANESE = r"[\p{Han}\p{Hiragana}\p{Katakana}]"


def _chosen(generated_night: GeneratedNight, attribute: str, std_column: str) -> pl.DataFrame:
    """Each golden value of `attribute` beside the record its lineage names (raw and standardized)."""
    paths = ProjectPaths.of(generated_night.root)
    golden = pl.read_parquet(paths.golden_records).select("golden_id", pl.col(attribute).alias("golden_value"))
    lineage = pl.read_parquet(paths.golden_lineage).filter(pl.col("attribute") == attribute)
    records = generated_night.records.select(
        "source_system", "source_record_id", pl.col(attribute).alias("raw_value"), pl.col(std_column).alias("std_value")
    )
    return lineage.join(golden, on="golden_id").join(records, on=["source_system", "source_record_id"])


def test_a_latin_customers_golden_record_shows_the_original_spelling(generated_night: GeneratedNight) -> None:
    family = _chosen(generated_night, "family_name", "std_family_name")
    assert family.height and family["golden_value"].null_count() == 0
    # a Latin-script record with its own family name column: the golden value is that column's spelling
    latin = family.filter(
        pl.col("raw_value").str.contains(r"^[A-Za-z][A-Za-z' -]*[a-z]$") & (pl.col("source_system") == "global_web")
    )
    assert latin.height > 20
    assert latin.filter(pl.col("golden_value") != pl.col("raw_value")).height == 0
    assert latin.filter(pl.col("golden_value") == pl.col("std_value")).height == 0  # not the lower-case key
    # the same value as the matching key, only spelled as delivered; Japanese values in the record's
    # own kanji: folding them as matching does gives the standardized value, and a value that differs
    # from it is in the record's raw columns
    for attribute, std_column, fold, raws in (
        ("family_name", "std_family_name", fold_kanji_variants_in, ("family_name", "full_name")),
        ("city", "std_city", fold_place_name, ("city", "address_line")),
    ):
        chosen = _chosen(generated_night, attribute, std_column).join(
            generated_night.records.select("source_system", "source_record_id", *(pl.col(c).alias(f"_raw_{c}") for c in raws)),
            on=["source_system", "source_record_id"],
        )
        japanese = chosen.filter(pl.col("std_value").str.contains(_JAPANESE))
        assert japanese.height
        for shown, std, *raw in japanese.select("golden_value", "std_value", *(f"_raw_{c}" for c in raws)).iter_rows():
            assert fold(shown) == std
            assert shown == std or any(value and shown in value.replace(" ", "").replace("\u3000", "") for value in raw)
        latin = chosen.filter(~pl.col("std_value").str.contains(_JAPANESE))
        assert all(folded(shown) == folded(std) for shown, std in latin.select("golden_value", "std_value").iter_rows())
