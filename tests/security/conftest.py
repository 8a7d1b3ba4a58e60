"""A tiny project run once through the nightly pipeline (on a real Dagster
instance under its dagster_home), copied per test. Generated people only; the
keys are test values."""

from __future__ import annotations

from pathlib import Path

import pytest

from governance.pseudonymization import KEY_ENV
from tests.conftest import TEST_KEY

PARQUET_KEY = "parquet-test-key-0123456789"
NEW_PARQUET_KEY = "parquet-test-key-rotated-9876543210"


@pytest.fixture(autouse=True)
def pseudonym_key_env(monkeypatch: pytest.MonkeyPatch) -> bytes:
    monkeypatch.setenv(KEY_ENV, TEST_KEY)
    monkeypatch.delenv("NAYOSE_SUPPRESSION_DIR", raising=False)
    monkeypatch.delenv("NAYOSE_PARQUET_KEY", raising=False)
    return TEST_KEY.encode()


@pytest.fixture
def published(published_project: Path) -> Path:
    """A copy of the tiny project after one nightly run (2026-11-25)."""
    return published_project
