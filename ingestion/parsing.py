"""Parse a decoded export into an all-text polars frame with row numbers.

Headers and values are trimmed of surrounding whitespace; empty values are
null. `source_row` is the 1-based data row (CSV: header not counted; JSON
lines: the line number).
"""

from __future__ import annotations

import csv
import json
import re
import tempfile
from collections import Counter
from pathlib import Path

import polars as pl

from ingestion.errors import IngestError

ROW_COLUMN = "source_row"

EMPTY_HEADER = "a header cell is empty; every column needs a name"


def _without_trailing_empty_column(frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` without a last column that has no name and no value, as a CSV
    whose every line ends with the delimiter (`a;b;`) gives."""
    last = frame.columns[-1] if frame.width else None
    if last is None or str(last).strip():
        return frame
    empty = frame.get_column(last).str.strip_chars().replace("", None).null_count() == frame.height
    return frame.drop(last) if empty else frame


def numbered_headers(names: list[str]) -> list[str]:
    """`names` with a name that repeats numbered wherever it appears (`住所,
    住所` -> `住所_1, 住所_2`, a number another column has skipped), so that a
    mapping names the column it means: the bare name is then no column, and
    mapping it fails listing the numbered ones (`mapping.column_sql`) instead
    of one being taken silently. Empty names are left as they are."""
    repeated = {n for n, count in Counter(names).items() if count > 1 and n}
    taken, last = set(names), dict.fromkeys(repeated, 0)
    numbered = []
    for name in names:
        if name in repeated:
            last[name] += 1
            while f"{name}_{last[name]}" in taken:
                last[name] += 1
            name = f"{name}_{last[name]}"
            taken.add(name)
        numbered.append(name)
    return numbered


def _trimmed(frame: pl.DataFrame, display_name: str) -> pl.DataFrame:
    names = [str(c).strip().removeprefix("\ufeff").strip() for c in frame.columns]
    if "" in names:
        raise IngestError(display_name, EMPTY_HEADER)
    frame = frame.rename(dict(zip(frame.columns, numbered_headers(names))))
    return frame.with_columns(
        [
            pl.col(c).cast(pl.Utf8).str.strip_chars().replace("", None).alias(c)
            for c in frame.columns
            if c != ROW_COLUMN
        ]
    )


def without_blank_rows(frame: pl.DataFrame) -> tuple[pl.DataFrame, int]:
    """`frame` less its wholly blank rows (every cell null once trimmed: the
    empty lines and `,,,,` rows a spreadsheet leaves), and how many there
    were. A blank row holds nothing to quarantine; the other rows keep their
    `source_row`."""
    cells = [c for c in frame.columns if c != ROW_COLUMN]
    if not cells or not frame.height:
        return frame, 0
    blank = pl.all_horizontal(pl.col(c).is_null() for c in cells)
    kept = frame.filter(~blank)
    return kept, frame.height - kept.height


EXCEL_SEPARATOR_LINE = re.compile(r"^\ufeff?sep=(.)\r?\n?$")
"""The line Excel reads a CSV's delimiter from and some exports start with (`sep=;`)."""


def excel_separator(first_line: str) -> str | None:
    """The delimiter a `sep=` first line names, else None."""
    found = EXCEL_SEPARATOR_LINE.match(first_line)
    return found.group(1) if found else None


def _csv_header(path: Path, delimiter: str, display_name: str) -> tuple[int, list[str]]:
    """The lines before the header (1 after Excel's `sep=` line naming
    `delimiter`, else 0; a `sep=` line naming another delimiter is refused)
    and the header cells as written (polars renames repeats, which would hide them)."""
    with open(path, encoding="utf-8", newline="") as fh:
        named = excel_separator(fh.readline())
        if named is not None and named != delimiter:
            raise IngestError(
                display_name,
                f"the file's first line says its delimiter is {named!r} (sep={named}), the source declares "
                f"{delimiter!r}; set the source's `delimiter` in nayose.yaml",
                row=1,
            )
        if named is None:
            fh.seek(0)
        return (0 if named is None else 1), next(csv.reader(fh, delimiter=delimiter), [])


def parse_csv(path: Path, *, delimiter: str, display_name: str) -> pl.DataFrame:
    """Read a UTF-8 CSV with every column as text. A first line `sep=;`, as
    Excel writes to name the delimiter, is not the header and is skipped."""
    skipped, cells = _csv_header(path, delimiter, display_name)
    header = [h.strip() for h in cells]
    if header.count("") > 1:  # one may be the unnamed last column of lines ending with the delimiter
        raise IngestError(display_name, EMPTY_HEADER)
    try:
        frame = pl.read_csv(
            path,
            separator=delimiter,
            infer_schema=False,
            raise_if_empty=False,
            skip_rows=skipped,
            new_columns=numbered_headers(header),  # polars would call a repeat `name_duplicated_0`
        )
    except pl.exceptions.PolarsError:
        where = _first_malformed_csv_line(path, delimiter, len(header), skipped)
        raise IngestError(
            display_name, f"not a well-formed CSV{f' ({where})' if where else ''}; check the delimiter and quoting"
        ) from None
    if frame.width == 0:
        raise IngestError(display_name, "the file is empty (no header row)")
    frame = frame.with_row_index(ROW_COLUMN, offset=1).with_columns(pl.col(ROW_COLUMN).cast(pl.Int64))
    return _trimmed(_without_trailing_empty_column(frame), display_name)


def _first_malformed_csv_line(path: Path, delimiter: str, width: int, skipped: int = 0) -> str | None:
    """Where the CSV first goes wrong, by line of the file (the header is line
    1, after `skipped` lines before it): a row whose field count differs from
    the header's, or quoting that does not close. No cell value is quoted."""
    with open(path, encoding="utf-8", newline="") as fh:
        for _ in range(skipped):
            fh.readline()
        reader = csv.reader(fh, delimiter=delimiter, strict=True)
        try:
            for row in reader:
                if reader.line_num > 1 and row and len(row) != width:
                    return f"line {reader.line_num + skipped} has {len(row)} fields, the header {width}"
        except csv.Error:
            return f"quoting breaks at line {reader.line_num + skipped}"
    return None


def _first_bad_json_line(path: Path) -> int | None:
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if line.strip():
                try:
                    value = json.loads(line)
                except json.JSONDecodeError:
                    return number
                if not isinstance(value, dict):
                    return number
    return None


WHOLE_NUMBER_AS_FLOAT = r"^([+-]?\d+)\.0+$"
"""A whole number as a float column writes it (`12345.0`)."""

_EXACT_FLOAT_INTEGERS = 2.0**53
"""Below this, every whole float is the integer it shows."""


def whole_number_text(text: pl.Expr) -> pl.Expr:
    """Text of a whole number without a float's `.0` (`12345.0` -> `12345`,
    as pandas writes an id column of floats to CSV); any other text as it is."""
    return text.str.replace(WHOLE_NUMBER_AS_FLOAT, "$1")


def _float_as_text(col: pl.Expr) -> pl.Expr:
    """A float as the number it holds: a whole one as an integer (`12345.0`,
    `2.9e9` -> `12345`, `2900000001`: a Parquet or JSON export of an id, phone,
    code or yyyymmdd date column that pandas stored as floats because a value
    was missing), others as polars writes them; NaN and an infinity as null."""
    whole = col.is_finite() & (col == col.floor()) & (col.abs() < _EXACT_FLOAT_INTEGERS)
    return pl.when(col.is_nan() | col.is_infinite()).then(None).when(whole).then(col.cast(pl.Int64).cast(pl.Utf8)).otherwise(col.cast(pl.Utf8))


def _as_text(column: str, dtype: pl.DataType) -> pl.Expr:
    """Scalars as text (a float as `_float_as_text` writes it); nested values
    (objects, lists) as their JSON text; null stays null."""
    col = pl.col(column)
    if dtype.is_float():
        return _float_as_text(col).alias(column)
    if not isinstance(dtype, (pl.Struct, pl.List, pl.Array)):
        return col.cast(pl.Utf8).alias(column)
    # json_encode works on structs: wrap the value as {"v": value} and cut the wrapper off.
    wrapped = pl.struct(col.alias("v")).struct.json_encode()
    return pl.when(col.is_null()).then(None).otherwise(wrapped.str.slice(5).str.slice(0, wrapped.str.len_chars() - 6)).alias(column)


def is_json_array(text_start: str) -> bool:
    """Whether a JSON export is one array of objects (`[{...}, {...}]`, as web
    APIs export) rather than JSON lines: its first character says so."""
    return text_start.lstrip("\ufeff \t\r\n").startswith("[")


def json_array_objects(text: str, *, display_name: str) -> list[dict]:
    """The objects of a JSON array export, refused naming the line of a syntax
    error or the number of an element that is not an object (never a value)."""
    try:
        values = json.loads(text.removeprefix("\ufeff"))
    except json.JSONDecodeError as exc:
        raise IngestError(display_name, "not readable as a JSON array (a syntax error)", row=exc.lineno) from None
    if not isinstance(values, list):
        raise IngestError(display_name, "the file is JSON but not an array of objects or JSON lines")
    bad = next((number for number, value in enumerate(values, start=1) if not isinstance(value, dict)), None)
    if bad is not None:
        raise IngestError(display_name, f"element {bad} of the JSON array is not an object; each must be one customer")
    return values


def parse_jsonl(path: Path, *, display_name: str) -> pl.DataFrame:
    """Read JSON lines (one object per line); nested values become JSON text.
    polars reads the file; only when it refuses one is the file scanned line by
    line in Python, to name the offending line. A file that is one JSON array
    of objects is read too, its elements numbered as rows from 1."""
    with open(path, encoding="utf-8") as fh:
        if is_json_array(fh.read(1024)):
            fh.seek(0)
            objects = json_array_objects(fh.read(), display_name=display_name)
            return _parsed_json_array(objects, display_name)
    with open(path, encoding="utf-8") as fh:
        line_numbers = [n for n, line in enumerate(fh, start=1) if line.strip()]
    if not line_numbers:
        raise IngestError(display_name, "the file holds no JSON objects")
    try:
        frame = pl.read_ndjson(path, infer_schema_length=None)
    except pl.exceptions.PolarsError as exc:
        bad = _first_bad_json_line(path)
        if bad is not None:
            raise IngestError(display_name, "not a JSON object on this line; each line must be one JSON object", row=bad) from None
        # polars' own message can quote a value: name the kind of failure only
        raise IngestError(
            display_name,
            f"not readable as JSON lines ({type(exc).__name__}): a field holds objects or lists on some lines "
            "and plain values on others",
        ) from None
    if frame.height != len(line_numbers):  # never seen; the row numbers would be wrong, so refuse
        raise IngestError(display_name, f"read {frame.height} objects from {len(line_numbers)} non-empty lines")
    frame = frame.with_columns(
        [_as_text(c, dtype) for c, dtype in frame.schema.items()]
    ).with_columns(pl.Series(ROW_COLUMN, line_numbers, dtype=pl.Int64))
    return _trimmed(frame, display_name)


def _parsed_json_array(objects: list[dict], display_name: str) -> pl.DataFrame:
    """A JSON array's objects as JSON lines in a scratch file, read as `parse_jsonl` reads them."""
    if not objects:
        raise IngestError(display_name, "the file holds no JSON objects")
    with tempfile.TemporaryDirectory(prefix="nayose-json-") as scratch:
        lines = Path(scratch) / "array.jsonl"
        lines.write_text("".join(json.dumps(value, ensure_ascii=False) + "\n" for value in objects), encoding="utf-8")
        return parse_jsonl(lines, display_name=display_name)


def parse_parquet(path: Path, *, display_name: str) -> pl.DataFrame:
    """Read Parquet with every column as text, as `_as_text` writes it."""
    try:
        frame = pl.read_parquet(path)
    except pl.exceptions.PolarsError as exc:
        raise IngestError(display_name, f"not a readable Parquet file ({type(exc).__name__})") from None
    frame = frame.with_columns([_as_text(c, dtype) for c, dtype in frame.schema.items()])
    frame = frame.with_row_index(ROW_COLUMN, offset=1).with_columns(pl.col(ROW_COLUMN).cast(pl.Int64))
    return _trimmed(frame, display_name)
