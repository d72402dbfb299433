"""Retail words an API description may use, for the binder (data only).

``RECORD_TYPES``: record type -> phrases naming it in paths, schema names,
operation ids and tags.  ``FIELDS``: record type -> field path -> phrases
naming that field.  ``DISPLAY``: how a record without a person's name is
named on screen.  Phrases are singular lower-case words.
"""

from __future__ import annotations

MAIN_TYPE = "shopper"

RECORD_TYPES: dict[str, tuple[str, ...]] = {
    "shopper": ("shopper", "customer", "buyer", "user", "member", "client", "person", "consumer", "account",
                "profile", "me", "buyer info", "contact", "recipient", "shipping address holder", "loyalty member"),
    "store": ("store", "shop", "location", "outlet", "branch", "retailer", "seller", "merchant", "warehouse",
              "marketplace", "fulfillment center", "pickup point", "site", "channel", "sales channel"),
    "product": ("product", "item", "sku", "article", "catalog item", "catalog", "offer", "listing", "variant",
                "good", "merchandise", "pet", "brand", "category", "collection", "inventory", "stock", "price",
                "specification", "attribute", "image", "product variant"),
    "cart": ("cart", "basket", "bag", "shopping cart", "checkout", "wishlist"),
    "order": ("order", "purchase", "sale", "purchase order", "sales order", "checkout order", "transaction",
              "invoice", "receipt", "order item", "order line", "fulfillment", "line item", "order line item"),
    "shipment": ("shipment", "delivery", "parcel", "package", "consignment", "tracking", "fulfillment order",
                 "shipping", "dispatch"),
    "return": ("return", "refund", "rma", "return request", "exchange"),
    "review": ("review", "rating", "feedback", "testimonial", "comment", "product review"),
}

