"""The `nayose` command line. Every command takes `--project DIR` (default: the
current directory); a project directory needs nothing but its `nayose.yaml`."""

from __future__ import annotations

import argparse
import gc
import json
import logging
import os
import re
import sys
from contextlib import nullcontext
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from nayose_config import CONFIG_FILE, ConfigError, load_config
from pipelines.cli_governance import add_governance_commands
from pipelines.cli_security import add_security_commands
from warehouse import ProjectPaths, read_table
from warehouse.locking import RunInProgress, run_lock

DEFAULT_DAGSTER_YAML = """\
# Dagster instance for this nayose project: embedded SQLite storage under this folder.
telemetry:
  enabled: false
run_coordinator:
  module: dagster.core.run_coordinator
  class: QueuedRunCoordinator
  config:
    max_concurrent_runs: 1
"""


class CliError(Exception):
    """A one-line reason to print before exiting non-zero."""


def _project(args: argparse.Namespace) -> ProjectPaths:
    return ProjectPaths.of(args.project)


def prepare_dagster_env(paths: ProjectPaths) -> None:
    """Point Dagster at the project's own instance (DAGSTER_HOME must be absolute and exist)."""
    # here, not at the top: it imports Dagster, which only the commands that run it need
    from pipelines.resources import PROJECT_ENV

    paths.dagster_home.mkdir(parents=True, exist_ok=True)
    instance_yaml = paths.dagster_home / "dagster.yaml"
    if not instance_yaml.exists():
        instance_yaml.write_text(DEFAULT_DAGSTER_YAML)
    os.environ["DAGSTER_HOME"] = str(paths.dagster_home)
    os.environ[PROJECT_ENV] = str(paths.root)


def _partition(value: str | None, timezone: str) -> str:
    if value is None:
        return datetime.now(ZoneInfo(timezone)).date().isoformat()
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise CliError(f"--date {value!r} is not a date; use YYYY-MM-DD") from None


def _failure_reason(result) -> str:
    """Every failed blocking check (each source whose exports stopped the run),
    else the first step failure, in one line. Check descriptions name files,
    rows and counts, never values."""
    failed = []
    for event in result.all_events:
        data = event.event_specific_data
        if event.event_type_value == "ASSET_CHECK_EVALUATION" and not data.passed:
            severity = getattr(data.severity, "value", str(data.severity))
            if severity == "ERROR":
                failed.append(f"{data.asset_check_key.name} on {data.asset_key.to_user_string()} failed: {data.description}")
    if len(failed) == 1:
        return f"blocking check {failed[0]}"
    if failed:
        return f"{len(failed)} blocking checks failed: " + " | ".join(failed)
    for event in result.all_events:
        if event.event_type_value == "STEP_FAILURE":
            error = event.event_specific_data.error
            cause = error.cause.message if error.cause is not None else error.message
            return f"step {event.step_key} failed: {_without_our_class_path(_reason_line(cause))}"
    return "the run did not succeed (see the Dagster UI for details)"


_POSITION_MARKER = re.compile(r"^\s*(\^+|LINE \d+:.*)\s*$")


def _reason_line(message: str) -> str:
    """The line of an error message that says what went wrong: its last,
    after the SQL position marker a database error may end with (DuckDB's
    `LINE 75: <the statement>` and a line of `^^` under it: the reason read
    `^^`), and, for a Splink SQL error (`<class>: Error executing the
    following sql ...`, the statement, `Error was: <reason>`), the reason
    with the exception's class."""
    lines = [line for line in message.strip().splitlines() if line.strip()]
    while len(lines) > 1 and _POSITION_MARKER.match(lines[-1]):
        lines.pop()
    last = lines[-1].strip() if lines else ""
    if last.startswith("Error was:") and ": " in lines[0]:
        return f"{lines[0].partition(': ')[0]}: {last.removeprefix('Error was:').strip()}"
    return last


_OUR_PACKAGES = ("assets", "governance", "ingestion", "nayose_config", "pipelines", "quality_checks", "resolution", "security", "warehouse")


