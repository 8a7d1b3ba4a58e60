"""The erasure journey: run, erase by email, run again, search every byte of
the project; re-deliver the same exports; verify the audit log."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest

from governance.audit import verify_audit
from governance.erasure import erase_person
from governance.extracts import (
    extract_path,
    pseudonym_domain,
    publish_extract,
    write_extract,
)
from governance.pseudonymization import hash_series
from governance.residuals import find_residuals
from governance.rewrite import UnreadableOutput
from governance.subjects import SubjectRequest, find_subject
from resolution.presented_values import PRESENTED_ATTRIBUTES
from resolution.steward_decisions import (
    StewardDecision,
    append_decision,
    load_decisions,
)
from tests.conftest import assert_steward_copies_hold_warehouse, run_nightly
from tests.governance.conftest import steward_copies_naming
from warehouse import ProjectPaths, read_table
from warehouse.table_copies import COPIED, copies_directory, usable_copies

# Taro as the tiny project's three exports write him (crm UTF-8 CSV, pos cp932 CSV, shop JSON lines).
TARO_VALUES = [
    "taro@example.com", "TARO@example.com",
    "090-1234-5678", "+819012345678", "09012345678", "+81 90 1234 5678", "０９０ー１２３４ー５６７８",
    "山田", "太郎", "ヤマダ", "タロウ", "ﾔﾏﾀﾞ ﾀﾛｳ",
    "東京都千代田区千代田1-2-3",
]
TARO_RECORDS = {"crm:1", "pos:P1", "shop:A1"}
NEW_ROWS = {
    "crm": "6,田中,次郎,タナカ,ジロウ,19600101,jiro@example.com,,,\n",
    "pos": "P3,伊藤　三郎,ｲﾄｳ ｻﾌﾞﾛｳ,昭和40年1月1日,,,,,\n",
    "shop": json.dumps({"member_id": "A5", "name": "Jane Doe", "email": "jane@example.com"}) + "\n",
}


def _values_found(root: Path, skip: list[Path] = ()) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for r in find_residuals(root, TARO_VALUES, skip=skip):
        found.setdefault(TARO_VALUES[r.value_index], []).append(f"{r.path.relative_to(root)} ({r.how})")
    return found


def test_erased_person_leaves_no_byte_and_does_not_come_back(published_project: Path, pseudonym_key_env: bytes, tmp_path: Path) -> None:
    paths = ProjectPaths.of(published_project)
    delivered = tmp_path / "delivered"
    shutil.copytree(published_project / "exports", delivered)  # the source systems' own copies
    assert _values_found(published_project)  # the search does see him before the erasure

    report = erase_person(paths, email="Taro@Example.com", key=pseudonym_key_env, actor="privacy-officer")
    assert report.found and report.complete, report.residual_files
    assert report.source_records_removed == 3 and report.golden_records_removed == 1
    assert len(report.exports_rewritten) == 3

    assert not copies_directory(paths.warehouse).exists()  # the Parquet copies of tables went with him

    run_nightly(published_project, "2026-11-26")
    assert _values_found(published_project) == {}  # data/, dagster_home/, exports, everything
    assert set(usable_copies(paths.warehouse, *COPIED)) == set(COPIED)  # written again by the night, without him
    crosswalk = pl.read_parquet(paths.crosswalk)
    assert not TARO_RECORDS & set(crosswalk["record_key"])
    assert {"crm:2", "shop:A2", "pos:P2"} <= set(crosswalk["record_key"])  # the others stay

    # The same exports delivered again under new names, each with one new (generated) person, so the
    # content hash differs and ingestion reads them: only suppression can keep Taro out.
    for original in sorted(delivered.iterdir()):
        target = published_project / "exports" / original.name.replace("2026-11-25", "2026-11-25-again")
        encoding = "cp932" if original.name.startswith("pos") else "utf-8"
        target.write_bytes(original.read_bytes() + NEW_ROWS[original.name.split("_")[0]].encode(encoding))
    redelivered = sorted((published_project / "exports").glob("*-again*"))
    run_nightly(published_project, "2026-11-26")
    assert _values_found(published_project, skip=redelivered) == {}
    crosswalk = pl.read_parquet(paths.crosswalk)
    assert not TARO_RECORDS & set(crosswalk["record_key"])
    assert {"crm:6", "pos:P3", "shop:A5"} <= set(crosswalk["record_key"])  # the re-delivery was ingested
    quarantine = read_table(paths.warehouse, "quarantine")
    suppressed = quarantine.filter(pl.col("rule") == "suppressed_by_erasure")
    assert set(suppressed["record_key"]) == TARO_RECORDS
    assert set(suppressed["disposition"]) == {"suppressed"}

    checked, broken = verify_audit(paths.warehouse)
    assert broken == [] and checked == 5  # config recorded, run, erasure, run, run
    log = read_table(paths.warehouse, "audit_log")
    erasure = log.filter(pl.col("action") == "erasure").row(0, named=True)
    assert erasure["outcome"] == "success" and erasure["actor"] == "privacy-officer"
    assert json.loads(erasure["details"])["duration_seconds"] > 0
    assert "taro" not in (erasure["details"] + erasure["object"]).lower()


def test_erasure_reaches_the_stewards_copies_decisions_and_viewer(published_project: Path, pseudonym_key_env: bytes) -> None:
    paths = ProjectPaths.of(published_project)
    taro_id = pl.read_parquet(paths.crosswalk).filter(pl.col("record_key") == "crm:1")["golden_id"][0]
    for left, right, kind in (("crm:1", "pos:P1", "must_link"), ("crm:2", "pos:P2", "cannot_link")):
        append_decision(paths.steward_decisions, StewardDecision.make(left, right, kind, steward="steward", reason="checked"))
    if not paths.review_viewer.exists():  # the tiny project's review queue may be empty: a viewer of the last run
        paths.review_viewer.write_text("<html>review pairs side by side</html>", encoding="utf-8")
    assert steward_copies_naming(paths, {taro_id, *TARO_RECORDS})  # the masked copies name him before

    report = erase_person(paths, email="Taro@Example.com", key=pseudonym_key_env, actor="privacy-officer")
    assert report.found and report.complete, report.residual_files
    # his golden id is left only in the `erased` identity event that explains its disappearance
    assert steward_copies_naming(paths, {taro_id, *TARO_RECORDS}) == {"identity_events.parquet": 1}
    events = pl.read_parquet(paths.data / "review" / "identity_events.parquet").filter(pl.col("golden_id") == taro_id)
    assert events["event_type"].to_list() == ["erased"]
    assert_steward_copies_hold_warehouse(paths)
    decisions = load_decisions(paths.steward_decisions)
    assert decisions.select("record_key_l", "record_key_r").rows() == [("crm:2", "pos:P2")]
    assert report.rows_removed["data/stewardship/steward_decisions.jsonl"] == 1
    assert not paths.review_viewer.exists()


def test_tampering_with_the_audit_log_is_detected(published_project: Path, pseudonym_key_env: bytes) -> None:
    paths = ProjectPaths.of(published_project)
    erase_person(paths, phone="03-1234-5678", key=pseudonym_key_env, actor="privacy-officer")
    assert verify_audit(paths.warehouse)[1] == []
    con = duckdb.connect(str(paths.warehouse))
    con.execute("UPDATE audit_log SET outcome = 'not_found' WHERE action = 'erasure'")
    con.close()
    assert verify_audit(paths.warehouse)[1] == [3]  # config, run, then the erasure


def test_erasure_by_golden_id_of_someone_not_sharing_identifiers(published_project: Path, pseudonym_key_env: bytes) -> None:
    paths = ProjectPaths.of(published_project)
    crosswalk = pl.read_parquet(paths.crosswalk)
    golden_id = crosswalk.filter(pl.col("record_key") == "crm:3")["golden_id"][0]  # 鈴木 一郎, crm only
    report = erase_person(paths, golden_id=golden_id, key=pseudonym_key_env, actor="privacy-officer")
    assert report.found and report.complete and report.source_records_removed == 1
    assert find_residuals(published_project, ["鈴木", "080-1111-2222", "+818011112222"]) == []
    assert "crm:1" in set(pl.read_parquet(paths.crosswalk)["record_key"])


def test_a_latin_persons_presented_golden_values_are_searched_for_and_erased(
    published_project: Path, pseudonym_key_env: bytes, tmp_path: Path
) -> None:
    paths = ProjectPaths.of(published_project)
    john = pl.read_parquet(paths.crosswalk).filter(pl.col("record_key") == "crm:4")["golden_id"][0]
    golden = pl.read_parquet(paths.golden_records).filter(pl.col("golden_id") == john)
    assert golden.select("family_name", "given_name").row(0) == ("Smith", "John")  # as delivered, not smith/john
    # the values the erasure searches for (his records' as held) find each presented golden value on its own
    searched = find_subject(paths, SubjectRequest(email="john.smith@example.com").standardized()).literal_values()
    attributes = [a for a in PRESENTED_ATTRIBUTES if golden[a][0] is not None]
    one_value_each = tmp_path / "presented"
    one_value_each.mkdir()
    for attribute in attributes:
        golden.select(attribute).write_parquet(one_value_each / f"{attribute}.parquet")
    assert {r.path.stem for r in find_residuals(one_value_each, searched)} == set(attributes)
    report = erase_person(paths, email="john.smith@example.com", key=pseudonym_key_env, actor="privacy-officer")
    assert report.found and report.complete, report.residual_files
    assert find_residuals(published_project, ["Smith", "John Smith", "john.smith@example.com"]) == []


def test_erasure_removes_the_person_from_the_purpose_extracts(published_project: Path, pseudonym_key_env: bytes) -> None:
    paths = ProjectPaths.of(published_project)
    crosswalk = pl.read_parquet(paths.crosswalk)
    erased = crosswalk.filter(pl.col("record_key") == "crm:3")["golden_id"][0]  # 鈴木 一郎
    others = sorted(set(crosswalk["golden_id"]) - {erased})
    ids = pl.Series([erased, *others])
    # extracts of a configured purpose and of one only a file name still carries
    for purpose in ("analytics", "retired_purpose"):
        pseudonyms = hash_series(ids, pseudonym_key_env, domain=pseudonym_domain(purpose))
        write_extract(pl.DataFrame({"pseudonym": pseudonyms}), extract_path(paths, purpose, date(2026, 11, 25)))
    erase_person(paths, golden_id=erased, key=pseudonym_key_env, actor="privacy-officer")
    for purpose in ("analytics", "retired_purpose"):
        left = set(pl.read_parquet(extract_path(paths, purpose, date(2026, 11, 25)))["pseudonym"])
        assert left == set(hash_series(pl.Series(others), pseudonym_key_env, domain=pseudonym_domain(purpose)))


def test_erasure_reaches_the_extracts_the_audit_log_records_outside_the_project(
    published_project: Path, tmp_path: Path, pseudonym_key_env: bytes
) -> None:
    paths = ProjectPaths.of(published_project)
    crosswalk = pl.read_parquet(paths.crosswalk)
    erased = crosswalk.filter(pl.col("record_key") == "crm:3")["golden_id"][0]  # 鈴木 一郎
    others = sorted(set(crosswalk["golden_id"]) - {erased})

    def extract_of(ids: list[str]) -> pl.DataFrame:
        return pl.DataFrame({"pseudonym": hash_series(pl.Series(ids), pseudonym_key_env, domain=pseudonym_domain("crm_campaign"))})

    # written with --out under names that say nothing of the purpose; one of them was moved away since
    shared = publish_extract(paths, extract_of([erased, *others]), "crm_campaign", tmp_path / "share" / "q4.parquet", actor="analyst")
    moved = publish_extract(paths, extract_of([erased]), "crm_campaign", tmp_path / "share" / "old.parquet", actor="analyst")
    moved.unlink()
    assert [json.loads(d)["path"] for d in read_table(paths.warehouse, "audit_log").filter(pl.col("action") == "extract")["details"]] == [
        str(shared), str(moved)
    ]
    report = erase_person(paths, golden_id=erased, key=pseudonym_key_env, actor="privacy-officer")
    assert set(pl.read_parquet(shared)["pseudonym"]) == set(extract_of(others)["pseudonym"])
    assert str(shared) in report.files_rewritten
    assert [n for n in report.notes if str(moved) in n] == [
        f"extract {moved} (audit log) is no longer there: remove the records from where it went"
    ]
    assert verify_audit(paths.warehouse)[1] == []


def test_unknown_person_is_suppressed_and_logged_as_not_found(published_project: Path, pseudonym_key_env: bytes) -> None:
    paths = ProjectPaths.of(published_project)
    before = pl.read_parquet(paths.crosswalk).height
    report = erase_person(paths, email="nobody@example.org", key=pseudonym_key_env, actor="privacy-officer")
    assert not report.found and report.suppression_added == 1
    assert pl.read_parquet(paths.crosswalk).height == before
    assert read_table(paths.warehouse, "audit_log")["outcome"].to_list()[-1] == "not_found"


def test_an_erasure_that_cannot_read_an_output_changes_nothing(published_project: Path, pseudonym_key_env: bytes) -> None:
    paths = ProjectPaths.of(published_project)
    broken = extract_path(paths, "analytics", date(2026, 11, 25))
    broken.parent.mkdir(parents=True)
    broken.write_bytes(b"not parquet")
    before = {p: p.read_bytes() for p in sorted(published_project.rglob("*")) if p.is_file() and "dagster_home" not in p.parts}
    with pytest.raises(UnreadableOutput, match="analytics_2026-11-25.parquet does not read"):
        erase_person(paths, email="Taro@Example.com", key=pseudonym_key_env, actor="privacy-officer")
    after = {p: p.read_bytes() for p in sorted(published_project.rglob("*")) if p.is_file() and "dagster_home" not in p.parts}
    assert after == before
