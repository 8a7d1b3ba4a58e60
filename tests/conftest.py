"""Shared fixtures: small generated projects (made-up people only)."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import dagster as dg
import pytest

if TYPE_CHECKING:
    import polars as pl

    from resolution.model import SavedModel

CRM_CSV = """\
 cust_id , last , first ,kana_last,kana_first, dob ,mail, tel ,zip, addr
1,山田,太郎,ヤマダ,タロウ,19800301,taro@example.com,090-1234-5678,100-0001,東京都千代田区千代田1-2-3
2,佐藤,花子,サトウ,ハナコ,19750512,hanako@example.jp,03-1234-5678,150-0001,東京都渋谷区神宮前2-3-4
3,鈴木,一郎,スズキ,イチロウ,19900101,,080-1111-2222,530-0001,大阪府大阪市北区梅田1丁目1番1号
4,Smith,John,,,19851224,john.smith@example.com,,,
5,,,,,,,,,
"""

POS_CSV = """\
会員番号,氏名,ﾌﾘｶﾞﾅ,生年月日,電話,〒,都道府県,市区町村,番地
P1,山田　太郎,ﾔﾏﾀﾞ ﾀﾛｳ,昭和55年3月1日,０９０ー１２３４ー５６７８,１００－０００１,東京都,千代田区,千代田1丁目2番3号
P2,髙橋　健,ﾀｶﾊｼ ｹﾝ,昭和45年7月7日,,,神奈川県,横浜市中区,山下町1-1
"""

SHOP_JSONL = [
    {
        "member_id": "A1",
        "name": "山田 太郎",
        "dob": "1980-03-01",
        "email": "TARO@example.com",
        "tel": "+81 90 1234 5678",
    },
    {
        "member_id": "A2",
        "name": "佐藤　花子",
        "dob": "1975-05-12",
        "email": "hanako@example.jp",
        "tel": "+81 3 1234 5678",
    },
    {"member_id": "A3", "name": "John Smith", "dob": "1985-12-24", "email": "john.smith@example.com"},
    {"member_id": "A4", "name": "高橋 健", "dob": "1970-07-07", "email": "ken@example.net"},
]

TINY_CONFIG = """\
project: tiny
sources:
  - name: crm
    path: exports/crm_*.csv
    format: csv
    encoding: utf-8
    id: cust_id
    country: JP
    fields:
      family_name: last
      given_name: first
      family_name_kana: kana_last
      given_name_kana: kana_first
      birth_date: dob
      email: mail
      phone: tel
      postal_code: zip
      address_line: addr
  - name: pos
    path: exports/pos_*.csv
    format: csv
    encoding: cp932
    id: 会員番号
    fields:
      full_name: 氏名
      full_name_kana: ﾌﾘｶﾞﾅ
      birth_date: 生年月日
      phone: 電話
      postal_code: 〒
      prefecture: 都道府県
      city: 市区町村
      address_line: 番地
  - name: shop
    path: exports/shop_*.jsonl
    format: jsonl
    id: member_id
    fields:
      full_name: name
      birth_date: dob
      email: email
      phone: tel
"""


def write_tiny_project(root: Path) -> Path:
    """A project directory holding only nayose.yaml and three small exports."""
    exports = root / "exports"
    exports.mkdir(parents=True)
    (exports / "crm_2026-11-25.csv").write_text(CRM_CSV, encoding="utf-8")
    (exports / "pos_2026-11-25.csv").write_bytes(POS_CSV.encode("cp932"))
    (exports / "shop_2026-11-25.jsonl").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in SHOP_JSONL) + "\n", encoding="utf-8"
    )
    (root / "nayose.yaml").write_text(TINY_CONFIG, encoding="utf-8")
    return root


@pytest.fixture
def tiny_project(tmp_path: Path) -> Path:
    return write_tiny_project(tmp_path / "project")


def za_id(born: str, serial: int) -> str:
    """A made-up South African ID number of someone born on `born` (YYMMDD):
    the date, a 4-digit serial, citizen `0`, `8`, and its Luhn check digit."""
    body = f"{born}{serial:04d}08"
    odd = sum(int(d) for d in body[0::2])
    even = sum(sum(divmod(2 * int(d), 10)) for d in body[1::2])
    return body + str((10 - (odd + even) % 10) % 10)


LERATO_ID = za_id("800101", 5111)
"""The national id of the ZA project's person whom requests name (generated)."""

