import base64
import datetime as dt
import json
import re

import polars as pl
import pytest

from quality_checks.match_kpis import match_kpis
from quality_checks.quarantine import quarantine_records
from quality_checks.report import (
    PNG_BUDGET_BYTES,
    build_report,
    render_html,
    scores_markdown_table,
    small_chart_png,
)
from quality_checks.scores import score

SECRET_EMAIL = "hanako.secret@example.jp"


def _scores() -> pl.DataFrame:
    return score(
        pl.DataFrame(
            {
                "source_system": ["crm", "crm", "shop", "shop"],
                "field": ["email", "email", "phone", "*"],
                "dimension": ["validity", "completeness", "validity", "uniqueness"],
                "rule": ["value_valid", "value_present", "value_valid", "source_record_id_unique"],
                "passed": [8, 12, 3, 4],
                "evaluated": [12, 12, 3, 5],
            }
        )
    )


def _quarantine() -> pl.DataFrame:
    mapped = pl.DataFrame(
        {
            "record_key": ["crm:1", "crm:2"],
            "source_system": ["crm", "crm"],
            "source_record_id": ["1", "2"],
            "source_file": ["crm.csv", "crm.csv"],
            "source_row": [1, 2],
            "file_hash": ["h", "h"],
            "family_name": ["花子", None],
            "email": ["hanako at example", SECRET_EMAIL.replace("@", " ")],
        }
    )
    return quarantine_records(mapped).quarantine


@pytest.fixture(scope="module")
def report() -> dict:
    crosswalk = pl.DataFrame({"record_key": ["a", "b", "c"], "golden_id": ["g1", "g1", "g2"]})
    predictions = pl.DataFrame({"match_weight": [-4.0, 7.5, 12.0], "match_probability": [0.05, 0.99, 1.0]})
    history = pl.DataFrame(
        {
            "run_id": ["r1", "r2"],
            "run_date": [dt.date(2026, 11, 24), dt.date(2026, 11, 25)],
            "level": ["overall", "overall"],
            "source_system": ["*", "*"],
            "score": [88.0, 91.5],
        }
    )
    return build_report(
        _scores(),
        match_kpis(crosswalk, predictions, 2),
        {"run_id": "r3", "run_date": dt.date(2026, 11, 26), "partition": "2026-11-26"},
        history,
        quarantine=_quarantine(),
        generated_at=dt.datetime(2026, 11, 26, 3, 0, tzinfo=dt.timezone.utc),
    )


@pytest.fixture(scope="module")
def page(report) -> str:
    return render_html(report)


def test_report_is_json_serialisable_and_structured(report):
    text = json.dumps(report, ensure_ascii=False)
    assert json.loads(text) == report
    assert report["schema_version"] == "1.0"
    assert [p["run_id"] for p in report["trend"]] == ["r1", "r2", "r3"]
    assert {s["source_system"] for s in report["by_source"]} == {"crm", "shop"}
    assert report["quarantine"]["rejected_rows"] == 1 and report["quarantine"]["fields_nulled"] == 1
    assert report["match"]["golden_records"] == 2
    for value in (SECRET_EMAIL, "花子", "hanako"):
        assert value not in text


def test_html_has_inline_svg_charts_and_no_external_urls(page):
    assert page.startswith("<!DOCTYPE html>")
    assert page.count("<svg") >= 4
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.IGNORECASE)
    assert "http://" not in page and "https://" not in page
    assert "<script" not in page.lower()
    assert "花子" not in page and "hanako" not in page


def test_small_png_fits_dagster_metadata():
    png = base64.b64decode(small_chart_png(_scores()))
    assert png.startswith(b"\x89PNG") and len(png) < PNG_BUDGET_BYTES


def test_markdown_table_lists_sources_and_overall():
    table = scores_markdown_table(_scores())
    lines = table.splitlines()
    assert lines[0].startswith("| source | score | validity | completeness | uniqueness")
    assert [line.split("|")[1].strip() for line in lines[2:]] == ["crm", "shop", "overall"]


def test_empty_run_still_renders():
    empty = build_report(_scores().clear(), None, {"run_id": "r0"}, None)
    assert empty["overall_score"] is None and empty["by_source"] == []
    assert "No records were evaluated" in render_html(empty)
    with pytest.raises(ValueError):
        build_report(pl.concat([_scores(), _scores()]), None, {}, None)


def test_charts_render_in_the_child_and_still_render_when_it_dies(report, page):
    import os
    import signal

    from quality_checks import chart_rendering

    def numbered_alike(html: str) -> str:  # vl-convert numbers gradients on, conversion after conversion
        return re.sub(r"gradient_\d+", "gradient_n", html)

    chart_rendering.start_chart_renderer()
    try:
        child = chart_rendering._renderer
        assert numbered_alike(render_html(report)) == numbered_alike(page)  # drawn in the child, as in-process
        assert chart_rendering._renderer is child  # still serving: nothing was drawn here
        os.kill(child.pid, signal.SIGKILL)
        assert numbered_alike(render_html(report)) == numbered_alike(page)  # in-process after the child's death
        assert chart_rendering._renderer is None
        assert base64.b64decode(small_chart_png(_scores())).startswith(b"\x89PNG")
    finally:
        chart_rendering.stop_chart_renderer()


