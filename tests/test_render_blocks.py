"""The shared macros in templates/_shared, used the way endpoint templates use them."""

from __future__ import annotations

import math
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest
from lxml import etree

from pymockapi.industries.common import address, person
from pymockapi.industries.seeding import GenContext
from pymockapi.render import TemplateSet, to_json, to_xml
from pymockapi.render.filters import TONES, initials, money

REPO_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
ANCHOR = date(2026, 3, 12)
CONTEXT = GenContext("blocks-tests", 3, 1, ANCHOR)
IMPORT = '{% import "_shared/blocks.j2" as b %}\n'


def _tset(tmp_path: Path, body: str) -> TemplateSet:
    (tmp_path / "t.json.j2").write_text(IMPORT + body, encoding="utf-8")
    return TemplateSet([tmp_path, REPO_TEMPLATES])


def _people(count: int) -> list[dict[str, Any]]:
    return [dict(person(CONTEXT, "patient", i, {}), id=f"pat-{i:04d}") for i in range(1, count + 1)]


def test_shared_files_are_not_endpoint_templates(tmp_path: Path) -> None:
    tset = _tset(tmp_path, "1")
    names = tset.names()
    assert "t.json.j2" in names and not any(n.startswith("_") for n in names)
    tset.check("_shared/blocks.j2")


def test_money_and_status_blocks(tmp_path: Path) -> None:
    tset = _tset(tmp_path, '{"price": {{ b.money(v, cur) }}, "state": {{ b.status(s) }}}')
    for n, status in enumerate(["shipped", "cancelled", "awaiting_review", "Out for delivery"]):
        amount = f"{n * 1234.567:.3f}"
        body = tset.render("t.json.j2", {"v": amount, "cur": "EUR" if n % 2 else "USD", "s": status})
        assert body["price"] == money(amount, "EUR" if n % 2 else "USD")
        assert body["state"]["code"] == status and body["state"]["color"] in TONES.values()


def test_address_and_person_blocks_over_many_people(tmp_path: Path) -> None:
    tset = _tset(tmp_path, '{"home": {{ b.address(p.address) }}, "name": {{ b.person_name(p) }},'
                           ' "chip": {{ b.person(p) }}}')
    for p in _people(40):
        body = tset.render("t.json.j2", {"p": p})
        home = body["home"]
        assert list(home) == ["line1", "city", "state", "zip", "country", "display"]
        assert {k: home[k] for k in ("line1", "city", "state", "zip", "country")} == p["address"]
        assert home["display"] == f"{p['address']['line1']}, {p['address']['city']}, " \
                                  f"{p['address']['state']} {p['address']['zip']}"
        assert body["name"] == {k: p[k] for k in ("first_name", "last_name", "display_name")}
        assert body["chip"]["id"] == p["id"] and body["chip"]["initials"] == initials(p["display_name"])
        assert body["chip"]["avatar"].startswith("data:image/svg+xml;base64,")


def test_address_block_with_second_line_and_without_country(tmp_path: Path) -> None:
    tset = _tset(tmp_path, '{{ b.address(a) }}')
    place = dict(address(CONTEXT, "x"), line2="Suite 4")
    del place["country"]
    body = tset.render("t.json.j2", {"a": place})
    assert body["line2"] == "Suite 4" and body["country"] == "US"
    tset_name = _tset(tmp_path, '{{ b.person_name(p) }}')
    assert tset_name.render("t.json.j2", {"p": {"first_name": "Ana", "last_name": "Li"}})["display_name"] == "Ana Li"


@pytest.mark.parametrize("offset", [-400, -14, -3, -1, 0, 1, 2, 30])
def test_when_block(tmp_path: Path, offset: int) -> None:
    tset = _tset(tmp_path, '[{{ b.when(day, anchor) }}, {{ b.when(moment, anchor) }}]')
    day = ANCHOR + timedelta(days=offset)
    moment = f"{day.isoformat()}T09:40:00"
    on_day, at_moment = tset.render("t.json.j2", {"day": day, "moment": moment, "anchor": ANCHOR})
    assert on_day["iso"] == day.isoformat() and at_moment["iso"] == moment
    assert on_day["relative"] == at_moment["relative"]
    assert at_moment["display"].startswith(on_day["display"]) and at_moment["display"].endswith("9:40 AM")


def test_envelope_page_and_link_blocks(tmp_path: Path) -> None:
    tset = _tset(tmp_path, (
        '{% call b.envelope({"count": people|length}) %}\n'
        '{% call(item) b.page(people, total, page=page, per_page=size) %}{"who": {{ b.person(item) }},'
        ' "links": [{{ b.link("/patients/" ~ item.id) }}]}{% endcall %}\n'
        '{% endcall %}'))
    people = _people(7)
    for size in (1, 2, 3, 7, 10):
        for page in (1, 2):
            shown = people[(page - 1) * size: page * size]
            body = tset.render("t.json.j2", {"people": shown, "total": len(people), "page": page, "size": size})
            assert list(body) == ["data", "meta"] and body["meta"] == {"count": len(shown)}
            data = body["data"]
            assert data["total"] == 7 and data["page"] == page and data["per_page"] == size
            assert data["pages"] == math.ceil(7 / size)
            assert [i["who"]["id"] for i in data["items"]] == [p["id"] for p in shown]
            assert all(i["links"] == [{"rel": "self", "href": f"/patients/{i['who']['id']}"}] for i in data["items"])


def test_page_block_without_a_caller_writes_items_as_json(tmp_path: Path) -> None:
    tset = _tset(tmp_path, '{{ b.page(items, items|length) }}')
    for n in range(6):
        items = [{"n": i, "label": f"row \"{i}\""} for i in range(n)]
        body = tset.render("t.json.j2", {"items": items})
        assert body["items"] == items and body["total"] == n and body["pages"] == (1 if n else 0)


def test_realistic_body_serialises_to_json_and_xml(tmp_path: Path) -> None:
    tset = _tset(tmp_path, (
        '{"patients": [{% for p in people %}{"id": {{ p.id|tojson }}, "name": {{ b.person_name(p) }},'
        ' "birth_date": {{ p.birth_date|tojson }}, "age": {{ p.age|tojson }}, "address": {{ b.address(p.address) }},'
        ' "balance": {{ b.money(p.age * 10.5) }}}{{ "," if not loop.last }}{% endfor %}]}'))
    body = tset.render("t.json.j2", {"people": _people(12)})
    assert orjson.loads(to_json(body)) == body
    tree = etree.fromstring(to_xml(body, root="result"))
    patients = tree.findall("patients/patient")
    assert len(patients) == 12
    for element, record in zip(patients, body["patients"], strict=False):
        assert element.findtext("address/zip") == record["address"]["zip"]
        assert element.findtext("balance/display") == record["balance"]["display"]
