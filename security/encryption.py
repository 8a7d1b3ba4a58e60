"""Encryption at rest of the golden records' personal columns (Parquet
modular encryption through pyarrow).

Each personal column (settings `encryption.columns`, those present) is
encrypted with AES-GCM under a column key; the footer stays plaintext (signed)
so readers without the key still read every other column, with pyarrow,
polars or DuckDB, and see the schema. Data keys are wrapped by master keys
derived from one secret (the key material: `NAYOSE_PARQUET_KEY`, or a key
file outside the project); the wrapping runs in-process (an in-memory KMS
client), nothing goes over the network.

The file's key-value metadata names the encrypted columns and the key's
fingerprint (a one-way id of the secret, never the secret), so a reader with
the wrong key gets a clear error instead of a decryption failure.

Rotation (`rotate_key`) re-encrypts each file under the new key, atomically;
see docs/security.md for the procedure. A missing key when encryption is
enabled is `ParquetKeyMissing`: nothing is ever written in plaintext instead.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import stat
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq

from security.file_modes import stage_parquet_privately, write_parquet_privately
from security.settings import EncryptionSettings

MIN_KEY_LENGTH = 16
META_COLUMNS = b"nayose.encrypted_columns"
META_FINGERPRINT = b"nayose.key_fingerprint"


class ParquetKeyMissing(Exception):
    """Encryption is enabled (or a file is encrypted) but no usable key was given."""


class ParquetKeyMismatch(Exception):
    """The key given is not the one the file was encrypted with."""


@dataclass(frozen=True)
class ParquetKey:
    """Key material for Parquet encryption. `fingerprint` is a one-way id of
    the secret, safe to log; the secret itself never leaves this object."""

    secret: bytes

    def __post_init__(self) -> None:
        if len(self.secret.strip()) < MIN_KEY_LENGTH:
            raise ParquetKeyMissing(f"the Parquet key is shorter than {MIN_KEY_LENGTH} characters: use a longer secret")

    def __repr__(self) -> str:  # never print the secret
        return f"ParquetKey(fingerprint={self.fingerprint})"

    @property
    def fingerprint(self) -> str:
        return hmac.new(self.secret, b"nayose-parquet-key-fingerprint", hashlib.sha256).hexdigest()[:16]

    def master_keys(self) -> dict[str, bytes]:
        """Master key id -> 256-bit key, derived from the secret (one for the footer, one for the columns)."""
        return {
            f"nayose-{use}-{self.fingerprint}": hmac.new(self.secret, f"nayose-parquet-{use}".encode(), hashlib.sha256).digest()
            for use in ("footer", "columns")
        }

    @property
    def footer_key_id(self) -> str:
        return f"nayose-footer-{self.fingerprint}"

    @property
    def column_key_id(self) -> str:
        return f"nayose-columns-{self.fingerprint}"


def key_from_env(variable: str, environ: Mapping[str, str] | None = None) -> ParquetKey | None:
    """The key held by environment variable `variable`, or None when unset/empty."""
    value = (os.environ if environ is None else environ).get(variable, "")
    return ParquetKey(value.strip().encode("utf-8")) if value.strip() else None


def key_from_file(path: Path, project_root: Path) -> ParquetKey:
    """The key held by a key file. Refuses (ParquetKeyMissing) a missing file,
    one inside the project directory (it would travel with the data and its
    backups), or one readable by group or others."""
    path = path.expanduser().resolve()
    if not path.exists():
        raise ParquetKeyMissing(f"encryption.key_file {path} does not exist")
    if project_root.resolve() in path.parents:
        raise ParquetKeyMissing(f"encryption.key_file {path} is inside the project directory: keep the key outside it")
    if stat.S_IMODE(path.stat().st_mode) & 0o077:
        raise ParquetKeyMissing(f"encryption.key_file {path} is readable by group or others: chmod 600 it")
    return ParquetKey(path.read_bytes().strip())


def parquet_key(settings: EncryptionSettings, project_root: Path, environ: Mapping[str, str] | None = None) -> ParquetKey | None:
    """The key for writing golden Parquet: None when encryption is disabled;
    else from `key_env`, then `key_file`. Refuses (ParquetKeyMissing, naming
    where the key is looked for) an enabled encryption without a key."""
    if not settings.enabled:
        return None
    key = key_from_env(settings.key_env, environ)
    if key is None and settings.key_file:
        key = key_from_file(Path(settings.key_file), project_root)
    if key is None:
        where = f"${settings.key_env}" + (f" or {settings.key_file}" if settings.key_file else "")
        raise ParquetKeyMissing(
            f"security.encryption is enabled but no key is set ({where}): export a secret of at least "
            f"{MIN_KEY_LENGTH} characters from your secret store; nothing was written in plaintext"
        )
    return key


def _crypto_factory(keys: Sequence[ParquetKey]):
    """A CryptoFactory whose in-memory KMS client wraps data keys with AES-GCM
    under master keys derived from `keys` (new factory per call: no key cache outlives it)."""
    import pyarrow.parquet.encryption as pe
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    masters: dict[str, bytes] = {}
    for key in keys:
        masters |= key.master_keys()

    class InMemoryKms(pe.KmsClient):
        def __init__(self, _config: pe.KmsConnectionConfig) -> None:
            super().__init__()

        def wrap_key(self, key_bytes: bytes, master_key_identifier: str) -> str:
            nonce = os.urandom(12)
            sealed = AESGCM(masters[master_key_identifier]).encrypt(nonce, key_bytes, master_key_identifier.encode())
            return base64.b64encode(nonce + sealed).decode("ascii")

        def unwrap_key(self, wrapped_key: str, master_key_identifier: str) -> bytes:
            if master_key_identifier not in masters:
                raise ParquetKeyMismatch(f"no key for master key id {master_key_identifier}")
            raw = base64.b64decode(wrapped_key)
            return AESGCM(masters[master_key_identifier]).decrypt(raw[:12], raw[12:], master_key_identifier.encode())

    return pe.CryptoFactory(lambda config: InMemoryKms(config)), pe.KmsConnectionConfig()


def _stage_encrypted(frame: pl.DataFrame, target: Path, columns: Sequence[str], key: ParquetKey, *, plaintext_footer: bool = True) -> Path:
    """Stage `frame` (temporary name beside `target`, 0600) with those of `columns` it holds encrypted under `key`."""
    import pyarrow.parquet.encryption as pe

    encrypted = [c for c in columns if c in frame.columns]
    table = frame.to_arrow()
    metadata = dict(table.schema.metadata or {})
    metadata[META_COLUMNS] = json.dumps(encrypted).encode()
    metadata[META_FINGERPRINT] = key.fingerprint.encode()
    table = table.replace_schema_metadata(metadata)
    factory, kms = _crypto_factory([key])
    config = pe.EncryptionConfiguration(
        footer_key=key.footer_key_id,
        column_keys={key.column_key_id: encrypted} if encrypted else {},
        plaintext_footer=plaintext_footer,
        encryption_algorithm="AES_GCM_V1",
        double_wrapping=True,
    )
    return stage_parquet_privately(table, target, encryption_properties=factory.file_encryption_properties(kms, config))


def _write_encrypted(frame: pl.DataFrame, target: Path, columns: Sequence[str], key: ParquetKey, *, plaintext_footer: bool = True) -> list[str]:
    """`_stage_encrypted`, renamed over `target`; returns the columns encrypted."""
    _stage_encrypted(frame, target, columns, key, plaintext_footer=plaintext_footer).replace(target)
    return [c for c in columns if c in frame.columns]


def write_encrypted_parquet(frame: pl.DataFrame, target: Path, settings: EncryptionSettings, key: ParquetKey | None) -> list[str]:
    """Write `frame` to `target` atomically (mode 0600) with the columns of
    `settings.columns` that it holds encrypted under `key`; returns those
    columns. Refuses (ParquetKeyMissing) a None key: never a plaintext write.
    The footer is signed with the key and, unless `plaintext_footer` is off,
    readable without it."""
    if key is None:
        raise ParquetKeyMissing(f"no Parquet key given for {target.name}: refusing to write personal columns in plaintext")
    return _write_encrypted(frame, target, settings.columns, key, plaintext_footer=settings.plaintext_footer)


def stage_golden_parquet(frame: pl.DataFrame, target: Path, settings: EncryptionSettings, key: ParquetKey | None) -> Path:
    """The publish step's writer for golden Parquet: stages `frame` under
    `target`'s temporary name (mode 0600) and returns it, for a
    `warehouse.Publication` to rename with the other outputs. Encrypted when
    `settings.enabled` (then `key` must be given: ParquetKeyMissing, nothing
    written), else plain."""
    if not settings.enabled:
        return stage_parquet_privately(frame, target)
    if key is None:
        raise ParquetKeyMissing(f"no Parquet key given for {target.name}: refusing to write personal columns in plaintext")
    return _stage_encrypted(frame, target, settings.columns, key, plaintext_footer=settings.plaintext_footer)


def write_golden_parquet(frame: pl.DataFrame, target: Path, settings: EncryptionSettings, key: ParquetKey | None) -> None:
    """`stage_golden_parquet`, renamed over `target` at once (atomic, mode 0600)."""
    stage_golden_parquet(frame, target, settings, key).replace(target)


@dataclass(frozen=True)
class EncryptionInfo:
    """What a Parquet file's plaintext footer says about its encryption."""

    encrypted_columns: tuple[str, ...]
    fingerprint: str | None
    columns: tuple[str, ...]

    @property
    def encrypted(self) -> bool:
        return self.fingerprint is not None


