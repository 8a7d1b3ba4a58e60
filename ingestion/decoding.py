"""Decode an export's bytes to UTF-8, streaming, with errors that name the line.

DuckDB and polars read only UTF-8 natively here, so Shift_JIS (cp932),
Western code pages (cp1252, latin-1) and BOM-prefixed files are decoded in Python in fixed-size chunks and written
to a UTF-8 working copy.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from pathlib import Path

from ingestion.errors import IngestError
from nayose_config.model import SOURCE_ENCODINGS

CHUNK_BYTES = 8 * 1024 * 1024

_NON_ASCII = re.compile(rb"[\x80-\xff]")

SINGLE_BYTE_ENCODINGS = frozenset({"cp1252", "latin-1"})
"""Code pages in which every byte is a character, so no file fails to decode:
a UTF-8 file declared as one is refused by its bytes' being valid UTF-8."""


def file_sha256(path: Path) -> str:
    """sha256 hex of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK_BYTES), b""):
            digest.update(chunk)
    return digest.hexdigest()


def decode_to_utf8(path: Path, encoding: str, target: Path, *, display_name: str) -> None:
    """Write `path` decoded from `encoding` to `target` as UTF-8 (no BOM).

    Refuses bytes that are not valid in the declared encoding with an
    `IngestError` naming the file and line, and suggesting the fix."""
    codec = "utf-8" if encoding == "utf-8-sig" else encoding
    decoder = codecs.getincrementaldecoder(codec)(errors="strict")
    # A single-byte code page reads any bytes: UTF-8 declared as one would pass as mojibake (`JosÃ©`).
    utf8 = codecs.getincrementaldecoder("utf-8")(errors="strict") if encoding in SINGLE_BYTE_ENCODINGS else None
    utf8_line: int | None = None  # the first line holding a character UTF-8 spells in several bytes
    line = 1
    first = True
    with open(path, "rb") as src, open(target, "w", encoding="utf-8", newline="") as dst:
        while True:
            chunk = src.read(CHUNK_BYTES)
            final = not chunk
            if utf8 is not None:
                try:
                    utf8.decode(chunk, final=final)
                    if utf8_line is None and not chunk.isascii():
                        utf8_line = line + chunk[: _NON_ASCII.search(chunk).start()].count(b"\n")
                except UnicodeDecodeError:
                    utf8 = None  # not UTF-8: the code page it is declared in
            try:
                text = decoder.decode(chunk, final=final)
            except UnicodeDecodeError as exc:
                bad_line = line + chunk[: exc.start].count(b"\n")
                raise IngestError(
                    display_name,
                    f"bytes are not valid {encoding}; check the source's `encoding` in nayose.yaml "
                    f"({', '.join(SOURCE_ENCODINGS)}) or re-export the file",
                    row=bad_line,
                ) from None
            if first and text:
                text = text.removeprefix("\ufeff")  # a BOM is never data
                first = False
            line += chunk.count(b"\n")
            dst.write(text)
            if final:
                break
    if utf8 is not None and utf8_line is not None:
        raise IngestError(
            display_name,
            f"the file is declared {encoding} but its bytes are UTF-8 (read as {encoding}, `é` would become `Ã©`); "
            "declare `encoding: utf-8` (or utf-8-sig) in nayose.yaml",
            row=utf8_line,
        )
