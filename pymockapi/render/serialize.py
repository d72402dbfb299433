"""Bodies as bytes: indented JSON and pretty-printed XML of the same value.

Both writers are deterministic and idempotent: parsing their output and
writing it again with the same settings gives the same bytes, so two
sessions with the same seed serve identical bodies and a body can be cached
or compared byte for byte.

XML mapping of a JSON-like value (the rules a front-end developer can guess):

* an object becomes child elements in key order; keys are turned into
  valid names (:func:`~pymockapi.render.xmlnames.element_name`);
* a key starting with ``@`` becomes an attribute of its element (objects
  and lists in attributes are written as compact JSON text);
* a list becomes repeated elements named by the singular of its key
  (``patients`` -> ``patient``; ``item`` when the key has no singular or the
  list sits directly in another list);
* ``None`` becomes an empty element marked ``xsi:nil="true"`` -- the key
  stays visible, as in JSON -- and a ``None`` attribute is omitted;
* booleans are ``true``/``false``, numbers are written as JSON writes them
  (non-finite floats as ``NaN``, ``INF``, ``-INF`` as in XML Schema), and
  text loses characters XML 1.0 cannot carry.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from typing import Any

import orjson
from lxml import etree

from pymockapi.render.words import singular
from pymockapi.render.xmlnames import clean_text, element_name

JSON_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_APPEND_NEWLINE
XSI = "http://www.w3.org/2001/XMLSchema-instance"
NIL = f"{{{XSI}}}nil"
ATTRIBUTE_MARK = "@"
LIST_ITEM = "item"
INDENT = "  "
#: XML Schema spellings of the floats JSON cannot write.
NON_FINITE = {"nan": "NaN", "inf": "INF", "-inf": "-INF"}


def json_default(value: Any) -> Any:
    """What orjson cannot write by itself: exact decimals as strings, sets sorted."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=lambda item: (type(item).__name__, str(item)))
    raise TypeError(f"Type is not JSON serializable: {type(value).__name__}")


def to_json(value: Any, *, compact: bool = False) -> bytes:
    """UTF-8 JSON with key order kept, 2-space indent unless ``compact``, and a final newline.

    Non-ASCII text is written as is (no ``\\u`` escapes), decimals as exact
    strings, dates and datetimes in ISO 8601.
    """
    options = JSON_OPTIONS if compact else JSON_OPTIONS | orjson.OPT_INDENT_2
    return orjson.dumps(value, default=json_default, option=options)


def dumps_fragment(value: Any, default: Callable[[Any], Any] = json_default) -> str:
    """Compact JSON text of one value, for embedding in a template's output."""
    return orjson.dumps(value, default=default, option=orjson.OPT_NON_STR_KEYS).decode()


def scalar_text(value: Any) -> str:
    """The text XML gives a leaf value (see the module doc)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return orjson.dumps(value).decode() if math.isfinite(value) else NON_FINITE[str(value)]
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, Enum):
        return scalar_text(value.value)
    if isinstance(value, (dict, list, tuple)):
        return dumps_fragment(value)
    return clean_text(str(value))


def _contains_none(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, dict):
        return any(_contains_none(v) for k, v in value.items() if not str(k).startswith(ATTRIBUTE_MARK))
    if isinstance(value, (list, tuple)):
        return any(_contains_none(v) for v in value)
    return False


class _XMLBuilder:
    """Fills an element tree from a JSON-like value."""

    def fill(self, element: etree._Element, value: Any, key: str) -> None:
        if value is None:
            element.set(NIL, "true")
        elif isinstance(value, dict):
            self._fill_object(element, value)
        elif isinstance(value, (list, tuple, set, frozenset)):
            items = json_default(value) if isinstance(value, (set, frozenset)) else value
            self._fill_list(element, items, key)
        else:
            element.text = scalar_text(value) or None  # "" and None text both write <a/>

    def _fill_object(self, element: etree._Element, value: dict[Any, Any]) -> None:
        for raw_key, item in value.items():
            key = str(raw_key)
            if key.startswith(ATTRIBUTE_MARK) and len(key) > 1:
                if item is not None:
                    element.set(element_name(key[1:]), scalar_text(item))
                continue
            self.fill(etree.SubElement(element, element_name(key)), item, key)

    def _fill_list(self, element: etree._Element, items: Any, key: str | None) -> None:
        child_key = (singular(key) if key else None) or LIST_ITEM
        name = element_name(child_key)
        for item in items:
            child = etree.SubElement(element, name)
            if isinstance(item, (list, tuple)):
                self._fill_list(child, item, None)
            else:
                self.fill(child, item, child_key)


def to_xml(value: Any, *, root: str) -> bytes:
    """Pretty-printed UTF-8 XML with a declaration; ``root`` names the top element."""
    nsmap = {"xsi": XSI} if _contains_none(value) else None
    top = etree.Element(element_name(root), nsmap=nsmap)
    _XMLBuilder().fill(top, value, root)
    return xml_bytes(top)


def xml_bytes(top: etree._Element) -> bytes:
    """The one way an element tree becomes bytes (used again to check idempotence)."""
    etree.indent(top, space=INDENT)
    return bytes(etree.tostring(top, pretty_print=True, xml_declaration=True, encoding="UTF-8"))
