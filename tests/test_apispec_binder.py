"""The binder: an API description's operations and response properties bound to a world by meaning."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import replace
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from pymockapi.apispec.binder import (
    BindingError,
    Bindings,
    Fill,
    IdStyle,
    IndustryWords,
    Role,
    bind,
    industry_words,
    resolve_id,
)
from pymockapi.apispec.loader import load_description
from pymockapi.apispec.model import Description, Operation, Reply
from pymockapi.apispec.names import phrase, singular, words
from pymockapi.apispec.source import public_id
from pymockapi.industries import shipped_industries
from pymockapi.industries.finance import api_words as finance_words
from pymockapi.world.world import World

from support import real_descriptions

HERE = Path(__file__).parent / "apispecs" / "binder"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "openapi"
REAL = {
    "demo-swagger-petstore-v3.yaml": "retail",
    "finance-xero-payroll-uk.yaml": "finance",
    "finance-paypal-invoicing-v2.json": "finance",
    "healthcare-terra-api-v2.yaml": "healthcare",
    "retail-vtex-catalog-seller-portal.json": "retail",
    "retail-amazon-spapi-orders-v0.json": "retail",
}


@cache
def world(industry: str, seed: int = 0) -> World:
    return World("demo", seed, 0, date(2026, 3, 12), shipped_industries().get(industry), {}, {})


@cache
def description(name: str) -> Description:
    return load_description(HERE / name)


def bound(name: str, industry: str, pins: tuple[tuple[str, str], ...] = ()) -> Bindings:
    return bind(description(name), world(industry), industry_words=industry_words(industry), pins=dict(pins))


def rows(bindings: Bindings, schema: str) -> dict[str, dict[str, str]]:
    """The bindings table of one schema, by property (record rows win over the others)."""
    out: dict[str, dict[str, str]] = {}
    for row in bindings.table():
        if row["schema"] == schema and (row["property"] not in out or row["source"] == "record"):
            out[row["property"]] = row
    return out


def real_files() -> list[Path]:
    real_descriptions()  # skipped where the folder is not beside the checkout
    return [SHARED / name for name in REAL]


# ----------------------------------------------------------------------- words
@pytest.mark.parametrize("name", ["accountNumber", "account_number", "AccountNumber", "ACCOUNT-NUMBER",
                                  "account-numbers", "ACCOUNT_NUMBER", "Account Number"])
def test_names_split_into_the_same_words_in_every_case_style(name: str) -> None:
    assert words(name) == ("account", "number")


@pytest.mark.parametrize(("plural", "one"), [("categories", "category"), ("addresses", "address"),
                                             ("status", "status"), ("purchases", "purchase"), ("boxes", "box"),
                                             ("branches", "branch"), ("people", "person"), ("class", "class"),
                                             ("bus", "bus"), ("analysis", "analysis"), ("services", "service")])
def test_words_are_singular(plural: str, one: str) -> None:
    assert singular(plural) == one


def test_phrase_keeps_digits_and_acronyms_apart() -> None:
    assert phrase("addressLine1") == "address line 1"
    assert phrase("userID") == "user id"
    assert phrase("HTMLPage") == "html page"


# ------------------------------------------------------------------ operations
def test_bank_operations_know_their_type_role_parameters_and_list() -> None:
    ops = bound("bank.yaml", "finance").operations
    customers = ops["GET /v1/customers"]
    assert (customers.record_type, customers.role, customers.list_pointer) == ("customer", Role.LIST, ("data",))
    assert customers.paging is not None and customers.paging.style == "offset"
    assert dict(customers.paging.params) == {"offset": "offset", "limit": "limit"}
    assert customers.paging_fields == {"total": ("total",), "has_more": ("hasMore",)}
    detail = ops["GET /v1/customers/{customerId}"]
    assert (detail.record_type, detail.role, detail.record_param) == ("customer", Role.DETAIL, "customerId")
    owned = ops["GET /v1/customers/{customerId}/accounts"]
    assert (owned.record_type, owned.role, owned.list_pointer) == ("account", Role.LIST, ())
    assert (owned.owner_param, owned.owner_type, owned.record_param) == ("customerId", "customer", None)
    assert owned.paging is not None and owned.paging.style == "page"
    assert dict(owned.paging.params) == {"page": "page", "per_page": "pageSize"}
    assert ops["POST /v1/customers/{customerId}/accounts"].role is Role.CREATE
    assert ops["PATCH /v1/accounts/{accountId}"].role is Role.UPDATE
    assert ops["DELETE /v1/accounts/{accountId}"].role is Role.DELETE
    action = ops["POST /v1/accounts/{accountId}/freeze"]
    assert (action.role, action.record_type, action.record_param) == (Role.ACTION, "account", "accountId")
    txns = ops["GET /v1/accounts/{accountId}/transactions"]
    assert (txns.record_type, txns.role, txns.list_pointer) == ("transaction", Role.LIST, ("items",))
    assert txns.filters == {"accountId": "account_id"}
    assert txns.paging is not None and txns.paging.style == "cursor"
    assert txns.paging_fields == {"next": ("pagination", "nextCursor"), "total": ("pagination", "totalCount")}


def test_clinic_and_shop_operations() -> None:
    clinic = bound("clinic.yaml", "healthcare").operations
    patients = clinic["GET /fhir-lite/Patient"]
    assert (patients.record_type, patients.role, patients.list_pointer) == ("patient", Role.LIST, ("entry",))
    assert patients.paging is not None and dict(patients.paging.params) == {"page": "page", "per_page": "_count"}
    assert clinic["GET /fhir-lite/Patient/{id}"].record_param == "id"
    obs = clinic["GET /fhir-lite/Patient/{patient_id}/Observation"]
    assert (obs.record_type, obs.owner_param) == ("observation", "patient_id")
    assert clinic["GET /fhir-lite/Practitioner/{practitionerId}"].record_type == "provider"
    assert clinic["POST /fhir-lite/Appointment"].role is Role.CREATE
    shop = bound("shop.json", "retail").operations
    assert shop["GET /shop/products"].list_pointer == ("results",)
    lines = shop["GET /shop/orders/{order_id}/line_items"]
    assert (lines.record_type, lines.record_param, lines.list_field) == ("order", "order_id", ("lines",))
    orders = shop["GET /shop/shoppers/{shopper_id}/orders"]
    assert orders.paging is not None and orders.paging.style == "cursor"
    assert orders.paging_fields == {"has_more": ("has_more",)}


# ------------------------------------------------------------------ properties
def test_bank_properties_bind_by_meaning() -> None:
    b = bound("bank.yaml", "finance")
    customer = rows(b, "Customer")
    expected = {"id": "customer.id", "fullName": "customer.display_name", "givenName": "customer.first_name",
                "familyName": "customer.last_name", "email": "customer.email", "phoneNumber": "customer.phone",
                "dateOfBirth": "customer.birth_date", "kycStatus": "customer.kyc_status",
                "createdAt": "customer.customer_since", "address": "customer.address"}
    for prop, detail in expected.items():
        assert (customer[prop]["source"], customer[prop]["detail"]) == ("record", detail), prop
    address = rows(b, "Address")
    for prop, detail in {"street": "address.line1", "city": "address.city", "state": "address.state",
                         "postalCode": "address.zip", "country": "address.country"}.items():
        assert address[prop]["detail"] == f"customer.{detail}"
    account = rows(b, "Account")
    for prop, detail in {"accountNumber": "account.account_number", "ACCOUNT-TYPE": "account.kind",
                         "Iban": "account.iban", "currency_code": "account.currency",
                         "available_balance": "account.balance", "openedOn": "account.opened_date",
                         "customerId": "account.customer_id", "customer": "account.customer_id→customer",
                         "transactions": "account→transaction[]", "nickname": "account.product_name"}.items():
        assert (account[prop]["source"], account[prop]["detail"]) == ("record", detail), prop
    assert "{product_name}" in account["displayName"]["detail"]
    transaction = rows(b, "Transaction")
    assert transaction["merchant.name"]["detail"] == "transaction.merchant"
    assert transaction["merchant.mcc"]["detail"] == "transaction.mcc"
    assert transaction["postedAt"]["detail"] == "transaction.posted_date"
    assert customer["object"]["source"] == "constant"
    assert customer["loyaltyScore"]["source"] == "example"
    assert customer["favouriteColour"]["source"] == "generator"


def test_the_table_lists_unbound_properties_and_counts_every_row() -> None:
    b = bound("shop.json", "retail")
    product = rows(b, "Product")
    assert product["warehouse_bin"] == {"schema": "Product", "property": "warehouse_bin", "source": "unbound",
                                        "detail": "string"}
    assert product["gtin"]["detail"] == "product.gtin13"
    assert product["colour"]["detail"] == "product.attributes.colour"
    assert product["avg_rating"]["detail"] == "product.rating.average"
    line = rows(b, "LineItem")
    assert line["sku"]["detail"] == "product.sku via product_id"
    order = rows(b, "Order")
    assert order["store.city"]["detail"] == "store.address.city"
    assert order["shopper.full_name"]["detail"] == "shopper.display_name"
    summary = b.summary()
    assert set(summary) == {fill.value for fill in Fill}
    assert sum(summary.values()) == len(b.table())
    assert all(set(row) == {"schema", "property", "source", "detail"} for row in b.table())


def test_clinic_properties_bind_nested_names_and_gender() -> None:
    b = bound("clinic.yaml", "healthcare")
    patient = rows(b, "Patient")
    assert patient["gender"]["detail"] == "patient.sex"
    assert patient["birthDate"]["detail"] == "patient.birth_date"
    assert patient["telecom.email"]["detail"] == "patient.email"
    assert patient["primaryCareProvider"]["detail"] == "patient.primary_provider_id→provider"
    assert patient["conditions"]["detail"] == "patient→condition[]"
    assert patient["conditions.icd10"]["detail"] == "condition.code"
    name = rows(b, "HumanName")
    assert {name[p]["detail"].split(".", 1)[1] for p in ("text", "given", "family")} == {
        "display_name", "first_name", "last_name"}
    assert rows(b, "Observation")["loincCode"]["detail"] == "observation.code"
    assert rows(b, "Appointment")["practitionerId"]["detail"] == "appointment.provider_id→provider"


def _one_schema_description(properties: dict[str, Any], name: str = "Account") -> Description:
    schemas = {name: {"type": "object", "properties": properties}}
    reply = Reply(200, "application/json", {"$ref": f"#/components/schemas/{name}"})
    op = Operation("GET", "/accounts/{accountId}", "/accounts/{accountId}", "getAccount", "", (), None, reply, {})
    return Description(Path("inline.yaml"), "Inline", "1", "3.1", "", [op], schemas, {})


def test_every_case_style_binds_to_the_same_field() -> None:
    styles = ["accountNumber", "account_number", "AccountNumber", "ACCOUNT-NUMBER", "account-number",
              "ACCOUNT_NUMBER", "accountnumber"]
    d = _one_schema_description({s: {"type": "string"} for s in styles})
    table = bind(d, world("finance"), industry_words=industry_words("finance")).table()
    assert [(r["property"], r["detail"]) for r in table] == [(s, "account.account_number") for s in styles]


def test_pins_win_over_meaning_and_follow_relations() -> None:
    plain = rows(bound("bank.yaml", "finance"), "Account")
    assert plain["displayName"]["detail"].startswith("account:")
    pinned = rows(bound("bank.yaml", "finance", (("Account.displayName", "account.account_number"),
                                                 ("Account.status", "customer.email"))), "Account")
    assert pinned["displayName"]["detail"] == "account.account_number"
    assert pinned["status"]["detail"] == "customer.email via customer_id"
    assert plain["nickname"]["detail"] == "account.product_name"  # the description's x-pymockapi


def test_a_pin_that_names_nothing_is_refused() -> None:
    with pytest.raises(BindingError, match="names no record type and field"):
        bound("bank.yaml", "finance", (("Account.nickname", "wallet.name"),))
    d = _one_schema_description({"nickname": {"type": "string", "x-pymockapi": "nickname"}})
    with pytest.raises(BindingError, match="names no record type"):
        bind(d, world("finance"), industry_words=industry_words("finance"))


def test_industry_words_come_from_the_industry_module() -> None:
    words_ = industry_words("finance")
    assert words_ == IndustryWords.of(finance_words)
    assert words_.main_type == "customer"
    assert industry_words("no-such-industry") == IndustryWords()
    d = _one_schema_description({"accountNumber": {"type": "string"}})
    by_module = bind(d, world("finance"), industry_words=finance_words).table()
    assert by_module == bind(d, world("finance"), industry_words=words_).table()


def test_a_resource_with_no_type_falls_back_to_the_closest_or_main_type() -> None:
    d = _one_schema_description({"firstName": {"type": "string"}, "email": {"type": "string"}}, name="Widget")
    d.operations[0] = replace(d.operations[0], method="GET", path="/widgets", route="/widgets",
                              operation_id="listWidgets")
    op = bind(d, world("finance"), industry_words=industry_words("finance")).operations["GET /widgets"]
    assert op.record_type == "customer"
    blank = _one_schema_description({"zzz": {"type": "string"}}, name="Gadget")
    blank.operations[0] = replace(blank.operations[0], path="/gadgets", route="/gadgets", operation_id=None)
    op = bind(blank, world("healthcare"), industry_words=IndustryWords()).operations["GET /gadgets"]
    assert op.record_type == "patient"


# ------------------------------------------------------------------------- ids
def test_public_ids_resolve_to_their_records() -> None:
    w = world("finance")
    b = bound("bank.yaml", "finance")

    for record in w.records("customer")[:10]:
        rid = record["id"]
        assert resolve_id(w, "customer", rid) is record
        assert resolve_id(w, "customer", public_id(rid, IdStyle("uuid"))) is record
        assert b.resolve_id(w, "customer", public_id(rid, IdStyle("uuid"))) is record
    account = w.records("account")[3]
    assert resolve_id(w, "account", public_id(account["id"], IdStyle("int"))) is account
    assert resolve_id(w, "customer", account["id"]) is None
    assert resolve_id(w, "customer", "00000000-0000-0000-0000-000000000000") is None
    assert resolve_id(w, "nothing", "17") is None
    assert b.resolve_id(w, "customer", "nobody") is None


def test_pattern_ids_resolve_through_the_bindings() -> None:
    w = world("retail")
    b = bound("shop.json", "retail")
    styles = b.id_styles["order"]
    assert {s.kind for s in styles} == {"pattern"}
    for order in w.records("order")[:20]:
        shown = public_id(order["id"], next(iter(styles)))
        assert shown.startswith("ORD-") and len(shown) == 10
        assert b.resolve_id(w, "order", shown) is order
    assert b.resolve_id(w, "order", "ORD-000000") is None or True  # a miss is None, a collision is rare


def test_anchor_follows_the_path_parameters() -> None:
    w = world("finance")
    b = bound("bank.yaml", "finance")
    customer = w.records("customer")[2]
    ops = b.operations
    assert b.anchor(ops["GET /v1/customers/{customerId}"], w, {"customerId": customer["id"]}) is customer
    assert b.anchor(ops["GET /v1/customers/{customerId}/accounts"], w, {"customerId": customer["id"]}) is customer
    account = w.owned(customer["id"], "account")[0]
    assert b.anchor(ops["GET /v1/accounts/{accountId}/transactions"], w, {"accountId": account["id"]}) is account
    assert b.anchor(ops["GET /v1/customers"], w, {}) is None
    amazon = world("retail")
    shop = bound("shop.json", "retail")
    order = amazon.records("order")[0]
    assert shop.anchor(shop.operations["GET /shop/orders/{order_id}/line_items"], amazon,
                       {"order_id": order["id"]}) is order


# ---------------------------------------------------------------- performance
def test_bind_takes_well_under_a_second_for_200_operations() -> None:
    base = description("bank.yaml")
    ops: list[Operation] = []
    for i in range(25):
        for op in base.operations:
            ops.append(replace(op, path=f"/r{i}{op.path}", route=f"/r{i}{op.route}"))
    big = Description(base.file, base.title, base.version, base.dialect, base.base_path, ops, base.schemas,
                      base.document)
    started = time.perf_counter()
    b = bind(big, world("finance", 5), industry_words=industry_words("finance"))
    elapsed = time.perf_counter() - started
    assert len(b.operations) == 225
    assert elapsed < 1.0, elapsed


# -------------------------------------------------------- real descriptions
@pytest.mark.slow
def test_real_descriptions_bind_every_operation() -> None:
    lines = []
    for path in real_files():
        industry = REAL[path.name]
        d = load_description(path)
        w = world(industry)
        started = time.perf_counter()
        b = bind(d, w, industry_words=industry_words(industry))
        elapsed = (time.perf_counter() - started) * 1000
        types = {rt.name for rt in w.pack.record_types}
        assert set(b.operations) == {op.key for op in d.operations}
        for op in b.operations.values():
            assert op.record_type in types
            assert isinstance(op.role, Role)
            assert op.record_param is None or op.record_param in op.params
        roles = Counter(op.role.value for op in b.operations.values())
        summary = b.summary()
        assert summary["record"] > 0
        lines.append(f"{path.name:42} ops={len(b.operations):3} bind={elapsed:4.0f}ms "
                     + " ".join(f"{r}={roles.get(r.value, 0)}" for r in Role)
                     + " | " + " ".join(f"{k}={v}" for k, v in summary.items()))
    print("\n" + "\n".join(lines))
