"""Nightly run at scale against a plain Splink reference, in one invocation.

For each size (default 100k, 300k and 1M records) this script:

1. generates the sample's four source systems (`samples.generate_sample`)
   into a fresh project directory, with its ground truth;
2. times `nayose run` as a subprocess, twice: the **first run** (ingest,
   validation, standardization, model training, linking, golden records,
   quality report, publication) and the **nightly full run** with the saved
   model (`--full`: every export re-read, every record re-scored);
3. builds a 1% day (`samples.next_day`: 1% new people, 1% existing records
   re-delivered with the same ids and a changed email or address), times the
   **incremental** `nayose run` for it and reports the golden-id stability
   it recorded (share of untouched entities that kept their id, id changes
   no identity event explains); then times the **same day as snapshots**:
   every source `delivery: snapshot` and its day-2 export the whole source
   (day 1's other records sent again unchanged, `samples.next_day.as_snapshots`);
4. runs a **plain Splink reference** on the same day-1 records in a
   subprocess: the notebook a user would write (NFKC and lower-case cleaning,
   a few comparisons and blocking rules, u by random sampling, EM on two
   blocks, predict, cluster), timed for predict + cluster, training reported
   separately;
5. scores every run's clusters against the truth with
   `resolution.evaluation.score_crosswalk` (pairwise F1).

The full run, the 1% day and the snapshot day (each repeat from the state
the full run left) and the reference run `--repeats` times (default 3); the medians are reported,
with every run's time in the JSON. The first run (training) runs once.

Wall time is measured around each subprocess; peak memory is the child's
maximum resident set size (`os.wait4`). Per-stage times come from the
run's progress lines, stamped as they arrive. Results are printed as a table
and written to `bench/out/nightly_<timestamp>.json`.

    .venv/bin/python bench/nightly_benchmark.py [--sizes 100000 300000 1000000] [--work /tmp/nayose-bench] [--repeats 3]

It is not part of the test suite: 1M records take about 20 minutes with 3
repeats (45 minutes for all three sizes) and ~10 GB of disk.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import polars as pl

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

DAY1 = "2026-11-25"
DAY2 = "2026-11-26"
SEED = 5
OUT = REPO / "bench" / "out"

from samples.next_day import as_snapshots, read_export, write_next_day  # after the path insert


def nayose_bin() -> str:
    return str(Path(sys.executable).with_name("nayose"))


# ----------------------------------------------------------------------------- measuring


def measured(command: list[str], log_path: Path, env: dict | None = None) -> dict:
    """Run `command`, stamping each output line with seconds since start;
    returns wall seconds, peak RSS (GB) of the child and its descendants, the
    stamped lines. Raises SystemExit with the output's tail on failure."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1,
        env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
    )
    lines: list[tuple[float, str]] = []
    rss = RssSampler(proc.pid, lines)
    rss.start()
    with log_path.open("w") as log:
        assert proc.stdout is not None
        for line in proc.stdout:
            stamp = time.perf_counter() - started
            lines.append((stamp, line.rstrip("\n")))
            log.write(f"{stamp:8.1f}s {line}")
            log.flush()
    rss.stop()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        tail = "\n".join(line for _, line in lines[-30:])
        raise SystemExit(f"{' '.join(command[:3])} failed ({proc.returncode}); see {log_path}\n{tail}")
    return {
        "seconds": round(seconds, 1),
        "peak_gb": round(usage.ru_maxrss / 2**20, 2),
        "peak_gb_by_stage": rss.peaks(),
        "lines": lines,
    }


