"""A tiny project run once through the nightly pipeline, copied per test
(generated people only; the pseudonym key is a test value, never a real one)."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import pytest

from governance.pseudonymization import KEY_ENV
from pipelines.cli import DEFAULT_DAGSTER_YAML, execute_nightly
from tests.conftest import write_tiny_project
from warehouse import ProjectPaths

TEST_KEY = "test-only-key-0123456789abcdef"


def run_nightly(project: Path, partition: str) -> dict:
    """The nightly job in-process on a real instance under `project/dagster_home`,
    so its event logs are part of what erasure tests search."""
    paths = ProjectPaths.of(project)
    paths.dagster_home.mkdir(parents=True, exist_ok=True)
    (paths.dagster_home / "dagster.yaml").write_text(DEFAULT_DAGSTER_YAML)
    with dg.DagsterInstance.from_config(str(paths.dagster_home)) as instance:
        return execute_nightly(paths, partition, instance=instance)


@pytest.fixture(autouse=True)
def pseudonym_key_env(monkeypatch: pytest.MonkeyPatch) -> bytes:
    monkeypatch.setenv(KEY_ENV, TEST_KEY)
    return TEST_KEY.encode()


@pytest.fixture(scope="session")
def _published_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_tiny_project(tmp_path_factory.mktemp("published") / "project")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(KEY_ENV, TEST_KEY)
        run_nightly(root, "2026-11-25")
    return root


@pytest.fixture
def published_project(_published_template: Path, tmp_path: Path) -> Path:
    """A copy of the tiny project after one nightly run (2026-11-25)."""
    target = tmp_path / "project"
    shutil.copytree(_published_template, target)
    return target
