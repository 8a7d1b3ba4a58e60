"""Access export, retention sweep and the governance CLI on a published tiny project."""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from governance.access import access_request
from governance.audit import request_kpis, verify_audit
from governance.extracts import (
    extract_path,
    pseudonym_domain,
    publish_extract,
    purpose_extract,
    write_extract,
)
from governance.pseudonymization import PseudonymKeyMissing, hash_series
from governance.retention import (
    FIELD_COLUMNS,
    expired_fields,
    expired_records,
    sweep_retention,
)
from governance.rewrite import UnreadableOutput
from governance.settings import RetentionSettings
from nayose_config import load_config
from pipelines.cli_governance import add_governance_commands
from resolution.golden_records import build_golden
from resolution.match_keys import add_match_keys
from resolution.standardization import standardize_records
from resolution.steward_decisions import (
    StewardDecision,
    append_decision,
    load_decisions,
)
from tests.conftest import (
    assert_steward_copies_hold_warehouse,
    assert_warehouse_holds_published,
    run_nightly,
    write_tiny_project,
)
from tests.governance.conftest import steward_copies_naming
from warehouse import ProjectPaths, read_table
from warehouse.table_copies import copies_directory


def _cli(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="nayose")
    add_governance_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(list(argv))
    return args.func(args)


def test_access_export_holds_everything_with_sources(published_project: Path, pseudonym_key_env: bytes) -> None:
    paths = ProjectPaths.of(published_project)
    taro = read_table(paths.warehouse, "crosswalk").filter(pl.col("record_key") == "crm:1")["golden_id"]
    others = read_table(paths.warehouse, "crosswalk").filter(pl.col("golden_id") != taro[0])["golden_id"].unique()
    for purpose, ids in (("analytics", pl.concat([taro, others])), ("marketing", others)):  # he is in the first only
        pseudonyms = hash_series(ids, pseudonym_key_env, domain=pseudonym_domain(purpose))
        write_extract(pl.DataFrame({"pseudonym": pseudonyms}), extract_path(paths, purpose, date(2026, 11, 25)))
    held = access_request(paths, phone="+81 90 1234 5678", purposes=["analytics"], actor="officer", key=pseudonym_key_env)
    json.dumps(held, ensure_ascii=False)  # serialisable as is
    assert held["found"] and len(held["golden_ids"]) == 1
    sources = {(r["source_system"], r["source_file"], r["source_row"]) for r in held["source_records"]}
    assert sources == {("crm", "exports/crm_2026-11-25.csv", 1), ("pos", "exports/pos_2026-11-25.csv", 1), ("shop", "exports/shop_2026-11-25.jsonl", 1)}
    assert held["golden_records"][0]["email"] == "taro@example.com"
    assert {"golden_lineage", "crosswalk", "identity_events", "review_queue", "quarantine", "consent"} <= set(held)
    assert held["extracts"] == [{"file": "data/extracts/analytics_2026-11-25.parquet", "rows": 1}]
    log = read_table(paths.warehouse, "audit_log")
    entry = log.filter(pl.col("action") == "access_export").row(0, named=True)
    assert "taro" not in entry["details"] + entry["object"] and verify_audit(paths.warehouse)[1] == []
    assert request_kpis(log)["access_export"]["count"] == 1


def test_retention_rules_pick_expired_records_and_fields() -> None:
    records = pl.DataFrame(
        {
            "record_key": ["pos:1", "pos:2", "crm:1"],
            "source_system": ["pos", "pos", "crm"],
            "file_hash": ["h1", "h2", "h3"],
            "source_row": [1, 1, 1],
            "std_updated_at": pl.Series([None, "2026-11-01", None]).str.to_datetime(),
            "phone": ["x", "y", None],
        }
    )
    ingested = pl.DataFrame({"file_hash": ["h1", "h2", "h3"], "partition": ["2020-01-01", "2020-01-01", "2020-01-01"]})
    settings = RetentionSettings(sources={"pos": 365}, fields={"phone": 30})
    expired = expired_records(records, settings, date(2026, 11, 26), ingested)
    assert expired["record_key"].to_list() == ["pos:1"]  # pos:2 was updated this month; crm has no period
    assert expired_fields(records, settings, date(2026, 11, 26), ingested)["record_key"].to_list() == ["pos:1"]


