"""Decode an export's bytes to UTF-8, streaming, with errors that name the line.

DuckDB and polars read only UTF-8 natively here, so Shift_JIS (cp932),
Western code pages (cp1252, latin-1) and BOM-prefixed files are decoded in Python in fixed-size chunks and written
to a UTF-8 working copy.
"""

from __future__ import annotations

import codecs
import hashlib
from pathlib import Path

from ingestion.errors import IngestError
from nayose_config.model import SOURCE_ENCODINGS

CHUNK_BYTES = 8 * 1024 * 1024


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
    line = 1
    first = True
    with open(path, "rb") as src, open(target, "w", encoding="utf-8", newline="") as dst:
        while True:
            chunk = src.read(CHUNK_BYTES)
            final = not chunk
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
