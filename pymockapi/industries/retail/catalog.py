"""The product catalogue: what a product is, and the product record.

Orders, carts, reviews and returns all quote products (name, price,
attributes), so a product's identity is a small memoised value computed
from the world's seeds and its index alone; the full record adds what only
the product endpoint needs (description, stock per store, ratings).
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from pymockapi.industries.retail.codes import mint_ean_13, mint_upc_a
from pymockapi.industries.retail.data import CATEGORIES, Category, Item
from pymockapi.industries.retail.kinds import PRODUCT, STORE
from pymockapi.industries.retail.pricing import usd
from pymockapi.industries.retail.text import describe_product
from pymockapi.industries.seeding import GenContext, derive_seed

_PRICE_ENDINGS = (Decimal("0.99"), Decimal("0.99"), Decimal("0.00"), Decimal("0.50"), Decimal("0.95"))


@dataclass(frozen=True)
class Product:
    """A product's identity: everything other records quote about it."""

    id: str
    name: str
    brand: str
    descriptor: str
    category: Category
    item: Item
    material: str
    colour: str
    size: str
    use: str
    weight_g: int
    price: Decimal
    sku: str
    gtin13: str
    upc_a: str | None


def store_count(gen: GenContext) -> int:
    """How many stores references can point at (the same bound as ``pick_index``)."""
    return max(1, int(gen.cast.get("store", 1)))


def product_of(gen: GenContext, index: int) -> Product:
    """The product with 1-based ``index`` in ``gen``'s world."""
    return _product(gen.story, gen.story_seed, gen.session_seed, index)


@lru_cache(maxsize=8192)
def _product(story: str, story_seed: int, session_seed: int, index: int) -> Product:
    # Same derivation as GenContext.rng("product", index); memoised because
    # every order line and review quotes a product.
    rng = random.Random(derive_seed(story, story_seed, session_seed, "product", index))
    category = rng.choice(CATEGORIES)
    item = rng.choice(category.items)
    brand = rng.choice(category.brands)
    descriptor = rng.choice(category.descriptors)
    colour = rng.choice(category.colours)
    low, high = item.price_range
    price = Decimal(rng.randint(low, high - 1)) + rng.choice(_PRICE_ENDINGS)
    upc = mint_upc_a(rng) if rng.random() < 0.6 else None
    gtin = "0" + upc if upc else mint_ean_13(rng)
    brand_code = "".join(c for c in brand.upper() if c.isalpha())[:3]
    colour_code = "".join(w[0] for w in colour.upper().split())[:2].ljust(2, "X")
    return Product(
        id=PRODUCT.entity_id(index), name=f"{brand} {descriptor} {item.product_title}",
        brand=brand, descriptor=descriptor, category=category, item=item,
        material=rng.choice(item.materials), colour=colour, size=rng.choice(item.sizes),
        use=rng.choice(category.uses), weight_g=rng.randint(*item.weight_range), price=price,
        sku=f"{category.sku_code}-{brand_code}-{index:04d}-{colour_code}", gtin13=gtin, upc_a=upc)


def product_record(gen: GenContext, index: int, pins: Mapping[str, Any]) -> dict[str, Any]:
    """The full product record: identity, description, stock per store and rating summary."""
    p = product_of(gen, index)
    rng = gen.rng("product-record", index)
    description = describe_product(rng, name=p.name, brand=p.brand, descriptor=p.descriptor,
                                   category=p.category.name, noun=p.item.noun, material=p.material,
                                   colour=p.colour, size=p.size, use=p.use, weight_g=p.weight_g)
    stock = [{"store_id": STORE.entity_id(n), "quantity": rng.choice((0, rng.randint(1, 12), rng.randint(5, 80)))}
             for n in range(1, store_count(gen) + 1)]
    count = rng.randint(1, 900)
    record: dict[str, Any] = {
        "id": p.id, "type": PRODUCT.name, "name": p.name, "brand": p.brand, "category": p.category.name,
        "item": p.item.noun,
        "attributes": {"material": p.material, "colour": p.colour, "size": p.size, "use": p.use,
                       "weight_g": p.weight_g},
        "description": description, "sku": p.sku, "gtin13": p.gtin13, "upc_a": p.upc_a,
        "price": usd(p.price), "stock": stock,
        "rating": {"average": round(rng.triangular(2.4, 5.0, 4.4), 1), "count": count},
    }
    for key, value in pins.items():
        if key not in ("id", "type"):
            record[key] = value
    return record