class RssSampler(threading.Thread):
    """Samples the child's resident memory (/proc, every 0.25 s) and keeps the
    peak per stage: the stage whose progress line comes next is the one running."""

    def __init__(self, pid: int, lines: list[tuple[float, str]]):
        super().__init__(daemon=True)
        self.pid, self.lines, self.samples = pid, lines, []  # samples: (number of lines seen, GB)
        self._halt = threading.Event()

    def run(self) -> None:
        status = Path(f"/proc/{self.pid}/status")
        while not self._halt.wait(0.25):
            try:
                text = status.read_text()
            except OSError:
                return
            for row in text.splitlines():
                if row.startswith("VmRSS:"):
                    self.samples.append((len(self.lines), int(row.split()[1]) / 2**20))

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=2)

    def peaks(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for seen, gb in self.samples:
            stage = next((st for _, line in self.lines[seen:] for st in STAGES if line.startswith(f"[{st}]")), "end")
            out[stage] = round(max(out.get(stage, 0.0), gb), 2)
        return out


STAGES = ("ingest", "standardize", "base", "model", "resolve", "golden", "quality", "publish")


def stage_seconds(lines: list[tuple[float, str]]) -> dict[str, float]:
    """Seconds per stage: from the previous stage's last progress line to this stage's last one."""
    last: dict[str, float] = {}
    for stamp, line in lines:
        for stage in STAGES:
            if line.startswith(f"[{stage}]"):
                last[stage] = stamp
    out, previous = {}, 0.0
    for stage in STAGES:
        if stage in last:
            out[stage] = round(last[stage] - previous, 1)
            previous = last[stage]
    return out


def run_nayose(project: Path, date: str, log_path: Path, *extra: str) -> dict:
    result = measured([nayose_bin(), "run", "--project", str(project), "--date", date, *extra], log_path)
    result["stages"] = stage_seconds(result["lines"])
    return result


# ----------------------------------------------------------------------------- data


def load_truth(sample_dir: Path) -> pl.DataFrame:
    """record_key, truth_id from every truth*.csv of the sample folder."""
    frames = [
        pl.read_csv(p, infer_schema=False).select(
            record_key=pl.col("source_system") + ":" + pl.col("source_record_id"),
            truth_id=pl.col("person_id"),
        )
        for p in sorted(sample_dir.glob("truth*.csv"))
    ]
    return pl.concat(frames).unique("record_key", keep="last")


def score_project(project: Path) -> dict:
    from resolution.evaluation import score_crosswalk

    crosswalk = pl.read_parquet(project / "data" / "golden" / "crosswalk.parquet").with_columns(
        record_key=pl.col("source_system") + ":" + pl.col("source_record_id")
    )
    accuracy = score_crosswalk(crosswalk, load_truth(project / "data" / "sample"))
    return {"f1": round(accuracy.f1, 4), "precision": round(accuracy.precision, 4), "recall": round(accuracy.recall, 4)}


def last_run_id_stability(project: Path) -> dict:
    """The id-stability figures the last run recorded in the warehouse's `runs` table."""
    from warehouse import read_table

    runs = read_table(project / "data" / "warehouse" / "nayose.duckdb", "runs").sort("finished_at")
    columns = ("untouched_entities", "untouched_ids_kept", "untouched_ids_kept_share", "unexplained_id_changes")
    return {c: runs[c][-1] for c in columns if c in runs.columns}


# ----------------------------------------------------------------------------- the plain Splink reference


def _nfkc_lower(expr: pl.Expr) -> pl.Expr:
    return expr.cast(pl.Utf8).str.normalize("NFKC").str.to_lowercase().str.strip_chars()


def reference_records(sample_dir: Path) -> pl.DataFrame:
    """The four exports in one frame, as a user's notebook would clean them:
    NFKC, lower case, names split at the first space, digits-only phone and
    postcode, dates parsed where polars can (wareki dates stay null)."""
    space = r"[\s\u3000]+"

    def split_name(full: pl.Expr, given_first: pl.Expr | bool = False) -> tuple[pl.Expr, pl.Expr]:
        parts = _nfkc_lower(full).str.split_exact(" ", 1)
        first, second = parts.struct.field("field_0"), parts.struct.field("field_1")
        if given_first is False:
            return first, second
        return (pl.when(given_first).then(second).otherwise(first), pl.when(given_first).then(first).otherwise(second))

    def dob(expr: pl.Expr, fmt: str) -> pl.Expr:
        return _nfkc_lower(expr).str.to_date(fmt, strict=False)

    frames = []
    crm = read_export(sample_dir / f"crm_{DAY1}.csv", "utf-8-sig")
    frames.append(crm.select(
        record_key=pl.lit("crm:") + pl.col("顧客番号"), surname=_nfkc_lower(pl.col("姓")), first_name=_nfkc_lower(pl.col("名")),
        dob=dob(pl.col("生年月日"), "%Y/%m/%d"), email=pl.col("メール "), phone=pl.col(" 電話番号 "), postcode=pl.col("郵便番号"),
    ))
    pos = read_export(sample_dir / f"store_pos_{DAY1}.csv", "cp932")
    surname, first = split_name(pl.col("氏名").str.replace_all(space, " "))
    frames.append(pos.select(
        record_key=pl.lit("store_pos:") + pl.col("会員番号"), surname=surname, first_name=first,
        dob=dob(pl.col("生年月日"), "%Y-%m-%d"), email=pl.col("メールアドレス"), phone=pl.col("電話番号"), postcode=pl.col("郵便番号"),
    ))
    ec = read_export(sample_dir / f"ec_shop_{DAY1}.jsonl", "jsonl")
    latin = pl.col("name").str.contains(r"^[A-Za-z\u00C0-\u024F .'-]+$")
    surname, first = split_name(pl.col("name").str.replace_all(space, " "), given_first=latin)
    frames.append(ec.select(
        record_key=pl.lit("ec_shop:") + pl.col("member_id").cast(pl.Utf8), surname=surname, first_name=first,
        dob=dob(pl.col("dob"), "%Y-%m-%d"), email=pl.col("email"), phone=pl.col("tel"), postcode=pl.col("zip"),
    ))
    gw = read_export(sample_dir / f"global_web_{DAY1}.csv", "utf-8")
    frames.append(gw.select(
        record_key=pl.lit("global_web:") + pl.col("id"), surname=_nfkc_lower(pl.col("last_name")),
        first_name=_nfkc_lower(pl.col("first_name")), dob=dob(pl.col("date_of_birth"), "%Y%m%d"),
        email=pl.col("email"), phone=pl.col("phone"), postcode=pl.col("postcode"),
    ))
    records = pl.concat(frames, how="vertical_relaxed")
    return records.with_columns(
        email=_nfkc_lower(pl.col("email")),
        phone=_nfkc_lower(pl.col("phone")).str.replace_all(r"[^0-9]", "").str.slice(-10),
        postcode=_nfkc_lower(pl.col("postcode")).str.replace_all(r"[^0-9a-z]", ""),
    ).with_columns([pl.when(pl.col(c) == "").then(None).otherwise(pl.col(c)).alias(c)
                    for c in ("surname", "first_name", "email", "phone", "postcode")])


def run_reference(sample_dir: Path, out_json: Path) -> None:
    """The plain Splink 5 dedupe (runs in its own process: `_reference`)."""
    import duckdb
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    from resolution.evaluation import score_crosswalk

    t0 = time.perf_counter()
    records = reference_records(sample_dir)
    t_prep = time.perf_counter() - t0
    db_api = DuckDBAPI(duckdb.connect())
    settings = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="record_key",
        comparisons=[
            cl.NameComparison("first_name"),
            cl.NameComparison("surname"),
            cl.DateOfBirthComparison("dob", input_is_string=False),
            cl.EmailComparison("email"),
            cl.ExactMatch("phone"),
            cl.ExactMatch("postcode"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("email"),
            block_on("phone"),
            block_on("first_name", "surname"),
            block_on("surname", "dob"),
            block_on("first_name", "dob"),
            block_on("postcode", "first_name"),
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )
    t1 = time.perf_counter()
    sdf = db_api.register(records.to_arrow(), dataset_display_name="people")
    linker = Linker(sdf, settings)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("first_name", "surname", "dob"), block_on("email")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e7, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("first_name", "surname"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    t_train = time.perf_counter() - t1
    t2 = time.perf_counter()
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, threshold_match_probability=0.9)
    frame = pl.from_arrow(clusters.as_pyarrow_table()).select("record_key", golden_id=pl.col("cluster_id").cast(pl.Utf8))
    t_predict = time.perf_counter() - t2
    accuracy = score_crosswalk(frame, load_truth(sample_dir).filter(pl.col("truth_id").str.starts_with("day2-").not_()))
    out_json.write_text(json.dumps({
        "prepare_seconds": round(t_prep, 1), "train_seconds": round(t_train, 1),
        "predict_cluster_seconds": round(t_predict, 1), "records": records.height,
        "f1": round(accuracy.f1, 4), "precision": round(accuracy.precision, 4), "recall": round(accuracy.recall, 4),
    }))


# ----------------------------------------------------------------------------- one size


def bench_size(n: int, work: Path, seed: int, skip_reference: bool, repeats: int = 1) -> dict:
    from samples import generate_sample, sample_config_yaml

    project = work / f"n{n}"
    shutil.rmtree(project, ignore_errors=True)
    sample_dir = project / "data" / "sample"
    logs = project / "bench_logs"
    logs.mkdir(parents=True)
    t0 = time.perf_counter()
    manifest = generate_sample(sample_dir, n_records=n, seed=seed, date=DAY1)
    (project / "nayose.yaml").write_text(sample_config_yaml("data/sample"), encoding="utf-8")
    print(f"[{n}] generated {manifest.n_records} records of {manifest.n_people} people in {time.perf_counter() - t0:.0f} s", flush=True)

    result: dict = {"records": manifest.n_records, "people": manifest.n_people, "repeats": repeats}
    first = run_nayose(project, DAY1, logs / "first_run.log")
    result["first_run"] = {**_public(first), **score_project(project)}
    print(f"[{n}] first run (incl. training): {first['seconds']} s, {first['peak_gb']} GB, F1 {result['first_run']['f1']}", flush=True)
    fulls = [run_nayose(project, DAY1, logs / f"full_run_{i + 1}.log", "--full") for i in range(repeats)]
    result["full_run"] = {**median_run(fulls), **score_project(project)}
    print(f"[{n}] nightly full run (saved model): {_spread(fulls)}, {result['full_run']['peak_gb']} GB, "
          f"F1 {result['full_run']['f1']}", flush=True)

    result["day2"] = write_next_day(sample_dir, n, seed, DAY1, DAY2)
    # Every repeat of the 1% day starts from the state the full run left (inputs are not copied).
    before_day2 = work / f"n{n}_before_day2"
    _copy_state(project, before_day2)
    incrementals = []
    for i in range(repeats):
        if i:
            _copy_state(before_day2, project)
        incrementals.append(run_nayose(project, DAY2, logs / f"incremental_run_{i + 1}.log"))
    result["incremental_run"] = _day_result(project, incrementals)
    _print_day(n, "incremental 1% day", incrementals, result["incremental_run"])

    # The same day delivered as whole snapshots: every source `delivery: snapshot`, every record sent again.
    result["snapshot_day2"] = as_snapshots(sample_dir, DAY1, DAY2)
    config = project / "nayose.yaml"
    delta_config = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r"(?m)^(    id: .*\n)", r"\1    delivery: snapshot\n", delta_config), encoding="utf-8")
    snapshot_days = []
    for i in range(repeats):
        _copy_state(before_day2, project)
        snapshot_days.append(run_nayose(project, DAY2, logs / f"snapshot_day_{i + 1}.log"))
    config.write_text(delta_config, encoding="utf-8")
    shutil.rmtree(before_day2, ignore_errors=True)
    result["snapshot_day_run"] = _day_result(project, snapshot_days)
    _print_day(n, "1% day as snapshots", snapshot_days, result["snapshot_day_run"])

    if not skip_reference:
        refs = []
        for i in range(repeats):
            ref_json = logs / f"reference_{i + 1}.json"
            ref = measured([sys.executable, __file__, "_reference", str(sample_dir), str(ref_json)],
                           logs / f"reference_{i + 1}.log")
            refs.append({"seconds": ref["seconds"], "peak_gb": ref["peak_gb"], **json.loads(ref_json.read_text())})
        result["reference"] = median_reference(refs)
        r = result["reference"]
        print(f"[{n}] plain Splink: predict+cluster {r['predict_cluster_seconds']} s "
              f"(of {r['predict_cluster_runs']}; training {r['train_seconds']} s), {r['peak_gb']} GB, F1 {r['f1']}", flush=True)
    return result