def _without_our_class_path(line: str) -> str:
    """`governance.pseudonymization.PseudonymKeyMissing: message` -> `message`:
    nayose's own errors are written for the user; a library's keep their name."""
    head, sep, message = line.partition(": ")
    if sep and "." in head and head.split(".", 1)[0] in _OUR_PACKAGES and head.rsplit(".", 1)[-1][:1].isupper():
        return message
    return line


def refuse_unknown_partition(partition: str, timezone: str) -> None:
    """CliError unless `partition` is a day of the nightly partitions of a
    project in `timezone` (2020-01-01 through today there)."""
    from assets.partitions import daily_partitions

    days = daily_partitions(timezone)
    if not days.has_partition_key(partition):
        raise CliError(
            f"--date {partition} has no nightly partition: partitions run from {days.get_first_partition_key()} "
            f"to {days.get_last_partition_key()} (today in {timezone})"
        )


def execute_nightly(
    paths: ProjectPaths, partition: str, *, full: bool = False, retrain: bool = False, instance=None
) -> dict:
    """Run the nightly job in-process through the project's Dagster instance
    (or `instance`, for tests). Returns the run summary; raises CliError with
    the reason on failure (another run of the project under way: at once)."""
    # What the start-up loads (modules, definitions, the instance) outlives the run: the cyclic collector's
    # passes over it while it grows cost about a quarter of the start-up (0.45 s of 1.9 s of imports alone).
    # It is off until `_execute_locked` has loaded it all and frozen it out of the collector's passes.
    collecting = gc.isenabled()
    gc.disable()
    try:
        refuse_unknown_partition(partition, load_config(paths.root).timezone)  # before the lock: a refused date leaves the project untouched
        with run_lock(paths.warehouse):  # a second run of the project is refused now, not at its publish
            return _execute_locked(paths, partition, full=full, retrain=retrain, instance=instance, collecting=collecting)
    except RunInProgress as exc:
        raise CliError(str(exc)) from None
    finally:
        if collecting:
            gc.enable()


