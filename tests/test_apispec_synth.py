"""Building schema-valid bodies: every operation of every real description, and the edge cases."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from pymockapi.apispec.loader import load_description
from pymockapi.apispec.model import MISSING, REF_PREFIX, Slot
from pymockapi.apispec.synth import NullSource, build, coerce, validator_for

from support import real_descriptions

HERE = Path(__file__).resolve().parent / "apispecs"


def test_every_success_body_of_every_real_description_is_schema_valid() -> None:
    rows = [f"{'description':42} {'ops':>4} {'body':>5} {'valid':>6}"]
    for path in real_descriptions():
        d = load_description(path, strict=False)
        bodies = valid = 0
        for op in d.operations:
            for schema, direction in ((op.success.schema, "response"),
                                      (op.request.schema if op.request else None, "request")):
                if schema is None:
                    continue
                value = build(d, schema, NullSource(), seed=op.key, direction=direction)
                errors = list(validator_for(d, schema, direction).iter_errors(value))
                assert not errors, (path.name, op.key, direction, errors[0].message[-300:])
                if direction == "response":
                    bodies += 1
                    valid += 1
        rows.append(f"{path.name:42} {len(d.operations):4} {bodies:5} {valid:6}")
    print("\n" + "\n".join(rows))


def test_same_seed_same_body_other_record_other_strings() -> None:
    d = load_description(HERE / "pets30.yaml")
    pet = {"$ref": REF_PREFIX + "Pet"}
    one = build(d, pet, NullSource(), record={"id": "p1"})
    assert one == build(d, pet, NullSource(), record={"id": "p1"})
    two = build(d, pet, NullSource(), record={"id": "p2"})
    assert one["name"] != two["name"] and one["id"] != two["id"]
    assert build(d, pet, NullSource(), seed="a") != build(d, pet, NullSource(), seed="b")


def test_formats_and_constraints() -> None:
    d = load_description(HERE / "pets30.yaml")
    pet = {"$ref": REF_PREFIX + "Pet"}
    for n in range(20):
        body = build(d, pet, NullSource(), seed=f"s{n}", anchor=date(2024, 6, 1))
        assert validator_for(d, pet, "response").is_valid(body)
        assert "secret" not in body  # writeOnly out of responses
        assert re.fullmatch(r"[A-Z]{3}-[0-9]{4}", body["chip"])
        assert body["email"].endswith("@example.com")
        assert body["phone"].startswith("+1") and body["phone"][5:10] == "55501"
        assert body["birthDate"] < "2024-06-01"
        assert 2 <= len(body["tags"]) <= 3 and len(set(body["tags"])) == len(body["tags"])
        assert all(w not in str(body).lower() for w in ("lorem", "'string'"))
    request = build(d, pet, NullSource(), seed="r", direction="request")
    assert "id" not in request and "secret" in request  # readOnly out of requests
    assert validator_for(d, pet, "request").is_valid(request)


def test_oneof_discriminator_type_arrays_and_anyof() -> None:
    d = load_description(HERE / "oneof31.yaml")
    method = {"$ref": REF_PREFIX + "Method"}
    body = build(d, method, NullSource(), seed="m")
    assert body["kind"] == "card" and validator_for(d, method).is_valid(body)

    class WantsBank(NullSource):
        def value(self, slot: Slot) -> Any:
            return "bank" if slot.property == "kind" else MISSING

    bank = build(d, method, WantsBank(), seed="m")
    assert bank["kind"] == "bank" and "iban" in bank and validator_for(d, method).is_valid(bank)
    assert bank["nickname"] is not None
    ops = {op.key: op for op in d.operations}
    things = ops["GET /things"].success.schema
    assert things is not None
    assert validator_for(d, things).is_valid(build(d, things, NullSource(), seed="t"))
    choice = ops["GET /choice"].success.schema
    assert choice is not None and 5 <= build(d, choice, NullSource()) <= 9


def test_cycles_end() -> None:
    d = load_description(HERE / "cyclic.yaml")
    for name in ("Node", "Person"):
        schema = {"$ref": REF_PREFIX + name}
        body = build(d, schema, NullSource(), seed=name)
        assert validator_for(d, schema).is_valid(body)
    assert build(d, {"$ref": REF_PREFIX + "Node"}, NullSource())["children"] == []


def test_swagger_and_file_refs_build() -> None:
    for name in ("swagger20.yaml", "files.yaml"):
        d = load_description(HERE / name)
        for op in d.operations:
            for schema in (op.success.schema, op.request.schema if op.request else None):
                if schema is not None:
                    assert validator_for(d, schema, "response").is_valid(build(d, schema, NullSource()))


class World(NullSource):
    """A source with a world: records for arrays and objects, values from the record."""

    def __init__(self, rows: list[Mapping[str, Any]]) -> None:
        self.rows = rows

    def value(self, slot: Slot) -> Any:
        if slot.record is not None and slot.property in slot.record:
            return slot.record[slot.property]
        return MISSING

    def items(self, slot: Slot) -> list[Mapping[str, Any]] | None:
        return self.rows if slot.pointer == "" else None


def test_values_from_the_source_are_coerced_or_replaced() -> None:
    d = load_description(HERE / "pets30.yaml")
    rows: list[Mapping[str, Any]] = [
        {"id": "7f3c8a0e-0000-4000-8000-000000000001", "name": "Biscuit", "status": "SOLD",
         "weight": {"amount": "12.50", "currency": "USD"}, "price": "19.5", "rating": 9,
         "birthDate": "2020-02-03T10:00:00", "nickname": None, "ip": "not an ip"},
        {"id": "7f3c8a0e-0000-4000-8000-000000000002", "name": "Rex", "status": "Pending", "weight": 3},
    ]
    schema = {"type": "array", "items": {"$ref": REF_PREFIX + "Pet"}}
    body = build(d, schema, World(rows))
    assert [b["name"] for b in body] == ["Biscuit", "Rex"]
    assert body[0]["status"] == "sold" and body[1]["status"] == "pending"
    assert body[0]["weight"] == 12.5 and body[0]["price"] == 19.5
    assert body[0]["rating"] in (1, 2, 3) and body[0]["birthDate"] == "2020-02-03"
    assert body[0]["nickname"] is None and body[0]["ip"] != "not an ip"
    assert validator_for(d, schema).is_valid(body)


def test_coerce() -> None:
    assert coerce({"type": "integer"}, {"amount": "12.50"}, "amountCents") == 1250
    assert coerce({"type": "integer"}, {"amount": "12.50"}, "amount") is MISSING
    assert coerce({"type": "integer"}, "42", "n") == 42
    assert coerce({"type": "number"}, "x") is MISSING
    assert coerce({"type": "string"}, 12) == "12"
    assert coerce({"type": "string", "format": "date-time"}, date(2024, 1, 2)) == "2024-01-02T00:00:00Z"
    assert coerce({"type": "string", "format": "date-time"}, "2024-01-02") == "2024-01-02T00:00:00Z"
    assert coerce({"type": "string"}, {"amount": "3.10"}) == "3.10"
    assert coerce({"type": "string"}, True) == "true"
    assert coerce({"type": "boolean"}, "yes") is True
    assert coerce({"type": "boolean"}, "maybe") is MISSING
    assert coerce({"enum": ["IN_PROGRESS", "DONE"]}, "in progress") == "IN_PROGRESS"
    assert coerce({"enum": ["A"]}, "b") is MISSING
    assert coerce({"const": 3}, 3) == 3
    assert coerce({"type": "string"}, None) is MISSING
    assert coerce({"type": ["string", "null"]}, None) is None
    assert coerce({"type": "object"}, {"a": 1}) == {"a": 1}
    assert coerce({}, 5) == 5


def test_generation_by_type_and_format() -> None:
    d = load_description(HERE / "pets30.yaml")
    cases: list[dict[str, Any]] = [
        {"type": "string", "format": f} for f in ("date-time", "time", "uuid", "uri", "hostname", "ipv6",
                                                   "byte", "binary", "password", "duration")
    ] + [{"type": "integer", "minimum": 3, "maximum": 9, "multipleOf": 3}, {"type": "number", "multipleOf": 0.25},
         {"type": "integer", "exclusiveMinimum": 5, "exclusiveMaximum": 7}, {"type": "boolean"}, {"type": "null"},
         {"type": "string", "minLength": 40}, {"type": "string", "maxLength": 3}, {"example": 5}, {"default": "d"},
         {"const": "c"}, {"examples": ["e"]}, {"type": "object", "additionalProperties": {"type": "integer"},
                                              "minProperties": 2}, {"prefixItems": [{"type": "integer"}]},
         {"minimum": 2}, {"enum": [None, "x"]}, {"type": "string", "pattern": "(?i)^ab+$"}]
    for schema in cases:
        value = build(d, schema, NullSource(), seed="g")
        assert validator_for(d, schema).is_valid(value), (schema, value)


def test_a_pattern_is_met_by_a_meaningful_value_before_one_drawn_from_the_regex() -> None:
    d = load_description(HERE / "pets30.yaml")
    shapes = {  # patterns of real vendor files, and the shape of what fills them
        r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[1-2][0-9]|3[0-1])$": r"20\d\d-\d\d-\d\d",
        r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[1-2][0-9]|3[0-1])[T,t]([0-1][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)"
        r"([.][0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$": r"20\d\d-\d\d-\d\dT\d\d:\d\d:\d\dZ",
        r"^((-?[0-9]+)|(-?([0-9]+)?[.][0-9]+))$": r"[1-9]\d*\.\d\d",
        r"^([A-Z]{2}|C2)$": r"US|GB|CA|DE|FR|AU|NL|IE",
        r"^[a-z]{2}(?:-[A-Z][a-z]{3})?(?:-(?:[A-Z]{2}))?$": r"[a-z]{2}-[A-Z]{2}",
        r"^.+@[^\"\-].+$": r"[a-z]+\.[a-z]+\.[0-9a-f]{4}@example\.com",
        r"^[0-9]{1,3}?$": r"[1-9]\d?",
        r"^.*$": r"[A-Z][a-z]+ [A-Za-z]+ [0-9A-F]{4}",
        r"(?<=x)[[:alpha:]]": r".*",  # not a Python regex: the meaningful text is kept, nothing raises
    }
    for pattern, shape in shapes.items():
        for seed in ("a", "b", "c"):
            value = build(d, {"type": "string", "pattern": pattern}, NullSource(), seed=seed)
            assert re.fullmatch(shape, value), (pattern, value)


def test_one_of_branches_that_overlap_are_told_apart() -> None:
    d = load_description(HERE / "pets30.yaml")
    cases: list[dict[str, Any]] = [
        {"oneOf": [{"type": "integer"}, {"type": "number"}]},
        {"oneOf": [{"const": "a"}, {"enum": ["a", "b"]}]},
        {"oneOf": [{"type": "object", "properties": {"x": {"type": "string"}}, "required": ["x"]},
                   {"type": "object", "properties": {"x": {"type": "string"}, "y": {"type": "integer"}},
                    "required": ["x", "y"], "additionalProperties": False}]},
        {"oneOf": [{"type": ["string", "null"]}, {"type": "string", "maxLength": 2}]},
    ]
    for schema in cases:
        for seed in ("a", "b", "c"):
            value = build(d, schema, NullSource(), seed=seed)
            assert validator_for(d, schema).is_valid(value), (schema, value)


def test_unbound_strings_read_like_their_field() -> None:
    """What nothing in the world fills still reads like the field: a city, a count, a valid barcode."""
    from stdnum import ean, iban

    d = load_description(HERE / "pets30.yaml")

    def text(name: str, parent: str = "Thing") -> str:
        schema = {"type": "object", "properties": {name: {"type": "string"}}, "required": [name]}
        value = build(d, {"type": "object", "properties": {parent: schema}, "required": [parent]}, NullSource(),
                      seed=name)
        return str(value[parent][name])

    assert text("admin_area_2") in ("San Jose", "Austin", "Seattle", "Chicago", "Boston", "Denver")
    assert text("quantity").isdigit() and text("NumberOfItems").isdigit()
    assert re.fullmatch(r"\d+\.\d\d", text("value", "unit_amount"))
    assert re.fullmatch(r"\d+\.\d\d", text("Amount"))
    assert ean.is_valid(text("ean")) and ean.is_valid(text("gtin"))
    assert iban.is_valid(text("iban"))
    assert text("photoUrls").startswith("https://") and text("imageUrl").startswith("https://")
    assert text("filename", "lab_report").endswith(".pdf") and "lab-report" in text("filename", "lab_report")
    assert text("created_by").endswith("@example.com")
    assert text("IsGift") in ("true", "false")
    assert re.fullmatch(r"20\d\d-\d\d-\d\dT\d\d:\d\d:\d\dZ", text("CreatedBefore"))
    assert text("ShipmentServiceLevelCategory") in ("Standard", "Expedited", "NextDay", "SecondDay")


def test_real_descriptions_carry_few_label_fillers() -> None:
    """Across every success body of every real description, "Field name 4F2A" fillers stay rare."""
    filler = re.compile(r"^[A-Z][a-z]+( [a-z]+)* [0-9A-F]{4}$")
    for path in real_descriptions():
        d = load_description(path, strict=False)
        strings = fillers = 0
        for op in d.operations:
            if op.success.schema is None:
                continue
            stack = [build(d, op.success.schema, NullSource(), seed=op.key)]
            while stack:
                node = stack.pop()
                if isinstance(node, dict):
                    stack.extend(node.values())
                elif isinstance(node, list):
                    stack.extend(node)
                elif isinstance(node, str):
                    strings += 1
                    fillers += bool(filler.match(node))
        assert fillers <= max(3, strings // 10), (path.name, fillers, strings)  # 1 in 10 at most


def test_what_the_world_leaves_empty_is_null_or_left_out_never_invented() -> None:
    d = load_description(HERE / "pets30.yaml")

    class Empty(NullSource):
        def value(self, slot: Slot) -> Any:
            return None if slot.property in ("closedAt", "merchant", "name", "nickname") else MISSING

    schema = {"type": "object", "required": ["name"], "properties": {
        "closedAt": {"type": "string", "format": "date-time"}, "merchant": {"type": ["string", "null"]},
        "name": {"type": "string"}, "nickname": {"type": "string", "nullable": True}, "kind": {"type": "string"}}}
    body = build(d, schema, Empty(), seed="e")
    assert "closedAt" not in body and body["merchant"] is None and body["name"] and "kind" in body
    assert validator_for(d, schema).is_valid(body)
