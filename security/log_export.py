"""The security log for a SIEM: run, access, steward, privacy and security
events as JSON lines, and the incident KPIs (MTTD / MTTR) of the quality
report.

Two sources: the warehouse's audit log (what nayose did: runs published,
steward decisions, erasures, access exports, backups, restores, key
rotations) and the Dagster instance's event log (what the audit log cannot
hold: runs that failed, with the blocking checks and steps that stopped
them). Each event carries `timestamp`, `actor`, `action`, `object`,
`outcome`, plus `category`, `source` and `details`; details keep numbers and
booleans only (and the run id), so no record value, error text or identifier
in clear ever reaches the export.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from statistics import mean

import polars as pl

from warehouse.abandoned_runs import ABANDONED_TAG

CATEGORIES = {
    "nightly_run": "run",
    "steward_decision": "steward",
    "access_export": "access",
    "access_check": "access",
    "erasure": "privacy",
    "retention_sweep": "privacy",
    "backup": "security",
    "restore": "security",
    "key_rotation": "security",
}


@dataclass(frozen=True)
class SecurityEvent:
    """One line of the export."""

    timestamp: str  # ISO 8601, UTC
    actor: str
    action: str
    object: str
    outcome: str
    category: str
    source: str  # audit_log | dagster
    details: dict = field(default_factory=dict)

    def as_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)


def _safe_details(details: dict) -> dict:
    """Numbers, booleans and the run id only: strings may hold keys or text with values."""
    return {k: v for k, v in details.items() if (isinstance(v, (int, float, bool)) and not isinstance(v, str)) or k == "run_id"}


def _iso(seconds: float | None) -> str | None:
    return None if seconds is None else datetime.fromtimestamp(seconds, timezone.utc).isoformat(timespec="seconds")


def category_of(action: str) -> str:
    """The SIEM category of an action (`privacy` for retention actions, `other` when unknown)."""
    return CATEGORIES.get(action) or ("privacy" if action.startswith("retention") else "other")


def audit_events(log: pl.DataFrame | None) -> list[SecurityEvent]:
    """The audit log's entries as events, in sequence order (`details` filtered; the entry's `seq` and `hash` kept)."""
    if log is None or not log.height:
        return []
    events = []
    for row in log.sort("seq").iter_rows(named=True):
        details = _safe_details(json.loads(row["details"] or "{}")) | {"seq": row["seq"], "hash": row["hash"]}
        events.append(SecurityEvent(row["at"], row["actor"], row["action"], row["object"], row["outcome"],
                                    category_of(row["action"]), "audit_log", details))
    return events


def _run_actor(tags: dict[str, str]) -> str:
    for tag, label in (("dagster/schedule_name", "schedule"), ("dagster/sensor_name", "sensor")):
        if tag in tags:
            return f"dagster:{label}:{tags[tag]}"
    return f"dagster:{tags.get('nayose/trigger', 'manual')}"


def dagster_events(instance, *, limit: int = 1000) -> list[SecurityEvent]:
    """Finished runs of `instance` (at most `limit`, oldest first) as events:
    one `run` per run (outcome success / failure / canceled, with its duration;
    `abandoned` when its process was found gone, `warehouse.abandoned_runs`),
    and for failed runs one `check_blocked` per failed blocking asset check and
    one `step_failed` per failed step (names only, never error text)."""
    from dagster import DagsterEventType, DagsterRunStatus

    finished = {DagsterRunStatus.SUCCESS: "success", DagsterRunStatus.FAILURE: "failure", DagsterRunStatus.CANCELED: "canceled"}
    events: list[SecurityEvent] = []
    for record in sorted(instance.get_run_records(limit=limit), key=lambda r: r.start_time or r.create_timestamp.timestamp()):
        run = record.dagster_run
        if run.status not in finished:
            continue
        tags = dict(run.tags)
        actor = _run_actor(tags)
        obj = f"run {run.run_id}" + (f" partition {tags['dagster/partition']}" if "dagster/partition" in tags else "")
        start = record.start_time or record.create_timestamp.timestamp()
        end = record.end_time or record.update_timestamp.timestamp()
        if run.status == DagsterRunStatus.FAILURE:
            for entry in instance.all_logs(run.run_id, of_type={DagsterEventType.ASSET_CHECK_EVALUATION, DagsterEventType.STEP_FAILURE}):
                event = entry.dagster_event
                data = event.event_specific_data
                if event.event_type == DagsterEventType.STEP_FAILURE:
                    events.append(SecurityEvent(_iso(entry.timestamp), actor, "step_failed", f"{obj} step {event.step_key}",
                                                "failure", "run", "dagster", {"run_id": run.run_id}))
                elif not data.passed and getattr(data.severity, "value", str(data.severity)) == "ERROR":
                    check = f"{data.asset_key.to_user_string()}:{data.asset_check_key.name}"
                    events.append(SecurityEvent(_iso(entry.timestamp), actor, "check_blocked", f"{obj} check {check}",
                                                "blocked", "run", "dagster", {"run_id": run.run_id}))
        details = {"run_id": run.run_id, "duration_seconds": round(end - start, 3)}
        if tags.get(ABANDONED_TAG) == "true":  # killed: its end is when the next command found it gone
            details["abandoned"] = True
        events.append(SecurityEvent(_iso(end), actor, "run", obj, finished[run.status], "run", "dagster", details))
    return events


def export_lines(events: Iterable[SecurityEvent]) -> str:
    """JSON lines, ordered by timestamp (one event a line, newline-terminated)."""
    ordered = sorted(events, key=lambda e: e.timestamp)
    return "".join(e.as_json() + "\n" for e in ordered)


def incident_kpis(events: Iterable[SecurityEvent]) -> dict:
    """MTTD and MTTR of the pipeline's incidents, from Dagster run events.

    An incident opens with the first failed run after a success (or at the
    start); its detection is the first blocked check or step failure of that
    run, else the run's failure; it is resolved by the end of the next
    successful run. MTTD: run start to detection; MTTR: detection to
    resolution (seconds, means over resolved incidents; None when there are
    none). A run still in progress is not counted."""
    runs = sorted((e for e in events if e.source == "dagster"), key=lambda e: e.timestamp)
    first_signal: dict[str, str] = {}
    for e in runs:
        if e.action in ("check_blocked", "step_failed"):
            first_signal.setdefault(e.details["run_id"], e.timestamp)
    incidents: list[dict] = []
    current: dict | None = None
    for e in (e for e in runs if e.action == "run"):
        if e.outcome == "failure" and current is None:
            end = datetime.fromisoformat(e.timestamp)
            start = end.timestamp() - float(e.details.get("duration_seconds", 0.0))
            detected = datetime.fromisoformat(first_signal.get(e.details["run_id"], e.timestamp))
            current = {"detected_at": detected.isoformat(timespec="seconds"),
                       "ttd_seconds": round(max(detected.timestamp() - start, 0.0), 3), "failed_runs": 0}
        if e.outcome == "failure" and current is not None:
            current["failed_runs"] += 1
        if e.outcome == "success" and current is not None:
            resolved = datetime.fromisoformat(e.timestamp)
            current["resolved_at"] = resolved.isoformat(timespec="seconds")
            current["ttr_seconds"] = round(resolved.timestamp() - datetime.fromisoformat(current["detected_at"]).timestamp(), 3)
            incidents.append(current)
            current = None
    resolved = [i for i in incidents if "ttr_seconds" in i]
    return {
        "incidents": len(incidents) + (current is not None),
        "open_incidents": int(current is not None),
        "failed_runs": sum(1 for e in runs if e.action == "run" and e.outcome == "failure"),
        "blocked_checks": sum(1 for e in runs if e.action == "check_blocked"),
        "mttd_seconds": round(mean(i["ttd_seconds"] for i in incidents + ([current] if current else [])), 3) if incidents or current else None,
        "mttr_seconds": round(mean(i["ttr_seconds"] for i in resolved), 3) if resolved else None,
        "last_incident": (current or (incidents[-1] if incidents else None)),
    }
