"""The quality report: a JSON-ready dict (documented in REPORT_SCHEMA.md), its
self-contained HTML page, and small renderings for Dagster metadata.

Charts are Vega-Lite specs, written here as plain dicts, and rendered to
SVG/PNG by vl-convert (``chart_rendering``: in the nightly run's renderer
child, else in-process), so the page works offline: no script, font or image
is fetched from anywhere. Only counts, ratios, scores and names of sources, fields
and rules reach the report; no record value does.
"""

from __future__ import annotations

import base64
import html
import re
from datetime import date, datetime, timezone
from typing import Any

import polars as pl

from quality_checks.chart_rendering import to_png, to_svg
from quality_checks.match_kpis import MatchKpis
from quality_checks.quarantine import FIELD_NULLED, REJECTED
from quality_checks.scores import ALL, DIMENSION_WEIGHTS

REPORT_SCHEMA_VERSION = "1.0"
TREND_RUNS = 30
"""How many runs the trend keeps (the most recent ones)."""

PNG_BUDGET_BYTES = 60_000
"""Largest PNG ``small_chart_png`` hands out (Dagster stores every payload)."""

_NAMESPACE_ATTRIBUTE = re.compile(r'\s+xmlns(?::\w+)?="[^"]*"')


# --- the JSON structure ---------------------------------------------------------


def build_report(
    scores: pl.DataFrame,
    kpis: MatchKpis | None,
    run_info: dict[str, Any],
    history: pl.DataFrame | None,
    *,
    quarantine: pl.DataFrame | None = None,
    field_loss: list[dict[str, Any]] | None = None,
    generated_at: datetime | None = None,
) -> dict[str, Any]:
    """Assemble the report dict (see REPORT_SCHEMA.md); ``json.dumps`` accepts it.

    In: ``scores`` from ``scores.score``; ``kpis`` from ``match_kpis.match_kpis``
    or None before resolution; ``run_info`` — run facts (``run_id``,
    ``run_date``, partition, counts; dates become ISO strings, other
    non-JSON values strings; the caller must not put record values there);
    ``history`` — earlier ``quality_scores`` rows (``run_id``, ``run_date``,
    ``level``, ``score``; only ``level == "overall"`` is read) or None;
    ``quarantine`` — this run's quarantine frame, summarized as counts only;
    ``field_loss`` — the mapped fields tonight's records lost wholesale
    (``FieldLoss.as_dict`` of ``quality_checks.field_loss.lost_fields``), or
    None when not checked;
    ``generated_at`` — defaults to now (UTC).
    ``overall_score`` is null when nothing was evaluated (empty delivery).
    Refuses (``ValueError``) scores with more than one ``overall`` row.
    """
    overall = scores.filter(pl.col("level") == "overall")
    if overall.height > 1:
        raise ValueError("scores hold several 'overall' rows; pass the output of quality_checks.scores.score for one run")
    run = {str(k): _json_value(v) for k, v in run_info.items()}
    overall_score = overall.item(0, "score") if overall.height else None
    return {
        "schema_version": REPORT_SCHEMA_VERSION,
        "generated_at": (generated_at or datetime.now(timezone.utc)).isoformat(),
        "run": run,
        "overall_score": overall_score,
        "by_source": _by_source(scores),
        "by_dimension": _by_dimension(scores),
        "by_field": _rows(scores.filter(pl.col("level") == "field"), ["source_system", "field", "passed", "evaluated", "score"]),
        "rules": _rows(
            scores.filter(pl.col("level") == "rule"),
            ["source_system", "field", "dimension", "rule", "passed", "evaluated", "score"],
        ),
        "quarantine": _quarantine_summary(quarantine),
        "field_loss": None if field_loss is None else [_json_value(loss) for loss in field_loss],
        "match": kpis.as_dict() if kpis is not None else None,
        "trend": _trend(history, run.get("run_id"), run.get("run_date"), overall_score),
    }


