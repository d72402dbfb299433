"""Finding and removing the secrets a recorder URL carries.

A recorder URL is typed by the presenter and may hold a password
(``obs://host:4455?password=…``), basic-auth userinfo, an API token in the
query or a token baked into the path (chat webhooks).  SPEC says none of that
may leave the server, so every place that shows a URL shows :func:`redact`'s
output, and every detail is scrubbed of :func:`secrets_of`'s strings.
"""

from __future__ import annotations

import re
from typing import ClassVar
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from pymockapi.redact import credential_name, token_like


class UrlSecrets:
    """Which parts of a URL are secret: knowledge kept as data."""

    SECRET_KEYS: ClassVar[frozenset[str]] = frozenset({
        "password", "passwd", "pass", "pwd", "token", "access_token", "auth", "authorization",
        "key", "apikey", "api_key", "secret", "client_secret", "signature", "sig", "code",
    })
    TOKEN_LIKE: ClassVar[re.Pattern[str]] = re.compile(r"^(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9_\-.~]{20,}$")
    MASK: ClassVar[str] = "***"

    @classmethod
    def secret_param(cls, key: str, value: str) -> bool:
        return key.lower() in cls.SECRET_KEYS or credential_name(key) or token_like(value)

    @classmethod
    def secret_segment(cls, segment: str) -> bool:
        return bool(cls.TOKEN_LIKE.match(segment)) or token_like(segment)


def _host_part(netloc: str) -> tuple[str, str]:
    """``(userinfo, host[:port])`` without interpreting the port (it may be malformed)."""
    userinfo, at, host = netloc.rpartition("@")
    return (userinfo if at else ""), host


def redact(url: str) -> str:
    """``url`` without userinfo, secret query parameters or token-like path segments.

    ``obs://127.0.0.1:4455?password=x`` becomes ``obs://127.0.0.1:4455``.
    """
    parts = urlsplit(url.strip())
    _, host = _host_part(parts.netloc)
    path = "/".join(UrlSecrets.MASK if UrlSecrets.secret_segment(unquote(seg)) else seg
                    for seg in parts.path.split("/"))
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if not UrlSecrets.secret_param(k, v)]
    return urlunsplit((parts.scheme, host, path, urlencode(kept), ""))


def secrets_of(url: str) -> tuple[str, ...]:
    """Every secret string in ``url`` (raw and percent-decoded), to scrub from text."""
    parts = urlsplit(url.strip())
    found: list[str] = []
    userinfo, _ = _host_part(parts.netloc)
    if userinfo:
        _user, _, password = userinfo.partition(":")
        found += [userinfo, password, unquote(password)]
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if UrlSecrets.secret_param(key, value):
            found.append(value)
    for raw in parts.query.split("&"):
        key, _, value = raw.partition("=")
        if value and UrlSecrets.secret_param(unquote(key), unquote(value)):
            found.append(value)
    for seg in parts.path.split("/"):
        if UrlSecrets.secret_segment(unquote(seg)):
            found += [seg, unquote(seg)]
    return tuple(sorted({s for s in found if s}, key=len, reverse=True))
