"""Errors a data engineer can meet while ingesting an export."""

from __future__ import annotations


class IngestError(Exception):
    """An export cannot be read or mapped. The message names the file and,
    where known, the row and column, and says what to do. Never carries
    cell values (they may be personal data)."""

    def __init__(self, file: str, message: str, *, row: int | None = None, column: str | None = None):
        where = file + (f", row {row}" if row is not None else "") + (f", column '{column}'" if column else "")
        super().__init__(f"{where}: {message}")
        self.file = file
        self.row = row
        self.column = column
