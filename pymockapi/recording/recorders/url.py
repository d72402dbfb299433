"""From a ``--recorder`` URL to a running :class:`RecorderLink`.

The scheme picks the recorder: ``obs://host:port?password=…`` for OBS
Studio, ``webhook+http://…`` / ``webhook+https://…`` for a webhook; an empty
URL (or ``none``) means no recorder.  Errors name the URL only in its
redacted form, so a mistyped URL never prints its password.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar
from urllib.parse import parse_qsl, unquote, urlsplit, urlunsplit

from ...errors import BadRequest
from .base import NullRecorder, Recorder, RecorderLink, StatusCallback
from .obs import ObsRecorder
from .secrets import redact, secrets_of
from .webhook import WebhookRecorder

__all__ = ["UnknownRecorder", "build_recorder", "recorder_from_url", "redact"]


class UnknownRecorder(BadRequest):
    """A ``--recorder`` URL this server cannot drive."""

    code = "bad_recorder_url"


class RecorderFactory:
    """Which recorder each URL scheme builds, and how."""

    OBS_DEFAULT_HOST: ClassVar[str] = "127.0.0.1"
    OBS_DEFAULT_PORT: ClassVar[int] = 4455
    NONE_WORDS: ClassVar[frozenset[str]] = frozenset({"", "none", "null", "off"})
    EXAMPLES: ClassVar[dict[str, str]] = {
        "obs": "obs://127.0.0.1:4455?password=...",
        "webhook+http": "webhook+http://127.0.0.1:9000/events",
        "webhook+https": "webhook+https://hooks.example.com/pymockapi",
    }

    @classmethod
    def hint(cls) -> str:
        return "Use one of: " + ", ".join(cls.EXAMPLES.values()) + " (or omit --recorder)."

    @classmethod
    def build(cls, url: str) -> Recorder:
        text = url.strip()
        if text.lower() in cls.NONE_WORDS:
            return NullRecorder()
        scheme = urlsplit(text).scheme.lower()
        builders: dict[str, Callable[[str], Recorder]] = {
            "obs": cls.obs, "webhook+http": cls.webhook, "webhook+https": cls.webhook,
        }
        builder = builders.get(scheme)
        if builder is None:
            raise UnknownRecorder(f"Unknown recorder scheme {scheme + '://' if scheme else 'in'} "
                                  f"'{redact(text)}'.", cls.hint(), schemes=sorted(builders))
        return builder(text)

    @classmethod
    def _port(cls, url: str) -> int | None:
        try:
            return urlsplit(url).port
        except ValueError:
            raise UnknownRecorder(f"Recorder URL '{redact(url)}' has an invalid port.", cls.hint()) from None

    @classmethod
    def obs(cls, url: str) -> Recorder:
        parts = urlsplit(url)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        password = query.get("password") or (unquote(parts.password) if parts.password else None)
        port = cls._port(url) or cls.OBS_DEFAULT_PORT
        return ObsRecorder(parts.hostname or cls.OBS_DEFAULT_HOST, port, password,
                           display_url=redact(url), secrets=secrets_of(url))

    @classmethod
    def webhook(cls, url: str) -> Recorder:
        parts = urlsplit(url)
        if not parts.hostname:
            raise UnknownRecorder(f"Recorder URL '{redact(url)}' names no host.", cls.hint())
        cls._port(url)
        host = parts.netloc.rpartition("@")[2]
        target = urlunsplit((parts.scheme.split("+", 1)[1], host, parts.path or "/", parts.query, ""))
        return WebhookRecorder(target, display_url=redact(url), secrets=secrets_of(url),
                               username=unquote(parts.username) if parts.username else None,
                               password=unquote(parts.password) if parts.password else None)


def build_recorder(url: str) -> Recorder:
    """The recorder ``url`` describes, not yet connected; :class:`UnknownRecorder` when unusable."""
    return RecorderFactory.build(url)


def recorder_from_url(url: str | None, on_status: StatusCallback | None = None) -> RecorderLink:
    """A link to the recorder ``url`` describes; ``on_status(status, detail)`` hears its changes.

    ``None``/``""``/``"none"`` give a link to a :class:`NullRecorder`.
    """
    return RecorderLink(build_recorder(url or ""), on_status)
