"""Which body format a request gets: ``?format=`` first, then ``Accept``.

Rules, in order:

1. ``?format=json|xml|fhir`` wins; a format the endpoint does not offer is
   a 406 listing the ones it does.
2. No ``Accept`` (or an empty one) means JSON.
3. A browser's ``Accept`` (its first choice is ``text/html``) means JSON:
   a presenter pasting a demo URL into a tab expects the JSON she knows,
   not the XML browsers happen to rank above ``*/*``.
4. Otherwise the media range with the highest ``q`` that matches an offered
   format wins; among equal ``q`` the more specific range, then the earlier
   one.  ``q=0`` excludes a format; wildcards pick JSON first.  Nothing
   acceptable is a 406 listing the formats and their media types.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from pymockapi.errors import NotAcceptable

DEFAULT_FORMAT = "json"
#: Response Content-Type per format.
CONTENT_TYPES: dict[str, str] = {
    "json": "application/json; charset=UTF-8",
    "xml": "application/xml; charset=UTF-8",
    "fhir": "application/fhir+json; charset=UTF-8",
}
#: Media types a client may ask for, and the format each means.
MEDIA_FORMATS: dict[str, str] = {
    "application/json": "json", "text/json": "json",
    "application/xml": "xml", "text/xml": "xml",
    "application/fhir+json": "fhir", "application/json+fhir": "fhir",
}
#: Media types only a browser puts first.
BROWSER_TYPES = frozenset({"text/html", "application/xhtml+xml"})
#: Format preference when a wildcard matches several.
WILDCARD_ORDER = ("json", "xml", "fhir")


@dataclass(frozen=True)
class MediaRange:
    """One entry of an ``Accept`` header."""

    type: str
    subtype: str
    q: float
    position: int

    @property
    def specificity(self) -> int:
        return (self.type != "*") + (self.subtype != "*")

    @property
    def media_type(self) -> str:
        return f"{self.type}/{self.subtype}"

    def matches(self, media_type: str) -> bool:
        kind, sub = media_type.split("/", 1)
        return self.type in ("*", kind) and self.subtype in ("*", sub)


def parse_accept(header: str) -> list[MediaRange]:
    """The media ranges of an ``Accept`` header; malformed entries are skipped."""
    ranges = []
    for position, entry in enumerate(header.split(",")):
        media, *params = (part.strip() for part in entry.split(";"))
        if media.count("/") != 1:
            continue
        kind, sub = (s.strip().lower() for s in media.split("/"))
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(1.0, max(0.0, float(value.strip())))
                except ValueError:
                    q = 0.0
        if kind and sub:
            ranges.append(MediaRange(kind, sub, q, position))
    return ranges


def _not_acceptable(what: str, available: Sequence[str]) -> NotAcceptable:
    offered = ", ".join(f"{fmt} ({CONTENT_TYPES.get(fmt, fmt).split(';')[0]})" for fmt in available)
    return NotAcceptable(
        f"This endpoint cannot answer in {what}.",
        f"Supported formats: {offered}. Use ?format={available[0] if available else DEFAULT_FORMAT} "
        "or a matching Accept header.",
        supported=list(available),
    )


def _quality(fmt: str, ranges: list[MediaRange]) -> tuple[float, int, int] | None:
    """How much the client wants ``fmt``: (q, specificity, -position) of its decisive range.

    The most specific range matching any media type of the format decides
    (RFC 9110 12.5.1), so ``application/json;q=0, */*`` excludes JSON even
    though its alias ``text/json`` matches ``*/*``.
    """
    candidates = [r for media, candidate in MEDIA_FORMATS.items() if candidate == fmt
                  for r in ranges if r.matches(media)]
    if not candidates:
        return None
    decisive = max(candidates, key=lambda r: (r.specificity, -r.position))
    return decisive.q, decisive.specificity, -decisive.position


@lru_cache(maxsize=512)  # a front-end sends the same few headers again and again
def choose_format(accept: str | None, format_param: str | None, available: Sequence[str]) -> str:
    """The format to answer in (one of ``available``), or :class:`NotAcceptable`."""
    if format_param is not None and format_param.strip():
        wanted = format_param.strip().lower()
        if wanted in available:
            return wanted
        raise _not_acceptable(f"format '{format_param.strip()}'", available)
    fallback = DEFAULT_FORMAT if DEFAULT_FORMAT in available else (available[0] if available else DEFAULT_FORMAT)
    ranges = parse_accept(accept or "")
    if not ranges:
        return fallback
    first = min(ranges, key=lambda r: (-r.q, r.position))
    if first.media_type in BROWSER_TYPES:
        return fallback
    order = sorted(available, key=lambda f: WILDCARD_ORDER.index(f) if f in WILDCARD_ORDER else len(WILDCARD_ORDER))
    scored = [(score, -rank, fmt) for rank, fmt in enumerate(order)
              if (score := _quality(fmt, ranges)) is not None and score[0] > 0]
    if not scored:
        raise _not_acceptable(f"'{accept}'", available)
    return max(scored)[2]