def _day_result(project: Path, runs: list[dict]) -> dict:
    """A day's medians, the clusters' scores after its last run, and the golden-id stability it recorded."""
    return {**median_run(runs), **score_project(project), "id_stability": last_run_id_stability(project)}


def _print_day(n: int, label: str, runs: list[dict], day: dict) -> None:
    stability = day["id_stability"]
    print(f"[{n}] {label}: {_spread(runs)}, {day['peak_gb']} GB, F1 {day['f1']}, ids kept by "
          f"{stability.get('untouched_ids_kept_share')} of {stability.get('untouched_entities')} untouched entities, "
          f"{stability.get('unexplained_id_changes')} unexplained id change(s)", flush=True)


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def median_run(runs: list[dict]) -> dict:
    """Median wall time, peak memory and stage times over repeated runs, with every run's wall time."""
    stages = {st: round(_median([r["stages"][st] for r in runs if st in r["stages"]]), 1)
              for st in STAGES if any(st in r["stages"] for r in runs)}
    return {
        "seconds": round(_median([r["seconds"] for r in runs]), 1),
        "runs_seconds": [r["seconds"] for r in runs],
        "peak_gb": round(_median([r["peak_gb"] for r in runs]), 2),
        "max_peak_gb": max(r["peak_gb"] for r in runs),
        "peak_gb_by_stage": runs[-1]["peak_gb_by_stage"],
        "stages": stages,
    }


