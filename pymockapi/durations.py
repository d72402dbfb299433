"""Durations as story authors write them: "20s", "1m30s", "250ms", 1.5 (a waypoint's ``after``, a latency)."""

from __future__ import annotations

import re

_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h)")
_UNIT_MS = {"ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def parse_duration_ms(value: object, what: str = "after") -> int:
    """Milliseconds in ``value``; numbers are seconds.

    Raises ``ValueError`` with a readable reason for anything that is not a
    positive duration, so the loader can name the waypoint at fault.
    """
    if isinstance(value, bool):
        raise ValueError(f"'{what}' must be a positive duration like \"20s\", got {value!r}")
    if isinstance(value, (int, float)):
        ms = float(value) * 1000.0
    elif isinstance(value, str):
        text = value.strip().lower().replace(" ", "")
        if not text or _PART.sub("", text):
            raise ValueError(f"'{what}' must be a positive duration like \"20s\" or \"1m30s\", got {value!r}")
        ms = sum(float(n) * _UNIT_MS[u] for n, u in _PART.findall(text))
    else:
        raise ValueError(f"'{what}' must be a positive duration like \"20s\", got {value!r}")
    if ms <= 0 or ms != ms or ms == float("inf"):
        raise ValueError(f"'{what}' must be a positive duration, got {value!r}")
    return round(ms)
