"""Map a source's columns onto the canonical customer fields with DuckDB SQL.

Each canonical field maps to a source column name or a DuckDB SQL expression
over the source's columns (all text). A mapped column the file lacks is an
error naming the file and the column: it would otherwise silently empty a field.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import unicodedata

import duckdb
import polars as pl

from ingestion.decoding import header_encoding_hint
from ingestion.errors import IngestError
from ingestion.parsing import ROW_COLUMN, whole_number_text
from nayose_config import CANONICAL_FIELDS, SourceConfig
from resolution.standardization.national_ids import (
    is_my_number_id,
    national_id_text,
    national_id_type,
)

log = logging.getLogger(__name__)

_BARE_NAME = re.compile(r"^[^\s()'\",+*/|=<>!-]+$")
_MISSING_COLUMN = re.compile(r'Referenced column "([^"]+)" not found')

LINEAGE_COLUMNS = ("record_key", "source_system", "source_record_id", "source_file", "source_row", "file_hash", "source_country", "source_date_order", "source_name_order")


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


DELIMITER_CANDIDATES = (";", "\t", "|", ",")
"""Delimiters an export may use that its `nayose.yaml` does not say."""


def delimiter_hint(columns: list[str]) -> str:
    """A hint when the file's header read as one column that holds a
    delimiter (`Kundennr;Nachname;Vorname`: a semicolon file read with the
    default comma): the fix is the source's `delimiter`, not its mapping."""
    if len(columns) != 1:
        return ""
    found = [c for c in DELIMITER_CANDIDATES if c in columns[0]]
    if not found:
        return ""
    shown = "\\t" if found[0] == "\t" else found[0]
    return f" (the header read as one column holding '{shown}': set the source's `delimiter: \"{shown}\"` in nayose.yaml)"


def _width_folded(name: str) -> str:
    return unicodedata.normalize("NFKC", name).casefold()


def column_sql(value: str, columns: list[str], *, display_name: str, field: str, encoding: str | None = None) -> str:
    """SQL for one mapping value: the quoted column when `value` names one
    (exactly, else case-insensitively, else with full- and half-width
    characters alike), else `value` as an expression. A missing column is
    refused with a hint at the file's `encoding` (as declared) where another
    encoding reads the column in its header (`header_encoding_hint`)."""
    if value in columns:
        return _quote(value)
    folded = [c for c in columns if c.casefold() == value.casefold()]
    if len(folded) == 1:
        return _quote(folded[0])
    # then as NFKC folds width: `顧客CD` names the header `顧客ＣＤ`, `電話番号（携帯）` the header `電話番号(携帯)`
    widths = [c for c in columns if _width_folded(c) == _width_folded(value)]
    if len(widths) == 1:
        return _quote(widths[0])
    if _BARE_NAME.match(value):
        numbered = [c for c in columns if re.fullmatch(re.escape(value) + r"_\d+", c)]
        repeated = (  # numbered by parsing, or so named in the file: both read the same
            f"columns named like it are {', '.join(numbered)} (a header name that repeats is read numbered): "
            "map the one meant"
            if len(numbered) > 1
            else f"columns are: {', '.join(columns)}"
        )
        raise IngestError(
            display_name,
            f"canonical field '{field}' maps to a column the file does not have; {repeated}{delimiter_hint(columns)}"
            + (header_encoding_hint(columns, value, encoding) if encoding else ""),
            column=value,
        )
    return f"({value})"


def missing_columns(raw_columns: list[str], source: SourceConfig) -> list[str]:
    """Mapped plain column names (and the id column) that the file lacks."""
    wanted = [source.id] + [v for v in source.fields.values() if _BARE_NAME.match(v)]
    lower = {c.casefold() for c in raw_columns}
    return [w for w in dict.fromkeys(wanted) if w not in raw_columns and w.casefold() not in lower]


def _failing_fields(con: duckdb.DuckDBPyConnection, expressions: dict[str, str]) -> list[str]:
    """The fields whose expression fails over `raw_export` on its own (the
    error itself is not kept: DuckDB's message may quote a value)."""
    failing = []
    for field, sql in expressions.items():
        try:
            con.sql(f"SELECT {sql} FROM raw_export").fetchall()
        except duckdb.Error:
            failing.append(field)
    return failing


MULTI_LINE_FIELDS = ("address_line", "building", "city")
"""Fields people write on several lines (an address typed with Alt+Enter in
Excel, which its CSV quotes whole): their lines are joined with a space.
A line break in any other field is parse damage as often as not, and is
refused by `no_control_characters`."""


def _one_line(field: str) -> pl.Expr:
    value = pl.col(field)
    return value.str.replace_all(r"[ \t]*[\r\n]+[ \t]*", " ") if field in MULTI_LINE_FIELDS else value


_database: tuple[int, duckdb.DuckDBPyConnection] | None = None
_database_lock = threading.Lock()