def median_reference(refs: list[dict]) -> dict:
    """The reference's medians (predict+cluster, training, preparation, process, peak) and its last scores."""
    timed = ("seconds", "peak_gb", "prepare_seconds", "train_seconds", "predict_cluster_seconds")
    return {**refs[-1], **{k: round(_median([r[k] for r in refs]), 2 if k == "peak_gb" else 1) for k in timed},
            "predict_cluster_runs": [r["predict_cluster_seconds"] for r in refs]}


def _spread(runs: list[dict]) -> str:
    seconds = [r["seconds"] for r in runs]
    return f"{_median(seconds):.1f} s" + (f" (median of {', '.join(map(str, seconds))})" if len(runs) > 1 else "")


def _copy_state(source: Path, target: Path) -> None:
    """Replace `target`'s run state (everything but data/sample, the inputs) with `source`'s."""
    for item in [target / "dagster_home", *(p for p in (target / "data").glob("*") if p.name != "sample")]:
        if item.is_dir():
            shutil.rmtree(item)
        else:
            item.unlink(missing_ok=True)
    ignore = lambda folder, names: ["sample"] if Path(folder) == source / "data" else []  # noqa: E731
    for item in source.iterdir():
        if item.name in ("dagster_home", "data"):
            shutil.copytree(item, target / item.name, ignore=ignore, dirs_exist_ok=True)


