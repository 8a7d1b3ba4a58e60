"""The code location Dagster loads (`dagster dev -m pipelines.definitions`):
the project in $NAYOSE_PROJECT_DIR, else the current directory."""

from pipelines.project_definitions import build_definitions
from pipelines.resources import project_dir_from_env

defs = build_definitions(project_dir_from_env())
