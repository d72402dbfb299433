"""The benchmark: its statistics, probe, client and metrics endpoint, and a tiny real run.

Timings depend on the machine, so nothing here asserts a latency: the
tiny bench checks the report's shape (every SPEC field, sane types) and
that no request failed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import time
from pathlib import Path
from typing import Any

import pytest
import tornado.httpserver
import tornado.netutil

from pymockapi.bench import add_parser, configure, options_from, run
from pymockapi.bench.api import Api
from pymockapi.bench.apidoc import base_path, get_operations, noun_of, schema_value
from pymockapi.bench.apilearn import learn
from pymockapi.bench.apiphase import described_story_id
from pymockapi.bench.apiplan import Value, assignments
from pymockapi.bench.apiwalk import walk
from pymockapi.bench.baseline import BODY_BYTES, fixed_body
from pymockapi.bench.client import Connection, LoadPool, LoadResult, dechunk, measure_urls, parse_head, split_url
from pymockapi.bench.client import main as client_main
from pymockapi.bench.discover import discover, expand, fills, item_ids, last_word, persona_values
from pymockapi.bench.idsource import harvest
from pymockapi.bench.lanes import Fetched
from pymockapi.bench.procs import Child, wait_ready
from pymockapi.bench.report import TARGETS, check_targets, lookup, render_table
from pymockapi.bench.runner import Bench, Options, interleave, load_order
from pymockapi.errors import UsageError
from pymockapi.handlers.metrics import LOOP_LAG
from pymockapi.percentiles import percentile, summarize
from pymockapi.probes import LoopLagProbe, rss_bytes
from pymockapi.server import Server, Settings, build_context

pytestmark = pytest.mark.slow  # real processes, OBS, or the load benchmark

BANK = Path(__file__).resolve().parent / "apispecs" / "binder" / "bank.yaml"

SPEC_FIELDS: dict[str, type | tuple[type, ...]] = {
    "sessions": int, "requests_per_session": int, "errors": int, "latency_ms": dict, "throughput_rps": float,
    "baseline_rps": float, "ratio_to_baseline": float, "transition_ms": dict, "loop_lag_ms": dict,
    "recording": dict,
}
NESTED: dict[str, tuple[str, ...]] = {
    "latency_ms": ("p50", "p99", "max"), "transition_ms": ("p50", "p99"), "loop_lag_ms": ("p99", "max"),
    "recording": ("latency_p99_ms", "loop_lag_max_ms"),
}


# --------------------------------------------------------------------------- statistics
def test_percentile_is_an_observed_value_and_monotonic() -> None:
    rng = random.Random(7)
    for _ in range(200):
        values = sorted(rng.uniform(0, 50) for _ in range(rng.randint(1, 300)))
        got = [percentile(values, p) for p in (0, 1, 25, 50, 90, 99, 100)]
        assert all(g in values for g in got)
        assert got == sorted(got)
        assert got[0] == values[0] and got[-1] == values[-1]
        below = sum(1 for v in values if v <= percentile(values, 99))
        assert below >= 0.99 * len(values)


def test_percentile_rejects_out_of_range_and_handles_empty() -> None:
    assert percentile([], 99) == 0.0
    with pytest.raises(ValueError, match=r"within 0\.\.100"):
        percentile([1.0], 101)


def test_summarize_orders_its_figures() -> None:
    rng = random.Random(11)
    for _ in range(100):
        values = [rng.expovariate(1.0) for _ in range(rng.randint(1, 500))]
        s = summarize(values)
        assert s["count"] == len(values)
        assert s["p50"] <= s["p90"] <= s["p99"] <= s["max"]
        assert s["max"] == round(max(values), 3)
    assert summarize([]) == {"count": 0, "mean": 0.0, "p50": 0.0, "p90": 0.0, "p99": 0.0, "max": 0.0}


# --------------------------------------------------------------------------- probe
def test_loop_lag_probe_sees_a_stall() -> None:
    async def scenario() -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
        probe = LoopLagProbe(interval_ms=2)
        probe.start()
        probe.start()  # a second start changes nothing
        await asyncio.sleep(0.05)
        time.sleep(0.04)  # the stall: nothing on the loop can run
        await asyncio.sleep(0.02)
        stalled = probe.snapshot()
        probe.reset()
        after_reset = probe.snapshot()
        probe.stop()
        stopped = probe.snapshot()
        count = probe.count
        await asyncio.sleep(0.02)
        assert probe.count == count  # no ticks once stopped
        return stalled, after_reset, stopped

    stalled, after_reset, stopped = asyncio.run(scenario())
    assert stalled["count"] > 5 and stalled["running"]
    assert stalled["max"] >= 30.0
    assert 0.0 <= stalled["p50"] <= stalled["p99"] <= stalled["max"]
    assert after_reset["count"] == 0 and after_reset["max"] == 0.0
    assert not stopped["running"]


def test_loop_lag_probe_bounds_its_memory_and_clamps_early_ticks() -> None:
    probe = LoopLagProbe(interval_ms=5, keep=50)
    for i in range(1000):
        probe.record(float(i % 40) - 1.0)
    snap = probe.snapshot()
    assert snap["count"] == 1000 and snap["max"] == 38.0
    assert snap["p50"] >= 0.0
    with pytest.raises(ValueError, match="positive"):
        LoopLagProbe(interval_ms=0)


def test_rss_is_positive_for_this_process() -> None:
    assert rss_bytes() > 1 << 20
    assert rss_bytes(os.getpid()) > 1 << 20


# --------------------------------------------------------------------------- HTTP parsing
def test_parse_head_finds_the_body() -> None:
    raw = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: x\r\n\r\nhello"
    head = parse_head(raw)
    assert head is not None and head.status == 200 and head.length == 5 and head.keep_alive
    assert raw[head.start:head.start + head.length] == b"hello"
    assert parse_head(b"HTTP/1.1 200 OK\r\nContent-Le") is None
    empty = parse_head(b"HTTP/1.1 204 No Content\r\nContent-Length: 9\r\n\r\n")
    assert empty is not None and empty.length == 0
    closing = parse_head(b"HTTP/1.0 200 OK\r\nConnection: close\r\n\r\nrest")
    assert closing is not None and closing.length is None and not closing.keep_alive
    with pytest.raises(ConnectionError, match="not an HTTP response"):
        parse_head(b"SSH-2.0-OpenSSH\r\n\r\n")


def test_dechunk_reassembles_bodies() -> None:
    rng = random.Random(3)
    for _ in range(100):
        parts = [bytes(rng.randrange(256) for _ in range(rng.randint(1, 40))) for _ in range(rng.randint(0, 6))]
        trailer = b"X-Trailer: 1\r\n" if rng.random() < 0.3 else b""
        wire = b"".join(b"%x;ext=1\r\n" % len(p) + p + b"\r\n" for p in parts) + b"0\r\n" + trailer + b"\r\n"
        assert dechunk(b"HEAD" + wire, 4) == (b"".join(parts), len(wire) + 4)
        cut = rng.randint(0, len(wire) - 1)
        assert dechunk(wire[:cut], 0) is None


def test_split_url_accepts_http_only() -> None:
    assert split_url("http://127.0.0.1:81/a?b=1") == ("127.0.0.1", 81, "/a?b=1")
    assert split_url("http://localhost") == ("localhost", 80, "/")
    with pytest.raises(ValueError, match="http://"):
        split_url("https://127.0.0.1/")


def test_fixed_body_has_the_baseline_size() -> None:
    for size in (BODY_BYTES, 120, 1000):
        body = fixed_body(size)
        assert len(body) == size and isinstance(json.loads(body), dict)
    with pytest.raises(ValueError, match="at least"):
        fixed_body(10)


# --------------------------------------------------------------------------- discovery and report
def test_discovery_helpers() -> None:
    assert last_word("/customers/{customer_id}/accounts") == "accounts"
    assert last_word("/customers/{customer_id}") is None
    assert fills("/customers/{customer_id}/accounts") == "account_id"
    assert fills("/stories/{x}") is None
    assert item_ids({"items": [{"id": "a"}, {"id": 3}, "x"], "total": 2}) == ["a"]
    assert item_ids([{"id": "b"}]) == ["b"] and item_ids("text") == []
    assert expand("/a/{x}/b/{y}", {"x": ["1", "2"], "y": ["u"]}) == ["/a/1/b/u", "/a/2/b/u"]
    assert len(expand("/a/{x}", {"x": [str(i) for i in range(10)]}, limit=4)) == 4
    assert persona_values([{"id": "p1", "type": "patient"}, {"id": "d1", "type": "provider"}]) == {
        "patient_id": ["p1"], "provider_id": ["d1"]}


def test_discover_follows_lists_and_skips_what_it_cannot_fill() -> None:
    bodies = {
        "/_api/sessions/s/personas": {"personas": [{"id": "c1", "type": "customer"}]},
        "/demo/s/customers/c1/accounts": {"items": [{"id": "a1"}, {"id": "a2"}]},
    }

    async def fetch(method: str, path: str) -> tuple[int, Any]:
        return (200, bodies[path]) if path in bodies else (404, None)

    story = {"id": "bank", "endpoints": [
        {"method": "GET", "path": "/customers/{customer_id}"},
        {"method": "GET", "path": "/customers/{customer_id}/accounts"},
        {"method": "GET", "path": "/accounts/{account_id}"},
        {"method": "GET", "path": "/ghosts/{ghost_id}"},
        {"method": "POST", "path": "/accounts/{account_id}/payments"},
    ]}
    plan = asyncio.run(discover(fetch, "s", story))
    assert plan.urls == ["/demo/s/customers/c1", "/demo/s/customers/c1/accounts", "/demo/s/accounts/a1",
                         "/demo/s/accounts/a2"]
    assert plan.persona_urls == ["/demo/s/customers/c1"]
    assert plan.skipped == ["/ghosts/{ghost_id}"]

    async def broken(method: str, path: str) -> tuple[int, Any]:
        return 500, None

    with pytest.raises(RuntimeError, match="answered 500"):
        asyncio.run(discover(broken, "s", story))


#: A small served description: a list, its detail, a nested list, and a required query and header.
SHOP_DOC: dict[str, Any] = {
    "servers": [{"url": "/demo/shop/v1"}],
    "components": {"parameters": {"Tenant": {"name": "X-Tenant", "in": "header", "required": True,
                                             "schema": {"type": "string", "format": "uuid"}}}},
    "paths": {
        "/orders": {"get": {"parameters": [{"name": "since", "in": "query", "required": True,
                                            "schema": {"type": "string", "format": "date"}},
                                           {"name": "limit", "in": "query", "schema": {"type": "integer"}}]}},
        "/orders/{orderId}": {"parameters": [{"name": "orderId", "in": "path", "required": True}],
                              "get": {"parameters": [{"$ref": "#/components/parameters/Tenant"}]},
                              "delete": {}},
        "/orders/{orderId}/lines/{id}": {"get": {"parameters": [
            {"name": "orderId", "in": "path", "required": True}, {"name": "id", "in": "path", "required": True}]}},
        "/orders/{orderId}/lines": {"get": {"parameters": [{"name": "orderId", "in": "path", "required": True}]}},
        "/ghosts/{ghostId}": {"get": {}},
    },
}


def test_api_description_operations_fill_what_they_require() -> None:
    from datetime import date

    ops = {op.key: op for op in get_operations(SHOP_DOC, date(2025, 6, 2))}
    assert set(ops) == {"GET /orders", "GET /orders/{orderId}", "GET /orders/{orderId}/lines/{id}",
                        "GET /orders/{orderId}/lines", "GET /ghosts/{ghostId}"}
    assert ops["GET /orders"].query == (("since", "2025-06-02"),) and not ops["GET /orders"].ids
    detail = ops["GET /orders/{orderId}"]
    assert [p.identity for p in detail.ids] == ["orderid"] and detail.headers[0][0] == "X-Tenant"
    assert [p.identity for p in ops["GET /orders/{orderId}/lines/{id}"].ids] == ["orderid", "line.id"]
    assert detail.url("/demo/s/v1", {"orderId": "o 1"}) == "/demo/s/v1/orders/o%201"
    assert ops["GET /orders"].url("/b", {}) == "/b/orders?since=2025-06-02"
    assert base_path(SHOP_DOC, "shop") == "/v1" and base_path({}, "shop") == ""
    assert noun_of("/Benefits/{id}", "id") == "benefit" and noun_of("/x/{EmployeeID}", "EmployeeID") == "employee"
    assert schema_value({}, {"type": "integer", "minimum": 5}, date(2025, 1, 1), "s") == 6
    assert schema_value({}, {"enum": [None, "open"]}, date(2025, 1, 1), "s") == "open"
    assert schema_value({}, {"type": "array", "items": {"type": "boolean"}}, date(2025, 1, 1), "s") == [True]


def test_ids_are_found_by_name_and_belong_to_their_request() -> None:
    from datetime import date

    ops = {op.key: op for op in get_operations(SHOP_DOC, date(2025, 6, 2))}
    wanted = [p for op in ops.values() for p in op.ids]
    found = harvest({"data": [{"id": "o1", "customerId": "c1"}, {"id": "o2"}], "meta": {"id": "m"}},
                    "GET /orders", "/orders", wanted)
    surest = min(found["orderid"])
    assert (surest.rank, surest.field, found["orderid"][surest]) == (2, "id", ["o1", "o2"])
    assert {s.field: s.rank for s in found["orderid"]} == {"id": 2, "customerId": 3}  # any ...id of an order
    nested = harvest({"lines": [{"lineId": "l1", "AmazonOrderId": "o9"}]}, "GET /x", "/x", wanted)
    assert {s.field: s.rank for s in nested["line.id"]} == {"lineId": 0}
    assert {s.field: s.rank for s in nested["orderid"]} == {"AmazonOrderId": 1}
    lines = ops["GET /orders/{orderId}/lines/{id}"]
    choices = {"orderid": [Value("o1"), Value("o2")],
               "line.id": [Value("l1", (("orderid", "o1"),)), Value("l2", (("orderid", "o2"),))]}
    assert assignments(lines, choices, 10) == [{"orderId": "o1", "id": "l1"}, {"orderId": "o2", "id": "l2"}]
    assert assignments(lines, {"orderid": [Value("o1")]}, 10) == []


def test_learn_then_walk_a_fake_server() -> None:
    from datetime import date

    ops = get_operations(SHOP_DOC, date(2025, 6, 2))
    bodies = {"/orders?since=2025-06-02": {"data": [{"id": "o1"}, {"id": "o2"}]},
              "/orders/o1": {"id": "o1", "total": 3}, "/orders/o2": {"id": "o2"},
              "/orders/o1/lines": [{"id": "l1"}], "/orders/o2/lines": [{"id": "l2"}],
              "/orders/o1/lines/l1": {"id": "l1"}, "/orders/o2/lines/l2": {"id": "l2"}}
    asked: list[tuple[str, Any]] = []

    async def fetch(requests: Any) -> list[Fetched]:
        out = []
        for path, headers in requests:
            asked.append((path, headers))
            local = path.split("/v1", 1)[1]
            body = bodies.get(local)
            out.append(Fetched(path, 200 if body is not None else 404, 1.0, json.dumps(body).encode()))
        return out

    async def scenario() -> tuple[Any, Any]:
        plan = await learn(fetch, "/demo/learn/v1", ops, 5)
        samples = await walk(fetch, ["/demo/a/v1", "/demo/b/v1"], plan, 5)
        return plan, samples

    plan, samples = asyncio.run(scenario())
    assert [[op.key for op in wave] for wave in plan.waves] == [
        ["GET /orders"], ["GET /orders/{orderId}", "GET /orders/{orderId}/lines"],
        ["GET /orders/{orderId}/lines/{id}"]]
    assert plan.skipped == {"GET /ghosts/{ghostId}": "no answered body shows a value for ghostId"}
    assert plan.id_sources() == {"line.id": "GET /orders/{orderId}/lines .id", "orderid": "GET /orders .id"}
    assert all(s.ok for s in samples) and len(samples) == 2 * 7
    assert {s.path for s in samples if s.session == 1} >= {"/demo/b/v1/orders/o2/lines/l2"}
    assert all(h and h[0][0] == "X-Tenant" for p, h in asked if p.endswith(("/o1", "/o2")))
    assert len({s.path for s in samples}) == len(samples)  # each URL once per session: every one uncached


def test_described_story_id_and_usage_errors(tmp_path: Path) -> None:
    assert described_story_id(BANK) == "demo-bank-api"
    untitled = tmp_path / "my-api.json"
    untitled.write_text('{"openapi": "3.0.3", "paths": {}}')
    assert described_story_id(untitled) == "my-api"
    parser = configure(argparse.ArgumentParser())
    with pytest.raises(UsageError, match="go together"):
        options_from(parser.parse_args(["--openapi", str(BANK)]))
    with pytest.raises(UsageError, match="No API description"):
        options_from(parser.parse_args(["--openapi", str(tmp_path / "none.yaml"), "--industry", "finance"]))
    options = options_from(parser.parse_args(["--openapi", str(BANK), "--industry", "finance"]))
    assert options.openapi_args == ("--openapi", str(BANK), "--industry", "finance")


def test_load_order_interleaves_sessions() -> None:
    from pymockapi.bench.discover import Plan

    plans = [Plan("a", "x", ["a1", "a2"]), Plan("b", "y", ["b1"]), Plan("c", "z", [])]
    assert load_order(plans, 3) == ["a1", "b1", "a2", "b1", "a1", "b1"]
    assert interleave([["a1", "a2"], ["b1"]]) == ["a1", "b1", "a2"]


def test_report_checks_targets_and_renders_missing_values() -> None:
    report: dict[str, Any] = {"errors": 0, "latency_ms": {"p50": 1.0, "p99": 2.0, "max": 9.0},
                              "ratio_to_baseline": 0.5, "machine": {"nproc": 2}}
    verdicts = check_targets(report)
    assert set(verdicts) == {t[0] for t in TARGETS}
    assert verdicts["errors"]["met"] is True
    assert verdicts["ratio to bare Tornado"]["met"] is False
    assert verdicts["transition p99 (ms)"]["met"] is None
    assert lookup(report, "latency_ms.p99") == 2.0 and lookup(report, "latency_ms.p99.x") is None
    table = render_table(report)
    assert "MISSED" in table and "n/a" in table and "1.00 / 2.00 / 9.00" in table


def test_load_result_counts_errors_and_unfinished() -> None:
    result = LoadResult([1.0, 2.0, -1.0, 4.0], [200, 500, 0, 204], 2.0)
    assert result.completed == 3 and result.errors == 2
    assert result.throughput_rps == 1.5
    assert result.latency([0, 2])["count"] == 1
    assert LoadResult([], [], 0.0).throughput_rps == 0.0


# --------------------------------------------------------------------------- real processes
def test_client_pool_against_the_baseline_server() -> None:
    async def scenario() -> tuple[LoadResult, dict[str, Any], int]:
        child = await Child("pymockapi.bench.baseline", "/").ready()
        pool = LoadPool(2)
        try:
            result = await pool.run("127.0.0.1", child.port, [f"/r{i}" for i in range(400)], 6)
            conn = await Connection.open("127.0.0.1", child.port)
            reply = await conn.request("POST", "/x", {"a": 1})
            conn.close()
            summary = await measure_urls([f"{child.url}/a", f"{child.url}/b"], 200, 4, 1, 20, 30.0)
        finally:
            pool.close()
            child.stop()
        return result, summary, reply.status

    result, summary, post_status = asyncio.run(scenario())
    assert result.errors == 0 and result.completed == 400
    assert all(ms > 0 for ms in result.latency_ms)
    assert summary["errors"] == 0 and summary["requests"] == 200
    assert post_status == 405  # the baseline answers GET only
    with pytest.raises(ValueError, match="at least 1"):
        LoadPool(0)


def test_client_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    async def start() -> Child:
        return await Child("pymockapi.bench.baseline", "/").ready()

    child = asyncio.run(start())
    try:
        code = client_main([child.url + "/", "--requests", "100", "--processes", "1", "--label", "bare"])
    finally:
        child.stop()
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["label"] == "bare" and out["errors"] == 0
    with pytest.raises(ValueError, match="same host"):
        asyncio.run(measure_urls(["http://127.0.0.1:1/", "http://127.0.0.1:2/"], 1, 1, 1, 0, 1.0))


def test_wait_ready_gives_up() -> None:
    with pytest.raises(RuntimeError, match="did not answer"):
        asyncio.run(wait_ready("127.0.0.1", 9, "/", deadline_s=0.2))


def test_metrics_handler_on_a_real_context() -> None:
    async def scenario() -> list[tuple[int, Any]]:
        server = Server(build_context(Settings(state=None)))
        port = server.listen(0)
        api = Api("127.0.0.1", port)
        probe = server.ctx.probes[LOOP_LAG]
        answers = [await api.get("/_api/metrics")]
        await asyncio.sleep(0.05)
        answers.append(await api.get("/_api/metrics"))
        answers.append(await api.call("POST", "/_api/metrics/reset"))
        answers.append(await api.call("POST", "/_api/metrics"))
        answers.append(await api.get("/_api/metrics/reset"))
        api.close()
        await server.stop()
        assert not probe.running
        return answers

    answers = asyncio.run(scenario())
    assert answers[0][0] == 200
    status, body = answers[1]
    assert status == 200 and body["sessions"] >= 4 and body["rss_bytes"] > 0
    assert body["loop_lag_ms"]["count"] > 0 and body["recorders"] == []
    assert answers[2][0] == 200 and answers[2][1]["loop_lag_ms"]["count"] <= 2
    assert answers[3][0] == 405 and answers[3][1]["error"]["code"] == "method_not_allowed"
    assert answers[4][0] == 405


def test_metrics_without_a_probe_reports_null_lag() -> None:
    async def scenario() -> tuple[int, Any]:
        server = Server(build_context(Settings(state=None)))  # never listened: no probe started
        sockets = tornado.netutil.bind_sockets(0, "127.0.0.1")
        http = tornado.httpserver.HTTPServer(server.app)
        http.add_sockets(sockets)
        api = Api("127.0.0.1", int(sockets[0].getsockname()[1]))
        answer = await api.call("POST", "/_api/metrics/reset")
        api.close()
        http.stop()
        await server.stop()
        return answer

    status, body = asyncio.run(scenario())
    assert status == 200 and body["loop_lag_ms"] is None


def _check_report(report: dict[str, Any], sessions: int, requests: int) -> None:
    for name, kind in SPEC_FIELDS.items():
        assert isinstance(report[name], kind), name
    for name, keys in NESTED.items():
        for key in keys:
            assert isinstance(report[name][key], (int, float)) and report[name][key] >= 0, f"{name}.{key}"
    assert report["sessions"] == sessions and report["requests_per_session"] == requests
    assert report["errors"] == 0, report["errors_by_phase"]
    assert report["throughput_rps"] > 0 and report["baseline_rps"] > 0 and report["ratio_to_baseline"] > 0
    assert report["latency_ms"]["count"] == sessions * requests
    assert report["latency_ms"]["p50"] <= report["latency_ms"]["p99"] <= report["latency_ms"]["max"]
    assert report["transition_ms"]["count"] > 0 and report["transition_ms"]["failures"] == 0
    assert report["first_time_persona_ms"]["count"] > 0
    assert report["recording"]["annotations"]["count"] >= 1
    assert report["memory"]["per_materialised_session_bytes"] is not None
    assert report["discovery_skipped"] == []
    assert set(report["targets"]) == {t[0] for t in TARGETS}
    assert report["machine"]["nproc"] >= 1 and report["date"]


def test_tiny_bench_from_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser(prog="pymockapi")
    add_parser(parser.add_subparsers(dest="command"))
    out = tmp_path / "out" / "bench.json"
    args = parser.parse_args(["bench", "--sessions", "2", "--requests", "100", "--rounds", "1",
                              "--ws-sessions", "2", "--ws-clients", "3", "--phase-cap", "150",
                              "--json", str(out)])
    assert run(args) == 0
    report = json.loads(out.read_text())
    _check_report(report, 2, 100)
    assert report["server"]["started_by_bench"] and report["server"]["metrics_endpoint"]
    assert report["startup_ms"] > 0 and report["cold_ms"]["p99"] >= report["cold_ms"]["p50"] >= 0
    assert "targets:" in capsys.readouterr().out


@pytest.mark.slow
def test_tiny_bench_of_an_api_description(tmp_path: Path) -> None:
    parser = argparse.ArgumentParser(prog="pymockapi")
    add_parser(parser.add_subparsers(dest="command"))
    out = tmp_path / "bench.json"
    args = parser.parse_args(["bench", "--sessions", "2", "--requests", "50", "--rounds", "1",
                              "--ws-sessions", "1", "--ws-clients", "2", "--phase-cap", "100", "--processes", "1",
                              "--startup-samples", "1", "--openapi-records", "3",
                              "--openapi", str(BANK), "--industry", "finance", "--json", str(out)])
    assert run(args) == 0
    report = json.loads(out.read_text())
    _check_report(report, 2, 50)  # the main run still measures the shipped stories only
    api = report["openapi"]
    assert api["story"] == "demo-bank-api" and api["industry"] == "finance"
    assert api["errors"] == 0 and report["errors_by_phase"]["openapi"] == 0, api["errors_by_phase"]
    assert api["operations"]["get"] == api["operations"]["measured"] == 5 and api["operations"]["skipped"] == {}
    for name in ("latency_ms", "cold_ms"):
        assert api[name]["count"] > 0 and 0 < api[name]["p50"] <= api[name]["p99"], name
    assert api["latency_ms"]["count"] == api["requests"] == 2 * 50
    assert api["cold_ms"]["count"] == sum(row["count"] for row in api["cold_by_operation"].values())
    assert api["throughput_rps"] > 0 and api["ratio_to_baseline"] > 0
    # a start-up difference: a description this small may cost less than the start-up's own spread
    assert isinstance(api["load_ms"], float)
    assert api["startup_ms"]["with_openapi"] > 0 and api["startup_ms"]["without_openapi"] > 0
    assert api["slowest_first_render"] and api["slowest_first_render"][0]["max"] > 0
    verdicts = report["targets"]
    assert all(verdicts[label]["met"] is not None for label in verdicts if label.startswith("API:"))


def test_tiny_bench_against_a_running_server() -> None:
    async def scenario() -> tuple[dict[str, Any], tuple[int, Any]]:
        child = await Child("pymockapi", "/_api/health", ("serve", "--memory")).ready()
        try:
            report = await Bench(Options(sessions=3, requests=50, url=child.url, rounds=1, ws_sessions=1,
                                         ws_clients=2, phase_cap=100, processes=1)).run()
            api = Api("127.0.0.1", child.port)
            left = await api.get("/_api/sessions")
            api.close()
        finally:
            child.stop()
        return report, left

    report, (status, listing) = asyncio.run(scenario())
    _check_report(report, 3, 50)
    assert not report["server"]["started_by_bench"]
    assert status == 200 and not [s for s in listing["sessions"] if s["id"].startswith("bench-")]


def test_bench_options_are_positive() -> None:
    parser = configure(argparse.ArgumentParser())
    with pytest.raises(SystemExit):
        parser.parse_args(["--sessions", "0"])
    assert parser.parse_args(["--annotations-per-s", "2.5"]).annotations_per_s == 2.5


# --------------------------------------------------------------------------- in-process coverage of child code
#: Scripted raw responses of a misbehaving server, by request path.
SCRIPT: dict[str, bytes] = {
    "/chunked": b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n",
    "/close": b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n{\"closed\": true}",
    "/json-close": b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}",
    "/text": b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc",
    "/garbage": b"NOT HTTP AT ALL\r\n\r\n",
    "/drop": b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort",
}


async def _scripted(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            path = head.split(b" ")[1].decode()
            length = [int(line.split(b":")[1]) for line in head.split(b"\r\n")
                      if line.lower().startswith(b"content-length:")]
            if length:
                await reader.readexactly(length[0])
            answer = SCRIPT[path]
            writer.write(answer)
            await writer.drain()
            if b"close" in answer.lower() or path in ("/garbage", "/drop"):
                break
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    writer.close()
    await writer.wait_closed()


def test_client_survives_chunked_closing_and_broken_servers() -> None:
    from pymockapi.bench.client import Job, drive

    async def scenario() -> tuple[list[Any], dict[str, Any], list[tuple[int, Any]]]:
        server = await asyncio.start_server(_scripted, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        replies: list[Any] = []
        for path in ("/chunked", "/close", "/garbage", "/drop"):
            conn = await Connection.open("127.0.0.1", port)
            try:
                replies.append(await conn.request("GET", path, timeout=5))
            except ConnectionError as exc:
                replies.append(exc)
            conn.close()
            try:
                await conn.send(b"GET /text HTTP/1.1\r\n\r\n")
            except ConnectionError as exc:
                replies.append(exc)
        paths = ["/text", "/json-close", "/text", "/garbage", "/text", "/chunked"] * 5
        part = await drive(Job("127.0.0.1", port, paths, 3, 10.0))
        api = Api("127.0.0.1", port)
        calls = [await api.call("GET", "/json-close"), await api.call("GET", "/json-close"),
                 await api.get("/text")]
        api.close()
        server.close()
        await server.wait_closed()
        await asyncio.sleep(0.1)  # let every handler see its client go and close its side
        return replies, part, calls

    replies, part, calls = asyncio.run(scenario())
    assert replies[0].status == 200 and replies[0].body == b"hello world"
    assert replies[2].json() == {"closed": True}
    assert isinstance(replies[4], ConnectionError) and "not an HTTP response" in str(replies[4])
    assert isinstance(replies[6], ConnectionError) and "before the response was complete" in str(replies[6])
    assert all(isinstance(r, ConnectionError) for r in replies[1::2])
    from array import array

    statuses = array("H")
    statuses.frombytes(part["status"])
    assert statuses.count(0) == 5 and statuses.count(200) == 25  # only the garbage failed, the rest reconnected
    assert calls[0] == (200, {}) and calls[1] == (200, {}) and calls[2] == (200, None)


def _serve_until_sigterm(serve: Any, port: int, ready_path: str) -> None:
    """Run a child's ``serve`` coroutine here, in the main thread, and stop it the way the bench does."""
    import signal

    async def scenario() -> None:
        task = asyncio.ensure_future(serve(port))
        await wait_ready("127.0.0.1", port, ready_path, deadline_s=30)
        os.kill(os.getpid(), signal.SIGTERM)
        await asyncio.wait_for(task, 30)

    asyncio.run(scenario())


