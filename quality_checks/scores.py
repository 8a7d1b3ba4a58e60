"""Roll rule results up into 0..100 quality scores.

Levels (``level`` column), from finest to coarsest:

- ``rule``      one (source, field, dimension, rule): ``100 * passed / evaluated``
- ``dimension`` one (source, dimension), and (``*``, dimension) over all sources:
                the pooled ratio ``100 * sum(passed) / sum(evaluated)``
- ``field``     one (source, field): pooled ratio per dimension, then the
                weighted mean over the dimensions present (``DIMENSION_WEIGHTS``)
- ``source``    one source: the weighted mean of its dimension scores
- ``overall``   ``source_system = "*"``: the weighted mean of the all-source
                dimension scores

``*`` fills the key columns a level does not use. ``passed`` / ``evaluated``
are always plain sums; at the weighted levels the score is not their ratio.
"""

from __future__ import annotations

from datetime import date, datetime

import polars as pl

from quality_checks.rules import RULE_RESULT_SCHEMA

DIMENSION_WEIGHTS: dict[str, float] = {
    "validity": 0.30,
    "completeness": 0.25,
    "consistency": 0.15,
    "uniqueness": 0.15,
    "timeliness": 0.10,
    "accuracy": 0.05,
}
"""Weight of each quality dimension in the weighted roll-ups (sums to 1).

Validity and completeness weigh most because unusable or missing values directly
stop records from matching; consistency and uniqueness (contradictions, duplicate
ids and duplicate customers) come next; timeliness matters less for identity;
accuracy is measured only where a reference exists (JP postal codes in Japan
Post data), so it gets a small weight. When a dimension has no rule result at a
level, the remaining weights are renormalized to sum to 1.
"""

ALL = "*"
LEVELS: tuple[str, ...] = ("rule", "field", "dimension", "source", "overall")

SCORE_SCHEMA: dict[str, pl.DataType] = {
    "level": pl.Utf8(),
    "source_system": pl.Utf8(),
    "field": pl.Utf8(),
    "dimension": pl.Utf8(),
    "rule": pl.Utf8(),
    "passed": pl.Int64(),
    "evaluated": pl.Int64(),
    "score": pl.Float64(),
}
"""Columns of a scores frame, in order."""


def score(rule_results: pl.DataFrame) -> pl.DataFrame:
    """Roll ``rule_results`` (``RULE_RESULT_SCHEMA``) up to every level.

    Out: ``SCORE_SCHEMA`` rows ordered by level (``LEVELS`` order), then source
    (``*`` first), field, dimension, rule; scores rounded to 2 decimals.
    Refuses (``ValueError``) a dimension without a weight and rows with
    ``evaluated <= 0`` or ``passed`` outside ``0..evaluated``.
    """
    results = rule_results.select([pl.col(c).cast(t) for c, t in RULE_RESULT_SCHEMA.items()])
    _check_results(results)
    rule_level = _pooled(results, ["source_system", "field", "dimension", "rule"])
    source_dimension = _pooled(results, ["source_system", "dimension"])
    all_dimension = _pooled(results.with_columns(source_system=pl.lit(ALL)), ["source_system", "dimension"])
    field_dimension = _pooled(results, ["source_system", "field", "dimension"])
    levels = [
        rule_level.with_columns(level=pl.lit("rule")),
        _weighted(field_dimension, ["source_system", "field"]).with_columns(level=pl.lit("field")),
        pl.concat([all_dimension, source_dimension]).with_columns(level=pl.lit("dimension")),
        _weighted(source_dimension, ["source_system"]).with_columns(level=pl.lit("source")),
        _weighted(all_dimension, ["source_system"]).with_columns(level=pl.lit("overall")),
    ]
    rank = {level: i for i, level in enumerate(LEVELS)}
    return (
        pl.concat([_with_all_keys(frame) for frame in levels])
        .with_columns(pl.col("score").round(2))
        .sort(
            pl.col("level").replace_strict(rank, return_dtype=pl.Int8),
            pl.col("source_system") != ALL,
            "source_system",
            "field",
            "dimension",
            "rule",
        )
    )


def with_run(scores: pl.DataFrame, *, run_id: str, run_date: date | datetime) -> pl.DataFrame:
    """Prefix a scores frame with ``run_id`` (Utf8) and ``run_date`` (Date): the
    rows to append to the ``quality_scores`` history table."""
    day = run_date.date() if isinstance(run_date, datetime) else run_date
    return scores.select(pl.lit(run_id).alias("run_id"), pl.lit(day, dtype=pl.Date).alias("run_date"), pl.all())


def _check_results(results: pl.DataFrame) -> None:
    """Refuse unknown dimensions and impossible counts."""
    unknown = sorted(set(results.get_column("dimension").unique()) - set(DIMENSION_WEIGHTS))
    if unknown:
        raise ValueError(f"dimensions {unknown} have no weight in DIMENSION_WEIGHTS")
    bad = results.filter((pl.col("evaluated") <= 0) | (pl.col("passed") < 0) | (pl.col("passed") > pl.col("evaluated")))
    if bad.height:
        rules = sorted(set(bad.get_column("rule")))
        raise ValueError(f"rule results for {rules} have evaluated <= 0 or passed outside 0..evaluated")


def _with_all_keys(frame: pl.DataFrame) -> pl.DataFrame:
    """Fill the key columns a level does not use with ``*``; order and type the columns."""
    missing = [pl.lit(ALL).alias(c) for c in ("source_system", "field", "dimension", "rule") if c not in frame.columns]
    return frame.with_columns(missing).select([pl.col(c).cast(t) for c, t in SCORE_SCHEMA.items()])


def _pooled(results: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """Sum passed/evaluated over ``keys`` and score the pooled ratio."""
    return (
        results.group_by(keys)
        .agg(pl.col("passed").sum(), pl.col("evaluated").sum())
        .with_columns(score=100.0 * pl.col("passed") / pl.col("evaluated"))
    )


def _weighted(dimension_scores: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """Weighted mean of dimension scores over ``keys``, weights renormalized
    over the dimensions present."""
    weight = pl.col("dimension").replace_strict(DIMENSION_WEIGHTS, return_dtype=pl.Float64)
    return (
        dimension_scores.with_columns(weight=weight)
        .group_by(keys)
        .agg(
            pl.col("passed").sum(),
            pl.col("evaluated").sum(),
            score=(pl.col("score") * pl.col("weight")).sum() / pl.col("weight").sum(),
        )
    )
