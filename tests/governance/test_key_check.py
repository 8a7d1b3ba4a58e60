"""The key check value: the suppression list remembers which key wrote it, and
every use of another key against it is refused before anything changes."""

from __future__ import annotations

import hashlib
from pathlib import Path

import polars as pl
import pytest

from governance.access import access_request
from governance.erasure import erase_person
from governance.pseudonymization import (
    KEY_ENV,
    PseudonymKeyMismatch,
    PseudonymKeyMissing,
    key_check_value,
)
from governance.suppression import (
    KEY_CHECK_KIND,
    add_to_suppression,
    check_key,
    read_suppression,
    suppressed_mask,
    suppression_entries,
    suppression_path,
    verify_key,
)
from pipelines.cli import CliError
from tests.conftest import run_nightly
from tests.governance.test_erasure import NEW_ROWS
from warehouse import ProjectPaths, read_table

OTHER_KEY = "a-completely-different-key-999"
MESSAGE = "NAYOSE_PSEUDONYM_KEY is not the key this project's suppression list was written with"


def _cli(*argv: str) -> int:
    from pipelines.cli import main

    return main(list(argv))


def _state(root: Path) -> dict[str, str]:
    """sha256 of every file under the project (but Dagster's instance and the lock), to see that nothing changed."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "dagster_home" not in p.parts and p.name != ".lock"
    }


def _after_erasing_taro(project: Path, key: bytes) -> tuple[ProjectPaths, dict[str, str]]:
    """Taro erased with the project's key (which the suppression list then
    records): the project's paths and its `_state` after the erasure."""
    paths = ProjectPaths.of(project)
    erase_person(paths, email="taro@example.com", key=key, actor="privacy-officer")
    return paths, _state(project)


def _check_values(paths: ProjectPaths) -> list[str]:
    return read_suppression(paths).filter(pl.col("kind") == KEY_CHECK_KIND)["hash"].to_list()


def _redeliver_crm(project: Path, original: bytes) -> None:
    """The pre-erasure crm export again, with one new person (so a new content hash)."""
    (project / "exports" / "crm_2026-11-25-again.csv").write_bytes(original + NEW_ROWS["crm"].encode("utf-8"))


