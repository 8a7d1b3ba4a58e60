"""Commands pointed at the wrong place say what is wrong with the place named."""

from __future__ import annotations

from pathlib import Path

import duckdb
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


def test_review_list_leaves_out_columns_no_queued_pair_fills(tmp_path: Path, capsys):
    """A Western project's queue showed four kana columns that are always empty."""
    (tmp_path / "nayose.yaml").write_text(sample_config_yaml(), encoding="utf-8")
    warehouse = tmp_path / "data" / "warehouse"
    warehouse.mkdir(parents=True)
    queue = pl.DataFrame(
        {
            "record_key_l": ["crm:1"],
            "record_key_r": ["web:2"],
            "match_probability": [0.93],
            "std_family_kana_l": pl.Series([None], dtype=pl.Utf8),
            "std_family_name_l": ["smith"],
        }
    )
    with duckdb.connect(str(warehouse / "nayose.duckdb")) as con:
        con.register("queue", queue.to_arrow())
        con.execute("CREATE TABLE review_queue AS SELECT * FROM queue")
    assert main(["review", "list", "--project", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "1 pair(s) waiting" in out
    assert "match_probability" in out and "std_family_name_l" in out
    assert "std_family_kana_l" not in out


def test_a_reader_that_leaves_the_pipe_ends_the_command_without_a_traceback(tmp_path: Path, monkeypatch, capsys):
    """`nayose evaluate | head`: the pipe closes while the command writes; exit 141 as a shell reports
    SIGPIPE, nothing on stderr."""
    import pipelines.cli as cli

    def leaves(args):
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(cli, "cmd_evaluate", leaves)
    (tmp_path / "nayose.yaml").write_text(sample_config_yaml("data/sample"), encoding="utf-8")
    assert main(["evaluate", "--project", str(tmp_path)]) == 141
    assert capsys.readouterr().err == ""
