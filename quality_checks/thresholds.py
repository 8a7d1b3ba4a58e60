"""Per-source rejection thresholds: is a delivery good enough to go on?"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ThresholdStatus = Literal["pass", "warn", "fail"]


@dataclass(frozen=True)
class ThresholdOutcome:
    """``status``: ``fail`` when the failure rate is above ``fail``, ``warn`` when
    above ``warn``, else ``pass``. ``failure_rate``: rejected / total (0.0 for an
    empty delivery). ``message``: one sentence naming the source and the counts,
    never a record value."""

    status: ThresholdStatus
    failure_rate: float
    message: str


def evaluate_source_threshold(
    source_system: str, rejected_rows: int, total_rows: int, warn: float, fail: float
) -> ThresholdOutcome:
    """Judge one source's rejection rate against its ``warn`` and ``fail``
    thresholds (fractions in 0..1; a rate equal to a threshold does not pass it).

    Refuses (``ValueError``) negative counts, more rejected than total rows, and
    thresholds outside 0..1 or with ``warn > fail``.
    """
    if rejected_rows < 0 or total_rows < 0 or rejected_rows > total_rows:
        raise ValueError(
            f"source {source_system!r}: rejected_rows={rejected_rows} and total_rows={total_rows} "
            "must be non-negative with rejected_rows <= total_rows"
        )
    if not 0.0 <= warn <= fail <= 1.0:
        raise ValueError(f"source {source_system!r}: thresholds must satisfy 0 <= warn ({warn}) <= fail ({fail}) <= 1")
    if total_rows == 0:
        return ThresholdOutcome("pass", 0.0, f"source {source_system!r}: no rows delivered, nothing rejected")
    rate = rejected_rows / total_rows
    counts = f"source {source_system!r}: {rejected_rows} of {total_rows} rows rejected ({rate:.1%})"
    if rate > fail:
        return ThresholdOutcome(
            "fail", rate, f"{counts}, above the fail threshold {fail:.1%}; check the quarantine table and fix the export"
        )
    if rate > warn:
        return ThresholdOutcome("warn", rate, f"{counts}, above the warn threshold {warn:.1%}")
    return ThresholdOutcome("pass", rate, f"{counts}, within the thresholds")
