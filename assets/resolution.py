"""Resolution assets: the customer base, the match model, and entity clusters."""

import dagster as dg
import polars as pl

from assets.partitions import (
    base_standardization,
    daily_partitions,
    is_full_rebuild,
    last_run,
)
from assets.progress import report
from assets.quality import start_quality_groundwork
from governance.progress import step
from nayose_config import NayoseConfig
from pipelines.resources import NayoseProject
from resolution import standardization
from resolution.blocking_recall import estimate_blocking_recall
from resolution.blocking_yield import prune_blocking_rules
from resolution.engines import opened_db_api
from resolution.float_keys import decisions_with_float_keys_renamed
from resolution.households import (
    PAIR_RULES,
    born_apart,
    generations_apart,
    held_apart,
    links,
    middle_names_apart,
    national_ids_apart,
)
from resolution.incremental import link_incrementally
from resolution.linking import predict_and_cluster, train_model
from resolution.match_keys import MATCH_KEY_COLUMNS, ROMANIZED_NAME_KEYS, add_match_keys
from resolution.model import (
    MIN_TRAINING_RECORDS,
    build_settings,
    built_in_settings,
    design_model,
    is_built_in,
    latest_model,
    levels_outdated,
    save_model,
    too_few_to_train,
)
from resolution.probability_floor import levels_below_floor
from resolution.redelivery import (
    DELIVERY_COLUMNS,
    as_base_rows,
    changed_record_keys,
    delivered_elsewhere,
    previous_versions_apart,
)
from resolution.steward_decisions import (
    apply_decisions,
    decision_conflicts,
    live_decisions,
    load_decisions,
)
from warehouse import Staging
from warehouse.store import TablePatch
from warehouse.table_copies import read_copied_tables, scan_copied_tables

RETRAIN_TAG = "nayose/retrain"


def deleted_record_keys(config: NayoseConfig, staging: Staging, previous: pl.LazyFrame | None) -> pl.DataFrame:
    """Record keys the sources deleted this partition: tombstones, and for
    snapshot sources every earlier record (of the `previous` base) missing
    from the newest snapshot."""
    parts = [staging.read(f"tombstones_{s.name}") for s in config.sources]
    for source in config.sources:
        if source.delivery == "snapshot" and staging.exists(f"snapshot_{source.name}") and previous is not None:
            present = staging.read(f"snapshot_{source.name}")
            parts.append(
                previous.filter(pl.col("source_system") == source.name)
                .select("record_key")
                .collect()
                .join(present, on="record_key", how="anti")
            )
    return pl.concat(parts, how="vertical_relaxed").unique() if parts else pl.DataFrame(schema={"record_key": pl.Utf8})


def _built_in_line(records: int, version: int, doing: str) -> str:
    """The night's one line on a base too small to train a model on: how
    many records, what the run does instead, and when it will train."""
    counted = f"{records} record is" if records == 1 else f"{records} records are"
    return (
        f"[model] {counted} too few to estimate a model on (EM needs pairs of duplicates, u random pairs of "
        f"other people; training takes {MIN_TRAINING_RECORDS:,}): {doing} the built-in model v{version} (weights "
        f"set, not estimated: records sharing a name and a birth date, email or phone link); the first night with "
        f"{MIN_TRAINING_RECORDS:,} records trains one"
    )