def test_a_run_with_another_key_after_an_erasure_is_refused_and_ingests_nothing(
    published_project: Path, pseudonym_key_env: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = ProjectPaths.of(published_project)
    original = (published_project / "exports" / "crm_2026-11-25.csv").read_bytes()
    erase_person(paths, email="taro@example.com", key=pseudonym_key_env, actor="privacy-officer")
    assert _check_values(paths) == [key_check_value(pseudonym_key_env)]  # written with the first entries
    _redeliver_crm(published_project, original)
    records_before = read_table(paths.warehouse, "records")

    monkeypatch.setenv(KEY_ENV, OTHER_KEY)
    with pytest.raises(CliError, match=MESSAGE) as refused:
        run_nightly(published_project, "2026-11-26")
    assert "\n" not in str(refused.value).strip() and str(refused.value).strip().endswith("(nothing was changed)")
    records = read_table(paths.warehouse, "records")
    assert records.equals(records_before)  # nothing ingested: Taro not back, the new person not in either
    assert "crm:6" not in set(records["record_key"]) and "crm:1" not in set(records["record_key"])
    assert _check_values(paths) == [key_check_value(pseudonym_key_env)]  # the list is untouched

    monkeypatch.setenv(KEY_ENV, pseudonym_key_env.decode())  # the right key: the re-delivery goes in, Taro does not
    run_nightly(published_project, "2026-11-26")
    keys = set(read_table(paths.warehouse, "records")["record_key"])
    assert "crm:6" in keys and "crm:1" not in keys
    quarantine = read_table(paths.warehouse, "quarantine")
    assert set(quarantine.filter(pl.col("rule") == "suppressed_by_erasure")["record_key"]) == {"crm:1"}


def test_an_erasure_with_another_key_is_refused_and_changes_nothing(
    published_project: Path, pseudonym_key_env: bytes, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    paths, before = _after_erasing_taro(published_project, pseudonym_key_env)

    with pytest.raises(PseudonymKeyMismatch, match=MESSAGE):
        erase_person(paths, email="hanako@example.jp", key=OTHER_KEY.encode(), actor="privacy-officer")
    assert _state(published_project) == before
    assert "hanako@example.jp" in set(read_table(paths.warehouse, "records")["email"].drop_nulls())

    monkeypatch.setenv(KEY_ENV, OTHER_KEY)
    assert _cli("erase", "--project", str(published_project), "--email", "hanako@example.jp") == 1
    err = capsys.readouterr().err.strip()
    assert err == f"nayose erase failed: {MESSAGE}; set the original key (nothing was changed)"
    assert "hanako" not in err and "Traceback" not in err
    assert _state(published_project) == before

    monkeypatch.setenv(KEY_ENV, pseudonym_key_env.decode())  # the right key works
    assert _cli("erase", "--project", str(published_project), "--email", "hanako@example.jp") == 0
    assert "hanako@example.jp" not in set(read_table(paths.warehouse, "records")["email"].drop_nulls())
    assert _check_values(paths) == [key_check_value(pseudonym_key_env)]


def test_access_extract_and_retention_refuse_another_key(
    published_project: Path, pseudonym_key_env: bytes, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    paths, before = _after_erasing_taro(published_project, pseudonym_key_env)
    with pytest.raises(PseudonymKeyMismatch):
        access_request(paths, email="hanako@example.jp", actor="officer", key=OTHER_KEY.encode())
    monkeypatch.setenv(KEY_ENV, OTHER_KEY)
    assert _cli("extract", "--project", str(published_project), "--purpose", "marketing_email") == 1
    assert MESSAGE in capsys.readouterr().err
    assert _state(published_project) == before  # no audit entry, no extract

    from governance.extracts import extract_pseudonyms

    with pytest.raises(PseudonymKeyMismatch):  # what retention (and erasure) find extract rows with
        extract_pseudonyms(paths, ["g"], ["marketing_email"], OTHER_KEY.encode())
    assert access_request(paths, email="hanako@example.jp", actor="officer", key=pseudonym_key_env)["found"]


def test_a_list_from_before_check_values_is_accepted_and_gets_one(tmp_path: Path, pseudonym_key_env: bytes) -> None:
    paths = ProjectPaths.of(tmp_path)
    erased = pl.DataFrame({"record_key": ["x:0"], "source_country": ["JP"], "email": ["taro@example.com"],
                           "phone": [None], "full_name": [None], "birth_date": [None]},
                          schema_overrides={c: pl.Utf8 for c in ("phone", "full_name", "birth_date")})
    assert add_to_suppression(paths, suppression_entries(erased, pseudonym_key_env)) == 1  # written as before: no key
    assert _check_values(paths) == [] and not verify_key(read_suppression(paths), b"any-key-at-all-0123456789")

    listed = check_key(paths, pseudonym_key_env)  # the next use with a key records it
    assert _check_values(paths) == [key_check_value(pseudonym_key_env)]
    assert suppressed_mask(erased, listed, pseudonym_key_env).to_list() == [True]
    with pytest.raises(PseudonymKeyMismatch, match=MESSAGE):
        check_key(paths, OTHER_KEY.encode())
    with pytest.raises(PseudonymKeyMismatch):
        suppressed_mask(erased, read_suppression(paths), OTHER_KEY.encode())
    assert issubclass(PseudonymKeyMismatch, PseudonymKeyMissing)  # reported wherever a missing key is


def test_an_older_projects_next_erasure_records_the_key(published_project: Path, pseudonym_key_env: bytes) -> None:
    paths = ProjectPaths.of(published_project)
    erase_person(paths, email="taro@example.com", key=pseudonym_key_env, actor="privacy-officer")
    legacy = read_suppression(paths).filter(pl.col("kind") != KEY_CHECK_KIND)
    legacy.write_parquet(suppression_path(paths))  # as an older nayose left it
    report = erase_person(paths, email="hanako@example.jp", key=pseudonym_key_env, actor="privacy-officer")
    assert report.found and report.suppression_added > 0
    assert _check_values(paths) == [key_check_value(pseudonym_key_env)]
    assert read_suppression(paths).height == legacy.height + report.suppression_added + 1


def test_a_restore_with_another_key_is_refused_before_the_copy(published_project: Path, pseudonym_key_env: bytes, tmp_path: Path) -> None:
    from security.backup import backup, restore

    backup(ProjectPaths.of(published_project), tmp_path / "b1")
    _, before = _after_erasing_taro(published_project, pseudonym_key_env)
    with pytest.raises(PseudonymKeyMismatch, match=MESSAGE):
        restore(tmp_path / "b1", published_project, key=OTHER_KEY.encode(), actor="ops")
    assert _state(published_project) == before
    assert restore(tmp_path / "b1", published_project, key=pseudonym_key_env, actor="ops").erasures_reapplied == 1


def test_a_run_without_new_files_refuses_another_or_no_key_after_an_erasure(
    published_project: Path, pseudonym_key_env: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A wrong key is said the night it is set, not on the first night that
    brings a file (the check value costs a read of the list and one hash)."""
    paths, before = _after_erasing_taro(published_project, pseudonym_key_env)
    monkeypatch.setenv(KEY_ENV, OTHER_KEY)
    with pytest.raises(CliError, match=MESSAGE):
        run_nightly(published_project, "2026-11-26")
    monkeypatch.delenv(KEY_ENV)
    with pytest.raises(CliError, match=f"{KEY_ENV} is not set"):
        run_nightly(published_project, "2026-11-26")
    assert _state(published_project) == before
    monkeypatch.setenv(KEY_ENV, pseudonym_key_env.decode())
    assert run_nightly(published_project, "2026-11-26")["files_ingested"] == 0
