"""Secrets never leave the server (SPEC Security): not in a log line, not in a shown URL, never empty.

Real servers: the in-process one with its log records captured, and a real
``pymockapi serve`` child whose stderr is read, each sent URLs that carry
the API token and recorder secrets under every credential-like name.
"""

from __future__ import annotations

import logging
import subprocess
import sys

import pytest

from pymockapi.errors import UsageError
from pymockapi.inputs import check_recorder_url, loopback_host, recorder_hosts
from pymockapi.redact import credential_name, redact_url
from pymockapi.server import Settings, build_context

from support import ROOT, LiveServer, ServerFactory, ServerProcess, free_port

ORBIT = "orbit-saas"
TOKEN = "api-tok-9f8e7d6c5b4a"
SECRETS = {
    "token": "S1-token-value",
    "access-token": "S2-access-token-value",
    "hook_secret": "S3-hook-secret-value",
    "x-api-key": "S4-api-key-value",
    "password": "S5-password-value",
    "signature": "S6-signature-value",
    "auth": "S7-auth-value",
}
PATH_TOKEN = "T0KEN1234abcdEFGH5678ijkl"


def secret_query() -> str:
    return "&".join(f"{name}={value}" for name, value in SECRETS.items())


def every_secret() -> list[str]:
    return [TOKEN, PATH_TOKEN, *SECRETS.values()]


@pytest.mark.parametrize("name", ["token", "secret", "key", "password", "auth", "signature", "access-token",
                                  "hook_secret", "x-api-key", "apikey", "Authorization", "client_secret",
                                  "sig", "code", "passwd"])
def test_credential_names(name: str) -> None:
    assert credential_name(name)


@pytest.mark.parametrize("name", ["page", "per_page", "format", "type", "limit", "take"])
def test_ordinary_names_are_kept(name: str) -> None:
    assert not credential_name(name)
    assert redact_url(f"/x?{name}=5") == f"/x?{name}=5"


def test_redaction_covers_userinfo_query_and_path() -> None:
    url = (f"webhook+https://user:pw-secret@hooks.example.com/services/{PATH_TOKEN}/api-key/k-9?"
           f"{secret_query()}&page=2")
    shown = redact_url(url)
    assert all(s not in shown for s in [*every_secret(), "pw-secret", "k-9"]), shown
    assert shown.startswith("webhook+https://hooks.example.com/services/***/api-key/***?")
    assert shown.endswith("&page=2")
    assert redact_url("/demo/lib/authors/aut-0001") == "/demo/lib/authors/aut-0001"
    assert redact_url("webhook+http://[::1") == "webhook+http://[::1"  # never raises


def test_empty_token_is_a_usage_error(tmp_path: object) -> None:
    with pytest.raises(UsageError, match="--token is empty"):
        build_context(Settings(host="0.0.0.0", token="", state=None))
    with pytest.raises(UsageError, match="--token is empty"):
        build_context(Settings(token="  ", state=None))