def test_baseline_runs_in_process(capsys: pytest.CaptureFixture[str]) -> None:
    from pymockapi.bench import baseline
    from pymockapi.bench.procs import free_port

    _serve_until_sigterm(baseline.serve, free_port(), "/")
    assert "baseline serving on" in capsys.readouterr().out


def test_module_entry_points_parse_their_arguments(monkeypatch: pytest.MonkeyPatch) -> None:
    import runpy

    from pymockapi.bench import baseline

    monkeypatch.setattr("sys.argv", ["pymockapi.bench", "--help"])
    with pytest.raises(SystemExit) as exit_info:
        runpy.run_module("pymockapi.bench", run_name="__main__", alter_sys=False)
    assert exit_info.value.code == 0
    with pytest.raises(SystemExit) as exit_info:
        client_main(["--help"])
    assert exit_info.value.code == 0
    with pytest.raises(SystemExit):
        baseline.main([])  # --port is required


def test_child_that_dies_is_reported() -> None:
    async def scenario() -> None:
        await Child("pymockapi.bench.baseline", "/", ["--host", "not-a-host.invalid"]).ready(10)

    with pytest.raises(RuntimeError, match="exited with code"):
        asyncio.run(scenario())


def test_api_reconnects_once_then_reports_a_closed_server() -> None:
    async def scenario() -> None:
        async def slam(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            writer.close()

        server = await asyncio.start_server(slam, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        api = Api("127.0.0.1", port)
        try:
            with pytest.raises(ConnectionError):
                await api.get("/_api/health")
        finally:
            api.close()
            server.close()
            await server.wait_closed()

    asyncio.run(scenario())
