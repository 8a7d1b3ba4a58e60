"""A model saved on one engine runs on the other (`engines.settings_for_dialect`):
every comparison level DuckDB writes, rewritten for Spark, must call only
functions Spark's own level calls. The name-words level's `list_has_all`,
a DuckDB function, reached Spark unchanged and failed the Spark engine's
night (a check that needs no Spark: its test skips without Java)."""

from __future__ import annotations

import sqlglot
from sqlglot import exp

from nayose_config.model import MatchingConfig
from resolution.engines import settings_for_dialect, transpile_condition
from resolution.model import (
    _BLOCKING_CANDIDATES,
    _COMPARISON_CANDIDATES,
    ModelDesign,
    build_settings,
)


def _functions(sql: str) -> set[str]:
    """The functions a Spark SQL condition calls, by sqlglot's name for each."""
    tree = sqlglot.parse_one(sql, read="spark")
    return {node.name.lower() if isinstance(node, exp.Anonymous) else type(node).__name__ for node in tree.find_all(exp.Func)}


def _settings(dialect: str) -> dict:
    design = ModelDesign(
        comparisons=tuple(name for name, _ in _COMPARISON_CANDIDATES),
        blocking_rules=_BLOCKING_CANDIDATES,
        deterministic_rules=(),
        training_blocks=(),
    )
    return build_settings(design, MatchingConfig()).create_settings_dict(sql_dialect_str=dialect)


def test_every_level_duckdb_writes_calls_on_spark_only_what_sparks_own_level_calls():
    duckdb, spark = _settings("duckdb"), _settings("spark")
    rewritten = settings_for_dialect(duckdb, "spark")
    assert rewritten["sql_dialect"] == "spark"
    checked = 0
    for mine, theirs in zip(rewritten["comparisons"], spark["comparisons"], strict=True):
        for level, own in zip(mine["comparison_levels"], theirs["comparison_levels"], strict=True):
            if own["sql_condition"].strip().upper() == "ELSE":
                continue
            foreign = _functions(level["sql_condition"]) - _functions(own["sql_condition"])
            assert not foreign, (mine["output_column_name"], own.get("label_for_charts"), foreign)
            checked += 1
    assert checked >= 60


def test_duckdbs_list_has_all_becomes_an_empty_array_except_on_spark():
    """`list_has_all(a, b)`: every element of b is in a."""
    rewritten = transpile_condition("list_has_all(string_split(a_l, ' '), string_split(a_r, ' '))", "duckdb", "spark")
    assert rewritten == "SIZE(ARRAY_EXCEPT(SPLIT(a_r, '[ ]'), SPLIT(a_l, '[ ]'))) = 0"