ZA_CRM_CSV = f"""\
cust_id,first,last,dob,mail,tel,id_no
1,Lerato,Mokoena,1980-01-01,lerato.mokoena@example.co.za,082 555 0101,{LERATO_ID}
2,Sipho,Ndlovu,1975-05-12,sipho.ndlovu@example.co.za,083 555 0202,{za_id("750512", 5222)}
3,Anele,Zulu,1990-11-30,anele.zulu@example.co.za,084 555 0303,{za_id("901130", 333)}
,Lerato,Mokoena,1980-01-01,,,{LERATO_ID[:6]}-{LERATO_ID[6:10]}-{LERATO_ID[10:]}
"""
ZA_APP_ROWS = [
    {"member_id": "M1", "name": "Lerato Mokoena", "email": "lm1980@example.net",
     "id_number": f"{LERATO_ID[:6]} {LERATO_ID[6:10]} {LERATO_ID[10:]}", "id_type": "SA ID"},
    {"member_id": "M2", "name": "Sipho Ndlovu", "id_number": za_id("750512", 5222), "id_type": "RSA ID"},
    {"member_id": "M3", "name": "Thabo Khumalo", "email": "thabo.k@example.net", "id_number": "A12345678", "id_type": "passport"},
]

ZA_CONFIG = """\
project: za-tiny
sources:
  - name: crm
    path: exports/crm_*.csv
    format: csv
    id: cust_id
    country: ZA
    fields:
      given_name: first
      family_name: last
      birth_date: dob
      email: mail
      phone: tel
      national_id: id_no
  - name: app
    path: exports/app_*.jsonl
    format: jsonl
    id: member_id
    country: ZA
    fields:
      full_name: name
      email: email
      national_id: id_number
      national_id_type: id_type
"""


def write_za_project(root: Path) -> Path:
    """A project of two South African sources whose records carry national
    ids (generated people): Lerato Mokoena's ID as the CRM writes it, in the
    app with spaces and its type, and on a CRM row without an id (quarantined)
    with dashes."""
    exports = root / "exports"
    exports.mkdir(parents=True)
    (exports / "crm_2026-11-25.csv").write_text(ZA_CRM_CSV, encoding="utf-8")
    (exports / "app_2026-11-25.jsonl").write_text("\n".join(json.dumps(r) for r in ZA_APP_ROWS) + "\n", encoding="utf-8")
    (root / "nayose.yaml").write_text(ZA_CONFIG, encoding="utf-8")
    return root


TEST_KEY = "test-only-key-0123456789abcdef"
"""The pseudonymization key of tests (never a real one)."""


def run_nightly(project: Path, partition: str) -> dict:
    """The nightly job in-process on a real instance under `project/dagster_home`,
    so its event logs are part of what erasure tests search."""
    from pipelines.cli import DEFAULT_DAGSTER_YAML, execute_nightly
    from warehouse import ProjectPaths

    paths = ProjectPaths.of(project)
    paths.dagster_home.mkdir(parents=True, exist_ok=True)
    (paths.dagster_home / "dagster.yaml").write_text(DEFAULT_DAGSTER_YAML)
    with dg.DagsterInstance.from_config(str(paths.dagster_home)) as instance:
        return execute_nightly(paths, partition, instance=instance)


def run_nightly_with_test_key(project: Path, partition: str) -> dict:
    """`run_nightly` with the tests' pseudonymization key set for the run only
    (for a template project that fixtures copy)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NAYOSE_PSEUDONYM_KEY", TEST_KEY)
        return run_nightly(project, partition)


def copy_of(template: Path, tmp_path: Path) -> Path:
    """A test's own copy of a template project, as `tmp_path/project`."""
    target = tmp_path / "project"
    shutil.copytree(template, target)
    return target


