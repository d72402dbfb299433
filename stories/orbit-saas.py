"""A SaaS renewal demo, with its industry pack built only from the public extension API.

This file shows how a story (or a package, through the ``pymockapi.industries``
entry point) adds an industry PyMockAPI does not ship: declare record types,
a pure generator and a validator, and pass the pack as ``industry=``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Iterable, Mapping

from pymockapi.dsl import IndustryPack, RecordType, Story, Violation, hero
from pymockapi.industries.common import days_before, money, organisation_name, person
from pymockapi.industries.seeding import GenContext

PLANS = {"Starter": Decimal("12.00"), "Team": Decimal("29.00"), "Business": Decimal("59.00"),
         "Enterprise": Decimal("99.00")}
STEMS = ("Cloud", "Data", "Signal", "Ledger", "Harbor", "Summit", "Beacon")
SUFFIXES = ("Labs", "Systems", "Software", "Analytics", "Group")

WORKSPACE = RecordType("workspace", "ws", persona=True, default_count=8)
ADMIN = RecordType("admin", "adm", owner_field="workspace_id")
INVOICE = RecordType("invoice", "inv", owner_field="workspace_id")


def generate(ctx: GenContext, kind: str, index: int, pins: Mapping[str, Any]) -> list[dict[str, Any]]:
    rng = ctx.rng(kind, index)
    wid = WORKSPACE.entity_id(index)
    name = pins.get("name") or organisation_name(ctx, STEMS, SUFFIXES, kind, index)
    plan = pins.get("plan") or rng.choice(list(PLANS))
    seats = int(pins.get("seats") or rng.randint(5, 120))
    workspace = {"id": wid, "type": "workspace", "display_name": name, "name": name, "plan": plan,
                 "seats": seats, "renewal_date": days_before(ctx, -90, -10, kind, index).isoformat()}
    admin = person(ctx, "admin", index, {})
    records = [workspace, {"id": f"adm-{index:04d}-01", "type": "admin", "workspace_id": wid, **admin}]
    for n in range(1, 4):
        issued = days_before(ctx, 30 * n, 30 * n, kind, index, n)
        total = PLANS[plan] * seats
        records.append({"id": f"inv-{index:04d}-{n:02d}", "type": "invoice", "workspace_id": wid,
                        "issued": issued.isoformat(), "seats": seats, "unit_price": money(PLANS[plan]),
                        "total": money(total), "status": "paid",
                        "memo": f"{plan} plan, {seats} seats, billed monthly."})
    return records


def validate(records: Iterable[dict[str, Any]]) -> list[Violation]:
    problems = []
    for r in records:
        if r.get("type") == "invoice":
            try:
                expected = Decimal(r["unit_price"]["amount"]) * int(r["seats"])
                if Decimal(r["total"]["amount"]) != expected:
                    problems.append(Violation("invoice", r["id"], "total", f"should be {expected:.2f}"))
            except (KeyError, TypeError, ValueError, ArithmeticError):
                problems.append(Violation("invoice", str(r.get("id")), "total", "missing or not money"))
        if r.get("type") == "workspace" and r.get("plan") not in PLANS:
            problems.append(Violation("workspace", str(r.get("id")), "plan", f"unknown plan {r.get('plan')!r}"))
    return problems


def upgrade(world: Any, ref: str, plan: str) -> None:
    world.update(ref, {"plan": plan})


SAAS = IndustryPack("saas", "Software as a service", (WORKSPACE, ADMIN, INVOICE), generate, validate,
                    verbs={"upgrade": upgrade})

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
