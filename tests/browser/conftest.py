"""Browser-test fixtures: Debian's chromium driven by Playwright, and one tiny
project on which the nightly job has run with a real Dagster instance.

The tests skip (they do not fail) when /usr/bin/chromium or the playwright
package is absent; `.ci/run` installs chromium with apt-get. Never run
`playwright install`: it downloads browsers, which these machines cannot do.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Iterator

import pytest

from tests.conftest import write_tiny_project

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",  # CI runs as root in a container
    "--disable-gpu",
    "--disable-dev-shm-usage",  # small /dev/shm in containers
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PARTITION = "2026-11-25"
TIMEOUT_MS = 60_000  # generous per-wait timeout: the Dagster UI is a React app


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """A headless chromium (Debian's); the test is skipped when it is not installed."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium; .ci/run does it)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS, headless=True)
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page (own context: no cookies or local storage from another test)."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="en-US")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture(scope="session")
def nightly_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny project after `nayose run --date 2026-11-25`, run as a subprocess
    so the run, its materializations and its event log land in the project's own
    `dagster_home/` (a real SQLite instance the webserver can read) and no
    DAGSTER_HOME leaks into this process."""
    project = write_tiny_project(tmp_path_factory.mktemp("browser") / "project")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DAGSTER_", "NAYOSE_"))}
    env["DAGSTER_HOME"] = str(project / "dagster_home")  # what the CLI sets itself (prepare_dagster_env)
    nayose = Path(sys.executable).with_name("nayose")
    command = [str(nayose)] if nayose.exists() else [sys.executable, "-m", "pipelines.cli"]
    result = subprocess.run(
        [*command, "run", "--project", str(project), "--date", PARTITION],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"nayose run failed:\n{result.stdout}\n{result.stderr}"
    assert (project / "dagster_home" / "storage").is_dir(), "the run left no Dagster instance in dagster_home/"
    return project


@pytest.fixture(scope="session")
def quality_report(nightly_project: Path) -> dict[str, Any]:
    """The run's quality report JSON: the expected values the browser must show."""
    return json.loads((nightly_project / "data" / "reports" / "quality_report.json").read_text(encoding="utf-8"))
