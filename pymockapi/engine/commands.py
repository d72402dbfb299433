"""The presenter's commands on a session, in one table.

A command (advance, goto, back, pause, resume, reset, annotate, recording,
state) is reached over REST, over the WebSocket and from the hotkey client,
and is documented in the configuration API's OpenAPI document.  Each of
those reads this table, so adding a command is one row: its arguments,
what it runs, and where it answers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from pymockapi.engine.session import Session
from pymockapi.errors import InvalidField

#: An argument's accepted types and whether it is required.
Argument = tuple[type | tuple[type, ...], bool]


class CommandName(str, Enum):
    ADVANCE = "advance"
    GOTO = "goto"
    BACK = "back"
    PAUSE = "pause"
    RESUME = "resume"
    RESET = "reset"
    ANNOTATE = "annotate"
    RECORDING = "recording"
    STATE = "state"


class Replies(str, Enum):
    """What a command answers with over REST."""

    SESSION = "session"  # the session object
    MARKER = "marker"  # the new annotation, 201


@dataclass(frozen=True)
class SessionCommand:
    """One command: its arguments, what it does, and its REST route (None: WebSocket only).

    ``run(session, arguments, source)`` gets arguments already checked
    against ``arguments``; ``source`` says where the command came from
    (``api``, ``ws`` or ``hotkey``) for the markers it leaves.
    """

    name: CommandName
    summary: str
    arguments: Mapping[str, Argument]
    run: Callable[[Session, Mapping[str, Any], str], Any]
    rest: str | None = None
    replies: Replies = Replies.SESSION

    def check(self, given: Mapping[str, Any], *, strict: bool) -> dict[str, Any]:
        """The command's arguments from ``given``; 422 naming the field for a wrong one.

        ``strict`` refuses unknown fields (REST bodies); the WebSocket lets a
        frame carry its ``op`` and extra keys.
        """
        if strict:
            for key in given:
                if key not in self.arguments:
                    raise InvalidField(f"Unknown field '{key}'.", self._allowed(), field=key)
        out: dict[str, Any] = {}
        for key, (kinds, required) in self.arguments.items():
            value = given.get(key)
            if value is None:
                if required:
                    raise InvalidField(f"{self.name.value} needs '{key}'.", self._allowed(), field=key)
                continue
            accepted = kinds if isinstance(kinds, tuple) else (kinds,)
            if not isinstance(value, accepted) or (isinstance(value, bool) and bool not in accepted):
                names = " or ".join(k.__name__ for k in accepted)
                raise InvalidField(f"'{key}' of {self.name.value} must be {names}.", self._allowed(), field=key)
            out[key] = value
        return out

    def _allowed(self) -> str:
        if not self.arguments:
            return f"{self.name.value} takes no fields."
        return f"{self.name.value} takes: {', '.join(self.arguments)}."


def _advance(session: Session, args: Mapping[str, Any], source: str) -> None:
    if "to" in args:
        session.goto(args["to"])
    else:
        session.advance()


def _annotate(session: Session, args: Mapping[str, Any], source: str) -> dict[str, Any]:
    return session.annotate(args["text"], args.get("kind", "note"), source, duration_ms=args.get("duration_ms"),
                            at_ms=args.get("at_ms"))


RECORDING_ACTIONS = ("start", "stop", "pause", "resume")


def _recording(session: Session, args: Mapping[str, Any], source: str) -> None:
    if args["action"] not in RECORDING_ACTIONS:
        raise InvalidField(f"Unknown recording action '{args['action']}'.",
                           f"Use one of: {', '.join(RECORDING_ACTIONS)}.", field="action")
    session.recording(args["action"])


COMMANDS: Mapping[CommandName, SessionCommand] = {c.name: c for c in (
    SessionCommand(CommandName.ADVANCE, "Move on, or go to a waypoint", {"to": (str, False)},
                   _advance, rest="advance"),
    SessionCommand(CommandName.GOTO, "Go to a waypoint", {"waypoint": (str, True)},
                   lambda s, a, _: s.goto(a["waypoint"])),
    SessionCommand(CommandName.BACK, "Back one waypoint", {}, lambda s, a, _: s.back(), rest="back"),
    SessionCommand(CommandName.PAUSE, "Freeze timers", {}, lambda s, a, _: s.pause(), rest="pause"),
    SessionCommand(CommandName.RESUME, "Unfreeze timers", {}, lambda s, a, _: s.resume(), rest="resume"),
    SessionCommand(CommandName.RESET, "Back to the initial waypoint and the seed world", {},
                   lambda s, a, _: s.reset(), rest="reset"),
    SessionCommand(CommandName.ANNOTATE, "Add an annotation",
                   {"text": (str, True), "kind": (str, False), "at_ms": (int, False), "duration_ms": (int, False)},
                   _annotate, rest="annotations", replies=Replies.MARKER),
    SessionCommand(CommandName.RECORDING, "Recording: start, stop, pause or resume", {"action": (str, True)},
                   _recording),
    SessionCommand(CommandName.STATE, "The session object, to this client", {}, lambda s, a, _: None),
)}

#: Commands with a REST route of their own under ``/_api/sessions/{id}/``, by route word.
REST_COMMANDS: Mapping[str, SessionCommand] = {c.rest: c for c in COMMANDS.values() if c.rest is not None}


def command_named(name: str) -> SessionCommand:
    """The command a WebSocket ``op`` names; 422 listing the ops for an unknown one."""
    try:
        return COMMANDS[CommandName(name)]
    except ValueError:
        raise InvalidField(f"Unknown op '{name}'.", f"Ops: {', '.join(c.value for c in CommandName)}.",
                           code="unknown_op", field="op") from None
