"""A customer's book: accounts, cards, statement transactions and holdings.

Accounts are planned first (which products this customer plausibly has for
their age and segment), then liabilities are statemented because the
checking account pays them, then the checking account absorbs those
payments and picks an opening balance that keeps it above water.  Every
balance is posted through :mod:`ledger`, so it reconciles by construction.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal
from typing import Any

from pymockapi.industries.calendars import Calendar, is_business_day, roll
from pymockapi.industries.finance import text
from pymockapi.industries.finance.calendar import add_months, add_years, day_between, monthly, months_between
from pymockapi.industries.finance.data import (
    ADULT_AGE,
    BILL_CATEGORIES,
    BROKERAGE_SHARE,
    CARD_APR,
    CARD_TIERS,
    CATEGORY_BY_KEY,
    COMPANIES,
    COMPANY_BY_TICKER,
    COUNTRY_CURRENCY,
    CREDIT_CARD_SHARE,
    CREDIT_LIMIT_STEP,
    CREDIT_LIMITS,
    DEBIT_NETWORKS,
    EVERYDAY_CATEGORIES,
    FOREIGN_PRODUCT,
    LOAN_PRINCIPAL,
    LOAN_PRODUCTS,
    LOAN_PURPOSES,
    LOAN_RATES,
    LOAN_SHARE,
    LOAN_TERMS_MONTHS,
    LOW_BALANCE_THRESHOLDS,
    MATURITY_MAX_AGE,
    MORTGAGE_MIN_AGE,
    MORTGAGE_PRINCIPAL,
    MORTGAGE_RATE,
    MORTGAGE_SHARE,
    MORTGAGE_TERMS_YEARS,
    NETWORK_BY_NAME,
    NETWORKS,
    OCCASIONAL_CATEGORIES,
    PAYROLL_GROSS,
    PRODUCT_NAMES,
    RENT_SHARE,
    SAVINGS_APY,
    SAVINGS_SHARE,
    SEGMENT_INCOME,
    SEGMENT_WEALTH,
    STATEMENT_WINDOW_DAYS,
    Category,
)
from pymockapi.industries.finance.identifiers import bank_code, bban, bic, card_number, digits, iban, isin_for, mask
from pymockapi.industries.finance.kinds import ACCOUNT, CARD, HOLDING, INSTITUTION, TRANSACTION
from pymockapi.industries.finance.ledger import (
    Entry,
    alerts_for,
    lowest_balance,
    monthly_payment,
    outstanding_after,
    post,
    sum_signed,
)
from pymockapi.industries.finance.market import change_percent, history_rows, price_history
from pymockapi.industries.finance.people import institution_name
from pymockapi.industries.money import ZERO, cents, money
from pymockapi.industries.seeding import GenContext

Record = dict[str, Any]
CARD_MINIMUM_OWED = Decimal(100)
CARD_MINIMUM_PAYMENT = Decimal(25)
CHECKING_FLOOR = Decimal(5)
LOW_BALANCE_SHARE = 25

ACCOUNT_FIELDS = ("product_name", "institution_id", "status", "country", "currency", "account_number",
                  "masked_number", "iban", "bic", "opened_date", "period_start", "opening_balance", "balance",
                  "interest_rate", "credit_limit", "available_credit", "principal", "term_months",
                  "maturity_date", "monthly_payment", "minimum_payment", "payment_due_date",
                  "low_balance_threshold", "holdings_value", "alerts")


def triangular(rng: random.Random, category: Category) -> Decimal:
    """An amount shaped like the category's real spending (most near the mode)."""
    value = rng.triangular(float(category.low), float(category.high), float(category.mode))
    return Decimal(f"{value:.2f}")


def uniform(rng: random.Random, low: Decimal, high: Decimal) -> Decimal:
    return Decimal(f"{rng.uniform(float(low), float(high)):.2f}")


def rate(rng: random.Random, bounds: tuple[Decimal, Decimal]) -> Decimal:
    """An annual percentage rate in ``bounds``, to the nearest 0.05."""
    steps = int((bounds[1] - bounds[0]) / Decimal("0.05"))
    return bounds[0] + Decimal("0.05") * rng.randint(0, steps)


