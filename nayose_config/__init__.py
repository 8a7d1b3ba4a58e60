"""The typed project configuration (`nayose.yaml`)."""

from nayose_config.loading import CONFIG_FILE, ConfigError, load_config, parse_config
from nayose_config.model import (
    CANONICAL_FIELDS,
    IDENTIFYING_FIELDS,
    MatchingConfig,
    NayoseConfig,
    QualityThresholds,
    SourceConfig,
    SurvivorshipConfig,
    resolve_source_glob,
)

__all__ = [
    "CANONICAL_FIELDS",
    "CONFIG_FILE",
    "ConfigError",
    "IDENTIFYING_FIELDS",
    "MatchingConfig",
    "NayoseConfig",
    "QualityThresholds",
    "SourceConfig",
    "SurvivorshipConfig",
    "load_config",
    "parse_config",
    "resolve_source_glob",
]
