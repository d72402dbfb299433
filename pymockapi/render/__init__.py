"""From a world's records to response bytes.

``TemplateSet`` renders an endpoint template (JSON text built with
``|tojson``) into a Python value; ``choose_format`` picks JSON, XML or FHIR
for a request; ``to_json`` / ``to_xml`` write the value once, polished and
byte-for-byte deterministic.
"""

from __future__ import annotations

from pymockapi.render.environment import TemplateSet
from pymockapi.render.filters import FILTERS
from pymockapi.render.negotiate import CONTENT_TYPES, choose_format
from pymockapi.render.serialize import to_json, to_xml

__all__ = ["CONTENT_TYPES", "FILTERS", "TemplateSet", "choose_format", "to_json", "to_xml"]
