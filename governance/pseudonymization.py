"""Keyed hashes (HMAC-SHA256) that stand in for a person's identifiers.

The key comes from the environment variable `NAYOSE_PSEUDONYM_KEY` and never
from the repository or a default: without the key nobody can test a guessed
email against a hash, and with a different key the hashes do not match, so
losing the key loses the suppression list (keep it in the secret store).
Every hash names a `domain` (`email`, `phone`, `extract:analytics`...), so one
identifier hashed for two uses gives two unrelated values.

A wrong key fails silently (nothing matches), so the suppression list keeps a
key check value (`key_check_value`: the key's hash of a fixed label, in its
own domain, which tells nothing about the key) and every use of the key
against stored hashes refuses another key (`PseudonymKeyMismatch`).
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Mapping

import polars as pl

KEY_ENV = "NAYOSE_PSEUDONYM_KEY"
MIN_KEY_LENGTH = 16
KEY_CHECK_LABEL, KEY_CHECK_DOMAIN = "nayose key check", "key_check"
KEY_MISMATCH_MESSAGE = (
    f"{KEY_ENV} is not the key this project's suppression list was written with; "
    "set the original key (nothing was changed)"
)


class PseudonymKeyMissing(Exception):
    """The pseudonymization key is not set (or too short to be a secret)."""


class PseudonymKeyMismatch(PseudonymKeyMissing):
    """The key is set but is not the one the project's suppression list was
    written with (its check value differs): with it no stored hash matches.
    A PseudonymKeyMissing too, so whatever reports an unusable key reports it."""

    def __init__(self) -> None:
        super().__init__(KEY_MISMATCH_MESSAGE)


def pseudonym_key(environ: Mapping[str, str] | None = None) -> bytes:
    """The key from `NAYOSE_PSEUDONYM_KEY` as bytes.

    Refuses (`PseudonymKeyMissing`, naming the variable and what to do) an
    unset, empty or shorter-than-16-character key; there is no default."""
    value = (os.environ if environ is None else environ).get(KEY_ENV, "")
    if not value.strip():
        raise PseudonymKeyMissing(
            f"{KEY_ENV} is not set: export a secret of at least {MIN_KEY_LENGTH} characters "
            "(e.g. `python -c \"import secrets; print(secrets.token_hex(32))\"`) from your secret store; "
            "the same key must be used for every run, or suppression and extracts stop matching"
        )
    if len(value) < MIN_KEY_LENGTH:
        raise PseudonymKeyMissing(f"{KEY_ENV} is shorter than {MIN_KEY_LENGTH} characters: use a longer secret")
    return value.encode("utf-8")


def keyed_hash(value: str, key: bytes, *, domain: str) -> str:
    """HMAC-SHA256 hex of `value` in `domain` (the domain separates uses)."""
    return hmac.new(key, f"{domain}\x1f{value}".encode("utf-8"), hashlib.sha256).hexdigest()


def key_check_value(key: bytes) -> str:
    """The check value stored with the suppression list: `key`'s hash of a
    fixed label in the `key_check` domain (equal values, same key)."""
    return keyed_hash(KEY_CHECK_LABEL, key, domain=KEY_CHECK_DOMAIN)


def hash_series(values: pl.Series, key: bytes, *, domain: str) -> pl.Series:
    """`keyed_hash` of every non-null value (computed once per distinct value); null stays null."""
    text = values.cast(pl.Utf8)
    mapping = {v: keyed_hash(v, key, domain=domain) for v in text.drop_nulls().unique().to_list()}
    if not mapping:
        return pl.Series(values.name, [None] * values.len(), dtype=pl.Utf8)
    return text.replace_strict(mapping, default=None, return_dtype=pl.Utf8)