def test_chart_specs_are_the_ones_altair_built(report):
    """The specs are written as dicts, not built with altair (its import cost every night 0.17 s):
    key for key what altair's `to_dict()` made of the charts as they were built before."""
    alt = pytest.importorskip("altair")
    from quality_checks import report as module
    from quality_checks.scores import DIMENSION_WEIGHTS

    score_scale = alt.Scale(domain=[0, 100], scheme="redyellowgreen")
    cells = [
        {"source": s["source_system"], "dimension": d, "score": v} for s in report["by_source"] for d, v in s["dimensions"].items()
    ]
    base = alt.Chart(alt.Data(values=cells)).encode(
        x=alt.X("dimension:N", title=None, sort=list(DIMENSION_WEIGHTS), axis=alt.Axis(labelAngle=0, orient="top")),
        y=alt.Y("source:N", title=None),
    )
    heatmap = (
        base.mark_rect().encode(color=alt.Color("score:Q", scale=score_scale, title="score"))
        + base.mark_text(fontSize=11).encode(text=alt.Text("score:Q", format=".1f"))
    ).properties(title="Score by source and dimension", width=alt.Step(90), height=alt.Step(30))
    sources = [{"source": s["source_system"], "score": s["score"]} for s in report["by_source"]]
    source_bars = (
        alt.Chart(alt.Data(values=sources))
        .mark_bar()
        .encode(
            x=alt.X("score:Q", scale=alt.Scale(domain=[0, 100])),
            y=alt.Y("source:N", title=None, sort="-x"),
            color=alt.Color("score:Q", scale=score_scale, legend=None),
        )
        .properties(title="Score by source", width=360)
    )
    runs = [{"run": p["run_date"] or p["run_id"], "score": p["overall_score"]} for p in report["trend"]]
    trend = (
        alt.Chart(alt.Data(values=runs))
        .mark_line(point=True)
        .encode(x=alt.X("run:O", title=None, sort=None), y=alt.Y("score:Q", scale=alt.Scale(domain=[0, 100])))
        .properties(title="Overall score, last runs", width=480)
    )
    bins = report["match"]["match_weight_histogram"]
    histogram = (
        alt.Chart(alt.Data(values=bins))
        .mark_bar()
        .encode(x=alt.X("bin:N", sort=[b["bin"] for b in bins], title="match weight"), y=alt.Y("pairs:Q"))
        .properties(title="Match weight of scored pairs", width=480)
    )
    sizes = report["match"]["cluster_sizes"]
    clusters = (
        alt.Chart(alt.Data(values=sizes))
        .mark_bar()
        .encode(
            x=alt.X("cluster_size:N", sort=[b["cluster_size"] for b in sizes], title="records per golden record"),
            y=alt.Y("clusters:Q"),
        )
        .properties(title="Cluster sizes", width=360)
    )
    dimensions = [{"dimension": "validity", "score": 80.5}, {"dimension": "completeness", "score": None}]
    small = (
        alt.Chart(alt.Data(values=dimensions))
        .mark_bar()
        .encode(
            x=alt.X("score:Q", scale=alt.Scale(domain=[0, 100])),
            y=alt.Y("dimension:N", title=None, sort=list(DIMENSION_WEIGHTS)),
            color=alt.Color("score:Q", scale=score_scale, legend=None),
        )
        .properties(width=240, height=120)
    )
    ours = [
        module._heatmap(report),
        module._source_bars(report),
        module._trend_line(report),
        module._weight_histogram(report),
        module._cluster_bars(report),
        module._small_chart(dimensions),
    ]
    theirs = [heatmap, source_bars, trend, histogram, clusters, small]
    assert [json.dumps(spec) for spec in ours] == [json.dumps(chart.to_dict()) for chart in theirs]


def test_the_report_module_leaves_altair_unimported():
    import subprocess
    import sys

    code = "import sys, quality_checks.report; print('altair' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"


def test_fields_lost_in_standardization_are_listed_in_json_and_html():
    loss = {
        "source_system": "legacy", "field": "birth_date", "supplied": 414, "lost": 414, "share": 1.0,
        "issues": {"birth_date_unparseable": 400, "no_issue_recorded": 14}, "warn_share": 0.5, "min_values": 20,
    }
    listed = build_report(_scores(), None, {"run_id": "r1"}, None, field_loss=[loss])
    assert json.loads(json.dumps(listed))["field_loss"] == [loss]
    page = render_html(listed)
    section = page.split("<h2>Fields lost in standardization</h2>")[1].split("<h2>")[0]
    assert "<td>legacy</td><td>birth_date</td>" in section and "birth_date_unparseable 400, no_issue_recorded 14" in section
    assert "100%" in section
    assert "No source lost" in render_html(build_report(_scores(), None, {}, None, field_loss=[]))
    unchecked = build_report(_scores(), None, {}, None)
    assert unchecked["field_loss"] is None and "Not checked in this run" in render_html(unchecked)
