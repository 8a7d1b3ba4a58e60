"""Find a source's export files and read one into an all-text frame."""

from __future__ import annotations

import glob
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from ingestion.decoding import decode_to_utf8, file_sha256
from ingestion.errors import IngestError
from ingestion.parsing import parse_csv, parse_jsonl, parse_parquet
from nayose_config import SourceConfig, resolve_source_glob


@dataclass(frozen=True)
class ExportFile:
    source_system: str
    path: Path
    display_name: str  # relative to the project dir when inside it
    file_hash: str
    size: int = 0
    mtime_ns: int = 0


def find_export_files(
    project_dir: Path, source: SourceConfig, known: Mapping[tuple[str, int, int], str] | None = None
) -> list[ExportFile]:
    """Every file matching the source's glob, sorted by name, with its hash.

    `known` maps (display name, size, modification time in ns) to the hash
    recorded when a file was ingested: a file with the same name, size and
    time is not read again (the quick check rsync and make use), so a folder
    that keeps months of exports costs a `stat` per old file, not a read."""
    pattern = resolve_source_glob(project_dir, source)
    found = []
    for name in sorted(glob.glob(pattern, recursive=True)):
        path = Path(name)
        if not path.is_file():
            continue
        try:
            display = str(path.resolve().relative_to(Path(project_dir).resolve()))
        except ValueError:
            display = str(path)
        stat = path.stat()
        stamp = (display, stat.st_size, stat.st_mtime_ns)
        file_hash = (known or {}).get(stamp) or file_sha256(path)
        found.append(ExportFile(source.name, path, display, file_hash, stat.st_size, stat.st_mtime_ns))
    return found


def known_hashes(ledger: pl.DataFrame | None) -> dict[tuple[str, int, int], str]:
    """(display name, size, modification time) -> hash, from the ingestion
    ledger's rows that recorded size and time (older rows did not)."""
    columns = ("source_file", "file_size", "file_mtime_ns", "file_hash")
    if ledger is None or not all(c in ledger.columns for c in columns):
        return {}
    rows = ledger.select(columns).drop_nulls()
    return {(name, int(size), int(mtime)): digest for name, size, mtime, digest in rows.iter_rows()}


def with_column_aliases(raw: pl.DataFrame, aliases: Mapping[str, tuple[str, ...]], *, display_name: str) -> pl.DataFrame:
    """`raw` with each aliased column under its configured name: a file that
    lacks the column (compared case-insensitively) but has one of its
    aliases reads that one instead. Refuses (`IngestError`) a file holding
    the column under two of its names, which would leave the choice to chance."""
    folded = {c.casefold(): c for c in raw.columns}
    renames = {}
    for column, others in aliases.items():
        present = [folded[n.casefold()] for n in (column, *others) if n.casefold() in folded]
        if len(present) > 1:
            raise IngestError(display_name, f"the file has {len(present)} names of one column: {', '.join(present)}; keep one")
        if present and present[0].casefold() != column.casefold():
            renames[present[0]] = column
    return raw.rename(renames) if renames else raw


def read_export(export: ExportFile, source: SourceConfig) -> pl.DataFrame:
    """Decode and parse one export: every column as trimmed text plus
    `source_row`, columns renamed by the source's `column_aliases`."""
    return with_column_aliases(_parsed_export(export, source), source.column_aliases, display_name=export.display_name)


def _parsed_export(export: ExportFile, source: SourceConfig) -> pl.DataFrame:
    if source.format == "parquet":
        return parse_parquet(export.path, display_name=export.display_name)
    with tempfile.TemporaryDirectory(prefix="nayose-decode-") as tmp:
        utf8 = Path(tmp) / "export.utf8"
        decode_to_utf8(export.path, source.encoding, utf8, display_name=export.display_name)
        if source.format == "csv":
            return parse_csv(utf8, delimiter=source.delimiter, display_name=export.display_name)
        if source.format == "jsonl":
            return parse_jsonl(utf8, display_name=export.display_name)
    raise IngestError(export.display_name, f"unsupported format {source.format!r}")
