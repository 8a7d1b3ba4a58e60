"""Golden records: stable ids, survivorship with lineage, the crosswalk, the review queue."""

import hashlib
import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import dagster as dg
import polars as pl

from assets.metadata import pairs_table, sample_table
from assets.partitions import daily_partitions, is_full_rebuild, last_run
from assets.progress import report
from governance.consent import CONSENT_READING_VERSION
from nayose_config import NayoseConfig
from pipelines.resources import NayoseProject
from resolution.float_keys import with_float_keys_renamed
from resolution.golden_ids import (
    GoldenIdAssignment,
    affected_golden_ids,
    assign_golden_ids,
)
from resolution.golden_records import build_golden
from resolution.id_stability import IdStability, measure_id_stability
from resolution.model import latest_model
from resolution.presented_values import PRESENTATION_VERSION
from resolution.review_dashboard import review_detail
from resolution.review_queue import build_review_queue, queued_pairs
from resolution.sorted_runs import sorted_from_parts
from resolution.steward_decisions import decided_pair_ids
from resolution.survivorship import SURVIVORSHIP_VERSION
from warehouse.staging import Staging
from warehouse.store import PublishedTables, TablePatch
from warehouse.table_copies import read_copied_tables


def golden_rules_fingerprint(config: NayoseConfig) -> str:
    """What golden values depend on besides the records: survivorship rules, consent purposes, how
    consent cells read and how values are presented (a change rebuilds every golden record on the
    next night)."""
    rules = {
        "survivorship": config.survivorship.model_dump(),
        "purposes": config.privacy.purposes,
        "presentation": PRESENTATION_VERSION,
        "consent_reading": CONSENT_READING_VERSION,
        "survivorship_version": SURVIVORSHIP_VERSION,
    }
    return hashlib.sha256(json.dumps(rules, sort_keys=True).encode()).hexdigest()[:16]


def _reusable_golden(published: PublishedTables, rules: str) -> pl.DataFrame | None:
    """The published golden records, when this run may keep the unaffected
    ones (and their lineage rows, left in the warehouse): the warehouse has
    golden_lineage and the last run used the same rules. `published` holds
    its runs and golden_records."""
    if last_run(published["runs"]).get("golden_rules_fingerprint") != rules or "golden_lineage" not in published.present:
        return None
    return published["golden_records"]


def _stability_note(stability: IdStability) -> str:
    """How many untouched entities kept their id, and any id change no identity event explains."""
    note = ""
    if stability.kept_share is not None:
        note += (
            f"; ids kept by {stability.kept_share:.3%} of untouched entities "
            f"({stability.kept} of {stability.untouched_entities})"
        )
    if stability.unexplained.len():
        note += f"; WARNING: {stability.unexplained.len()} id change(s) no identity event explains"
    return note


_CROSSWALK_ORDER = ["golden_id", "source_system", "source_record_id"]


def _crosswalk(records: pl.DataFrame, ids: pl.DataFrame) -> pl.DataFrame:
    """The crosswalk rows of `records` given their ids (record_key, golden_id), in crosswalk order."""
    return (
        records.select("source_system", "source_record_id", "record_key")
        .join(ids, on="record_key")
        .sort(_CROSSWALK_ORDER)
    )


def _patched(
    old_golden: pl.DataFrame,
    previous: pl.DataFrame,
    replaced: pl.Series,
    new_golden: pl.DataFrame,
    new_rows: pl.DataFrame,
    records: int,
) -> tuple[pl.DataFrame, pl.DataFrame] | None:
    """Last night's golden records and crosswalk with the rows of the `replaced`
    golden ids replaced by this night's (`new_golden`, `new_rows`), in order:
    no join of the records, and a sort of nearly sorted ids. None unless the
    crosswalk comes out with `records` rows and both hold the same golden ids, as they must."""
    if previous.schema != new_rows.schema:
        return None
    gone = pl.col("golden_id").is_in(replaced.implode())
    crosswalk = sorted_from_parts(pl.concat([previous.filter(~gone), new_rows]), _CROSSWALK_ORDER)
    golden = pl.concat([old_golden.filter(~gone), new_golden], how="diagonal_relaxed").sort("golden_id")
    ids = crosswalk.filter(pl.col("golden_id") != pl.col("golden_id").shift(1).fill_null(""))["golden_id"]
    if crosswalk.height != records or not golden["golden_id"].equals(ids):
        return None
    return golden, crosswalk


