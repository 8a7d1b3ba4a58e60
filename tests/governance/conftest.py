"""A tiny project run once through the nightly pipeline, copied per test
(generated people only; the pseudonym key is a test value, never a real one)."""

from __future__ import annotations

from pathlib import Path

import pytest

from governance.pseudonymization import KEY_ENV
from tests.conftest import TEST_KEY


@pytest.fixture(autouse=True)
def pseudonym_key_env(monkeypatch: pytest.MonkeyPatch) -> bytes:
    monkeypatch.setenv(KEY_ENV, TEST_KEY)
    return TEST_KEY.encode()
