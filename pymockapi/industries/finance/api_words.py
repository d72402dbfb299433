"""Finance words an API description may use, for the binder (data only).

``RECORD_TYPES``: record type -> phrases naming it in paths, schema names,
operation ids and tags.  ``FIELDS``: record type -> field path -> phrases
naming that field.  ``DISPLAY``: how a record without a person's name is
named on screen.  Phrases are singular lower-case words.
"""

from __future__ import annotations

MAIN_TYPE = "customer"

RECORD_TYPES: dict[str, tuple[str, ...]] = {
    "customer": ("customer", "client", "user", "member", "person", "party", "account holder", "holder", "owner",
                 "employee", "payee", "recipient", "borrower", "individual", "contact", "profile", "me",
                 "consumer", "beneficiary", "worker", "billing info", "primary recipient", "invoicer"),
    "advisor": ("advisor", "adviser", "banker", "relationship manager", "agent", "planner", "representative",
                "officer", "manager"),
    "institution": ("institution", "bank", "branch", "financial institution", "organization", "organisation",
                    "company", "employer", "provider", "servicer", "issuer", "lender", "business"),
    "account": ("account", "wallet", "deposit account", "bank account", "ledger", "deposit", "loan", "mortgage",
                "savings", "checking", "fund", "pot", "balance"),
    "card": ("card", "credit card", "debit card", "payment card", "payment method", "instrument"),
    "transaction": ("transaction", "txn", "payment", "transfer", "charge", "invoice", "bill", "entry",
                    "posting", "activity", "movement", "statement line", "booking", "payslip", "pay run",
                    "payrun", "pay slip", "earning", "deduction", "reimbursement", "settlement", "remittance",
                    "refund", "order", "purchase", "line item", "item", "timesheet", "leave", "payout"),
    "holding": ("holding", "position", "investment", "security", "instrument holding", "asset", "stock",
                "share", "portfolio item", "lot"),
}