def _public(run: dict) -> dict:
    return {k: run[k] for k in ("seconds", "peak_gb", "peak_gb_by_stage", "stages")}


def ratios(r: dict) -> dict:
    out = {
        "incremental_over_full": round(r["incremental_run"]["seconds"] / r["full_run"]["seconds"], 3),
        "snapshot_day_over_full": round(r["snapshot_day_run"]["seconds"] / r["full_run"]["seconds"], 3),
        "standardize_share_of_full": round(r["full_run"]["stages"].get("standardize", 0) / r["full_run"]["seconds"], 3),
    }
    ref = r.get("reference")
    if ref:
        out["full_over_reference"] = round(r["full_run"]["seconds"] / ref["predict_cluster_seconds"], 2)
        out["first_over_reference_incl_training"] = round(
            r["first_run"]["seconds"] / (ref["predict_cluster_seconds"] + ref["train_seconds"]), 2
        )
    return out


def print_table(results: dict[int, dict]) -> None:
    print("\n| records | run | wall s | peak GB | F1 | stages (s) |")
    print("|---:|---|---:|---:|---:|---|")
    for n, r in results.items():
        for key, label in (("first_run", "first run (trains)"), ("full_run", "nightly full (saved model)"),
                           ("incremental_run", "incremental 1% day"), ("snapshot_day_run", "1% day as snapshots")):
            run = r[key]
            stages = " ".join(f"{k} {v}" for k, v in run["stages"].items())
            print(f"| {n:,} | {label} | {run['seconds']} | {run['peak_gb']} | {run['f1']} | {stages} |")
        ref = r.get("reference")
        if ref:
            print(f"| {n:,} | plain Splink predict+cluster | {ref['predict_cluster_seconds']} | {ref['peak_gb']} | {ref['f1']} | "
                  f"train {ref['train_seconds']}, prepare {ref['prepare_seconds']}, process {ref['seconds']} |")
        print(f"| {n:,} | ratios | {json.dumps(r['ratios'])} | | | |")
    sizes = sorted(results)
    if len(sizes) > 1:
        lo, hi = sizes[0], sizes[-1]
        per = lambda n, k: results[n][k]["seconds"] / n * 1e6  # noqa: E731
        print(f"\nscaling {lo:,} -> {hi:,} records (x{hi / lo:.0f}): full run wall x"
              f"{results[hi]['full_run']['seconds'] / results[lo]['full_run']['seconds']:.1f}, "
              f"µs per record {per(lo, 'full_run'):.0f} -> {per(hi, 'full_run'):.0f}")


