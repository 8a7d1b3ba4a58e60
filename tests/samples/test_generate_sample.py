"""The sample generator: determinism, encodings, ground truth, name realism, small n."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from pathlib import Path

import polars as pl
import pytest
import yaml

from samples import generate_sample, sample_config_yaml
from samples.exports import international_phone, wareki

ENCODINGS = {"crm": "utf-8-sig", "store_pos": "cp932", "ec_shop": "utf-8", "global_web": "utf-8"}


def _digest(paths: list[Path]) -> list[str]:
    return [hashlib.sha256(p.read_bytes()).hexdigest() for p in paths]


def _read(path: Path) -> list[dict]:
    source = path.name.rsplit("_", 1)[0]
    text = path.read_bytes().decode(ENCODINGS[source])
    if path.suffix == ".jsonl":
        return [json.loads(line) for line in text.splitlines()]
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture(scope="module")
def big_sample(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("big")
    return generate_sample(out, n_records=20_000, seed=11)


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    a = generate_sample(tmp_path / "a", n_records=300, seed=3)
    b = generate_sample(tmp_path / "b", n_records=300, seed=3)
    c = generate_sample(tmp_path / "c", n_records=300, seed=4)
    assert _digest([*a.files, a.truth_path]) == _digest([*b.files, b.truth_path])
    assert _digest(a.files) != _digest(c.files)


def test_files_decode_with_declared_encoding_and_truth_covers_every_record(big_sample) -> None:
    truth = pl.read_csv(big_sample.truth_path, infer_schema=False)
    assert truth.height == big_sample.n_records == 20_000
    assert truth.select("source_system", "source_record_id").is_duplicated().sum() == 0
    assert big_sample.files[0].read_bytes().startswith(b"\xef\xbb\xbf")
    seen = 0
    for path in big_sample.files:
        rows = _read(path)
        source = path.name.rsplit("_", 1)[0]
        id_column = {"crm": "顧客番号", "store_pos": "会員番号", "ec_shop": "member_id", "global_web": "id"}[source]
        ids = {str(r[id_column]) for r in rows}
        assert ids == set(truth.filter(pl.col("source_system") == source)["source_record_id"])
        seen += len(rows)
    assert seen == truth.height
    assert truth["person_id"].n_unique() == big_sample.n_people


def test_records_per_person_mix_singletons_and_duplicates(big_sample) -> None:
    truth = pl.read_csv(big_sample.truth_path, infer_schema=False)
    per_person = truth.group_by("person_id").len()["len"]
    assert 0.25 < (per_person == 1).mean() < 0.45
    assert per_person.max() <= 4
    within = truth.group_by("person_id", "source_system").len().filter(pl.col("len") > 1).height
    assert within > 100  # duplicates inside one source, not only across sources


def test_family_names_are_varied_but_common_ones_common(big_sample) -> None:
    crm = pl.DataFrame(_read(big_sample.files[0]))
    truth = pl.read_csv(big_sample.truth_path, infer_schema=False).filter(pl.col("source_system") == "crm")
    people = crm.join(truth, left_on="顧客番号", right_on="source_record_id").unique("person_id")
    counts = people["姓"].value_counts(sort=True)
    assert counts.height >= 1000
    assert counts["count"][0] / people.height < 0.03
    assert counts["姓"][0] in ("佐藤", "鈴木", "高橋", "田中")


def test_namesakes_are_different_people(big_sample) -> None:
    crm = pl.DataFrame(_read(big_sample.files[0]))
    truth = pl.read_csv(big_sample.truth_path, infer_schema=False)
    named = crm.join(truth, left_on="顧客番号", right_on="source_record_id")
    namesakes = named.group_by("姓", "名").agg(pl.col("person_id").n_unique().alias("people"))
    assert namesakes.filter(pl.col("people") > 1).height >= 5


def test_small_n_works(tmp_path: Path) -> None:
    manifest = generate_sample(tmp_path, n_records=50, seed=1)
    assert manifest.n_records == 50
    assert sum(len(_read(p)) for p in manifest.files) == 50
    assert all(p.exists() for p in manifest.files)


def test_config_names_each_source_and_its_columns(tmp_path: Path) -> None:
    manifest = generate_sample(tmp_path, n_records=200, seed=2)
    config = yaml.safe_load(sample_config_yaml("data/sample"))
    assert config["project"] == "nayose-sample"
    by_name = {s["name"]: s for s in config["sources"]}
    assert set(by_name) == set(ENCODINGS)
    for path in manifest.files:
        source = by_name[path.name.rsplit("_", 1)[0]]
        assert source["encoding"] in ("utf-8", "utf-8-sig", "cp932")
        header = {k.strip() for k in _read(path)[0]}
        assert source["id"] in header
        plain = [v for v in source["fields"].values() if "(" not in v and " " not in v]
        assert set(plain) <= header


def test_wareki_and_international_phone() -> None:
    frame = pl.DataFrame({"d": [dt.date(1980, 3, 1), dt.date(1989, 2, 1)], "p": ["090-1234-5678", "(212) 345-6789"],
                          "c": ["JP", "US"]})
    out = frame.select(wareki(pl.col("d"), pl.lit(False)).alias("w"), wareki(pl.col("d"), pl.lit(True)).alias("s"),
                       international_phone(pl.col("p"), pl.col("c")).alias("i"))
    assert out["w"].to_list() == ["昭和55年3月1日", "平成元年2月1日"]
    assert out["s"].to_list() == ["S55.3.1", "H1.2.1"]
    assert out["i"].to_list() == ["+81 90 1234 5678", "+1 212 345 6789"]
