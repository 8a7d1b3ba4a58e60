"""Start the Dagster webserver for a project on 127.0.0.1 and wait until its code location loads."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

WORKSPACE_QUERY = """
{ workspaceOrError { __typename ... on Workspace { locationEntries { name loadStatus
  locationOrLoadError { __typename ... on PythonError { message } } } } } }
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def graphql(port: int, query: str, variables: dict | None = None) -> dict:
    body = json.dumps({"query": query, "variables": variables or {}}).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def wait_until_loaded(port: int, deadline_s: float = 120) -> list[dict]:
    """Poll the workspace until every location is LOADED; return the entries."""
    end = time.monotonic() + deadline_s
    last_error: Exception | None = None
    while time.monotonic() < end:
        try:
            entries = graphql(port, WORKSPACE_QUERY)["data"]["workspaceOrError"]["locationEntries"]
            if entries and all(e["loadStatus"] == "LOADED" for e in entries):
                return entries
        except Exception as exc:  # server not up yet
            last_error = exc
        time.sleep(1)
    raise TimeoutError(f"webserver did not load its code location in {deadline_s}s ({last_error})")


@contextmanager
def running_webserver(project: Path, dagster_home: Path) -> Iterator[int]:
    """A webserver for `project` on a free loopback port; stopped on exit."""
    port = free_port()
    dagster_home.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, DAGSTER_HOME=str(dagster_home), NAYOSE_PROJECT_DIR=str(project))
    exe = Path(sys.executable).with_name("dagster-webserver")
    process = subprocess.Popen(
        [str(exe), "-h", "127.0.0.1", "-p", str(port), "-m", "pipelines.definitions"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
