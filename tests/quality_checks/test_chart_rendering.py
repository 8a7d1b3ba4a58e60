import os
import signal
import subprocess
import time

import pytest
import vl_convert

from quality_checks import chart_rendering

SPEC = {
    "data": {"values": [{"source": "crm", "score": 91.5}, {"source": "shop", "score": 78.0}]},
    "mark": "bar",
    "encoding": {"x": {"field": "score", "type": "quantitative"}, "y": {"field": "source", "type": "nominal"}},
}
BAD_SPEC = {"data": {"values": []}, "mark": "point", "encoding": {"x": {"field": "a", "type": "bogus"}}}


@pytest.fixture
def renderer():
    chart_rendering.start_chart_renderer()
    yield chart_rendering._renderer
    chart_rendering.stop_chart_renderer()


def _refuse_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """From here on, a chart converted in this process fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("converted in the parent process")

    monkeypatch.setattr(vl_convert, "vegalite_to_svg", refuse)
    monkeypatch.setattr(vl_convert, "vegalite_to_png", refuse)


def _gone(pid: int) -> bool:
    """True when no process (not even a zombie) has this pid any more."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_without_a_started_renderer_charts_are_drawn_in_process(monkeypatch):
    monkeypatch.setattr(vl_convert, "vegalite_to_svg", lambda spec: "<svg>in-process</svg>")
    assert chart_rendering._renderer is None
    assert chart_rendering.to_svg(SPEC) == "<svg>in-process</svg>"


def test_a_started_renderer_draws_in_its_child_what_this_process_would(renderer, monkeypatch):
    expected_svg, expected_png = vl_convert.vegalite_to_svg(SPEC), vl_convert.vegalite_to_png(SPEC, scale=1)
    chart_rendering.start_chart_renderer()  # a second start keeps the running child
    assert chart_rendering._renderer is renderer and renderer.pid != os.getpid()
    _refuse_in_process(monkeypatch)
    assert chart_rendering.to_svg(SPEC) == expected_svg
    assert chart_rendering.to_png(SPEC, scale=1) == expected_png


@pytest.mark.parametrize("failure", [signal.SIGKILL, signal.SIGSTOP], ids=["child killed", "child hangs"])
def test_a_failed_child_is_reaped_and_charts_are_drawn_in_process(renderer, monkeypatch, caplog, failure):
    expected_svg = vl_convert.vegalite_to_svg(SPEC)
    assert chart_rendering.to_svg(SPEC) == expected_svg  # the child is up and serving
    monkeypatch.setattr(chart_rendering, "REPLY_TIMEOUT_S", 0.5)
    os.kill(renderer.pid, failure)
    assert chart_rendering.to_svg(SPEC) == expected_svg
    assert chart_rendering._renderer is None and _gone(renderer.pid)
    assert "charts are drawn in-process" in caplog.text


def test_a_bad_spec_raises_from_the_child_as_it_does_in_process(renderer, monkeypatch):
    with pytest.raises(ValueError) as in_process:
        vl_convert.vegalite_to_svg(BAD_SPEC)
    _refuse_in_process(monkeypatch)
    with pytest.raises(ValueError) as in_child:
        chart_rendering.to_svg(BAD_SPEC)
    assert str(in_child.value) == str(in_process.value)
    assert chart_rendering._renderer is renderer  # a bad spec is no failure of the child ...
    assert chart_rendering.to_svg(SPEC).startswith("<svg")  # ... which goes on serving


def test_stopping_ends_the_child_at_once_even_mid_warm_up(renderer):
    started = time.perf_counter()
    chart_rendering.stop_chart_renderer()  # right after the start: the child is still warming vl-convert up
    assert time.perf_counter() - started < 0.5
    assert chart_rendering._renderer is None and _gone(renderer.pid)


def test_a_child_that_cannot_start_leaves_charts_to_this_process(monkeypatch, caplog):
    def no_child(*args, **kwargs):
        raise OSError("no more processes")

    monkeypatch.setattr(subprocess, "Popen", no_child)
    chart_rendering.start_chart_renderer()
    assert chart_rendering._renderer is None
    assert chart_rendering.to_svg(SPEC).startswith("<svg")
    assert "chart renderer not started" in caplog.text