def build_resolution_assets(config: NayoseConfig) -> list[dg.AssetsDefinition]:
    @dg.asset(
        name="customer_base",
        group_name="resolution",
        partitions_def=daily_partitions(config.timezone),
        deps=["standardized_records"],
        kinds={"polars", "duckdb"},
        owners=["team:data-engineering"],
        description=(
            "Every accepted, standardized source record: the previous base with this partition's new and "
            "changed records applied (a re-delivered record replaces its earlier version). A --full run "
            "rebuilds it from this partition's re-read exports only."
        ),
    )
    def customer_base(context: dg.AssetExecutionContext, project: NayoseProject) -> dg.MaterializeResult:
        staging = project.staging(context.partition_key)
        new = staging.read("standardized")
        warehouse = project.paths().warehouse
        full = is_full_rebuild(context)
        published = scan_copied_tables(warehouse, *(("runs",) if full else ("records", "runs")))
        carried = base_standardization(
            context, published["runs"].collect() if published["runs"] is not None else None, config.timezone
        )
        staging.write_json("base_standardization", carried)
        current = standardization.standardization_stamp(config.timezone)
        if stale := standardization.why_base_is_stale(carried, config.timezone):
            report(
                context,
                f"[base] the records in the base were standardized {stale}, and new records "
                "may not meet them in the same forms: run `nayose run --full` once, with every export still in "
                "place (it rebuilds the base from them)",
            )
        records = None if full else published["records"]
        removed = deleted_record_keys(config, staging, records)
        # the earlier versions' romanized names serve the arrivals while the base is of today's rules
        lent = [c for pair in ROMANIZED_NAME_KEYS for c in pair] if carried == current else []
        kept = replaced_rows = None
        # the records standardization carried over from the base (re-delivered by a snapshot, unchanged)
        carried_over = staging.read("carried_over")["record_key"] if staging.exists("carried_over") else new["record_key"].clear()
        # a snapshot re-delivers its records: their earlier versions whole, to tell apart those whose delivery alone
        # moved (a delta source re-delivers few, not worth reading every column for)
        snapshots = any(s.delivery == "snapshot" and staging.exists(f"snapshot_{s.name}") for s in config.sources)
        earlier = None  # the earlier versions of the records carried over, whole
        if records is not None:
            also = records.collect_schema().names() if snapshots else lent
            kept, earlier, replaced_rows = previous_versions_apart(records, new, removed, also=also, carried=carried_over)
        patch = None  # the warehouse's records table changed by key, when the columns stay as they are
        if kept is not None and kept.height + earlier.height + replaced_rows.height:
            if all(c in kept.columns for c in MATCH_KEY_COLUMNS):
                # Kept records carry their match keys from the warehouse: derive them for the new ones only (and
                # not for those standardization carried over: they are their earlier version, moved).
                arrived, moved = as_base_rows(new, earlier, known=replaced_rows if lent else None)
                base = pl.concat([kept, arrived], how="diagonal_relaxed")
                if base.schema == records.collect_schema():
                    keys = pl.concat([new["record_key"], removed["record_key"]])
                    rows = base.tail(arrived.height)
                    if snapshots:  # set in place, not replaced: the moved, and the others only their delivery changed for
                        moved = pl.concat([moved, delivered_elsewhere(rows.tail(rows.height - moved.len()), replaced_rows)])
                    patch = TablePatch(
                        key="record_key",
                        keys=keys,
                        rows=rows,
                        updated=moved if moved.len() else None,
                        updated_columns=DELIVERY_COLUMNS,
                    )
            else:
                base = pl.concat([kept, new], how="diagonal_relaxed") if new.height else kept
                base = add_match_keys(base) if base.height else base
        else:
            base = add_match_keys(new) if new.height else new
        staging.write("base", base)
        staging.write_table_change("records", patch)  # None: publish the whole base
        # what linking and golden records must look at again: a record re-delivered unchanged is not a change
        carried_keys = earlier["record_key"] if earlier is not None else new["record_key"].clear()
        changed = changed_record_keys(new.filter(~pl.col("record_key").is_in(carried_keys.implode())), replaced_rows)
        staging.write("changed_records", changed.to_frame())
        # the quality stage's groundwork reads the arrivals' keys alone (not the standardized frame: at 1M
        # arrivals, left out of memory by then, reading it back kept the base stage waiting 4 s)
        staging.write("arrived_record_keys", new.select("record_key"))
        start_quality_groundwork(context, project, config)  # beside the next stages, in a nightly run
        replaced = deleted = 0
        if replaced_rows is not None:
            replaced = replaced_rows.join(new.select("record_key"), on="record_key", how="semi").height + earlier.height
            deleted = replaced_rows.join(removed, on="record_key", how="semi").height
        unchanged = f", {new.height - changed.len()} re-delivered unchanged" if changed.len() < new.height else ""
        report(
            context,
            f"[base] {base.height} records ({changed.len()} new or changed{unchanged}, {replaced} replaced, "
            f"{deleted} deleted by their source)",
        )
        return dg.MaterializeResult(
            metadata={
                "records": base.height,
                "new_or_changed": changed.len(),
                "replaced_versions": replaced,
                "deleted_by_source": deleted,
                "redelivered_unchanged": new.height - changed.len(),
            }
        )

    @dg.asset(
        name="match_model",
        group_name="resolution",
        partitions_def=daily_partitions(config.timezone),
        deps=["customer_base"],
        kinds={"splink", "duckdb"},
        owners=["team:data-stewards"],
        description=(
            "The Splink model, derived from the canonical fields present: trained once (prior from "
            "deterministic rules, u by random sampling, m by EM) and saved as versioned JSON under "
            "data/models/; reused nightly; retrained when the fields change or on `nayose train`. Below "
            f"{MIN_TRAINING_RECORDS:,} records, the built-in model (weights set, not estimated) until a night has them."
        ),
    )
    def match_model(context: dg.AssetExecutionContext, project: NayoseProject) -> dg.MaterializeResult:
        staging = project.staging(context.partition_key)
        base = staging.read("base")
        design = design_model(base, check_counts=False)  # blocking rules are counted only when training
        models_dir = project.paths().models
        saved = latest_model(models_dir)
        retrain = context.run.tags.get(RETRAIN_TAG) == "true"
        changed = saved is None or retrain or saved.meta.get("design_fingerprint") != design.fingerprint
        built_in = saved is not None and is_built_in(saved.meta)
        too_few = too_few_to_train(base.height)
        if too_few and (changed or (built_in and levels_outdated(saved.meta))):
            # Nothing to estimate on: the built-in model (its rules all kept: below MIN_TRAINING_RECORDS none can
            # count too many comparisons; nothing measured). It costs nothing, so new levels just rebuild it.
            settings = built_in_settings(build_settings(design, config.matching))
            saved = save_model(models_dir, settings, design, base, built_in=True)
            report(context, _built_in_line(base.height, saved.meta["model_version"], "linking with"))
            action = "built-in"
        elif not too_few and (changed or built_in):
            since = f" (the built-in model v{saved.meta['model_version']} served until now)" if built_in else ""
            report(
                context,
                f"[model] training on {base.height} records{since}: {', '.join(design.comparisons)}",
            )
            design = design_model(base)
            settings = build_settings(design, config.matching)
            with opened_db_api(config.engine, work_dir=staging.directory) as db_api:
                trained = train_model(db_api, base, design, settings, max_pairs_for_u=config.matching.max_pairs_for_u)
            measured = None
            if not config.matching.blocking_rules:  # rules the user wrote are used as written
                with opened_db_api(config.engine, work_dir=staging.directory) as db_api:
                    trained, design, measured = prune_blocking_rules(
                        db_api,
                        base,
                        trained,
                        design,
                        link_threshold=config.matching.link_threshold,
                        max_recall_loss=config.matching.blocking_recall_budget,
                    )
                for rule in measured.dropped_rules:
                    report(
                        context,
                        f"[model] blocking rule {' & '.join(rule.columns)} dropped: alone it makes "
                        f"{rule.only_comparisons} of {measured.comparisons} comparisons and finds "
                        f"{rule.only_matches} of {measured.matches} matches on {measured.sample_records} records",
                    )
            with opened_db_api(config.engine, work_dir=staging.directory) as db_api:
                recall = estimate_blocking_recall(
                    db_api,
                    base,
                    trained,
                    design.blocking_rules,
                    link_threshold=config.matching.link_threshold,
                )
            saved = save_model(
                models_dir,
                trained,
                design,
                base,
                blocking_recall=recall,
                blocking_yield=measured.as_dict() if measured else None,
            )
            report(
                context,
                f"[model] blocking recall estimate {recall.get('recall_estimate')} "
                f"({recall.get('covered')} of {recall.get('probable_matches')} probable matches in a wide net)",
            )
            action = "trained"
        else:
            action = "reused"
            if is_built_in(saved.meta):  # said every night it serves
                report(context, _built_in_line(base.height, saved.meta["model_version"], "still linking with"))
            changes = levels_outdated(saved.meta)
            if changes:  # its levels stay as trained until it is retrained
                report(
                    context,
                    f"[model] model v{saved.meta['model_version']} was trained before changes to the comparison "
                    f"levels ({'; '.join(changes)}): `nayose train` retrains it with them",
                )
            unfloored = levels_below_floor(saved.settings)
            if unfloored:  # trained before the floors, ceilings or bounds of levels: they stay until retrained
                worst = min(unfloored, key=lambda w: w.weight if w.weight is not None else float("inf"))
                report(
                    context,
                    f"[model] model v{saved.meta['model_version']} has {len(unfloored)} level(s) with m or u outside "
                    f"the floors and ceilings training keeps, without an m estimate, or weighing more than their "
                    f"comparison's exact level "
                    f"(lowest: {worst.comparison} / {worst.level}"
                    + (f", {worst.weight:.0f} bits" if worst.weight is not None else "")
                    + "): `nayose train` retrains it with bounded weights",
                )
        staging.write_json(
            "model",
            {
                "path": str(saved.path),
                "version": saved.meta["model_version"],
                "action": action,
            },
        )
        report(context, f"[model] {action} model v{saved.meta['model_version']}")
        return dg.MaterializeResult(
            metadata={
                "model_version": saved.meta["model_version"],
                "action": action,
                "comparisons": ", ".join(saved.meta["comparisons"]),
                "blocking_rules": dg.MetadataValue.md(
                    "\n".join(f"- {' & '.join(r)}" for r in saved.meta["blocking_rules"])
                ),
                "path": dg.MetadataValue.path(str(saved.path)),
                "blocking_recall_estimate": dg.MetadataValue.json(saved.meta.get("blocking_recall") or {}),
                "blocking_yield": dg.MetadataValue.json(saved.meta.get("blocking_yield") or {}),
            }
        )

    @dg.asset(
        name="entity_clusters",
        group_name="resolution",
        partitions_def=daily_partitions(config.timezone),
        deps=["match_model"],
        kinds={"splink", "duckdb"},
        owners=["team:data-stewards"],
        description=(
            "Candidate pairs scored by the model (only new and changed records on an incremental night) and "
            f"records clustered at the link threshold (p >= {config.matching.link_threshold}), then steward "
            "decisions applied: must-links join clusters, cannot-links split them at the weakest link."
        ),
    )
    def entity_clusters(context: dg.AssetExecutionContext, project: NayoseProject) -> dg.MaterializeResult:
        staging = project.staging(context.partition_key)
        warehouse = project.paths().warehouse
        base = staging.read("base")
        saved = latest_model(project.paths().models)
        assert saved is not None, "match_model must run first"
        m = config.matching
        score_threshold = min(m.review_lower, m.link_threshold)
        previous = read_copied_tables(warehouse, "match_pairs", "crosswalk", "runs")
        previous_pairs, previous_crosswalk, runs = previous["match_pairs"], previous["crosswalk"], previous["runs"]
        last = last_run(runs)
        same_rules = last.get("pair_rules") == PAIR_RULES  # kept pairs were filtered by today's rules
        incremental = (
            not is_full_rebuild(context)
            and previous_pairs is not None
            and previous_crosswalk is not None
            and last.get("model_version") == saved.meta["model_version"]
            and same_rules
        )
        pairs_patch = None  # the warehouse's match_pairs changed by left record, on incremental nights
        with opened_db_api(config.engine, work_dir=staging.directory) as db_api:
            if incremental:
                changed = staging.read("changed_records")["record_key"]
                linked = link_incrementally(
                    db_api,
                    base,
                    changed,
                    previous_pairs,
                    previous_crosswalk,
                    saved.settings,
                    score_threshold=score_threshold,
                    link_threshold=m.link_threshold,
                )
                pairs, clusters = linked.pairs, linked.clusters
                if pairs.schema == previous_pairs.schema:  # the table's columns: patched by left record
                    pairs_patch = TablePatch(
                        key="record_key_l",
                        keys=linked.changed_left,
                        rows=pairs.filter(pl.col("record_key_l").is_in(linked.changed_left.implode())),
                    )
                mode = f"incremental: {linked.new_pairs} new pair(s), {linked.affected_records} record(s) re-clustered"
            else:
                result = predict_and_cluster(
                    db_api,
                    base,
                    saved.settings,
                    score_threshold=score_threshold,
                    link_threshold=m.link_threshold,
                )
                pairs, clusters = result.pairs, result.clusters
                mode = "full: every record scored"
                if not is_full_rebuild(context) and last and not same_rules:
                    mode += " (the rules that keep pairs apart changed since the last run)"
        decisions = decisions_with_float_keys_renamed(load_decisions(project.paths().steward_decisions), base["record_key"])
        # a father's and his son's records (jr, sr; other middle names; held for, or of one name and home born apart) chained through
        # a source without suffixes or birth dates are split too
        apart = pl.concat(
            [
                generations_apart(clusters, base),
                national_ids_apart(clusters, base),
                middle_names_apart(clusters, base, pairs, link_threshold=m.link_threshold),
                held_apart(clusters, pairs),
                born_apart(clusters, base, pairs, saved.settings, link_threshold=m.link_threshold),
            ]
        ).unique("decision_id")
        apart = apart.join(decisions, on=["record_key_l", "record_key_r"], how="anti")
        clusters = apply_decisions(clusters, pairs, pl.concat([decisions, apart]), link_threshold=m.link_threshold)
        conflicts = decision_conflicts(live_decisions(decisions, clusters["record_key"]))
        staging.write("pairs", pairs)
        staging.write_json("pair_rules", PAIR_RULES)
        staging.write_patch("match_pairs", pairs_patch)
        staging.write("clusters", clusters)
        staging.write("steward_decisions", decisions)
        n_clusters = clusters["cluster_id"].n_unique()
        report(
            context,
            f"[resolve] {mode}; {pairs.height} scored pairs, {n_clusters} clusters from {base.height} records"
            + (f"; {len(conflicts)} contradictory steward decision(s)" if conflicts else ""),
        )
        for conflict in conflicts:  # decision ids and masked record keys only
            context.log.warning(f"steward decisions contradict each other: {conflict.describe()}")
            step(f"[resolve] steward decisions contradict each other: {conflict.describe()}")
        return dg.MaterializeResult(
            metadata={
                "mode": mode,
                "scored_pairs": pairs.height,
                "linked_pairs": links(pairs, m.link_threshold).height,
                "clusters": n_clusters,
                "records": base.height,
                "steward_decisions_applied": decisions.height,
                "steward_decision_conflicts": len(conflicts),
                **(
                    {"steward_decision_conflicts_detail": dg.MetadataValue.md("\n".join(f"- {c.describe()}" for c in conflicts))}
                    if conflicts
                    else {}
                ),
            }
        )

    return [customer_base, match_model, entity_clusters]
