"""``pymockapi present SESSION``: the presenter's hotkey client, in a terminal.

The presenter drives the demo from a second terminal while the audience
watches the product, so this client must never be the thing that breaks:
it keeps the terminal in cbreak mode and always restores it, it reconnects
by itself with a bounded backoff when the server goes away, and it redraws
from the server's own events (the ``state`` event is the truth; toggles read
it).  What to draw and what a key means live in :mod:`pymockapi.present_screen`;
this module only does the I/O: terminal, keyboard bytes, HTTP, WebSocket.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import sys
import termios
import time
import tty
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import tornado.httpclient
import tornado.websocket

from pymockapi.present_screen import HOTKEYS, Board, Command, KeyDecoder, paint, render

DEFAULT_URL = "http://127.0.0.1:8000"
TICK_S = 0.2
"""Redraw cadence: the countdown moves visibly in tenths without flooding a slow terminal."""

ESC_WAIT_S = 0.05
"""How long a lone Esc waits for the rest of an arrow-key sequence."""

BACKOFF_FIRST_S = 0.5
BACKOFF_MAX_S = 5.0
PING_S = 10.0
"""Pings find a connection that died without a FIN (laptop lid, Wi-Fi switch)."""

HTTP_TIMEOUT_S = 5.0
CLOSE_WAIT_S = 1.5
DEFAULT_SIZE = (80, 24)

#: Terminal set-up for a full-screen client: alternate screen, hidden cursor; and its undoing.
ENTER_SCREEN = "\x1b[?1049h\x1b[?25l"
LEAVE_SCREEN = "\x1b[?25h\x1b[?1049l"

#: HTTP statuses that mean "this session cannot be presented" rather than "try again".
FATAL_STATUSES = frozenset({400, 401, 403, 404, 410})


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``present SESSION [--url URL] [--token T]`` to the CLI's sub-commands."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "present", help="terminal hotkey client for a running session",
        description="Drive a session from the keyboard: space or → advances, ← goes back, p pauses/resumes, "
                    "a adds a note, r starts/stops recording, q quits.")
    parser.add_argument("session", help="the session id (a story's id names its default session)")
    parser.add_argument("--url", default=DEFAULT_URL, help=f"the server's base URL (default {DEFAULT_URL})")
    parser.add_argument("--token", help="the API token of a server bound beyond loopback")
    return parser


def run(args: argparse.Namespace) -> int:
    """Run the client until q (exit 0), an unknown session (exit 1) or a signal (128 + signal)."""
    options = Options(session=args.session, url=args.url, token=args.token)
    presenter = Presenter(options, sys.stdin.fileno(), sys.stdout.fileno(), sys.stderr.fileno())
    return asyncio.run(presenter.run(install_signals=True))


def backoff(attempt: int) -> float:
    """Seconds to wait before reconnect ``attempt`` (0-based): doubling from 0.5 s, capped at 5 s."""
    return float(min(BACKOFF_MAX_S, BACKOFF_FIRST_S * 2 ** min(attempt, 16)))


@dataclass(frozen=True)
class Options:
    """Where the session lives and how to reach it."""

    session: str
    url: str = DEFAULT_URL
    token: str | None = None

    def http_url(self, path: str) -> str:
        return self.url.rstrip("/") + path

    def session_path(self) -> str:
        return f"/_api/sessions/{quote(self.session, safe='')}"

    def ws_url(self) -> str:
        """The session's WebSocket URL (``ws``/``wss`` for ``http``/``https``), token in the query."""
        parts = urlsplit(self.http_url(self.session_path() + "/ws"))
        scheme = "wss" if parts.scheme == "https" else "ws"
        query = f"token={quote(self.token, safe='')}" if self.token else ""
        return urlunsplit((scheme, parts.netloc, parts.path, query, ""))

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}


