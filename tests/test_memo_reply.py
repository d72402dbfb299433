"""Memoised demo GETs answered straight from the memo, and CORS for a front-end on its own origin.

The fast path must be invisible: the same status, headers and bytes as the
handler, the same errors (it steps aside), and only for what it can answer.
"""

from __future__ import annotations

from typing import Any

from tornado import httputil

from pymockapi.handlers.memo_reply import HttpDate, MemoReply, http_date, memo_delegate

from support import LiveServer, Response

CLINIC = "riverside-clinic"
PATIENT = f"/demo/{CLINIC}/patients/pat-0001"


def delegate_for(server: LiveServer, uri: str, headers: dict[str, str] | None = None, method: str = "GET") -> Any:
    """What the application would answer this request with, asked on the server's loop."""

    def ask() -> Any:
        request = httputil.HTTPServerRequest(
            start_line=httputil.RequestStartLine(method, uri, "HTTP/1.1"),
            headers=httputil.HTTPHeaders({"Host": "127.0.0.1", **(headers or {})}),
        )
        return memo_delegate(server.ctx, request)

    return server.on_loop(ask)


def without_date(resp: Response) -> dict[str, str]:
    return {k: v for k, v in resp.headers.items() if k != "date"}


def test_a_repeat_get_comes_from_the_memo_with_the_handlers_exact_answer(server: LiveServer) -> None:
    for uri, headers in [
        (PATIENT, {}),
        (PATIENT + "?format=xml", {}),
        (PATIENT + "/encounters", {"Accept": "application/xml"}),
        (PATIENT + "?format=fhir", {}),
        (f"/demo/{CLINIC}/patients?page=1", {}),
    ]:
        assert delegate_for(server, uri, headers) is None  # nothing rendered yet: the handler renders
        first = server.call("GET", uri, headers=headers)
        assert first.status == 200
        assert isinstance(delegate_for(server, uri, headers), MemoReply)
        again = server.call("GET", uri, headers=headers)
        assert (again.status, again.body) == (first.status, first.body)
        assert without_date(again) == without_date(first)
        assert list(again.headers) == list(first.headers)  # same header order too
        assert again.headers["access-control-allow-origin"] == "*" and again.headers["etag"]


def test_what_the_memo_cannot_answer_goes_to_the_handler(server: LiveServer) -> None:
    first = server.call("GET", PATIENT)
    assert isinstance(delegate_for(server, PATIENT), MemoReply)
    etag = first.headers["etag"]
    assert delegate_for(server, PATIENT, {"If-None-Match": etag}) is None
    not_modified = server.call("GET", PATIENT, headers={"If-None-Match": etag})
    assert not_modified.status == 304 and not_modified.body == b""
    assert delegate_for(server, PATIENT, {"Content-Length": "2"}) is None
    assert delegate_for(server, PATIENT, method="HEAD") is None
    assert delegate_for(server, f"/_api/sessions/{CLINIC}") is None
    for uri in [
        "/demo/",
        "/demo/nobody/patients",
        f"/demo/{CLINIC}",
        f"/demo/{CLINIC}/nowhere",
        PATIENT + "?format=yaml",
        "/demo/%ff/patients",
        PATIENT + "?page=%ff",
    ]:
        assert delegate_for(server, uri) is None, uri
    assert server.call("GET", PATIENT + "?format=yaml").status == 406
    assert server.call("GET", f"/demo/{CLINIC}/nowhere").status == 404
    bad = server.call("GET", PATIENT + "?page=%ff")
    assert bad.status == 400 and bad.json()["error"]["hint"]


def test_percent_encoded_paths_and_query_values_reach_the_same_memo(server: LiveServer) -> None:
    first = server.call("GET", PATIENT + "?note=%20a%01b%20")
    assert first.status == 200
    assert isinstance(delegate_for(server, "/demo/riverside%2Dclinic/patients/pat%2D0001?note=a%01b"), MemoReply)
    assert server.call("GET", "/demo/riverside%2Dclinic/patients/pat%2D0001?note=a%01b").body == first.body


def test_a_change_empties_the_memo_so_the_next_get_is_rendered_afresh(server: LiveServer) -> None:
    listing = f"/demo/{CLINIC}/patients/pat-0001/appointments"
    before = server.call("GET", listing)
    assert isinstance(delegate_for(server, listing), MemoReply)
    body = {
        "patient_id": "pat-0001",
        "provider_id": "prov-0002",
        "start": "2026-03-19T09:00:00-06:00",
        "end": "2026-03-19T09:30:00-06:00",
        "duration_minutes": 30,
        "status": "booked",
        "reason": "Cardiology follow-up after an elevated troponin",
    }
    assert server.call("POST", f"/demo/{CLINIC}/appointments", body).status == 201
    assert delegate_for(server, listing) is None
    after = server.call("GET", listing)
    assert len(after.json()["items"]) == len(before.json()["items"]) + 1
    assert isinstance(delegate_for(server, listing), MemoReply)
    server.call("POST", f"/_api/sessions/{CLINIC}/advance")
    assert delegate_for(server, listing) is None  # the waypoint moved: the memo key moved with it


def test_errors_and_preflights_carry_cors_for_the_front_end(server: LiveServer) -> None:
    missing = server.call("GET", f"/demo/{CLINIC}/patients/pat-9999")
    assert missing.status == 404 and missing.headers["access-control-allow-origin"] == "*"
    preflight = server.call(
        "OPTIONS",
        f"/demo/{CLINIC}/appointments",
        headers={
            "Origin": "http://localhost:3000",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type, x-demo",
        },
    )
    assert preflight.status == 204 and preflight.body == b""
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "POST" in preflight.headers["access-control-allow-methods"].split(", ")
    assert preflight.headers["access-control-allow-headers"] == "content-type, x-demo"
    assert int(preflight.headers["access-control-max-age"]) > 0
    default = server.call("OPTIONS", PATIENT)
    assert default.status == 204 and default.headers["access-control-allow-methods"] == "GET, OPTIONS"
    assert "Authorization" in default.headers["access-control-allow-headers"]
    nowhere = server.call("OPTIONS", f"/demo/{CLINIC}/nowhere")
    assert nowhere.status == 404 and nowhere.json()["error"]["code"] == "endpoint_not_found"


def test_the_date_header_is_formatted_once_a_second() -> None:
    now = [1_767_225_600.2]
    date_header = HttpDate(lambda: now[0])
    first = date_header.now()
    assert first == "Thu, 01 Jan 2026 00:00:00 GMT"
    now[0] += 0.7
    assert date_header.now() is first  # same second: the same text, not formatted again
    now[0] += 0.2
    assert date_header.now() == "Thu, 01 Jan 2026 00:00:01 GMT"
    assert http_date.now().endswith(" GMT")
