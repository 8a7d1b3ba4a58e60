from __future__ import annotations

import polars as pl
import pytest

from governance.pseudonymization import KEY_ENV, PseudonymKeyMissing, hash_series, keyed_hash, pseudonym_key


def test_missing_or_short_key_is_refused_with_what_to_do() -> None:
    with pytest.raises(PseudonymKeyMissing, match=KEY_ENV):
        pseudonym_key({})
    with pytest.raises(PseudonymKeyMissing, match="shorter"):
        pseudonym_key({KEY_ENV: "short"})


def test_key_from_environment_and_domains_separate_uses() -> None:
    key = pseudonym_key({KEY_ENV: "k" * 20})
    assert keyed_hash("a@example.com", key, domain="email") == keyed_hash("a@example.com", key, domain="email")
    assert keyed_hash("a@example.com", key, domain="email") != keyed_hash("a@example.com", key, domain="extract:x")
    assert keyed_hash("a@example.com", key, domain="email") != keyed_hash("a@example.com", b"other-key-123456", domain="email")


def test_hash_series_keeps_nulls_and_order() -> None:
    out = hash_series(pl.Series(["b", None, "a", "b"]), b"k" * 16, domain="d")
    assert out[1] is None and out[0] == out[3] != out[2]
