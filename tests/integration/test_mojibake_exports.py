"""A UTF-8 export some of whose rows an upstream system wrote as mojibake
(UTF-8 misread as cp1252: `MÃ¼ller`, `St. Maryâ€™s`): those rows meet their
clean twins, the golden record shows the clean spelling, the repair is a
standardization issue, and the record keeps what was delivered (made-up
people only)."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb
import polars as pl

from pipelines.cli import execute_nightly
from warehouse import ProjectPaths

CONFIG = """\
project: mojibake
timezone: Africa/Lagos
sources:
  - name: bank
    path: exports/bank_*.csv
    format: csv
    encoding: utf-8
    id: account
    country: NG
    date_order: DMY
    fields: {family_name: surname, given_name: first_name, birth_date: dob, phone: phone, email: email, address_line: address}
"""
PEOPLE = [
    ("Ògúnlèyè", "Adéwálé", "03/04/1981", "12 Admiralty Way, Lekki, St. Mary’s Estate"),
    ("Müller", "François", "17/09/1975", "4 Zoo Road, Nassarawa"),
    ("Okafor", "Chiamaka", "21/01/1990", "9 Ogui Road, Enugu"),
    ("Bello", "Ibrahim", "30/06/1968", "2 Gimbiya Street, Garki"),
    ("Adeyemi", "Tolu", "11/11/1985", "7 Awolowo Road, Ikoyi"),
    ("Eze", "Ngozi", "05/05/1979", "15 Adeola Odeku Street, Victoria Island"),
]


def _as_windows(text: str) -> str:
    return text.encode("utf-8").decode("cp1252")


def _export() -> str:
    """Every person once as typed and once more (another account) as the
    upstream system wrote them; the first two people's second row in mojibake."""
    lines = ["account,surname,first_name,dob,phone,email,address"]
    for copy in (0, 1):
        for i, (family, given, dob, address) in enumerate(PEOPLE):
            if copy and i < 2:
                family, given, address = _as_windows(family), _as_windows(given), _as_windows(address)
            email = f"customer{i}@example.com"
            lines.append(f'{copy * 100 + i + 1},{family},{given},{dob},+234 803 555 {1000 + i},{email},"{address}"')
    return "\n".join(lines) + "\n"


def test_mojibake_rows_meet_their_clean_twins_and_golden_records_show_the_clean_spelling(tmp_path: Path) -> None:
    project = tmp_path / "p"
    (project / "exports").mkdir(parents=True)
    (project / "nayose.yaml").write_text(CONFIG, encoding="utf-8")
    (project / "exports" / "bank_2026-11-25.csv").write_text(_export(), encoding="utf-8")
    with dg.DagsterInstance.ephemeral() as instance:
        execute_nightly(ProjectPaths.of(project), "2026-11-25", instance=instance)
    paths = ProjectPaths.of(project)
    crosswalk = pl.read_parquet(paths.crosswalk)
    golden_of = dict(crosswalk.select("source_record_id", "golden_id").iter_rows())
    assert golden_of["1"] == golden_of["101"] and golden_of["2"] == golden_of["102"]
    golden = pl.read_parquet(paths.golden_records)
    assert golden.height == len(PEOPLE)
    shown = golden.filter(pl.col("golden_id").is_in([golden_of["1"], golden_of["2"]]))
    assert sorted(shown.select("family_name", "given_name").rows()) == [("Müller", "François"), ("Ògúnlèyè", "Adéwálé")]
    assert "12 Admiralty Way, Lekki, St. Mary’s Estate" in shown["address_line"].to_list()
    for column in ("family_name", "given_name", "address_line"):
        assert not golden[column].str.contains("Ã|â€").any()
    con = duckdb.connect(str(paths.warehouse), read_only=True)
    try:
        issues = con.execute(
            "SELECT record_key, field FROM standardization_issues WHERE issue_code = 'text_mojibake_repaired' ORDER BY 1, 2"
        ).fetchall()
        delivered = con.execute("SELECT family_name FROM records WHERE record_key = 'bank:102'").fetchone()
    finally:
        con.close()
    assert issues == [
        ("bank:101", "address_line"), ("bank:101", "family_name"), ("bank:101", "given_name"),
        ("bank:102", "family_name"), ("bank:102", "given_name"),
    ]  # fmt: skip
    assert delivered == ("MÃ¼ller",)  # the record as the source sent it: lineage shows it
