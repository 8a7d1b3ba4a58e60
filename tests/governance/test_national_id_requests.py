"""Access and erasure requests that name the person by a national id (a
generated South African ID written three ways across two sources and a
quarantined row), the id on the suppression list, and an unusable id refused
without being repeated."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from governance.access import access_request
from governance.erasure import erase_person
from governance.residuals import find_residuals
from governance.subjects import SubjectRequestError
from governance.suppression import read_suppression
from pipelines.cli import main
from tests.conftest import LERATO_ID, TEST_KEY, run_nightly, write_za_project, za_id
from warehouse import ProjectPaths, read_table

SPACED = f"{LERATO_ID[:6]} {LERATO_ID[6:10]} {LERATO_ID[10:]}"
DASHED = f"{LERATO_ID[:6]}-{LERATO_ID[6:10]}-{LERATO_ID[10:]}"
LERATO_VALUES = [LERATO_ID, SPACED, DASHED, "Mokoena", "lerato.mokoena@example.co.za", "lm1980@example.net", "082 555 0101"]
LERATO_RECORDS = {"crm:1", "app:M1"}


@pytest.fixture(scope="module")
def _za_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_za_project(tmp_path_factory.mktemp("za") / "project")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NAYOSE_PSEUDONYM_KEY", TEST_KEY)
        run_nightly(root, "2026-11-25")
    return root


@pytest.fixture
def za_project(_za_template: Path, tmp_path: Path) -> Path:
    from tests.conftest import copy_of

    return copy_of(_za_template, tmp_path)


def _values_found(root: Path, skip: list[Path] = ()) -> set[str]:
    return {LERATO_VALUES[r.value_index] for r in find_residuals(root, LERATO_VALUES, skip=skip, words=set(LERATO_VALUES[:3]))}


def test_access_by_national_id_in_any_written_form_finds_every_row_of_theirs(za_project: Path, pseudonym_key_env: bytes) -> None:
    paths = ProjectPaths.of(za_project)
    held = access_request(paths, national_id=SPACED, country="ZA", actor="dpo", key=pseudonym_key_env)
    assert held["found"] and len(held["golden_ids"]) == 1
    assert {r["record_key"] for r in held["source_records"]} == LERATO_RECORDS
    crm_rows = next(f["rows"] for f in held["exports"] if f["file"].startswith("exports/crm_"))
    assert {r["cust_id"] for r in crm_rows} == {"1", None}  # the quarantined row without an id, id written with dashes
    assert len(held["quarantine"]) == 1
    # the same person by the number as the CRM writes it, with its type spelled another way
    typed = access_request(paths, national_id=LERATO_ID, national_id_type="rsa id", key=pseudonym_key_env)
    assert typed["golden_ids"] == held["golden_ids"]
    # a type the records do not hold it as names nobody
    assert not access_request(paths, national_id=LERATO_ID, national_id_type="PASSPORT")["found"]
    entry = read_table(paths.warehouse, "audit_log").filter(pl.col("action") == "access_export").row(0, named=True)
    assert LERATO_ID not in json.dumps(entry, default=str)


def test_erasure_by_national_id_leaves_nothing_and_the_id_is_suppressed(za_project: Path, pseudonym_key_env: bytes) -> None:
    paths = ProjectPaths.of(za_project)
    assert _values_found(za_project) == set(LERATO_VALUES)  # the search sees every form before the erasure

    report = erase_person(paths, national_id=DASHED, country="ZA", key=pseudonym_key_env, actor="privacy-officer")
    assert report.found and report.complete, report.residual_files
    assert report.source_records_removed == 2 and report.golden_records_removed == 1
    assert _values_found(za_project) == set()
    suppression = read_suppression(paths)
    assert suppression.filter(pl.col("kind").is_in(["national_id_of_kind", "national_id_number"])).height == 2
    assert suppression.filter(pl.col("kind") == "national_id").height == 0  # the kind-less form is no longer written
    assert not suppression["hash"].str.contains(LERATO_ID).any()
    erasure = read_table(paths.warehouse, "audit_log").filter(pl.col("action") == "erasure").row(0, named=True)
    assert erasure["outcome"] == "success" and LERATO_ID not in json.dumps(erasure, default=str)

    # She signs up again under another name, email and phone: her ID alone keeps her out; a new person comes in.
    (za_project / "exports" / "app_2026-11-26.jsonl").write_text(
        json.dumps({"member_id": "M9", "name": "L. Mokoena-Baloyi", "email": "new.lm@example.org", "id_number": LERATO_ID, "id_type": "ZA_ID"})
        + "\n"
        + json.dumps({"member_id": "M10", "name": "Kagiso Molefe", "id_number": za_id("850707", 4444), "id_type": "ZA_ID"})
        + "\n",
        encoding="utf-8",
    )
    run_nightly(za_project, "2026-11-26")
    quarantine = read_table(paths.warehouse, "quarantine")
    assert quarantine.filter(pl.col("rule") == "suppressed_by_erasure")["record_key"].to_list() == ["app:M9"]
    crosswalk = pl.read_parquet(paths.crosswalk)
    assert "app:M10" in set(crosswalk["record_key"]) and not LERATO_RECORDS & set(crosswalk["record_key"])
    assert _values_found(za_project, skip=[za_project / "exports" / "app_2026-11-26.jsonl"]) == set()


def test_a_request_is_standardized_once_and_a_number_asked_without_its_kind_is_suppressed_as_the_kind_held(
    za_project: Path, pseudonym_key_env: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Access and erasure standardize the identifiers named once (the search,
    the audit reference and the residual search share them). Her number
    asked with no type and no country (read in JP: of no kind) is held as a
    ZA ID: the list keeps out her ID and the number of no kind, not a
    passport that carries the same digits."""
    from governance.subjects import SubjectRequest
    from governance.suppression import suppressed_mask

    calls = []
    standardized = SubjectRequest.standardized

    def counted(self: SubjectRequest):
        calls.append(1)
        return standardized(self)

    monkeypatch.setattr(SubjectRequest, "standardized", counted)
    paths = ProjectPaths.of(za_project)
    assert access_request(paths, national_id=LERATO_ID, actor="dpo", key=pseudonym_key_env)["found"]
    assert len(calls) == 1
    report = erase_person(paths, national_id=LERATO_ID, key=pseudonym_key_env, actor="dpo")
    assert report.found and report.source_records_removed == 2
    assert len(calls) == 2

    later = pl.DataFrame(
        {"record_key": ["x:0", "x:1", "x:2"], "national_id": [DASHED, LERATO_ID, LERATO_ID],
         "national_id_type": ["RSA ID", None, "PASSPORT"], "source_country": ["ZA", "US", "ZA"]}
    )
    assert suppressed_mask(later, read_suppression(paths), pseudonym_key_env).to_list() == [True, True, False]


