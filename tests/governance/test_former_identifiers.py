"""Erasure and access by what a person was: an email a later night replaced,
a phone only a quarantined row carries, a golden id a merge retired. And the
`erased` identity event that explains each golden id an erasure removes.

Two nights of the tiny project (generated people): on the second, Taro's
CRM and shop records come with a new email (the first night's landing copies
and exports still hold the old one), and a CRM row without an id carries a
phone nobody else has, so it is quarantined and held only in the landing
copy and the export. A new customer's email holds John Smith's family name.
"""

from __future__ import annotations

import argparse
import json
import shutil
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest

from governance.access import access_request
from governance.erasure import erase_person
from governance.extracts import extract_path, pseudonym_domain, write_extract
from governance.pseudonymization import hash_series
from governance.residuals import find_residuals
from pipelines.cli_governance import add_governance_commands
from resolution.steward_decisions import StewardDecision, append_decision
from tests.conftest import copy_of, run_nightly_with_test_key
from warehouse import ProjectPaths, read_table

OLD_EMAIL, NEW_EMAIL = "taro@example.com", "taro.yamada@example.net"
QUARANTINED_PHONE = "070-5555-0199"  # on a row without an id only
SECOND_NIGHT = (
    " cust_id , last , first ,kana_last,kana_first, dob ,mail, tel ,zip, addr\n"
    f"1,山田,太郎,ヤマダ,タロウ,19800301,{NEW_EMAIL},090-1234-5678,100-0001,東京都千代田区千代田1-2-3\n"
    f",木下,純平,キノシタ,ジュンペイ,19911111,,{QUARANTINED_PHONE},,\n"
    "9,Doe,Jane,,,19700101,jane_smith@example.org,,,\n"
)


