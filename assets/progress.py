"""Progress lines: to Dagster's event log (the UI) and to the `nayose.progress`
logger, which the CLI prints. Never pass personal data here."""

from __future__ import annotations

import logging

import dagster as dg

progress_log = logging.getLogger("nayose.progress")


def report(context: dg.AssetExecutionContext, message: str) -> None:
    context.log.info(message)
    progress_log.info(message)