@pytest.mark.parametrize(
    ("number", "kind", "country", "said"),
    [
        (LERATO_ID[:-1] + str((int(LERATO_ID[-1]) + 1) % 10), None, "ZA", "ZA_ID number"),  # a check digit mistyped
        (LERATO_ID[:12], "NIN", "ZA", "NG_NIN number: once spaces, dashes, dots and slashes are removed, it must be 11 digits"),
        ("12-34", None, "ZA", "5 to 20 letters and digits"),
        ("1234 5678 9018", None, "JP", "My Number"),  # 12 digits with a My Number's check digit, read in Japan
    ],
)
def test_an_unusable_national_id_is_refused_naming_the_problem_not_the_value(
    za_project: Path, pseudonym_key_env: bytes, number: str, kind: str | None, country: str, said: str
) -> None:
    paths = ProjectPaths.of(za_project)
    before = read_suppression(paths)
    with pytest.raises(SubjectRequestError, match=said) as refused:
        erase_person(paths, national_id=number, national_id_type=kind, country=country, key=pseudonym_key_env, actor="dpo")
    digits = number.replace(" ", "").replace("-", "")
    assert number not in str(refused.value) and digits not in str(refused.value)
    assert read_suppression(paths).equals(before)  # refused before anything changed


def test_the_cli_takes_a_national_id_and_refuses_an_unusable_one_in_one_line(
    za_project: Path, pseudonym_key_env: bytes, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "access.json"
    assert main(["access", "--project", str(za_project), "--national-id", SPACED, "--national-id-type", "SA ID", "--out", str(out)]) == 0
    assert {r["record_key"] for r in json.loads(out.read_text())["source_records"]} == LERATO_RECORDS

    wrong = LERATO_ID[:-1] + str((int(LERATO_ID[-1]) + 1) % 10)
    assert main(["erase", "--project", str(za_project), "--national-id", wrong, "--country", "ZA"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("nayose erase failed: the national id given is not usable as a ZA_ID number")
    assert wrong not in err[-1]
    assert main(["erase", "--project", str(za_project), "--national-id-type", "BVN"]) == 1
    assert "give the number too" in capsys.readouterr().err
