"""Finding a person's values left anywhere under a directory, byte for byte.

Used after an erasure (and by its tests) to show that no file the project
writes still holds the person's email, phone or name. Raw bytes are searched
in every encoding the project writes or reads (UTF-8, UTF-16 in either byte
order, cp932/Shift_JIS, EUC-JP, cp1252, latin-1) and in width variants (NFKC, full-width ASCII, half-width kana);
Parquet, DuckDB and SQLite files (Dagster's run and event storage) are also
read as tables, because their compression (zstd pages, DuckDB's
FSST/dictionary, Dagster's zlib-compressed snapshots) can hide a string from
a byte search. The same compression makes their raw bytes look random: a
three- or four-byte pattern (`ﾀﾛｳ` in Shift_JIS, `Li` in ASCII) turned up
in a 140 KB run storage by chance about once in two hundred erasures, and
the erasure said the person's data was left there. So in those files the
byte search looks only for what such a file stores as bytes (UTF-8 and
JSON escapes) and only patterns of CHANCE_FREE_BYTES or more; their
cells, decompressed, are searched for every form. Findings name the file
and which searched value (by index), never the value.

Names and emails are searched as words (governance.word_boundaries): a
name inside another word (an email address, a longer name), or an email
inside a longer one, is someone else's, not the person's residue. Phones and
addresses are searched as substrings.
"""

from __future__ import annotations

import json
import os
import sqlite3
import unicodedata
import zlib
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from governance.word_boundaries import bytes_hold_word, json_unescaped, occurs_as_word
from ingestion.decoding import SINGLE_BYTE_ENCODINGS

ENCODINGS = ("utf-8", "utf-16-le", "utf-16-be", "cp932", "euc_jp", *sorted(SINGLE_BYTE_ENCODINGS))
"""Every encoding an export may be in (`nayose_config.model.SOURCE_ENCODINGS`,
by Python's codec names; UTF-16 in both byte orders)."""

CHANCE_FREE_BYTES = 6
"""The shortest byte pattern searched in the raw bytes of a file also read
as tables: 140 KB of compressed pages hold a given 6-byte pattern by chance
once in some 2e9 searches (a 3-byte one once in 120)."""

TABLE_FILE_ENCODINGS = frozenset({"utf-8", "json"})
"""How Parquet, DuckDB and SQLite (Dagster's) store text as bytes."""

_SQLITE_MAGIC = b"SQLite format 3\x00"

_FULL_WIDTH_OFFSET = 0xFEE0  # '!'..'~' -> '！'..'～'


@dataclass(frozen=True)
class Residual:
    """`path` still holds searched value number `value_index` (`how`: encoding or `table`)."""

    path: Path
    value_index: int
    how: str


def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + _FULL_WIDTH_OFFSET) if "!" <= c <= "~" else ("\u3000" if c == " " else c) for c in text)


def _half_width_table() -> dict[str, str]:
    # NFKC folds half-width kana to full-width; the reverse table is built from NFKC itself.
    table = {unicodedata.normalize("NFKC", chr(cp)): chr(cp) for cp in range(0xFF66, 0xFF9E)}
    table |= {unicodedata.normalize("NFKC", chr(cp) + "\uff9e"): chr(cp) + "\uff9e" for cp in range(0xFF66, 0xFF9E)}
    table |= {unicodedata.normalize("NFKC", chr(cp) + "\uff9f"): chr(cp) + "\uff9f" for cp in range(0xFF8A, 0xFF8F)}
    return {full: half for full, half in table.items() if len(full) == 1}


_HALF_WIDTH = _half_width_table()


def _half_width_kana(text: str) -> str:
    return "".join(_HALF_WIDTH.get(c, c) for c in text)


def text_variants(value: str) -> set[str]:
    """`value` as written, NFKC-folded, lower-cased, full-width and half-width-kana forms."""
    forms = {value, unicodedata.normalize("NFKC", value), value.lower()}
    forms |= {_full_width(f) for f in list(forms)} | {_half_width_kana(f) for f in list(forms)}
    return {f for f in forms if f}


def _encoded_variants(value: str) -> set[tuple[bytes, str, str]]:
    """(bytes, text form, encoding) for every text variant of `value` in every
    encoding (variants an encoding cannot represent are skipped), and for its
    ASCII JSON escape (`\\u5c71...`, encoding `json`)."""
    out = set()
    for form in text_variants(value):
        out.add((json.dumps(form, ensure_ascii=True)[1:-1].encode("ascii"), form, "json"))
        for encoding in ENCODINGS:
            try:
                out.add((form.encode(encoding), form, encoding))
            except UnicodeEncodeError:
                continue
    return out


def _bytes_hit(data: bytes, variants: set[tuple[bytes, str, str]], as_word: bool) -> bool:
    if as_word:
        return any(pattern in data and bytes_hold_word(data, pattern, form, encoding) for pattern, form, encoding in variants)
    return any(pattern in data for pattern, _form, _encoding in variants)


def _table_strings_hit(frame: pl.DataFrame, forms: list[str], as_word: bool = False) -> bool:
    text = [c for c, t in frame.schema.items() if t == pl.Utf8]
    if not text or not frame.height:
        return False
    if as_word:  # the few cells holding a form at all, then each looked at word by word
        cells = {v for c in text for v in frame.get_column(c).filter(frame.get_column(c).str.contains_any(forms).fill_null(False))}
        return any(occurs_as_word(cell, form) for cell in cells for form in forms)
    hit = pl.any_horizontal([pl.col(c).str.contains_any(forms).fill_null(False) for c in text])
    return bool(frame.select(hit.any()).item())


