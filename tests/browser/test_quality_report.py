"""The self-contained quality report, opened from disk in a real headless
chromium: its charts are rendered inline SVG with visible marks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

TITLE_HEATMAP = "Score by source and dimension"
TITLE_SOURCES = "Score by source"
TITLE_TREND = "Overall score, last runs"
TITLE_WEIGHTS = "Match weight of scored pairs"
TITLE_CLUSTERS = "Cluster sizes"


def expected_charts(report: dict[str, Any]) -> dict[str, int]:
    """Chart title -> number of data marks (bars, cells, points) expected with a nonzero size."""
    charts: dict[str, int] = {}
    cells = sum(len(s["dimensions"]) for s in report["by_source"])
    if cells:
        charts[TITLE_HEATMAP] = cells
        charts[TITLE_SOURCES] = len(report["by_source"])
    points = [p for p in report["trend"] if p["overall_score"] is not None]
    if len(points) >= 2:
        charts[TITLE_TREND] = len(points) + 1  # the line itself and one point per run
    match = report.get("match") or {}
    bins = [b for b in match.get("match_weight_histogram", []) if b["pairs"]]
    if bins:
        charts[TITLE_WEIGHTS] = len(bins)
    sizes = [b for b in match.get("cluster_sizes", []) if b["clusters"]]
    if sizes:
        charts[TITLE_CLUSTERS] = len(sizes)
    return charts


# Per chart: its title text, its size, and the data marks drawn with a nonzero box
# (vega's SVG renderer draws a bar, cell, line or point as a <path> under
# <g class="mark-... role-mark ...">; text marks are <text>).
CHARTS_JS = """
() => [...document.querySelectorAll('.chart > svg')].map(svg => {
  const box = svg.getBoundingClientRect();
  const title = [...svg.querySelectorAll('.role-title-text text')].map(t => t.textContent).join(' ');
  const marks = [...svg.querySelectorAll('g.role-mark:not(.mark-text) path')]
    .filter(p => { const b = p.getBoundingClientRect(); return b.width > 0.5 && b.height > 0.5; });
  const texts = [...svg.querySelectorAll('text')].map(t => t.textContent);
  return {title, width: box.width, height: box.height, right: box.right, marks: marks.length, texts};
})
"""


def test_report_charts_render(page: Any, nightly_project: Path, quality_report: dict[str, Any], tmp_path: Path) -> None:
    html = nightly_project / "data" / "reports" / "quality_report.html"
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(html.as_uri(), wait_until="load")

    page.get_by_role("heading", name="nayose data quality report").wait_for()
    headline = page.locator(".score").first.inner_text()
    assert float(headline) == round(quality_report["overall_score"], 1)

    charts = page.evaluate(CHARTS_JS)
    expected = expected_charts(quality_report)
    assert [c["title"] for c in charts] == list(expected), "charts missing, extra, or out of order"
    viewport_width = page.viewport_size["width"]
    for chart in charts:
        title = chart["title"]
        assert chart["width"] > 100 and chart["height"] > 50, (title, chart["width"], chart["height"])
        assert chart["right"] <= viewport_width, f"{title} overflows the page"
        assert chart["marks"] == expected[title], (title, chart["marks"], expected[title])
    # The heatmap and the bars name every source; the heatmap prints every cell's score.
    heatmap = next(c for c in charts if c["title"] == TITLE_HEATMAP)
    for source in quality_report["by_source"]:
        assert source["source_system"] in heatmap["texts"]
        for value in source["dimensions"].values():
            assert f"{value:.1f}" in heatmap["texts"], (source["source_system"], value)
    bars = next(c for c in charts if c["title"] == TITLE_SOURCES)
    assert {s["source_system"] for s in quality_report["by_source"]} <= set(bars["texts"])

    # Self-contained: the page asked for nothing but itself, and nothing failed.
    assert requests == [html.as_uri()]
    assert errors == []

    page.screenshot(path=tmp_path / "quality_report.png", full_page=True)
    page.locator(".charts").screenshot(path=tmp_path / "quality_report_charts.png")
    for name in ("quality_report.png", "quality_report_charts.png"):
        assert (tmp_path / name).stat().st_size > 5_000, name
    print(f"\nscreenshots in {tmp_path}")
