"""What the generated-people benchmarks share: run `nayose run` on a project
they wrote, and score its golden records against the generated person of
each record (every pair of records sharing a golden id is a predicted match)."""

from __future__ import annotations

import argparse
import itertools
import json
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import polars as pl

RUN_DATE = "2026-11-25"
NEXT_DATE = "2026-11-26"


def pairwise_scores(truth: pl.DataFrame, crosswalk: pl.DataFrame) -> dict:
    """Pairwise precision, recall and F1 of the golden ids against the people."""
    joined = truth.join(crosswalk.select("record_key", "golden_id"), on="record_key", how="left")

    def pairs(column: str) -> set[tuple[str, str]]:
        groups = joined.filter(pl.col(column).is_not_null()).group_by(column).agg("record_key")["record_key"]
        return {pair for keys in groups.to_list() for pair in itertools.combinations(sorted(keys), 2)}

    true, found = pairs("person"), pairs("golden_id")
    hits = len(true & found)
    precision = hits / len(found) if found else 1.0
    recall = hits / len(true) if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"true_pairs": len(true), "found_pairs": len(found), "precision": round(precision, 4),
            "recall": round(recall, 4), "f1": round(f1, 4)}


def run_and_score(
    argv: list[str] | None,
    description: str,
    write_project: Callable[[Path, int, int], pl.DataFrame],
    *,
    people: int,
    seed: int,
    work: str,
    next_day: tuple[str, Callable[[Path, int], None]] | None = None,
    variants: dict[str, tuple[str, Callable[[Path], None]]] | None = None,
) -> int:
    """The command line of a benchmark: `write_project(project, people, seed)`
    writes the exports and `nayose.yaml` and returns the truth (record_key,
    person); the run's scores are printed as one JSON line. With `--next-day`,
    `next_day` (its help text, and a writer of the next day's delta exports
    given the project and the seed) is run on as the next night, and that
    night's scores and identity events are printed as a second line. Each of
    `variants` is a flag (its help text, and a change to the project written)
    applied before the first night."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--people", type=int, default=people)
    parser.add_argument("--seed", type=int, default=seed)
    parser.add_argument("--work", default=work, help="the project directory (replaced)")
    if next_day is not None:
        parser.add_argument("--next-day", action="store_true", help=next_day[0].replace("%", "%%"))
    for flag, (help_text, _) in (variants or {}).items():
        parser.add_argument(flag, action="store_true", help=help_text.replace("%", "%%"))
    args = parser.parse_args(argv)
    project = Path(args.work)
    shutil.rmtree(project, ignore_errors=True)
    truth = write_project(project, args.people, args.seed)
    for flag, (_, change) in (variants or {}).items():
        if getattr(args, flag.removeprefix("--").replace("-", "_")):
            change(project)
    started = time.perf_counter()
    _run(project, RUN_DATE)
    scores = pairwise_scores(truth, _crosswalk(project))
    print(json.dumps({"people": args.people, "seed": args.seed, "records": truth.height,
                      "seconds": round(time.perf_counter() - started, 1), **scores}))
    if next_day is not None and args.next_day:
        before = _crosswalk(project)
        next_day[1](project, args.seed)
        _run(project, NEXT_DATE)
        after = _crosswalk(project)
        print(json.dumps({"night": NEXT_DATE, "identity_events": _identity_events(project, NEXT_DATE),
                          "ids_kept": _ids_kept(before, after), **pairwise_scores(truth, after)}))
    return 0


def _run(project: Path, date: str) -> None:
    nayose = str(Path(sys.executable).with_name("nayose"))
    subprocess.run([nayose, "run", "--project", str(project), "--date", date], check=True, stdout=subprocess.DEVNULL)


def _crosswalk(project: Path) -> pl.DataFrame:
    return pl.read_parquet(project / "data" / "golden" / "crosswalk.parquet")


def _identity_events(project: Path, partition: str) -> dict[str, int]:
    """The identity events of the night of `partition`, counted by type."""
    import duckdb

    with duckdb.connect(str(project / "data" / "warehouse" / "nayose.duckdb"), read_only=True) as con:
        rows = con.execute(
            "SELECT event_type, count(*) FROM identity_events WHERE run_id IN "
            "(SELECT run_id FROM runs WHERE partition = ?) GROUP BY 1 ORDER BY 1",
            [partition],
        ).fetchall()
    return dict(rows)


def _ids_kept(before: pl.DataFrame, after: pl.DataFrame) -> str:
    """How many of the records of the night before kept their golden id ("kept of all")."""
    joined = before.join(after, on="record_key", suffix="_after")
    return f"{int((joined['golden_id'] == joined['golden_id_after']).sum())} of {joined.height}"
