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


def test_git_folders_and_virtual_environments_are_not_searched(tmp_path: Path) -> None:
    venv = tmp_path / ".venv"
    (venv / "lib" / "site-packages").mkdir(parents=True)
    (venv / "pyvenv.cfg").write_text("home = /usr/bin\n")
    (venv / "lib" / "site-packages" / "names.py").write_text("NAMES = ['Mika']\n")  # a library's own text
    (tmp_path / ".git" / "objects").mkdir(parents=True)
    (tmp_path / ".git" / "objects" / "ab").write_bytes(b"Mika")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "left_behind.csv").write_text("id,name\n1,Mika\n")
    (tmp_path / "env_like").mkdir()  # a folder merely named like one is searched
    (tmp_path / "env_like" / "notes.txt").write_text("Mika")
    found = find_residuals(tmp_path, ["Mika"])
    assert sorted(r.path.relative_to(tmp_path).as_posix() for r in found) == ["data/left_behind.csv", "env_like/notes.txt"]


def test_values_are_found_in_western_code_pages(tmp_path: Path) -> None:
    # a source may declare cp1252 or latin-1: an erased name left in such an export is found
    (tmp_path / "legacy.csv").write_bytes("id,name\n7,Núñez José\n".encode("cp1252"))
    (tmp_path / "old.csv").write_bytes("id,name\n8,Zoë Müller\n".encode("latin-1"))
    found = find_residuals(tmp_path, ["Núñez José", "Zoë Müller"])
    assert {(r.path.name, r.value_index) for r in found} == {("legacy.csv", 0), ("old.csv", 1)}


def test_values_are_found_in_euc_jp_and_big_endian_utf16(tmp_path: Path) -> None:
    # a source may declare euc-jp or utf-16 (either byte order)
    (tmp_path / "unix.csv").write_bytes("id,name\n7,山田　花子\n".encode("euc_jp"))
    (tmp_path / "unicode.txt").write_bytes(b"\xfe\xff" + "id\tname\n8\t鈴木　一郎\n".encode("utf-16-be"))
    found = find_residuals(tmp_path, ["山田　花子", "鈴木　一郎"])
    assert {(r.path.name, r.value_index) for r in found} == {("unix.csv", 0), ("unicode.txt", 1)}
