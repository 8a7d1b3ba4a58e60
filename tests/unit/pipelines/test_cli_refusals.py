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


def _project_with_queue(tmp_path: Path, queue: pl.DataFrame) -> Path:
    (tmp_path / "nayose.yaml").write_text(sample_config_yaml(), encoding="utf-8")
    warehouse = tmp_path / "data" / "warehouse"
    warehouse.mkdir(parents=True)
    with duckdb.connect(str(warehouse / "nayose.duckdb")) as con:
        con.register("queue", queue.to_arrow())
        con.execute("CREATE TABLE review_queue AS SELECT * FROM queue")
    return tmp_path


def test_review_list_leaves_out_fields_no_queued_pair_fills(tmp_path: Path, capsys):
    """A Western project's queue showed four kana columns that are always empty."""
    queue = pl.DataFrame(
        {
            "pair_id": ["crm:1|web:2"],
            "record_key_l": ["crm:1"],
            "record_key_r": ["web:2"],
            "match_probability": [0.93],
            "std_family_kana_l": pl.Series([None], dtype=pl.Utf8),
            "std_family_kana_r": pl.Series([None], dtype=pl.Utf8),
            "std_family_name_l": ["smith"],
            "std_family_name_r": ["smyth"],
        }
    )
    assert main(["review", "list", "--project", str(_project_with_queue(tmp_path, queue))]) == 0
    out = capsys.readouterr().out
    assert "1 pair(s) waiting for a decision; showing all 1" in out
    assert "pair crm:1|web:2  p 0.930" in out
    assert "family_name" in out and "differs (1 edit)" in out
    assert "family_kana" not in out
    assert "smith" not in out and "smyth" not in out


def test_review_list_says_how_many_it_shows_of_how_many_and_how_to_see_more(tmp_path: Path, capsys):
    """An East Asian marketplace's steward saw 20 of 140 pairs without being told, lowest probability first."""
    n = 25
    queue = pl.DataFrame(
        {
            "pair_id": [f"crm:{i:02d}|web:{i:02d}" for i in range(n)],
            "record_key_l": [f"crm:{i:02d}" for i in range(n)],
            "record_key_r": [f"web:{i:02d}" for i in range(n)],
            "match_probability": [0.5 + i / 100 for i in range(n)],
            "std_family_name_l": ["lee"] * n,
            "std_family_name_r": ["lee"] * n,
        }
    )
    project = _project_with_queue(tmp_path, queue)
    assert main(["review", "list", "--project", str(project)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("25 pair(s) waiting for a decision; showing 20 of 25, likeliest the same person first")
    assert "--limit N shows N, --limit 0 all" in out
    assert out.count("\n1. pair ") == 1 and "\n20. pair " in out and "\n21. pair " not in out
    assert out.index("pair crm:24|web:24") < out.index("pair crm:23|web:23")  # p 0.74 before p 0.73
    assert main(["review", "list", "--project", str(project), "--limit", "0", "--order", "uncertain"]) == 0
    out = capsys.readouterr().out
    assert "showing all 25, nearest 0.5 first" in out and "\n25. pair crm:24|web:24" in out
    assert main(["review", "list", "--project", str(project), "--limit", "-1"]) == 1
    assert "--limit -1: give a number of pairs, or 0 for all" in capsys.readouterr().err


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