@dataclass
class Book:
    """Everything one customer owns while it is being built."""

    gen: GenContext
    index: int
    customer: Record
    rng: random.Random
    born: date
    since: date
    wealth: Decimal
    income: Decimal
    window_start: date
    institution: int
    accounts: list[Record] = field(default_factory=list)
    entries: dict[str, list[Entry]] = field(default_factory=dict)
    openings: dict[str, Decimal] = field(default_factory=dict)
    cards: list[Record] = field(default_factory=list)
    holdings: list[Record] = field(default_factory=list)
    payments_out: list[Entry] = field(default_factory=list)

    @property
    def anchor(self) -> date:
        return self.gen.anchor

    def new_account(self, kind: str, product: str, opened: date, country: str = "US") -> Record:
        """An account shell with its identifiers; the statement fills in the money."""
        account_id = ACCOUNT.owned_id(self.index, len(self.accounts) + 1)
        rng = self.rng
        institution = self.institution
        record: Record = {"id": account_id, "type": ACCOUNT.name, "customer_id": self.customer["id"],
                          "kind": kind, **dict.fromkeys(ACCOUNT_FIELDS)}
        record.update(product_name=product, institution_id=INSTITUTION.entity_id(institution), status="open",
                      country=country, currency=COUNTRY_CURRENCY[country], opened_date=opened.isoformat(),
                      period_start=max(opened, self.window_start).isoformat(), alerts=[])
        if country == "US":
            record["account_number"] = str(rng.randint(1, 9)) + digits(rng, rng.choice((9, 10, 11)))
        else:
            code = bank_code(institution_name(self.gen, institution))
            domestic = bban(rng, country, code)
            record.update(account_number=domestic[-8:] if country != "DE" else domestic[-10:],
                          iban=iban(country, domestic), bic=bic(code, country))
        record["masked_number"] = mask(record["account_number"])
        self.accounts.append(record)
        self.entries[account_id] = []
        return record

    def add(self, account: Record, entry: Entry) -> None:
        self.entries[account["id"]].append(entry)

    def window(self, account: Record) -> tuple[date, date]:
        return date.fromisoformat(account["period_start"]), self.anchor

    def banking_day(self, account: Record, day: date) -> date:
        """When an item due on ``day`` posts: the next banking day, or the one before at the window's end."""
        start, end = self.window(account)
        return roll(day, Calendar.BANK, earliest=start, latest=end)


def entry(posted: date, direction: str, amount: Decimal, channel: str, category: str, memo: str,
          merchant: str | None = None, mcc: Category | None = None, card_id: str | None = None,
          description: str = "", order: int = 0) -> Entry:
    """A statement line with the same fields whatever its kind, so exports have stable columns."""
    return Entry(posted, direction, amount, {
        "channel": channel, "category": category, "merchant": merchant,
        "mcc": mcc.mcc if mcc else None, "mcc_description": mcc.mcc_description if mcc else None,
        "card_id": card_id, "description": (description or merchant or category).upper(), "memo": memo,
    }, order)


def purchase(book: Book, rng: random.Random, day: date, category: Category, card_id: str | None,
             currency: str, order: int = 0) -> Entry:
    """A card purchase at a believable merchant of the category, with its memo."""
    merchant = rng.choice(category.merchants)
    amount = triangular(rng, category)
    city = book.customer["address"]
    memo = text.fill(rng, text.PURCHASE_MEMOS, amount=money(amount, currency)["display"], label=category.label,
                     label_cap=category.label.capitalize(), merchant=merchant, when=day)
    return entry(day, "debit", amount, "card", category.label, memo, merchant, category, card_id,
                 f"{merchant} {city['city']} {city['state']}", order)


def spending(book: Book, account: Record, card_id: str | None, count: tuple[int, int]) -> None:
    """Everyday and occasional card purchases over the statement window."""
    rng = book.rng
    start, end = book.window(account)
    for _ in range(rng.randint(*count)):
        pool = OCCASIONAL_CATEGORIES if rng.random() < 0.15 else EVERYDAY_CATEGORIES
        book.add(account, purchase(book, rng, day_between(rng, start, end), CATEGORY_BY_KEY[rng.choice(pool)],
                                   card_id, account["currency"]))


def liability_payment(book: Book, account: Record, day: date, amount: Decimal, templates: tuple[str, ...],
                      order: int) -> None:
    """A payment credited to a liability and the matching debit from checking."""
    rng = book.rng
    slots: dict[str, object] = {"amount": money(amount)["display"], "label": text.ACCOUNT_LABELS[account["kind"]]}
    book.add(account, entry(day, "credit", amount, "transfer", "payment", text.fill(rng, templates, day, **slots),
                            description="payment received", order=order))
    target = f"{text.ACCOUNT_LABELS[account['kind']]} {account['masked_number']}"
    memo = text.fill(rng, text.OUTGOING_PAYMENT_MEMOS, day, target=target, **slots)
    book.payments_out.append(entry(day, "debit", amount, "transfer", f"{text.ACCOUNT_LABELS[account['kind']]} payment",
                                   memo, description=f"payment to {target}", order=order))