@pytest.fixture(scope="module")
def _two_nights(_published_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("two_nights") / "project"
    shutil.copytree(_published_template, root)
    (root / "exports" / "crm_2026-11-26.csv").write_text(SECOND_NIGHT, encoding="utf-8")
    shop = {"member_id": "A1", "name": "山田 太郎", "dob": "1980-03-01", "email": NEW_EMAIL, "tel": "+81 90 1234 5678"}
    (root / "exports" / "shop_2026-11-26.jsonl").write_text(json.dumps(shop, ensure_ascii=False) + "\n", encoding="utf-8")
    run_nightly_with_test_key(root, "2026-11-26")
    return root


@pytest.fixture
def project(_two_nights: Path, tmp_path: Path) -> Path:
    return copy_of(_two_nights, tmp_path)


def _taro_id(paths: ProjectPaths) -> str:
    return read_table(paths.warehouse, "crosswalk").filter(pl.col("record_key") == "crm:1")["golden_id"][0]


def _cli(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="nayose")
    add_governance_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(list(argv))
    return args.func(args)


def test_the_second_night_left_the_former_email_outside_the_warehouse(project: Path) -> None:
    paths = ProjectPaths.of(project)
    records = read_table(paths.warehouse, "records")
    assert OLD_EMAIL not in records["std_email"].to_list()
    quarantine = read_table(paths.warehouse, "quarantine")
    assert quarantine.filter(pl.col("record_key").is_null()).height == 1


def test_an_email_only_a_superseded_version_holds_erases_the_person(project: Path, pseudonym_key_env: bytes) -> None:
    paths = ProjectPaths.of(project)
    taro = _taro_id(paths)
    report = erase_person(paths, email=OLD_EMAIL, key=pseudonym_key_env, actor="privacy-officer")
    assert report.found and report.complete, report.residual_files
    assert report.golden_records_removed == 1 and report.source_records_removed == 3
    assert taro not in set(read_table(paths.warehouse, "crosswalk")["golden_id"])
    assert find_residuals(project, [NEW_EMAIL, OLD_EMAIL, "山田太郎", "090-1234-5678", "+819012345678"]) == []


def test_access_by_a_former_email_finds_the_current_record_and_every_version(project: Path, pseudonym_key_env: bytes) -> None:
    paths = ProjectPaths.of(project)
    held = access_request(paths, email=OLD_EMAIL, actor="officer", key=pseudonym_key_env)
    assert held["found"] and held["golden_ids"] == [_taro_id(paths)]
    assert NEW_EMAIL in {r["std_email"] for r in held["source_records"]}
    landed = [row for f in held["landing_copies"] for row in f["rows"] if row.get("cust_id") == "1"]
    assert sorted(row["mail"] for row in landed) == [NEW_EMAIL, OLD_EMAIL]  # the current version and the superseded one
    exported = {f["file"] for f in held["exports"]}
    assert {"exports/crm_2026-11-25.csv", "exports/crm_2026-11-26.csv", "exports/shop_2026-11-25.jsonl"} <= exported


def test_a_phone_only_a_quarantined_row_carries_is_found_and_erased(project: Path, pseudonym_key_env: bytes) -> None:
    paths = ProjectPaths.of(project)
    held = access_request(paths, phone=QUARANTINED_PHONE, actor="officer", key=pseudonym_key_env)
    assert held["found"] and held["golden_ids"] == [] and held["source_records"] == []
    assert [q["rule"] for q in held["quarantine"]] == ["source_record_id_present"]
    assert [row["last"] for f in held["landing_copies"] for row in f["rows"]] == ["木下"]
    assert [f["file"] for f in held["exports"]] == ["exports/crm_2026-11-26.csv"]

    report = erase_person(paths, phone=QUARANTINED_PHONE, key=pseudonym_key_env, actor="privacy-officer")
    assert report.found and report.complete, report.residual_files
    assert report.rows_removed["warehouse:quarantine"] == 1
    assert find_residuals(project, ["木下", "純平", QUARANTINED_PHONE, "+817055550199"]) == []
    assert not access_request(paths, phone=QUARANTINED_PHONE)["found"]


def test_access_lists_every_row_the_erasure_then_removes(project: Path, pseudonym_key_env: bytes) -> None:
    paths = ProjectPaths.of(project)
    decision = StewardDecision.make("crm:1", "pos:P1", "must_link", steward="steward", reason="same person")
    append_decision(paths.steward_decisions, decision)  # recorded after the last run: in the file only
    held = access_request(paths, email=OLD_EMAIL, key=pseudonym_key_env)
    assert [d["decision_id"] for d in held["steward_decisions"]] == [decision.decision_id]

    report = erase_person(paths, email=OLD_EMAIL, key=pseudonym_key_env, actor="privacy-officer")
    listed = {f["file"]: len(f["rows"]) for f in held["landing_copies"] + held["exports"]}
    removed = {f: n for f, n in report.rows_removed.items() if f.startswith(("data/raw/", "exports/"))}
    assert listed == removed
    for table in ("crosswalk", "golden_lineage", "golden_records", "identity_events", "match_pairs", "standardization_issues"):
        assert len(held[table]) == report.rows_removed.get(f"warehouse:{table}", 0), table
    assert report.rows_removed["data/stewardship/steward_decisions.jsonl"] == 1


def _merge_into(paths: ProjectPaths, retired: str, survivor: str) -> None:
    """A merge as a nightly run records it (the retired id's record moved to the survivor long ago)."""
    con = duckdb.connect(str(paths.warehouse))
    con.execute(
        "INSERT INTO identity_events (run_id, event_type, golden_id, related_golden_id, record_count) VALUES "
        f"('night-0', 'created', '{retired}', NULL, 1), ('night-1', 'merged', '{retired}', '{survivor}', 1)"
    )
    con.close()


def test_a_golden_id_retired_by_a_merge_is_followed_to_its_survivor(project: Path, pseudonym_key_env: bytes, capsys) -> None:
    paths = ProjectPaths.of(project)
    taro, retired = _taro_id(paths), "G00000000000000000001"
    _merge_into(paths, retired, taro)
    extract = extract_path(paths, "analytics", date(2026, 11, 20))  # written before the merge: it knows him as `retired`
    write_extract(pl.DataFrame({"pseudonym": hash_series(pl.Series([retired]), pseudonym_key_env, domain=pseudonym_domain("analytics"))}), extract)

    assert _cli("access", "--project", str(project), "--golden-id", retired) == 0
    out, err = capsys.readouterr()
    held = json.loads(out)
    assert held["golden_ids"] == [taro] and held["golden_id_followed"] == {retired: taro}
    assert held["merged_golden_ids"] == [retired] and held["extracts"] == [{"file": paths.display(extract), "rows": 1}]
    assert f"golden id {retired} was merged into {taro}" in err

    assert _cli("erase", "--project", str(project), "--golden-id", retired) == 0
    out, err = capsys.readouterr()
    report = json.loads(out)
    assert report["found"] and report["complete"] and report["golden_id_followed"] == {retired: taro}
    assert report["golden_records_removed"] == 1 and report["merged_golden_ids_removed"] == 1
    assert f"golden id {retired} was merged into {taro}; erased {taro}" in err
    assert pl.read_parquet(extract).height == 0
    # the audit entry names the request by its keyed hash only
    entry = read_table(paths.warehouse, "audit_log").filter(pl.col("action") == "erasure").row(0, named=True)
    assert retired not in entry["details"] + entry["object"] and taro not in entry["details"]

    # asked again: the id was erased, and the answer says so (exit 3: nothing held)
    assert _cli("access", "--project", str(project), "--golden-id", retired) == 3
    assert "was erased (erasure:" in json.loads(capsys.readouterr().out)["notes"][0]


def test_an_erasure_writes_an_erased_event_per_golden_id_it_removes(project: Path, pseudonym_key_env: bytes) -> None:
    paths = ProjectPaths.of(project)
    taro, retired = _taro_id(paths), "G00000000000000000001"
    _merge_into(paths, retired, taro)
    split_off = "G00000000000000000002"  # another golden record's history naming his id stays
    con = duckdb.connect(str(paths.warehouse))
    con.execute(f"INSERT INTO identity_events VALUES ('split', '{split_off}', '{taro}', 1, 'night-1')")
    con.close()
    report = erase_person(paths, email=NEW_EMAIL, key=pseudonym_key_env, actor="privacy-officer")
    events = read_table(paths.warehouse, "identity_events")
    erased = events.filter(pl.col("event_type") == "erased")
    assert sorted(erased["golden_id"]) == sorted([taro, retired])
    assert set(erased["run_id"]) == {erased["run_id"][0]} and erased["run_id"][0].startswith(f"erasure:{report.request}@")
    assert erased["related_golden_id"].null_count() == 2 and set(erased["record_count"]) == {0}
    # their earlier events went; the split of another golden record from his is that record's history
    assert set(events.filter(pl.col("golden_id").is_in([taro, retired]))["event_type"]) == {"erased"}
    assert events.filter(pl.col("golden_id") == split_off)["related_golden_id"].to_list() == [taro]
    assert "taro" not in json.dumps(erased.to_dicts()).lower()


def test_a_name_inside_another_customers_email_is_not_left_behind(project: Path, pseudonym_key_env: bytes) -> None:
    paths = ProjectPaths.of(project)
    (project / "exports" / "notes.txt").write_text("called back: Smith, John\n", encoding="utf-8")  # really his
    report = erase_person(paths, email="john.smith@example.com", key=pseudonym_key_env, actor="privacy-officer")
    assert report.found
    # "smith" in jane_smith@example.org (export, landing copy, warehouse) is hers: only the note is named
    assert report.residual_files == ["exports/notes.txt"]
    assert "jane_smith@example.org" in read_table(paths.warehouse, "records")["std_email"].to_list()
