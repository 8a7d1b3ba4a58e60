"""`nayose access check`, `backup`/`restore`, `logs export`, `key rotate` on the command line."""

from __future__ import annotations

import argparse
import json
import os
import shutil
from pathlib import Path

import polars as pl
import pytest

from pipelines.cli import build_parser
from pipelines.cli_security import add_security_commands
from security.encryption import ParquetKey, read_parquet, write_encrypted_parquet
from security.settings import EncryptionSettings
from tests.security.conftest import NEW_PARQUET_KEY, PARQUET_KEY
from warehouse import ProjectPaths


def nayose(*argv: str) -> int:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    if "backup" not in sub.choices:  # until pipelines.cli calls add_security_commands itself
        add_security_commands(sub)
    args = parser.parse_args(list(argv))
    return args.func(args)


def test_access_check_secure_backup_restore_logs_and_rotate(published: Path, tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    project = str(published)
    paths = ProjectPaths.of(published)
    assert nayose("access", "secure", "--project", project) == 0
    assert nayose("access", "check", "--project", project) == 0
    os.chmod(paths.golden_records, 0o644)
    capsys.readouterr()
    assert nayose("access", "check", "--project", project) == 1
    assert "FLAG data/golden/golden_records.parquet" in capsys.readouterr().out

    assert nayose("backup", "--project", project, "--out", str(tmp_path / "b1")) == 0
    shutil.rmtree(published)
    assert nayose("restore", "--project", project, "--from", str(tmp_path / "b1")) == 0
    assert paths.golden_records.exists()

    out = tmp_path / "security.jsonl"
    assert nayose("logs", "export", "--project", project, "--out", str(out)) == 0
    actions = {json.loads(line)["action"] for line in out.read_text().splitlines()}
    assert {"nightly_run", "restore"} <= actions  # dagster_home is not in a backup: no Dagster runs after a destroy

    golden = pl.read_parquet(paths.golden_records)
    write_encrypted_parquet(golden, paths.golden_records, EncryptionSettings(enabled=True), ParquetKey(PARQUET_KEY.encode()))
    monkeypatch.setenv("OLD_KEY", PARQUET_KEY)
    monkeypatch.setenv("NEW_KEY", NEW_PARQUET_KEY)
    assert nayose("key", "rotate", "--project", project, "--old-env", "OLD_KEY", "--new-env", "NEW_KEY") == 0
    assert read_parquet(paths.golden_records, ParquetKey(NEW_PARQUET_KEY.encode())).equals(golden)
    monkeypatch.delenv("NEW_KEY")
    capsys.readouterr()
    assert nayose("key", "rotate", "--project", project, "--old-env", "OLD_KEY", "--new-env", "NEW_KEY") == 1
    assert "set both" in capsys.readouterr().err


def test_backup_and_restore_into_a_new_folder_warn_without_a_suppression_mirror(
    published: Path, tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    from security.backup import NO_MIRROR_WARNING
    from security.suppression_mirror import MIRROR_ENV

    project = str(published)
    capsys.readouterr()
    assert nayose("backup", "--project", project, "--out", str(tmp_path / "b1")) == 0
    err = capsys.readouterr().err
    assert f"nayose backup: warning: {NO_MIRROR_WARNING}" in err and "see README" in err
    assert nayose("erase", "--project", project, "--email", "taro@example.com", "--actor", "officer") == 0

    capsys.readouterr()
    assert nayose("restore", "--project", str(tmp_path / "fresh"), "--from", str(tmp_path / "b1")) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["warnings"] == [NO_MIRROR_WARNING]
    assert err.strip().splitlines() == [f"nayose restore: warning: {NO_MIRROR_WARNING}"]

    # in place: the project's own list carries the later erasure, nothing to warn about
    assert nayose("restore", "--project", project, "--from", str(tmp_path / "b1")) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["warnings"] == [] and "warning" not in err

    # with a mirror, neither warns
    monkeypatch.setenv(MIRROR_ENV, str(tmp_path / "mirror"))
    assert nayose("backup", "--project", project, "--out", str(tmp_path / "b2")) == 0
    assert "warning" not in capsys.readouterr().err
    assert nayose("restore", "--project", str(tmp_path / "fresh2"), "--from", str(tmp_path / "b2")) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["warnings"] == [] and "warning" not in err


def test_without_the_parquet_key_erase_extract_and_run_fail_in_one_line_and_change_nothing(
    published: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With encryption on and NAYOSE_PARQUET_KEY unset: one line naming the
    variable, exit 1, no traceback, nothing of the person, no file changed
    (a run stops at its first step, not after the whole night at publish).
    `access` reads the warehouse and needs no Parquet key."""
    from pipelines.cli import CliError, main
    from tests.conftest import run_nightly
    from tests.governance.test_key_check import _state

    paths = ProjectPaths.of(published)
    with (published / "nayose.yaml").open("a", encoding="utf-8") as config:
        config.write("security:\n  encryption: {enabled: true, key_env: NAYOSE_PARQUET_KEY}\n")
    golden = pl.read_parquet(paths.golden_records)
    write_encrypted_parquet(golden, paths.golden_records, EncryptionSettings(enabled=True), ParquetKey(PARQUET_KEY.encode()))
    before = _state(published)
    for argv in (["erase", "--email", "taro@example.com"], ["extract", "--purpose", "analytics"]):
        capsys.readouterr()
        assert main([*argv, "--project", str(published)]) == 1
        err = capsys.readouterr().err.strip()
        assert err.startswith(f"nayose {argv[0]} failed: security.encryption is enabled but no key is set ($NAYOSE_PARQUET_KEY)")
        assert "\n" not in err and "Traceback" not in err and "taro" not in err.lower()
    with pytest.raises(CliError, match=r"step \w+_exports failed: .*\$NAYOSE_PARQUET_KEY") as refused:
        run_nightly(published, "2026-11-26")
    assert "\n" not in str(refused.value).strip()
    assert _state(published) == before
    assert main(["access", "--email", "taro@example.com", "--project", str(published), "--out", str(published.parent / "a.json")]) == 0

    monkeypatch.setenv("NAYOSE_PARQUET_KEY", PARQUET_KEY)  # with the key the erasure goes through
    assert main(["erase", "--email", "taro@example.com", "--project", str(published)]) == 0
    assert "taro@example.com" not in set(read_parquet(paths.golden_records, ParquetKey(PARQUET_KEY.encode()))["email"].drop_nulls())
