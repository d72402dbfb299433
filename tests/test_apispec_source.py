"""The world as a Source: bodies filled from the session's records, agreeing across endpoints."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

import pytest
from test_apispec_binder import REAL, bound, description, real_files, world

from pymockapi.apispec.binder import IdStyle, Role, bind, industry_words
from pymockapi.apispec.loader import load_description
from pymockapi.apispec.model import MISSING, Description, Slot
from pymockapi.apispec.source import WorldSource, public_id
from pymockapi.apispec.synth import build, validator_for

LITERALS = {"None", "null", "nan", "NaN", "True", "False", "[]", "{}", "undefined"}


def body(d: Description, bindings: Any, key: str, w: Any, params: Mapping[str, str] | None = None,
         **kwargs: Any) -> Any:
    op = next(o for o in d.operations if o.key == key)
    ob = bindings.operation(key)
    anchor = bindings.anchor(ob, w, params or {})
    source = WorldSource(bindings, w, ob, anchor=anchor, **kwargs)
    out = build(d, op.success.schema or {}, source, seed=key, anchor=w.anchor)
    errors = list(validator_for(d, op.success.schema or {}, "response").iter_errors(out))
    assert not errors, errors[0].message
    return out


def strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


# ------------------------------------------------------------------------ bank
def test_bank_list_and_detail_agree_on_every_property() -> None:
    d, w = description("bank.yaml"), world("finance")
    b = bound("bank.yaml", "finance")
    first = body(d, b, "GET /v1/customers", w)
    assert (len(first["data"]), first["total"], first["hasMore"]) == (20, len(w.records("customer")), True)
    listing = body(d, b, "GET /v1/customers", w, records=w.records("customer"))
    assert listing["data"][:20] == first["data"]
    assert listing["hasMore"] is False
    for item in listing["data"]:
        detail = body(d, b, "GET /v1/customers/{customerId}", w, {"customerId": item["id"]})
        assert detail == item
        record = b.resolve_id(w, "customer", item["id"])
        assert record is not None
        assert item["id"] == public_id(record["id"], IdStyle("uuid"))
        assert (item["fullName"], item["email"], item["phoneNumber"]) == (
            record["display_name"], record["email"], record["phone"])
        assert item["dateOfBirth"] == record["birth_date"]
        assert item["address"]["postalCode"] == record["address"]["zip"]
        assert item["address"]["city"] == record["address"]["city"]
        assert item["givenName"] == record["first_name"] and item["familyName"] == record["last_name"]
        assert item["createdAt"].startswith(record["customer_since"])
    names = [item["fullName"] for item in listing["data"]]
    assert len(set(names)) == len(names)


def test_a_nested_customer_equals_the_customer_detail() -> None:
    d, w = description("bank.yaml"), world("finance")
    b = bound("bank.yaml", "finance")
    accounts = w.records("account")
    for account in accounts[::3]:
        shown = body(d, b, "GET /v1/accounts/{accountId}", w, {"accountId": account["id"]})
        customer = body(d, b, "GET /v1/customers/{customerId}", w, {"customerId": shown["customerId"]})
        assert shown["customer"] == customer
        assert shown["id"] == account["id"]
        assert shown["accountNumber"] == account["account_number"]
        assert shown["balance"]["amount"] == float(account["balance"]["amount"])
        assert shown["balance"]["currency"] == account["currency"] == shown["currency_code"]
        assert shown["nickname"] == account["product_name"]
        assert shown["status"] in ("ACTIVE", "CLOSED", "FROZEN")
        assert shown["openedOn"] == account["opened_date"]
        for txn in shown["transactions"]:
            assert txn["accountId"] == account["id"]
    shown_names = [body(d, b, "GET /v1/accounts/{accountId}", w, {"accountId": a["id"]})["displayName"]
                   for a in accounts[:30]]
    assert len(set(shown_names)) == len(shown_names)


def test_an_owner_list_holds_the_owners_records_only() -> None:
    d, w = description("bank.yaml"), world("finance")
    b = bound("bank.yaml", "finance")
    for customer in w.records("customer")[:12]:
        listing = body(d, b, "GET /v1/customers/{customerId}/accounts", w, {"customerId": customer["id"]})
        assert [a["id"] for a in listing] == [a["id"] for a in w.owned(customer["id"], "account")]
        for item in listing:
            assert item == body(d, b, "GET /v1/accounts/{accountId}", w, {"accountId": item["id"]})


def test_a_scoped_list_filters_and_pages_as_told() -> None:
    d, w = description("bank.yaml"), world("finance")
    b = bound("bank.yaml", "finance")
    account = w.records("account")[0]
    listing = body(d, b, "GET /v1/accounts/{accountId}/transactions", w, {"accountId": account["id"]})
    expected = [t["id"] for t in w.owned(account["customer_id"], "transaction") if t["account_id"] == account["id"]]
    assert [t["id"] for t in listing["items"]] == expected
    assert listing["pagination"]["totalCount"] == len(expected)
    page = [t for t in w.owned(account["customer_id"], "transaction")][:2]
    paged = body(d, b, "GET /v1/accounts/{accountId}/transactions", w, {"accountId": account["id"]},
                 records=page, paging={"total": 99, "next": "c2"})
    assert [t["id"] for t in paged["items"]] == [t["id"] for t in page]
    assert paged["pagination"] == {"nextCursor": "c2", "totalCount": 99}


# ---------------------------------------------------------------------- clinic
def test_clinic_patients_read_like_the_record() -> None:
    d, w = description("clinic.yaml"), world("healthcare")
    b = bound("clinic.yaml", "healthcare")
    listing = body(d, b, "GET /fhir-lite/Patient", w, records=w.records("patient"))
    assert listing["resourceType"] == "Bundle" and listing["total"] == len(w.records("patient"))
    for item in listing["entry"]:
        record = w.get(item["id"])
        assert item == body(d, b, "GET /fhir-lite/Patient/{id}", w, {"id": item["id"]})
        assert item["mrn"] == record["mrn"]
        assert item["gender"] == record["sex"]
        assert item["birthDate"] == record["birth_date"] and item["age"] == record["age"]
        assert item["name"] == {"text": record["display_name"], "given": [record["first_name"]],
                                "family": record["last_name"]}
        assert item["telecom"] == {"email": record["email"], "phone": record["phone"]}
        provider = body(d, b, "GET /fhir-lite/Practitioner/{practitionerId}", w,
                        {"practitionerId": record["primary_provider_id"]})
        assert item["primaryCareProvider"] == provider
        assert re.fullmatch(r"[0-9]{10}", provider["npi"])
        codes = [c["code"] for c in w.owned(record["id"], "condition")]
        assert [c["icd10"] for c in item["conditions"]] == codes[: len(item["conditions"])]


def test_clinic_observations_belong_to_the_patient() -> None:
    d, w = description("clinic.yaml"), world("healthcare")
    b = bound("clinic.yaml", "healthcare")
    for patient in w.records("patient")[:10]:
        listing = body(d, b, "GET /fhir-lite/Patient/{patient_id}/Observation", w, {"patient_id": patient["id"]})
        owned = w.owned(patient["id"], "observation")
        assert [o["id"] for o in listing] == [o["id"] for o in owned][: len(listing)]
        for shown, record in zip(listing, owned, strict=False):
            assert shown["patientId"] == patient["id"]
            assert (shown["loincCode"], shown["display"], shown["unit"]) == (
                record["code"], record["display"], record["unit"])
            assert shown["value"] == pytest.approx(float(record["value"]))


# ------------------------------------------------------------------------ shop
def test_shop_products_and_orders_keep_the_industry_values() -> None:
    d, w = description("shop.json"), world("retail")
    b = bound("shop.json", "retail")
    listing = body(d, b, "GET /shop/products", w, records=w.records("product")[:40])
    assert listing["total_count"] == len(w.records("product"))
    for item in listing["results"]:
        assert isinstance(item["product_id"], int)
        record = b.resolve_id(w, "product", str(item["product_id"]))
        assert record is not None
        assert item == body(d, b, "GET /shop/products/{product_id}", w, {"product_id": str(item["product_id"])})
        assert (item["sku"], item["gtin"], item["title"]) == (record["sku"], record["gtin13"], record["name"])
        assert item["price"] == {"amount": record["price"]["amount"], "currency": record["price"]["currency"],
                                 "formatted": record["price"]["display"]}
    for shopper in w.records("shopper")[:8]:
        orders = body(d, b, "GET /shop/shoppers/{shopper_id}/orders", w, {"shopper_id": shopper["id"]})
        assert orders["has_more"] is False
        for order in orders["orders"]:
            assert re.fullmatch(r"ORD-[0-9]{6}", order["order_id"])
            record = b.resolve_id(w, "order", order["order_id"])
            assert record is not None and record["shopper_id"] == shopper["id"]
            assert order["shopper"] == {"email": shopper["email"], "full_name": shopper["display_name"]}
            assert order["total"]["amount"] == record["total"]["amount"]
            assert [li["sku"] for li in order["line_items"]] == [w.get(line["product_id"])["sku"]
                                                                 for line in record["lines"]]
            lines = body(d, b, "GET /shop/orders/{order_id}/line_items", w, {"order_id": order["order_id"]})
            assert lines["data"] == order["line_items"]
            assert order == body(d, b, "GET /shop/orders/{order_id}", w, {"order_id": order["order_id"]})


# ------------------------------------------------------------------- contract
@pytest.mark.parametrize(("name", "industry"), [("bank.yaml", "finance"), ("clinic.yaml", "healthcare"),
                                                ("shop.json", "retail")])
def test_no_body_shows_a_programming_literal(name: str, industry: str) -> None:
    d, w = description(name), world(industry, 3)
    b = bind(d, w, industry_words=industry_words(industry))
    for op in d.operations:
        if op.success.schema is None:
            continue
        ob = b.operation(op)
        params = {}
        for p in op.path_params():
            kind = ob.params.get(p.name, ob.record_type)
            params[p.name] = w.records(kind)[1]["id"]
        shown = body(d, b, op.key, w, params)
        assert not LITERALS & set(strings(shown)), op.key


def test_values_are_missing_where_the_world_has_nothing() -> None:
    w = world("finance")
    b = bound("bank.yaml", "finance")
    ob = b.operation("GET /v1/accounts/{accountId}")
    source = WorldSource(b, w, ob, anchor=date(2026, 1, 1))
    slot = Slot("/nosuch", "nosuch", None, "Account", {"type": "string"}, None, "s")
    assert source.value(slot) is MISSING
    assert source.items(Slot("/nosuch", "nosuch", None, None, {"type": "array"}, None, "s")) is None
    iban = Slot("/Iban", "Iban", None, "Account", {"type": "string"}, None, "s")
    checking = next(a for a in w.records("account") if a["iban"] is None)
    assert WorldSource(b, w, ob, anchor=checking).value(iban) is MISSING
    # the first record of the type when the request names none
    assert source.record_for(Slot("", None, None, "Account", {}, None, "s")) == w.records("account")[0]


def test_public_ids_are_stable_and_fit_their_style() -> None:
    uuid_style, int_style = IdStyle("uuid"), IdStyle("int")
    assert public_id("cus-0001", uuid_style) == public_id("cus-0001", uuid_style)
    assert public_id("cus-0001", uuid_style) != public_id("cus-0002", uuid_style)
    assert public_id("acct-0012-03", int_style) == "1203"
    assert public_id("cus-0042", int_style) == "42"
    assert public_id("odd", int_style) == "odd"
    assert public_id("cus-0001", IdStyle("world")) == "cus-0001"
    shaped = public_id("cus-0001", IdStyle("pattern", r"^[A-Z]{3}[0-9]{5}$"))
    assert re.fullmatch(r"[A-Z]{3}[0-9]{5}", shaped)
    assert public_id("cus-0001", IdStyle("pattern", "(unclosed")) == "cus-0001"


@pytest.mark.slow
def test_real_descriptions_fill_every_get_from_the_world() -> None:
    for path in real_files():
        industry = REAL[path.name]
        d = load_description(path)
        w = world(industry)
        b = bind(d, w, industry_words=industry_words(industry))
        for op in d.operations:
            if op.method != "GET" or op.success.schema is None:
                continue
            ob = b.operation(op)
            anchor = None
            if ob.role is not Role.LIST or ob.owner_type or ob.list_field:
                kind = ob.owner_type if ob.role is Role.LIST and ob.owner_type else ob.record_type
                anchor = w.records(kind)[0]
            source = WorldSource(b, w, ob, anchor=anchor)
            shown = build(d, op.success.schema, source, seed=op.key, anchor=w.anchor)
            assert not LITERALS & set(strings(shown)), (path.name, op.key)


def test_values_take_the_shape_their_schema_asks_for() -> None:
    d, w = description("shapes-retail.yaml"), world("retail")
    b = bound("shapes-retail.yaml", "retail")
    for store in w.records("store"):
        shown = body(d, b, "GET /stores/{storeId}", w, {"storeId": store["id"]})
        address = store["address"]
        assert shown["address"] == f"{address['line1']}, {address['city']}, {address['state']} {address['zip']}"
        assert shown["manager"] == store["manager"]["display_name"]
        assert shown["format"] == store["format"].upper() or store["format"].upper() not in ("FLAGSHIP", "OUTLET",
                                                                                             "EXPRESS")
        assert shown["openingHours"] == [{"day": h["day"], "opens": h["opens"]} for h in store["opening_hours"]]
    listing = body(d, b, "GET /reviews", w)
    assert (listing["page"], listing["per_page"], listing["total_pages"], listing["offset"]) == (1, 20, 1, 0)
    for shown in listing["reviews"]:
        record = b.resolve_id(w, "review", str(shown["id"]))
        assert record is not None
        assert shown["isVerified"] is record["verified_purchase"]
        assert shown["createdOn"] == record["created_at"][:10]
        assert shown["helpfulVotes"] == str(record["helpful_votes"])
        product = w.get(record["product_id"])
        assert shown["product"]["rating"] == str(product["rating"]["average"])
        assert shown["product"]["price"] == product["price"]["amount"]


def test_people_values_follow_the_record_and_pins() -> None:
    d, w = description("shapes-finance.yaml"), world("finance")
    pins = (("GET /institutions/{institutionId}.firstName", "institution.first_name"),
            ("GET /institutions/{institutionId}.lastName", "institution.last_name"),
            ("GET /advisors/{advisorId}.credentialsText", "advisor.credentials"),
            ("GET /advisors/{advisorId}.branch.firstName", "advisor.first_name"))
    b = bound("shapes-finance.yaml", "finance", pins)
    for advisor in w.records("advisor"):
        shown = body(d, b, "GET /advisors/{advisorId}", w, {"advisorId": advisor["id"]})
        assert shown["gender"] == advisor["sex"][0].upper()
        assert shown["credentials"] == advisor["credentials"]
        assert shown["credentialsText"] == ", ".join(advisor["credentials"])
        assert shown["birthDate"] == f"{advisor['birth_date']}T09:00:00Z"
        branch = w.get(advisor["branch"])
        assert shown["branch"]["name"] == branch["name"]
        assert shown["branch"]["routingNumber"] == branch["routing_number"]
        assert shown["branch"]["firstName"] == advisor["first_name"]
    for institution in w.records("institution"):
        shown = body(d, b, "GET /institutions/{institutionId}", w, {"institutionId": institution["id"]})
        parts = institution["display_name"].split()
        assert (shown["firstName"], shown["lastName"]) == (parts[0], parts[-1])
        assert shown["founded"] == str(institution["founded"])
    customer = w.records("customer")[1]
    cards = body(d, b, "GET /customers/{customerId}/cards", w, {"customerId": customer["id"]})
    assert [c["id"] for c in cards] == [c["id"] for c in w.owned(customer["id"], "card")]
    for card in cards:
        record = w.get(card["id"])
        assert card["status"] == ("Active" if record["status"] == "active" else card["status"])
        assert card["pan"] == record["number"]
        assert card["name"] == f"{record['network']} {record['masked_number']}"
        assert card["account"]["balanceDisplay"] == w.get(record["account_id"])["balance"]["display"]
