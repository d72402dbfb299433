"""The presenter's screen and keys, with no I/O: what ``pymockapi present`` shows and sends.

Everything here is pure so it can be tested in-process: :class:`KeyDecoder`
turns terminal bytes into key names, :class:`Board` folds the session's
WebSocket events into what the presenter needs to see and turns key presses
into WebSocket frames (the toggles read the last ``state`` event), and
:func:`render` draws a board as plain ANSI lines.  Times are passed in as
milliseconds of a monotonic clock the caller owns, so the countdown can be
checked without waiting for it.
"""

from __future__ import annotations

import codecs
import re
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from pymockapi.engine.commands import CommandName

ESC = "\x1b"


class Key(StrEnum):
    """Keys that are not a printable character."""

    RIGHT = "right"
    LEFT = "left"
    UP = "up"
    DOWN = "down"
    ENTER = "enter"
    ESCAPE = "escape"
    BACKSPACE = "backspace"
    INTERRUPT = "interrupt"
    CLEAR_LINE = "clear-line"


#: Final byte of a CSI (``ESC [``) or SS3 (``ESC O``) sequence -> the arrow it means.
ARROW_FINALS: Mapping[str, Key] = {"A": Key.UP, "B": Key.DOWN, "C": Key.RIGHT, "D": Key.LEFT}

#: Single control characters with a meaning of their own.
CONTROL_KEYS: Mapping[str, Key] = {
    "\r": Key.ENTER, "\n": Key.ENTER, "\x7f": Key.BACKSPACE, "\x08": Key.BACKSPACE,
    "\x03": Key.INTERRUPT, "\x04": Key.INTERRUPT, "\x15": Key.CLEAR_LINE,
}


class KeyDecoder:
    """Bytes from a terminal (cbreak mode) or a pipe -> key names, one at a time.

    A lone Esc cannot be told apart from the start of an arrow key until the
    next byte arrives (or does not), so an Esc at the end of the input is held
    back: :attr:`pending` says so and :meth:`flush` releases it once the caller
    has waited long enough for the rest of a sequence.
    """

    def __init__(self) -> None:
        self._utf8 = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._buffer = ""

    @property
    def pending(self) -> bool:
        return bool(self._buffer)

    def feed(self, data: bytes) -> list[str]:
        self._buffer += self._utf8.decode(data)
        keys: list[str] = []
        while self._buffer:
            key, used = _next_key(self._buffer)
            if used == 0:
                break  # an escape sequence that has not finished arriving
            self._buffer = self._buffer[used:]
            if key is not None:
                keys.append(key)
        return keys

    def flush(self) -> list[str]:
        """Give up waiting for the rest of a sequence: what is held is Esc and plain characters.

        Only an unfinished sequence is ever held, so the buffer starts with Esc
        and the rest are printable introducer and parameter characters.
        """
        held, self._buffer = self._buffer, ""
        return [Key.ESCAPE.value, *held[1:]] if held else []


def _next_key(text: str) -> tuple[str | None, int]:
    """The first key in ``text`` and how many characters it used (0: incomplete; None: ignored)."""
    first = text[0]
    if first != ESC:
        if first in CONTROL_KEYS:
            return CONTROL_KEYS[first].value, 1
        return (first if first.isprintable() else None), 1
    if len(text) == 1:
        return None, 0
    intro = text[1]
    if intro == "O":
        if len(text) == 2:
            return None, 0
        arrow = ARROW_FINALS.get(text[2])
        return (arrow.value if arrow else None), 3
    if intro != "[":
        return Key.ESCAPE.value, 1  # Esc then an ordinary key (Alt+key): the key follows on its own
    for end in range(2, len(text)):
        code = ord(text[end])
        if 0x40 <= code <= 0x7E:  # the final byte of a CSI sequence
            arrow = ARROW_FINALS.get(text[end])
            return (arrow.value if arrow else None), end + 1
        if not 0x20 <= code <= 0x3F:
            return None, end  # a broken sequence: drop what came before this character
    return None, 0


class Command(StrEnum):
    """What a hotkey asks for."""

    ADVANCE = "advance"
    BACK = "back"
    PAUSE = "pause"
    ANNOTATE = "annotate"
    RECORD = "record"
    QUIT = "quit"


