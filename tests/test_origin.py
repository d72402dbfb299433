"""Browser boundaries (SPEC Security): which web pages may use the configuration API and the WebSocket.

Real server, real HTTP requests carrying the headers browsers send: a page
on another origin gets a 403 whatever its content type (the ``text/plain``
POST a page can send without a preflight creates nothing), an origin given
with ``--allow-origin`` and the server's own origin get CORS headers and
preflight answers, and demo endpoints answer every origin.
"""

from __future__ import annotations

import pytest
import websocket

from pymockapi.errors import UsageError
from pymockapi.handlers.origins import allowed_origins, normal_origin, origin_allowed

from support import LiveServer, ServerFactory

EVIL = "https://evil.example"
APP = "http://localhost:5173"
ORBIT = "orbit-saas"


@pytest.fixture
def guarded(live_server: ServerFactory) -> LiveServer:
    return live_server(allow_origins=(APP,))


def test_a_foreign_page_cannot_create_a_session_with_a_simple_post(guarded: LiveServer) -> None:
    before = guarded.call("GET", "/_api/sessions").json()
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "application/json"):
        resp = guarded.call("POST", "/_api/sessions", raw=b'{"story": "orbit-saas", "id": "pwned"}',
                            headers={"Origin": EVIL, "Content-Type": content_type})
        assert resp.status == 403, resp.body
        assert resp.json()["error"]["code"] == "origin_not_allowed"
        assert "access-control-allow-origin" not in resp.headers
    assert guarded.call("GET", "/_api/sessions").json() == before
    for path in ("/_api/sessions", f"/_api/sessions/{ORBIT}", "/_api/health", "/_api/stories"):
        assert guarded.call("GET", path, headers={"Origin": EVIL}).status == 403
    assert guarded.call("GET", "/_api/sessions", headers={"Origin": "null"}).status == 403


def test_an_allowed_origin_gets_cors_headers_and_a_preflight(guarded: LiveServer) -> None:
    got = guarded.call("GET", "/_api/sessions", headers={"Origin": APP})
    assert got.status == 200 and got.headers["access-control-allow-origin"] == APP
    assert "Origin" in got.headers["vary"]
    pre = guarded.call("OPTIONS", "/_api/sessions", headers={
        "Origin": APP, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type, authorization"})
    assert pre.status == 204
    assert pre.headers["access-control-allow-origin"] == APP
    assert "POST" in pre.headers["access-control-allow-methods"]
    assert "content-type" in pre.headers["access-control-allow-headers"].lower()
    bad_pre = guarded.call("OPTIONS", "/_api/sessions", headers={
        "Origin": EVIL, "Access-Control-Request-Method": "POST"})
    assert bad_pre.status == 403 and "access-control-allow-origin" not in bad_pre.headers
    made = guarded.call("POST", "/_api/sessions", {"story": ORBIT, "id": "from-app"}, headers={"Origin": APP})
    assert made.status == 201 and made.headers["access-control-allow-origin"] == APP
    taken = guarded.call("POST", "/_api/sessions", {"story": ORBIT, "id": "from-app"}, headers={"Origin": APP})
    assert taken.status == 409 and taken.headers["access-control-allow-origin"] == APP  # the page reads why


def test_the_servers_own_origin_and_no_origin_are_answered(guarded: LiveServer) -> None:
    own = f"http://127.0.0.1:{guarded.port}"
    assert guarded.call("GET", "/_api/sessions", headers={"Origin": own}).status == 200
    assert guarded.call("GET", "/_api/sessions").status == 200  # curl, scripts, the hotkey client
    other_port = f"http://127.0.0.1:{guarded.port + 1}"
    assert guarded.call("GET", "/_api/sessions", headers={"Origin": other_port}).status == 403


def test_demo_endpoints_answer_every_origin(guarded: LiveServer) -> None:
    resp = guarded.call("GET", "/demo/riverside-clinic/patients/pat-0001", headers={"Origin": EVIL})
    assert resp.status == 200 and resp.headers["access-control-allow-origin"] == "*"


def test_the_websocket_refuses_a_foreign_origin(guarded: LiveServer) -> None:
    url = f"ws://127.0.0.1:{guarded.port}/_api/sessions/{ORBIT}/ws"
    with pytest.raises(websocket.WebSocketBadStatusException) as caught:
        websocket.create_connection(url, timeout=5, origin=EVIL)
    assert caught.value.status_code == 403
    plain = guarded.call("GET", f"/_api/sessions/{ORBIT}/ws", headers={"Origin": EVIL})
    assert plain.status == 403 and plain.json()["error"]["code"] == "origin_not_allowed"
    for origin in (APP, f"http://127.0.0.1:{guarded.port}"):
        conn = websocket.create_connection(url, timeout=5, origin=origin)
        try:
            assert '"event":"state"' in conn.recv()
        finally:
            conn.close()


def test_origin_rules() -> None:
    assert normal_origin("HTTP://LocalHost:80") == "http://localhost"
    assert normal_origin("https://[::1]:8443") == "https://[::1]:8443"
    assert normal_origin("null") is None and normal_origin("http://[::1") is None
    assert normal_origin("http://h/path") is None and normal_origin("file:///x") is None
    allowed = allowed_origins(["http://localhost:5173/"])
    assert allowed == {"http://localhost:5173"}
    assert origin_allowed("http://localhost:5173", "127.0.0.1:8000", allowed)
    assert origin_allowed("http://127.0.0.1:8000", "127.0.0.1:8000", frozenset())
    assert not origin_allowed("http://127.0.0.1:8001", "127.0.0.1:8000", frozenset())
    assert not origin_allowed("http://127.0.0.1", "", frozenset())
    with pytest.raises(UsageError, match="not an origin"):
        allowed_origins(["localhost:5173/app"])
