"""PACK.validate reports each broken rule on the right record and field, and never raises."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from stdnum.us import rtn

from pymockapi.industries.finance import PACK
from pymockapi.industries.seeding import GenContext

Record = dict[str, Any]
Mutation = Callable[[Record], None]


@pytest.fixture(scope="module")
def clean() -> list[Record]:
    gen = GenContext("finance-validate", 3, 4, date(2024, 9, 12), {"customer": 50, "advisor": 4, "institution": 3})
    records: list[Record] = []
    for kind, count in (("customer", 50), ("advisor", 4), ("institution", 3)):
        for index in range(1, count + 1):
            records.extend(PACK.generate(gen, kind, index, {}))
    assert PACK.validate(records) == []
    return records


def pick(records: list[Record], kind: str, where: Callable[[Record], bool] = lambda r: True) -> Record:
    return next(r for r in records if r["type"] == kind and where(r))


def with_copy(records: list[Record], kind: str, where: Callable[[Record], bool]) -> tuple[list[Record], Record]:
    """The data set with one record replaced by a deep copy that the test may break."""
    original = pick(records, kind, where)
    target = copy.deepcopy(original)
    return [target if r is original else r for r in records], target


def account_of(kind: str, extra: Callable[[Record], bool] = lambda r: True) -> Callable[[Record], bool]:
    return lambda r: r["kind"] == kind and extra(r)


def has_alert(kind: str) -> Callable[[Record], bool]:
    return lambda r: any(a["kind"] == kind for a in r["alerts"])


def setter(name: str, value: Any) -> Mutation:
    def mutate(record: Record) -> None:
        record[name] = value
    return mutate


def money_set(name: str, value: str) -> Mutation:
    def mutate(record: Record) -> None:
        record[name] = {**record[name], "amount": value}
    return mutate


def wrong_district(record: Record) -> None:
    body = ("99" if record["routing_number"][:2] != "99" else "98") + record["routing_number"][2:8]
    record["routing_number"] = body + rtn.calc_check_digit(body)


def shift_close(record: Record) -> None:
    record["price_history"][-1]["close"] = str(Decimal(record["price_history"][-1]["close"]) + 1)


def bad_history(record: Record) -> None:
    record["price_history"][0]["close"] = "-1.00"


def swap_sequence(record: Record) -> None:
    record["sequence"] = 99


def late_first(record: Record) -> None:
    record["posted_date"] = "2099-01-01"


def drop_due(record: Record) -> None:
    record["alerts"] = [a for a in record["alerts"] if a["kind"] != "payment_due"]


def dirty_alert(record: Record) -> None:
    record["alerts"][0]["message"] = "Balance of None {x}"


def break_large(record: Record) -> None:
    for alert in record["alerts"]:
        if alert["kind"] == "large_purchase":
            alert["transaction_id"] = "txn-9999-01"


def drop_key(name: str) -> Mutation:
    def mutate(record: Record) -> None:
        del record[name]
    return mutate


def FOREIGN(r: Record) -> bool:
    return r["iban"] is not None


def FIRST_LINE(r: Record) -> bool:
    return bool(r["sequence"] == 1)


def CARD_LINE(r: Record) -> bool:
    return bool(r["channel"] == "card")


def ANY(r: Record) -> bool:
    return True

CASES: list[tuple[str, Callable[[Record], bool], Mutation, str]] = [
    ("customer", ANY, setter("id", "customer-1"), "id"),
    ("customer", ANY, setter("display_name", "Someone Else"), "display_name"),
    ("customer", ANY, setter("email", "someone@gmail.com"), "email"),
    ("customer", ANY, setter("phone", "+1-212-867-5309"), "phone"),
    ("customer", ANY, lambda r: r["address"].update(zip="99503"), "address"),
    ("customer", ANY, setter("ssn_like", "123-45-6789"), "ssn_like"),
    ("customer", ANY, setter("segment", "platinum"), "segment"),
    ("customer", ANY, setter("customer_since", "1900-01-01"), "customer_since"),
    ("customer", ANY, setter("advisor_id", "adv-0099"), "advisor_id"),
    ("customer", ANY, drop_key("first_name"), "first_name"),
    ("advisor", ANY, setter("age", 80), "age"),
    ("advisor", ANY, setter("title", "Wizard"), "title"),
    ("advisor", ANY, setter("branch", "inst-0099"), "branch"),
    ("institution", ANY, setter("routing_number", "123456789"), "routing_number"),
    ("institution", ANY, wrong_district, "routing_number"),
    ("institution", ANY, setter("swift_bic", "nope"), "swift_bic"),
    ("institution", ANY, setter("address", None), "address"),
    ("account", ANY, setter("customer_id", "cus-0999"), "customer_id"),
    ("account", ANY, setter("kind", "piggy_bank"), "kind"),
    ("account", account_of("checking"), setter("currency", "EUR"), "currency"),
    ("account", account_of("checking"), setter("masked_number", "\u2022\u2022\u2022\u2022 0000"), "masked_number"),
    ("account", account_of("checking"), setter("iban", "GB82WEST12345698765432"), "iban"),
    ("account", FOREIGN, lambda r: r.update(iban=r["iban"][:-1] + str((int(r["iban"][-1]) + 1) % 10)), "iban"),
    ("account", FOREIGN, setter("bic", "ZZZZUS33"), "bic"),
    ("account", ANY, setter("period_start", "1900-01-01"), "period_start"),
    ("account", ANY, setter("opened_date", "1901-01-01"), "opened_date"),
    ("account", account_of("mortgage"), setter("maturity_date", "2150-01-01"), "maturity_date"),
    ("account", account_of("loan"), setter("maturity_date", "1999-01-01"), "maturity_date"),
    ("account", account_of("checking"), money_set("balance", "-5.00"), "balance"),
    ("account", account_of("loan"), money_set("balance", "10.00"), "balance"),
    ("account", account_of("credit_card"), money_set("credit_limit", "1.00"), "balance"),
    ("account", account_of("credit_card"), money_set("available_credit", "1.00"), "available_credit"),
    ("account", account_of("savings"), money_set("opening_balance", "0.01"), "balance"),
    ("account", account_of("checking"), setter("alerts", "none"), "alerts"),
    ("account", account_of("checking", lambda r: not r["alerts"]), money_set("low_balance_threshold", "999999.00"),
     "alerts"),
    ("account", has_alert("low_balance"), money_set("low_balance_threshold", "0.00"), "alerts"),
    ("account", account_of("credit_card", has_alert("payment_due")), drop_due, "alerts"),
    ("account", account_of("credit_card", has_alert("payment_due")), dirty_alert, "alerts"),
    ("account", account_of("checking", has_alert("large_purchase")), break_large, "alerts"),
    ("account", account_of("brokerage"), money_set("holdings_value", "1.00"), "holdings_value"),
    ("account", account_of("brokerage"), setter("holdings_value", {"amount": "1"}), "holdings_value"),
    ("account", account_of("brokerage"), lambda r: r["balance"].update(currency="XXQ"), "balance"),
    ("account", account_of("savings"), lambda r: r["balance"].update(amount="1.2.3"), "balance"),
    ("account", account_of("brokerage"), lambda r: r["balance"].update(currency="EUR"), "balance"),
    ("card", ANY, lambda r: r.update(number=r["number"][:-1] + str((int(r["number"][-1]) + 1) % 10)), "number"),
    ("card", ANY, setter("number", "4000000000000002"), "number"),
    ("card", ANY, setter("masked_number", "1234"), "masked_number"),
    ("card", ANY, setter("expiry_date", "2000-01-31"), "expiry_date"),
    ("card", ANY, setter("account_id", "acct-0999-01"), "account_id"),
    ("card", ANY, setter("cardholder_name", "Someone Else"), "cardholder_name"),
    ("transaction", ANY, setter("direction", "sideways"), "direction"),
    ("transaction", ANY, setter("channel", "pigeon"), "channel"),
    ("transaction", ANY, money_set("amount", "0.00"), "amount"),
    ("transaction", CARD_LINE, setter("mcc", "0001"), "mcc"),
    ("transaction", ANY, setter("memo", "Paid {amount} at None"), "memo"),
    ("transaction", CARD_LINE, setter("memo", "A purchase."), "memo"),
    ("transaction", ANY, setter("account_id", "acct-0999-01"), "account_id"),
    ("transaction", ANY, setter("posted_date", "1900-01-01"), "posted_date"),
    ("transaction", ANY, setter("memo", None), "memo"),
    ("holding", ANY, setter("ticker", "ZZZZ"), "ticker"),
    ("holding", ANY, setter("isin", "US0000000001"), "isin"),
    ("holding", ANY, setter("quantity", 0), "quantity"),
    ("holding", ANY, bad_history, "price_history"),
    ("holding", ANY, shift_close, "last_price"),
    ("holding", ANY, money_set("market_value", "1.00"), "market_value"),
    ("holding", ANY, money_set("cost_basis", "1.00"), "cost_basis"),
    ("holding", ANY, setter("change_percent", "99.9"), "change_percent"),
    ("holding", ANY, setter("commentary", "Shares moved."), "commentary"),
    ("holding", ANY, setter("account_id", "acct-0999-01"), "account_id"),
    ("holding", ANY, setter("price_history", None), "price_history"),
]


@pytest.mark.parametrize(("kind", "where", "mutate", "field"), CASES)
def test_each_broken_rule_is_reported_by_record_and_field(clean: list[Record], kind: str,
                                                          where: Callable[[Record], bool], mutate: Mutation,
                                                          field: str) -> None:
    records, target = with_copy(clean, kind, where)
    mutate(target)
    found = {(v.record_type, v.record_id, v.field) for v in PACK.validate(records)}
    record_id = target["id"] if isinstance(target.get("id"), str) else str(target.get("id"))
    assert (kind, record_id, field) in found, found


def test_ledger_breaks_are_reported_on_the_account(clean: list[Record]) -> None:
    for mutate, problem in ((swap_sequence, "sequence"), (late_first, "out of order"),
                            (money_set("running_balance", "0.01"), "running balance")):
        records, line = with_copy(clean, "transaction", FIRST_LINE)
        mutate(line)
        problems = [v for v in PACK.validate(records) if v.record_id == line["account_id"]]
        assert any(problem in v.problem for v in problems), problems


def test_unrealised_gain_and_mortgage_age_rules(clean: list[Record]) -> None:
    records = copy.deepcopy(clean)
    holding = pick(records, "holding")
    holding["unrealised_gain"] = {**holding["unrealised_gain"], "amount": "0.01"}
    mortgage = pick(records, "account", account_of("mortgage"))
    owner = pick(records, "customer", lambda c: c["id"] == mortgage["customer_id"])
    opened = date.fromisoformat(mortgage["opened_date"])
    owner["birth_date"] = opened.replace(year=opened.year - 21, day=min(opened.day, 28)).isoformat()
    owner["customer_since"] = mortgage["opened_date"]
    found = {(v.record_type, v.record_id, v.field) for v in PACK.validate(records)}
    assert ("holding", holding["id"], "unrealised_gain") in found
    assert ("account", mortgage["id"], "opened_date") in found


def test_validate_reports_foreign_records_and_garbage(clean: list[Record]) -> None:
    foreign = PACK.validate([1, "x", {"type": "patient", "id": "pat-0001"}, {"no": "type"}])
    assert [v.field for v in foreign] == ["type"] * 4
    violations = PACK.validate([{"type": "transaction"}, {"type": "holding", "id": 7}])
    assert {v.record_type for v in violations} == {"transaction", "holding"}
    assert all(v.problem for v in violations)


def test_one_persona_with_its_own_records_validates_alone(clean: list[Record]) -> None:
    for customer_id in ("cus-0001", "cus-0002", "cus-0003"):
        own = [r for r in clean if r["id"] == customer_id or r.get("customer_id") == customer_id]
        assert len(own) > 5 and PACK.validate(own) == []
