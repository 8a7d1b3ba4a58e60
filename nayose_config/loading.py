"""Reading `nayose.yaml` into the typed model, with errors a user can act on."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from nayose_config.model import NayoseConfig

CONFIG_FILE = "nayose.yaml"


class ConfigError(Exception):
    """`nayose.yaml` is missing, not YAML, or does not fit the model."""


def _key_path(loc: tuple, raw: dict) -> str:
    """`sources.0.fields` -> `sources[crm].fields` when the source has a name."""
    parts: list[str] = []
    node: object = raw
    for item in loc:
        if isinstance(item, int):
            name = node[item].get("name") if isinstance(node, list) and item < len(node) and isinstance(node[item], dict) else None
            parts[-1] = f"{parts[-1]}[{name or item}]"
            node = node[item] if isinstance(node, list) and item < len(node) else None
        else:
            parts.append(str(item))
            node = node.get(item) if isinstance(node, dict) else None
    return ".".join(parts) or "(top level)"


def parse_config(text: str, origin: str = CONFIG_FILE) -> NayoseConfig:
    """Parse YAML text into a `NayoseConfig`; raise `ConfigError` naming each bad key."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{origin}: not valid YAML: {exc}") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{origin}: expected a mapping at the top level")
    try:
        return NayoseConfig.model_validate(raw)
    except ValidationError as exc:
        problems = [f"{_key_path(tuple(e['loc']), raw)}: {e['msg']}" for e in exc.errors()]
        raise ConfigError(f"{origin}: " + "; ".join(problems)) from None


def load_config(project_dir: Path) -> NayoseConfig:
    """Load `DIR/nayose.yaml`."""
    path = Path(project_dir) / CONFIG_FILE
    if not path.is_file():
        raise ConfigError(f"{path}: no such file; a project directory needs a {CONFIG_FILE}")
    return parse_config(path.read_text(encoding="utf-8"), origin=str(path))
