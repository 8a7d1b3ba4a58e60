"""Golden records: stable ids, survivorship with lineage, the crosswalk, the review queue."""


import dagster as dg
import polars as pl

from assets.metadata import markdown_table
from assets.partitions import daily_partitions
from assets.progress import report
from nayose_config import NayoseConfig
from pipelines.resources import NayoseProject
from governance.consent import merge_consent
from resolution.golden_ids import assign_golden_ids
from resolution.linking import make_duckdb_api
from resolution.model import latest_model
from resolution.review_dashboard import comparison_viewer_html, field_weights, score_review_pairs
from resolution.review_queue import build_review_queue
from resolution.steward_decisions import decided_pair_ids
from resolution.survivorship import survive
from warehouse import read_table


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
        previous = read_table(project.paths().warehouse, "crosswalk")
        if previous is None:
            previous = pl.DataFrame(schema={"record_key": pl.Utf8, "golden_id": pl.Utf8})
        assignment = assign_golden_ids(clusters, previous, run_id=context.run.run_id)
        survived = survive(base, assignment.crosswalk, config.survivorship)
        consent = merge_consent(base, assignment.crosswalk, config.privacy.purposes)
        golden = survived.golden_records.join(consent, on="golden_id", how="left")
        crosswalk = (
            base.select("source_system", "source_record_id", "record_key")
            .join(assignment.crosswalk, on="record_key")
            .sort("golden_id", "source_system", "source_record_id")
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
        staging.write("golden_lineage", survived.lineage)
        staging.write("crosswalk", crosswalk)
        staging.write("identity_events", assignment.events)
        saved = latest_model(project.paths().models)
        db_api = make_duckdb_api()
        scores = score_review_pairs(db_api, base, queue, saved.settings) if saved else None
        queue = queue.join(field_weights(scores), on="pair_id", how="left")  # each field's level and weight
        staging.write("review_queue", queue)
        staging.write_text("review_comparison_viewer.html", comparison_viewer_html(db_api, scores) or "")
        events = assignment.events.group_by("event_type").agg(pl.len().alias("n")).sort("event_type")
        report(
            context,
            f"[golden] {golden.height} golden records; identity events: "
            + (", ".join(f"{r['event_type']} {r['n']}" for r in events.iter_rows(named=True)) or "none")
            + f"; review queue {queue.height}",
        )
        return dg.MaterializeResult(
            metadata={
                "golden_records": golden.height,
                "source_records": crosswalk.height,
                "review_queue": queue.height,
                "review_comparison_viewer": dg.MetadataValue.path(
                    str(project.paths().reports / "review_comparison_viewer.html")
                ),
                **{f"events_{r['event_type']}": r["n"] for r in events.iter_rows(named=True)},
                "sample_masked": markdown_table(survived.golden_records, max_rows=5),
                **{
                    f"consented_{p}": int(golden[f"consent_{p}"].sum() or 0)
                    for p in config.privacy.purposes
                },
                "review_queue_masked": markdown_table(
                    queue.select([c for c in queue.columns if not c.startswith(("gamma_", "bf_", "golden_id"))]), max_rows=10
                ),
            }
        )

    return golden_records