def credit_card(book: Book) -> None:
    """A credit card with purchases, a monthly payment from checking and a limit it respects."""
    opened = day_between(book.rng, book.since, book.anchor - timedelta(days=45))
    network = book.rng.choice(NETWORKS)
    account = book.new_account("credit_card", f"{network.name} {book.rng.choice(CARD_TIERS)}", opened)
    rng = book.rng
    low, high = CREDIT_LIMITS[book.customer["segment"]]
    limit = CREDIT_LIMIT_STEP * rng.randint(low, high)
    card = issue_card(book, account, network.name, "credit")
    spending(book, account, card["id"], (2, 5))
    start, end = book.window(account)
    # At least $100 owed at the start and never more than 95% paid: the card always carries a balance.
    opening = -(CARD_MINIMUM_OWED + cents(limit * Decimal(f"{rng.uniform(0, 0.3):.4f}")))
    for scheduled in monthly(add_months(opened, 1, rng.randint(1, 28)), start, end):
        due = book.banking_day(account, scheduled)
        owed = -(opening + sum_signed(e for e in book.entries[account["id"]] if e.posted < due))
        pay = max(minimum_card_payment(owed), cents(owed * Decimal(f"{rng.uniform(0.2, 0.95):.4f}")))
        liability_payment(book, account, due, pay, text.CARD_PAYMENT_MEMOS, 1)
    deepest = -(opening + lowest_balance(book.entries[account["id"]]))
    limit = max(limit, CREDIT_LIMIT_STEP * (deepest / CREDIT_LIMIT_STEP).to_integral_value(rounding=ROUND_CEILING))
    account.update(interest_rate=str(rate(rng, CARD_APR)), credit_limit=money(limit))
    book.openings[account["id"]] = opening


def issue_card(book: Book, account: Record, network_name: str, kind: str) -> Record:
    """A plastic card for the account, numbered from a public test BIN, valid past the anchor date."""
    rng = book.rng
    number = card_number(rng, NETWORK_BY_NAME[network_name])
    opened = date.fromisoformat(account["opened_date"])
    issued = day_between(rng, max(opened, book.anchor - timedelta(days=900)), book.anchor)
    expires = add_months(issued, rng.choice((36, 48)), 31)
    card: Record = {
        "id": CARD.owned_id(book.index, len(book.cards) + 1), "type": CARD.name,
        "customer_id": book.customer["id"], "account_id": account["id"], "kind": kind,
        "network": network_name, "number": number, "masked_number": mask(number),
        "cardholder_name": book.customer["display_name"], "issued_date": issued.isoformat(),
        "expiry": f"{expires:%m/%y}", "expiry_date": expires.isoformat(), "status": "active",
    }
    book.cards.append(card)
    return card


def checking(book: Book) -> Record:
    """The everyday account; its statement is written last because it pays the others."""
    segment = book.customer["segment"]
    account = book.new_account("checking", PRODUCT_NAMES["checking"][segment], book.since)
    issue_card(book, account, book.rng.choice(DEBIT_NETWORKS), "debit")
    return account


