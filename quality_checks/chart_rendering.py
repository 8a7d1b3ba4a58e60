"""Rendering the quality charts' Vega-Lite specs with vl-convert, in a child
process when the run started one, else in this process.

vl-convert holds the GIL for a whole conversion, and the first conversion in a
process spends about 0.5-0.7 s starting its JavaScript engine and loading fonts.
A thread does not help. A nightly run from the CLI instead starts one child
process (``start_chart_renderer``). The child pays that start-up on the second
core while this process sets Dagster up. After that, each chart costs this
process a pipe round trip, and it waits on the pipe without holding the GIL.

Without a started child (Dagster UI runs, tests that draw charts directly), or
once the child has failed, vl-convert runs in-process as before. A failing
child never fails a run: the chart is drawn here instead. A spec that
vl-convert refuses raises the same ``ValueError`` either way.

The child is ``python -m quality_checks.chart_rendering``, not a multiprocessing
spawn. A spawn child re-imports the parent's main module. Under the ``nayose``
console script that is ``pipelines.cli``, and with it Dagster: the child was
ready after 1.6-1.9 s instead of 0.55-0.7 s, and it held Dagster in memory for
nothing. This module imports nothing but vl-convert and the standard library,
so the child loads nothing else.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import select
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import vl_convert

REPLY_TIMEOUT_S = 30.0
"""Longest wait for the child's reply before drawing in-process instead. The
first reply includes the child's start-up (0.8-0.9 s on an idle machine)."""

_WARM_UP_SPEC = {"data": {"values": []}, "mark": "point"}
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[1])
_log = logging.getLogger(__name__)


class _ChildFailed(Exception):
    """The child did not answer (died, hung, or sent something unreadable)."""


def _convert(function: str, spec: dict[str, Any], options: dict[str, Any]) -> str | bytes:
    """One vl-convert call, the same one in the child and in-process."""
    return getattr(vl_convert, function)(spec, **options)


class ChartRenderer:
    """One child process that converts Vega-Lite specs with vl-convert.

    The parent sends pickled ``(function, spec, options)`` requests on the
    child's stdin. The child answers each on its stdout with a pickled
    ``(True, result)`` or ``(False, error)``. It serves one request at a time,
    and the parent holds a lock for each round trip."""

    def __init__(self) -> None:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [_PACKAGE_ROOT, os.environ.get("PYTHONPATH")]))}
        # -P: the working directory (a project folder of data files) is not put on the child's sys.path
        self._process = subprocess.Popen(
            [sys.executable, "-P", "-m", __name__], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env
        )
        self._lock = threading.Lock()

    @property
    def pid(self) -> int:
        return self._process.pid

    def convert(self, function: str, spec: dict[str, Any], options: dict[str, Any]) -> str | bytes:
        """The child's conversion. Re-raises the child's conversion error (a bad
        spec). Raises ``_ChildFailed`` when the child itself fails."""
        with self._lock:
            try:
                pickle.dump((function, spec, options), self._process.stdin)
                self._process.stdin.flush()
                ready, _, _ = select.select([self._process.stdout], [], [], REPLY_TIMEOUT_S)
                if not ready:
                    raise TimeoutError(f"no reply within {REPLY_TIMEOUT_S:g} s")
                converted, result = pickle.load(self._process.stdout)
            except Exception as error:  # everything here is the pipe and the child, not the spec's conversion
                raise _ChildFailed(repr(error)) from error
        if not converted:
            raise result
        return result

    def stop(self) -> None:
        """End the child now, even mid warm-up (it holds nothing to save), and reap it."""
        self._process.kill()
        self._process.wait()
        for pipe in (self._process.stdin, self._process.stdout):
            with contextlib.suppress(OSError):  # a request the dead child never read
                pipe.close()


_renderer: ChartRenderer | None = None
_renderer_lock = threading.Lock()


def start_chart_renderer() -> None:
    """Start this process's chart renderer child, if none is running. The call
    returns as soon as the child is launched. The child warms vl-convert up on
    its own. If the child cannot be started, charts are drawn in-process."""
    global _renderer
    with _renderer_lock:
        if _renderer is not None:
            return
        try:
            _renderer = ChartRenderer()
        except Exception as error:  # noqa: BLE001 - no child is no failure: the charts are drawn here
            _log.warning("chart renderer not started (%s); charts are drawn in-process", error)


def stop_chart_renderer() -> None:
    """End the renderer child, if one runs, and wait for it to exit. Later
    conversions run in-process."""
    global _renderer
    with _renderer_lock:
        renderer, _renderer = _renderer, None
    if renderer is not None:
        renderer.stop()


def _render(function: str, spec: dict[str, Any], options: dict[str, Any]) -> str | bytes:
    """Convert in the started child. Without one, or when it fails, convert in-process."""
    global _renderer
    renderer = _renderer
    if renderer is not None:
        try:
            return renderer.convert(function, spec, options)
        except _ChildFailed as failure:
            _log.warning("chart renderer child failed (%s); charts are drawn in-process", failure)
            with _renderer_lock:
                if _renderer is renderer:
                    _renderer = None
            renderer.stop()
    return _convert(function, spec, options)


def to_svg(spec: dict[str, Any]) -> str:
    """A Vega-Lite spec (dict) rendered to an SVG document. Raises
    ``ValueError`` when vl-convert refuses the spec."""
    return _render("vegalite_to_svg", spec, {})


def to_png(spec: dict[str, Any], scale: float = 1) -> bytes:
    """A Vega-Lite spec (dict) rendered to PNG bytes at ``scale``. Raises
    ``ValueError`` when vl-convert refuses the spec."""
    return _render("vegalite_to_png", spec, {"scale": scale})


def _serve() -> None:
    """The child's loop: warm vl-convert up, then answer requests until stdin closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; it ends the child
    requests = sys.stdin.buffer
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # a stray print must not corrupt the replies
    with contextlib.suppress(Exception):  # the real charts report what is wrong
        _convert("vegalite_to_svg", _WARM_UP_SPEC, {})
    while True:
        try:
            function, spec, options = pickle.load(requests)
        except EOFError:
            return
        try:
            reply = (True, _convert(function, spec, options))
        except Exception as error:  # noqa: BLE001 - the parent raises it, as an in-process conversion would
            reply = (False, error)
        pickle.dump(reply, replies)
        replies.flush()


if __name__ == "__main__":
    _serve()
