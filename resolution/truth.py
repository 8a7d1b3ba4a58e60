"""Ground truth for evaluation: from a file, or from a column of the exports."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

from ingestion.mapping import column_sql
from nayose_config import NayoseConfig
from warehouse import ProjectPaths


def truth_from_file(path: Path, *, id_column: str = "person_id") -> pl.DataFrame:
    """`record_key, truth_id` from a CSV or Parquet file holding `source_system`,
    `source_record_id` and `id_column`. Refuses (ValueError) a file lacking them."""
    frame = pl.read_parquet(path) if path.suffix == ".parquet" else pl.read_csv(path, infer_schema=False)
    missing = [c for c in ("source_system", "source_record_id", id_column) if c not in frame.columns]
    if missing:
        raise ValueError(f"{path}: truth file lacks column(s) {missing}")
    return frame.select(
        record_key=pl.col("source_system").cast(pl.Utf8) + ":" + pl.col("source_record_id").cast(pl.Utf8).str.strip_chars(),
        truth_id=pl.col(id_column).cast(pl.Utf8),
    )


def truth_from_column(paths: ProjectPaths, config: NayoseConfig, column: str) -> pl.DataFrame:
    """`record_key, truth_id` read from the landing copies of every source's
    ingested exports: `column` is a column name or a DuckDB expression."""
    parts = []
    for source in config.sources:
        files = sorted((paths.raw / source.name).glob("*.parquet"))
        if not files:
            continue
        con = duckdb.connect()
        try:
            file_list = ", ".join(f"'{f}'" for f in files)
            columns = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM read_parquet([{file_list}], union_by_name=true)").fetchall()]
            id_sql = column_sql(source.id, columns, display_name=source.name, field="id")
            truth_sql = column_sql(column, columns, display_name=source.name, field="truth")
            frame = pl.from_arrow(
                con.sql(
                    f"SELECT '{source.name}:' || trim(CAST({id_sql} AS VARCHAR)) AS record_key, "
                    f"CAST({truth_sql} AS VARCHAR) AS truth_id FROM read_parquet([{file_list}], union_by_name=true)"
                ).to_arrow_table()
            )
        finally:
            con.close()
        parts.append(frame)
    if not parts:
        raise ValueError("no ingested exports found under data/raw: run `nayose run` first")
    return pl.concat(parts).filter(pl.col("truth_id").is_not_null()).unique("record_key", keep="last")
