"""The access log, with every URL redacted.

Tornado's own access log writes the raw request URI, so a WebSocket URL
with ``?token=…`` or a demo call with ``?api_key=…`` would put the secret
into the log the moment it is answered with a 4xx.  The application's
``log_function`` is this one: same levels and fields as Tornado's, the URI
through :func:`pymockapi.redact.redact_url`.
"""

from __future__ import annotations

import logging

import tornado.web

from pymockapi.redact import redact_url

access_log = logging.getLogger("tornado.access")


def request_line(handler: tornado.web.RequestHandler) -> str:
    """``METHOD /redacted/uri (remote ip)`` for a log line."""
    request = handler.request
    return f"{request.method} {redact_url(request.uri or '')} ({request.remote_ip})"


def log_request(handler: tornado.web.RequestHandler) -> None:
    """Tornado's ``log_function``: one line per answered request, secrets masked."""
    status = handler.get_status()
    if status < 400:
        method = access_log.info
    elif status < 500:
        method = access_log.warning
    else:
        method = access_log.error
    method("%d %s %.2fms", status, request_line(handler), 1000.0 * handler.request.request_time())
