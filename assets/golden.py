"""Golden records: stable ids, survivorship with lineage, the crosswalk, the review queue."""

import hashlib
import json

import dagster as dg
import polars as pl

from assets.metadata import markdown_table
from assets.partitions import daily_partitions, is_full_rebuild, last_run
from assets.progress import report
from nayose_config import NayoseConfig
from pipelines.resources import NayoseProject
from resolution.engines import opened_db_api
from resolution.golden_ids import (
    affected_golden_ids,
    assign_golden_ids,
    crosswalk_moves,
)
from resolution.golden_records import build_golden
from resolution.id_stability import IdStability, measure_id_stability
from resolution.model import latest_model
from resolution.presented_values import PRESENTATION_VERSION
from resolution.review_dashboard import (
    comparison_viewer_html,
    field_weights,
    score_review_pairs,
)
from resolution.review_queue import build_review_queue
from resolution.steward_decisions import decided_pair_ids
from warehouse.store import PublishedTables, TablePatch
from warehouse.table_copies import read_copied_tables


def golden_rules_fingerprint(config: NayoseConfig) -> str:
    """What golden values depend on besides the records: survivorship rules, consent purposes and
    how values are presented (a change rebuilds every golden record on the next night)."""
    rules = {
        "survivorship": config.survivorship.model_dump(),
        "purposes": config.privacy.purposes,
        "presentation": PRESENTATION_VERSION,
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


def build_golden_asset(config: NayoseConfig) -> dg.AssetsDefinition:
    @dg.asset(
        name="golden_records",
        group_name="golden_records",
        partitions_def=daily_partitions,
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
        clusters = staging.read("clusters")
        full = is_full_rebuild(context)
        # one read of the warehouse: the golden records are kept on incremental nights only
        published = read_copied_tables(
            project.paths().warehouse, "crosswalk", *(() if full else ("runs", "golden_records"))
        )
        previous = published["crosswalk"]
        if previous is None:
            previous = pl.DataFrame(schema={"record_key": pl.Utf8, "golden_id": pl.Utf8})
        assignment = assign_golden_ids(clusters, previous, run_id=context.run.run_id)
        arrived = staging.read_column("changed_records", "record_key")  # new and changed (not re-delivered as they were)
        moves = crosswalk_moves(previous, assignment.crosswalk)
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
        else:
            # Incremental night: rebuild only the golden records whose records changed.
            affected = affected_golden_ids(previous, assignment.crosswalk, arrived, moves)
            touched = assignment.crosswalk.filter(pl.col("golden_id").is_in(affected.implode()))
            new_golden, new_lineage = build_golden(
                base.filter(pl.col("record_key").is_in(touched["record_key"].implode())), touched, config
            )
            live = assignment.crosswalk["golden_id"].unique().implode()
            keep = pl.col("golden_id").is_in(live) & ~pl.col("golden_id").is_in(affected.implode())
            # one sort of the ids (multi-threaded) beats merging the two sorted halves row by row
            golden = pl.concat([old_golden.filter(keep), new_golden], how="diagonal_relaxed").sort("golden_id")
            # The lineage of kept golden records stays in the warehouse: only the rebuilt ones' rows change.
            gone = pl.concat([old_golden.filter(~keep)["golden_id"], affected]).unique()
            lineage = TablePatch(key="golden_id", keys=gone, rows=new_lineage)
            if new_golden.schema == old_golden.schema:
                golden_patch = TablePatch(key="golden_id", keys=gone, rows=new_golden)
            rebuilt = new_golden.height
        crosswalk = (
            base.select("source_system", "source_record_id", "record_key")
            .join(assignment.crosswalk, on="record_key")
            .sort("golden_id", "source_system", "source_record_id")
        )
        if old_golden is not None and crosswalk.schema == previous.schema:
            # Rows differ only where records moved (moves.before, moves.now): replacing every row of the ids
            # they left or joined (affected holds the latter) gives the new crosswalk.
            ids = pl.concat([affected, moves.before["golden_id"]]).drop_nulls().unique()
            crosswalk_patch = TablePatch(
                key="golden_id", keys=ids, rows=crosswalk.filter(pl.col("golden_id").is_in(ids.implode()))
            )
        queue = build_review_queue(
            staging.read("pairs"),
            assignment.crosswalk,
            base,
            lower=config.matching.review_lower,
            upper=config.matching.review_upper,
            decided=decided_pair_ids(staging.read("steward_decisions")),
        )
        staging.write("golden_records", golden)
        staging.write_patch("golden_records", golden_patch)
        staging.write_table_change("golden_lineage", lineage)
        staging.write("crosswalk", crosswalk)
        staging.write_patch("crosswalk", crosswalk_patch)
        staging.write("identity_events", assignment.events)
        saved = latest_model(project.paths().models)
        with opened_db_api("duckdb") as db_api:
            scores = score_review_pairs(db_api, base, queue, saved.settings) if saved else None
            queue = queue.join(field_weights(scores), on="pair_id", how="left")  # each field's level and weight
            staging.write("review_queue", queue)
            staging.write_text("review_comparison_viewer.html", comparison_viewer_html(db_api, scores) or "")
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
                "source_records": crosswalk.height,
                "review_queue": queue.height,
                "review_comparison_viewer": dg.MetadataValue.path(str(project.paths().review_viewer)),
                **{f"events_{r['event_type']}": r["n"] for r in events.iter_rows(named=True)},
                "golden_records_rebuilt": rebuilt,
                **{k: v for k, v in stability.summary().items() if v is not None},
                "sample_masked": markdown_table(golden, max_rows=5),
                **{f"consented_{p}": int(golden[f"consent_{p}"].sum() or 0) for p in config.privacy.purposes},
                "review_queue_masked": markdown_table(
                    queue.select([c for c in queue.columns if not c.startswith(("gamma_", "bf_", "golden_id"))]),
                    max_rows=10,
                ),
            }
        )

    return golden_records
