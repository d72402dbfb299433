"""Validation at the door: what a request or WebSocket frame may carry, checked once, before anything acts.

SPEC (Security) lists what is refused with a 4xx before any change is
made: JSON nested deeper than 64 levels, numbers out of range (seeds
0…2^63−1, money at most 15 digits before the point), lone surrogates or
control characters in text, URLs that do not parse and ids longer than 256
characters.  Every handler (HTTP and WebSocket alike) parses bodies with
:func:`parse_json` and checks ids and URLs with :func:`check_id` and
:func:`parse_url`, so nothing past the door ever sees such a value and a
refused request keeps nothing.

The checks walk the parsed value iteratively (no recursion, each node once),
so their cost is linear in the body, which ``--max-body`` bounds.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import SplitResult, urlsplit

import orjson

from pymockapi.errors import BadRequest, InvalidJSON

#: Deepest nesting of arrays and objects a body may have.
MAX_DEPTH = 64
#: Longest id (session, story, persona, waypoint, record) a request may name.
MAX_ID_LENGTH = 256
#: Seeds are 0…2^63−1; every integer fits a signed 64-bit value.
INT_MIN, INT_MAX = -(1 << 63), (1 << 63) - 1
SEED_MIN, SEED_MAX = 0, INT_MAX
#: Money has at most this many digits before the point; no JSON number may be larger.
MONEY_DIGITS = 15
NUMBER_LIMIT = 10.0 ** MONEY_DIGITS

#: C0 controls except tab, newline and carriage return; DEL; C1 controls; lone surrogates.
_BAD_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
#: A decimal written as text (``"12.50"``, ``"1e999999"``): checked like a number.
_DECIMAL_TEXT = re.compile(r"^\s*[+-]?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$")
#: Bytes without a match cannot hold an out-of-range number or a decimal text with an exponent.
_NUMBER_HINT = re.compile(rb"[0-9](?:[eE]|[0-9]{15})")
#: orjson's words for what is hostile rather than mistyped.
_DEPTH_WORDS = ("depth limit",)
_TEXT_WORDS = ("surrogate", "utf-8", "utf8")
_NUMBER_WORDS = ("infinity", "nan")


class InputRefused(BadRequest):
    """A value refused at the door (400), naming where it was and what limit it broke."""

    code = "input_refused"


class TooDeep(InputRefused):
    code = "json_too_deep"


class NumberOutOfRange(InputRefused):
    code = "number_out_of_range"


class InvalidText(InputRefused):
    code = "invalid_text"


class IdTooLong(InputRefused):
    code = "id_too_long"


class InvalidURL(InputRefused):
    code = "invalid_url"


#: Where a value sits in a body, as a linked list from the leaf up (built only once an error needs it).
_Trail = tuple[Any, "str | int"] | None


def _where(trail: _Trail) -> str:
    parts: list[str | int] = []
    while trail is not None:
        trail, key = trail
        parts.append(key)
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in reversed(parts)).lstrip(".") or "body"


def parse_json(raw: bytes | str, *, what: str = "request body") -> Any:
    """Parse ``raw`` and check every value in it; the SPEC error for anything refused.

    Syntax errors are :class:`~pymockapi.errors.InvalidJSON`; depth, text and
    number violations are :class:`InputRefused` subclasses naming the field.
    """
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise _decode_error(str(exc), what) from None
    check_value(value, raw if isinstance(raw, bytes) else None)
    return value


def _decode_error(reason: str, what: str) -> InvalidJSON | InputRefused:
    lowered = reason.lower()
    if any(w in lowered for w in _DEPTH_WORDS):
        return TooDeep(f"The {what} is nested deeper than {MAX_DEPTH} levels.", "Flatten the JSON.")
    if any(w in lowered for w in _TEXT_WORDS):
        return InvalidText(f"The {what} has text that is not valid Unicode (a lone surrogate or bad UTF-8).",
                           "Send UTF-8 text; escape characters as complete \\u pairs.")
    if any(w in lowered for w in _NUMBER_WORDS):
        return NumberOutOfRange(f"The {what} has a number that is not finite.",
                                f"Numbers must be finite, with at most {MONEY_DIGITS} digits before the point.")
    return InvalidJSON(f"The {what} is not valid JSON: {reason}.", "Check quotes and commas; send a JSON object.")


def hostile_json(raw: bytes) -> InputRefused | None:
    """The refusal for a body that is hostile JSON, or ``None`` (also when it is merely not JSON).

    For demo endpoints, whose stories answer a mistyped body in their own
    API's error shape: only what could hurt the server is refused here.
    """
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        error = _decode_error(str(exc), "request body")
        return error if isinstance(error, InputRefused) else None
    try:
        check_value(value, raw)
    except InputRefused as refused:
        return refused
    return None


def check_value(value: Any, raw: bytes | None = None) -> None:
    """Check ``value`` (parsed JSON): depth, integer and decimal ranges, text.

    With the ``raw`` bytes it came from, only the depth is walked unless the
    bytes could hold a refused scalar at all (an escape or a C1 character for
    text; an exponent or 16 digits in a row for numbers): a megabyte of
    ordinary JSON costs a few milliseconds, not a walk over every value.
    """
    if not _depth_within(value):
        raise TooDeep(f"The request body is nested deeper than {MAX_DEPTH} levels.", "Flatten the JSON.")
    if raw is not None and b"\\u" not in raw and b"\xc2" not in raw and b"\x7f" not in raw \
            and _NUMBER_HINT.search(raw) is None:
        return
    _walk(value)


def _depth_within(value: Any) -> bool:
    """Whether ``value`` nests at most ``MAX_DEPTH`` levels (a level at a time, containers only)."""
    level = [value] if isinstance(value, (dict, list)) else []
    for _ in range(MAX_DEPTH):
        if not level:
            return True
        below: list[Any] = []
        for node in level:
            items = node.values() if isinstance(node, dict) else node
            below.extend([c for c in items if type(c) is dict or type(c) is list])
        level = below
    return not level


def _walk(value: Any) -> None:
    stack: list[tuple[Any, int, _Trail]] = [(value, 0, None)]
    while stack:
        node, depth, trail = stack.pop()
        if isinstance(node, (dict, list)):
            if depth >= MAX_DEPTH:
                raise TooDeep(f"The request body is nested deeper than {MAX_DEPTH} levels.", "Flatten the JSON.")
            if isinstance(node, dict):
                for key, item in node.items():
                    if _BAD_TEXT.search(key):
                        check_text(key, _where((trail, key)))
                    stack.append((item, depth + 1, (trail, key)))
            else:
                stack.extend((item, depth + 1, (trail, i)) for i, item in enumerate(node))
        elif isinstance(node, str):
            if _BAD_TEXT.search(node):
                check_text(node, _where(trail))
            if "." in node or "e" in node or "E" in node:
                check_decimal_text(node, _where(trail))
        elif isinstance(node, bool) or node is None:
            continue
        elif isinstance(node, int):
            if not INT_MIN <= node <= INT_MAX:
                check_int(node, _where(trail))
        elif isinstance(node, float) and not -NUMBER_LIMIT < node < NUMBER_LIMIT:
            check_number(node, _where(trail))


def check_text(text: str, where: str = "text") -> str:
    """``text`` when it has no lone surrogate or control character (tab and newlines are fine)."""
    found = _BAD_TEXT.search(text)
    if found is not None:
        kind = "a lone surrogate" if "\ud800" <= found.group() <= "\udfff" else "a control character"
        raise InvalidText(f"'{where}' has {kind} (U+{ord(found.group()):04X}) at position {found.start()}.",
                          "Send printable Unicode text; tab and newlines are allowed.", field=where)
    return text


def check_int(value: int, where: str = "number", low: int = INT_MIN, high: int = INT_MAX) -> int:
    if not low <= value <= high:
        raise NumberOutOfRange(f"'{where}' is out of range ({low}…{high}).",
                               f"Send a whole number from {low} to {high}.", field=where)
    return value


def check_seed(value: int) -> int:
    """A session seed: 0…2^63−1."""
    return check_int(value, "seed", SEED_MIN, SEED_MAX)


def check_number(value: float, where: str = "number") -> float:
    if not -NUMBER_LIMIT < value < NUMBER_LIMIT:  # also false for NaN
        raise NumberOutOfRange(f"'{where}' is out of range.",
                               f"Numbers have at most {MONEY_DIGITS} digits before the point.", field=where)
    return value


def check_decimal_text(text: str, where: str = "text") -> str:
    """A decimal written as text (money, ``"1e999999"``) may have at most 15 digits before the point.

    Plain digit strings without point or exponent are ids and codes (card
    numbers, account numbers), not amounts, and pass.
    """
    if len(text) > 64 or ("." not in text and "e" not in text and "E" not in text):
        return text
    found = _DECIMAL_TEXT.match(text)
    if found is None or not (found.group(1) or found.group(2)):
        return text
    whole = found.group(1).lstrip("0")
    exponent = found.group(3)
    digits = len(whole) + (int(exponent) if exponent and len(exponent) < 8 else 0)
    if exponent and len(exponent.lstrip("+-").lstrip("0")) >= 8:
        digits = MONEY_DIGITS + 1 if not exponent.startswith("-") else 0
    if digits > MONEY_DIGITS:
        raise NumberOutOfRange(f"'{where}' has more than {MONEY_DIGITS} digits before the point.",
                               "Send an amount like \"1250.00\".", field=where)
    return text


def check_id(text: str, what: str = "id") -> str:
    """An id named by a request: at most 256 characters of valid text."""
    if len(text) > MAX_ID_LENGTH:
        raise IdTooLong(f"The {what} is {len(text):,} characters long; at most {MAX_ID_LENGTH} are allowed.",
                        f"Use a shorter {what}.", field=what)
    return check_text(text, what)


def check_ids(texts: Iterable[str], what: str = "id") -> None:
    for text in texts:
        check_id(text, what)


def parse_url(text: str, where: str = "url") -> SplitResult:
    """``urlsplit`` that cannot raise anything but :class:`InvalidURL` (also checks the port)."""
    check_text(text, where)
    try:
        parts = urlsplit(text.strip())
        _ = parts.port
        _ = parts.hostname
    except ValueError as exc:
        raise InvalidURL(f"'{where}' is not a URL that parses: {exc}.",
                         "Check brackets around IPv6 hosts and the port number.", field=where) from None
    return parts


def url_host(text: str, where: str = "url") -> str:
    """The host a URL names, lower case, without brackets; '' when it names none."""
    return (parse_url(text, where).hostname or "").lower()


class RecorderHostRefused(InputRefused):
    code = "recorder_host_not_allowed"


#: Recorder URLs that mean "no recorder" and so name no host.
_NO_RECORDER = frozenset({"", "none", "null", "off"})


def loopback_host(host: str) -> bool:
    """Whether ``host`` (a name or address, brackets removed) is this machine's loopback."""
    name = host.lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return bool(address.is_loopback or (mapped is not None and mapped.is_loopback))


def recorder_hosts(server_recorder: str | None, given: Iterable[str]) -> frozenset[str]:
    """The hosts a session's own recorder URL may name besides loopback: ``--recorder``'s and ``--recorder-hosts``."""
    hosts = {h.strip().lower().strip("[]") for item in given for h in item.split(",") if h.strip()}
    if server_recorder and server_recorder.strip().lower() not in _NO_RECORDER:
        host = url_host(server_recorder, "--recorder")
        if host:
            hosts.add(host)
    return frozenset(hosts)


def check_recorder_url(url: str, allowed: frozenset[str], where: str = "recorder") -> str:
    """A session's own recorder URL: it parses, and names only loopback or an allowed host.

    Why: a page or script that can create sessions must not make the server
    send requests to hosts on its network (or tell open ports from closed).
    """
    if url.strip().lower() in _NO_RECORDER:
        return url
    host = url_host(url, where)
    if host and not loopback_host(host) and host not in allowed:
        raise RecorderHostRefused(f"The recorder URL names host {host!r}, which this server may not reach.",
                                  "Use a loopback recorder, the --recorder host, or start the server with "
                                  f"--recorder-hosts {host}.", field=where, host=host)
    return url
