"""Every finance rule, checked on exported records without trusting the generator.

Check digits are recomputed with python-stdnum, codes looked up in tables
(pycountry for ISO 4217, the shipped MCC and ZIP tables), money re-added
with Decimal, dates compared.  Each rule runs on its own and a record that
cannot be read (missing field, wrong type) becomes a violation, never an
exception, because ``pymockapi validate`` must list everything at once.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any, Callable, Iterable, Iterator

import pycountry
from stdnum import iban as std_iban
from stdnum import isin as std_isin
from stdnum import luhn as std_luhn
from stdnum.us import rtn as std_rtn

from pymockapi.industries.base import Violation
from pymockapi.industries.common import EXAMPLE_DOMAINS, ZipCode, age_on, slug, zip_table
from pymockapi.industries.finance.calendar import add_years
from pymockapi.industries.finance.data import (
    ACCOUNT_KINDS,
    ADULT_AGE,
    AMORTISING_KINDS,
    CHANNELS,
    ADVISOR_TITLES,
    CATEGORY_BY_MCC,
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
from pymockapi.industries.finance.market import change_percent
from pymockapi.industries.finance.money import amount_of, cents, signed
from pymockapi.industries.finance.text import move_text

Record = dict[str, Any]
Problem = tuple[str, str]
Check = Callable[[Record, "Index"], Iterator[Problem]]

PREFIXES = {"customer": "cus", "advisor": "adv", "institution": "inst", "account": "acct", "card": "card",
            "transaction": "txn", "holding": "hold"}
OWNED = ("account", "card", "transaction", "holding")
PHONE = re.compile(r"^\+1-\d{3}-555-01\d{2}$")
SSN_LIKE = re.compile(r"^9\d{2}-(0[1-9]|[1-4]\d)-\d{4}$")
BIC = re.compile(r"^[A-Z]{4}([A-Z]{2})[A-Z0-9]{2}([A-Z0-9]{3})?$")
AMOUNT = re.compile(r"^-?\d+\.\d{2}$")
MOVE = re.compile(r"\b(up \d+\.\d%|down \d+\.\d%|flat \(0\.0%\))")
CARD_ACCOUNT_KINDS = {"credit": "credit_card", "debit": "checking"}
BAD_TEXT = ("{", "}", "None", "  ")
MONEY_FIELDS = {"account": ("opening_balance", "balance", "credit_limit", "available_credit", "principal",
                            "monthly_payment", "minimum_payment", "low_balance_threshold", "holdings_value"),
                "transaction": ("amount", "running_balance"),
                "holding": ("average_cost", "cost_basis", "last_price", "market_value", "unrealised_gain")}


@dataclass
class Index:
    """The records under validation, looked up by id and by owning account."""

    by_id: dict[str, Record] = field(default_factory=dict)
    types: set[str] = field(default_factory=set)
    transactions: dict[str, list[Record]] = field(default_factory=lambda: defaultdict(list))
    holdings: dict[str, list[Record]] = field(default_factory=lambda: defaultdict(list))

    def target(self, ref: Any, kind: str) -> tuple[bool, Record | None]:
        """Whether ``ref`` can be checked (records of ``kind`` are present) and what it names."""
        if kind not in self.types:
            return False, None
        found = self.by_id.get(ref) if isinstance(ref, str) else None
        return True, found if found is not None and found.get("type") == kind else None


def _day(value: Any) -> date:
    return date.fromisoformat(value)


def _money(record: Record, name: str) -> Decimal:
    value = amount_of(record.get(name))
    if value is None:
        raise ValueError(f"{name} is not a money value")
    return value


def _text_problems(name: str, text: Any) -> Iterator[Problem]:
    if not isinstance(text, str) or not text.strip():
        yield name, "is not a sentence"
    elif any(bad in text for bad in BAD_TEXT) or not text.endswith("."):
        yield name, f"is not a clean sentence: {text!r}"


def check_identity(record: Record, index: Index) -> Iterator[Problem]:
    prefix = PREFIXES[record["type"]]
    pattern = rf"^{prefix}-\d{{4}}-\d{{2,}}$" if record["type"] in OWNED else rf"^{prefix}-\d{{4}}$"
    if not isinstance(record.get("id"), str) or not re.match(pattern, record["id"]):
        yield "id", f"does not look like {prefix}-NNNN"
    elif record["type"] in OWNED and record.get("customer_id") != "cus-" + record["id"].split("-")[1]:
        yield "customer_id", "is not the customer the id says owns it"


def check_person(record: Record, index: Index) -> Iterator[Problem]:
    if record.get("display_name") != f"{record['first_name']} {record['last_name']}":
        yield "display_name", "is not first and last name"
    local, _, domain = str(record.get("email")).partition("@")
    if domain not in EXAMPLE_DOMAINS or local != f"{slug(record['first_name'])}.{slug(record['last_name'])}":
        yield "email", "is not derived from the name on an example domain"
    if not PHONE.match(str(record.get("phone"))):
        yield "phone", "is not a 555-01xx fictional number"
    yield from check_address(record["address"])


@lru_cache(maxsize=1)
def _zips() -> dict[str, ZipCode]:
    return {z.zip: z for z in zip_table()}


def check_address(place: Record) -> Iterator[Problem]:
    known = _zips().get(place["zip"])
    if known is None or (known.city, known.state) != (place["city"], place["state"]):
        yield "address", f"ZIP {place['zip']} is not in {place['city']}, {place['state']}"


def check_customer(record: Record, index: Index) -> Iterator[Problem]:
    if not SSN_LIKE.match(str(record.get("ssn_like"))):
        yield "ssn_like", "is not in the never-issued 9xx range"
    for name, allowed in (("segment", SEGMENTS), ("kyc_status", KYC_STATUSES), ("risk_profile", RISK_PROFILES)):
        if record.get(name) not in allowed:
            yield name, f"is not one of {', '.join(allowed)}"
    if _day(record["customer_since"]) < add_years(_day(record["birth_date"]), ADULT_AGE):
        yield "customer_since", "is before the customer turned 18"
    checkable, advisor = index.target(record.get("advisor_id"), "advisor")
    if checkable and advisor is None:
        yield "advisor_id", "does not name an advisor in the data set"


def check_advisor(record: Record, index: Index) -> Iterator[Problem]:
    if not 28 <= record["age"] <= 67:
        yield "age", "is outside a working advisor's 28-67"
    if record.get("title") not in ADVISOR_TITLES:
        yield "title", "is not an advisor title"
    checkable, branch = index.target(record.get("branch"), "institution")
    if checkable and branch is None:
        yield "branch", "does not name an institution in the data set"


def check_institution(record: Record, index: Index) -> Iterator[Problem]:
    routing = str(record.get("routing_number"))
    if not std_rtn.is_valid(routing):
        yield "routing_number", "fails the ABA checksum"
    else:
        district = FED_DISTRICT_BY_STATE[record["address"]["state"]]
        if int(routing[:2]) not in (district, district + THRIFT_DISTRICT_OFFSET):
            yield "routing_number", "does not start with the Federal Reserve district of the bank's state"
    found = BIC.match(str(record.get("swift_bic")))
    if not found or found.group(1) != record.get("country") or pycountry.countries.get(
            alpha_2=record.get("country")) is None:
        yield "swift_bic", "is not a BIC of the institution's country"
    yield from check_address(record["address"])


def check_money_fields(record: Record, index: Index) -> Iterator[Problem]:
    currency = record.get("currency")
    if record["type"] != "account":
        account = index.by_id.get(record.get("account_id") or "")
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


def check_account(record: Record, index: Index) -> Iterator[Problem]:
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
    yield from check_account_dates(record, index)
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
    yield from check_ledger(record, index)
    yield from check_alerts(record, index)
    if kind == "brokerage" and "holding" in index.types:
        total = sum((_money(h, "market_value") for h in index.holdings[record["id"]]), Decimal(0))
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


def check_account_dates(record: Record, index: Index) -> Iterator[Problem]:
    opened = _day(record["opened_date"])
    if _day(record["period_start"]) < opened:
        yield "period_start", "is before the account was opened"
    _, owner = index.target(record.get("customer_id"), "customer")
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


def check_ledger(record: Record, index: Index) -> Iterator[Problem]:
    """balance = opening_balance + signed transactions, and each running balance on the way."""
    running = _money(record, "opening_balance")
    period_start = _day(record["period_start"])
    lines = sorted(index.transactions[record["id"]], key=lambda t: t["sequence"])
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


def check_alerts(record: Record, index: Index) -> Iterator[Problem]:
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
            line = index.by_id.get(alert.get("transaction_id") or "")
            if "transaction" in index.types and (
                    line is None or line.get("account_id") != record["id"]
                    or _money(line, "amount") < LARGE_PURCHASE_THRESHOLD or line["merchant"] not in alert["message"]):
                yield "alerts", "large purchase alert does not name a large purchase on this account"


def check_card(record: Record, index: Index) -> Iterator[Problem]:
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
    checkable, account = index.target(record.get("account_id"), "account")
    if checkable and (account is None or account["customer_id"] != record["customer_id"]
                      or account["kind"] != CARD_ACCOUNT_KINDS.get(str(record.get("kind")))):
        yield "account_id", "is not a card account of the same customer"
    _, owner = index.target(record.get("customer_id"), "customer")
    if owner is not None and record.get("cardholder_name") != owner["display_name"]:
        yield "cardholder_name", "is not the customer's name"


def check_transaction(record: Record, index: Index) -> Iterator[Problem]:
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
    checkable, account = index.target(record.get("account_id"), "account")
    if checkable and (account is None or account["customer_id"] != record["customer_id"]):
        yield "account_id", "is not an account of the same customer"
    elif account is not None and _day(record["posted_date"]) < _day(account["opened_date"]):
        yield "posted_date", "is before the account was opened"


def check_holding(record: Record, index: Index) -> Iterator[Problem]:
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
    history = record["price_history"]
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
    checkable, account = index.target(record.get("account_id"), "account")
    if checkable and (account is None or account["kind"] != "brokerage"
                      or account["customer_id"] != record["customer_id"]):
        yield "account_id", "is not a brokerage account of the same customer"


CHECKS: dict[str, tuple[Check, ...]] = {
    "customer": (check_identity, check_person, check_customer),
    "advisor": (check_identity, check_person, check_advisor),
    "institution": (check_identity, check_institution),
    "account": (check_identity, check_money_fields, check_account),
    "card": (check_identity, check_card),
    "transaction": (check_identity, check_money_fields, check_transaction),
    "holding": (check_identity, check_money_fields, check_holding),
}
FIRST_FIELD = {"customer": "email", "advisor": "email", "institution": "routing_number", "account": "balance",
               "card": "number", "transaction": "amount", "holding": "isin"}


def build_index(records: Iterable[Any]) -> tuple[Index, list[Record]]:
    index = Index()
    mine: list[Record] = []
    for record in records:
        if not isinstance(record, dict) or record.get("type") not in CHECKS:
            continue
        mine.append(record)
        index.types.add(record["type"])
        if isinstance(record.get("id"), str):
            index.by_id[record["id"]] = record
        if isinstance(record.get("account_id"), str):
            bucket = index.transactions if record["type"] == "transaction" else index.holdings
            if record["type"] in ("transaction", "holding"):
                bucket[record["account_id"]].append(record)
    return index, mine


def validate(records: Iterable[Any]) -> list[Violation]:
    """Every rule the finance records break, by record and field."""
    index, mine = build_index(records)
    violations: list[Violation] = []
    for record in mine:
        record_id = str(record.get("id"))
        for check in CHECKS[record["type"]]:
            try:
                problems = list(check(record, index))
            except (KeyError, TypeError, ValueError, AttributeError, ArithmeticError, IndexError) as exc:
                where = exc.args[0] if isinstance(exc, KeyError) and isinstance(exc.args[0], str) else (
                    FIRST_FIELD[record["type"]])
                problems = [(where, f"cannot be read ({type(exc).__name__}: {exc})")]
            violations.extend(Violation(record["type"], record_id, name, problem) for name, problem in problems)
    return violations