def encryption_info(path: Path) -> EncryptionInfo:
    """The encrypted columns and key fingerprint of a Parquet file (empty for a
    plain file). Refuses (ParquetKeyMissing) a file with an encrypted footer:
    nothing of it can be read without the key."""
    try:
        schema = pq.read_schema(path)
    except OSError as exc:
        if "encrypt" in str(exc).lower() or "magic" in str(exc).lower():
            raise ParquetKeyMissing(f"{path.name} has an encrypted footer: give the key to read anything of it") from None
        raise
    meta = schema.metadata or {}
    if META_FINGERPRINT not in meta:
        return EncryptionInfo((), None, tuple(schema.names))
    return EncryptionInfo(tuple(json.loads(meta[META_COLUMNS])), meta[META_FINGERPRINT].decode(), tuple(schema.names))


def read_parquet(path: Path, key: ParquetKey | None = None, columns: Sequence[str] | None = None) -> pl.DataFrame:
    """A (possibly encrypted) Parquet file as a polars frame.

    With the file's key: every column in plaintext. Without a key: the
    unencrypted columns only (asking for an encrypted column by name is
    refused with ParquetKeyMissing). A key other than the file's is refused
    (ParquetKeyMismatch, naming both fingerprints, never the keys)."""
    try:
        info = encryption_info(path)
    except ParquetKeyMissing:
        if key is None:
            raise
        return _decrypted(path, key, columns)  # encrypted footer: the key is the only way in
    wanted = list(columns) if columns is not None else list(info.columns)
    if not info.encrypted:
        return pl.read_parquet(path, columns=wanted)
    if key is None:
        locked = [c for c in wanted if c in info.encrypted_columns]
        if columns is not None and locked:
            raise ParquetKeyMissing(f"{path.name}: column(s) {locked} are encrypted: give the Parquet key to read them")
        return pl.from_arrow(pq.read_table(path, columns=[c for c in wanted if c not in info.encrypted_columns]))
    if key.fingerprint != info.fingerprint:
        raise ParquetKeyMismatch(
            f"{path.name} was encrypted with key {info.fingerprint}; the key given is {key.fingerprint} "
            "(an old key after a rotation? see docs/security.md)"
        )
    return _decrypted(path, key, wanted)