HOTKEYS: Mapping[str, Command] = {
    " ": Command.ADVANCE, Key.RIGHT.value: Command.ADVANCE,
    Key.LEFT.value: Command.BACK,
    "p": Command.PAUSE, "P": Command.PAUSE,
    "a": Command.ANNOTATE, "A": Command.ANNOTATE,
    "r": Command.RECORD, "R": Command.RECORD,
    "q": Command.QUIT, "Q": Command.QUIT, Key.INTERRUPT.value: Command.QUIT,
}

LEGEND: tuple[tuple[str, str], ...] = (
    ("space/→", "advance"), ("←", "back"), ("p", "pause/resume"), ("a", "note"), ("r", "rec start/stop"),
    ("q", "quit"),
)
PROMPT_LEGEND: tuple[tuple[str, str], ...] = (("Enter", "send note"), ("Esc", "cancel"), ("Backspace", "erase"))

#: Recording state -> the action ``r`` sends (start when not running, stop when running).
RECORD_TOGGLE: Mapping[str, str] = {"idle": "start", "stopped": "start", "recording": "stop", "paused": "stop"}

MAX_NOTE_CHARS = 500
"""The server refuses longer marker text; stop typing there instead."""


@dataclass(frozen=True)
class Reaction:
    """What a key press means for the I/O layer: frames to send, and whether to quit."""

    frames: tuple[dict[str, Any], ...] = ()
    quit: bool = False
    needs_session: bool = False


@dataclass
class Board:
    """Everything the presenter sees, folded from WebSocket events.

    ``now_ms`` arguments are readings of the caller's monotonic clock; the
    board remembers when the last ``state`` arrived so the countdown and the
    recording offset can run on locally between events.
    """

    session_id: str
    summary: dict[str, Any] | None = None
    session: dict[str, Any] | None = None
    state_at_ms: float = 0.0
    waypoint_event: dict[str, Any] | None = None
    last_error: dict[str, Any] | None = None
    last_note: dict[str, Any] | None = None
    recorder_event: dict[str, Any] | None = None
    link: str = "connecting…"
    prompt: str | None = None
    notice: str = ""
    _waypoints: dict[str, dict[str, Any]] = field(default_factory=dict)

    # --------------------------------------------------------------- events
    def set_summary(self, summary: Mapping[str, Any]) -> None:
        self.summary = dict(summary)
        self._waypoints = {w["name"]: w for w in summary.get("waypoints", []) if isinstance(w, dict)}

    def set_state(self, session: Mapping[str, Any], now_ms: float) -> None:
        self.session = dict(session)
        self.state_at_ms = now_ms
        self.recorder_event = None  # the state carries the recorder's latest word

    def apply(self, event: Mapping[str, Any], now_ms: float) -> None:
        """Fold one server event into the board (unknown events are ignored)."""
        kind = event.get("event")
        if kind == "state" and isinstance(event.get("session"), dict):
            self.set_state(event["session"], now_ms)
        elif kind == "waypoint":
            self.waypoint_event = dict(event)
        elif kind == "error":
            self.last_error = dict(event)
        elif kind == "annotation":
            self.last_note = dict(event)
        elif kind == "recorder":
            self.recorder_event = dict(event)

    # -------------------------------------------------------------- derived
    @property
    def story(self) -> str:
        if self.session is not None:
            return str(self.session.get("story", ""))
        return str(self.summary.get("id", "")) if self.summary else ""

    @property
    def paused(self) -> bool:
        return bool(self.session and self.session.get("paused"))

    @property
    def recording(self) -> dict[str, Any]:
        rec = self.session.get("recording") if self.session else None
        return rec if isinstance(rec, dict) else {"state": "idle", "offset_ms": 0, "recorder": {}}

    def due_in_ms(self, now_ms: float) -> int | None:
        """The next timed waypoint's countdown: runs down locally, frozen while paused."""
        nxt = self.session.get("next") if self.session else None
        if not isinstance(nxt, dict) or nxt.get("due_in_ms") is None:
            return None
        due = int(nxt["due_in_ms"])
        if self.paused:
            return due
        return max(0, due - int(now_ms - self.state_at_ms))

    def offset_ms(self, now_ms: float) -> int:
        """The recording offset, running on locally while recording."""
        rec = self.recording
        offset = int(rec.get("offset_ms") or 0)
        if rec.get("state") == "recording":
            offset += int(now_ms - self.state_at_ms)
        return offset

    def narration(self, waypoint: str) -> str:
        """From the last ``waypoint`` event into it, else from the story summary."""
        event = self.waypoint_event
        if event is not None and event.get("to") == waypoint and event.get("narration"):
            return str(event["narration"])
        return str(self._waypoints.get(waypoint, {}).get("narration") or "")

    def trigger_text(self, waypoint: str) -> str:
        wp = self._waypoints.get(waypoint, {})
        trigger = wp.get("trigger")
        if trigger == "when":
            return f"when {wp.get('when')} is called"
        if trigger == "advance":
            return "on advance"
        if trigger == "after":
            return f"timed, {clock_text(int(wp.get('after_ms') or 0))} after arrival"
        return ""

    def position(self, waypoint: str) -> str:
        names = list(self._waypoints)
        return f"{names.index(waypoint) + 1}/{len(names)}" if waypoint in names else ""

    # ----------------------------------------------------------------- keys
    def press(self, key: str) -> Reaction:
        """What ``key`` does now: in the note prompt it edits, otherwise it is a hotkey."""
        if self.prompt is not None:
            return self._edit(key)
        command = HOTKEYS.get(key)
        if command is None:
            return Reaction()
        if command is Command.QUIT:
            return Reaction(quit=True)
        if command is Command.ANNOTATE:
            self.prompt = ""
            return Reaction()
        if self.session is None:
            return Reaction(needs_session=True)
        return Reaction(frames=(self.frame_for(command),))

    def frame_for(self, command: Command) -> dict[str, Any]:
        """The WebSocket frame of a hotkey; pause and record toggle from the last state."""
        if command is Command.PAUSE:
            return {"op": (CommandName.RESUME if self.paused else CommandName.PAUSE).value}
        if command is Command.RECORD:
            return {"op": CommandName.RECORDING.value,
                    "action": RECORD_TOGGLE.get(str(self.recording.get("state")), "start")}
        return {"op": CommandName(command.value).value}

    def _edit(self, key: str) -> Reaction:
        text = self.prompt or ""
        if key == Key.ESCAPE.value or key == Key.INTERRUPT.value:
            self.prompt = None
        elif key == Key.ENTER.value:
            self.prompt = None
            if text.strip():
                return Reaction(frames=({"op": CommandName.ANNOTATE.value, "text": text.strip(), "kind": "note",
                                         "source": "hotkey"},), needs_session=self.session is None)
        elif key == Key.BACKSPACE.value:
            self.prompt = text[:-1]
        elif key == Key.CLEAR_LINE.value:
            self.prompt = ""
        elif len(key) == 1 and len(text) < MAX_NOTE_CHARS:
            self.prompt = text + key
        return Reaction()


