"""The record types of the finance pack (names and id prefixes are part of the API)."""

from __future__ import annotations

from pymockapi.industries.records import RecordType

CUSTOMER = RecordType("customer", "cus", persona=True, default_count=30)
ADVISOR = RecordType("advisor", "adv", persona=True, default_count=4)
INSTITUTION = RecordType("institution", "inst", persona=True, default_count=3)
ACCOUNT = RecordType("account", "acct", owner_field="customer_id")
CARD = RecordType("card", "card", owner_field="customer_id")
TRANSACTION = RecordType("transaction", "txn", owner_field="customer_id")
HOLDING = RecordType("holding", "hold", owner_field="customer_id")

RECORD_TYPES: tuple[RecordType, ...] = (CUSTOMER, ADVISOR, INSTITUTION, ACCOUNT, CARD, TRANSACTION, HOLDING)
