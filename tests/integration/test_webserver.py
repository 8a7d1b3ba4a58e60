"""Smoke test: the Dagster webserver loads the project's code location."""

from __future__ import annotations

from pathlib import Path

from tests.integration.webserver import graphql, running_webserver, wait_until_loaded

ASSETS_QUERY = "{ assetNodes { assetKey { path } groupName } }"


def test_webserver_loads_code_location(tiny_project: Path, tmp_path: Path) -> None:
    with running_webserver(tiny_project, tmp_path / "dagster_home") as port:
        entries = wait_until_loaded(port)
        assert entries[0]["locationOrLoadError"]["__typename"] == "RepositoryLocation"
        nodes = graphql(port, ASSETS_QUERY)["data"]["assetNodes"]
        keys = {n["assetKey"]["path"][-1] for n in nodes}
        assert {"crm_exports", "pos_exports", "shop_exports", "standardized_records", "golden_records",
                "quality_scores", "published_outputs"} <= keys