def _json_value(value: Any) -> Any:
    """Dates as ISO strings, JSON scalars and containers as they are, anything else as ``str``."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    return str(value)


def _rows(frame: pl.DataFrame, columns: list[str]) -> list[dict[str, Any]]:
    """Selected columns as JSON-ready row dicts."""
    return [{k: _json_value(v) for k, v in row.items()} for row in frame.select(columns).to_dicts()]


def _by_source(scores: pl.DataFrame) -> list[dict[str, Any]]:
    """Per source: its weighted score and its per-dimension scores."""
    dimensions = scores.filter((pl.col("level") == "dimension") & (pl.col("source_system") != ALL))
    out = []
    for row in scores.filter(pl.col("level") == "source").to_dicts():
        own = dimensions.filter(pl.col("source_system") == row["source_system"])
        out.append(
            {
                "source_system": row["source_system"],
                "score": row["score"],
                "passed": row["passed"],
                "evaluated": row["evaluated"],
                "dimensions": dict(zip(own.get_column("dimension").to_list(), own.get_column("score").to_list())),
            }
        )
    return out


def _by_dimension(scores: pl.DataFrame) -> list[dict[str, Any]]:
    """All-source dimension scores with their nominal weight."""
    rows = _rows(
        scores.filter((pl.col("level") == "dimension") & (pl.col("source_system") == ALL)),
        ["dimension", "passed", "evaluated", "score"],
    )
    return [{**row, "weight": DIMENSION_WEIGHTS[row["dimension"]]} for row in rows]


def _quarantine_summary(quarantine: pl.DataFrame | None) -> dict[str, Any] | None:
    """Counts by source / rule / disposition; rejected rows counted once per input row."""
    if quarantine is None:
        return None
    rejected_rows = quarantine.filter(pl.col("disposition") == REJECTED).unique(
        ["source_system", "source_file", "source_row", "record_key"]
    )
    nulled = quarantine.filter(pl.col("disposition") == FIELD_NULLED)
    per_source = (
        pl.concat(
            [
                rejected_rows.group_by("source_system").agg(rejected_rows=pl.len(), fields_nulled=pl.lit(0, dtype=pl.UInt32)),
                nulled.group_by("source_system").agg(rejected_rows=pl.lit(0, dtype=pl.UInt32), fields_nulled=pl.len()),
            ]
        )
        .group_by("source_system")
        .agg(pl.col("rejected_rows").sum(), pl.col("fields_nulled").sum())
        .sort("source_system")
    )
    by_rule = (
        quarantine.group_by("source_system", "rule", "field", "disposition")
        .agg(count=pl.len())
        .sort("source_system", "rule", "field", "disposition", nulls_last=True)
    )
    return {
        "rejected_rows": rejected_rows.height,
        "fields_nulled": nulled.height,
        "by_source": _rows(per_source, ["source_system", "rejected_rows", "fields_nulled"]),
        "by_rule": _rows(by_rule, ["source_system", "rule", "field", "disposition", "count"]),
    }


def _trend(history: pl.DataFrame | None, run_id: Any, run_date: Any, overall_score: float | None) -> list[dict[str, Any]]:
    """Overall score per run, oldest first, this run last, at most ``TREND_RUNS``."""
    points: list[dict[str, Any]] = []
    if history is not None and history.height:
        past = (
            history.filter(pl.col("level") == "overall")
            .select(pl.col("run_id").cast(pl.Utf8), pl.col("run_date").cast(pl.Utf8), pl.col("score").alias("overall_score"))
            .filter(pl.col("run_id") != str(run_id) if run_id is not None else pl.lit(True))
            .unique("run_id", keep="last")
            .sort("run_date", "run_id")
        )
        points = past.to_dicts()
    points.append(
        {
            "run_id": None if run_id is None else str(run_id),
            "run_date": None if run_date is None else str(run_date),
            "overall_score": overall_score,
        }
    )
    return points[-TREND_RUNS:]


# --- charts -------------------------------------------------------------------------


VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.4.1.json"
"""The Vega-Lite version the specs name: the one altair 6.3 named when it built them."""

_SCORE_SCALE = {"domain": [0, 100], "scheme": "redyellowgreen"}
_PERCENT_AXIS = {"domain": [0, 100]}


def _chart(body: dict[str, Any]) -> dict[str, Any]:
    """A top-level Vega-Lite spec around `body`, with the default view size and
    `$schema` that altair put on every chart. The specs were built with altair
    until importing it (0.17 s of every night's start-up, for five small dicts)
    cost more than writing them; the dicts are the ones its `to_dict()` made,
    key for key, so vl-convert draws the same SVG and PNG."""
    return {"config": {"view": {"continuousWidth": 300, "continuousHeight": 300}}, **body, "$schema": VEGA_LITE_SCHEMA}


def _channel(field: str, kind: str, **properties: Any) -> dict[str, Any]:
    """One encoding channel: `field` of Vega-Lite type `kind` ("nominal",
    "ordinal", "quantitative"), its properties in altair's (alphabetical) order."""
    return dict(sorted({"field": field, "type": kind, **properties}.items()))


def _svg(spec: dict[str, Any]) -> str:
    """Render a chart to inline SVG (namespace declarations dropped: HTML5 parsers
    supply them, and the page then names no external URL at all)."""
    return _NAMESPACE_ATTRIBUTE.sub("", to_svg(spec))


def _heatmap(report: dict[str, Any]) -> dict[str, Any] | None:
    """Sources x dimensions, coloured by score."""
    cells = [
        {"source": s["source_system"], "dimension": d, "score": v}
        for s in report["by_source"]
        for d, v in s["dimensions"].items()
    ]
    if not cells:
        return None
    axes = {
        "x": _channel(
            "dimension", "nominal", axis={"labelAngle": 0, "orient": "top"}, sort=list(DIMENSION_WEIGHTS), title=None
        ),
        "y": _channel("source", "nominal", title=None),
    }
    return _chart(
        {
            "layer": [
                {
                    "mark": {"type": "rect"},
                    "encoding": {"color": _channel("score", "quantitative", scale=_SCORE_SCALE, title="score"), **axes},
                },
                {
                    "mark": {"type": "text", "fontSize": 11},
                    "encoding": {"text": _channel("score", "quantitative", format=".1f"), **axes},
                },
            ],
            "data": {"values": cells},
            "height": {"step": 30},
            "title": "Score by source and dimension",
            "width": {"step": 90},
        }
    )


def _source_bars(report: dict[str, Any]) -> dict[str, Any] | None:
    """One bar per source: its weighted score."""
    rows = [{"source": s["source_system"], "score": s["score"]} for s in report["by_source"]]
    if not rows:
        return None
    return _score_bars(rows, "source", "-x", {"title": "Score by source", "width": 360})


def _score_bars(rows: list[dict[str, Any]], category: str, sort: str | list[str], size: dict[str, Any]) -> dict[str, Any]:
    """One bar per `category` (in `sort` order), as long and as coloured as its
    score; `size` holds the chart's title, width and height properties."""
    return _chart(
        {
            "data": {"values": rows},
            "mark": {"type": "bar"},
            "encoding": {
                "color": _channel("score", "quantitative", legend=None, scale=_SCORE_SCALE),
                "x": _channel("score", "quantitative", scale=_PERCENT_AXIS),
                "y": _channel(category, "nominal", sort=sort, title=None),
            },
            **size,
        }
    )


def _trend_line(report: dict[str, Any]) -> dict[str, Any] | None:
    """Overall score per run."""
    rows = [
        {"run": p["run_date"] or p["run_id"] or f"run {i + 1}", "score": p["overall_score"]}
        for i, p in enumerate(report["trend"])
        if p["overall_score"] is not None
    ]
    if len(rows) < 2:
        return None
    return _chart(
        {
            "data": {"values": rows},
            "mark": {"type": "line", "point": True},
            "encoding": {
                "x": _channel("run", "ordinal", sort=None, title=None),
                "y": _channel("score", "quantitative", scale=_PERCENT_AXIS),
            },
            "title": "Overall score, last runs",
            "width": 480,
        }
    )


def _weight_histogram(report: dict[str, Any]) -> dict[str, Any] | None:
    """Pairs per match-weight bin."""
    match = report.get("match")
    if not match or not any(b["pairs"] for b in match["match_weight_histogram"]):
        return None
    return _bucket_bars(match["match_weight_histogram"], "bin", "pairs", "match weight", "Match weight of scored pairs", 480)


def _cluster_bars(report: dict[str, Any]) -> dict[str, Any] | None:
    """Clusters per size bucket."""
    match = report.get("match")
    if not match or not any(b["clusters"] for b in match["cluster_sizes"]):
        return None
    return _bucket_bars(match["cluster_sizes"], "cluster_size", "clusters", "records per golden record", "Cluster sizes", 360)


def _bucket_bars(rows: list[dict[str, Any]], bucket: str, count: str, axis_title: str, title: str, width: int) -> dict[str, Any]:
    """One bar of `count` per `bucket`, the buckets in the order of `rows`."""
    return _chart(
        {
            "data": {"values": rows},
            "mark": {"type": "bar"},
            "encoding": {
                "x": _channel(bucket, "nominal", sort=[row[bucket] for row in rows], title=axis_title),
                "y": _channel(count, "quantitative"),
            },
            "title": title,
            "width": width,
        }
    )


# --- HTML ----------------------------------------------------------------------------

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI","Hiragino Sans","Noto Sans JP",sans-serif;margin:2rem;color:#1f2933;max-width:1100px}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #d9e2ec;padding-bottom:.2rem}
.muted{color:#627d98;font-size:.9rem}.score{font-size:2.5rem;font-weight:700}.warn{color:#8a4b00;font-weight:600}
table{border-collapse:collapse;font-size:.9rem;margin:.5rem 0}th,td{border:1px solid #d9e2ec;padding:.25rem .6rem;text-align:left}
th{background:#f0f4f8}td.num{text-align:right;font-variant-numeric:tabular-nums}
.charts{display:flex;flex-wrap:wrap;gap:1.5rem;align-items:flex-start}.chart svg{max-width:100%;height:auto}
"""


def render_html(report: dict[str, Any]) -> str:
    """Render a report dict from ``build_report`` as one self-contained HTML page:
    inline CSS, charts as inline SVG, no script and no external URL."""
    e = html.escape
    charts = [
        _heatmap(report),
        _source_bars(report),
        _trend_line(report),
        _weight_histogram(report),
        _cluster_bars(report),
    ]
    chart_html = "".join(f'<div class="chart">{_svg(c)}</div>' for c in charts if c is not None)
    run_rows = "".join(f"<tr><th>{e(str(k))}</th><td>{e(str(v))}</td></tr>" for k, v in report["run"].items())
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>nayose quality report {e(str(report['run'].get('run_date') or ''))}</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>nayose data quality report</h1>",
        f'<p class="muted">generated {e(report["generated_at"])} &middot; schema {e(report["schema_version"])}</p>',
        _overall_html(report["overall_score"]),
        f"<table>{run_rows}</table>" if run_rows else "",
        "<h2>Scores</h2>",
        f'<div class="charts">{chart_html}</div>' if chart_html else "<p>No chart data.</p>",
        "<h2>By dimension</h2>",
        _table(report["by_dimension"], ["dimension", "weight", "passed", "evaluated", "score"]),
        "<h2>By source</h2>",
        _table(report["by_source"], ["source_system", "passed", "evaluated", "score"]),
        "<h2>By field</h2>",
        _table(report["by_field"], ["source_system", "field", "passed", "evaluated", "score"]),
        "<h2>Fields lost in standardization</h2>",
        _field_loss_html(report.get("field_loss")),
        "<h2>Quarantine</h2>",
        _quarantine_html(report.get("quarantine")),
        "<h2>Matching</h2>",
        _match_html(report.get("match")),
        "<h2>Rules</h2>",
        _table(report["rules"], ["source_system", "field", "dimension", "rule", "passed", "evaluated", "score"]),
        "</body></html>",
    ]
    return "\n".join(p for p in parts if p)


def _overall_html(overall_score: float | None) -> str:
    """The headline score, or a note when nothing was evaluated."""
    if overall_score is None:
        return "<p>No records were evaluated in this run.</p>"
    return f'<p>Overall score <span class="score">{overall_score:.1f}</span> / 100</p>'


def _cell(value: Any) -> str:
    """One table cell; numbers right-aligned, floats with 2 decimals."""
    if isinstance(value, bool) or value is None:
        return f"<td>{html.escape(str(value) if value is not None else '')}</td>"
    if isinstance(value, float):
        return f'<td class="num">{value:.2f}</td>'
    if isinstance(value, int):
        return f'<td class="num">{value}</td>'
    return f"<td>{html.escape(str(value))}</td>"


def _table(rows: list[dict[str, Any]], columns: list[str]) -> str:
    """An HTML table of ``columns`` from row dicts (``<p>none</p>`` when empty)."""
    if not rows:
        return "<p>None.</p>"
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(_cell(r.get(c)) for c in columns) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _quarantine_html(summary: dict[str, Any] | None) -> str:
    """Quarantine counts as tables."""
    if summary is None:
        return "<p>Not available for this run.</p>"
    return (
        f"<p>{summary['rejected_rows']} rows rejected, {summary['fields_nulled']} fields cleared.</p>"
        + _table(summary["by_source"], ["source_system", "rejected_rows", "fields_nulled"])
        + _table(summary["by_rule"], ["source_system", "rule", "field", "disposition", "count"])
    )


def _field_loss_html(losses: list[dict[str, Any]] | None) -> str:
    """The mapped fields tonight's records lost wholesale, with the issue codes why."""
    if losses is None:
        return "<p>Not checked in this run.</p>"
    if not losses:
        return "<p>No source lost a mapped field tonight.</p>"
    rows = [
        loss | {"share": f"{loss['share']:.0%}", "issues": ", ".join(f"{code} {n}" for code, n in loss["issues"].items())}
        for loss in losses
    ]
    return (
        '<p class="warn">These fields lost at least their source\'s share (quality.field_loss_warn) of the values supplied tonight: '
        "check the exports' form of them and their mapping in nayose.yaml.</p>"
        + _table(rows, ["source_system", "field", "supplied", "lost", "share", "issues"])
    )


def _match_html(match: dict[str, Any] | None) -> str:
    """Match KPIs as a small table."""
    if match is None:
        return "<p>Not available for this run.</p>"
    keys = ["records", "golden_records", "duplicate_rate", "pairs_scored", "review_backlog"]
    return _table([{"kpi": k, "value": match[k]} for k in keys], ["kpi", "value"])


# --- Dagster metadata ---------------------------------------------------------------


def small_chart_png(scores: pl.DataFrame) -> str:
    """A small bar chart of the all-source dimension scores, as base64 PNG for a
    ``data:image/png;base64,...`` image in Dagster markdown metadata.
    Refuses (``ValueError``) when the PNG would exceed ``PNG_BUDGET_BYTES``."""
    rows = scores.filter((pl.col("level") == "dimension") & (pl.col("source_system") == ALL)).select("dimension", "score")
    spec = _small_chart(rows.to_dicts())
    png = to_png(spec, scale=1)
    if len(png) > PNG_BUDGET_BYTES:
        raise ValueError(f"chart PNG is {len(png)} bytes, above the {PNG_BUDGET_BYTES}-byte metadata budget")
    return base64.b64encode(png).decode("ascii")


def _small_chart(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Bars of the all-source score per dimension, small enough for metadata."""
    return _score_bars(rows, "dimension", list(DIMENSION_WEIGHTS), {"height": 120, "width": 240})


def scores_markdown_table(scores: pl.DataFrame) -> str:
    """A markdown table: one row per source plus ``*`` (overall), columns the
    weighted score and each dimension present (blank when a source lacks one)."""
    dimensions = [d for d in DIMENSION_WEIGHTS if d in set(scores.filter(pl.col("level") == "dimension").get_column("dimension"))]
    weighted = scores.filter(pl.col("level").is_in(["source", "overall"])).select("source_system", "score")
    cells = {
        (s, d): v
        for s, d, v in scores.filter(pl.col("level") == "dimension").select("source_system", "dimension", "score").iter_rows()
    }
    header = "| source | score | " + " | ".join(dimensions) + " |"
    rule = "|---|---:|" + "---:|" * len(dimensions)
    lines = [header, rule]
    for source, total in sorted(weighted.iter_rows(), key=lambda r: (r[0] == ALL, r[0])):
        label = "overall" if source == ALL else source
        values = " | ".join(_md_number(cells.get((source, d))) for d in dimensions)
        lines.append(f"| {label} | {_md_number(total)} | {values} |")
    return "\n".join(lines)


def _md_number(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"
