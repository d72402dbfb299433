"""Responses look designed: pretty, stable JSON and XML on every endpoint, and real industry prose."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import orjson
import pytest
from lxml import etree

from pymockapi.industries import shipped_industries
from pymockapi.industries.seeding import GenContext

from support import LiveServer
from walk import concrete_paths

STORIES = ["riverside-clinic", "harbor-bank", "northwind-outfitters", "orbit-saas"]
PLACEHOLDER = re.compile(
    r"\b(lorem|ipsum|dolor sit|consectetur|adipiscing|todo|tbd|xxx|placeholder|sample text)\b", re.I
)
SLOTS = re.compile(r"[{}]|\bNone\b|\bnull\b|\bundefined\b|\bnan\b")
ARTICLE = re.compile(r"\b(a|an|A|An) ([A-Za-z][\w-]*)")
VOWEL_SOUND_EXCEPTIONS = ("hour", "honest", "heir", "honor", "honour", "herb")
CONSONANT_SOUND_EXCEPTIONS = ("uni", "use", "usu", "uti", "one", "once", "euro", "ufo", "ure", "uro", "ute")


def article_ok(article: str, word: str) -> bool:
    lower = word.lower()
    if word.isupper() and len(word) > 1:  # initialisms: "an MRI", "a CT", "an HbA1c"
        return True
    vowel = lower[0] in "aeiou"
    if lower.startswith(VOWEL_SOUND_EXCEPTIONS):
        vowel = True
    if lower.startswith(CONSONANT_SOUND_EXCEPTIONS):
        vowel = False
    return (article.lower() == "an") == vowel


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for child in value.values():
            yield from strings(child)
    elif isinstance(value, list):
        for child in value:
            yield from strings(child)


def key_orders(value: Any, path: str = "") -> Iterator[tuple[str, tuple[str, ...]]]:
    if isinstance(value, dict):
        for key, child in value.items():
            yield from key_orders(child, f"{path}.{key}")
    elif isinstance(value, list):
        for child in value:
            if isinstance(child, dict):
                yield path + "[]", tuple(child)
            yield from key_orders(child, path + "[]")


@pytest.mark.parametrize("story", STORIES)
def test_every_endpoint_is_pretty_stable_and_clean_in_json_and_xml(server: LiveServer, story: str) -> None:
    for path in concrete_paths(server, story, story):
        resp = server.call("GET", f"/demo/{story}{path}")
        assert resp.status == 200, (path, resp.body)
        value = json.loads(resp.body)
        assert orjson.dumps(value, option=orjson.OPT_INDENT_2) + b"\n" == resp.body, path
        assert not any(line != line.rstrip() for line in resp.body.decode().splitlines())
        assert b"\\u" not in resp.body  # UTF-8, not escapes
        shapes: dict[str, set[tuple[str, ...]]] = {}
        for where, keys in key_orders(value):
            shapes.setdefault(where, set()).add(keys)
        for where, seen in shapes.items():
            orders = {tuple(k for k in keys if all(k in other for other in seen)) for keys in seen}
            assert len(orders) == 1, f"{path}: items of {where} order their keys differently"
        for text in strings(value):
            assert not PLACEHOLDER.search(text), (path, text)
        xml = server.call("GET", f"/demo/{story}{path}?format=xml")
        assert xml.body.startswith(b"<?xml version='1.0' encoding='UTF-8'?>\n")
        root = etree.fromstring(xml.body)
        etree.indent(root)
        again = etree.tostring(root, pretty_print=True, xml_declaration=True, encoding="UTF-8")
        assert again == xml.body, path


def generated(
    industry: str, kinds: tuple[str, ...], seeds: int = 3, per_seed: int = 60
) -> dict[str, list[dict[str, Any]]]:
    pack = shipped_industries(plugins=False).get(industry)
    out: dict[str, list[dict[str, Any]]] = {}
    for seed in range(seeds):
        gen = GenContext(
            "prose",
            11,
            seed,
            date(2026, 3, 12),
            {"customer": per_seed, "patient": per_seed, "shopper": per_seed, "product": per_seed},
        )
        for kind in kinds:
            for index in range(1, per_seed + 1):
                for record in pack.generate(gen, kind, index, {}):
                    out.setdefault(record["type"], []).append(record)
    return out


TEXTS = [  # (industry, persona kinds, record type, field, duplicate rate allowed)
    ("finance", ("customer",), "transaction", "memo", 0.05),
    ("healthcare", ("patient",), "encounter", "note", 0.05),
    ("retail", ("product",), "product", "description", 0.0),
    ("retail", ("shopper",), "review", "body", 0.05),
]


@pytest.mark.parametrize("industry, kinds, record_type, field, allowed", TEXTS)
def test_generated_prose_is_clean_varied_and_grammatical(
    industry: str, kinds: tuple[str, ...], record_type: str, field: str, allowed: float
) -> None:
    records = generated(industry, kinds, seeds=5, per_seed=200)[record_type]
    texts = [r[field] for r in records if r.get(field)][:1000]
    assert len(texts) >= 1000, f"only {len(texts)} {record_type}.{field} texts"
    assert 1 - len(set(texts)) / len(texts) <= allowed
    for text in texts:
        assert not PLACEHOLDER.search(text) and not SLOTS.search(text), text
        assert "  " not in text and text == text.strip() and not text[0].islower() and text[-1] in ".!?", text
        for article, word in ARTICLE.findall(text):
            assert article_ok(article, word), f"'{article} {word}' in: {text}"


def test_prose_agrees_with_its_record() -> None:
    finance = generated("finance", ("customer",))
    for txn in finance["transaction"]:
        if txn["merchant"]:
            assert txn["merchant"] in txn["memo"], txn
    retail = generated("retail", ("shopper",))
    negative = re.compile(
        r"disappoint|return|broke|poor|wouldn.t|not worth|regret|flimsy|cheap|faded|sadly|let me down"
        r"|did not|didn.t|wore out|fell apart|stopped|not hold|worse|unhappy|mistake",
        re.I,
    )
    for review in retail["review"]:
        if review["rating"] <= 2:
            assert negative.search(review["body"] + " " + review["title"]), review
        if review["rating"] >= 4:
            assert not re.search(r"disappoint|regret", review["body"], re.I), review