FIELDS: dict[str, dict[str, tuple[str, ...]]] = {
    "shopper": {
        "tier": ("tier", "loyalty tier", "level", "membership level", "segment", "status level", "rank"),
        "points": ("point", "loyalty point", "reward point", "balance point", "reward"),
        "member_since": ("member since", "created", "since", "join date", "joined", "registered", "signup",
                         "sign up", "creation"),
        "preferred_store_id": ("preferred store id", "store id", "home store id", "favorite store id"),
    },
    "store": {
        "name": ("name", "store name", "display name", "title", "location name", "shop name"),
        "brand": ("brand", "chain", "banner", "company"),
        "format": ("format", "type", "kind", "store type", "category"),
        "opened_on": ("opened", "opened on", "open date", "created", "since"),
        "square_feet": ("square feet", "sqft", "size", "area", "floor area"),
        "opening_hours": ("opening hour", "hour", "business hour", "opening time", "schedule"),
        "manager": ("manager", "store manager", "contact person"),
    },
    "product": {
        "name": ("name", "title", "product name", "display name", "label", "item name", "product title",
                 "product"),
        "sku": ("sku", "stock keeping unit", "sku id", "item code", "product code", "seller sku", "article number",
                "ref id", "part number", "mpn", "model number", "style number"),
        "gtin13": ("gtin", "gtin13", "gtin 13", "ean", "ean13", "ean 13", "barcode", "bar code",
                   "international article number", "upc ean", "product code gtin", "global trade item number",
                   "gtin code", "ean code"),
        "upc_a": ("upc", "upc a", "upc code", "universal product code", "upca"),
        "price": ("price", "unit price", "list price", "sale price", "retail price", "cost", "amount",
                  "selling price", "base price", "item price", "msrp", "current price"),
        "brand": ("brand", "brand name", "manufacturer", "maker", "vendor", "make", "label brand"),
        "category": ("category", "category name", "department", "product type", "type", "kind", "group",
                     "product category", "classification"),
        "item": ("item", "item type", "product kind", "subcategory", "sub category"),
        "description": ("description", "details", "long description", "summary", "body", "body html",
                        "product description", "text", "blurb", "copy"),
        "attributes.material": ("material", "fabric", "composition"),
        "attributes.colour": ("color", "colour", "color name", "shade"),
        "attributes.size": ("size", "dimension", "size name"),
        "attributes.weight_g": ("weight", "shipping weight", "weight gram", "gram", "weight g", "net weight"),
        "rating.average": ("rating", "average rating", "avg rating", "mean rating", "stars", "star rating",
                           "review score", "score"),
        "rating.count": ("review count", "rating count", "number of review", "reviews", "num review"),
        "stock": ("stock", "inventory", "availability", "stock level"),
    },
    "cart": {
        "lines": ("line", "line item", "item", "cart item", "product", "entry", "content"),
        "subtotal": ("subtotal", "sub total", "total", "amount", "value", "total price", "cart total"),
        "item_count": ("item count", "count", "quantity", "total item", "number of item", "total quantity"),
        "updated_at": ("updated", "last updated", "modified", "created", "date"),
        "status": ("status", "state"),
    },
    "order": {
        "lines": ("line", "line item", "item", "order item", "order line", "product", "entry", "content",
                  "cart item", "article"),
        "total": ("total", "order total", "grand total", "total amount", "amount", "total price", "value",
                  "amount paid", "total paid", "price", "order amount", "total due"),
        "subtotal": ("subtotal", "sub total", "item total", "items total", "merchandise total", "line total"),
        "tax": ("tax", "tax amount", "total tax", "sales tax", "vat", "tax total", "item tax"),
        "shipping": ("shipping", "shipping amount", "shipping cost", "shipping price", "delivery fee",
                     "shipping fee", "freight", "shipping total", "postage", "shipping charge"),
        "discount": ("discount", "discount amount", "total discount", "promotion discount", "savings",
                     "promotion amount"),
        "tax_rate": ("tax rate", "vat rate", "rate"),
        "ordered_at": ("ordered", "ordered at", "order date", "placed", "placed at", "created", "purchase date",
                       "date", "creation", "purchased", "submitted", "time", "order time", "timestamp"),
        "shipped_at": ("shipped", "ship date", "shipped at", "dispatched", "fulfilled"),
        "delivered_at": ("delivered", "delivery date", "delivered at", "received"),
        "cancelled_at": ("cancelled", "canceled", "cancelled at", "cancel date"),
        "cancel_reason": ("cancel reason", "cancellation reason"),
        "ship_to": ("ship to", "shipping address", "delivery address", "destination", "recipient address",
                    "ship address", "destination address"),
        "shipping_method": ("shipping method", "ship method", "shipment method", "delivery method",
                            "shipping service", "service level", "ship service level", "fulfillment method"),
        "channel": ("channel", "sales channel", "order channel", "source", "fulfillment channel", "order type"),
        "promo_code": ("promo code", "coupon", "coupon code", "discount code", "voucher", "promotion code"),
        "item_count": ("item count", "number of item", "quantity", "total quantity", "item shipped",
                       "number of items unshipped"),
        "status": ("status", "state", "order status", "fulfillment status"),
        "store_id": ("store id", "location id", "seller id", "merchant id", "shop id"),
        "tax_state": ("tax state", "tax region", "tax jurisdiction"),
    },
    "order.lines[]": {
        "line": ("line", "line number", "position", "index", "sequence", "line no", "item number"),
        "name": ("name", "title", "product name", "item name", "description", "label", "product title"),
        "quantity": ("quantity", "qty", "count", "quantity ordered", "units", "number"),
        "unit_price": ("unit price", "price", "item price", "price per unit", "unit cost", "price each",
                       "amount"),
        "line_total": ("line total", "total", "total price", "subtotal", "extended price", "amount total",
                       "line amount"),
    },
    "shipment": {
        "carrier": ("carrier", "carrier name", "shipping carrier", "courier", "shipper", "carrier code"),
        "service": ("service", "service level", "shipping service", "service name", "ship service level",
                    "shipping method", "method"),
        "tracking_number": ("tracking", "tracking number", "tracking id", "tracking code", "waybill",
                            "airway bill", "tracking no", "awb", "tracking reference"),
        "estimated_delivery": ("estimated delivery", "eta", "estimated arrival", "delivery estimate",
                               "expected delivery", "estimated delivery date", "promised delivery",
                               "latest delivery", "earliest delivery"),
        "ship_to": ("ship to", "shipping address", "destination", "delivery address", "address", "recipient"),
        "events": ("event", "tracking event", "history", "checkpoint", "scan", "activity", "milestone"),
        "status": ("status", "state", "shipment status", "tracking status"),
    },
    "return": {
        "reason": ("reason", "return reason", "description", "comment", "note", "message", "explanation"),
        "reason_code": ("reason code", "code", "return reason code", "category"),
        "refund": ("refund", "refund amount", "amount", "credit amount", "total", "value"),
        "requested_at": ("requested", "requested at", "created", "request date", "date", "opened"),
        "refunded_at": ("refunded", "refunded at", "refund date", "credited", "completed"),
        "return_method": ("return method", "method", "channel", "return channel", "return type"),
        "status": ("status", "state"),
    },
    "review": {
        "rating": ("rating", "star", "stars", "score", "star rating", "overall rating", "grade"),
        "title": ("title", "headline", "summary", "subject", "name"),
        "body": ("body", "text", "review text", "comment", "content", "message", "description", "review"),
        "verified_purchase": ("verified", "verified purchase", "verified buyer", "is verified"),
        "helpful_votes": ("helpful vote", "helpful", "helpful count", "up vote", "like", "vote"),
        "created_at": ("created", "created at", "date", "submitted", "posted", "review date", "published"),
        "product_name": ("product name", "product title", "item name"),
    },
}

DISPLAY: dict[str, str] = {
    "cart": "Cart {id}",
    "order": "Order {id}",
    "shipment": "{carrier} {tracking_number}",
    "return": "Return {id}",
    "review": "{title}",
}

#: A checkout through an API places the order with a verb (a copied row would keep another order's lines,
#: totals and status, and leave the store's stock untouched): only operations that say they check out.
CREATE_VERBS: dict[str, dict[str, str]] = {
    "order": {"checkout": "place_order", "check out": "place_order"},
}

#: A verb an API write runs -> its arguments -> the request property words that carry each.
VERB_ARGUMENTS: dict[str, dict[str, tuple[str, ...]]] = {
    "place_order": {"product_id": ("product id", "item id", "variant id"), "quantity": ("quantity", "qty")},
}
