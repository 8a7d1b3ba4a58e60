"""Dagster assets, thin: read inputs, call the core, write outputs, attach metadata."""

from __future__ import annotations

import dagster as dg

from assets.golden import build_golden_asset
from assets.ingestion import build_source_asset, source_asset_key
from assets.publishing import build_publishing_asset
from assets.quality import build_quality_asset
from assets.resolution import build_resolution_assets
from assets.standardization import build_standardization_asset
from nayose_config import NayoseConfig


def build_assets(config: NayoseConfig) -> list[dg.AssetsDefinition]:
    """The nightly asset graph for a project's config, in data-flow order."""
    sources = [build_source_asset(s, config) for s in config.sources]
    return [
        *sources,
        build_standardization_asset(config, [source_asset_key(s) for s in config.sources]),
        *build_resolution_assets(config),
        build_golden_asset(config),
        build_quality_asset(config),
        build_publishing_asset(config),
    ]
