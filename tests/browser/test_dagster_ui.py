"""The Dagster UI, in a real headless chromium: after a nightly run, a person
opens the catalog, clicks the quality asset and sees its score table."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any, Iterator

import pytest

from quality_checks.scores import DIMENSION_WEIGHTS
from tests.browser.conftest import PARTITION
from tests.integration.webserver import running_webserver, wait_until_loaded

SCORE_TOLERANCE = 0.051  # the table shows one decimal of a score the JSON keeps with two


@pytest.fixture
def dagster_ui(browser: Any, nightly_project: Path) -> Iterator[str]:
    """Base URL of a dagster-webserver on 127.0.0.1 reading the project's own instance."""
    with running_webserver(nightly_project, nightly_project / "dagster_home") as port:
        wait_until_loaded(port, deadline_s=90)
        yield f"http://127.0.0.1:{port}"


def _number(text: str) -> float:
    return float(text.strip().replace(",", ""))


def test_quality_asset_shows_score_table(
    page: Any, dagster_ui: str, quality_report: dict[str, Any], tmp_path: Path
) -> None:
    started = time.monotonic()
    # Dagster OSS may pop a "Join the Dagster community" dialog over any page; dismiss it whenever it shows.
    page.add_locator_handler(
        page.get_by_role("dialog").filter(has_text="Join the Dagster community"),
        lambda dialog: dialog.get_by_role("button", name="Skip").click(),
    )

    # Home -> Runs: the CLI's run is in the project's instance, succeeded, for this partition.
    page.goto(dagster_ui + "/", wait_until="domcontentloaded")
    navigation = page.get_by_role("navigation")
    # Nav links are named "<icon ligature> <label>", e.g. "catalog_book Catalog".
    navigation.get_by_role("link", name=re.compile(r"\bRuns$")).click()
    page.wait_for_url(re.compile(r"/runs/?(\?.*)?$"))
    run_link = page.locator(f"a[href$='/runs/{quality_report['run']['run_id']}']").first  # shows the id's first 8 chars
    run_link.wait_for()
    # The run list is a grid of divs: its row is the innermost block holding the run's id and a status.
    run_row = page.locator("div").filter(has=run_link).filter(has=page.get_by_text("nightly", exact=True)).last
    run_row.get_by_text("Success", exact=True).wait_for()
    assert f"partition: {PARTITION}" in run_row.inner_text()
    page.screenshot(path=tmp_path / "dagster_runs.png")

    # Runs -> Catalog -> quality_scores, as a person would.
    navigation.get_by_role("link", name=re.compile(r"\bCatalog$")).click()
    page.wait_for_url(re.compile(r"/assets/?(\?.*)?$"))
    page.get_by_role("link", name=re.compile(r"^quality_scores\b")).first.click()
    page.wait_for_url(re.compile(r"/assets/quality_scores/?(\?.*)?$"))

    # The latest materialization is this run's partition.
    page.get_by_text("Latest materialization").wait_for()
    page.get_by_text(PARTITION, exact=True).first.wait_for()

    # The metadata table: one row per key of the asset's MaterializeResult.
    entries = page.locator("table").filter(has=page.get_by_text("overall_score", exact=True)).first
    entries.wait_for()

    def entry(key: str) -> Any:
        return entries.locator("tr").filter(has=page.get_by_text(key, exact=True)).first

    overall_cell = entry("overall_score").locator("td").last
    assert abs(_number(overall_cell.inner_text()) - quality_report["overall_score"]) < 0.01

    # The `scores` markdown metadata rendered as a real <table> (not raw markdown text).
    score_table = entry("scores").locator("table").first
    score_table.wait_for(state="visible")
    headers = [h.strip() for h in score_table.locator("thead th").all_inner_texts()]
    dimensions = [d for d in DIMENSION_WEIGHTS if d in {row["dimension"] for row in quality_report["by_dimension"]}]
    assert headers == ["source", "score", *dimensions]
    rows = {}
    for row in score_table.locator("tbody tr").all():
        cells = [c.strip() for c in row.locator("td").all_inner_texts()]
        rows[cells[0]] = dict(zip(headers[1:], cells[1:]))
    expected_sources = {s["source_system"]: s for s in quality_report["by_source"]}
    assert set(rows) == set(expected_sources) | {"overall"}
    assert abs(_number(rows["overall"]["score"]) - quality_report["overall_score"]) < SCORE_TOLERANCE
    for name, source in expected_sources.items():
        assert abs(_number(rows[name]["score"]) - source["score"]) < SCORE_TOLERANCE, name
        for dimension in dimensions:
            value = source["dimensions"].get(dimension)
            shown = rows[name][dimension]
            if value is None:
                assert shown == "", (name, dimension)
            else:
                assert abs(_number(shown) - value) < SCORE_TOLERANCE, (name, dimension)
    for dimension in quality_report["by_dimension"]:
        assert abs(_number(rows["overall"][dimension["dimension"]]) - dimension["score"]) < SCORE_TOLERANCE
    box = score_table.bounding_box()
    assert box and box["width"] > 200 and box["height"] > 60

    page.screenshot(path=tmp_path / "dagster_quality_scores.png", full_page=True)
    score_table.screenshot(path=tmp_path / "dagster_score_table.png")

    # The small chart is markdown too long to show inline: "[Show Markdown]" opens it in a dialog.
    entry("scores_chart").get_by_text("[Show Markdown]").click()
    dialog = page.get_by_role("dialog").filter(has_text="scores_chart")
    chart = dialog.locator("img[src^='data:image/png;base64,']")
    chart.wait_for(state="visible")
    assert chart.evaluate("img => img.complete && img.naturalWidth > 0 && img.naturalHeight > 0")
    dialog.screenshot(path=tmp_path / "dagster_scores_chart.png")
    dialog.get_by_role("button", name="Close").click()
    dialog.wait_for(state="hidden")

    screenshots = ("dagster_runs.png", "dagster_quality_scores.png", "dagster_score_table.png", "dagster_scores_chart.png")
    for name in screenshots:
        assert (tmp_path / name).stat().st_size > 5_000, name
    print(f"\nscreenshots in {tmp_path} (browser part {time.monotonic() - started:.1f}s)")
