"""The finance rule table: every finance rule, checked on exported records without trusting the generator.

Check digits are recomputed with python-stdnum, codes looked up in tables
(pycountry for ISO 4217, the shipped MCC and ZIP tables), money re-added
with Decimal, dates compared.  The rules follow the one protocol of
:mod:`pymockapi.industries.rules`: each yields ``(field, problem)`` pairs,
and a record that cannot be read (missing field, wrong type) becomes a
violation through the shared driver, never an exception, because
``pymockapi validate`` must list everything at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pycountry
from stdnum import iban as std_iban
from stdnum import isin as std_isin
from stdnum import luhn as std_luhn
from stdnum.us import rtn as std_rtn

from pymockapi.industries.common import address_problems, age_on, contact, ssn_like_problems
from pymockapi.industries.finance.calendar import add_years
from pymockapi.industries.finance.data import (
    ACCOUNT_KINDS,
    ADULT_AGE,
    ADVISOR_TITLES,
    AMORTISING_KINDS,
    CATEGORY_BY_MCC,
    CHANNELS,
    COMPANY_BY_TICKER,
    COUNTRY_CURRENCY,
    DEPOSIT_KINDS,
    DIRECTIONS,
    FED_DISTRICT_BY_STATE,
    KYC_STATUSES,
    LARGE_PURCHASE_THRESHOLD,
    LIABILITY_KINDS,
    MATURITY_MAX_AGE,
    MORTGAGE_MIN_AGE,
    NETWORK_BY_NAME,
    RISK_PROFILES,
    SEGMENTS,
    THRIFT_DISTRICT_OFFSET,
)
from pymockapi.industries.finance.identifiers import MASK
from pymockapi.industries.finance.kinds import (
    ACCOUNT,
    ADVISOR,
    CARD,
    CUSTOMER,
    HOLDING,
    INSTITUTION,
    TRANSACTION,
)
from pymockapi.industries.finance.ledger import signed
from pymockapi.industries.finance.market import change_percent
from pymockapi.industries.finance.text import move_text
from pymockapi.industries.money import amount_of, cents
from pymockapi.industries.rules import Problem, Record, RecordSet, Rule, Unreadable, need

BIC = re.compile(r"^[A-Z]{4}([A-Z]{2})[A-Z0-9]{2}([A-Z0-9]{3})?$")
AMOUNT = re.compile(r"^-?\d+\.\d{2}$")
MOVE = re.compile(r"\b(up \d+\.\d%|down \d+\.\d%|flat \(0\.0%\))")
CARD_ACCOUNT_KINDS = {"credit": "credit_card", "debit": "checking"}
BAD_TEXT = ("{", "}", "None", "  ")
MONEY_FIELDS = {"account": ("opening_balance", "balance", "credit_limit", "available_credit", "principal",
                            "monthly_payment", "minimum_payment", "low_balance_threshold", "holdings_value"),
                "transaction": ("amount", "running_balance"),
                "holding": ("average_cost", "cost_basis", "last_price", "market_value", "unrealised_gain")}


def _day(value: Any) -> date:
    return date.fromisoformat(value)


def _money(record: Record, name: str) -> Decimal:
    value = amount_of(record.get(name))
    if value is None:
        raise Unreadable(name, "is not a money value")
    return value


def _text_problems(name: str, text: Any) -> Iterator[Problem]:
    if not isinstance(text, str) or not text.strip():
        yield name, "is not a sentence"
    elif any(bad in text for bad in BAD_TEXT) or not text.endswith("."):
        yield name, f"is not a clean sentence: {text!r}"


def check_person(record: Record, data: RecordSet) -> Iterator[Problem]:
    if record.get("display_name") != f"{record['first_name']} {record['last_name']}":
        yield "display_name", "is not first and last name"
    yield from contact(record, data)


def check_customer(record: Record, data: RecordSet) -> Iterator[Problem]:
    yield from ssn_like_problems(record)
    for name, allowed in (("segment", SEGMENTS), ("kyc_status", KYC_STATUSES), ("risk_profile", RISK_PROFILES)):
        if record.get(name) not in allowed:
            yield name, f"is not one of {', '.join(allowed)}"
    if _day(record["customer_since"]) < add_years(_day(record["birth_date"]), ADULT_AGE):
        yield "customer_since", "is before the customer turned 18"
    if data.has(ADVISOR.name) and data.target(record.get("advisor_id"), ADVISOR.name) is None:
        yield "advisor_id", "does not name an advisor in the data set"


def check_advisor(record: Record, data: RecordSet) -> Iterator[Problem]:
    if not 28 <= record["age"] <= 67:
        yield "age", "is outside a working advisor's 28-67"
    if record.get("title") not in ADVISOR_TITLES:
        yield "title", "is not an advisor title"
    if data.has(INSTITUTION.name) and data.target(record.get("branch"), INSTITUTION.name) is None:
        yield "branch", "does not name an institution in the data set"


def check_institution(record: Record, data: RecordSet) -> Iterator[Problem]:
    routing = str(record.get("routing_number"))
    if not std_rtn.is_valid(routing):
        yield "routing_number", "fails the ABA checksum"
    else:
        district = FED_DISTRICT_BY_STATE[need(record, "address", dict)["state"]]
        if int(routing[:2]) not in (district, district + THRIFT_DISTRICT_OFFSET):
            yield "routing_number", "does not start with the Federal Reserve district of the bank's state"
    found = BIC.match(str(record.get("swift_bic")))
    if not found or found.group(1) != record.get("country") or pycountry.countries.get(
            alpha_2=record.get("country")) is None:
        yield "swift_bic", "is not a BIC of the institution's country"
    yield from address_problems(record["address"])


def check_money_fields(record: Record, data: RecordSet) -> Iterator[Problem]:
    currency = record.get("currency")
    if record["type"] != "account":
        account = data.by_id.get(record.get("account_id") or "")
        currency = account.get("currency") if account else None
    for name in MONEY_FIELDS[record["type"]]:
        value = record.get(name)
        if value is None and name not in ("balance", "amount", "opening_balance", "running_balance",
                                          "market_value", "cost_basis", "last_price"):
            continue
        if not isinstance(value, dict) or not AMOUNT.match(str(value.get("amount"))) or not value.get("display"):
            yield name, "is not a money value with amount, currency and display"
        elif pycountry.currencies.get(alpha_3=value.get("currency")) is None:
            yield name, "is not in an ISO 4217 currency"
        elif currency is not None and value["currency"] != currency:
            yield name, "is not in the account's currency"


def check_account(record: Record, data: RecordSet) -> Iterator[Problem]:
    kind = record.get("kind")
    if kind not in ACCOUNT_KINDS:
        yield "kind", f"is not one of {', '.join(ACCOUNT_KINDS)}"
        return
    country = record["country"]
    if pycountry.currencies.get(alpha_3=record.get("currency")) is None or record["currency"] != COUNTRY_CURRENCY.get(
            country):
        yield "currency", f"is not the ISO 4217 currency of {country}"
    number = str(record.get("account_number"))
    if not number.isdigit() or record.get("masked_number") != f"{MASK} {number[-4:]}":
        yield "masked_number", "does not show the last four digits of the account number"
    yield from check_iban(record)
    yield from check_account_dates(record, data)
    balance = _money(record, "balance")
    if kind in DEPOSIT_KINDS and balance < 0:
        yield "balance", "is overdrawn"
    if kind in AMORTISING_KINDS and not -_money(record, "principal") <= balance <= 0:
        yield "balance", "owes more than the principal or is in credit"
    if kind == "credit_card":
        limit = _money(record, "credit_limit")
        if balance < -limit:
            yield "balance", "is over the credit limit"
        if _money(record, "available_credit") != limit + balance:
            yield "available_credit", "is not the limit less what is owed"
    yield from check_ledger(record, data)
    yield from check_alerts(record, data)
    if kind == "brokerage" and data.has(HOLDING.name):
        positions = data.group(HOLDING.name, "account_id").get(record["id"], [])
        total = sum((_money(h, "market_value") for h in positions), Decimal(0))
        if _money(record, "holdings_value") != total:
            yield "holdings_value", "is not the sum of the holdings' market values"


def check_iban(record: Record) -> Iterator[Problem]:
    country, value = record["country"], record.get("iban")
    if country == "US":
        if value is not None:
            yield "iban", "is set on a US account"
        return
    if not std_iban.is_valid(str(value)) or str(value)[:2] != country or record["account_number"] not in str(value):
        yield "iban", "fails mod-97 or does not carry the account's country and number"
    found = BIC.match(str(record.get("bic")))
    if not found or found.group(1) != country:
        yield "bic", "is not a BIC of the account's country"


def check_account_dates(record: Record, data: RecordSet) -> Iterator[Problem]:
    opened = _day(record["opened_date"])
    if _day(record["period_start"]) < opened:
        yield "period_start", "is before the account was opened"
    owner = data.target(record.get("customer_id"), CUSTOMER.name)
    if owner is not None:
        born = _day(owner["birth_date"])
        if age_on(born, opened) < ADULT_AGE or opened < _day(owner["customer_since"]):
            yield "opened_date", "is before the customer was an adult customer"
        if record["kind"] == "mortgage" and age_on(born, opened) < MORTGAGE_MIN_AGE:
            yield "opened_date", "gives a mortgage to someone under 25"
        if record.get("maturity_date") and age_on(born, _day(record["maturity_date"])) > MATURITY_MAX_AGE:
            yield "maturity_date", "runs past the customer's 85th birthday"
    if record.get("maturity_date") and _day(record["maturity_date"]) <= opened:
        yield "maturity_date", "is not after the account was opened"


def check_ledger(record: Record, data: RecordSet) -> Iterator[Problem]:
    """balance = opening_balance + signed transactions, and each running balance on the way."""
    running = _money(record, "opening_balance")
    period_start = _day(record["period_start"])
    lines = sorted(data.group(TRANSACTION.name, "account_id").get(record["id"], []), key=lambda t: t["sequence"])
    if [t["sequence"] for t in lines] != list(range(1, len(lines) + 1)):
        yield "transactions", "sequence numbers are not 1..n"
    previous = period_start
    for line in lines:
        running += signed(line["direction"], _money(line, "amount"))
        posted = _day(line["posted_date"])
        if posted < previous:
            yield "transactions", f"{line['id']} is posted out of order or before the period start"
        previous = posted
        if _money(line, "running_balance") != running:
            yield "transactions", f"{line['id']} running balance does not follow"
    if running != _money(record, "balance"):
        yield "balance", "does not equal opening balance plus transactions"


def check_alerts(record: Record, data: RecordSet) -> Iterator[Problem]:
    alerts = record.get("alerts")
    if not isinstance(alerts, list):
        yield "alerts", "is not a list"
        return
    kinds = [a["kind"] for a in alerts]
    for alert in alerts:
        yield from (("alerts", problem) for _, problem in _text_problems("message", alert["message"]))
    balance = _money(record, "balance")
    threshold = amount_of(record.get("low_balance_threshold"))
    low = record["kind"] in DEPOSIT_KINDS and threshold is not None and balance < threshold
    if low != ("low_balance" in kinds):
        yield "alerts", "low balance alert does not match the balance"
    due = record["kind"] in LIABILITY_KINDS and bool(record.get("payment_due_date")) and balance < 0
    if due != ("payment_due" in kinds):
        yield "alerts", "payment due alert does not match the amount owed"
    for alert in alerts:
        if alert["kind"] == "large_purchase":
            line = data.by_id.get(alert.get("transaction_id") or "")
            if data.has(TRANSACTION.name) and (
                    line is None or line.get("account_id") != record["id"]
                    or _money(line, "amount") < LARGE_PURCHASE_THRESHOLD or line["merchant"] not in alert["message"]):
                yield "alerts", "large purchase alert does not name a large purchase on this account"


def check_card(record: Record, data: RecordSet) -> Iterator[Problem]:
    number = str(record.get("number"))
    network = NETWORK_BY_NAME.get(record.get("network") or "")
    if not std_luhn.is_valid(number):
        yield "number", "fails the Luhn check"
    elif network is None or not number.startswith(network.bins) or len(number) != network.length:
        yield "number", "is not a test number of its network"
    if record.get("masked_number") != f"{MASK} {number[-4:]}":
        yield "masked_number", "does not show the last four digits"
    expires = _day(record["expiry_date"])
    if expires <= _day(record["issued_date"]) or record.get("expiry") != f"{expires:%m/%y}":
        yield "expiry_date", "is not after issue or disagrees with the printed expiry"
    account = data.target(record.get("account_id"), ACCOUNT.name)
    if data.has(ACCOUNT.name) and (account is None or account["customer_id"] != record["customer_id"]
                                    or account["kind"] != CARD_ACCOUNT_KINDS.get(str(record.get("kind")))):
        yield "account_id", "is not a card account of the same customer"
    owner = data.target(record.get("customer_id"), CUSTOMER.name)
    if owner is not None and record.get("cardholder_name") != owner["display_name"]:
        yield "cardholder_name", "is not the customer's name"


def check_transaction(record: Record, data: RecordSet) -> Iterator[Problem]:
    if record.get("direction") not in DIRECTIONS:
        yield "direction", "is neither debit nor credit"
    if record.get("channel") not in CHANNELS:
        yield "channel", f"is not one of {', '.join(CHANNELS)}"
    if _money(record, "amount") <= 0:
        yield "amount", "is not positive"
    mcc = record.get("mcc")
    category = CATEGORY_BY_MCC.get(mcc or "")
    if (mcc is not None or record.get("channel") == "card") and (
            category is None or record.get("mcc_description") != category.mcc_description):
        yield "mcc", "is not a known MCC with its title"
    yield from _text_problems("memo", record.get("memo"))
    if record.get("merchant") and record["merchant"] not in str(record.get("memo")):
        yield "memo", "does not name the merchant"
    account = data.target(record.get("account_id"), ACCOUNT.name)
    if data.has(ACCOUNT.name) and (account is None or account["customer_id"] != record["customer_id"]):
        yield "account_id", "is not an account of the same customer"
    elif account is not None and _day(record["posted_date"]) < _day(account["opened_date"]):
        yield "posted_date", "is before the account was opened"


def check_holding(record: Record, data: RecordSet) -> Iterator[Problem]:
    company = COMPANY_BY_TICKER.get(record.get("ticker") or "")
    if company is None or company.name != record.get("name"):
        yield "ticker", "is not a listed instrument"
    isin = str(record.get("isin"))
    if not std_isin.is_valid(isin) or not isin.startswith("US"):
        yield "isin", "fails the ISIN check digit"
    quantity = record["quantity"]
    if not isinstance(quantity, int) or quantity <= 0:
        yield "quantity", "is not a positive whole number of shares"
        return
    history = need(record, "price_history", list)
    closes = [Decimal(p["close"]) for p in history]
    days = [_day(p["date"]) for p in history]
    if not closes or min(closes) <= 0 or days != sorted(set(days)) or any(d.weekday() > 4 for d in days):
        yield "price_history", "is not positive closes on ascending trading days"
        return
    last = _money(record, "last_price")
    if last != closes[-1]:
        yield "last_price", "is not the last close"
    if _money(record, "market_value") != cents(last * quantity):
        yield "market_value", "is not quantity times last price"
    if _money(record, "cost_basis") != cents(_money(record, "average_cost") * quantity):
        yield "cost_basis", "is not quantity times average cost"
    if _money(record, "unrealised_gain") != _money(record, "market_value") - _money(record, "cost_basis"):
        yield "unrealised_gain", "is not market value less cost basis"
    move = change_percent(closes[0], closes[-1])
    if record.get("change_percent") != str(move):
        yield "change_percent", "does not follow from the price history"
    found = MOVE.search(str(record.get("commentary")))
    if found is None or found.group(1) != move_text(move):
        yield "commentary", "does not state the move the price history shows"
    account = data.target(record.get("account_id"), ACCOUNT.name)
    if data.has(ACCOUNT.name) and (account is None or account["kind"] != "brokerage"
                                    or account["customer_id"] != record["customer_id"]):
        yield "account_id", "is not a brokerage account of the same customer"


RULES: dict[str, tuple[Rule, ...]] = {
    CUSTOMER.name: (check_person, check_customer),
    ADVISOR.name: (check_person, check_advisor),
    INSTITUTION.name: (check_institution,),
    ACCOUNT.name: (check_money_fields, check_account),
    CARD.name: (check_card,),
    TRANSACTION.name: (check_money_fields, check_transaction),
    HOLDING.name: (check_money_fields, check_holding),
}