class SessionUnavailable(Exception):
    """The server answered, and the answer is final (unknown session, bad token)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Unreachable(Exception):
    """No useful answer this time (refused, timed out, 5xx): worth another try."""


def error_text(status: int, body: bytes) -> str:
    """The server's JSON error as the CLI prints it: ``error: message`` and ``hint: …``."""
    try:
        error = json.loads(body)["error"]
        lines = [f"error: {error['message']}"]
        if error.get("hint"):
            lines.append(f"hint: {error['hint']}")
        return "\n".join(lines)
    except (ValueError, KeyError, TypeError):
        return f"error: the server answered HTTP {status}"


class Terminal:
    """cbreak mode on a TTY keyboard and a full-screen TTY output, both undone on exit, even on errors.

    On a pipe or a file nothing is switched: bytes are read as they come,
    which is what lets a test or a script drive the client.
    """

    def __init__(self, in_fd: int, out_fd: int) -> None:
        self.in_fd = in_fd
        self.out_fd = out_fd
        self._saved: list[Any] | None = None
        self.full_screen = os.isatty(out_fd)

    def __enter__(self) -> Terminal:
        if os.isatty(self.in_fd):
            self._saved = termios.tcgetattr(self.in_fd)
            tty.setcbreak(self.in_fd, termios.TCSANOW)
        if self.full_screen:
            self.write(ENTER_SCREEN)
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 trace: TracebackType | None) -> None:
        try:
            if self.full_screen:
                self.write(LEAVE_SCREEN)
        except OSError:
            pass  # the terminal is gone; restoring its mode below may still matter
        if self._saved is not None:
            with contextlib.suppress(termios.error):
                termios.tcsetattr(self.in_fd, termios.TCSADRAIN, self._saved)

    def write(self, text: str) -> None:
        data = text.encode("utf-8", "replace")
        while data:
            data = data[os.write(self.out_fd, data):]

    def size(self) -> tuple[int, int]:
        try:
            columns, lines = os.get_terminal_size(self.out_fd)
        except OSError:
            return DEFAULT_SIZE
        return (columns or DEFAULT_SIZE[0], lines or DEFAULT_SIZE[1])