@pytest.mark.parametrize(
    ("field", "values"),
    [
        ("given_name", ("Robert", "Bob")),
        ("family_name", ("Smith Jr.", "Jones Sr.")),
        ("full_name", ("Robert Smith Jr.", "Bob Jones Sr.")),
        ("family_name_kana", ("ヤマダ", "カワダ")),
        ("given_name_kana", ("タロウ", "ジロウ")),
    ],
)
def test_a_field_expiring_clears_every_column_derived_from_it(field, values) -> None:
    """Each standardized column and match key that changes with a field's
    value is among the columns retention clears for it (`FIELD_COLUMNS`)."""
    base = {"family_name": "Smith", "given_name": "Robert", "family_name_kana": "スミス", "given_name_kana": "ロバート"}
    if field == "full_name":
        base = {"full_name": "Robert Smith"}
    frame = pl.DataFrame(
        [{"record_key": f"t:{i}", "source_country": "GB", **base, field: value} for i, value in enumerate(values)]
    )
    keyed = add_match_keys(standardize_records(frame, today=date(2026, 11, 26)).records)
    derived = {c for c in keyed.columns if c.startswith(("std_", "mk_")) and keyed[c].n_unique() > 1}
    assert derived and derived <= set(FIELD_COLUMNS[field])


def test_retention_sweep_removes_expired_source_and_logs(published_project: Path) -> None:
    paths = ProjectPaths.of(published_project)
    # a shop record giving nothing but the name of 山田 太郎 (pos:P1 among others): pairs the model is unsure
    # of, so the review queue names a pos record (the tiny project's own pairs leave it no doubt)
    unsure = {"member_id": "A9", "name": "山田 太郎", "dob": None, "email": None, "tel": None}
    (published_project / "exports" / "shop_2026-11-26.jsonl").write_text(json.dumps(unsure, ensure_ascii=False) + "\n")
    run_nightly(published_project, "2026-11-26")
    pos_keys = set(read_table(paths.warehouse, "records").filter(pl.col("source_system") == "pos")["record_key"])
    append_decision(paths.steward_decisions, StewardDecision.make("crm:1", min(pos_keys), "must_link", steward="s", reason="checked"))
    assert steward_copies_naming(paths, pos_keys)
    report = sweep_retention(paths, RetentionSettings(sources={"pos": 30}, action="archive"), today=date(2027, 6, 1), actor="officer")
    assert report.records_expired == 2 and report.archived_to
    assert not pl.read_parquet(paths.crosswalk).filter(pl.col("source_system") == "pos").height
    assert not read_table(paths.warehouse, "records").filter(pl.col("source_system") == "pos").height
    assert all(pl.read_parquet(p).height == 0 for p in (paths.raw / "pos").glob("*.parquet"))
    assert read_table(paths.warehouse, "audit_log")["action"].to_list()[-1] == "retention_sweep"
    assert verify_audit(paths.warehouse)[1] == []
    # the steward's masked copies follow the warehouse; the decision on an expired record is gone
    assert steward_copies_naming(paths, pos_keys) == {}
    assert_steward_copies_hold_warehouse(paths)
    assert load_decisions(paths.steward_decisions).height == 0
    assert not copies_directory(paths.warehouse).exists()  # the Parquet copies of tables held them too


def test_each_golden_id_a_sweep_removes_gets_an_erased_event(published_project: Path) -> None:
    paths = ProjectPaths.of(published_project)
    ids_before = set(read_table(paths.warehouse, "crosswalk")["golden_id"])
    report = sweep_retention(paths, RetentionSettings(sources={"pos": 30, "shop": 30}), today=date(2027, 6, 1), actor="officer")
    gone = ids_before - set(read_table(paths.warehouse, "crosswalk")["golden_id"])
    assert len(gone) == report.golden_records_removed > 0
    # its earlier events went with it; the `erased` event, which names nothing but the id, explains it
    events = read_table(paths.warehouse, "identity_events").filter(pl.col("golden_id").is_in(sorted(gone)))
    assert sorted(events["golden_id"]) == sorted(gone) and set(events["event_type"]) == {"erased"}
    assert set(events["run_id"].str.replace(r"@.*", "")) == {"retention_sweep:2027-06-01"}


def _golden_as_built_now(paths: ProjectPaths) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Golden records and lineage built afresh from the warehouse's records and crosswalk."""
    records, crosswalk = read_table(paths.warehouse, "records"), read_table(paths.warehouse, "crosswalk")
    return build_golden(records, crosswalk, load_config(paths.root))


