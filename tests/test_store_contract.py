"""The store contract: what every store the engine runs on must do (SQLite in a file, SQLite in memory).

A second implementation (Redis, for many processes) joins the ``stores``
fixture and must pass the same tests unchanged.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from pymockapi.errors import NotStored, UsageError
from pymockapi.store.base import SessionRow, Store
from pymockapi.store.redis_store import RedisStore
from pymockapi.store.sqlite import StateStore

from support import ROOT, ServerProcess, free_port


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real redis-server of the test's own on a loopback port (never a shared one)."""
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI") == "true":
            pytest.fail("redis-server is not installed (.ci/install-system-packages.sh installs it)")
        pytest.skip("redis-server is not installed")
    port = free_port()
    folder = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder),
                             "--save", "", "--appendonly", "yes", "--appendfsync", "always"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        client = redis.Redis(port=port, socket_connect_timeout=1)
        for _ in range(100):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        client.close()
        yield f"redis://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(params=["sqlite-file", "sqlite-memory", "redis"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    made: Store
    if request.param == "redis":
        url = f"{request.getfixturevalue('redis_url')}/{next(DATABASES)}"
        redis.Redis.from_url(url).flushdb()
        made = RedisStore(url)
    else:
        made = StateStore(tmp_path / "state.sqlite3" if request.param == "sqlite-file" else None)
    yield made
    made.close()


DATABASES = itertools.cycle(range(1, 13))
LEASE_S = 5.2


def row(sid: str = "s1", created: int = 10) -> SessionRow:
    return SessionRow(sid, "orbit-saas", 7, "2026-03-12", created, recorder="webhook+http://127.0.0.1:9/h")


def test_a_session_reads_back_as_it_was_written(store: Store) -> None:
    store.save_session(row())
    store.append("s1", 0, "enter", "trial", timer=(False, None, 123_456))
    store.append("s1", 1, "change", {"kind": "update", "ref": "ws-0001", "fields": {"seats": 9}})
    store.save_timeline("s1", {"version": 1, "state": "idle", "markers": []})
    back = store.load_one("s1")
    assert back is not None
    assert (back.id, back.story, back.seed, back.anchor_date, back.created_ms) == ("s1", "orbit-saas", 7,
                                                                                   "2026-03-12", 10)
    assert back.journal == [("enter", "trial"), ("change", {"kind": "update", "ref": "ws-0001",
                                                            "fields": {"seats": 9}})]
    assert (back.paused, back.remaining_ms, back.deadline_wall_ms) == (False, None, 123_456)
    assert back.timeline == {"version": 1, "state": "idle", "markers": []}
    assert back.recorder == "webhook+http://127.0.0.1:9/h"
    assert store.load_one("nobody") is None


def test_a_transaction_keeps_all_or_nothing_and_nested_ones_join(store: Store) -> None:
    store.save_session(row())
    with pytest.raises(RuntimeError), store.transaction():
        store.append("s1", 0, "enter", "trial")
        with store.transaction():
            store.save_timer("s1", True, 500.0, None)
        raise RuntimeError("the change was refused after its first write")
    back = store.load_one("s1")
    assert back is not None and back.journal == [] and back.paused is False
    with store.transaction():
        store.append("s1", 0, "enter", "trial")
        store.save_timer("s1", True, 500.0, None)
    back = store.load_one("s1")
    assert back is not None and back.journal == [("enter", "trial")] and (back.paused, back.remaining_ms) == (
        True, 500.0)


def test_journals_are_cut_replaced_and_kept_in_order(store: Store) -> None:
    store.save_session(row())
    for seq, name in enumerate(["a", "b", "c", "d"]):
        store.append("s1", seq, "enter", name)
    store.truncate("s1", 1, timer=(True, 42.0, None))
    loaded = store.load_one("s1")
    assert loaded is not None and [d for _, d in loaded.journal] == ["a", "b"] and loaded.remaining_ms == 42.0
    store.append("s1", 1, "enter", "x", truncate_after=0)
    loaded = store.load_one("s1")
    assert loaded is not None and [d for _, d in loaded.journal] == ["a", "x"]
    store.replace_journal("s1", [("enter", "p"), ("verb", {"verb": "upgrade"})], (False, None, 9))
    loaded = store.load_one("s1")
    assert loaded is not None and loaded.journal == [("enter", "p"), ("verb", {"verb": "upgrade"})]
    assert loaded.deadline_wall_ms == 9


