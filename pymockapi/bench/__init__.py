"""``pymockapi bench``: the load benchmark of SPEC's "Performance".

Only the command-line glue lives here (``add_parser``, ``run``); the
phases are in :mod:`pymockapi.bench.runner`, imported when the command
runs so ``pymockapi --help`` stays fast.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shlex
import sys
from pathlib import Path
from typing import Any

from pymockapi.errors import UsageError

#: ``(flag, type, default, help)`` of every bench option beyond SPEC's four.
TUNING: tuple[tuple[str, type, Any, str], ...] = (
    ("--connections", int, 10, "concurrent keep-alive connections of the main load"),
    ("--wide-connections", int, 50, "connections of the wide phase"),
    ("--processes", int, 2, "client processes"),
    ("--rounds", int, 20, "transition rounds (each walks every WebSocket session through its story)"),
    ("--ws-sessions", int, 10, "sessions of the transition phase"),
    ("--ws-clients", int, 10, "WebSocket clients per session"),
    ("--phase-cap", int, 30_000, "requests of the 50-connection, baseline and recording phases at most"),
    ("--annotations-per-s", float, 20.0, "annotations POSTed per second during the recording phase"),
    ("--timeout", float, 600.0, "seconds the whole benchmark may take"),
    ("--openapi-records", int, 10, "URLs per GET operation and session in the --openapi phase"),
    ("--startup-samples", int, 3, "server starts with and without --openapi behind openapi.load_ms"),
)


def _positive(kind: type) -> Any:
    def parse(text: str) -> Any:
        value = kind(text)
        if value <= 0:
            raise argparse.ArgumentTypeError("must be positive")
        return value
    parse.__name__ = kind.__name__
    return parse


def configure(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("--sessions", type=_positive(int), default=12, help="demo sessions under load")
    parser.add_argument("--requests", type=_positive(int), default=1000, help="GET requests per session")
    parser.add_argument("--json", type=Path, help="write the report as JSON here")
    parser.add_argument("--url", help="measure this running server instead of starting one")
    parser.add_argument("--openapi", type=Path, help="also measure the GETs of this API description "
                                                     "(the server is started with --openapi FILE --industry NAME)")
    parser.add_argument("--industry", help="whose personas fill the --openapi description: finance, healthcare, retail")
    for flag, kind, default, text in TUNING:
        parser.add_argument(flag, type=_positive(kind), default=default, help=f"{text} (default {default})")
    return parser


def add_parser(sub: Any) -> argparse.ArgumentParser:
    """Register ``bench`` on the ``pymockapi`` sub-command parsers."""
    return configure(sub.add_parser("bench", help="the load benchmark (starts its own server without --url)"))


def options_from(args: argparse.Namespace) -> Any:
    from pymockapi.bench.runner import Options

    openapi, industry = getattr(args, "openapi", None), getattr(args, "industry", None)
    if (openapi is None) != (industry is None):
        raise UsageError("--openapi and --industry go together.",
                         "Say whose personas fill the description: --openapi FILE --industry finance.")
    if openapi is not None and not openapi.is_file():
        raise UsageError(f"No API description at {openapi}.", "Give the path of an OpenAPI or Swagger file.")
    return Options(sessions=args.sessions, requests=args.requests, url=args.url, connections=args.connections,
                   wide_connections=args.wide_connections, processes=args.processes, rounds=args.rounds,
                   ws_sessions=args.ws_sessions, ws_clients=args.ws_clients, phase_cap=args.phase_cap,
                   annotations_per_s=args.annotations_per_s, timeout_s=args.timeout, openapi=openapi,
                   industry=industry, openapi_records=args.openapi_records, startup_samples=args.startup_samples)


def run(args: argparse.Namespace) -> int:
    """Run the benchmark, write ``--json``, print the table; exit 1 when any request failed."""
    from pymockapi.bench.report import render_table
    from pymockapi.bench.runner import Bench

    options = options_from(args)
    report = asyncio.run(Bench(options).run())
    report["command"] = "pymockapi " + shlex.join(sys.argv[1:]) if sys.argv[1:2] == ["bench"] else \
        "pymockapi bench " + shlex.join(sys.argv[1:])
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(render_table(report), flush=True)
    return 0 if report["errors"] == 0 else 1