# --------------------------------------------------------------------- drawing
class Style(StrEnum):
    """SGR codes for the few looks the screen uses."""

    PLAIN = ""
    BOLD = "1"
    DIM = "2"
    ALERT = "1;7"
    RED = "31"
    GREEN = "32"
    YELLOW = "33"
    CYAN = "36"


#: Recording state -> how it looks on screen.
RECORDING_LOOKS: Mapping[str, tuple[str, Style]] = {
    "idle": ("○ idle", Style.DIM), "recording": ("● recording", Style.RED),
    "paused": ("‖ paused", Style.YELLOW), "stopped": ("■ stopped", Style.PLAIN),
}
RECORDER_LOOKS: Mapping[str, Style] = {"ok": Style.GREEN, "error": Style.RED, "disconnected": Style.YELLOW,
                                       "none": Style.DIM}
Line = tuple[Style, str]
RULE = "─"
INDENT = "      "
ANSI_PATTERN = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def clock_text(ms: int) -> str:
    """Milliseconds as ``m:ss.t`` (tenths: enough for a countdown read aloud)."""
    tenths = max(0, ms) // 100
    minutes, rest = divmod(tenths, 600)
    return f"{minutes}:{rest // 10:02d}.{rest % 10}"


def render(board: Board, now_ms: float, width: int = 80) -> list[Line]:
    """The whole screen as styled lines, each at most ``width`` characters."""
    width = max(20, width)
    lines: list[Line] = [(Style.BOLD, _spread(f"PyMockAPI presenter · story {board.story or '…'} · "
                                              f"session {board.session_id}", board.link, width))]
    if board.summary and board.summary.get("title"):
        lines.append((Style.DIM, str(board.summary["title"])))
    lines.append((Style.DIM, RULE * width))
    lines.extend(_waypoint_lines(board, now_ms, width))
    lines.append((Style.DIM, RULE * width))
    lines.extend(_recording_lines(board, now_ms))
    if board.last_note is not None:
        note = board.last_note
        lines.append((Style.PLAIN, f"NOTE  {clock_text(int(note.get('offset_ms') or 0))}  "
                                   f"{note.get('kind', 'note')}: {note.get('text', '')}"))
    if board.last_error is not None:
        err = board.last_error
        lines.append((Style.RED, f"ERROR {err.get('code', 'error')}: {err.get('message', '')}"))
    if board.notice:
        lines.append((Style.YELLOW, board.notice))
    lines.append((Style.DIM, RULE * width))
    if board.prompt is not None:
        lines.append((Style.BOLD, f"Note: {board.prompt}█"))
        lines.append((Style.DIM, _legend(PROMPT_LEGEND)))
    else:
        lines.append((Style.DIM, _legend(LEGEND)))
    return [(style, _fit(text, width)) for style, text in lines]