def fill_checking(book: Book, account: Record, has_mortgage: bool) -> None:
    """Payroll in; rent, bills, purchases and payments to other accounts out; never overdrawn."""
    rng = book.rng
    start, end = book.window(account)
    currency = account["currency"]
    employer = book.customer["employer"]
    pay = cents(uniform(rng, *PAYROLL_GROSS) * book.income)
    payday = start + timedelta(days=rng.randint(0, 13))
    while payday <= end:
        paid = book.banking_day(account, payday)
        memo = text.fill(rng, text.PAYROLL_MEMOS, amount=money(pay, currency)["display"], employer=employer,
                         when=paid)
        book.add(account, entry(paid, "credit", pay, "ach", "payroll", memo, description=f"payroll {employer}"))
        payday += timedelta(days=14)
    if not has_mortgage and rng.randrange(100) < RENT_SHARE:
        rent_category = CATEGORY_BY_KEY["rent"]
        landlord = rng.choice(rent_category.merchants)
        rent = cents(triangular(rng, rent_category) * (1 + (book.income - 1) / 3))
        for scheduled in monthly(date(start.year - 1, 1, rng.randint(1, 5)), start, end):
            due = book.banking_day(account, scheduled)
            memo = text.fill(rng, text.RENT_MEMOS, amount=money(rent, currency)["display"], merchant=landlord, when=due)
            book.add(account, entry(due, "debit", rent, "ach", rent_category.label, memo, landlord, rent_category))
    card_id = next(c["id"] for c in book.cards if c["account_id"] == account["id"])
    for key in rng.sample(BILL_CATEGORIES, 2):
        category = CATEGORY_BY_KEY[key]
        merchant = rng.choice(category.merchants)
        amount = triangular(rng, category)
        for scheduled in monthly(date(start.year - 1, 1, rng.randint(6, 28)), start, end):
            due = book.banking_day(account, scheduled)
            memo = text.fill(rng, text.BILL_MEMOS, amount=money(amount, currency)["display"], merchant=merchant,
                             label=category.label, when=due)
            book.add(account, entry(due, "debit", amount, "card", category.label, memo, merchant, category, card_id))
    spending(book, account, card_id, (2, 6))
    book.entries[account["id"]].extend(book.payments_out)
    lines = book.entries[account["id"]]
    if rng.randrange(100) < LOW_BALANCE_SHARE:
        # A stretched month: money sent out on the last day leaves the account low, never overdrawn.
        opening = CHECKING_FLOOR - lowest_balance(lines)
        target = uniform(rng, Decimal(15), Decimal(240))
        sweep = max(Decimal(1), opening + sum_signed(lines) - target)
        last_day = roll(end, Calendar.BANK, forward=False, earliest=start)
        memo = text.fill(rng, text.TRANSFER_OUT_MEMOS, last_day, amount=money(sweep, currency)["display"],
                         last4=digits(rng, 4))
        lines.append(entry(last_day, "debit", sweep, "transfer", "transfer", memo, description="transfer out", order=9))
        book.openings[account["id"]] = opening
    else:
        cushion = uniform(rng, Decimal(400), Decimal(6000) * book.wealth)
        book.openings[account["id"]] = cushion - lowest_balance(lines)
    account["low_balance_threshold"] = money(rng.choice(LOW_BALANCE_THRESHOLDS), currency)


def savings(book: Book, product: str, country: str = "US") -> None:
    """A savings account earning monthly interest, with the odd deposit."""
    opened = day_between(book.rng, book.since, book.anchor - timedelta(days=30))
    account = book.new_account("savings", product, opened, country)
    rng = book.rng
    start, end = book.window(account)
    currency = account["currency"]
    apy = rate(rng, SAVINGS_APY)
    opening = uniform(rng, Decimal(500), Decimal(30000) * book.wealth)
    label = text.ACCOUNT_LABELS["savings"]
    for _ in range(rng.randint(0, 1)):
        day = book.banking_day(account, day_between(rng, start, end))
        amount = uniform(rng, Decimal(100), Decimal(2500) * book.income)
        memo = text.fill(rng, text.DEPOSIT_MEMOS, amount=money(amount, currency)["display"], label=label, when=day)
        book.add(account, entry(day, "credit", amount, "deposit", "deposit", memo, description="deposit"))
    for month_end in monthly(date(start.year - 1, 1, 31), start, end):
        balance = opening + sum_signed(e for e in book.entries[account["id"]] if e.posted <= month_end)
        interest = cents(balance * apy / 1200)
        memo = text.fill(rng, text.INTEREST_EARNED_MEMOS, amount=money(interest, currency)["display"], rate=apy,
                         when=month_end)
        book.add(account, entry(month_end, "credit", interest, "interest", "interest", memo,
                                description="interest paid", order=1))
    account.update(interest_rate=str(apy), low_balance_threshold=money(rng.choice(LOW_BALANCE_THRESHOLDS), currency))
    book.openings[account["id"]] = opening


