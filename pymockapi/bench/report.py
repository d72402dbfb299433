"""The benchmark's output: the machine it ran on, the targets it is held to, and a readable table."""

from __future__ import annotations

import operator
import os
import platform
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

#: ``(label, dotted path in the report, comparison, limit)`` from the performance issue.
TARGETS: tuple[tuple[str, str, str, float], ...] = (
    ("errors", "errors", "==", 0),
    ("latency p99 at 10 connections (ms)", "latency_ms.p99", "<=", 3.0),
    ("latency p99 at 50 connections (ms)", "latency_50_connections.latency_ms.p99", "<=", 15.0),
    ("ratio to bare Tornado", "ratio_to_baseline", ">=", 0.7),
    ("first-time persona p99 (ms)", "first_time_persona_ms.p99", "<=", 5.0),
    ("transition p99 (ms)", "transition_ms.p99", "<=", 10.0),
    ("loop lag max, recording on (ms)", "recording.loop_lag_max_ms", "<=", 16.7),
    ("memory per idle session (bytes)", "memory.per_idle_session_bytes", "<=", 100 * 1024),
    ("API: latency p99 at 10 connections (ms)", "openapi.latency_ms.p99", "<=", 3.0),
    ("API: ratio to bare Tornado", "openapi.ratio_to_baseline", ">=", 0.7),
    ("API: first uncached p99 (ms)", "openapi.cold_ms.p99", "<=", 5.0),
)
COMPARE: dict[str, Callable[[Any, Any], bool]] = {"==": operator.eq, "<=": operator.le, ">=": operator.ge}

#: The rows of the printed table: ``(label, dotted path)``.
ROWS: tuple[tuple[str, str], ...] = (
    ("sessions x requests", "_shape"),
    ("errors", "errors"),
    ("throughput (req/s)", "throughput_rps"),
    ("latency p50 / p99 / max (ms)", "latency_ms"),
    ("baseline (req/s)", "baseline_rps"),
    ("ratio to baseline", "ratio_to_baseline"),
    ("50 connections: req/s", "latency_50_connections.throughput_rps"),
    ("50 connections: p50 / p99 / max (ms)", "latency_50_connections.latency_ms"),
    ("first-time persona p50 / p99 / max (ms)", "first_time_persona_ms"),
    ("  … under cold load p50 / p99 / max (ms)", "first_time_persona_loaded_ms"),
    ("first-time any GET p50 / p99 / max (ms)", "first_time_all_ms"),
    ("transition p50 / p99 / max (ms)", "transition_ms"),
    ("loop lag p50 / p99 / max (ms)", "loop_lag_ms"),
    ("recording: latency p99 (ms)", "recording.latency_p99_ms"),
    ("recording: loop lag max (ms)", "recording.loop_lag_max_ms"),
    ("memory per idle session (KiB)", "_idle_kib"),
    ("memory per materialised session (KiB)", "_full_kib"),
    ("API description", "openapi.story"),
    ("  GET operations measured / described", "_openapi_ops"),
    ("  load (ms, start-up difference)", "openapi.load_ms"),
    ("  req/s", "openapi.throughput_rps"),
    ("  p50 / p99 / max (ms)", "openapi.latency_ms"),
    ("  ratio to baseline", "openapi.ratio_to_baseline"),
    ("  first uncached p50 / p99 / max (ms)", "openapi.cold_ms"),
    ("  slowest first render, alone", "_openapi_slowest"),
    ("  errors", "openapi.errors"),
    ("duration (s)", "duration_s"),
    ("load average 1/5/15 at end", "machine.loadavg_end"),
)


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def machine_info() -> dict[str, Any]:
    return {"nproc": os.cpu_count(), "cpu_model": cpu_model(), "python": platform.python_version(),
            "platform": platform.platform(), "loadavg_start": load_average()}


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def lookup(report: Mapping[str, Any], dotted: str) -> Any:
    """The value at ``a.b.c`` in nested dicts, or None when any step is missing."""
    value: Any = report
    for key in dotted.split("."):
        if not isinstance(value, Mapping) or key not in value:
            return None
        value = value[key]
    return value


def check_targets(report: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Every target with its measured value and whether it was met (None when not measured)."""
    out = {}
    for label, dotted, op, limit in TARGETS:
        value = lookup(report, dotted)
        out[label] = {"path": dotted, "target": f"{op} {limit:g}", "value": value,
                      "met": None if value is None else bool(COMPARE[op](value, limit))}
    return out


def _fmt(value: Any) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, Mapping) and "p99" in value:
        parts = [value.get(k) for k in ("p50", "p99", "max") if k in value]
        return " / ".join(_fmt(p) for p in parts)
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, (list, tuple)):
        return " / ".join(_fmt(v) for v in value)
    return str(value)


def _derived(report: Mapping[str, Any]) -> dict[str, Any]:
    memory = report.get("memory") or {}
    kib = {k: (None if memory.get(f) is None else round(memory[f] / 1024, 1))
           for k, f in (("_idle_kib", "per_idle_session_bytes"), ("_full_kib", "per_materialised_session_bytes"))}
    operations = lookup(report, "openapi.operations") or {}
    slow = (lookup(report, "openapi.slowest_first_render") or [None])[0]
    return {"_shape": f"{report.get('sessions')} x {report.get('requests_per_session')}", **kib,
            "_openapi_ops": f"{operations['measured']} / {operations['get']}" if operations else None,
            "_openapi_slowest": f"{slow['operation']} ({slow['max']:.1f} ms)"
            if slow else None}


def render_table(report: Mapping[str, Any]) -> str:
    """The report as two aligned tables: the figures, then the targets with ok / MISSED."""
    derived = _derived(report)
    rows = [(label, _fmt(derived[path] if path in derived else lookup(report, path))) for label, path in ROWS]
    width = max(len(label) for label, _ in rows)
    lines = [f"PyMockAPI bench  {report.get('date', '')}  {lookup(report, 'machine.cpu_model')} "
             f"x{lookup(report, 'machine.nproc')}  Python {lookup(report, 'machine.python')}", ""]
    lines += [f"  {label:<{width}}  {value}" for label, value in rows]
    lines += ["", "  targets:"]
    for label, verdict in (report.get("targets") or check_targets(report)).items():
        mark = {True: "ok", False: "MISSED", None: "n/a"}[verdict["met"]]
        lines.append(f"  {label:<{width}}  {_fmt(verdict['value']):>12}  {verdict['target']:<10} {mark}")
    return "\n".join(lines)
