"""Restrictive modes, role groups, the access check, the steward's material."""

from __future__ import annotations

import grp
import os
import stat
from pathlib import Path

import polars as pl

from governance.extracts import DIRECT_IDENTIFIERS, extract_path, purpose_extract, write_extract
from security.file_modes import access_check, restrictive_umask, secure_tree
from security.role_outputs import write_steward_material
from security.settings import SecuritySettings
from warehouse import ProjectPaths

KEY = b"test-only-key-0123456789abcdef"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _analyst_extract(paths: ProjectPaths) -> Path:
    golden = pl.read_parquet(paths.golden_records)
    consent = golden.select("golden_id", pl.lit(True).alias("consent_analytics"))
    from datetime import date

    return write_extract(purpose_extract(golden, consent, "analytics", KEY), extract_path(paths, "analytics", date(2026, 11, 25)))


def test_secured_tree_keeps_personal_data_from_other_users_and_check_is_clean(published: Path) -> None:
    paths = ProjectPaths.of(published)
    os.chmod(paths.golden_records, 0o644)  # as a default umask would leave it
    settings = SecuritySettings()
    assert secure_tree(paths, settings) > 0
    assert _mode(paths.golden_records) == 0o600 and _mode(paths.warehouse) == 0o600
    assert _mode(paths.golden_dir) == 0o700 and _mode(paths.data) == 0o700
    findings = access_check(paths, settings)
    assert findings and not [f for f in findings if f.flagged]
    golden = next(f for f in findings if f.path == "data/golden/golden_records.parquet")
    assert golden.holds == "personal" and golden.roles == ("privacy_officer",) and golden.readable_by == ("owner",)
    assert secure_tree(paths, settings) == 0  # idempotent


def test_access_check_flags_a_loosened_golden_file(published: Path) -> None:
    paths = ProjectPaths.of(published)
    settings = SecuritySettings()
    secure_tree(paths, settings)
    os.chmod(paths.golden_records, 0o644)
    flagged = [f for f in access_check(paths, settings) if f.flagged]
    assert [f.path for f in flagged] == ["data/golden/golden_records.parquet"]
    assert "readable by every user" in flagged[0].problem and "world" in flagged[0].readable_by
    assert "山田" not in flagged[0].problem  # names files, never values


def test_analyst_extract_holds_no_identifier_and_only_the_analyst_group_reads_it(published: Path) -> None:
    paths = ProjectPaths.of(published)
    group = grp.getgrgid(os.getgid()).gr_name  # a group the test user is in, standing for "analysts"
    settings = SecuritySettings.model_validate({"roles": {"analyst": {"group": group}}})
    extract = _analyst_extract(paths)
    secure_tree(paths, settings)

    columns = pl.read_parquet(extract).columns
    assert columns and not set(columns) & set(DIRECT_IDENTIFIERS)
    assert _mode(extract) == 0o640 and grp.getgrgid(extract.stat().st_gid).gr_name == group
    assert not _mode(extract) & stat.S_IROTH  # other users cannot read it
    assert _mode(paths.golden_records) == 0o600  # the analyst group does not reach the golden records
    finding = next(f for f in access_check(paths, settings) if f.path.startswith("data/extracts/"))
    assert finding.roles == ("analyst", "privacy_officer") and not finding.flagged
    assert f"group:{group}" in finding.readable_by

    # an identifier slipped into the analyst's folder is flagged
    pl.DataFrame({"pseudonym": ["x"], "email": ["someone@example.com"]}).write_parquet(paths.data / "extracts" / "leak.parquet")
    secure_tree(paths, settings)
    leak = next(f for f in access_check(paths, settings) if f.path == "data/extracts/leak.parquet")
    assert leak.flagged and "['email']" in leak.problem


def test_group_readable_without_a_role_group_is_flagged(published: Path) -> None:
    paths = ProjectPaths.of(published)
    settings = SecuritySettings()
    secure_tree(paths, settings)
    os.chmod(paths.crosswalk, 0o640)
    flagged = [f for f in access_check(paths, settings) if f.flagged]
    assert [f.path for f in flagged] == ["data/golden/crosswalk.parquet"]
    assert "which no role allowed to read it has" in flagged[0].problem


def test_steward_material_is_masked(published: Path) -> None:
    paths = ProjectPaths.of(published)
    with restrictive_umask():
        written = write_steward_material(paths, SecuritySettings())
    names = {p.name for p in written}
    assert {"golden_records.parquet", "review_queue.parquet", "quarantine.parquet"} <= names
    golden = pl.read_parquet(paths.data / "review" / "golden_records.parquet")
    assert "taro@example.com" not in golden["email"].to_list()
    assert any(e and e.startswith("t***@") for e in golden["email"].to_list())
    assert all(_mode(p) == 0o600 for p in written)
