"""JSON and XML writers: deterministic, idempotent, always well-formed."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from pymockapi.render.serialize import scalar_text, to_json, to_xml, xml_bytes
from pymockapi.render.words import plural, singular
from pymockapi.render.xmlnames import clean_text, element_name

SETTINGS = settings(max_examples=150, deadline=None, database=None)
DECLARATION = b"<?xml version='1.0' encoding='UTF-8'?>\n"
TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=20)
LEAVES = st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.floats(
    allow_nan=False, allow_infinity=False) | TEXT
JSON_VALUES = st.recursive(LEAVES, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
    TEXT, inner, max_size=4), max_leaves=25)
ANY_TEXT = st.text(max_size=20)  # includes control characters and lone surrogates
# What reaches to_xml was parsed by orjson, whose integers are 64-bit (larger ones come back as floats).
XML_LEAVES = st.none() | st.booleans() | st.integers(-(2**63), 2**64 - 1) | st.floats() | ANY_TEXT
XML_VALUES = st.recursive(XML_LEAVES, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
    ANY_TEXT, inner, max_size=4), max_leaves=25)


def _keys_in_order(value: Any) -> list[list[str]]:
    if isinstance(value, dict):
        return [list(value)] + [k for v in value.values() for k in _keys_in_order(v)]
    if isinstance(value, list):
        return [k for v in value for k in _keys_in_order(v)]
    return []


@SETTINGS
@given(JSON_VALUES)
def test_json_round_trip_is_byte_identical(value: Any) -> None:
    body = to_json(value)
    parsed = orjson.loads(body)
    assert parsed == value
    assert to_json(parsed) == body
    assert _keys_in_order(parsed) == _keys_in_order(value)
    assert body.endswith(b"\n") and not body.endswith(b"\n\n")
    for line in body.decode().split("\n"):
        assert line == line.rstrip()
        assert (len(line) - len(line.lstrip(" "))) % 2 == 0


@SETTINGS
@given(JSON_VALUES)
def test_compact_json_has_no_indentation(value: Any) -> None:
    body = to_json(value, compact=True)
    assert body.count(b"\n") == 1 and body.endswith(b"\n")
    assert orjson.loads(body) == value
    assert to_json(orjson.loads(body), compact=True) == body


@SETTINGS
@given(st.text(alphabet=st.characters(min_codepoint=0xA0, codec="utf-8"), min_size=1))
def test_json_writes_unicode_without_escapes(text: str) -> None:
    body = to_json({"name": text})
    assert text.encode() in body
    assert b"\\u" not in body


def test_json_writes_decimals_dates_sets_and_enums() -> None:
    class Colour(Enum):
        RED = "red"

    value = {"amount": Decimal("1234.50"), "day": date(2026, 3, 12), "at": datetime(2026, 3, 12, 9, 40),
             "tags": {"b", "a", "c"}, "colour": Colour.RED, 7: "int key"}
    parsed = orjson.loads(to_json(value))
    assert parsed == {"amount": "1234.50", "day": "2026-03-12", "at": "2026-03-12T09:40:00",
                      "tags": ["a", "b", "c"], "colour": "red", "7": "int key"}
    with pytest.raises(TypeError, match="not JSON serializable"):
        to_json({"x": object()})


@SETTINGS
@given(XML_VALUES, ANY_TEXT)
def test_xml_is_well_formed_and_idempotent(value: Any, root: str) -> None:
    body = to_xml(value, root=root)
    assert body.startswith(DECLARATION)
    tree = etree.fromstring(body)
    assert xml_bytes(tree) == body
    for element in tree.iter():
        name = etree.QName(element).localname
        assert element_name(name) == name  # a derived name is already safe


def test_xml_shapes_lists_attributes_nil_and_scalars() -> None:
    value = {"patients": [{"@id": "pat-0001", "@note": None, "name": "Maria", "age": 58, "active": True,
                           "score": 1.5, "ward": None, "tags": [], "codes": {"@system": {"a": 1}}}],
             "entries": [[1, 2], [3]], "addresses": [{"zip": "02139"}], "data": ["x"], "empty": ""}
    tree = etree.fromstring(to_xml(value, root="result"))
    patient = tree.find("patients/patient")
    assert patient is not None
    assert patient.get("id") == "pat-0001" and "note" not in patient.attrib
    assert patient.findtext("name") == "Maria" and patient.findtext("age") == "58"
    assert patient.findtext("active") == "true" and patient.findtext("score") == "1.5"
    ward = patient.find("ward")
    assert ward is not None and ward.get("{http://www.w3.org/2001/XMLSchema-instance}nil") == "true"
    assert patient.find("codes").get("system") == '{"a":1}'  # type: ignore[union-attr]
    assert [e.text for e in tree.findall("entries/entry/item")] == ["1", "2", "3"]
    assert tree.findtext("addresses/address/zip") == "02139"
    assert tree.findtext("data/item") == "x"
    assert tree.find("empty").text is None  # type: ignore[union-attr]


def test_xml_declares_xsi_only_when_needed_and_handles_top_level_shapes() -> None:
    assert b"xmlns:xsi" not in to_xml({"a": 1}, root="r")
    assert b"xmlns:xsi" in to_xml([None], root="r")
    listing = etree.fromstring(to_xml([{"id": 1}, {"id": 2}], root="orders"))
    assert [e.findtext("id") for e in listing.findall("order")] == ["1", "2"]
    assert etree.fromstring(to_xml("plain", root="message")).text == "plain"
    assert etree.fromstring(to_xml({"s": {"b", "a"}}, root="r")).findtext("s/item") == "a"


@pytest.mark.parametrize("value, text", [
    (float("nan"), "NaN"), (float("inf"), "INF"), (float("-inf"), "-INF"), (1e-7, "1e-7"),
    (False, "false"), (date(2026, 3, 12), "2026-03-12"), (Decimal("2.50"), "2.50"), ([1, "a"], '[1,"a"]'),
])
def test_scalar_text(value: Any, text: str) -> None:
    assert scalar_text(value) == text


def test_scalar_text_of_enum_uses_its_value() -> None:
    class Flag(Enum):
        ON = True

    assert scalar_text(Flag.ON) == "true"


@SETTINGS
@given(ANY_TEXT)
def test_element_names_are_always_valid(key: str) -> None:
    name = element_name(key)
    etree.Element(name)  # lxml refuses invalid names
    assert element_name(name) == name
    assert ":" not in name and not name.lower().startswith("xml")


@pytest.mark.parametrize("key, name", [
    ("first name", "first_name"), ("2fa", "_2fa"), ("xmlns", "_xmlns"), ("XMLData", "_XMLData"),
    ("", "_"), ("a:b", "a_b"), ("-x", "_-x"), ("größe", "größe"), ("@id", "_id"),
])
def test_element_name_examples(key: str, name: str) -> None:
    assert element_name(key) == name


@SETTINGS
@given(ANY_TEXT)
def test_clean_text_keeps_only_xml_characters(text: str) -> None:
    cleaned = clean_text(text)
    etree.fromstring(f"<a>{cleaned.replace('&', '&amp;').replace('<', '&lt;')}</a>".encode())
    assert all(c in text for c in cleaned)


@pytest.mark.parametrize("plural_word, singular_word", [
    ("patients", "patient"), ("entries", "entry"), ("addresses", "address"), ("boxes", "box"),
    ("lab_results", "lab_result"), ("related-people", "related-person"), ("matches", "match"),
    ("diagnoses", "diagnosis"), ("shoes", "shoe"), ("days", "day"), ("PATIENTS", "PATIENT"),
    ("Children", "Child"), ("PEOPLE", "PERSON"), ("wishes", "wish"), ("quizzes", "quiz"),
])
def test_singular_and_plural_agree(plural_word: str, singular_word: str) -> None:
    assert singular(plural_word) == singular_word
    assert plural(singular_word).lower() == plural_word.lower()


@pytest.mark.parametrize("word", ["status", "data", "series", "analysis", "x", "us", "address"])
def test_words_without_a_singular(word: str) -> None:
    assert singular(word) is None
