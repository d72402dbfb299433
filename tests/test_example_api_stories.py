"""The example stories built on their own API descriptions, played on a real server like a front-end would.

For each shipped example (``stories/lumen-pay.py``, ``cedar-health.py``,
``aisle-commerce.py``): every GET operation of its description answers its
documented status with a body valid against the documented schema at every
waypoint (and a memoised body is never stale), the front-end's own POST
creates a record later GETs return and moves the story to its ``when``
waypoint, the timed waypoint fires on the server's clock, and the data
shows what each narration says.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from urllib.parse import quote

import orjson
import pytest

from pymockapi.apispec.serve import ApiOperation
from pymockapi.apispec.synth import validator_for

from support import LiveServer, Response, ServerFactory

ANCHOR = "2026-03-12"
SESSION = "demo"


@pytest.fixture
def live(live_server: ServerFactory) -> LiveServer:
    return live_server()


def start(live: LiveServer, story: str, seed: int = 1) -> dict[str, Any]:
    created = live.call("POST", "/_api/sessions", {"story": story, "id": SESSION, "seed": seed,
                                                   "anchor_date": ANCHOR})
    assert created.status == 201, created.body
    session: dict[str, Any] = created.json()
    return session


def state(live: LiveServer) -> dict[str, Any]:
    session: dict[str, Any] = live.call("GET", f"/_api/sessions/{SESSION}").json()
    return session


def operations(live: LiveServer, story: str) -> list[ApiOperation]:
    compiled = live.ctx.sessions.stories[story]
    assert compiled.api is not None, f"{story} is not built on an API description"
    return list(compiled.api.operations)


def get(live: LiveServer, path: str) -> Any:
    resp = live.call("GET", f"/demo/{SESSION}{path}")
    assert resp.status == 200, (path, resp.body[:300])
    return resp.json()


def post(live: LiveServer, path: str, body: Any) -> Response:
    resp = live.call("POST", f"/demo/{SESSION}{path}", body)
    assert resp.status == 201, (path, resp.body[:400])
    return resp


def concrete(op: ApiOperation, params: dict[str, str]) -> str:
    route = op.operation.route
    for name, value in params.items():
        route = route.replace("{" + name + "}", quote(value, safe=""))
    return route


def every_get(live: LiveServer, story: str) -> dict[str, bytes]:
    """Every GET operation with real ids: documented status and media type, a schema-valid body."""
    world = live.on_loop(lambda: live.ctx.sessions.get(SESSION).world)
    bodies: dict[str, bytes] = {}
    reads = [op for op in operations(live, story) if op.reads]
    assert len(reads) >= 4
    for op in reads:
        url = concrete(op, live.on_loop(lambda op=op: op.sample_params(world)))
        resp = live.call("GET", f"/demo/{SESSION}{url}")
        assert resp.status == op.status, (op.operation.key, resp.status, resp.body[:300])
        schema = op.operation.success.schema
        assert schema is not None, op.operation.key
        assert resp.headers["content-type"].startswith(op.operation.success.media_type or "application/json")
        errors = list(validator_for(op.description, schema, "response").iter_errors(orjson.loads(resp.body)))
        assert not errors, (op.operation.key, [e.message for e in errors[:3]])
        bodies[url] = resp.body
    return bodies


def assert_valid_and_fresh(live: LiveServer, story: str, where: str) -> None:
    """Schema-valid everywhere, and what the memo served equals a body rendered afresh."""
    served = every_get(live, story)
    live.on_loop(lambda: live.ctx.sessions.get(SESSION).world.memo.clear())
    fresh = every_get(live, story)
    assert served == fresh, f"stale bodies {where}: {[p for p in served if served[p] != fresh.get(p)][:3]}"


def amount(money: dict[str, Any], key: str = "value") -> Decimal:
    return Decimal(str(money[key]))


def test_the_examples_are_shipped_with_every_kind_of_waypoint(live: LiveServer) -> None:
    stories = {s["id"]: s for s in live.call("GET", "/_api/stories").json()["stories"]}
    expected = {"lumen-pay": "finance", "cedar-health": "healthcare", "aisle-commerce": "retail"}
    for story, industry in expected.items():
        summary = stories[story]
        assert summary["industry"] == industry
        assert summary["waypoints"][0]["trigger"] == "initial"
        assert {"after", "when", "advance"} <= {w["trigger"] for w in summary["waypoints"]}
        assert all(w["narration"] for w in summary["waypoints"])
        assert 4 <= len(operations(live, story)) <= 8
        assert any(e["method"] == "POST" for e in summary["endpoints"])
        bindings = live.call("GET", f"/_api/stories/{story}/bindings").json()["summary"]
        assert bindings.get("unbound", 0) == 0, (story, bindings)


# ----------------------------------------------------------------------------- finance
def test_lumen_pay_payday_then_a_bill_paid_in_the_app(live: LiveServer) -> None:
    story = "lumen-pay"
    session = start(live, story)
    assert session["waypoint"] == "dashboard" and session["next"] == {"waypoint": "payday", "due_in_ms": 20_000}
    assert_valid_and_fresh(live, story, "at the start")
    dana = get(live, "/v1/customers/cus-0001")
    assert (dana["first_name"], dana["last_name"], dana["employer"]) == ("Dana", "Whitfield",
                                                                         "Alder & Finch Architects")
    accounts = get(live, "/v1/customers/cus-0001/accounts")["data"]
    checking = next(a for a in accounts if a["type"] == "checking")
    before = amount(checking["balance"])

    live.elapse(20_000)  # the timed waypoint: her pay lands
    assert state(live)["waypoint"] == "payday"
    after = get(live, f"/v1/accounts/{checking['id']}")
    assert amount(after["balance"]) - before == Decimal("2140.00")
    lines = get(live, f"/v1/accounts/{checking['id']}/transactions?limit=100")["data"]
    pay = lines[-1]
    assert (pay["direction"], pay["amount"]["value"], pay["memo"]) == (
        "credit", "2140.00", "Payroll deposit from Alder & Finch Architects.")
    assert pay["running_balance"] == after["balance"]
    assert_valid_and_fresh(live, story, "after payday")

    bill = {"amount": {"value": "86.40", "currency": "USD"}, "payee": {"name": "Cascade Power & Light"},
            "merchant_category_code": "4900", "reference": "March electricity bill"}
    created = post(live, "/v1/customers/cus-0001/payments", bill)
    payment = created.json()
    assert (payment["amount"]["value"], payment["direction"], payment["description"], payment["category"]) == (
        "86.40", "debit", "CASCADE POWER & LIGHT", "utilities")
    assert state(live)["waypoint"] == "bill-paid"
    assert get(live, "/" + created.headers["location"]) == payment
    activity = get(live, f"/v1/accounts/{payment['account_id']}/transactions?limit=100")["data"]
    assert [t for t in activity if t["description"] == "CASCADE POWER & LIGHT" and
            t["amount"]["value"] == "86.40"] == [payment]  # the waypoint did not pay it twice
    assert get(live, f"/v1/accounts/{payment['account_id']}")["balance"] == payment["running_balance"]
    assert_valid_and_fresh(live, story, "after the payment")

    moved = live.call("POST", f"/_api/sessions/{SESSION}/advance").json()
    assert moved["waypoint"] == "lunch"
    spent = [t for a in get(live, "/v1/customers/cus-0001/accounts")["data"]
             for t in get(live, f"/v1/accounts/{a['id']}/transactions?limit=100")["data"]
             if t["description"] == "GREENLEAF KITCHEN"]
    assert [(t["amount"]["value"], t["direction"], t["category"]) for t in spent] == [("18.25", "debit", "dining")]
    assert_valid_and_fresh(live, story, "at lunch")


# ----------------------------------------------------------------------------- healthcare
def test_cedar_health_a_portal_booking_pre_visit_labs_and_a_care_plan(live: LiveServer) -> None:
    story = "cedar-health"
    start(live, story)
    assert_valid_and_fresh(live, story, "at the start")
    grace = get(live, "/v2/patients/pat-0001")
    assert (grace["firstName"], grace["lastName"], grace["age"], grace["sex"]) == ("Grace", "Okafor", 64, "female")
    reyes = grace["primaryCareProvider"]
    assert (reyes["id"], reyes["displayName"], reyes["credentials"], reyes["specialty"]) == (
        "prov-0001", "Samuel Reyes, MD", "MD", "Family Medicine")

    visit = {"start": "2026-03-19T09:30:00-05:00", "end": "2026-03-19T10:00:00-05:00", "durationMinutes": 30,
             "reason": "Blood sugar review"}
    booked = post(live, "/v2/patients/pat-0001/appointments", visit)
    created = booked.json()
    assert {k: created[k] for k in visit} == visit and created["status"] == "booked"
    assert created["patientId"] == "pat-0001" and created["clinician"]["id"] == created["clinicianId"]
    assert state(live)["waypoint"] == "visit-booked"
    assert get(live, "/" + booked.headers["location"]) == created
    listed = get(live, "/v2/patients/pat-0001/appointments")["appointments"]
    assert [a for a in listed if a["id"] == created["id"]] == [created]
    assert_valid_and_fresh(live, story, "after the booking")

    live.elapse(20_000)  # the timed waypoint: the labs are released
    assert state(live)["waypoint"] == "labs-released"
    labs = get(live, "/v2/patients/pat-0001/results?category=laboratory")["results"]
    assert all(r["category"] == "laboratory" for r in labs)
    today = {r["loincCode"]: r for r in labs if r["effectiveDateTime"].startswith(ANCHOR)}
    assert (today["4548-4"]["value"], today["4548-4"]["unit"]) == (7.4, "%")
    assert (today["2345-7"]["value"], today["2345-7"]["unit"]) == (142, "mg/dL")
    assert_valid_and_fresh(live, story, "after the labs")

    live.elapse(1_000)  # the presenter's cue comes a moment after the timer (not a double press)
    assert live.call("POST", f"/_api/sessions/{SESSION}/advance").json()["waypoint"] == "care-plan"
    conditions = get(live, "/v2/patients/pat-0001/conditions")["conditions"]
    diabetes = [c for c in conditions if c["icd10Code"] == "E11.9" and c["onsetDate"] == ANCHOR]
    assert [(c["description"], c["clinicalStatus"]) for c in diabetes] == [
        ("Type 2 diabetes mellitus without complications", "active")]
    medications = get(live, "/v2/patients/pat-0001/medications")["medications"]
    metformin = [m for m in medications if m["medicationName"] == "metformin" and m["prescribedOn"] == ANCHOR]
    assert [(m["dose"], m["frequency"], m["status"], m["prescriberId"]) for m in metformin] == [
        ({"value": 500, "unit": "mg"}, "twice daily", "active", "prov-0001")]
    assert_valid_and_fresh(live, story, "at the care plan")


# ----------------------------------------------------------------------------- retail
def test_aisle_commerce_an_in_app_checkout_shipped_and_delivered(live: LiveServer) -> None:
    story = "aisle-commerce"
    base = "/storefront/v3"
    start(live, story)
    assert_valid_and_fresh(live, story, "at the start")
    maya = get(live, f"{base}/customers/shp-0001")
    assert (maya["first_name"], maya["last_name"], maya["loyalty_tier"]) == ("Maya", "Torres", "silver")
    home = maya["home_store_id"]

    def on_hand(product: dict[str, Any]) -> int:
        return next((level["quantity"] for level in product["stock_levels"] if level["store_id"] == home), 0)

    catalog = get(live, f"{base}/products?per_page=100")["products"]
    product = next(p for p in catalog if on_hand(p) >= 2)
    created = post(live, f"{base}/customers/shp-0001/orders",
                   {"line_items": [{"product_id": product["id"], "quantity": 2}], "note": "Leave it with the "
                                                                                          "concierge."})
    order = created.json()
    assert state(live)["waypoint"] == "checkout"
    assert (order["customer_id"], order["status"], order["channel"], order["store_id"]) == (
        "shp-0001", "processing", "online", home)
    assert order["placed_at"].startswith(ANCHOR)
    [line] = order["line_items"]
    assert (line["product_id"], line["quantity"], line["unit_price"]) == (product["id"], 2, product["price"])
    assert amount(line["line_total"], "amount") == 2 * amount(product["price"], "amount")
    assert amount(order["subtotal"], "amount") == amount(line["line_total"], "amount")
    assert amount(order["total"], "amount") == (amount(order["subtotal"], "amount")
                                                - amount(order["total_discount"], "amount")
                                                + amount(order["total_tax"], "amount")
                                                + amount(order["shipping_total"], "amount"))
    assert get(live, "/" + created.headers["location"]) == order
    assert order in get(live, f"{base}/customers/shp-0001/orders")["orders"]
    assert on_hand(get(live, f"{base}/products/{product['id']}")) == on_hand(product) - 2
    assert_valid_and_fresh(live, story, "after the checkout")

    live.elapse(20_000)  # the timed waypoint: the parcel leaves the store
    assert state(live)["waypoint"] == "shipped"
    assert get(live, f"{base}/orders/{order['id']}")["status"] == "shipped"
    [shipment] = get(live, f"{base}/orders/{order['id']}/shipments")["shipments"]
    assert shipment["carrier"] in ("UPS", "FedEx", "USPS") and shipment["tracking_number"]
    assert shipment["events"][0]["status"] == "label_created"
    assert_valid_and_fresh(live, story, "after shipping")

    live.elapse(1_000)  # the presenter's cue comes a moment after the timer (not a double press)
    assert live.call("POST", f"/_api/sessions/{SESSION}/advance").json()["waypoint"] == "delivered"
    assert get(live, f"{base}/orders/{order['id']}")["status"] == "delivered"
    [shipment] = get(live, f"{base}/orders/{order['id']}/shipments")["shipments"]
    assert shipment["status"] == "delivered" and shipment["events"][-1]["status"] == "delivered"
    earned = int(amount(order["subtotal"], "amount") - amount(order["total_discount"], "amount"))
    assert get(live, f"{base}/customers/shp-0001")["loyalty_points"] == maya["loyalty_points"] + earned
    assert_valid_and_fresh(live, story, "after the delivery")


@pytest.mark.parametrize("story, waypoints", [
    ("lumen-pay", ["dashboard", "payday", "bill-paid", "lunch"]),
    ("cedar-health", ["portal", "visit-booked", "labs-released", "care-plan"]),
    ("aisle-commerce", ["browsing", "checkout", "shipped", "delivered"]),
])
def test_advancing_without_the_app_still_shows_what_the_narration_says(live: LiveServer, story: str,
                                                                       waypoints: list[str]) -> None:
    """The presenter may skip the front-end's write: every waypoint is reachable and every body stays valid."""
    start(live, story, seed=2)
    for name in waypoints[1:]:
        moved = live.call("POST", f"/_api/sessions/{SESSION}/advance").json()
        assert moved["waypoint"] == name
        assert_valid_and_fresh(live, story, f"entering {name}")
    if story == "lumen-pay":  # the bill was paid for her
        activity = [t for a in get(live, "/v1/customers/cus-0001/accounts")["data"]
                    for t in get(live, f"/v1/accounts/{a['id']}/transactions?limit=100")["data"]]
        assert [t["amount"]["value"] for t in activity if t["description"] == "CASCADE POWER & LIGHT"] == ["86.40"]
    if story == "aisle-commerce":  # an order was placed for her, then shipped and delivered
        orders = get(live, "/storefront/v3/customers/shp-0001/orders")["orders"]
        assert [o["status"] for o in orders if o["placed_at"].startswith(ANCHOR)] == ["delivered"]


