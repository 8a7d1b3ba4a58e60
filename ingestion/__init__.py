"""Ingestion: find exports, decode, parse, map onto canonical fields (no Dagster)."""

from ingestion.errors import IngestError
from ingestion.exports import ExportFile, find_export_files, known_hashes, read_export
from ingestion.mapping import LINEAGE_COLUMNS, map_to_canonical, missing_columns

__all__ = [
    "ExportFile",
    "IngestError",
    "LINEAGE_COLUMNS",
    "find_export_files",
    "known_hashes",
    "map_to_canonical",
    "missing_columns",
    "read_export",
]
