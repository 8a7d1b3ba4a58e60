"""Commands pointed at the wrong place say what is wrong with the place named."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from pipelines.cli import main
from samples.config import sample_config_yaml


@pytest.mark.parametrize(
    "argv",
    [
        ["review", "list"],
        ["review", "decide", "--pair", "crm:1|shop:2", "--same", "--by", "s", "--reason", "r"],
        ["evaluate"],
    ],
)
def test_a_directory_without_nayose_yaml_is_named_as_no_project(tmp_path: Path, argv, capsys):
    missing = tmp_path / "nonexistent"
    assert main([*argv, "--project", str(missing)]) == 1
    err = capsys.readouterr().err
    assert f"{missing / 'nayose.yaml'}: no such file" in err
    assert "run `nayose run` first" not in err


def test_a_truth_file_that_does_not_exist_is_named(tmp_path: Path, capsys):
    (tmp_path / "nayose.yaml").write_text(sample_config_yaml(), encoding="utf-8")
    golden = tmp_path / "data" / "golden"
    golden.mkdir(parents=True)
    pl.DataFrame({"source_system": ["crm"], "source_record_id": ["1"], "golden_id": ["g1"]}).write_parquet(
        golden / "crosswalk.parquet"
    )
    nope = tmp_path / "nope.csv"
    assert main(["evaluate", "--project", str(tmp_path), "--truth", str(nope)]) == 1
    assert f"{nope}: no such truth file" in capsys.readouterr().err
