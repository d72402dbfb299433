"""The record types of the retail pack (names and id prefixes are part of the API)."""

from __future__ import annotations

from pymockapi.industries.records import RecordType

SHOPPER = RecordType("shopper", "shp", persona=True, default_count=40)
STORE = RecordType("store", "store", persona=True, default_count=5)
PRODUCT = RecordType("product", "prod", default_count=60)
CART = RecordType("cart", "cart", owner_field="shopper_id")
ORDER = RecordType("order", "ord", owner_field="shopper_id")
SHIPMENT = RecordType("shipment", "ship", owner_field="shopper_id")
RETURN = RecordType("return", "ret", owner_field="shopper_id")
REVIEW = RecordType("review", "rev", owner_field="shopper_id")

RECORD_TYPES: tuple[RecordType, ...] = (SHOPPER, STORE, PRODUCT, CART, ORDER, SHIPMENT, RETURN, REVIEW)
