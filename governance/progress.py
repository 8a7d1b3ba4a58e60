"""Progress lines: the nightly run's stages (`assets.progress.report` adds
them to Dagster's event log too) and the privacy officer's long steps (an
erasure or a retention sweep reads and rewrites every store: minutes on a
large project).

They go to the `nayose.progress` logger, which the CLI prints (the
governance commands on stderr: their stdout is the JSON report). They name
steps, files and counts, never a person's values.
"""

from __future__ import annotations

import logging

progress_log = logging.getLogger("nayose.progress")


def step(message: str) -> None:
    """One progress line, e.g. `[erase] rewriting the source exports`."""
    progress_log.info(message)