def _execute_locked(
    paths: ProjectPaths, partition: str, *, full: bool, retrain: bool, instance, collecting: bool
) -> dict:
    """`execute_nightly` once the partition is known good and the run lock held; the collector is
    off until the definitions and the instance are loaded, then on again when `collecting`, but on an
    `_incremental_night`."""
    import dagster as dg

    from assets.partitions import FULL_REBUILD_TAG
    from assets.resolution import RETRAIN_TAG
    from pipelines.abandoned_runs import fail_abandoned_runs
    from pipelines.event_log_connections import instance_databases_held_open
    from pipelines.project_definitions import NIGHTLY_JOB, build_definitions
    from quality_checks.chart_rendering import start_chart_renderer, stop_chart_renderer
    from warehouse.staging import deferred_writes

    if instance is None:
        prepare_dagster_env(paths)
    job = build_definitions(paths.root).resolve_job_def(NIGHTLY_JOB)
    tags = {FULL_REBUILD_TAG: str(full).lower(), RETRAIN_TAG: str(retrain).lower(), "nayose/trigger": "cli"}
    start_chart_renderer()  # a child process: its vl-convert start-up runs on another core while Dagster sets up
    try:
        owned = dg.DagsterInstance.get() if instance is None else None  # loads Dagster's storage modules
        # The modules, definitions and instance loaded so far outlive the run: the collector's full passes
        # during it need not trace them (0.7 s -> 0.3 s of a 1M incremental night). Unfrozen after, for
        # callers that go on.
        gc.freeze()
        if collecting and not _incremental_night(paths, full=full, retrain=retrain):
            gc.enable()
        # every asset runs in this process: a stage's scratch file is written while the next stage works
        with (
            owned if owned is not None else nullcontext(instance)
        ) as instance, instance_databases_held_open(Path(instance.root_directory)), deferred_writes():
            for line in fail_abandoned_runs(instance, paths, holding_run_lock=True):  # a killed run's STARTED
                print(f"nayose: {line}", file=sys.stderr, flush=True)
            result = job.execute_in_process(
                instance=instance,
                partition_key=partition,
                tags=tags,
                raise_on_error=False,
                run_config={"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}},
            )
    finally:
        stop_chart_renderer()
        gc.unfreeze()
    if not result.success:
        raise CliError(_failure_reason(result))
    return _published_summary(result)


def _incremental_night(paths: ProjectPaths, *, full: bool, retrain: bool) -> bool:
    """Whether the run is a night on a published base that neither rebuilds nor
    trains: the collector stays off through it. Its passes over what such a
    night creates found nothing to free: at 1M records a 1% night ran 563
    young and 3 full passes (0.47 s, on the thread the stages run on), and a
    collection after a night run without it found no unreachable object
    (polars frames, Dagster's events and the stages' tables hold no cycles).
    A rebuild or a training run creates far more and keeps it on."""
    return not full and not retrain and paths.warehouse.exists()


def _published_summary(result) -> dict:
    """The run's summary as publication recorded it (its `runs` row is the
    `published_outputs` materialization's metadata), read from the result
    rather than by opening the warehouse again (about 0.2 s at 1M records);
    with standardization's `field_loss_warnings` when a source lost a field."""
    published = result.asset_materializations_for_node("published_outputs")
    standardized = result.asset_materializations_for_node("standardized_records")
    said = standardized[-1].metadata if standardized else {}
    lost = {"field_loss_warnings": said["field_loss_warnings"].value} if said.get("fields_lost") and said["fields_lost"].value else {}
    if not published:
        return {"run_id": result.run_id} | lost
    return {"run_id": result.run_id} | {key: entry.value for key, entry in published[-1].metadata.items()} | lost


def _print_summary(summary: dict, paths: ProjectPaths) -> None:
    print("")
    print(f"nayose run {summary.get('partition')} finished (run {summary.get('run_id', '')[:8]})")
    print(f"  records in (new files) : {summary.get('records_in')} from {summary.get('files_ingested')} file(s)")
    print(f"  records in base        : {summary.get('records_in_base')}")
    print(f"  quarantined rows       : {summary.get('quarantined_rows')}")
    print(f"  golden records         : {summary.get('golden_records')}")
    print(f"  review queue           : {summary.get('review_queue')} pair(s)")
    score = summary.get("overall_quality_score")
    print(f"  overall quality score  : {score:.1f} / 100" if isinstance(score, (int, float)) else "")
    print(f"  golden records         : {paths.display(paths.golden_records)}")
    print(f"  crosswalk              : {paths.display(paths.crosswalk)}")
    print(f"  warehouse              : {paths.display(paths.warehouse)}")
    print(f"  quality report         : {paths.display(paths.reports / 'quality_report.html')}")
    for line in str(summary.get("field_loss_warnings") or "").splitlines():  # a progress line too; repeated last
        print(f"  warning: {line}")


def cmd_run(args: argparse.Namespace) -> int:
    paths = _project(args)
    config = load_config(paths.root)
    partition = _partition(args.date, config.timezone)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    logging.getLogger("nayose.progress").setLevel(logging.INFO)
    logging.getLogger("splink").setLevel(logging.ERROR)  # training chatter; the UI keeps the details
    print(f"nayose: running partition {partition} for {paths.root} ({len(config.sources)} source(s))", flush=True)
    summary = execute_nightly(paths, partition, full=args.full, retrain=getattr(args, "retrain", False))
    _print_summary(summary, paths)
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    args.retrain = True
    return cmd_run(args)


def report_abandoned_runs(paths: ProjectPaths) -> None:
    """Report failed the runs of the project's instance whose process is gone
    (`pipelines.abandoned_runs`), naming each on stderr; for the commands that
    open the instance outside a run (a run does it under its run lock)."""
    if not (paths.dagster_home / "dagster.yaml").exists():
        return
    import dagster as dg

    from pipelines.abandoned_runs import fail_abandoned_runs

    with dg.DagsterInstance.from_config(str(paths.dagster_home)) as instance:
        for line in fail_abandoned_runs(instance, paths):
            print(f"nayose: {line}", file=sys.stderr, flush=True)


def cmd_ui(args: argparse.Namespace) -> int:
    paths = _project(args)
    load_config(paths.root)
    prepare_dagster_env(paths)
    report_abandoned_runs(paths)
    command = ["dagster", "dev", "-m", "pipelines.definitions", "-h", args.host, "-p", str(args.port)]
    exe = Path(sys.executable).with_name("dagster")
    command[0] = str(exe) if exe.exists() else "dagster"
    print(f"nayose: Dagster UI on http://{args.host}:{args.port} (Ctrl-C to stop)", flush=True)
    os.execvp(command[0], command)
    return 0  # unreachable


def cmd_sample(args: argparse.Namespace) -> int:
    from samples import generate_sample, sample_config_yaml

    paths = _project(args)
    out = paths.root / "data" / "sample"
    manifest = generate_sample(out, n_records=args.n, seed=args.seed, date=args.date or "2026-11-25")
    config_path = paths.root / CONFIG_FILE
    if not config_path.exists():
        config_path.write_text(sample_config_yaml("data/sample"), encoding="utf-8")
        print(f"nayose: wrote {paths.display(config_path)}")
    print(
        f"nayose: wrote {manifest.n_records} records of {manifest.n_people} people in {len(manifest.files)} file(s) "
        f"under {paths.display(out)}; truth: {paths.display(manifest.truth_path)}"
    )
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from resolution.evaluation import score_crosswalk, truth_left_out
    from resolution.truth import truth_from_column, truth_from_file

    paths = _project(args)
    config = load_config(paths.root)
    if not paths.crosswalk.exists():
        raise CliError(f"{paths.display(paths.crosswalk)} does not exist: run `nayose run` first")
    import polars as pl

    crosswalk = pl.read_parquet(paths.crosswalk).with_columns(
        record_key=pl.col("source_system") + ":" + pl.col("source_record_id")
    )
    if args.truth_column:
        truth = truth_from_column(paths, config, args.truth_column)
    else:
        truth_paths = [Path(args.truth)] if args.truth else sorted((paths.root / "data" / "sample").glob("truth*.csv"))
        if args.truth and not truth_paths[0].is_file():
            raise CliError(f"{args.truth}: no such truth file")
        if not truth_paths:
            raise CliError("no truth file: pass --truth FILE or --truth-column COLUMN (default: data/sample/truth*.csv)")
        truth = pl.concat([truth_from_file(p, id_column=args.truth_id_column) for p in truth_paths])
    accuracy = score_crosswalk(crosswalk, truth)
    for line in truth_left_out(truth, crosswalk, [source.name for source in config.sources]):
        print(f"nayose evaluate: {line}", file=sys.stderr)
    sweep = _threshold_sweep(paths, truth)
    stored = _store_evaluation(paths, accuracy, sweep)
    if args.json:
        print(json.dumps({"golden_records": accuracy.as_dict(), "thresholds": sweep.to_dicts()}, indent=1))
        return 0
    print(f"records scored      : {accuracy.records}")
    print(f"true / predicted pairs: {accuracy.true_pairs} / {accuracy.predicted_pairs}")
    print(f"pairwise precision  : {accuracy.precision:.4f}")
    print(f"pairwise recall     : {accuracy.recall:.4f}")
    print(f"pairwise F1         : {accuracy.f1:.4f}")
    print(f"B-cubed P / R / F1  : {accuracy.bcubed_precision:.4f} / {accuracy.bcubed_recall:.4f} / {accuracy.bcubed_f1:.4f}")
    if sweep.height:
        print("\nmodel alone, clustered at each threshold (steward decisions not applied):")
        print("threshold  precision  recall     F1         B-cubed F1")
        for row in sweep.iter_rows(named=True):
            print(f"{row['threshold']:<10} {row['precision']:<10.4f} {row['recall']:<10.4f} {row['f1']:<10.4f} {row['bcubed_f1']:.4f}")
    print(f"\nstored in {paths.display(stored)} and the warehouse table `evaluations`")
    return 0


def _threshold_sweep(paths: ProjectPaths, truth):
    """Accuracy of the scored pairs clustered at a range of thresholds."""
    import polars as pl

    from resolution.evaluation import evaluate_thresholds

    pairs, records = read_table(paths.warehouse, "match_pairs"), read_table(paths.warehouse, "crosswalk")
    if pairs is None or records is None:
        return pl.DataFrame()
    from resolution.households import HELD_BY

    scored = pairs.select("record_key_l", "record_key_r", "match_probability", *([HELD_BY] if HELD_BY in pairs.columns else []))
    return evaluate_thresholds(records["record_key"], scored, truth)


def _store_evaluation(paths: ProjectPaths, accuracy, sweep) -> Path:
    """Keep the evaluation with the run it scored: a JSON report and rows of `evaluations`."""
    import polars as pl

    from warehouse import publish_warehouse, warehouse_lock, write_text_atomically

    runs = read_table(paths.warehouse, "runs")
    run_id = runs.sort("finished_at")["run_id"][-1] if runs is not None and runs.height else None
    evaluated_at = datetime.now().astimezone().isoformat(timespec="seconds")
    rows = pl.concat(
        [
            pl.DataFrame([{"scope": "golden_records", "threshold": None, **accuracy.as_dict()}]),
            sweep.with_columns(scope=pl.lit("model_threshold")) if sweep.height else pl.DataFrame(),
        ],
        how="diagonal_relaxed",
    ).with_columns(run_id=pl.lit(run_id), evaluated_at=pl.lit(evaluated_at))
    target = paths.reports / f"evaluation_{(run_id or 'none')[:8]}.json"
    write_text_atomically(json.dumps(rows.to_dicts(), indent=1, default=str), target)
    with warehouse_lock(paths.warehouse):
        publish_warehouse(paths.warehouse, replace={}, append={"evaluations": rows})
    return target


def cmd_review_list(args: argparse.Namespace) -> int:
    from resolution.review_listing import render_listing, review_listing

    paths = _project(args)
    load_config(paths.root)  # names a directory that is no project as such, not as one never run
    queue = read_table(paths.warehouse, "review_queue")
    if queue is None:
        raise CliError(f"{paths.display(paths.warehouse)} has no review queue: run `nayose run` first")
    if args.limit < 0:
        raise CliError(f"--limit {args.limit}: give a number of pairs, or 0 for all")
    print(render_listing(review_listing(queue, order=args.order, limit=args.limit)))
    return 0


def cmd_review_decide(args: argparse.Namespace) -> int:
    import getpass

    from resolution.steward_decisions import (
        StewardDecision,
        append_decision,
        contradicted_by,
        load_decisions,
        unknown_record_keys,
    )

    paths = _project(args)
    load_config(paths.root)
    if args.pair:
        left, _, right = args.pair.partition("|")
    else:
        left, right = args.left or "", args.right or ""
    decision = "must_link" if args.same else "cannot_link"
    try:
        made = StewardDecision.make(left, right, decision, steward=args.by or getpass.getuser(), reason=args.reason)
    except ValueError as exc:
        raise CliError(str(exc)) from None
    unknown = unknown_record_keys(paths.warehouse, [made.record_key_l, made.record_key_r])
    if unknown:
        raise CliError(f"no published record has the key(s) {', '.join(unknown)}: copy them from `nayose review list`")
    contradictions = contradicted_by(load_decisions(paths.steward_decisions), made)
    append_decision(paths.steward_decisions, made)
    print(f"nayose: recorded {decision} for {made.record_key_l} / {made.record_key_r} (decision {made.decision_id}); "
          "the next run applies it")
    for conflict in contradictions:  # recorded all the same: the steward may mean to reverse an earlier decision
        print(f"nayose review decide: warning: this decision contradicts earlier ones: {conflict.describe()}; "
              "the next run keeps the cannot-link and leaves that must-link out: decide again on one of these pairs "
              "to settle it", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nayose", description="Identity resolution for customer master data.")
    sub = parser.add_subparsers(dest="command", required=True)

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--project", default=".", help="project directory holding nayose.yaml (default: .)")
        return p

    run = add("run", "Run the nightly job through Dagster for one daily partition.")
    run.add_argument("--date", help="partition date YYYY-MM-DD (default: today in the project's timezone)")
    run.add_argument("--full", action="store_true", help="re-read every export and rebuild the base")
    run.set_defaults(func=cmd_run)

    train = add("train", "Retrain the match model, then run the nightly job.")
    train.add_argument("--date", help="partition date YYYY-MM-DD (default: today)")
    train.add_argument("--full", action="store_true", help="re-read every export and rebuild the base")
    train.set_defaults(func=cmd_train)

    ui = add("ui", "Start the Dagster UI (and daemon) for the project on 127.0.0.1.")
    ui.add_argument("--host", default="127.0.0.1")
    ui.add_argument("--port", type=int, default=3000)
    ui.set_defaults(func=cmd_ui)

    sample = add("sample", "Write generated sample exports (several source systems) with ground truth.")
    sample.add_argument("--n", type=int, default=4000, help="number of source records (default 4000)")
    sample.add_argument("--seed", type=int, default=7)
    sample.add_argument("--date", help="partition date in the file names (default 2026-11-25)")
    sample.set_defaults(func=cmd_sample)

    review = sub.add_parser("review", help="The steward review queue and decisions.")
    review_sub = review.add_subparsers(dest="review_command", required=True)
    listing = review_sub.add_parser("list", help="Pairs the model was unsure of (masked).")
    listing.add_argument("--project", default=".")
    listing.add_argument("--limit", type=int, default=20, help="pairs shown (default 20; 0: all)")
    listing.add_argument(
        "--order", choices=("likeliest", "uncertain"), default="likeliest",  # review_listing.ORDERS, not imported: polars loads slowly
        help="likeliest: highest match probability first, the pairs a rule holds after the others (default); "
        "uncertain: nearest 0.5 first",
    )
    listing.set_defaults(func=cmd_review_list)
    decide = review_sub.add_parser("decide", help="Record same person (--same) or not (--different) for a pair.")
    decide.add_argument("--project", default=".")
    decide.add_argument("--pair", help="pair_id from the review queue: KEY_L|KEY_R")
    decide.add_argument("--left", help="record key source_system:source_record_id")
    decide.add_argument("--right", help="record key source_system:source_record_id")
    verdict = decide.add_mutually_exclusive_group(required=True)
    verdict.add_argument("--same", action="store_true", help="must-link: the same person")
    verdict.add_argument("--different", action="store_true", help="cannot-link: not the same person")
    decide.add_argument("--by", help="who decides (default: the OS user)")
    decide.add_argument("--reason", required=True, help="why")
    decide.set_defaults(func=cmd_review_decide)

    add_governance_commands(sub)
    add_security_commands(sub)  # after governance: extends its `access` command

    evaluate = add("evaluate", "Pairwise and cluster precision/recall/F1 of the crosswalk against ground truth.")
    evaluate.add_argument("--truth", help="CSV/Parquet with source_system, source_record_id and a truth id column")
    evaluate.add_argument("--truth-id-column", default="person_id", help="truth id column of --truth (default person_id)")
    evaluate.add_argument(
        "--truth-column",
        help="a column (or DuckDB expression) of the source exports holding the true entity id",
    )
    evaluate.add_argument("--json", action="store_true", help="print JSON")
    evaluate.set_defaults(func=cmd_evaluate)
    return parser


def main(argv: list[str] | None = None) -> int:
    os.umask(0o077)  # files nayose writes hold personal data: readable by their owner only
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (CliError, ConfigError) as exc:
        print(f"nayose {args.command} failed: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"nayose {args.command} interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `nayose evaluate | head`: the reader left; no traceback, as other tools do
        _stdout_to_devnull()
        return 141  # 128 + SIGPIPE, what a shell reports for a command its pipe's reader closed


def _stdout_to_devnull() -> None:
    """Point the process's stdout at /dev/null, so that the interpreter's last flush of what
    was still buffered for a closed pipe goes nowhere (an stdout without a descriptor is left)."""
    try:
        descriptor = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation is both OSError and ValueError
        return
    os.dup2(os.open(os.devnull, os.O_WRONLY), descriptor)


def entry() -> None:
    """The `nayose` command: `main`, then an exit that does not trace what the command left in memory.

    The interpreter collects garbage over every live object as it shuts down: after a 1M-record night,
    about 1.2 s of nothing (every output is committed and every file closed by then). Frozen objects
    are skipped; the process ends right after, so nothing stays frozen for long."""
    code = main()
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    entry()