def _values_in_table(frame: pl.DataFrame, forms_by_value: list[list[str]], words: list[bool]) -> set[int]:
    """The indexes of the searched values a table's string cells hold."""
    return {i for i, forms in enumerate(forms_by_value) if _table_strings_hit(frame, forms, words[i])}


def _parquet_hits(path: Path, forms_by_value: list[list[str]], words: list[bool]) -> list[int]:
    try:
        frame = pl.read_parquet(path)
    except Exception:  # not readable as Parquet: the byte search still covers it
        return []
    frame = frame.with_columns(pl.col(c).cast(pl.Utf8) for c, t in frame.schema.items() if t != pl.Utf8 and t.is_temporal())
    return sorted(_values_in_table(frame, forms_by_value, words))


def _duckdb_hits(path: Path, forms_by_value: list[list[str]], words: list[bool]) -> list[int]:
    try:
        con = duckdb.connect(str(path), read_only=True)
    except Exception:  # locked or not a DuckDB file: the byte search still covers it
        return []
    hits: set[int] = set()
    try:
        tables = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()]
        for table in tables:
            frame = pl.from_arrow(con.sql(f'SELECT * FROM "{table}"').to_arrow_table())
            hits |= _values_in_table(frame, forms_by_value, words)
    finally:
        con.close()
    return sorted(hits)


def _cell_text(value: object) -> str | None:
    """A SQLite cell as text: text as it is, a blob zlib-decompressed when it
    is compressed (Dagster's snapshots) and decoded when it is UTF-8; JSON's
    `\\uXXXX` escapes (Dagster's serialized records) unescaped."""
    if isinstance(value, bytes):
        try:
            value = zlib.decompress(value)
        except zlib.error:
            pass
        try:
            value = value.decode("utf-8")
        except UnicodeDecodeError:
            return None
    if not isinstance(value, str):
        return None
    return json_unescaped(value) if "\\u" in value else value


def _sqlite_hits(path: Path, forms_by_value: list[list[str]], words: list[bool]) -> list[int]:
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:  # the byte search still covers it
        return []
    hits: set[int] = set()
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            cells = [text for row in con.execute(f'SELECT * FROM "{table}"') for text in map(_cell_text, row) if text]
            hits |= _values_in_table(pl.DataFrame({"cell": cells}, schema={"cell": pl.Utf8}), forms_by_value, words)
    except sqlite3.Error:  # locked or damaged: the byte search still covers it
        pass
    finally:
        con.close()
    return sorted(hits)


def _table_reader(data: bytes):
    """How a file is read as tables, from its first bytes (None: it is not)."""
    if data[:4] == b"PAR1":
        return _parquet_hits
    if data[8:12] == b"DUCK":
        return _duckdb_hits
    if data[:16] == _SQLITE_MAGIC:
        return _sqlite_hits
    return None


def _stored_as_bytes(variants: set[tuple[bytes, str, str]]) -> set[tuple[bytes, str, str]]:
    """The variants a file read as tables may hold as raw bytes by more than chance."""
    return {v for v in variants if v[2] in TABLE_FILE_ENCODINGS and len(v[0]) >= CHANCE_FREE_BYTES}


def _searched_files(root: Path) -> list[Path]:
    """Every file under `root` but those of a git repository's `.git` folder and
    of Python virtual environments (a folder holding `pyvenv.cfg`): the project
    writes nothing there. A repository that is also the project (the README's
    `make run`) would otherwise have some 18,000 library files searched, where
    a short value (a four-letter given name) turns up in code and binaries."""
    files = []
    for folder, subfolders, names in os.walk(root):
        if "pyvenv.cfg" in names:
            subfolders[:] = []
            continue
        subfolders[:] = [name for name in subfolders if name != ".git"]
        files += [Path(folder) / name for name in names]
    return sorted(p for p in files if p.is_file())


def find_residuals(
    root: Path, values: Sequence[str], *, skip: Iterable[Path] = (), words: Collection[str] = ()
) -> list[Residual]:
    """Every file under `root` (except those under a `skip` path, a `.git`
    folder or a virtual environment) that holds any of `values` in any
    variant: raw bytes in any searched encoding, or a string cell of a Parquet,
    DuckDB or SQLite table (whose raw bytes are searched for `_stored_as_bytes` only). Those of `values` also in `words` (names, emails) count only
    where they stand as a word (governance.word_boundaries). Empty values are
    ignored."""
    values = [v for v in values if v and v.strip()]
    patterns = [_encoded_variants(v) for v in values]
    table_file_patterns = [_stored_as_bytes(variants) for variants in patterns]
    forms_by_value = [sorted(text_variants(v)) for v in values]
    as_word = [v in words for v in values]
    skipped = [Path(s).resolve() for s in skip]
    found: list[Residual] = []
    for path in _searched_files(Path(root)):
        resolved = path.resolve()
        if any(resolved == s or s in resolved.parents for s in skipped):
            continue
        data = path.read_bytes()
        reader = _table_reader(data)
        for index, variants in enumerate(patterns if reader is None else table_file_patterns):
            if _bytes_hit(data, variants, as_word[index]):
                found.append(Residual(path, index, "bytes"))
        if reader is not None:
            found += [Residual(path, i, "table") for i in reader(path, forms_by_value, as_word)]
    return found
