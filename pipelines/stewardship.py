"""The Dagster job a steward launches from the UI to record a decision on a pair."""

from typing import Literal

import dagster as dg

from pipelines.resources import NayoseProject
from resolution.steward_decisions import (
    StewardDecision,
    append_decision,
    contradicted_by,
    load_decisions,
    unknown_record_keys,
)


class StewardDecisionConfig(dg.Config):
    """Paste `record_key_l` and `record_key_r` from a review-queue row (or its
    `pair_id` split at `|`); the next nightly run obeys the decision."""

    record_key_l: str
    record_key_r: str
    decision: Literal["must_link", "cannot_link"]
    steward: str
    reason: str


@dg.op(description="Append a must-link / cannot-link decision to data/stewardship/steward_decisions.jsonl.")
def record_decision(context: dg.OpExecutionContext, config: StewardDecisionConfig, project: NayoseProject) -> None:
    decision = StewardDecision.make(
        config.record_key_l, config.record_key_r, config.decision, steward=config.steward, reason=config.reason
    )
    unknown = unknown_record_keys(project.paths().warehouse, [decision.record_key_l, decision.record_key_r])
    if unknown:
        raise dg.Failure(f"no published record has the key(s) {', '.join(unknown)}: copy them from the review queue")
    contradictions = contradicted_by(load_decisions(project.paths().steward_decisions), decision)
    append_decision(project.paths().steward_decisions, decision)
    context.log.info(f"recorded {decision.decision} decision {decision.decision_id}")
    for conflict in contradictions:  # record keys masked: the event log is read beyond the stewards
        context.log.warning(f"this decision contradicts earlier ones: {conflict.describe()}; the run keeps the cannot-link")


@dg.job(
    name="record_steward_decision",
    description="A steward's decision on a pair (same person / not the same person); obeyed by every later run.",
    tags={"nayose/kind": "stewardship"},
)
def record_steward_decision() -> None:
    record_decision()
