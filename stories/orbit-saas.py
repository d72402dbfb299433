"""A SaaS renewal demo, with its industry pack built only from the public extension API.

This file shows how a story (or a package, through the ``pymockapi.industries``
entry point) adds an industry PyMockAPI does not ship: declare its record
types, a generator table, a rule table in the one rule protocol and its
verbs, and pass the pack as ``industry=``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

from pymockapi.dsl import (
    GenContext,
    IndustryPack,
    Problem,
    Record,
    RecordSet,
    RecordType,
    Story,
    WorldView,
    days_before,
    hero,
    money,
    need,
    organisation_name,
    person,
)

PLANS = {"Starter": Decimal("12.00"), "Team": Decimal("29.00"), "Business": Decimal("59.00"),
         "Enterprise": Decimal("99.00")}
STEMS = ("Cloud", "Data", "Signal", "Ledger", "Harbor", "Summit", "Beacon")
SUFFIXES = ("Labs", "Systems", "Software", "Analytics", "Group")

WORKSPACE = RecordType("workspace", "ws", persona=True, default_count=8)
ADMIN = RecordType("admin", "adm", owner_field="workspace_id")
INVOICE = RecordType("invoice", "inv", owner_field="workspace_id")


def workspace(gen: GenContext, index: int, pins: Mapping[str, Any]) -> list[Record]:
    """A workspace, its admin and its last three monthly invoices."""
    kind = WORKSPACE.name
    rng = gen.rng(kind, index)
    wid = WORKSPACE.entity_id(index)
    name = pins.get("name") or organisation_name(gen, STEMS, SUFFIXES, kind, index)
    plan = pins.get("plan") or rng.choice(list(PLANS))
    seats = int(pins.get("seats") or rng.randint(5, 120))
    records: list[Record] = [
        {"id": wid, "type": kind, "display_name": name, "name": name, "plan": plan, "seats": seats,
         "renewal_date": days_before(gen, -90, -10, kind, index).isoformat()},
        {"id": ADMIN.owned_id(index, 1), "type": ADMIN.name, "workspace_id": wid, **person(gen, ADMIN.name, index, {})},
    ]
    for n in range(1, 4):
        issued = days_before(gen, 30 * n, 30 * n, kind, index, n)
        total = PLANS[plan] * seats
        records.append({"id": INVOICE.owned_id(index, n), "type": INVOICE.name, "workspace_id": wid,
                        "issued": issued.isoformat(), "seats": seats, "unit_price": money(PLANS[plan]),
                        "total": money(total), "status": "paid",
                        "memo": f"{plan} plan, {seats} seats, billed monthly."})
    return records


def check_plan(record: Record, data: RecordSet) -> Iterator[Problem]:
    if record.get("plan") not in PLANS:
        yield "plan", f"unknown plan {record.get('plan')!r}"


def check_total(record: Record, data: RecordSet) -> Iterator[Problem]:
    expected = Decimal(need(record, "unit_price", dict)["amount"]) * need(record, "seats", int)
    if Decimal(need(record, "total", dict)["amount"]) != expected:
        yield "total", f"should be {expected:.2f}"


def upgrade(world: WorldView, ref: str, plan: str) -> None:
    world.update(ref, {"plan": plan})


SAAS = IndustryPack(
    "saas", "Software as a service", (WORKSPACE, ADMIN, INVOICE),
    generators={WORKSPACE.name: workspace},
    rules={WORKSPACE.name: (check_plan,), INVOICE.name: (check_total,)},
    verbs={"upgrade": upgrade},
)

story = Story(
    "orbit-saas",
    title="Orbit: from a trial workspace to an Enterprise renewal",
    industry=SAAS,
    seed=5,
    cast={"workspace": 8},
    heroes={"acme": hero("workspace", name="Acme Rockets", plan="Team", seats=40)},
)
story.get("/workspaces", "saas/workspaces.json.j2", collection="workspace")
story.get("/workspaces/{workspace_id}", "saas/workspace.json.j2", record="workspace")
story.get("/workspaces/{workspace_id}/invoices", "saas/invoices.json.j2", collection="invoice")

story.waypoint("trial", initial=True, narration="Acme Rockets runs forty seats on the Team plan.")
story.waypoint("usage-peak", after="30s", narration="Usage peaks: every seat is active this week.")
story.waypoint("upgrade", on="advance", narration="Acme moves to Enterprise for single sign-on.",
               does=lambda world: world.upgrade("acme", "Enterprise"))
story.waypoint("invoice-viewed", when="GET /workspaces/{workspace_id}/invoices",
               narration="Finance opens the invoices to check the new price.")
