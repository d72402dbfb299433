"""``pymockapi serve --memory`` with the metrics endpoint and loop probe guaranteed.

The benchmark needs ``/_api/metrics`` and a running :class:`LoopLagProbe`
inside the server it measures.  :func:`install_metrics` adds both to a
real :class:`~pymockapi.server.Server` only where the application does not
already have them, so once ``app.py`` and ``Server.listen`` wire them
(the intended home) this module changes nothing and the bench measures
exactly what ``pymockapi serve`` runs.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from typing import Sequence

from pymockapi.bench.probe import LoopLagProbe
from pymockapi.handlers.metrics import LOOP_LAG, METRICS_ROUTE, MetricsHandler
from pymockapi.server import Server, Settings, build_context


def has_metrics_route(server: Server) -> bool:
    return any(getattr(rule, "target", None) is MetricsHandler for rule in server.app.wildcard_router.rules)


def install_metrics(server: Server) -> LoopLagProbe:
    """Route ``/_api/metrics`` and start the loop-lag probe unless the server already does."""
    if not has_metrics_route(server):
        server.app.wildcard_router.add_rules([(METRICS_ROUTE, MetricsHandler, {"ctx": server.ctx})])
    probe = server.ctx.probes.get(LOOP_LAG)
    if probe is None:
        probe = server.ctx.probes[LOOP_LAG] = LoopLagProbe()
    probe.start()
    return probe


async def serve(port: int, host: str = "127.0.0.1") -> None:
    """The real server on ``host:port`` with state in memory, until SIGINT/SIGTERM."""
    server = Server(build_context(Settings(host=host, port=port, state=None)))
    bound = server.listen(port, host)
    probe = install_metrics(server)
    print(f"PyMockAPI (bench) serving on http://{host}:{bound}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    probe.stop()
    await server.stop()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pymockapi.bench.serve")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args(argv)
    asyncio.run(serve(args.port, args.host))
    return 0


if __name__ == "__main__":
    sys.exit(main())
