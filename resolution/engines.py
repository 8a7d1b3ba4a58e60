"""The engine the resolution stage runs on: Splink's `db_api` for `nayose.yaml`'s
top-level `engine`.

- `duckdb` (default): an in-memory DuckDB sized to the machine.
- `spark`: Splink's `SparkAPI` on a Spark session (pyspark is the optional
  extra `spark`). The session is the one already active, else one built with
  the similarity-function jar Splink's Jaro-Winkler and Damerau-Levenshtein
  need. The master is `NAYOSE_SPARK_MASTER` (default `local[*]`, or what
  `spark-submit`/`spark-defaults.conf` set); the checkpoint folder is
  `NAYOSE_SPARK_CHECKPOINT_DIR` (a folder every executor can reach on a
  cluster), else one under the project's data folder.

The comparisons and blocking rules are Splink's level library and plain SQL,
so the same saved model runs on either engine; dates are compared as
`YYYY-MM-DD` text, never parsed with an engine-specific format.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ENGINES = ("duckdb", "spark")
SPARK_MASTER_ENV = "NAYOSE_SPARK_MASTER"
SPARK_CHECKPOINT_ENV = "NAYOSE_SPARK_CHECKPOINT_DIR"


class EngineUnavailable(RuntimeError):
    """The configured engine cannot start here (what is missing and what to do)."""


def make_db_api(engine: str = "duckdb", *, work_dir: Path | None = None) -> Any:
    """A Splink `db_api` for `engine` (`duckdb` or `spark`). `work_dir` holds
    Spark's checkpoints when `NAYOSE_SPARK_CHECKPOINT_DIR` is unset. Refuses an
    unknown engine (ValueError) and a Spark engine without pyspark or Java
    (EngineUnavailable)."""
    if engine == "duckdb":
        from resolution.linking import make_duckdb_api

        return make_duckdb_api()
    if engine == "spark":
        session = spark_session(work_dir=work_dir)  # first: without pyspark or Java, it says what to install
        from splink import SparkAPI

        return SparkAPI(spark_session=session, num_partitions_on_repartition=_default_parallelism(session))
    raise ValueError(f"engine {engine!r} is not one of {', '.join(ENGINES)}")


@contextmanager
def opened_db_api(engine: str = "duckdb", *, work_dir: Path | None = None) -> Iterator[Any]:
    """`make_db_api` for a block: on leaving it, a DuckDB backend's in-memory
    database is closed and its memory freed at once. (Splink's linkers hold
    the backend in reference cycles: left to the garbage collector, a trained
    model's database kept about 0.5 GB at 1M records into the later stages.)
    A Spark session stays up: it is shared and reused, so the temporary
    views the block created in it (the tables registered with Splink, and
    Splink's own) are dropped instead. Left behind, they outlived the night:
    the next night in the same process (a notebook, a test, a long-lived
    driver) failed to register its own `nodes` table."""
    db_api = make_db_api(engine, work_dir=work_dir)
    views_before = _temporary_views(db_api.spark) if engine == "spark" else frozenset()
    try:
        yield db_api
    finally:
        if engine == "duckdb":
            db_api._con.close()
        else:
            for view in _temporary_views(db_api.spark) - views_before:
                db_api.spark.catalog.dropTempView(view)


def _temporary_views(session: Any) -> frozenset[str]:
    """The names of the session's temporary views."""
    return frozenset(table.name for table in session.catalog.listTables() if table.isTemporary)


def spark_unavailable_reason() -> str | None:
    """Why a local Spark session cannot start here (None when it can)."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed: pip install 'nayose[spark]' (or pip install pyspark)"
    java_home = os.environ.get("JAVA_HOME")
    java = Path(java_home, "bin", "java") if java_home else None
    if not (java and java.exists()):
        on_path = shutil.which("java")
        java = Path(on_path) if on_path else None
    if java is None:
        return "Java is not installed (Spark needs a JDK 17+ on PATH or JAVA_HOME)"
    version = java_major_version(java)
    if version is not None and version < 17:
        return f"{java} is Java {version}; Spark 4 needs Java 17+ (on PATH or JAVA_HOME)"
    return None


def java_major_version(java: Path) -> int | None:
    """The major version `java -version` reports (`1.8.0_392` is 8, `17.0.15`
    is 17), or None when it cannot be run or read (Spark then says why)."""
    try:
        shown = subprocess.run([str(java), "-version"], capture_output=True, text=True, timeout=30, check=False).stderr
    except (OSError, subprocess.SubprocessError):
        return None
    found = re.search(r'version "(\d+)(?:\.(\d+))?', shown)
    if found is None:
        return None
    major, minor = int(found.group(1)), found.group(2)
    return int(minor) if major == 1 and minor else major


def spark_session(*, work_dir: Path | None = None) -> Any:
    """The active Spark session, else a new one with Splink's similarity jar and
    a checkpoint folder (see the module docstring for the environment it reads)."""
    reason = spark_unavailable_reason()
    if reason:
        raise EngineUnavailable(f"engine: spark in nayose.yaml, but {reason}")
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    session = SparkSession.getActiveSession()
    if session is None:
        builder = SparkSession.builder.appName("nayose").config("spark.jars", similarity_jar_location())
        master = os.environ.get(SPARK_MASTER_ENV)
        if master:
            builder = builder.master(master)
        elif "spark.master" not in os.environ.get("PYSPARK_SUBMIT_ARGS", ""):
            builder = builder.master("local[*]")
        if (master or "local").startswith("local"):
            # Small local shuffles: Spark's default of 200 partitions is mostly overhead on one machine.
            cores = os.cpu_count() or 2
            builder = builder.config("spark.sql.shuffle.partitions", str(max(4, cores * 2)))
            builder = builder.config("spark.ui.showConsoleProgress", "false")
        session = builder.getOrCreate()
        session.sparkContext.setLogLevel("ERROR")
    checkpoint = os.environ.get(SPARK_CHECKPOINT_ENV)
    if not checkpoint:
        folder = (work_dir or Path.cwd()) / "spark_checkpoints"
        folder.mkdir(parents=True, exist_ok=True)
        checkpoint = str(folder)
    session.sparkContext.setCheckpointDir(checkpoint)
    return session


def _default_parallelism(session: Any) -> int:
    try:
        return max(2, int(session.sparkContext.defaultParallelism))
    except Exception:  # a remote session may not expose it
        return 8


_SIMILARITY_FUNCTIONS = (
    "jaro_winkler_function_name",
    "jaro_function_name",
    "damerau_levenshtein_function_name",
    "levenshtein_function_name",
)


def settings_for_dialect(settings: dict[str, Any], dialect: str) -> dict[str, Any]:
    """Saved Splink settings rewritten for another SQL dialect (`duckdb` <->
    `spark`): quoting and the similarity functions' names in every comparison
    level and blocking rule. A model trained on one engine then runs on the
    other. Settings already in `dialect` come back unchanged."""
    source = settings.get("sql_dialect") or "duckdb"
    if source == dialect:
        return settings
    import copy

    out = copy.deepcopy(settings)
    out["sql_dialect"] = dialect
    for comparison in out.get("comparisons", []):
        for level in comparison.get("comparison_levels", []):
            if level.get("sql_condition"):
                level["sql_condition"] = transpile_condition(level["sql_condition"], source, dialect)
    for rule in out.get("blocking_rules_to_generate_predictions", []):
        if isinstance(rule, dict):
            rule["blocking_rule"] = transpile_condition(rule["blocking_rule"], source, dialect)
            rule["sql_dialect"] = dialect
    return out


def transpile_condition(sql: str, source: str, target: str) -> str:
    """One SQL condition from `source` to `target` dialect (sqlglot), with
    Splink's similarity functions renamed to the target's."""
    import sqlglot
    from splink.internals.dialects import SplinkDialect
    from sqlglot import exp

    if sql.strip().upper() == "ELSE":
        return sql
    src, dst = SplinkDialect.from_string(source), SplinkDialect.from_string(target)
    renames = {getattr(src, f).lower(): getattr(dst, f) for f in _SIMILARITY_FUNCTIONS}

    def rename(node: exp.Expression) -> exp.Expression:
        name = node.name.lower() if isinstance(node, exp.Anonymous) else None
        if isinstance(node, exp.JarowinklerSimilarity):
            name = src.jaro_winkler_function_name.lower()
        if isinstance(node, exp.Levenshtein):
            name = src.levenshtein_function_name.lower()
        if name in renames:
            return exp.Anonymous(
                this=renames[name], expressions=[a for a in node.iter_expressions() if a is not None][:2]
            )
        return node

    def split(node: exp.Expression) -> exp.Expression:
        # sqlglot writes Spark's regex split of `[|]` as DuckDB's regex split, and DuckDB's split by `|`
        # as Spark's split of a quoted pattern: written as each engine's own split by one character
        if isinstance(node, (exp.Split, exp.RegexpSplit)) and isinstance(node.expression, exp.Literal):
            separator = re.sub(r"^\[(.)\]$", r"\1", node.expression.this)
            if len(separator) != 1:
                return node
            pattern = f"[{separator}]" if target == "spark" else separator
            return exp.Anonymous(this=_SPLIT[target], expressions=[node.this, exp.Literal.string(pattern)])
        return node

    def lists(node: exp.Expression) -> exp.Expression:
        # `SharedNameLevel`: sqlglot writes DuckDB's list_has_any as `&&`, which Splink's own parser
        # refuses: written as each engine's own
        if isinstance(node, exp.ArrayOverlaps) or (isinstance(node, exp.Anonymous) and node.name.lower() == "arrays_overlap"):
            arguments = [node.this, node.expression] if isinstance(node, exp.ArrayOverlaps) else list(node.expressions)
            return exp.Anonymous(this=_LIST_OVERLAP[target], expressions=arguments)
        if target == "spark" and isinstance(node, exp.Anonymous) and node.name.lower() == "list_has_all":
            # `NameWordsLevel`: DuckDB's list_has_all(a, b) (every element of b is in a) has no Spark
            # function; Spark's level writes it as nothing of b left once a's elements are taken out
            whole, part = node.expressions
            return exp.EQ(
                this=exp.Anonymous(this="size", expressions=[exp.Anonymous(this="array_except", expressions=[part, whole])]),
                expression=exp.Literal.number(0),
            )
        return node

    tree = sqlglot.parse_one(sql, read=src.sqlglot_dialect).transform(rename).transform(split).transform(lists)
    return tree.sql(dialect=dst.sqlglot_dialect)


_LIST_OVERLAP = {"duckdb": "list_has_any", "spark": "arrays_overlap"}
_SPLIT = {"duckdb": "string_split", "spark": "split"}
"""Each engine's list overlap and split by one character (Spark's split takes
a regular expression: the character bracketed)."""
