"""Finance data checked against independent authorities over thousands of records.

Check digits are verified with python-stdnum, currencies with pycountry,
MCC titles with the iso18245 database, ZIP/city/state with zipcodes, and
every ledger is re-added with Decimal here, not with the pack's code.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

import iso18245
import pycountry
import pytest
import zipcodes
from stdnum import cusip, iban, isin, luhn
from stdnum.us import rtn

from pymockapi.industries.finance import PACK
from pymockapi.industries.money import money as common_money
from pymockapi.industries.seeding import GenContext

ANCHORS = (date(2024, 2, 29), date(2025, 11, 3), date(2023, 7, 16))
SEEDS = (11, 22, 33)
PERSONAS = 340
TEST_BINS = {"Visa": ("4111", "4242"), "Mastercard": ("5555", "2223"), "American Express": ("3782", "3714"),
             "Discover": ("6011",)}
CARD_LENGTH = {"American Express": 15}
PHONE = re.compile(r"^\+1-\d{3}-555-01\d{2}$")
SSN = re.compile(r"^9\d{2}-\d{2}-\d{4}$")
ARTICLE_ERRORS = (re.compile(r"\b[Aa] [aeiouAEIOU]\w"), re.compile(r"\b[Aa]n [b-df-hj-np-tv-zB-DF-HJ-NP-TV-Z]\w"))
Record = dict[str, Any]


def world(seed: int, anchor: date) -> list[Record]:
    gen = GenContext("finance-test", 5, seed, anchor, {"customer": PERSONAS, "advisor": PERSONAS,
                                                       "institution": PERSONAS})
    records: list[Record] = []
    for kind in ("customer", "advisor", "institution"):
        for index in range(1, PERSONAS + 1):
            records.extend(PACK.generate(gen, kind, index, {}))
    return records


@pytest.fixture(scope="module")
def worlds() -> list[tuple[date, list[Record]]]:
    return [(anchor, world(seed, anchor)) for seed, anchor in zip(SEEDS, ANCHORS, strict=False)]


def by_type(worlds: list[tuple[date, list[Record]]], kind: str) -> list[tuple[date, Record]]:
    return [(anchor, r) for anchor, records in worlds for r in records if r["type"] == kind]


@cache
def places(zip_code: str) -> frozenset[tuple[str, str]]:
    """(city, state) pairs the zipcodes package knows for a ZIP."""
    return frozenset((m["city"].lower(), m["state"]) for m in zipcodes.matching(zip_code))


@cache
def mastercard_title(code: str) -> str:
    return str(iso18245.get_mcc(code).mastercard_description)


def amount(value: Record) -> Decimal:
    return Decimal(value["amount"])


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def test_every_record_type_has_a_thousand_samples(worlds: list[tuple[date, list[Record]]]) -> None:
    counts = Counter(r["type"] for _, records in worlds for r in records)
    assert {rt.name for rt in PACK.record_types} == set(counts)
    assert min(counts.values()) >= 1000, counts


def test_pack_validate_finds_nothing_in_generated_worlds(worlds: list[tuple[date, list[Record]]]) -> None:
    for _, records in worlds:
        assert PACK.validate(records) == []


def test_records_are_plain_json_with_id_and_type_first(worlds: list[tuple[date, list[Record]]]) -> None:
    def plain(value: Any) -> bool:
        if isinstance(value, dict):
            return all(isinstance(k, str) and plain(v) for k, v in value.items())
        if isinstance(value, list):
            return all(plain(v) for v in value)
        return value is None or isinstance(value, (str, int, float, bool))

    for _, records in worlds:
        for record in records[:3000]:
            assert list(record)[:2] == ["id", "type"]
            assert plain(record)


def test_people_are_fictional_and_consistent(worlds: list[tuple[date, list[Record]]]) -> None:
    for kind in ("customer", "advisor"):
        for anchor, person in by_type(worlds, kind):
            assert person["email"].rsplit("@", 1)[1] in ("example.com", "example.org", "example.net")
            assert PHONE.match(person["phone"])
            assert age_on(date.fromisoformat(person["birth_date"]), anchor) == person["age"]
            place = person["address"]
            assert (place["city"].lower(), place["state"]) in places(place["zip"])
    for anchor, customer in by_type(worlds, "customer"):
        assert SSN.match(customer["ssn_like"]) and 1 <= int(customer["ssn_like"][4:6]) <= 49
        assert age_on(date.fromisoformat(customer["birth_date"]), date.fromisoformat(customer["customer_since"])) >= 18
        assert date.fromisoformat(customer["customer_since"]) <= anchor
    assert all(28 <= a["age"] <= 67 for _, a in by_type(worlds, "advisor"))


def test_institutions_have_valid_routing_numbers_and_bics(worlds: list[tuple[date, list[Record]]]) -> None:
    for _, bank in by_type(worlds, "institution"):
        rtn.validate(bank["routing_number"])
        assert re.fullmatch(r"[A-Z]{4}US[A-Z0-9]{2}", bank["swift_bic"])
        assert pycountry.countries.get(alpha_2=bank["country"]) is not None
        assert (bank["address"]["city"].lower(), bank["address"]["state"]) in places(bank["address"]["zip"])
        assert bank["website"].endswith(".example.com")


def test_cards_are_luhn_valid_test_numbers_valid_past_the_anchor(worlds: list[tuple[date, list[Record]]]) -> None:
    names = {(c["id"], a): c["display_name"] for a, c in by_type(worlds, "customer")}
    accounts = {(acct["id"], a): acct for a, acct in by_type(worlds, "account")}
    for anchor, card in by_type(worlds, "card"):
        luhn.validate(card["number"])
        assert card["number"].startswith(TEST_BINS[card["network"]])
        assert len(card["number"]) == CARD_LENGTH.get(card["network"], 16)
        assert card["masked_number"].endswith(card["number"][-4:])
        assert date.fromisoformat(card["expiry_date"]) > anchor
        assert card["cardholder_name"] == names[(card["customer_id"], anchor)]
        assert accounts[(card["account_id"], anchor)]["kind"] in ("credit_card", "checking")


def test_accounts_follow_banking_rules(worlds: list[tuple[date, list[Record]]]) -> None:
    customers = {(c["id"], a): c for a, c in by_type(worlds, "customer")}
    kinds: Counter[str] = Counter()
    for anchor, account in by_type(worlds, "account"):
        kinds[account["kind"]] += 1
        owner = customers[(account["customer_id"], anchor)]
        born = date.fromisoformat(owner["birth_date"])
        opened = date.fromisoformat(account["opened_date"])
        assert age_on(born, opened) >= 18 and opened <= anchor
        assert pycountry.currencies.get(alpha_3=account["currency"]) is not None
        assert account["masked_number"] == "\u2022\u2022\u2022\u2022 " + account["account_number"][-4:]
        if account["country"] == "US":
            assert account["iban"] is None and account["currency"] == "USD"
        else:
            iban.validate(account["iban"])
            assert account["iban"][:2] == account["country"] == account["bic"][4:6]
            assert account["currency"] == ("GBP" if account["country"] == "GB" else "EUR")
        if account["kind"] == "mortgage":
            assert age_on(born, opened) >= 25
        if account["kind"] in ("mortgage", "loan"):
            maturity = date.fromisoformat(account["maturity_date"])
            assert age_on(born, maturity) <= 85 and maturity > anchor
            assert -amount(account["principal"]) <= amount(account["balance"]) < 0
        if account["kind"] == "credit_card":
            assert amount(account["balance"]) >= -amount(account["credit_limit"])
        if account["kind"] in ("checking", "savings"):
            assert amount(account["balance"]) >= 0
    assert set(kinds) == {"checking", "savings", "credit_card", "brokerage", "mortgage", "loan"}
    assert sum(1 for _, a in by_type(worlds, "account") if a["iban"]) >= 30


def test_every_account_reconciles_exactly(worlds: list[tuple[date, list[Record]]]) -> None:
    for anchor, records in worlds:
        lines: dict[str, list[Record]] = defaultdict(list)
        for r in records:
            if r["type"] == "transaction":
                lines[r["account_id"]].append(r)
        for account in (r for r in records if r["type"] == "account"):
            running = amount(account["opening_balance"])
            opened = date.fromisoformat(account["opened_date"])
            for line in sorted(lines[account["id"]], key=lambda t: t["sequence"]):
                posted = date.fromisoformat(line["posted_date"])
                assert opened <= posted <= anchor
                running += amount(line["amount"]) * (1 if line["direction"] == "credit" else -1)
                assert amount(line["running_balance"]) == running
                assert line["amount"]["currency"] == account["currency"]
            assert running == amount(account["balance"])


def test_money_displays_match_babel(worlds: list[tuple[date, list[Record]]]) -> None:
    for _, line in by_type(worlds, "transaction")[:4000]:
        for name in ("amount", "running_balance"):
            assert line[name] == common_money(line[name]["amount"], line[name]["currency"])


def test_transactions_use_real_mccs_and_plausible_amounts(worlds: list[tuple[date, list[Record]]]) -> None:
    codes = set()
    for _, line in by_type(worlds, "transaction"):
        assert line["direction"] in ("debit", "credit") and amount(line["amount"]) > 0
        if line["mcc"] is not None:
            codes.add(line["mcc"])
            assert mastercard_title(line["mcc"]) == line["mcc_description"]
            assert line["merchant"] in line["memo"]
        if line["mcc"] == "5814":
            assert Decimal(3) <= amount(line["amount"]) <= Decimal(12)
        if line["mcc"] == "5411":
            assert Decimal(20) <= amount(line["amount"]) <= Decimal(250)
        if line["category"] == "payroll":
            assert line["direction"] == "credit"
    assert len(codes) >= 25


def test_holdings_have_valid_isins_and_consistent_values(worlds: list[tuple[date, list[Record]]]) -> None:
    prices: dict[tuple[date, str], list[str]] = {}
    for anchor, holding in by_type(worlds, "holding"):
        isin.validate(holding["isin"])
        cusip.validate(holding["isin"][2:11])
        closes = [Decimal(p["close"]) for p in holding["price_history"]]
        assert len(closes) == 30 and min(closes) > 0
        last_day = date.fromisoformat(holding["price_history"][-1]["date"])
        assert last_day <= anchor and (anchor - last_day).days < 3
        assert amount(holding["market_value"]) == (closes[-1] * holding["quantity"]).quantize(Decimal("0.01"))
        change = ((closes[-1] - closes[0]) / closes[0] * 100).quantize(Decimal("0.1"))
        word = "up" if change > 0 else "down" if change < 0 else "flat"
        assert f"{word} {abs(change)}%" in holding["commentary"] or word == "flat"
        same = prices.setdefault((anchor, holding["ticker"]), [p["close"] for p in holding["price_history"]])
        assert same == [p["close"] for p in holding["price_history"]]


def test_alerts_agree_with_accounts(worlds: list[tuple[date, list[Record]]]) -> None:
    kinds: Counter[str] = Counter()
    for _, account in by_type(worlds, "account"):
        for alert in account["alerts"]:
            kinds[alert["kind"]] += 1
            if alert["kind"] == "low_balance":
                assert amount(account["balance"]) < amount(account["low_balance_threshold"])
                assert account["balance"]["display"] in alert["message"]
            if alert["kind"] == "payment_due":
                assert account["minimum_payment"]["display"] in alert["message"]
    assert set(kinds) == {"low_balance", "large_purchase", "payment_due"}


def test_text_is_clean_varied_and_grammatical(worlds: list[tuple[date, list[Record]]]) -> None:
    _, records = worlds[0]
    memos = [r["memo"] for r in records if r["type"] == "transaction"][:1000]
    notes = memos + [r["commentary"] for r in records if r["type"] == "holding"] + [
        a["message"] for r in records if r["type"] == "account" for a in r["alerts"]]
    for sentence in notes:
        assert not any(bad in sentence for bad in ("{", "}", "None", "  "))
        assert sentence[0].isupper() or (sentence[0] in "$\u00a3\u20ac" and sentence.endswith("."))
        assert not any(p.search(sentence) for p in ARTICLE_ERRORS), sentence
    assert len(set(memos)) / len(memos) > 0.97
