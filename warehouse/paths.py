"""Where a project keeps its files (DESIGN.md's contract paths)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ProjectPaths:
    root: Path

    @classmethod
    def of(cls, project_dir: str | Path) -> "ProjectPaths":
        return cls(Path(project_dir).resolve())

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def raw(self) -> Path:
        """Landing copies of ingested exports (parsed, all text), one Parquet per file hash."""
        return self.data / "raw"

    @property
    def warehouse_dir(self) -> Path:
        return self.data / "warehouse"

    @property
    def warehouse(self) -> Path:
        return self.warehouse_dir / "nayose.duckdb"

    @property
    def staging(self) -> Path:
        """Intermediate results of runs, per partition; never read by users."""
        return self.warehouse_dir / "staging"

    @property
    def golden_dir(self) -> Path:
        return self.data / "golden"

    @property
    def golden_records(self) -> Path:
        return self.golden_dir / "golden_records.parquet"

    @property
    def crosswalk(self) -> Path:
        return self.golden_dir / "crosswalk.parquet"

    @property
    def golden_lineage(self) -> Path:
        return self.golden_dir / "golden_lineage.parquet"

    @property
    def reports(self) -> Path:
        return self.data / "reports"

    @property
    def review_viewer(self) -> Path:
        """Splink's comparison viewer of the review pairs (unmasked values: for stewards)."""
        return self.reports / "review_comparison_viewer.html"

    @property
    def models(self) -> Path:
        return self.data / "models"

    @property
    def steward_decisions(self) -> Path:
        """Append-only JSON lines of must-link / cannot-link decisions (durable across runs and retraining)."""
        return self.data / "stewardship" / "steward_decisions.jsonl"

    @property
    def dagster_home(self) -> Path:
        return self.root / "dagster_home"

    def display(self, path: Path) -> str:
        """`path` relative to the project dir, for messages."""
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)
