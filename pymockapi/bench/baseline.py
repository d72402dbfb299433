"""The bare-Tornado baseline: a fixed 300-byte JSON body, nothing else.

The benchmark serves this from its own process and measures it with the
same client and the same connections as PyMockAPI, so ``ratio_to_baseline``
says how much of the bare stack's speed the product keeps on this machine,
in this run, under this load, whatever the noise from other work.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Sequence

import tornado.httpserver
import tornado.netutil
import tornado.web

from pymockapi.loop import until_signalled

#: The size of the body the issue's ``wrk`` figures were measured with.
BODY_BYTES = 300


def fixed_body(size: int = BODY_BYTES) -> bytes:
    """A JSON object of exactly ``size`` bytes (padding in a ``note`` field)."""
    shell = {"id": "pat-0001", "name": "Maria Alvarez", "status": "ok", "note": ""}
    bare = len(json.dumps(shell).encode())
    if size < bare:
        raise ValueError(f"a body needs at least {bare} bytes")
    shell["note"] = "x" * (size - bare)
    return json.dumps(shell).encode()


class FixedHandler(tornado.web.RequestHandler):
    """Answers every GET with the same bytes."""

    def initialize(self, body: bytes) -> None:
        self.body = body

    def get(self, *args: str) -> None:
        self.set_header("Content-Type", "application/json; charset=UTF-8")
        self.finish(self.body)


def make_baseline_app(size: int = BODY_BYTES) -> tornado.web.Application:
    return tornado.web.Application([(r"/(.*)", FixedHandler, {"body": fixed_body(size)})])


async def serve(port: int, host: str = "127.0.0.1") -> None:
    """Serve until SIGINT/SIGTERM, printing the bound port once ready."""
    server = tornado.httpserver.HTTPServer(make_baseline_app())
    sockets = tornado.netutil.bind_sockets(port, host)
    server.add_sockets(sockets)
    print(f"baseline serving on http://{host}:{sockets[0].getsockname()[1]}", flush=True)
    await until_signalled()
    server.stop()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pymockapi.bench.baseline")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args(argv)
    asyncio.run(serve(args.port, args.host))
    return 0


if __name__ == "__main__":
    sys.exit(main())