def _golden_patched_by_search(
    old_golden: pl.DataFrame, new_golden: pl.DataFrame, crosswalk: pl.DataFrame, affected: pl.Series
) -> tuple[pl.DataFrame, pl.Series]:
    """Last night's golden records of the ids `crosswalk` still holds and `affected`
    does not, and the rebuilt ones; and the ids of those left out."""
    live = crosswalk["golden_id"].unique().implode()
    keep = pl.col("golden_id").is_in(live) & ~pl.col("golden_id").is_in(affected.implode())
    golden = pl.concat([old_golden.filter(keep), new_golden], how="diagonal_relaxed").sort("golden_id")
    return golden, old_golden.filter(~keep)["golden_id"]


@dataclass(frozen=True)
class _GoldenTables:
    """What `_stage_golden_tables` staged, for the run's report and metadata."""

    assignment: GoldenIdAssignment
    stability: IdStability
    golden: pl.DataFrame
    crosswalk: pl.DataFrame
    rebuilt: int  # golden records built this night


def _stage_golden_tables(
    staging: Staging,
    base: pl.DataFrame,
    published: PublishedTables,
    full: bool,
    config: NayoseConfig,
    run_id: str,
) -> _GoldenTables:
    """Golden ids for the staged clusters, then the golden records, their
    lineage, the crosswalk and the identity events, staged. `published` holds
    the crosswalk, and on incremental nights runs and golden_records."""
    previous = published["crosswalk"]
    if previous is None:
        previous = pl.DataFrame(schema={"record_key": pl.Utf8, "golden_id": pl.Utf8})
    clusters = staging.read("clusters")
    previous = with_float_keys_renamed(previous, clusters["record_key"])  # keys of an earlier version
    assignment = assign_golden_ids(clusters, previous, run_id=run_id)
    arrived = staging.read_column("changed_records", "record_key")  # new and changed (not re-delivered as they were)
    moves = assignment.moves
    stability = measure_id_stability(previous, assignment.crosswalk, arrived, assignment.events, moves)
    staging.write_json("id_stability", stability.summary())
    rules = golden_rules_fingerprint(config)
    staging.write_json("golden_rules_fingerprint", rules)
    old_golden = None if full else _reusable_golden(published, rules)
    lineage: pl.DataFrame | TablePatch
    golden_patch = crosswalk_patch = None  # the warehouse tables changed by golden id, on incremental nights
    if old_golden is None:
        golden, lineage = build_golden(base, assignment.crosswalk, config)
        rebuilt = golden.height
        crosswalk = _crosswalk(base, assignment.crosswalk)
    else:
        # Incremental night: rebuild only the golden records whose records changed, and the
        # crosswalk rows of those ids and of the ids records left (`replaced`); the rest is last night's.
        affected = affected_golden_ids(previous, assignment.crosswalk, arrived, moves)
        replaced = pl.concat([affected, moves.before["golden_id"]]).drop_nulls().unique()
        touched = assignment.crosswalk.filter(pl.col("golden_id").is_in(affected.implode()))
        records = base.filter(pl.col("record_key").is_in(touched["record_key"].implode()))
        new_golden, new_lineage = build_golden(records, touched, config)
        new_rows = _crosswalk(records, touched)
        patched = _patched(old_golden, previous, replaced, new_golden, new_rows, assignment.crosswalk.height)
        if patched is None:  # last night's tables disagree, or their columns changed: joined and sorted
            crosswalk = _crosswalk(base, assignment.crosswalk)
            golden, dropped = _golden_patched_by_search(old_golden, new_golden, crosswalk, affected)
            replaced = pl.concat([replaced, dropped]).unique()
        else:
            golden, crosswalk = patched
        # The lineage of kept golden records stays in the warehouse: only the rebuilt ones' rows change.
        lineage = TablePatch(key="golden_id", keys=replaced, rows=new_lineage)
        if new_golden.schema == old_golden.schema:
            golden_patch = TablePatch(key="golden_id", keys=replaced, rows=new_golden)
        if crosswalk.schema == previous.schema:
            crosswalk_patch = TablePatch(key="golden_id", keys=replaced, rows=new_rows)
        rebuilt = new_golden.height
    staging.write("golden_records", golden)
    staging.write_patch("golden_records", golden_patch)
    staging.write_table_change("golden_lineage", lineage)
    staging.write("crosswalk", crosswalk)
    staging.write_patch("crosswalk", crosswalk_patch)
    staging.write("identity_events", assignment.events)
    return _GoldenTables(assignment, stability, golden, crosswalk, rebuilt)


