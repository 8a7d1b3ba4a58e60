"""Progress lines: to Dagster's event log (the UI) and to the `nayose.progress`
logger (`governance.progress.step`), which the CLI prints. Never pass personal
data here."""

from __future__ import annotations

import dagster as dg

from governance.progress import step


def report(context: dg.AssetExecutionContext, message: str) -> None:
    context.log.info(message)
    step(message)