def amortising(book: Book, kind: str, product: str, opened: date, principal: Decimal, apr: Decimal,
               months: int) -> None:
    """A mortgage or loan: monthly interest charged, level payments from checking."""
    account = book.new_account(kind, product, opened)
    rng = book.rng
    start, end = book.window(account)
    payment = cents(monthly_payment(principal, apr, months))
    first_due = add_months(opened, 1)
    outstanding = cents(outstanding_after(principal, apr, payment, months_between(first_due, start)))
    book.openings[account["id"]] = -outstanding
    for scheduled in monthly(first_due, start, end):
        due = book.banking_day(account, scheduled)
        interest = cents(outstanding * apr / 1200)
        memo = text.fill(rng, text.INTEREST_CHARGED_MEMOS, amount=money(interest)["display"], rate=apr, when=due)
        book.add(account, entry(due, "debit", interest, "interest", "interest", memo, description="interest charged"))
        liability_payment(book, account, due, payment, text.LOAN_PAYMENT_MEMOS, 1)
        outstanding += interest - payment
    next_due = monthly(first_due, book.anchor + timedelta(days=1), book.anchor + timedelta(days=40))[0]
    account.update(interest_rate=str(apr), principal=money(principal), term_months=months,
                   maturity_date=add_months(opened, months).isoformat(), monthly_payment=money(payment),
                   minimum_payment=money(payment), payment_due_date=next_due.isoformat())


def mortgage(book: Book) -> bool:
    """A home loan, only when the customer was 25+ at signing and is paid off by 85."""
    rng = book.rng
    segment = book.customer["segment"]
    if rng.randrange(100) >= MORTGAGE_SHARE[segment]:
        return False
    options = []
    for years in MORTGAGE_TERMS_YEARS:
        first = max(book.since, add_years(book.born, MORTGAGE_MIN_AGE),
                    add_years(book.anchor, -years) + timedelta(days=400))
        last = min(book.anchor - timedelta(days=90), add_years(book.born, MATURITY_MAX_AGE - years))
        if first <= last:
            options.append((years, first, last))
    if not options:
        return False
    years, first, last = rng.choice(options)
    low, high = MORTGAGE_PRINCIPAL[segment]
    principal = cents(uniform(rng, low, high).quantize(Decimal(1000)))
    amortising(book, "mortgage", PRODUCT_NAMES["mortgage"][segment], day_between(rng, first, last), principal,
               rate(rng, MORTGAGE_RATE), years * 12)
    return True


def loan(book: Book) -> None:
    """An auto, personal or student loan that ends before the customer turns 85."""
    rng = book.rng
    purpose = rng.choice(LOAN_PURPOSES)
    months = rng.choice(LOAN_TERMS_MONTHS[purpose])
    first = max(book.since, add_years(book.born, ADULT_AGE), add_months(book.anchor, 3 - months))
    last = min(book.anchor - timedelta(days=45), add_months(add_years(book.born, MATURITY_MAX_AGE), -months))
    if first > last:
        return
    low, high = LOAN_PRINCIPAL[purpose]
    principal = cents(uniform(rng, low, high).quantize(Decimal(100)))
    amortising(book, "loan", LOAN_PRODUCTS[purpose], day_between(rng, first, last), principal,
               rate(rng, LOAN_RATES[purpose]), months)


def brokerage(book: Book) -> None:
    """An investment account: a few holdings on the world's market, dividends paid in cash."""
    opened = day_between(book.rng, book.since, book.anchor - timedelta(days=60))
    account = book.new_account("brokerage", PRODUCT_NAMES["brokerage"][book.customer["segment"]], opened)
    rng = book.rng
    start, _ = book.window(account)
    total = ZERO
    for company in rng.sample(COMPANIES, rng.randint(2, 5)):
        history = price_history(book.gen, company.ticker)
        first = history[0][1]
        quantity = max(1, int(uniform(rng, Decimal(1500), Decimal(20000) * book.wealth) / first))
        holding = holding_record(book, account, company.ticker, quantity,
                                 cents(first * Decimal(f"{rng.uniform(0.7, 1.1):.4f}")), history, rng)
        total += Decimal(holding["market_value"]["amount"])
        paydays = [(day, price) for day, price in history
                   if date.fromisoformat(day) >= start and is_business_day(date.fromisoformat(day), Calendar.BANK)]
        if company.dividend_yield and paydays and rng.random() < 0.6:
            day, price = rng.choice(paydays)
            amount = cents(quantity * price * company.dividend_yield / 400)
            posted = date.fromisoformat(day)
            payer = f"{company.name} ({company.ticker})"
            memo = text.fill(rng, text.DIVIDEND_MEMOS, amount=money(amount)["display"], merchant=payer, when=posted)
            book.add(account, entry(posted, "credit", amount, "dividend", "dividend", memo, payer,
                                    description=f"dividend {company.ticker}"))
    account["holdings_value"] = money(total)
    book.openings[account["id"]] = uniform(rng, Decimal(200), Decimal(6000) * book.wealth)


