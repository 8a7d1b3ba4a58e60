from __future__ import annotations

import json
from pathlib import Path

import duckdb
import polars as pl

from governance.residuals import find_residuals


def test_values_are_found_in_every_encoding_and_inside_compressed_tables(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes("山田太郎".encode("utf-16-le"))
    (tmp_path / "b.csv").write_bytes("ﾔﾏﾀﾞ".encode("cp932"))
    (tmp_path / "c.json").write_text(json.dumps({"n": "山田太郎"}))  # ASCII \u escapes
    (tmp_path / "d.txt").write_text("ｔａｒｏ＠ｅｘａｍｐｌｅ．ｃｏｍ", encoding="utf-8")
    pl.DataFrame({"v": ["山田太郎"] * 50 + ["x"]}).write_parquet(tmp_path / "e.parquet", compression="zstd")
    con = duckdb.connect(str(tmp_path / "f.duckdb"))
    con.execute("CREATE TABLE t AS SELECT 'taro@example.com' AS e FROM range(1000)")
    con.close()
    (tmp_path / "clean.txt").write_text("nothing here")
    found = find_residuals(tmp_path, ["山田太郎", "ヤマダ", "taro@example.com"])
    files = {r.path.name for r in found}
    assert files == {"a.txt", "b.csv", "c.json", "d.txt", "e.parquet", "f.duckdb"}
    assert all(isinstance(r.value_index, int) for r in found)
