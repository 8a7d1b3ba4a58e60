"""A first delivery of a handful of records runs to the end through `nayose
run` and links its obvious duplicates (made-up people only). Too few records
to estimate a model on (resolution.model.MIN_TRAINING_RECORDS) are linked
with the built-in model, said in one line; the first night with enough
records trains one. Before: 5 distinct records crashed (`^^`), 2 duplicates
were refused ("recall must be at least 1.00"), 1 record divided by zero, and
identical records of 5 were not scored."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import polars as pl
import pytest

import assets.resolution
import resolution.model
from pipelines import cli
from resolution.model import latest_model
from warehouse import ProjectPaths

DAY = "2024-06-01"
FIRST = ["Anna", "Jonas", "Lea", "Felix", "Mia", "Paul", "Emma", "Noah", "Lena", "Ben"]
LAST = ["Weber", "Klein", "Wolf", "Braun", "Koch", "Richter", "Schulz", "Becker", "Hoffmann", "Bauer"]


def _person(i: int) -> dict[str, str]:
    """The i-th made-up person: namesakes 50 people apart (born in other years), emails and phones all apart."""
    first, last = FIRST[i % 10], LAST[(i // 10) % 5]
    return {
        "id": str(i + 1),
        "last": last,
        "first": first,
        "dob": f"{1940 + (i * 7) % 60}-{1 + i % 12:02d}-{1 + (i * 3) % 28:02d}",
        "email": f"{first.lower()}.{last.lower()}{i}@example.com",
        "phone": f"+49 30 {1000000 + i * 7919}",
    }


def _rows(people: int, duplicates: int) -> list[dict[str, str]]:
    """`people` distinct people and `duplicates` more records of the first
    ones (every other one without its birth date), ids in order."""
    rows = [_person(i) for i in range(people)]
    for k in range(duplicates):
        copy = dict(rows[k % people], id=str(people + k + 1))
        if k % 2:
            copy["dob"] = ""
        rows.append(copy)
    return rows


def _project(root: Path, rows: list[dict[str, str]], columns: list[str], name: str = "m.csv") -> Path:
    """A project of one CSV source with `columns` of `rows` (a header alone when there are none)."""
    fields = {"last": "family_name", "first": "given_name", "dob": "birth_date", "email": "email", "phone": "phone"}
    (root / "exports").mkdir(parents=True, exist_ok=True)
    lines = [",".join(["id", *columns])] + [",".join([r["id"], *(r[c] for c in columns)]) for r in rows]
    (root / "exports" / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    mapping = ", ".join(f"{fields[c]}: {c}" for c in columns)
    (root / "nayose.yaml").write_text(
        "project: small\ntimezone: Europe/Berlin\nsources:\n  - name: members\n    path: exports/m*.csv\n"
        f"    format: csv\n    id: id\n    country: DE\n    fields: {{{mapping}}}\n",
        encoding="utf-8",
    )
    return root


def _run(project: Path, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture, day: str = DAY) -> tuple[int, str, str]:
    """`nayose run` in-process: its exit code, its progress lines and its stderr."""
    caplog.clear()
    capsys.readouterr()
    with caplog.at_level(logging.INFO, logger="nayose.progress"):
        code = cli.main(["run", "--project", str(project), "--date", day])
    return code, caplog.text, capsys.readouterr().err


def _golden_ids(project: Path) -> dict[str, str]:
    crosswalk = pl.read_parquet(ProjectPaths.of(project).crosswalk)
    return dict(zip(crosswalk["source_record_id"], crosswalk["golden_id"]))


FEW = ["last", "first", "email"]
MORE = ["last", "first", "dob", "email", "phone"]


@pytest.mark.parametrize(
    ("people", "duplicates", "columns"),
    [
        (1, 0, MORE),  # divided by zero in the prior estimate
        (2, 0, FEW),  # `^^`: EM sessions without pairs took every comparison out of the model
        (5, 0, FEW),  # the tester's crash
        (4, 1, FEW),  # the duplicate was scored but not linked
        (16, 4, MORE),
        (80, 20, MORE),
        (100, 0, FEW),
    ],
)
def test_a_small_first_delivery_runs_to_the_end_and_links_its_duplicates(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture, people: int, duplicates: int, columns: list[str]
) -> None:
    rows = _rows(people, duplicates)
    project = _project(tmp_path / "p", rows, columns)
    code, progress, err = _run(project, caplog, capsys)
    assert code == 0, err
    n = len(rows)
    said = [line for line in progress.splitlines() if "too few to estimate a model on" in line]
    assert len(said) == 1, progress
    assert f"{n} record{'' if n == 1 else 's'} " in said[0] and "built-in model v1" in said[0]
    ids = _golden_ids(project)
    assert len(ids) == n
    for k in range(duplicates):  # each duplicate joins its person, and no one else does
        assert ids[str(people + k + 1)] == ids[str(k % people + 1)]
    assert len(set(ids.values())) == people
    saved = latest_model(ProjectPaths.of(project).models)
    assert saved.meta["built_in"] and saved.meta["comparisons"] == [c["output_column_name"] for c in saved.settings["comparisons"]]


def test_two_duplicates_in_a_json_file_are_linked(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture
) -> None:
    """Refused before: 'Deterministic matching rules led to more observed matches than is consistent with
    supplied recall. With these rules, recall must be at least 1.00.'"""
    project = tmp_path / "p"
    (project / "exports").mkdir(parents=True)
    people = [{"member": i, "name": "Jürgen Groß", "email": "j.gross@example.de"} for i in (1, 2)]
    (project / "exports" / "a.json").write_text(json.dumps(people, ensure_ascii=False), encoding="utf-8")
    (project / "nayose.yaml").write_text(
        "project: two\ntimezone: Europe/Berlin\nsources:\n  - name: app\n    path: exports/*.json\n    format: jsonl\n"
        "    id: member\n    country: DE\n    fields: {full_name: name, email: email}\n",
        encoding="utf-8",
    )
    code, _, err = _run(project, caplog, capsys)
    assert code == 0, err
    ids = _golden_ids(project)
    assert ids["1"] == ids["2"]


