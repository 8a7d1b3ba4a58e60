"""The one resource every asset uses: the project directory, its config and paths."""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg

from nayose_config import NayoseConfig, load_config
from warehouse import ProjectPaths, Staging

PROJECT_ENV = "NAYOSE_PROJECT_DIR"


def project_dir_from_env() -> Path:
    """The project directory: $NAYOSE_PROJECT_DIR, else the current directory."""
    return Path(os.environ.get(PROJECT_ENV) or os.getcwd()).resolve()


class NayoseProject(dg.ConfigurableResource):
    """A nayose project: the directory holding `nayose.yaml` and its `data/`."""

    project_dir: str

    def config(self) -> NayoseConfig:
        return load_config(Path(self.project_dir))

    def paths(self) -> ProjectPaths:
        return ProjectPaths.of(self.project_dir)

    def staging(self, partition: str) -> Staging:
        return Staging.for_partition(self.paths().staging, partition)