def _mapping_cursor() -> duckdb.DuckDBPyConnection:
    """A cursor of its own on this process's in-memory DuckDB database, for one
    export's mapping: what it registers no other cursor sees, and closing it
    leaves nothing behind. Starting a database costs 15-25 ms, once per export
    before (4 a night); it is started once per process (a forked child starts
    its own)."""
    global _database
    with _database_lock:
        if _database is None or _database[0] != os.getpid():
            _database = (os.getpid(), duckdb.connect())
        return _database[1].cursor()


def map_to_canonical(
    raw: pl.DataFrame,
    source: SourceConfig,
    *,
    display_name: str,
    file_hash: str,
    consent_fields: tuple[str, ...] = (),
) -> pl.DataFrame:
    """Return lineage columns, `is_deleted` (the source's `deleted_when`, else
    false) and every canonical field (null where unmapped), all text. Raises `IngestError` naming the file and column on a missing
    column or a failing expression."""
    columns = [c for c in raw.columns if c != ROW_COLUMN]
    id_sql = column_sql(source.id, columns, display_name=display_name, field="id", encoding=source.encoding)
    wanted = list(CANONICAL_FIELDS) + [f for f in consent_fields if f not in CANONICAL_FIELDS]
    expressions = {
        f: f"CAST({column_sql(source.fields[f], columns, display_name=display_name, field=f, encoding=source.encoding)} AS VARCHAR)"
        for f in wanted
        if f in source.fields
    }
    selects = [f"{expressions.get(f, 'CAST(NULL AS VARCHAR)')} AS {_quote(f)}" for f in wanted]
    deleted_sql = (
        f"coalesce(CAST(({source.deleted_when}) AS BOOLEAN), false)" if source.deleted_when else "false"
    )
    sql = (
        f"SELECT trim(CAST({id_sql} AS VARCHAR)) AS source_record_id, {_quote(ROW_COLUMN)} AS source_row, "
        + ", ".join(selects)
        + f", {deleted_sql} AS is_deleted FROM raw_export"
    )
    con = _mapping_cursor()
    try:
        con.register("raw_export", raw.to_arrow())
        mapped = pl.from_arrow(con.sql(sql).to_arrow_table())
    except duckdb.Error as exc:
        missing = _MISSING_COLUMN.search(str(exc))
        if missing:
            raise IngestError(
                display_name,
                f"a field expression refers to a column the file does not have; columns are: {', '.join(columns)}"
                + delimiter_hint(columns)
                + header_encoding_hint(columns, missing.group(1), source.encoding),
                column=missing.group(1),
            ) from None
        failing = _failing_fields(con, {"id": f"CAST({id_sql} AS VARCHAR)", **expressions, "deleted_when": deleted_sql})
        raise IngestError(
            display_name,
            f"a field expression failed in DuckDB ({type(exc).__name__}); check "
            + (f"`{', '.join(failing)}` in " if failing else "`fields` of ")
            + f"source '{source.name}'",
        ) from None
    finally:
        con.close()
    assert isinstance(mapped, pl.DataFrame)
    mapped = mapped.with_columns(
        [_one_line(f).str.strip_chars().replace("", None).alias(f) for f in wanted]
    ).with_columns(
        # an id the export wrote as a float (`12345.0`: pandas' CSV of an id column with a gap) is the
        # whole number, so a night that writes `12345` re-delivers the same record
        whole_number_text(pl.col("source_record_id")).replace("", None)
    )
    return without_my_numbers(mapped, source, display_name).select(
        record_key=pl.lit(source.name + ":") + pl.col("source_record_id"),
        source_system=pl.lit(source.name),
        source_record_id=pl.col("source_record_id"),
        source_file=pl.lit(display_name),
        source_row=pl.col("source_row").cast(pl.Int64),
        file_hash=pl.lit(file_hash),
        source_country=pl.lit(source.country),
        source_date_order=pl.lit(source.date_order, pl.Utf8),
        source_name_order=pl.lit(source.name_order, pl.Utf8),
        is_deleted=pl.col("is_deleted").cast(pl.Boolean),
        *[pl.col(f) for f in wanted],
    )


def without_my_numbers(mapped: pl.DataFrame, source: SourceConfig, display_name: str) -> pl.DataFrame:
    """`mapped` with a Japanese My Number mapped to `national_id` taken out
    (its type too): the My Number Act lets it be held for statutory purposes
    only, and an export whose column holds them is refused before this
    unless `privacy.allowed_sensitive_columns` allows it for one of those;
    allowed there, it is still no identifier to match on, so it is never
    stored with the record. Says how many, never which."""
    number = national_id_text(pl.col("national_id"))
    refused = is_my_number_id(number, national_id_type(pl.col("national_id_type")), pl.lit(source.country, pl.Utf8))
    count = mapped.select(refused.sum()).item()
    if not count:
        return mapped
    log.warning("%s: %d My Number(s) mapped to national_id not kept (the My Number Act)", display_name, count)
    return mapped.with_columns(
        pl.when(refused).then(None).otherwise(pl.col(f)).alias(f) for f in ("national_id", "national_id_type")
    )