def test_records_sharing_name_email_and_phone_across_sources_are_linked(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture
) -> None:
    """Scored below review before: among 5 records, each shared value weighed as if common (term frequencies)."""
    project = _project(tmp_path / "p", _rows(3, 0), MORE)
    anna = _person(0)
    (project / "exports" / "shop.csv").write_text(
        "Customer ID,First Name,Last Name,Email,Phone\n"
        f"5001,{anna['first']},{anna['last']},{anna['email'].upper()},{anna['phone'].replace(' ', '')}\n"
        "5002,Mark,Taylor,mark.taylor@example.com,+12125550183\n",
        encoding="utf-8",
    )
    config = project / "nayose.yaml"
    config.write_text(
        config.read_text()
        + "  - name: shop\n    path: exports/shop.csv\n    format: csv\n    id: Customer ID\n    country: DE\n"
        "    fields: {given_name: First Name, family_name: Last Name, email: Email, phone: Phone}\n",
        encoding="utf-8",
    )
    code, _, err = _run(project, caplog, capsys)
    assert code == 0, err
    ids = _golden_ids(project)
    assert ids["5001"] == ids["1"] and len(set(ids.values())) == 4


def test_an_empty_first_delivery_fails_in_one_line_naming_the_cause(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture
) -> None:
    """It said 'only 0 comparable field(s) are populated ... map at least two of ...': nothing was unmapped."""
    project = _project(tmp_path / "p", [], MORE)
    code, _, err = _run(project, caplog, capsys)
    assert code == 1
    failure = [line for line in err.strip().splitlines() if line.startswith("nayose run failed")]
    assert len(failure) == 1 and "the base holds no records" in failure[0], err
    assert "map at least" not in err


def test_the_first_night_with_enough_records_trains_a_model(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The built-in model serves, said each night, until the base holds MIN_TRAINING_RECORDS (here 40, to stay
    fast): that night trains a model, and later nights reuse it."""
    monkeypatch.setattr(resolution.model, "MIN_TRAINING_RECORDS", 40)
    monkeypatch.setattr(assets.resolution, "MIN_TRAINING_RECORDS", 40)
    rows = _rows(40, 10)
    project = _project(tmp_path / "p", rows[:5], MORE, name="m1.csv")
    models = ProjectPaths.of(project).models

    code, progress, err = _run(project, caplog, capsys, "2024-06-01")
    assert code == 0, err
    assert "linking with the built-in model v1" in progress and latest_model(models).meta["built_in"]

    _project(project, rows[5:20], MORE, name="m2.csv")  # 20 records: still too few
    code, progress, err = _run(project, caplog, capsys, "2024-06-02")
    assert code == 0, err
    assert "20 records are too few" in progress and "still linking with the built-in model v1" in progress
    assert latest_model(models).meta["model_version"] == 1

    _project(project, rows[20:], MORE, name="m3.csv")  # 50 records
    code, progress, err = _run(project, caplog, capsys, "2024-06-03")
    assert code == 0, err
    assert "training on 50 records (the built-in model v1 served until now)" in progress
    assert "too few" not in progress
    saved = latest_model(models)
    assert saved.meta["model_version"] == 2 and not saved.meta["built_in"]
    assert saved.meta["comparisons"] == [c["output_column_name"] for c in saved.settings["comparisons"]]
    ids = _golden_ids(project)
    assert all(ids[str(40 + k + 1)] == ids[str(k + 1)] for k in range(10))

    code, progress, err = _run(project, caplog, capsys, "2024-06-04")
    assert code == 0, err
    assert "[model] reused model v2" in progress and "built-in" not in progress


def test_a_failed_step_gives_the_reason_of_a_sql_error_not_its_position_marker() -> None:
    """A Splink SQL error ends with DuckDB's echo of the statement and `^^` under it: the reason read `^^`."""
    splink_error = (
        "splink.internals.exceptions.SplinkException: Error executing the following sql for table "
        "`__splink__df_predict`(__splink__df_predict_1):\nCREATE TABLE x AS\nselect\n"
        "cast(-9.9 as float8) +  as match_weight\n\nError was: Parser Error: syntax error at or near \"as\"\n\n"
        "LINE 75: cast(-9.9 as float8) +  as match_weight,\n                                   ^^\n"
    )
    assert cli._reason_line(splink_error) == (
        'splink.internals.exceptions.SplinkException: Parser Error: syntax error at or near "as"'
    )
    duckdb_error = 'duckdb.ParserException: Parser Error: syntax error at or near "x"\n\nLINE 1: select x x\n   ^\n'
    assert cli._reason_line(duckdb_error) == 'duckdb.ParserException: Parser Error: syntax error at or near "x"'
    assert cli._reason_line("ValueError: bad value") == "ValueError: bad value"