@pytest.mark.parametrize("story, unknown, write, bad_body", [
    ("lumen-pay", "/v1/customers/cus-0999", "/v1/customers/cus-0001/payments", {"amount": {"value": "86.40"}}),
    ("cedar-health", "/v2/patients/pat-0999", "/v2/patients/pat-0001/appointments",
     {"start": "tomorrow", "durationMinutes": 30, "reason": "Blood sugar review"}),
    ("aisle-commerce", "/storefront/v3/orders/ord-0999-01", "/storefront/v3/customers/shp-0001/orders",
     {"line_items": []}),
])
def test_mistakes_get_the_documented_error_and_change_nothing(live: LiveServer, story: str, unknown: str,
                                                              write: str, bad_body: Any) -> None:
    start(live, story)
    ops = {op.operation.key.split(" ", 1)[0] + " " + op.operation.route: op for op in operations(live, story)}
    before = live.call("GET", f"/_api/sessions/{SESSION}/export?format=json").body
    for method, path, body, statuses in (("GET", unknown, None, (404,)), ("POST", write, bad_body, (400, 422))):
        resp = live.call(method, f"/demo/{SESSION}{path}", body)
        assert resp.status in statuses, (path, resp.status, resp.body[:300])
        op = next(o for key, o in ops.items() if key.startswith(method) and _matches(o.operation.route, path))
        documented = op.operation.errors.get(resp.status)
        assert documented is not None and documented.schema is not None, (op.operation.key, resp.status)
        assert validator_for(op.description, documented.schema, "response").is_valid(resp.json()), resp.body
    assert live.call("GET", f"/_api/sessions/{SESSION}/export?format=json").body == before
    assert state(live)["waypoint"] == live.call("GET", f"/_api/stories/{story}").json()["waypoints"][0]["name"]


def _matches(route: str, path: str) -> bool:
    parts, wanted = route.strip("/").split("/"), path.strip("/").split("/")
    return len(parts) == len(wanted) and all(p.startswith("{") or p == w for p, w in zip(parts, wanted, strict=True))
