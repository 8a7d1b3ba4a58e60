"""Comparisons per canonical field type, in Splink's comparison-creator shape.

Each class lists its levels, strongest first, on the match-key columns that
`match_keys.add_match_keys` derives. Adding a comparison means adding a class.
Levels use Splink's level library so the same comparison runs on DuckDB and Spark.
"""

from __future__ import annotations

from typing import List

import splink.comparison_level_library as cll
from splink.internals.comparison_creator import ComparisonCreator
from splink.internals.comparison_level_creator import ComparisonLevelCreator


class PersonNamePartComparison(ComparisonCreator):
    """One name part (family or given), written in kanji/Latin and read in kana.

    Levels: exact written form (variant-folded, term-frequency adjusted) ·
    exact reading · the part matches the *other* part of the other record
    (swapped family/given order) · similar reading or spelling · else.
    """

    def __init__(self, part: str):
        self.part = part
        other = "given" if part == "family" else "family"
        self.key_column, self.other_key_column = f"mk_{part}", f"mk_{other}"
        super().__init__(
            {
                "name": f"std_{part}_name",
                "kana": f"std_{part}_kana",
                "key": f"mk_{part}",
                "other_key": f"mk_{other}",
            }
        )

    def create_comparison_levels(self) -> List[ComparisonLevelCreator]:
        name, kana = self.col_expressions["name"], self.col_expressions["kana"]
        key, other_key = self.col_expressions["key"], self.col_expressions["other_key"]
        return [
            cll.NullLevel(key),
            cll.ExactMatchLevel(name, term_frequency_adjustments=True).configure(label_for_charts="same written name"),
            cll.ExactMatchLevel(key).configure(label_for_charts="same reading"),
            cll.CustomLevel(
                f'"{self.key_column}_l" = "{self.other_key_column}_r"',
                label_for_charts="matches the other name part (order swapped)",
            ),
            cll.Or(cll.JaroWinklerLevel(key, 0.92), cll.JaroWinklerLevel(name, 0.92)).configure(
                label_for_charts="similar (Jaro-Winkler >= 0.92)"
            ),
            cll.JaroWinklerLevel(key, 0.8).configure(label_for_charts="loosely similar (Jaro-Winkler >= 0.8)"),
            cll.ElseLevel(),
        ]

    def create_output_column_name(self) -> str:
        return f"{self.part}_name"


class BirthDateComparison(ComparisonCreator):
    """Birth date as `YYYY-MM-DD` text: exact · day and month transposed ·
    one-character typo · same year and month · else."""

    def __init__(self, col: str = "mk_birth_date"):
        self.column = col
        super().__init__(col)

    def create_comparison_levels(self) -> List[ComparisonLevelCreator]:
        c = self.col_expression
        left, right = f'"{self.column}_l"', f'"{self.column}_r"'
        return [
            cll.NullLevel(c),
            cll.ExactMatchLevel(c),
            cll.CustomLevel(
                f"substr({left}, 1, 4) = substr({right}, 1, 4) "
                f"AND substr({left}, 6, 2) = substr({right}, 9, 2) "
                f"AND substr({left}, 9, 2) = substr({right}, 6, 2)",
                label_for_charts="day and month transposed",
            ),
            cll.LevenshteinLevel(c, 1).configure(label_for_charts="one-character typo"),
            cll.CustomLevel(f"substr({left}, 1, 7) = substr({right}, 1, 7)", label_for_charts="same year and month"),
            cll.ElseLevel(),
        ]

    def create_output_column_name(self) -> str:
        return "birth_date"


class EmailComparison(ComparisonCreator):
    """Email: exact · same local part (domain changed) · similar · else."""

    def __init__(self):
        super().__init__({"email": "std_email", "local": "std_email_local"})

    def create_comparison_levels(self) -> List[ComparisonLevelCreator]:
        email, local = self.col_expressions["email"], self.col_expressions["local"]
        return [
            cll.NullLevel(email),
            cll.ExactMatchLevel(email, term_frequency_adjustments=True),
            cll.ExactMatchLevel(local).configure(label_for_charts="same local part"),
            cll.JaroWinklerLevel(email, 0.92),
            cll.ElseLevel(),
        ]

    def create_output_column_name(self) -> str:
        return "email"


class PhoneComparison(ComparisonCreator):
    """Phone in E.164: exact · same last 8 digits · else."""

    def __init__(self):
        super().__init__({"phone": "std_phone", "last8": "mk_phone_last8"})

    def create_comparison_levels(self) -> List[ComparisonLevelCreator]:
        phone, last8 = self.col_expressions["phone"], self.col_expressions["last8"]
        return [
            cll.NullLevel(phone),
            cll.ExactMatchLevel(phone, term_frequency_adjustments=True),
            cll.ExactMatchLevel(last8).configure(label_for_charts="same last 8 digits"),
            cll.ElseLevel(),
        ]

    def create_output_column_name(self) -> str:
        return "phone"


class PostalCodeComparison(ComparisonCreator):
    """Postal code (any country, normalized): exact · same first three characters · else."""

    def __init__(self):
        super().__init__({"postal": "std_postal_code", "area": "mk_postal_area"})

    def create_comparison_levels(self) -> List[ComparisonLevelCreator]:
        postal, area = self.col_expressions["postal"], self.col_expressions["area"]
        return [
            cll.NullLevel(postal),
            cll.ExactMatchLevel(postal, term_frequency_adjustments=True),
            cll.ExactMatchLevel(area).configure(label_for_charts="same area (first three)"),
            cll.ElseLevel(),
        ]

    def create_output_column_name(self) -> str:
        return "postal_code"


class AddressComparison(ComparisonCreator):
    """Street address (prefecture/city/street normalized): exact · edit distance
    levels · same city · else."""

    def __init__(self):
        super().__init__({"address": "mk_address", "city": "mk_city"})

    def create_comparison_levels(self) -> List[ComparisonLevelCreator]:
        address, city = self.col_expressions["address"], self.col_expressions["city"]
        return [
            cll.NullLevel(address),
            cll.ExactMatchLevel(address),
            cll.LevenshteinLevel(address, 2),
            cll.JaroWinklerLevel(address, 0.9),
            cll.ExactMatchLevel(city).configure(label_for_charts="same city"),
            cll.ElseLevel(),
        ]

    def create_output_column_name(self) -> str:
        return "address"


class GenderComparison(ComparisonCreator):
    """Gender: same · different (a weak but real signal against namesakes)."""

    def __init__(self):
        super().__init__("std_gender")

    def create_comparison_levels(self) -> List[ComparisonLevelCreator]:
        c = self.col_expression
        return [cll.NullLevel(c), cll.ExactMatchLevel(c), cll.ElseLevel()]

    def create_output_column_name(self) -> str:
        return "gender"
