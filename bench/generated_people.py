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
) -> int:
    """The command line of a benchmark: `write_project(project, people, seed)`
    writes the exports and `nayose.yaml` and returns the truth (record_key,
    person); the run's scores are printed as one JSON line."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--people", type=int, default=people)
    parser.add_argument("--seed", type=int, default=seed)
    parser.add_argument("--work", default=work, help="the project directory (replaced)")
    args = parser.parse_args(argv)
    project = Path(args.work)
    shutil.rmtree(project, ignore_errors=True)
    truth = write_project(project, args.people, args.seed)
    started = time.perf_counter()
    nayose = str(Path(sys.executable).with_name("nayose"))
    subprocess.run([nayose, "run", "--project", str(project), "--date", RUN_DATE], check=True, stdout=subprocess.DEVNULL)
    scores = pairwise_scores(truth, pl.read_parquet(project / "data" / "golden" / "crosswalk.parquet"))
    print(json.dumps({"people": args.people, "seed": args.seed, "records": truth.height,
                      "seconds": round(time.perf_counter() - started, 1), **scores}))
    return 0
