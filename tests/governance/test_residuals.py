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


def test_a_name_or_email_inside_another_customers_value_is_not_the_persons(tmp_path: Path) -> None:
    # an erased given name "Mine" (and 美香, Mary) where only other customers' values hold them, as parts
    (tmp_path / "others.csv").write_text(
        "id,name,mail\n7,井上 美香子,inoe_mine@ezweb.ne.jp\n8,Mary-Jane Doe,mine.kato@example.jp\n", encoding="utf-8"
    )
    (tmp_path / "others_sjis.csv").write_bytes("7,野石美香子,MINE_INOE@EZWEB.NE.JP\n".encode("cp932"))
    (tmp_path / "others.jsonl").write_text(json.dumps({"name": "野石美香子", "mail": "x.mine@example.jp"}) + "\n")
    (tmp_path / "others_utf16.txt").write_bytes("美香子 <inoe_mine@ezweb.ne.jp>".encode("utf-16-le"))
    pl.DataFrame({"mail": ["inoe_mine@ezweb.ne.jp"] * 50, "name": ["美香子"] * 50}).write_parquet(tmp_path / "others.parquet")
    con = duckdb.connect(str(tmp_path / "others.duckdb"))
    con.execute("CREATE TABLE t AS SELECT 'inoe_mine@ezweb.ne.jp' AS mail, '美香子' AS name FROM range(100)")
    con.close()
    (tmp_path / "longer_email.csv").write_text("id,mail\n9,new.kyoe.umei@outlook.jp\n", encoding="utf-8")
    names = ["Mine", "美香", "Mary", "kyoe.umei@outlook.jp"]
    assert find_residuals(tmp_path, names, words=set(names)) == []
    assert {r.path.name for r in find_residuals(tmp_path, ["Mine"])} >= {"others.csv", "others.parquet"}  # as a substring


def test_a_name_or_email_left_behind_is_found_wherever_it_stands_as_a_word(tmp_path: Path) -> None:
    leftovers = {
        "crm.csv": "id,last,first\n5,Shibada,Mine\n".encode("utf-8"),
        "pos.csv": "5,柴田　美香,ｼﾊﾞﾀ ﾐｶ\n".encode("cp932"),
        "note.txt": "美香さんから電話".encode("euc_jp"),
        "honorific.txt": "柴田美香様".encode("utf-8"),
        "shop.jsonl": (json.dumps({"given": "美香"}) + "\n").encode("ascii"),  # \u escapes
        "wide.txt": "ｍｉｎｅ".encode("utf-16-be"),
        "log.txt": b"customer: Mine.\n",
        "mail.csv": b"id,mail\n5,kyoe.umei@outlook.jp\n",
    }
    for name, data in leftovers.items():
        (tmp_path / name).write_bytes(data)
    pl.DataFrame({"full_name": ["Mine Shibada"] + ["Other Person"] * 50}).write_parquet(tmp_path / "golden.parquet", compression="zstd")
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    con.execute("CREATE TABLE t AS SELECT CASE WHEN range = 7 THEN '美香' ELSE '他人' END AS given FROM range(1000)")
    con.close()
    names = ["Mine", "美香", "柴田美香", "kyoe.umei@outlook.jp"]
    found = {r.path.name for r in find_residuals(tmp_path, names, words=set(names))}
    assert found == set(leftovers) | {"golden.parquet", "warehouse.duckdb"}


def _dagster_like_storage(path: Path, snapshot: dict, cell: str) -> None:
    """A SQLite file as Dagster's run storage keeps it: zlib-compressed JSON
    snapshots (non-ASCII as `\\uXXXX`) and plain text cells."""
    import sqlite3
    import zlib

    con = sqlite3.connect(path)
    con.execute("CREATE TABLE snapshots (id INTEGER PRIMARY KEY, snapshot_body BLOB)")
    con.execute("CREATE TABLE run_tags (id INTEGER PRIMARY KEY, value TEXT)")
    con.execute("INSERT INTO snapshots (snapshot_body) VALUES (?)", (zlib.compress(json.dumps(snapshot).encode()),))
    con.execute("INSERT INTO run_tags (value) VALUES (?)", (cell,))
    con.commit()
    con.close()


def test_values_inside_dagsters_compressed_snapshots_and_cells_are_found(tmp_path: Path) -> None:
    """A compressed snapshot hides its text from a byte search: its cells are read."""
    _dagster_like_storage(tmp_path / "runs.db", {"description": "for 山田 太郎", "n": list(range(500))}, "tag")
    _dagster_like_storage(tmp_path / "other.db", {"description": "nothing"}, "Kim Li")
    found = find_residuals(tmp_path, ["山田 太郎", "Li"], words={"山田 太郎", "Li"})
    assert {(r.path.name, r.value_index, r.how) for r in found} == {("runs.db", 0, "table"), ("other.db", 1, "table")}


def test_a_short_pattern_in_a_databases_compressed_bytes_is_chance_not_a_residual(tmp_path: Path) -> None:
    """`ﾀﾛｳ` is three bytes in Shift_JIS: random-looking compressed pages of a
    run storage held them about once in two hundred erasures, and the erasure
    reported the person's data left there. A text file holding the same
    bytes still holds the name."""
    import sqlite3

    chance = b"\x00\x17" + "ﾀﾛｳ".encode("cp932") + b"\x00\x9f"
    con = sqlite3.connect(tmp_path / "runs.db")
    con.execute("CREATE TABLE snapshots (snapshot_body BLOB)")
    con.execute("INSERT INTO snapshots VALUES (?)", (chance,))
    con.commit()
    con.close()
    assert "ﾀﾛｳ".encode("cp932") in (tmp_path / "runs.db").read_bytes()
    (tmp_path / "export.csv").write_bytes(b"id,kana\n1," + "ﾀﾛｳ".encode("cp932") + b"\n")
    found = find_residuals(tmp_path, ["タロウ"], words={"タロウ"})
    assert {r.path.name for r in found} == {"export.csv"}