class Presenter:
    """One run of the hotkey client: keyboard in, WebSocket both ways, screen out."""

    def __init__(self, options: Options, in_fd: int, out_fd: int, err_fd: int,
                 clock: Callable[[], float] = time.monotonic,
                 delays: Callable[[int], float] = backoff) -> None:
        self.options = options
        self.delays = delays
        self.in_fd = in_fd
        self.err_fd = err_fd
        self.terminal = Terminal(in_fd, out_fd)
        self.clock = clock
        self.board = Board(options.session)
        self.decoder = KeyDecoder()
        self.conn: tornado.websocket.WebSocketClientConnection | None = None
        self._held: list[str] = []
        self._live_once = False
        self._input_done = False
        self._esc_timer: asyncio.TimerHandle | None = None
        self._last_frame = ""
        self._done: asyncio.Future[tuple[int, str]] | None = None

    def now_ms(self) -> float:
        return self.clock() * 1000.0

    # ------------------------------------------------------------- run
    async def run(self, install_signals: bool = False) -> int:
        loop = asyncio.get_running_loop()
        self._done = loop.create_future()
        http = tornado.httpclient.AsyncHTTPClient(force_instance=True)
        message = ""
        with self.terminal:
            if install_signals:
                self._install_signals(loop)
            self._start_input(loop)
            connection = asyncio.ensure_future(self._connect_forever(http))
            ticker = asyncio.ensure_future(self._tick())
            try:
                code, message = await self._done
            finally:
                self._stop_input(loop)
                ticker.cancel()
                await self._close(connection)
                http.close()
        if message:
            os.write(self.err_fd, (message + "\n").encode("utf-8", "replace"))
        return code

    def finish(self, code: int, message: str = "") -> None:
        if self._done is not None and not self._done.done():
            self._done.set_result((code, message))

    def _install_signals(self, loop: asyncio.AbstractEventLoop) -> None:
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            loop.add_signal_handler(sig, self.finish, 128 + sig)
        loop.add_signal_handler(signal.SIGWINCH, self.redraw, True)

    async def _close(self, connection: asyncio.Future[None]) -> None:
        """Close the WebSocket and give the server a moment to answer, so nothing is left half-open."""
        if self.conn is not None:
            self.conn.close(1000, "presenter quit")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(connection), CLOSE_WAIT_S)
        connection.cancel()  # between attempts there is nothing to close: stop waiting at once
        await asyncio.gather(connection, return_exceptions=True)

    # ------------------------------------------------------ connection
    async def _connect_forever(self, http: tornado.httpclient.AsyncHTTPClient) -> None:
        attempt = 0
        while not self._quitting:
            try:
                conn = await self._connect(http)
            except SessionUnavailable as gone:
                self.finish(1, gone.message)
                return
            except Unreachable as why:
                delay = self.delays(attempt)
                attempt += 1
                self.board.link = f"reconnecting… (retry in {delay:.1f} s)" if self._live_once else \
                    f"connecting… (retry in {delay:.1f} s)"
                self.board.notice = str(why)
                self.redraw()
                await asyncio.sleep(delay)
                continue
            attempt = 0
            await self._serve(conn, http)
            if not self._quitting:
                self.board.link = "reconnecting…"
                self.redraw()
                await asyncio.sleep(self.delays(0))

    @property
    def _quitting(self) -> bool:
        return self._done is None or self._done.done()

    async def _connect(self, http: tornado.httpclient.AsyncHTTPClient
                       ) -> tornado.websocket.WebSocketClientConnection:
        """Look the session up over HTTP (for a readable error), then open its WebSocket."""
        session = await self._get_json(http, self.options.session_path())
        self.board.set_state(session, self.now_ms())
        if self.board.summary is None:
            # narration falls back to waypoint events when this fails; tried again on the next connection
            with contextlib.suppress(Unreachable, SessionUnavailable):
                self.board.set_summary(await self._get_json(http, f"/_api/stories/{quote(self.board.story)}"))
        request = tornado.httpclient.HTTPRequest(self.options.ws_url(), headers=self.options.headers(),
                                                 connect_timeout=HTTP_TIMEOUT_S, request_timeout=HTTP_TIMEOUT_S)
        try:
            return await tornado.websocket.websocket_connect(request, ping_interval=PING_S, ping_timeout=PING_S)
        except (OSError, tornado.httpclient.HTTPError, tornado.websocket.WebSocketError) as exc:
            raise Unreachable(f"WebSocket: {exc}") from None

    async def _get_json(self, http: tornado.httpclient.AsyncHTTPClient, path: str) -> dict[str, Any]:
        try:
            response = await http.fetch(self.options.http_url(path), headers=self.options.headers(),
                                        raise_error=False, connect_timeout=HTTP_TIMEOUT_S,
                                        request_timeout=HTTP_TIMEOUT_S)
        except OSError as exc:
            raise Unreachable(f"{self.options.url}: {exc}") from None
        if response.code in FATAL_STATUSES:
            raise SessionUnavailable(error_text(response.code, response.body or b""))
        if response.code != 200:
            raise Unreachable(f"{self.options.url}: {response.reason or response.error or response.code}")
        try:
            body = json.loads(response.body)
        except ValueError:
            raise Unreachable(f"{self.options.url}: the answer was not JSON") from None
        if not isinstance(body, dict):
            raise Unreachable(f"{self.options.url}: the answer was not a JSON object")
        return body

    async def _serve(self, conn: tornado.websocket.WebSocketClientConnection,
                     http: tornado.httpclient.AsyncHTTPClient) -> None:
        self.conn = conn
        self._live_once = True
        self.board.link = "live"
        self.board.notice = ""
        self.redraw()
        held, self._held = self._held, []
        for key in held:
            self._key(key)
        if self._input_done:
            self.finish(0)
        try:
            while True:
                message = await conn.read_message()
                if message is None:
                    break
                self._on_message(message)
        finally:
            self.conn = None
            conn.close()  # the server hung up; closing our side releases the socket now, not at GC

    def _on_message(self, message: str | bytes) -> None:
        try:
            event = json.loads(message)
        except ValueError:
            return
        if isinstance(event, dict):
            self.board.apply(event, self.now_ms())
            self.redraw()

    def send(self, frame: dict[str, Any]) -> None:
        if self.conn is None:
            self.board.notice = f"not connected: {frame['op']} was not sent"
            return
        try:
            self.conn.write_message(json.dumps(frame))
            self.board.notice = ""
        except tornado.websocket.WebSocketClosedError:
            self.board.notice = f"connection lost: {frame['op']} was not sent"

    # ----------------------------------------------------------- input
    def _start_input(self, loop: asyncio.AbstractEventLoop) -> None:
        try:
            loop.add_reader(self.in_fd, self._readable)
        except PermissionError:  # a regular file cannot be polled, and never blocks
            loop.call_soon(self._read_file)

    def _stop_input(self, loop: asyncio.AbstractEventLoop) -> None:
        loop.remove_reader(self.in_fd)
        if self._esc_timer is not None:
            self._esc_timer.cancel()

    def _read_file(self) -> None:
        if self._readable():
            asyncio.get_running_loop().call_soon(self._read_file)

    def _readable(self) -> bool:
        """Read what the keyboard sent; False once it is closed."""
        try:
            data = os.read(self.in_fd, 4096)
        except BlockingIOError:
            return True
        except OSError:  # EIO: the terminal hung up
            data = b""
        if not data:
            self._end_of_input()
            return False
        if self._esc_timer is not None:
            self._esc_timer.cancel()
            self._esc_timer = None
        self._keys(self.decoder.feed(data))
        if self.decoder.pending:
            self._esc_timer = asyncio.get_running_loop().call_later(ESC_WAIT_S, self._flush_escape)
        return True

    def _end_of_input(self) -> None:
        asyncio.get_running_loop().remove_reader(self.in_fd)
        self._input_done = True
        self._keys(self.decoder.flush())
        if not self._held and self._live_once:
            self.finish(0)

    def _flush_escape(self) -> None:
        self._esc_timer = None
        self._keys(self.decoder.flush())

    def _keys(self, keys: list[str]) -> None:
        for key in keys:
            self._key(key)
        self.redraw()

    def _key(self, key: str) -> None:
        if not self._live_once and HOTKEYS.get(key) is not Command.QUIT:
            self._held.append(key)  # typed before the first connection: kept until it is up
            self.board.notice = f"{len(self._held)} key(s) held until connected"
            return
        reaction = self.board.press(key)
        if reaction.quit:
            self.finish(0)
        if reaction.needs_session:
            self.board.notice = "waiting for the session's state: key ignored"
        for frame in reaction.frames:
            self.send(frame)

    # ---------------------------------------------------------- screen
    async def _tick(self) -> None:
        while True:
            self.redraw()
            await asyncio.sleep(TICK_S)

    def redraw(self, force: bool = False) -> None:
        columns, rows = self.terminal.size()
        lines = render(self.board, self.now_ms(), columns)[:rows]
        frame = paint(lines, color=self.terminal.full_screen)
        if force or frame != self._last_frame:
            self._last_frame = frame
            try:
                self.terminal.write(frame)
            except OSError:
                self.finish(0)  # nobody is watching any more


def main(argv: list[str] | None = None) -> int:
    """``python -m pymockapi.present SESSION``: the same client without the rest of the CLI."""
    parser = argparse.ArgumentParser(prog="pymockapi")
    add_parser(parser.add_subparsers(dest="command", required=True))
    return run(parser.parse_args(["present", *(sys.argv[1:] if argv is None else argv)]))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