def compile_project() -> None:
    """Byte-compile the project's packages, as `make install` does and as pip
    does for the installed packages the reference imports: every `nayose run`
    would otherwise compile ~100 modules from source (0.4 s here, where
    PYTHONDONTWRITEBYTECODE keeps Python from saving them itself)."""
    import compileall

    packages = ("pipelines", "assets", "resolution", "quality_checks", "governance", "samples", "ingestion",
                "nayose_config", "warehouse", "security")  # fmt: skip
    for package in packages:
        compileall.compile_dir(REPO / package, quiet=1)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "_reference":
        run_reference(Path(argv[1]), Path(argv[2]))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", type=int, default=[100_000, 300_000, 1_000_000])
    parser.add_argument("--work", default="/tmp/nayose-bench", help="where project dirs are written")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--skip-reference", action="store_true")
    parser.add_argument("--repeats", type=int, default=3,
                        help="runs of the full run, the 1%% day and the reference per size; medians are reported")
    parser.add_argument("--keep", action="store_true", help="keep each size's project dir")
    args = parser.parse_args(argv)
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    compile_project()
    results: dict[int, dict] = {}
    for n in args.sizes:
        r = bench_size(n, work, args.seed, args.skip_reference, max(1, args.repeats))
        r["ratios"] = ratios(r)
        results[n] = r
        if not args.keep:
            shutil.rmtree(work / f"n{n}" / "data" / "raw", ignore_errors=True)
    OUT.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S")
    meta = {"machine": {"cpus": os.cpu_count(), "ram_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)},
            "seed": args.seed, "sizes": args.sizes, "repeats": max(1, args.repeats)}
    (OUT / f"nightly_{stamp}.json").write_text(json.dumps({**meta, "results": results}, indent=1))
    print_table(results)
    print(f"\nresults: {OUT / f'nightly_{stamp}.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