def _waypoint_lines(board: Board, now_ms: float, width: int) -> list[Line]:
    session = board.session
    if session is None:
        return [(Style.DIM, "waiting for the session's state…")]
    current = str(session.get("waypoint", ""))
    head = f"NOW   {current}"
    position = board.position(current)
    if position:
        head += f"  ({position})"
    lines: list[Line] = [(Style.BOLD, head)]
    if board.paused:
        lines.append((Style.ALERT, " PAUSED "))
    lines.extend((Style.PLAIN, text) for text in _wrap(board.narration(current), width))
    nxt = session.get("next")
    if not isinstance(nxt, dict):
        lines.append((Style.DIM, "NEXT  — (last waypoint)"))
        return lines
    target = str(nxt.get("waypoint", ""))
    due = board.due_in_ms(now_ms)
    if due is not None:
        when = f"in {clock_text(due)}" + (" (frozen)" if board.paused else "")
    else:
        when = board.trigger_text(target)
    lines.append((Style.CYAN, f"NEXT  {target}  {when}".rstrip()))
    lines.extend((Style.DIM, text) for text in _wrap(board.narration(target), width))
    return lines


def _recording_lines(board: Board, now_ms: float) -> list[Line]:
    rec = board.recording
    state = str(rec.get("state", "idle"))
    look, style = RECORDING_LOOKS.get(state, (state, Style.PLAIN))
    text = f"REC   {look}"
    if state != "idle":
        text += f"  {clock_text(board.offset_ms(now_ms))}"
    recorder = dict(rec.get("recorder") or {})
    if board.recorder_event is not None:
        recorder.update({k: board.recorder_event[k] for k in ("status", "detail") if k in board.recorder_event})
    status = str(recorder.get("status", "none"))
    detail = str(recorder.get("detail") or "")
    line = f"      recorder {recorder.get('name', 'none')}: {status}" + (f" ({detail})" if detail else "")
    return [(style, text), (RECORDER_LOOKS.get(status, Style.PLAIN), line)]


def _spread(left: str, right: str, width: int) -> str:
    gap = width - len(left) - len(right)
    return f"{left}{' ' * gap}{right}" if gap >= 2 else f"{left}  {right}"


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width=max(10, width - len(INDENT)), initial_indent=INDENT,
                         subsequent_indent=INDENT) if text else []


def _legend(pairs: tuple[tuple[str, str], ...]) -> str:
    return "  ".join(f"{key} {what}" for key, what in pairs)


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def paint(lines: list[Line], color: bool = True) -> str:
    """Lines as one redraw: home, each line cleared to its end, the rest of the screen cleared."""
    out = []
    for style, text in lines:
        out.append(f"\x1b[{style.value}m{text}\x1b[0m" if color and style.value else text)
    return "\x1b[H" + "\x1b[K\r\n".join(out) + "\x1b[K\x1b[J"


def plain(screen: str) -> str:
    """A painted screen without its ANSI codes (what a person reads)."""
    return ANSI_PATTERN.sub("", screen)
