"""Intermediate frames handed between a run's assets, per partition.

Each asset writes its result under `data/warehouse/staging/<partition>/`; the
next reads it. Staging is scratch space: the published outputs are written
separately and atomically (`warehouse.publishing`).
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl


class StagingMissing(Exception):
    """An upstream stage has not been materialized for this partition."""


@dataclass(frozen=True)
class Staging:
    directory: Path

    @classmethod
    def for_partition(cls, staging_root: Path, partition: str) -> "Staging":
        return cls(staging_root / partition)

    def path(self, name: str) -> Path:
        return self.directory / f"{name}.parquet"

    def write(self, name: str, frame: pl.DataFrame) -> Path:
        self.directory.mkdir(parents=True, exist_ok=True)
        target = self.path(name)
        tmp = target.with_suffix(".parquet.tmp")
        frame.write_parquet(tmp)
        tmp.replace(target)
        return target

    def read(self, name: str) -> pl.DataFrame:
        path = self.path(name)
        if not path.exists():
            raise StagingMissing(
                f"{path.name} is missing for partition {self.directory.name}: materialize its upstream asset first"
            )
        return pl.read_parquet(path)

    def exists(self, name: str) -> bool:
        return self.path(name).exists()

    def write_json(self, name: str, value: Any) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        (self.directory / f"{name}.json").write_text(json.dumps(value, ensure_ascii=False, default=str))

    def write_text(self, name: str, text: str) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        (self.directory / name).write_text(text, encoding="utf-8")

    def read_text(self, name: str) -> str:
        path = self.directory / name
        if not path.exists():
            raise StagingMissing(f"{path.name} is missing for partition {self.directory.name}")
        return path.read_text(encoding="utf-8")

    def read_json(self, name: str) -> Any:
        path = self.directory / f"{name}.json"
        if not path.exists():
            raise StagingMissing(f"{path.name} is missing for partition {self.directory.name}")
        return json.loads(path.read_text())

    def clear(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)