def holding_record(book: Book, account: Record, ticker: str, quantity: int, average_cost: Decimal,
                   history: tuple[tuple[str, Decimal], ...], rng: random.Random) -> Record:
    """A position priced off the market's history, with commentary about its move."""
    record: Record = {
        "id": HOLDING.owned_id(book.index, len(book.holdings) + 1), "type": HOLDING.name,
        "customer_id": book.customer["id"], "account_id": account["id"],
    }
    record.update(price_holding(ticker, quantity, average_cost, history, rng))
    book.holdings.append(record)
    return record


def price_holding(ticker: str, quantity: int, average_cost: Decimal, history: tuple[tuple[str, Decimal], ...],
                  rng: random.Random) -> Record:
    """Every field of a holding that follows from its quantity, cost and price history."""
    company = COMPANY_BY_TICKER[ticker]
    first, last = history[0][1], history[-1][1]
    value = cents(last * quantity)
    cost = cents(average_cost * quantity)
    move = change_percent(first, last)
    return {
        "name": company.name, "ticker": ticker, "isin": isin_for(ticker), "sector": company.sector,
        "quantity": quantity, "average_cost": money(average_cost), "cost_basis": money(cost),
        "last_price": money(last), "market_value": money(value), "unrealised_gain": money(value - cost),
        "change_percent": f"{move}", "price_history": history_rows(history),
        "commentary": text.fill(rng, text.COMMENTARY, name=company.name, ticker=ticker,
                                move=text.move_text(move), days=len(history), price=money(last)["display"],
                                quantity=quantity, value=money(value)["display"]),
    }


def book_records(gen: GenContext, index: int, customer: Record) -> list[Record]:
    """The customer's accounts, cards, transactions and holdings, in that order."""
    segment = customer["segment"]
    rng = gen.rng("customer", index, "book")
    book = Book(gen, index, customer, rng, date.fromisoformat(customer["birth_date"]),
                date.fromisoformat(customer["customer_since"]), SEGMENT_WEALTH[segment], SEGMENT_INCOME[segment],
                gen.anchor - timedelta(days=STATEMENT_WINDOW_DAYS - 1),
                gen.pick_index(INSTITUTION.name, "customer", index))
    main = checking(book)
    if rng.randrange(100) < SAVINGS_SHARE:
        savings(book, PRODUCT_NAMES["savings"][segment])
    if rng.randrange(100) < CREDIT_CARD_SHARE:
        credit_card(book)
    has_mortgage = mortgage(book)
    if rng.randrange(100) < LOAN_SHARE:
        loan(book)
    if rng.randrange(100) < BROKERAGE_SHARE[segment]:
        brokerage(book)
    if customer["citizenship"] in COUNTRY_CURRENCY and customer["citizenship"] != "US":
        savings(book, FOREIGN_PRODUCT, customer["citizenship"])
    fill_checking(book, main, has_mortgage)
    transactions = close_books(book)
    return [*book.accounts, *book.cards, *transactions, *book.holdings]


def minimum_card_payment(owed: Decimal) -> Decimal:
    """2% of what is owed, at least $25 (or everything when less is owed)."""
    return max(min(owed, CARD_MINIMUM_PAYMENT), cents(owed * Decimal("0.02")))


def close_books(book: Book) -> list[Record]:
    """Post every account's entries, set its balances and alerts, number its transactions."""
    transactions: list[Record] = []
    for account in book.accounts:
        opening = book.openings[account["id"]]
        posted, closing = post(book.entries[account["id"]], opening, account["currency"])
        own: list[Record] = []
        for line in posted:
            own.append({"id": TRANSACTION.owned_id(book.index, len(transactions) + len(own) + 1),
                        "type": TRANSACTION.name, "customer_id": book.customer["id"],
                        "account_id": account["id"], **line})
        account.update(opening_balance=money(opening, account["currency"]),
                       balance=money(closing, account["currency"]))
        if account["kind"] == "credit_card":
            account["available_credit"] = money(Decimal(account["credit_limit"]["amount"]) + closing)
            due = book.anchor + timedelta(days=book.rng.randint(3, 25))
            account.update(minimum_payment=money(minimum_card_payment(-closing)), payment_due_date=due.isoformat())
        account["alerts"] = alerts_for(account, own)
        transactions.extend(own)
    return transactions