FIELDS: dict[str, dict[str, tuple[str, ...]]] = {
    "customer": {
        "customer_since": ("created", "since", "member since", "join date", "joined", "opened", "start date",
                           "onboarded", "creation", "client since", "registered"),
        "segment": ("segment", "tier", "customer type", "type", "category", "class", "level"),
        "kyc_status": ("kyc", "kyc status", "verification status", "verification", "identity status"),
        "risk_profile": ("risk", "risk profile", "risk level", "risk tolerance", "risk rating"),
        "credit_score": ("credit score", "score", "fico", "fico score", "credit rating"),
        "ssn_like": ("ssn", "social security number", "national insurance number", "ni number", "tax id",
                     "tin", "national id", "tax number", "nino", "national insurance"),
        "employer": ("employer", "company", "employer name", "company name", "organization"),
        "citizenship": ("citizenship", "nationality"),
        "status": ("status",),
        "advisor_id": ("advisor id", "adviser id", "manager id", "relationship manager id"),
    },
    "advisor": {
        "title": ("title", "job title", "position", "role", "designation"),
        "credentials": ("credential", "certification", "license", "qualification"),
        "employee_since": ("created", "since", "start date", "hire date", "hired", "employed since", "joined"),
        "branch": ("branch", "branch id", "office", "institution id"),
    },
    "institution": {
        "name": ("name", "bank name", "institution name", "legal name", "display name", "title", "trading name"),
        "routing_number": ("routing", "routing number", "aba", "aba routing", "aba number", "routing code",
                           "rtn", "bank code", "transit number", "clearing code"),
        "swift_bic": ("bic", "swift", "swift code", "swift bic", "bic code", "bic swift"),
        "charter": ("charter", "type", "kind", "institution type"),
        "founded": ("founded", "founded year", "established", "since"),
        "website": ("website", "url", "homepage", "web"),
        "total_assets": ("total asset", "asset", "asset size"),
    },
    "account": {
        "account_number": ("account number", "number", "account no", "acct number", "acct", "account num",
                           "bban", "account identifier", "accountno", "bank account number", "acc number"),
        "masked_number": ("masked number", "masked", "mask", "masked account number", "last 4", "last four",
                          "display number", "truncated number", "pan masked"),
        "product_name": ("product name", "product", "nickname", "account name", "name", "display name", "title",
                         "label", "plan", "plan name"),
        "kind": ("kind", "type", "account type", "subtype", "category", "account kind", "product type"),
        "iban": ("iban", "international bank account number", "iban number"),
        "bic": ("bic", "swift", "swift code", "swift bic", "bic code"),
        "balance": ("balance", "current balance", "available balance", "ledger balance", "amount", "value",
                    "account balance", "book balance", "cleared balance", "closing balance"),
        "opening_balance": ("opening balance", "starting balance", "initial balance", "start balance"),
        "currency": ("currency", "currency code", "iso currency code", "ccy"),
        "opened_date": ("opened", "open date", "opening date", "created", "creation", "start date", "since",
                        "date opened", "opened on"),
        "interest_rate": ("interest rate", "rate", "apr", "apy", "interest"),
        "credit_limit": ("credit limit", "limit", "overdraft limit"),
        "available_credit": ("available credit", "available", "available balance credit"),
        "status": ("status", "state", "account status"),
        "maturity_date": ("maturity", "maturity date", "matures"),
        "payment_due_date": ("due", "due date", "payment due", "payment due date", "next payment date"),
        "minimum_payment": ("minimum payment", "minimum due", "min payment"),
        "monthly_payment": ("monthly payment", "installment", "instalment", "payment amount"),
        "principal": ("principal", "loan amount", "original amount"),
        "institution_id": ("institution id", "bank id", "branch id"),
    },
    "card": {
        "number": ("pan", "card number", "number", "primary account number", "card no", "cardnumber"),
        "masked_number": ("masked number", "masked pan", "last 4", "last four", "masked", "display number",
                          "truncated pan", "last digit"),
        "cardholder_name": ("cardholder", "cardholder name", "name on card", "holder name", "embossed name",
                            "name"),
        "network": ("network", "brand", "scheme", "card brand", "card network", "card type"),
        "kind": ("kind", "type", "card kind", "funding", "funding type"),
        "expiry": ("expiry", "expiration", "exp", "expiry month year", "valid thru", "expires"),
        "expiry_date": ("expiry date", "expiration date", "expires at", "expires on", "exp date", "valid until"),
        "issued_date": ("issued", "issue date", "created", "issued on", "activated"),
        "status": ("status", "state", "card status"),
    },
    "transaction": {
        "amount": ("amount", "value", "total", "transaction amount", "sum", "net amount", "gross amount",
                   "total amount", "due amount", "amount due", "net pay", "gross pay", "payment amount", "price"),
        "running_balance": ("running balance", "balance", "balance after", "resulting balance",
                            "available balance"),
        "posted_date": ("posted", "posted date", "date", "booking date", "value date", "transaction date",
                        "created", "settled", "settlement date", "booked", "invoice date", "payment date",
                        "issue date", "period start", "paid", "time", "timestamp", "when"),
        "description": ("description", "narrative", "details", "statement description", "remittance",
                        "reference", "title", "name", "label", "summary"),
        "memo": ("memo", "note", "notes", "comment", "remark", "message", "purpose", "term"),
        "merchant": ("merchant", "merchant name", "counterparty", "payee", "creditor", "vendor", "store",
                     "shop", "business name", "counterparty name", "beneficiary name", "seller"),
        "mcc": ("mcc", "merchant category code", "category code", "merchant code", "sic"),
        "mcc_description": ("mcc description", "merchant category", "category description"),
        "category": ("category", "spending category", "budget category", "classification", "type", "kind"),
        "direction": ("direction", "credit debit indicator", "credit debit", "indicator", "sign", "flow"),
        "channel": ("channel", "method", "payment method", "rail", "transaction type", "medium"),
        "sequence": ("sequence", "seq", "sequence number", "line number", "index", "position"),
        "status": ("status", "state", "transaction status"),
        "account_id": ("account id", "account reference"),
        "card_id": ("card id",),
    },
    "holding": {
        "name": ("name", "security name", "instrument name", "company name", "issuer name", "title",
                 "description", "display name"),
        "ticker": ("ticker", "symbol", "ticker symbol", "stock symbol"),
        "isin": ("isin", "isin code", "security id", "security identifier", "instrument id"),
        "sector": ("sector", "industry", "gics sector", "asset class", "category"),
        "quantity": ("quantity", "qty", "share", "unit", "number of share", "position size", "holding"),
        "average_cost": ("average cost", "avg cost", "cost per share", "average price", "unit cost"),
        "cost_basis": ("cost basis", "cost", "book value", "invested"),
        "last_price": ("last price", "price", "current price", "market price", "close", "quote"),
        "market_value": ("market value", "value", "current value", "amount", "balance", "worth"),
        "unrealised_gain": ("unrealised gain", "unrealized gain", "gain", "gain loss", "profit loss", "pnl",
                            "unrealized pnl", "return"),
        "change_percent": ("change percent", "change", "percent change", "pct change", "performance"),
        "commentary": ("commentary", "note", "comment", "summary", "insight"),
    },
}

DISPLAY: dict[str, str] = {
    "account": "{product_name} {masked_number}",
    "card": "{network} {masked_number}",
    "transaction": "{description}",
    "holding": "{name}",
}

#: Creating a transaction through an API posts it to the ledger with a verb (a bare row would not reconcile):
#: a word of the operation picks the verb, else the default.
CREATE_VERBS: dict[str, dict[str, str]] = {
    "transaction": {"payment": "spend", "purchase": "spend", "charge": "spend", "withdraw": "spend",
                    "debit": "spend", "spend": "spend", "deposit": "deposit", "credit": "deposit",
                    "default": "deposit"},
}

#: A record an API creates starts as a copy of a sibling; these fields make the copy new (an account
#: opened today has no transactions yet, so its balance is its opening balance and it has no alerts).
NEW_RECORDS: dict[str, dict[str, dict[str, object]]] = {
    "account": {"copy": {"balance": "opening_balance"}, "set": {"alerts": []}},
}

#: A verb an API write runs -> its arguments -> the request property words that carry each.
VERB_ARGUMENTS: dict[str, dict[str, tuple[str, ...]]] = {
    "deposit": {"amount": ("amount", "value", "total", "sum"),
                "memo": ("memo", "description", "note", "reference", "narrative")},
    "spend": {"amount": ("amount", "value", "total", "sum"),
              "merchant": ("merchant", "payee", "counterparty", "creditor", "name"),
              "mcc": ("mcc", "category code", "merchant category")},
}