@pytest.mark.slow
@pytest.mark.parametrize("args, says", [
    (["--host", "0.0.0.0", "--token", ""], "error: --token is empty"),
    (["--recorder", f"webhook+http://[::1/x?token={TOKEN}"], "is not a URL that parses"),
    (["--allow-origin", "localhost:5173/app"], "is not an origin"),
])
def test_serve_usage_mistakes_exit_2_with_error_and_hint(args: list[str], says: str) -> None:
    done = subprocess.run([sys.executable, "-m", "pymockapi", "serve", "--memory", "--port", str(free_port()),
                           *args], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done.stderr
    assert says in done.stderr and "hint:" in done.stderr
    assert "Traceback" not in done.stderr and TOKEN not in done.stderr


def test_off_loopback_the_api_and_websocket_need_the_token(live_server: ServerFactory) -> None:
    # bound "off loopback" as far as the settings say; the test server itself listens on 127.0.0.1 only
    server = live_server(host="0.0.0.0", token=TOKEN)
    assert server.call("GET", "/_api/sessions").status == 401
    assert server.call("GET", "/_api/sessions", headers={"Authorization": "Bearer wrong"}).status == 401
    assert server.call("GET", "/_api/sessions", headers={"Authorization": f"Bearer {TOKEN}"}).status == 200
    assert server.call("GET", f"/_api/sessions/{ORBIT}/ws?token=").status == 401
    assert server.call("GET", f"/_api/sessions/{ORBIT}/ws").status == 401
    assert server.call("GET", "/_api/health").status == 200
    assert server.call("GET", "/demo/riverside-clinic/patients/pat-0001").status == 200
    ws = server.ws(ORBIT, f"?token={TOKEN}")
    try:
        assert ws.recv()["event"] == "state"
    finally:
        ws.close()


def test_no_secret_reaches_a_log_line_or_an_answer(live_server: ServerFactory,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    server: LiveServer = live_server(host="0.0.0.0", token=TOKEN)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    answers = [
        server.call("GET", f"/_api/sessions/{ORBIT}/ws?token={TOKEN}&{secret_query()}"),  # 400: not an upgrade
        server.call("GET", f"/_api/sessions/nope/ws?token={TOKEN}"),
        server.call("GET", f"/_api/nothing/token/{PATH_TOKEN}?{secret_query()}"),
        server.call("GET", f"/demo/riverside-clinic/patients/pat-0001?{secret_query()}"),
        server.call("GET", f"/demo/riverside-clinic/nothing/{PATH_TOKEN}?{secret_query()}"),
        server.call("POST", "/_api/sessions", {"story": ORBIT, "id": "hooked",
                                               "recorder": f"webhook+http://127.0.0.1:9/{PATH_TOKEN}?"
                                                           f"{secret_query()}"}, headers=auth),
    ]
    assert answers[-1].status == 201, answers[-1].body
    server.call("POST", "/_api/sessions/hooked/recording/start", headers=auth)
    shown = server.call("GET", "/_api/sessions/hooked", headers=auth)
    answers.append(shown)
    assert any(r.status >= 400 for r in answers)
    text = caplog.text + "".join(r.body.decode() for r in answers)
    assert "tornado.access" in caplog.text
    for secret in every_secret():
        assert secret not in text, f"{secret} leaked"


def test_recorder_urls_name_only_allowed_hosts(live_server: ServerFactory) -> None:
    server = live_server(recorder_hosts=("hooks.internal",))
    before = server.call("GET", "/_api/sessions").json()
    for url in ("webhook+http://10.0.0.7:8080/x", "webhook+http://169.254.169.254/latest",
                "webhook+https://intranet.example/hook", "obs://192.168.1.20:4455", "webhook+http://0.0.0.0:80/"):
        resp = server.call("POST", "/_api/sessions", {"story": ORBIT, "id": "ssrf", "recorder": url})
        assert resp.status == 400, (url, resp.body)
        assert resp.json()["error"]["code"] == "recorder_host_not_allowed"
    assert server.call("GET", "/_api/sessions").json() == before
    ok = server.call("POST", "/_api/sessions", {"story": ORBIT, "id": "local-hook",
                                                "recorder": "webhook+http://[::1]:9/hook"})
    assert ok.status == 201, ok.body


def test_recorder_host_rules() -> None:
    allowed = recorder_hosts("webhook+https://hooks.example.com/x?token=t", ["a.example, B.example", "[fd00::1]"])
    assert allowed == {"hooks.example.com", "a.example", "b.example", "fd00::1"}
    assert recorder_hosts(None, []) == frozenset() and recorder_hosts("none", []) == frozenset()
    for host in ("127.0.0.1", "127.8.9.10", "::1", "localhost", "app.localhost", "::ffff:127.0.0.1"):
        assert loopback_host(host), host
    for host in ("0.0.0.0", "10.0.0.1", "2130706433", "localhost.evil.example"):
        assert not loopback_host(host), host
    assert check_recorder_url("webhook+https://B.example/x", allowed)
    assert check_recorder_url("none", frozenset()) == "none"
    assert check_recorder_url("obs://", frozenset()) == "obs://"  # no host: the loopback default


@pytest.mark.slow
def test_a_real_server_logs_no_secret(tmp_path: object) -> None:
    recorder = f"webhook+http://127.0.0.1:9/{PATH_TOKEN}?{secret_query()}"
    proc = ServerProcess("--memory", "--token", TOKEN, "--recorder", recorder)
    try:
        for path in (f"/_api/sessions/{ORBIT}/ws?token={TOKEN}", f"/_api/x?{secret_query()}",
                     f"/demo/{ORBIT}/nothing?{secret_query()}", f"/_api/sessions?token={TOKEN}"):
            assert proc.call("GET", path).status >= 400
        started = proc.call("POST", f"/_api/sessions/{ORBIT}/recording/start",
                            headers={"Authorization": f"Bearer {TOKEN}"})
        assert started.status == 200
    finally:
        proc.proc.terminate()
        output, _ = proc.proc.communicate(timeout=15)
    log = output.decode("utf-8", "replace")
    assert "401 GET /_api/sessions?token=*** (127.0.0.1)" in log, log
    for secret in every_secret():
        assert secret not in log, f"{secret} leaked into the log:\n{log}"


def test_uuids_are_ids_not_secrets() -> None:
    url = "/demo/shop/orders/3f2b8c1e-9a4d-4e5f-8a7b-1c2d3e4f5a6b"
    assert redact_url(url) == url