def test_snapshots_faults_and_request_journals_belong_to_their_session(store: Store) -> None:
    store.save_session(row("s1", 1))
    store.save_session(row("s2", 2))
    store.save_snapshot("s1", "before", 100, {"waypoint": "trial", "journal": [["enter", "trial"]]})
    store.save_snapshot("s1", "after", 200, {"waypoint": "upgrade"})
    with pytest.raises(NotStored):
        store.save_snapshot("s1", "before", 300, {})  # a name is taken once
    assert [(n, c) for n, c, _ in store.snapshots("s1")] == [("before", 100), ("after", 200)]
    assert store.snapshots("s2") == []
    store.delete_snapshot("s1", "before")
    assert [n for n, _, _ in store.snapshots("s1")] == ["after"]
    store.save_fault("s1", {"id": "fault-1", "endpoint": "GET /x", "used": 0})
    store.save_fault("s1", {"id": "fault-1", "endpoint": "GET /x", "used": 1})  # saved again: replaced
    store.save_fault("s1", {"id": "fault-2", "endpoint": "GET /y"})
    store.delete_fault("s1", "fault-2")
    store.add_requests("s1", 0, [{"path": f"/p{i}"} for i in range(5)], keep=3)
    store.add_requests("s1", 5, [{"path": "/p5"}], keep=3)
    store.add_requests("s1", 6, [{"path": "/p6"}, {"path": "/p7"}], keep=3)
    one = store.load_one("s1")
    assert one is not None
    assert one.faults == [{"id": "fault-1", "endpoint": "GET /x", "used": 1}]
    # the last ``keep`` in order; a store may keep the rest of the batch that straddles the cut
    paths = [r["path"] for r in one.requests]
    assert paths[-3:] == ["/p5", "/p6", "/p7"] and one.last_request_seq == 7
    assert paths == [f"/p{i}" for i in range(8 - len(paths), 8)] and len(paths) <= 3 + 1
    store.delete_session("s1")
    assert store.load_one("s1") is None and store.snapshots("s1") == []
    assert [r.id for r in store.load_all()] == ["s2"]


def test_sessions_load_in_creation_order_and_the_last_sign_of_life_is_kept(store: Store) -> None:
    for sid, created in (("late", 30), ("early", 10), ("middle", 20)):
        store.save_session(row(sid, created))
    assert [r.id for r in store.load_all()] == ["early", "middle", "late"]
    assert store.last_alive() is None
    store.mark_alive(1_000)
    store.mark_alive(2_000)
    assert store.last_alive() == 2_000


def test_one_server_holds_a_redis_database_and_a_killed_one_frees_it_after_its_lease(redis_url: str) -> None:
    url = f"{redis_url}/15"
    redis.Redis.from_url(url).flushdb()
    first = RedisStore(url)
    with pytest.raises(UsageError, match="in use by another PyMockAPI server"):
        RedisStore(url)
    first.close()  # a clean stop frees it at once
    second = RedisStore(url)
    second.close()
    with pytest.raises(UsageError, match="Cannot reach the Redis store"):
        RedisStore(f"redis://127.0.0.1:{free_port()}/0")
    with pytest.raises(UsageError, match="not a Redis URL"):
        RedisStore("http://127.0.0.1:6379/0")


def test_a_damaged_redis_session_is_skipped_and_named(redis_url: str) -> None:
    url = f"{redis_url}/14"
    client = redis.Redis.from_url(url)
    client.flushdb()
    store = RedisStore(url)
    try:
        store.save_session(row("good", 1))
        store.save_session(row("bad", 2))
        client.hset("pymockapi:{bad}:session", "seed", "many")
        assert [r.id for r in store.load_all()] == ["good"] and store.skipped == ["bad"]
    finally:
        store.close()


@pytest.mark.slow
def test_a_server_on_redis_keeps_what_it_acknowledged_through_kill_9(redis_url: str) -> None:
    url = f"{redis_url}/13"
    redis.Redis.from_url(url).flushdb()
    first = ServerProcess("--store", url)
    try:
        assert first.call("POST", "/_api/sessions", {"story": "orbit-saas", "id": "on-redis", "seed": 3}).status == 201
        moved = first.call("POST", "/_api/sessions/on-redis/advance").json()
        body = first.call("GET", "/demo/on-redis/workspaces/ws-0001").body
    finally:
        first.kill()
    time.sleep(LEASE_S)  # a killed server's lease ends on its own
    second = ServerProcess("--store", url)
    try:
        again = second.call("GET", "/_api/sessions/on-redis").json()
        assert again["waypoint"] == moved["waypoint"] and again["seed"] == 3
        assert second.call("GET", "/demo/on-redis/workspaces/ws-0001").body == body
        refused = subprocess.run([sys.executable, "-m", "pymockapi", "serve", "--port", str(free_port()),
                                  "--store", url], capture_output=True, text=True, timeout=60, cwd=ROOT)
        assert refused.returncode == 2 and "in use by another PyMockAPI server" in refused.stderr
    finally:
        second.kill()


def test_the_store_flag_names_a_store_or_says_what_it_takes(tmp_path: Path, redis_url: str) -> None:
    from pymockapi.store import open_store

    for spec in (None, "memory", f"sqlite:{tmp_path / 'named.sqlite3'}"):
        made = open_store(spec, tmp_path / "default.sqlite3")
        assert isinstance(made, StateStore)
        made.close()
    assert (tmp_path / "named.sqlite3").exists() and (tmp_path / "default.sqlite3").exists()
    on_redis = open_store(f"{redis_url}/12", None)
    assert isinstance(on_redis, RedisStore)
    on_redis.close()
    for wrong, said in (("sqlite:", "needs a path"), ("postgres://x/y", "not a store PyMockAPI knows")):
        with pytest.raises(UsageError, match=said):
            open_store(wrong, None)