def build_golden_asset(config: NayoseConfig) -> dg.AssetsDefinition:
    @dg.asset(
        name="golden_records",
        group_name="golden_records",
        partitions_def=daily_partitions(config.timezone),
        deps=["entity_clusters"],
        kinds={"polars", "parquet"},
        owners=["team:data-stewards"],
        description=(
            "One golden record per customer: ids stable across runs (merges and splits logged as identity "
            "events), each attribute chosen by survivorship with its lineage, consent merged per purpose "
            "(the most recent decision wins; a withdrawal beats an undated opt-in), and the crosswalk."
        ),
    )
    def golden_records(context: dg.AssetExecutionContext, project: NayoseProject) -> dg.MaterializeResult:
        staging = project.staging(context.partition_key)
        base = staging.read("base")
        full = is_full_rebuild(context)
        # one read of the warehouse: the golden records are kept on incremental nights only
        published = read_copied_tables(
            project.paths().warehouse, "crosswalk", *(() if full else ("runs", "golden_records"))
        )
        queued = queued_pairs(
            staging.read("pairs"),
            lower=config.matching.review_lower,
            upper=config.matching.review_upper,
            decided=decided_pair_ids(staging.read("steward_decisions")),
            clusters=staging.read("clusters"),
        )
        saved = latest_model(project.paths().models)
        # The review pairs' field scores and viewer page need no golden id: computed on a thread
        # beside the golden ids and records (on a 1M-record 1% night the stage takes about 0.27 s
        # less). Leaving the block waits for the thread, whatever happens.
        with ThreadPoolExecutor(1, thread_name_prefix="nayose-review") as reviewer:
            review = reviewer.submit(review_detail, base, queued, saved.settings if saved else None)
            tables = _stage_golden_tables(staging, base, published, full, config, context.run.run_id)
            detail = review.result()
        assignment, stability, golden = tables.assignment, tables.stability, tables.golden
        queue = build_review_queue(queued, assignment.crosswalk, base).join(  # the queue's order: most unsure first
            detail.weights, on="pair_id", how="left", maintain_order="left"  # each field's level and weight
        )
        staging.write("review_queue", queue)
        staging.write_text("review_comparison_viewer.html", detail.viewer_html)
        events = assignment.events.group_by("event_type").agg(pl.len().alias("n")).sort("event_type")
        report(
            context,
            f"[golden] {golden.height} golden records; identity events: "
            + (", ".join(f"{r['event_type']} {r['n']}" for r in events.iter_rows(named=True)) or "none")
            + f"; review queue {queue.height}"
            + _stability_note(stability),
        )
        return dg.MaterializeResult(
            metadata={
                "golden_records": golden.height,
                "source_records": tables.crosswalk.height,
                "review_queue": queue.height,
                "review_comparison_viewer": dg.MetadataValue.path(str(project.paths().review_viewer)),
                **{f"events_{r['event_type']}": r["n"] for r in events.iter_rows(named=True)},
                "golden_records_rebuilt": tables.rebuilt,
                **{k: v for k, v in stability.summary().items() if v is not None},
                "sample_masked": sample_table(golden, max_rows=5),
                **{f"consented_{p}": int(golden[f"consent_{p}"].sum() or 0) for p in config.privacy.purposes},
                "review_queue_masked": pairs_table(queue, max_rows=10),
            }
        )

    return golden_records
