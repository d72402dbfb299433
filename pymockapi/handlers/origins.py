"""Which browser origins may use the configuration API and the WebSocket (SPEC Security).

A web page the presenter happens to open can send requests to
``127.0.0.1:8000`` too: a ``text/plain`` POST needs no preflight, and a
WebSocket has no same-origin rule at all.  Browsers always say who is asking
(the ``Origin`` header), so the server answers a request that carries one
only when it is the server's own origin or one given with
``--allow-origin``; those get CORS headers, every other origin gets a 403
before anything is read or changed.  A request without ``Origin`` (curl,
the hotkey client, scripts) is not a browser's cross-site request and passes.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from pymockapi.errors import PyMockAPIError, UsageError

#: How long a browser may reuse a preflight answer, in seconds.
PREFLIGHT_MAX_AGE_S = 600
CONFIG_METHODS = "GET, POST, PATCH, PUT, DELETE, OPTIONS"
CONFIG_HEADERS = "Authorization, Content-Type"


class OriginRefused(PyMockAPIError):
    status = 403
    code = "origin_not_allowed"


def normal_origin(text: str) -> str | None:
    """``scheme://host[:port]`` in lower case with the default port dropped; None when it is not an origin."""
    try:
        parts = urlsplit(text.strip())
        port = parts.port
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not host or parts.path not in ("", "/") or parts.query:
        return None
    default = {"http": 80, "https": 443}[parts.scheme]
    shown = f"[{host}]" if ":" in host else host
    return f"{parts.scheme}://{shown}" + (f":{port}" if port is not None and port != default else "")


def allowed_origins(given: Iterable[str]) -> frozenset[str]:
    """The ``--allow-origin`` values, normalised; a usage error for one that is not an origin."""
    out = set()
    for text in given:
        origin = normal_origin(text)
        if origin is None:
            raise UsageError(f"--allow-origin {text!r} is not an origin.",
                             "Give scheme, host and port only, e.g. --allow-origin http://localhost:5173.")
        out.add(origin)
    return frozenset(out)


def origin_allowed(origin: str, host_header: str, allowed: frozenset[str]) -> bool:
    """Whether a request from ``origin`` to the server reached as ``host_header`` may be answered."""
    normal = normal_origin(origin)
    if normal is None:
        return False  # "null" (sandboxed frames, file://) and garbage are nobody's own origin
    if normal in allowed:
        return True
    own_host = urlsplit("//" + host_header.strip()).netloc.lower() if host_header else ""
    return bool(own_host) and normal.split("://", 1)[1] in (own_host, own_host.removesuffix(":80"))


def refused(origin: str) -> OriginRefused:
    shown = origin if len(origin) <= 200 else origin[:200] + "…"
    return OriginRefused(f"Requests from the web page at {shown!r} are not allowed.",
                         "Start the server with --allow-origin ORIGIN to let that page use the API.",
                         origin=shown)