def _decrypted(path: Path, key: ParquetKey, columns: Sequence[str] | None) -> pl.DataFrame:
    import pyarrow.parquet.encryption as pe

    factory, kms = _crypto_factory([key])
    decryption = factory.file_decryption_properties(kms, pe.DecryptionConfiguration())
    try:
        table = pq.read_table(path, columns=columns, decryption_properties=decryption)
    except ParquetKeyMismatch:
        raise
    except OSError as exc:
        raise ParquetKeyMismatch(f"{path.name} cannot be decrypted with key {key.fingerprint}: {exc}") from None
    frame = pl.from_arrow(table)
    return frame if isinstance(frame, pl.DataFrame) else frame.to_frame()


def rewrite_like(frame: pl.DataFrame, target: Path, key: ParquetKey | None) -> None:
    """Write `frame` over `target` with the encryption `target` has now (same
    columns encrypted, same key); a plain file stays plain. For governance
    rewrites (erasure, retention) of golden Parquet. Refuses
    (ParquetKeyMissing/ParquetKeyMismatch) an encrypted target without its key."""
    info = encryption_info(target) if target.exists() else EncryptionInfo((), None, ())
    if not info.encrypted:
        write_parquet_privately(frame, target)
        return
    if key is None or key.fingerprint != info.fingerprint:
        raise ParquetKeyMismatch(f"{target.name} is encrypted with key {info.fingerprint}: give that key to rewrite it")
    _write_encrypted(frame, target, info.encrypted_columns, key)


def rotate_key(files: Sequence[Path], old: ParquetKey, new: ParquetKey) -> list[Path]:
    """Re-encrypt each encrypted Parquet file of `files` from `old` to `new`
    (same columns; each file atomically). Files already under `new` and plain
    files are skipped. Returns the files rotated. Refuses (ParquetKeyMismatch)
    before writing anything when a file is under neither key."""
    if old.fingerprint == new.fingerprint:
        raise ParquetKeyMismatch("the old and new keys are the same: nothing to rotate")
    infos = {path: encryption_info(path) for path in files}
    strangers = [p.name for p, i in infos.items() if i.encrypted and i.fingerprint not in (old.fingerprint, new.fingerprint)]
    if strangers:
        raise ParquetKeyMismatch(f"{strangers} are encrypted with neither the old key {old.fingerprint} nor the new one")
    rotated = []
    for path, info in infos.items():
        if info.encrypted and info.fingerprint == old.fingerprint:
            frame = read_parquet(path, old)
            _write_encrypted(frame, path, info.encrypted_columns, new)
            rotated.append(path)
    return rotated