@pytest.fixture(scope="session")
def _published_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_tiny_project(tmp_path_factory.mktemp("published") / "project")
    run_nightly_with_test_key(root, "2026-11-25")
    return root


@pytest.fixture
def published_project(_published_template: Path, tmp_path: Path) -> Path:
    """A copy of the tiny project after one nightly run (2026-11-25)."""
    return copy_of(_published_template, tmp_path)


GENERATED_RECORDS, GENERATED_SEED, GENERATED_DAY = 1500, 11, "2026-11-25"


@dataclass(frozen=True)
class GeneratedNight:
    """A generated sample after one nightly run: its project, the warehouse's
    records (polars) and the saved model the run trained."""

    root: Path
    records: pl.DataFrame
    saved: SavedModel


@pytest.fixture(scope="session")
def generated_night(tmp_path_factory: pytest.TempPathFactory) -> GeneratedNight:
    """1,500 generated records after their first night (shared: copy `root` before running it again)."""
    import duckdb

    from pipelines.cli import execute_nightly
    from resolution.model import latest_model
    from samples import generate_sample, sample_config_yaml
    from warehouse import ProjectPaths

    root = tmp_path_factory.mktemp("generated")
    generate_sample(root / "data" / "sample", n_records=GENERATED_RECORDS, seed=GENERATED_SEED, date=GENERATED_DAY)
    (root / "nayose.yaml").write_text(sample_config_yaml("data/sample"), encoding="utf-8")
    with dg.DagsterInstance.ephemeral() as instance:
        execute_nightly(ProjectPaths.of(root), GENERATED_DAY, instance=instance)
    with duckdb.connect(str(ProjectPaths.of(root).warehouse), read_only=True) as con:
        records = con.sql("SELECT * FROM records").pl()
    return GeneratedNight(root, records, latest_model(ProjectPaths.of(root).models))


def assert_warehouse_holds_published(paths) -> None:
    """The warehouse's crosswalk and golden records (patched by golden id on
    incremental nights) hold what the Parquet files (written whole) hold, and
    the steward's copies (the golden records' patched too) what the warehouse
    holds, and the Parquet copies of tables (patched too) are current and hold
    the tables' rows."""
    import duckdb
    import polars as pl

    from warehouse import read_table
    from warehouse.table_copies import COPIED, usable_copies

    copies = usable_copies(paths.warehouse, *COPIED)
    assert set(copies) == set(COPIED), "a table copy is missing or stale"
    for table, copy in copies.items():
        stored = read_table(paths.warehouse, table)
        assert copy.sort(copy.columns, nulls_last=True).equals(stored.sort(copy.columns, nulls_last=True), null_equal=True)
    for table, parquet in (("crosswalk", paths.crosswalk), ("golden_records", paths.golden_records)):
        published = pl.read_parquet(parquet)
        with duckdb.connect(str(paths.warehouse), read_only=True) as con:
            stored = con.sql(f"SELECT * FROM {table}").pl().select(published.columns)
        assert stored.sort(published.columns).equals(published.sort(published.columns)), table
    assert_steward_copies_hold_warehouse(paths)


def assert_steward_copies_hold_warehouse(paths) -> None:
    """Each steward review file holds its warehouse table's rows, masked (in any order)."""
    import polars as pl
    from polars.testing import assert_frame_equal

    from governance.masking import mask_frame
    from warehouse import read_table

    files = sorted((paths.data / "review").glob("*.parquet"))
    assert files
    for path in files:
        table = read_table(paths.warehouse, path.stem)
        assert table is not None, path.name
        expected, held = mask_frame(table), pl.read_parquet(path)
        assert_frame_equal(held.sort(held.columns, nulls_last=True), expected.sort(expected.columns, nulls_last=True))
