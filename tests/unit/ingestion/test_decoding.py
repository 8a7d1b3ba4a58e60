"""Decoding exports to UTF-8: BOMs dropped, bad bytes reported by file and line."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from ingestion import decoding
from ingestion.decoding import decode_to_utf8, file_sha256
from ingestion.errors import IngestError

TEXT = "会員番号,氏名\nP1,山田　太郎\nP2,髙橋　健\n"


@pytest.mark.parametrize(
    ("encoding", "raw"),
    [
        ("cp932", TEXT.encode("cp932")),
        ("utf-8", TEXT.encode("utf-8")),
        ("utf-8-sig", TEXT.encode("utf-8-sig")),
        ("utf-8-sig", TEXT.encode("utf-8")),  # a BOM is optional under utf-8-sig
        ("utf-8", TEXT.encode("utf-8-sig")),  # a stray BOM is never data
    ],
)
def test_decodes_to_utf8_without_bom(tmp_path: Path, encoding, raw):
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_bytes(raw)

    decode_to_utf8(source, encoding, target, display_name="exports/in.csv")

    assert target.read_bytes() == TEXT.encode("utf-8")


WESTERN = "CUST_NO,NAME\r\n000002,\"O'BRIEN, Zoë\"\r\n000005,Núñez José Œ €\r\n"


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_western_code_pages_decode(tmp_path: Path, encoding):
    # a Windows Excel CSV (cp1252) or an older system's (latin-1); latin-1 has no Œ or €
    text = WESTERN if encoding == "cp1252" else WESTERN.replace(" Œ €", "")
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_bytes(text.encode(encoding))
    decode_to_utf8(source, encoding, target, display_name="exports/legacy.csv")
    assert target.read_bytes() == text.encode()


def test_crlf_line_endings_are_kept(tmp_path: Path):
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_bytes("a,b\r\n山田,太郎\r\n".encode("cp932"))
    decode_to_utf8(source, "cp932", target, display_name="in.csv")
    assert target.read_bytes() == "a,b\r\n山田,太郎\r\n".encode("utf-8")


@pytest.mark.parametrize(
    ("encoding", "raw", "line"),
    [
        ("utf-8", b"\xff,b\n1,2\n", 1),
        ("utf-8", b"a,b\n1,2\n\xff,3\n", 3),
        ("utf-8-sig", "\ufeffa,b\n1,2\n".encode("utf-8") + b"\xe3\x81\n", 3),
        ("cp932", "a,b\n山田,太郎\n".encode("cp932") + b"\x81\n", 3),
        ("utf-8", "a,b\n山田,太郎\n".encode("cp932"), 2),  # cp932 bytes declared as utf-8
        ("utf-8", "a,b\n1,José\n".encode("cp1252"), 2),  # cp1252 bytes declared as utf-8
        ("cp1252", b"a,b\n1,\x81\n", 2),  # a byte cp1252 leaves undefined
        ("utf-8", "a,b\n1,2\n山".encode("utf-8")[:-1], 3),  # file cut inside a character
    ],
)
def test_invalid_bytes_name_file_and_line(tmp_path: Path, encoding, raw, line):
    source = tmp_path / "in.csv"
    source.write_bytes(raw)

    with pytest.raises(IngestError) as caught:
        decode_to_utf8(source, encoding, tmp_path / "out.csv", display_name="exports/pos_1.csv")

    error = caught.value
    assert error.file == "exports/pos_1.csv"
    assert error.row == line
    assert str(error).startswith(f"exports/pos_1.csv, row {line}: ")
    assert encoding in str(error) and "nayose.yaml" in str(error)


def test_line_is_counted_across_chunks(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(decoding, "CHUNK_BYTES", 4)
    source = tmp_path / "in.csv"
    source.write_bytes("ab\n山田\ncd\nef\n".encode("utf-8") + b"\xff\n")

    with pytest.raises(IngestError) as caught:
        decode_to_utf8(source, "utf-8", tmp_path / "out.csv", display_name="in.csv")
    assert caught.value.row == 5


def test_multibyte_character_split_across_chunks_decodes(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(decoding, "CHUNK_BYTES", 3)
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_bytes(("\ufeff" + TEXT).encode("utf-8"))
    decode_to_utf8(source, "utf-8-sig", target, display_name="in.csv")
    assert target.read_text(encoding="utf-8") == TEXT


def test_file_sha256_is_hash_of_bytes(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(decoding, "CHUNK_BYTES", 5)
    data = TEXT.encode("cp932") * 3
    path = tmp_path / "in.csv"
    path.write_bytes(data)
    assert file_sha256(path) == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_utf8_declared_as_a_western_code_page_is_refused(tmp_path: Path, encoding):
    """Every byte is a character in these code pages, so a UTF-8 file declared
    as one would pass as mojibake (`Zoë` as `ZoÃ«`): its bytes being valid
    UTF-8 with characters beyond ASCII give it away; the line of the first is named."""
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_bytes(WESTERN.replace(" Œ €", "").encode())
    with pytest.raises(IngestError) as caught:
        decode_to_utf8(source, encoding, target, display_name="exports/legacy.csv")
    assert caught.value.row == 2 and "declare `encoding: utf-8`" in str(caught.value)
    source.write_bytes(b"CUST_NO,NAME\r\n000002,OBRIEN\r\n")  # plain ASCII reads the same either way
    decode_to_utf8(source, encoding, target, display_name="exports/legacy.csv")
    assert target.read_bytes() == b"CUST_NO,NAME\r\n000002,OBRIEN\r\n"
