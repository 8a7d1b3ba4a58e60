"""Seeded, vectorized random draws built on polars' seeded hashing.

The sample generator must scale to millions of rows without Python loops and
be reproducible for a seed, without numpy.  Each named *stream* hashes the row
numbers ``0..n-1`` with a seed derived from ``(seed, stream)``; the top 53 bits
of the hash are a uniform float in [0, 1).  Streams are independent of each
other and of the order in which they are asked for.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence

import polars as pl

_TWO_53 = float(2**53)


class RandomStreams:
    """Named, independent streams of uniform draws for one sample seed."""

    def __init__(self, seed: int) -> None:
        self.seed = seed

    def _stream_seed(self, stream: str) -> int:
        """A 62-bit seed for ``stream``, stable across processes and Python versions."""
        digest = hashlib.sha256(f"{self.seed}:{stream}".encode()).digest()
        return int.from_bytes(digest[:8], "little") >> 2

    def uniform(self, stream: str, n: int) -> pl.Series:
        """``n`` floats uniform in [0, 1) from ``stream``."""
        hashed = pl.int_range(0, n, eager=True, dtype=pl.Int64).hash(seed=self._stream_seed(stream))
        return ((hashed // 2048).cast(pl.Float64) / _TWO_53).alias(stream)

    def bernoulli(self, stream: str, n: int, p: float | pl.Series) -> pl.Series:
        """``n`` booleans, true with probability ``p`` (a number or a per-row Series)."""
        return (self.uniform(stream, n) < p).alias(stream)

    def integers(self, stream: str, n: int, low: int, high: int) -> pl.Series:
        """``n`` integers uniform in ``[low, high)``."""
        return (self.uniform(stream, n) * (high - low)).floor().cast(pl.Int64) + low

    def choice(self, stream: str, n: int, probs: Sequence[float]) -> pl.Series:
        """``n`` indices into ``probs`` (UInt32), drawn with those probabilities."""
        total = math.fsum(probs)
        cumulative, acc = [], 0.0
        for p in probs:
            acc += p / total
            cumulative.append(acc)
        cumulative[-1] = 1.0 + 1e-12  # a draw of 0.99999... must land in the last bucket
        index = pl.Series(cumulative).search_sorted(self.uniform(stream, n), side="right")
        return index.alias(stream)


def pick(values: Sequence[str], index: pl.Series) -> pl.Series:
    """Values of ``values`` at each position of ``index`` (a vectorized list lookup)."""
    return pl.Series(list(values), dtype=pl.String).gather(index)
