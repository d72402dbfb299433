"""Content negotiation: ?format= first, then Accept, JSON by default, 406 otherwise."""

from __future__ import annotations

import pytest

from pymockapi.errors import NotAcceptable, error_body
from pymockapi.render.negotiate import CONTENT_TYPES, MEDIA_FORMATS, choose_format, parse_accept

PLAIN = ("json", "xml")
HEALTH = ("json", "xml", "fhir")
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"


@pytest.mark.parametrize("accept, param, available, chosen", [
    (None, None, PLAIN, "json"),
    ("", None, PLAIN, "json"),
    ("   ", None, HEALTH, "json"),
    ("application/json", None, PLAIN, "json"),
    ("application/xml", None, PLAIN, "xml"),
    ("text/xml", None, PLAIN, "xml"),
    ("application/fhir+json", None, HEALTH, "fhir"),
    ("*/*", None, HEALTH, "json"),
    ("application/*", None, ("xml", "json"), "json"),
    ("application/xml;q=0.5, application/json;q=0.9", None, PLAIN, "json"),
    ("application/json;q=0.5, application/xml", None, PLAIN, "xml"),
    ("application/json;q=0, */*", None, PLAIN, "xml"),
    ("text/xml; charset=utf-8; q=0.8, application/json; q=0.7", None, PLAIN, "xml"),
    ("application/xml, application/json", None, PLAIN, "xml"),
    ("image/png, application/json;q=0.1", None, PLAIN, "json"),
    ("application/json;q=abc, application/xml;q=0.3", None, PLAIN, "xml"),
    ("garbage, application/xml", None, PLAIN, "xml"),
    (BROWSER, None, HEALTH, "json"),
    ("application/xml", "json", PLAIN, "json"),
    (None, "xml", PLAIN, "xml"),
    (None, " FHIR ", HEALTH, "fhir"),
    ("application/json", "", PLAIN, "json"),
    (None, None, ("xml",), "xml"),
])
def test_negotiation_table(accept: str | None, param: str | None, available: tuple[str, ...], chosen: str) -> None:
    assert choose_format(accept, param, available) == chosen


@pytest.mark.parametrize("accept, param, available", [
    (None, "fhir", PLAIN),
    (None, "yaml", HEALTH),
    ("application/fhir+json", None, PLAIN),
    ("image/png", None, HEALTH),
    ("application/json;q=0, application/xml;q=0", None, PLAIN),
    ("audio/*", None, HEALTH),
    ("text/*", None, ("fhir",)),
])
def test_unsupported_formats_are_406_listing_the_supported_ones(
        accept: str | None, param: str | None, available: tuple[str, ...]) -> None:
    with pytest.raises(NotAcceptable, match="cannot answer") as caught:
        choose_format(accept, param, available)
    error = caught.value
    assert error.status == 406
    for fmt in available:
        assert fmt in error.hint
        assert CONTENT_TYPES[fmt].split(";")[0] in error.hint
    assert error_body(error)["error"]["supported"] == list(available)


def test_every_media_type_maps_to_a_format_with_a_content_type() -> None:
    for media, fmt in MEDIA_FORMATS.items():
        assert fmt in CONTENT_TYPES
        assert choose_format(media, None, tuple(CONTENT_TYPES)) == fmt
    for content_type in CONTENT_TYPES.values():
        assert content_type.endswith("; charset=UTF-8")


def test_parse_accept_reads_q_values_and_skips_malformed_entries() -> None:
    ranges = parse_accept("application/json;q=0.4, bad, text/xml ;q=2, */*;level=1, a/")
    assert [(r.media_type, r.q) for r in ranges] == [
        ("application/json", 0.4), ("text/xml", 1.0), ("*/*", 1.0)]
    assert [r.specificity for r in ranges] == [2, 2, 0]