def _assert_golden_stores_agree(paths: ProjectPaths) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The golden Parquet files hold what the warehouse holds (any order); returns them."""
    held = {}
    for table, parquet in (("golden_records", paths.golden_records), ("golden_lineage", paths.golden_lineage)):
        published = pl.read_parquet(parquet)
        stored = read_table(paths.warehouse, table).select(published.columns)
        assert stored.sort(published.columns).equals(published.sort(published.columns), null_equal=True), table
        held[table] = published
    return held["golden_records"], held["golden_lineage"]


def test_a_sweep_rebuilds_golden_records_that_keep_some_records(published_project: Path, pseudonym_key_env: bytes) -> None:
    paths = ProjectPaths.of(published_project)
    crosswalk = read_table(paths.warehouse, "crosswalk")
    per_golden = crosswalk.group_by("golden_id").agg(
        pl.col("source_system").eq("shop").any().alias("some"), pl.col("source_system").eq("shop").all().alias("all")
    )
    shrinking = set(per_golden.filter(pl.col("some") & ~pl.col("all"))["golden_id"])
    ken = crosswalk.filter(pl.col("record_key") == "pos:P2")["golden_id"][0]
    assert ken in shrinking  # 髙橋 健: pos and shop; his email only shop held
    golden_before = pl.read_parquet(paths.golden_records)
    assert golden_before.filter(pl.col("golden_id") == ken)["email"][0] == "ken@example.net"

    report = sweep_retention(paths, RetentionSettings(sources={"shop": 30}), today=date(2027, 6, 1), actor="officer")
    assert report.records_expired == 4 and report.golden_records_rebuilt == len(shrinking)
    golden, lineage = _assert_golden_stores_agree(paths)
    assert golden["golden_id"].is_sorted() and lineage["golden_id"].is_sorted()
    # no golden value nor lineage row comes from an expired record
    assert not lineage.filter(pl.col("source_system") == "shop").height
    assert not golden.filter(pl.col("source_systems").str.contains("shop")).height
    ken_now = golden.filter(pl.col("golden_id") == ken).row(0, named=True)
    assert ken_now["email"] is None and ken_now["record_count"] == 1 and ken_now["source_systems"] == "pos"
    assert set(golden["golden_id"]) == set(golden_before["golden_id"])  # ids kept, none lost all its records
    # every golden record is what the nightly run would build from the records that stay
    built, built_lineage = _golden_as_built_now(paths)
    assert golden.sort("golden_id").equals(built.select(golden.columns).sort("golden_id"), null_equal=True)
    assert lineage.sort(lineage.columns).equals(built_lineage.select(lineage.columns).sort(lineage.columns))
    counts = read_table(paths.warehouse, "crosswalk").group_by("golden_id").len()
    assert golden.join(counts, on="golden_id").filter(pl.col("record_count") != pl.col("len")).height == 0

    # the next night finds nothing more to change
    run_nightly(published_project, "2026-11-26")
    after, lineage_after = _assert_golden_stores_agree(paths)
    assert after.sort("golden_id").equals(golden.sort("golden_id"), null_equal=True)
    assert lineage_after.sort(lineage.columns).equals(lineage.sort(lineage.columns))
    assert_warehouse_holds_published(paths)


def test_a_sweep_clearing_a_field_clears_the_golden_value(published_project: Path) -> None:
    paths = ProjectPaths.of(published_project)
    assert pl.read_parquet(paths.golden_records)["email"].drop_nulls().len()
    report = sweep_retention(paths, RetentionSettings(fields={"email": 30}), today=date(2027, 6, 1), actor="officer")
    assert report.field_values_cleared and report.golden_records_rebuilt
    golden, lineage = _assert_golden_stores_agree(paths)
    assert golden["email"].null_count() == golden.height
    assert not lineage.filter(pl.col("attribute") == "email").height


def test_retention_sweep_removes_expired_golden_records_from_extracts(
    published_project: Path, tmp_path: Path, pseudonym_key_env: bytes
) -> None:
    paths = ProjectPaths.of(published_project)
    crosswalk = read_table(paths.warehouse, "crosswalk")
    expiring = crosswalk.group_by("golden_id").agg(pl.col("source_system").is_in(["pos", "shop"]).all().alias("all"))
    gone, kept = (sorted(expiring.filter(pl.col("all") == flag)["golden_id"]) for flag in (True, False))
    assert gone and kept  # 髙橋 健 is known to pos and shop alone: the golden record expires with them

    def pseudonyms(ids: list[str]) -> set[str]:
        return set(hash_series(pl.Series(ids), pseudonym_key_env, domain=pseudonym_domain("analytics")).to_list())

    # an extract of every golden record (a purpose named by the file alone is found too)
    extract = pl.DataFrame({"pseudonym": sorted(pseudonyms(gone + kept)), "prefecture": "東京都"})
    target = write_extract(extract, extract_path(paths, "analytics", date(2027, 5, 1)))
    # and one written with --out outside the project, which the audit log records
    elsewhere = publish_extract(paths, extract, "analytics", tmp_path / "share" / "all.parquet", actor="analyst")
    settings = RetentionSettings(sources={"pos": 30, "shop": 30})
    with pytest.raises(PseudonymKeyMissing, match="NAYOSE_PSEUDONYM_KEY.*nothing was changed"):
        sweep_retention(paths, settings, today=date(2027, 6, 1), actor="officer")  # no key: refused up front
    assert read_table(paths.warehouse, "records").filter(pl.col("source_system") == "pos").height
    assert pl.read_parquet(target).height == len(gone) + len(kept)

    report = sweep_retention(paths, settings, today=date(2027, 6, 1), actor="officer", key=pseudonym_key_env)
    assert report.golden_records_removed == len(gone)
    # the kept golden records that lost a pos or shop record are rebuilt, and their rows go too: this
    # project maps no consent, so the rebuilt records are not covered by the purpose
    untouched = sorted(
        crosswalk.group_by("golden_id").agg(pl.col("source_system").is_in(["pos", "shop"]).any().not_().alias("u"))
        .filter("u")["golden_id"]
    )
    assert untouched and len(untouched) < len(kept)
    assert set(pl.read_parquet(target)["pseudonym"]) == pseudonyms(untouched)
    assert set(pl.read_parquet(elsewhere)["pseudonym"]) == pseudonyms(untouched)
    assert report.rows_removed[paths.display(target)] == report.rows_removed[str(elsewhere)] == len(gone)


def test_a_sweep_that_cannot_read_an_extract_changes_nothing(published_project: Path, pseudonym_key_env: bytes) -> None:
    paths = ProjectPaths.of(published_project)
    broken = extract_path(paths, "analytics", date(2027, 5, 1))
    broken.parent.mkdir(parents=True)
    broken.write_bytes(b"not parquet")
    before = {p: p.read_bytes() for p in sorted(paths.data.rglob("*")) if p.is_file()}
    settings = RetentionSettings(sources={"pos": 30, "shop": 30}, action="archive")
    with pytest.raises(UnreadableOutput, match=r"data/extracts/analytics_2027-05-01\.parquet does not read.*nothing was changed"):
        sweep_retention(paths, settings, today=date(2027, 6, 1), actor="officer", key=pseudonym_key_env)
    assert {p: p.read_bytes() for p in sorted(paths.data.rglob("*")) if p.is_file()} == before
    broken.unlink()  # the officer removes it: the sweep goes through
    assert sweep_retention(paths, settings, today=date(2027, 6, 1), actor="officer", key=pseudonym_key_env).golden_records_removed


def test_cli_commands(published_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    project = str(published_project)
    assert _cli("audit", "verify", "--project", project) == 0
    out = tmp_path / "access.json"
    assert _cli("access", "--email", "hanako@example.jp", "--out", str(out), "--project", project) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["found"]
    assert _cli("extract", "--purpose", "analytics", "--project", project) == 0  # no consent mapped: empty extract
    assert _cli("extract", "--purpose", "analytics", "--out", str(tmp_path / "x.parquet"), "--actor", "ana", "--project", project) == 0
    logged = read_table(ProjectPaths.of(project).warehouse, "audit_log").filter(pl.col("action") == "extract")
    assert logged["actor"].to_list()[-1] == "ana" and json.loads(logged["details"][-1])["path"] == str(tmp_path / "x.parquet")
    assert _cli("extract", "--purpose", "astrology", "--project", project) == 1
    assert _cli("retention", "sweep", "--project", project) == 0
    monkeypatch.delenv("NAYOSE_PSEUDONYM_KEY")
    assert _cli("erase", "--email", "hanako@example.jp", "--project", project) == 1
    assert "NAYOSE_PSEUDONYM_KEY" in capsys.readouterr().err
    assert "hanako" in set(pl.read_parquet(ProjectPaths.of(project).golden_records)["email"].str.extract(r"^(\w+)@").to_list())


def test_a_sweep_refreshes_the_extract_rows_of_golden_records_it_rebuilds(
    tmp_path: Path, pseudonym_key_env: bytes
) -> None:
    """Analytics consent comes from pos (everyone there) and from shop's A1: when
    pos expires, 山田 太郎 keeps A1's consent and his row shows what is left
    (two records, no pos); 髙橋 健 keeps only A4, which gave no consent, so his
    row leaves the extract."""
    project = write_tiny_project(tmp_path / "project")
    config = (project / "nayose.yaml").read_text(encoding="utf-8")
    config = config.replace("      address_line: 番地\n", "      address_line: 番地\n      consent_analytics: \"'true'\"\n")
    config = config.replace(
        "      email: email\n      phone: tel\n",
        "      email: email\n      phone: tel\n      consent_analytics: \"CASE member_id WHEN 'A1' THEN 'true' END\"\n",
    )
    (project / "nayose.yaml").write_text(config, encoding="utf-8")
    run_nightly(project, "2026-11-25")
    paths = ProjectPaths.of(project)
    crosswalk = read_table(paths.warehouse, "crosswalk")
    taro, ken = (crosswalk.filter(pl.col("record_key") == k)["golden_id"][0] for k in ("pos:P1", "pos:P2"))
    golden = read_table(paths.warehouse, "golden_records")
    target = publish_extract(
        paths,
        purpose_extract(golden, golden, "analytics", pseudonym_key_env),
        "analytics",
        extract_path(paths, "analytics", date(2027, 5, 1)),
        actor="analyst",
    )

    def row_of(golden_id: str) -> list[dict]:
        pseudonym = hash_series(pl.Series([golden_id]), pseudonym_key_env, domain=pseudonym_domain("analytics"))[0]
        return pl.read_parquet(target).filter(pl.col("pseudonym") == pseudonym).to_dicts()

    assert row_of(taro)[0]["record_count"] == 3 and row_of(ken)[0]["record_count"] == 2
    settings = RetentionSettings(sources={"pos": 30})
    with pytest.raises(PseudonymKeyMissing, match="are rebuilt"):  # nothing expires whole: still refused
        sweep_retention(paths, settings, today=date(2027, 6, 1), actor="officer")
    report = sweep_retention(paths, settings, today=date(2027, 6, 1), actor="officer", key=pseudonym_key_env)
    assert report.golden_records_removed == 0 and report.golden_records_rebuilt >= 2
    (taro_row,) = row_of(taro)
    assert taro_row["record_count"] == 2 and "pos" not in taro_row["source_systems"]
    assert row_of(ken) == []
    assert pl.read_parquet(target)["pseudonym"].is_sorted()


def test_erase_and_sweep_print_their_steps_on_stderr_without_values(
    published_project: Path, pseudonym_key_env: bytes, capsys
) -> None:
    project = str(published_project)
    assert _cli("erase", "--email", "hanako@example.jp", "--project", project) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["found"]  # stdout is the report alone
    steps = [line for line in err.splitlines() if line.startswith("[erase]")]
    assert steps[0] == "[erase] looking for the person in the warehouse, landing copies and exports"
    assert "[erase] 1 golden record(s), 2 source record(s) found" in steps
    assert {"[erase] landing copies", "[erase] rewriting the warehouse"} <= set(steps)
    assert "  export exports/crm_2026-11-25.csv" in err.splitlines()
    for value in ("hanako", "佐藤", "花子", "1234-5678", "+81312345678"):
        assert value not in err
    assert _cli("retention", "sweep", "--project", project) == 0
    assert "[retention] golden outputs and extracts" not in capsys.readouterr().err  # nothing to do: no step


def test_an_access_export_leaves_out_the_other_record_of_a_pair() -> None:
    """A review-queue row or steward decision about the person pairs their
    record with another: the export keeps the comparison and the person's own
    values, not the other record's (someone else's personal data), whose key
    is masked."""
    from governance.access import _own_side
    from governance.rewrite import RowSelection

    row = {
        "pair_id": "crm:1|pos:P7", "record_key_l": "crm:1", "record_key_r": "pos:P7", "golden_id_l": "G1", "golden_id_r": "G2",
        "std_given_name_l": "太郎", "std_given_name_r": "次郎", "std_email_l": "taro@example.com", "std_email_r": "jiro@example.com",
        "match_probability": 0.7, "gamma_given_name": 0,
    }  # fmt: skip
    own = _own_side(row, RowSelection(record_keys=frozenset({"crm:1"})))
    assert own["std_given_name_l"] == "太郎" and own["std_email_l"] == "taro@example.com"
    assert own["std_given_name_r"] is None and own["std_email_r"] is None and own["golden_id_r"] is None
    assert own["record_key_r"] == "pos:***" and own["match_probability"] == 0.7 and own["gamma_given_name"] == 0
    # both records the person's: nothing is left out
    assert _own_side(row, RowSelection(golden_ids=frozenset({"G1", "G2"}))) == row
