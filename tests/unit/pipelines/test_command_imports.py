"""A command imports what it needs: `nayose run` loads no privacy-request
modules, and the commands that do not run Dagster do not import it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PRIVACY_REQUEST_MODULES = ("governance.erasure", "governance.access", "governance.subjects", "governance.rewrite")


def _modules_after(statement: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", f"import sys; {statement}; print('\\n'.join(sys.modules))"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )
    return set(done.stdout.split())


def test_the_command_line_parser_loads_neither_dagster_nor_privacy_requests() -> None:
    loaded = _modules_after("from pipelines.cli import build_parser; build_parser()")
    assert "dagster" not in loaded
    assert not loaded & set(PRIVACY_REQUEST_MODULES)


def test_the_nightly_definitions_load_no_privacy_request_modules() -> None:
    loaded = _modules_after("import pipelines.cli; import pipelines.project_definitions")
    assert "pipelines.privacy_jobs" in loaded  # its jobs are defined, their work imported when they run
    assert not loaded & set(PRIVACY_REQUEST_MODULES)
