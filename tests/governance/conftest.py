"""A tiny project run once through the nightly pipeline, copied per test
(generated people only; the pseudonym key is a test value, never a real one)."""

from __future__ import annotations


import pytest

from governance.pseudonymization import KEY_ENV
from tests.conftest import TEST_KEY


@pytest.fixture(autouse=True)
def pseudonym_key_env(monkeypatch: pytest.MonkeyPatch) -> bytes:
    monkeypatch.setenv(KEY_ENV, TEST_KEY)
    return TEST_KEY.encode()


def steward_copies_naming(paths, values: set[str]) -> dict[str, int]:
    """Per steward review file (data/review/*.parquet), how many rows hold one of `values` in any column."""
    import polars as pl

    found = {}
    for path in sorted((paths.data / "review").glob("*.parquet")):
        frame = pl.read_parquet(path)
        hits = frame.filter(pl.any_horizontal(pl.col(c).cast(pl.Utf8).is_in(sorted(values)) for c in frame.columns))
        if hits.height:
            found[path.name] = hits.height
    return found

