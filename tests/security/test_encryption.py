"""Parquet modular encryption of the golden records' personal columns."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import polars as pl
import pytest

from security.encryption import (
    ParquetKey,
    ParquetKeyMismatch,
    ParquetKeyMissing,
    encryption_info,
    key_from_file,
    parquet_key,
    read_parquet,
    rewrite_like,
    rotate_key,
    stage_golden_parquet,
    write_encrypted_parquet,
    write_golden_parquet,
)
from security.settings import EncryptionSettings
from tests.security.conftest import NEW_PARQUET_KEY, PARQUET_KEY
from warehouse import ProjectPaths

ENABLED = EncryptionSettings(enabled=True)
KEY, NEW_KEY = ParquetKey(PARQUET_KEY.encode()), ParquetKey(NEW_PARQUET_KEY.encode())


@pytest.fixture
def golden(published: Path) -> pl.DataFrame:
    return pl.read_parquet(ProjectPaths.of(published).golden_records)


def test_with_the_key_golden_records_round_trip_exactly(golden: pl.DataFrame, tmp_path: Path) -> None:
    target = tmp_path / "golden_records.parquet"
    encrypted = write_encrypted_parquet(golden, target, ENABLED, KEY)
    assert {"email", "phone", "family_name", "birth_date", "address_line"} <= set(encrypted)
    assert "golden_id" not in encrypted and "prefecture" not in encrypted
    back = read_parquet(target, KEY)
    assert back.schema == golden.schema and back.equals(golden)
    assert os.stat(target).st_mode & 0o777 == 0o600
    data = target.read_bytes()
    assert b"taro@example.com" not in data and "山田".encode() not in data and PARQUET_KEY.encode() not in data


def test_without_the_key_only_unencrypted_columns_can_be_read(golden: pl.DataFrame, tmp_path: Path) -> None:
    target = tmp_path / "golden_records.parquet"
    encrypted = write_encrypted_parquet(golden, target, ENABLED, KEY)
    plain = read_parquet(target)
    assert set(plain.columns) == set(golden.columns) - set(encrypted)
    assert plain["golden_id"].to_list() == golden["golden_id"].to_list()
    with pytest.raises(ParquetKeyMissing, match="encrypted"):
        read_parquet(target, columns=["golden_id", "email"])
    with pytest.raises(pl.exceptions.ComputeError):  # polars without keys
        pl.read_parquet(target, columns=["email"])
    with pytest.raises(duckdb.Error):  # DuckDB without keys
        duckdb.execute(f"SELECT email FROM '{target}'").fetchall()
    # ... while analysts' tools still read the other columns directly
    assert duckdb.execute(f"SELECT count(golden_id) FROM '{target}'").fetchall()[0][0] == golden.height
    assert pl.read_parquet(target, columns=["golden_id", "prefecture"]).height == golden.height


def test_a_wrong_key_is_named_by_fingerprint_not_value(golden: pl.DataFrame, tmp_path: Path) -> None:
    target = tmp_path / "g.parquet"
    write_encrypted_parquet(golden, target, ENABLED, KEY)
    with pytest.raises(ParquetKeyMismatch, match=KEY.fingerprint) as err:
        read_parquet(target, NEW_KEY)
    assert PARQUET_KEY not in str(err.value) and PARQUET_KEY not in repr(KEY)


def test_rotation_keeps_data_readable_under_the_new_key_only(golden: pl.DataFrame, tmp_path: Path) -> None:
    files = [tmp_path / "golden_records.parquet", tmp_path / "plain.parquet"]
    write_encrypted_parquet(golden, files[0], ENABLED, KEY)
    golden.write_parquet(files[1])
    assert rotate_key(files, KEY, NEW_KEY) == [files[0]]
    assert read_parquet(files[0], NEW_KEY).equals(golden)
    assert encryption_info(files[0]).fingerprint == NEW_KEY.fingerprint
    with pytest.raises(ParquetKeyMismatch):
        read_parquet(files[0], KEY)
    assert rotate_key(files, KEY, NEW_KEY) == []  # already rotated: nothing to do
    stranger = ParquetKey(b"a-third-key-nobody-has-0000")
    with pytest.raises(ParquetKeyMismatch, match="neither"):
        rotate_key(files, stranger, KEY)


def test_missing_key_is_an_error_never_a_plaintext_write(golden: pl.DataFrame, tmp_path: Path) -> None:
    target = tmp_path / "golden_records.parquet"
    with pytest.raises(ParquetKeyMissing, match="NAYOSE_PARQUET_KEY"):
        parquet_key(ENABLED, tmp_path, environ={})
    with pytest.raises(ParquetKeyMissing, match="plaintext"):
        write_golden_parquet(golden, target, ENABLED, None)
    with pytest.raises(ParquetKeyMissing):
        stage_golden_parquet(golden, target, ENABLED, None)
    assert not [p for p in tmp_path.iterdir() if p.is_file()]  # no file, no temporary file
    staged = stage_golden_parquet(golden, target, ENABLED, KEY)  # for warehouse.Publication to rename
    assert staged.name.startswith(".") and staged.stat().st_mode & 0o777 == 0o600
    assert read_parquet(staged, KEY).equals(golden)
    staged.unlink()
    assert parquet_key(EncryptionSettings(), tmp_path, environ={}) is None  # disabled: no key needed
    assert parquet_key(ENABLED, tmp_path, environ={"NAYOSE_PARQUET_KEY": PARQUET_KEY}).fingerprint == KEY.fingerprint
    write_golden_parquet(golden, target, EncryptionSettings(), None)
    assert not encryption_info(target).encrypted and pl.read_parquet(target).equals(golden)


def test_key_file_must_live_outside_the_project_and_be_private(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    inside, outside = project / "parquet.key", tmp_path / "keys" / "parquet.key"
    outside.parent.mkdir()
    for path in (inside, outside):
        path.write_text(PARQUET_KEY + "\n")
        path.chmod(0o600)
    with pytest.raises(ParquetKeyMissing, match="inside the project"):
        key_from_file(inside, project)
    assert key_from_file(outside, project).fingerprint == KEY.fingerprint
    outside.chmod(0o644)
    with pytest.raises(ParquetKeyMissing, match="chmod 600"):
        key_from_file(outside, project)
    settings = EncryptionSettings(enabled=True, key_file=str(outside))
    outside.chmod(0o600)
    assert parquet_key(settings, project, environ={}).fingerprint == KEY.fingerprint


def test_rewrite_like_keeps_the_files_encryption(golden: pl.DataFrame, tmp_path: Path) -> None:
    target = tmp_path / "golden_records.parquet"
    write_encrypted_parquet(golden, target, ENABLED, KEY)
    fewer = golden.filter(pl.col("email") != "taro@example.com")
    with pytest.raises(ParquetKeyMismatch):
        rewrite_like(fewer, target, None)
    rewrite_like(fewer, target, KEY)
    assert read_parquet(target, KEY).equals(fewer) and encryption_info(target).encrypted


def test_an_encrypted_footer_hides_even_the_schema_without_the_key(golden: pl.DataFrame, tmp_path: Path) -> None:
    target = tmp_path / "golden_records.parquet"
    write_encrypted_parquet(golden, target, EncryptionSettings(enabled=True, plaintext_footer=False), KEY)
    with pytest.raises(ParquetKeyMissing, match="encrypted footer"):
        read_parquet(target)
    assert read_parquet(target, KEY).equals(golden)
    with pytest.raises(ParquetKeyMismatch):
        read_parquet(target, NEW_KEY)
