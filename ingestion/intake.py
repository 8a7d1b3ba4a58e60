"""Taking in one export file: read, refuse sensitive columns, map, screen out
erased people, keep a landing copy. The order matters: nothing refused or
suppressed is ever written."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from governance.sensitive import find_sensitive_columns, refusal_message
from governance.suppression import screen_suppressed
from ingestion.errors import IngestError
from ingestion.exports import ExportFile, read_export
from ingestion.mapping import map_to_canonical
from ingestion.parsing import without_blank_rows
from nayose_config import NayoseConfig, SourceConfig
from warehouse import ProjectPaths


@dataclass(frozen=True)
class TakenExport:
    mapped: pl.DataFrame  # lineage + canonical fields, suppressed people removed
    suppressed: pl.DataFrame  # quarantine rows (no values) of people on the suppression list
    blank_rows: int = 0  # wholly blank rows skipped (empty lines, `,,,,`): neither records nor quarantined


def take_in_export(export: ExportFile, source: SourceConfig, config: NayoseConfig, paths: ProjectPaths) -> TakenExport:
    """Read, check and map one export; write its landing copy. Wholly blank
    rows are skipped and counted. Raises `IngestError` (file and column named,
    no values) for unreadable files, unmapped columns and sensitive columns
    the config does not allow."""
    raw, blank_rows = without_blank_rows(read_export(export, source))
    findings = find_sensitive_columns(raw, config.privacy.allowed_columns(source.name))
    if findings:
        message = refusal_message(source.name, export.display_name, findings)
        raise IngestError(export.display_name, message.removeprefix(f"{export.display_name}: "))
    mapped = map_to_canonical(
        raw, source, display_name=export.display_name, file_hash=export.file_hash, consent_fields=config.consent_fields
    )
    screened = screen_suppressed(paths, raw, mapped)
    landing = paths.raw / source.name / f"{export.file_hash}.parquet"
    landing.parent.mkdir(parents=True, exist_ok=True)
    screened.raw.write_parquet(landing)
    return TakenExport(mapped=screened.mapped, suppressed=screened.quarantine, blank_rows=blank_rows)
