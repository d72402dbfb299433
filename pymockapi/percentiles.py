"""Percentiles and latency summaries shared by the client, the probe and the report.

Nearest-rank percentiles: every figure reported is a latency that was
actually observed, never an interpolation between two of them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

#: The summary labels and the percentile each stands for.
PERCENTILES: tuple[tuple[str, float], ...] = (("p50", 50.0), ("p90", 90.0), ("p99", 99.0))


def percentile(ordered: Sequence[float], pct: float) -> float:
    """The nearest-rank ``pct`` percentile of an already sorted sequence (0.0 when empty)."""
    if not 0.0 <= pct <= 100.0:
        raise ValueError(f"percentile must be within 0..100, got {pct}")
    if not ordered:
        return 0.0
    rank = max(1, math.ceil(pct / 100.0 * len(ordered)))
    return float(ordered[rank - 1])


def summarize(values: Iterable[float], digits: int = 3) -> dict[str, float]:
    """``{"count", "mean", "p50", "p90", "p99", "max"}`` of ``values`` (zeros when empty)."""
    ordered = sorted(values)
    count = len(ordered)
    out: dict[str, float] = {"count": count, "mean": round(sum(ordered) / count, digits) if count else 0.0}
    for label, pct in PERCENTILES:
        out[label] = round(percentile(ordered, pct), digits)
    out["max"] = round(ordered[-1], digits) if ordered else 0.0
    return out
