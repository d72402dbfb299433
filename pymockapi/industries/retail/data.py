"""Retail knowledge: the catalogue vocabulary, tax, loyalty, promotions, carriers.

Everything the generators, the text builders and the validators agree on
lives here as plain tables, so that a rule is written once and both sides
read it: a validator never re-derives what a generator meant, it looks the
same table up.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Item:
    """One kind of product inside a category, with what it can be made of and its sizes."""

    noun: str
    materials: tuple[str, ...]
    sizes: tuple[str, ...]
    price_range: tuple[int, int]
    weight_range: tuple[int, int]
    title: str = ""

    @property
    def product_title(self) -> str:
        """The noun as it reads in a product name ("Chef's Knife", "Trekking Pole Set")."""
        return self.title or " ".join(w[:1].upper() + w[1:] for w in self.noun.split())


@dataclass(frozen=True)
class Category:
    """A catalogue department: its items, brands and the words that describe them."""

    name: str
    sku_code: str
    brands: tuple[str, ...]
    descriptors: tuple[str, ...]
    items: tuple[Item, ...]
    colours: tuple[str, ...]
    uses: tuple[str, ...]
    perks: tuple[str, ...]
    colour_phrase: str

    def item(self, noun: str) -> Item | None:
        for item in self.items:
            if item.noun == noun:
                return item
        return None


_APPAREL_SIZES = ("XS", "S", "M", "L", "XL", "XXL")
_SHOE_SIZES = tuple(f"US {n / 2:g}" for n in range(12, 27))

CATEGORIES: tuple[Category, ...] = (
    Category(
        name="apparel", sku_code="APP",
        brands=("Harlow & Finch", "Tidewater Supply", "Quill Lane", "Bellhaven"),
        descriptors=("Coastal", "Heritage", "Everyday", "Studio", "Weekend", "Harbor"),
        items=(
            Item("crew-neck sweater", ("merino wool", "cashmere blend", "organic cotton"), _APPAREL_SIZES, (48, 140),
                 (280, 520)),
            Item("oxford shirt", ("organic cotton", "linen", "cotton poplin"), _APPAREL_SIZES, (38, 89), (180, 320)),
            Item("rain jacket", ("recycled nylon", "waxed cotton"), _APPAREL_SIZES, (89, 240), (380, 900)),
            Item("hoodie", ("brushed fleece", "organic cotton"), _APPAREL_SIZES, (45, 98), (420, 760)),
            Item("chino trousers", ("cotton twill", "stretch cotton"),
                 ("30x30", "30x32", "32x32", "34x32", "36x32", "38x34"), (49, 110), (420, 640)),
            Item("t-shirt", ("organic cotton", "slub jersey", "pima cotton"), _APPAREL_SIZES, (18, 42), (140, 220)),
        ),
        colours=("navy", "heather grey", "olive", "charcoal", "cream", "rust", "forest green", "black", "sky blue",
                 "burgundy"),
        uses=("everyday wear", "layering on cool mornings", "weekend travel", "the office", "relaxed Fridays"),
        perks=("It keeps its shape wash after wash.", "Reinforced seams stand up to daily wear.",
               "The relaxed cut leaves room to layer.", "It is pre-washed, so it will not shrink.",
               "Side pockets are deep enough for a phone.", "The fabric breathes on warm afternoons."),
        colour_phrase="in {colour}",
    ),
    Category(
        name="footwear", sku_code="FTW",
        brands=("Stridewell", "Copper Trail", "Ambleside Shoe Co.", "Fenwick & Lowe"),
        descriptors=("Metro", "Trailhead", "Classic", "Featherweight", "Ridge", "Promenade"),
        items=(
            Item("running shoe", ("engineered mesh", "recycled knit"), _SHOE_SIZES, (85, 170), (230, 340)),
            Item("chelsea boot", ("suede", "full-grain leather"), _SHOE_SIZES, (120, 260), (520, 780)),
            Item("trail sneaker", ("ripstop mesh", "recycled knit"), _SHOE_SIZES, (90, 160), (300, 420)),
            Item("canvas slip-on", ("cotton canvas", "hemp canvas"), _SHOE_SIZES, (40, 75), (220, 320)),
            Item("penny loafer", ("full-grain leather", "suede"), _SHOE_SIZES, (95, 210), (380, 560)),
            Item("slide sandal", ("cork and leather", "recycled rubber"), _SHOE_SIZES, (30, 95), (180, 300)),
        ),
        colours=("black", "tan", "white", "stone grey", "navy", "olive", "chestnut"),
        uses=("daily runs", "city walking", "weekend hikes", "long workdays on your feet", "summer afternoons"),
        perks=("A cushioned footbed softens every step.", "The rubber outsole grips on wet pavement.",
               "It breaks in within the first week.", "A padded collar keeps heels from rubbing.",
               "The removable insole is easy to air out.", "Stitched welts make it easy to resole."),
        colour_phrase="in {colour}",
    ),
    Category(
        name="home", sku_code="HOM",
        brands=("Hearthmoor", "Linden Row", "Palisade Home", "Juniper & Slate"),
        descriptors=("Cottage", "Loft", "Meadow", "Haven", "Drift", "Parlor"),
        items=(
            Item("throw blanket", ("cotton waffle", "wool blend", "chunky knit"), ("50 x 60 in", "60 x 80 in"),
                 (39, 149), (700, 1800)),
            Item("table lamp", ("ceramic", "brushed brass", "white oak"), ("18 in", "24 in", "28 in"), (59, 220),
                 (1200, 3400)),
            Item("duvet cover", ("cotton percale", "linen", "cotton sateen"), ("Twin", "Full", "Queen", "King"),
                 (79, 260), (900, 2100)),
            Item("throw pillow", ("velvet", "linen", "boucle"), ("18 x 18 in", "20 x 20 in", "22 x 22 in"), (24, 68),
                 (300, 700)),
            Item("storage basket", ("seagrass", "cotton rope", "water hyacinth"), ("Small", "Medium", "Large"),
                 (19, 64), (250, 900)),
            Item("wall mirror", ("brass-finished steel", "white oak", "black iron"),
                 ("24 in round", "30 in round", "36 in round"), (89, 320), (2500, 7800)),
        ),
        colours=("ivory", "sage", "terracotta", "charcoal", "oatmeal", "dusty rose", "navy", "mustard"),
        uses=("the living room", "guest bedrooms", "reading nooks", "small apartments", "the entryway"),
        perks=("It pairs easily with warm wood tones.", "Every piece is finished by hand.",
               "It arrives ready to use, with no assembly.", "The neutral palette suits any season.",
               "It is made in a fair-trade certified workshop.", "A soft texture makes the room feel warmer."),
        colour_phrase="in {colour}",
    ),
    Category(
        name="kitchen", sku_code="KIT",
        brands=("Saltbox Kitchen", "Copperleaf", "Marrow & Thyme", "Hollis Cookware"),
        descriptors=("Bistro", "Farmhouse", "Chef Series", "Provence", "Harvest", "Galley"),
        items=(
            Item("chef's knife", ("high-carbon stainless steel", "Damascus steel"), ("6 in", "8 in", "10 in"),
                 (45, 180), (160, 260)),
            Item("skillet", ("pre-seasoned cast iron", "tri-ply stainless steel", "carbon steel"),
                 ("8 in", "10 in", "12 in"), (29, 140), (1100, 3400)),
            Item("French press", ("borosilicate glass", "double-wall stainless steel"), ("12 oz", "34 oz", "51 oz"),
                 (24, 79), (450, 1100)),
            Item("cutting board", ("end-grain walnut", "maple", "bamboo"), ("Medium", "Large", "Extra large"),
                 (22, 120), (900, 3200)),
            Item("dutch oven", ("enameled cast iron",), ("3.5 qt", "5.5 qt", "7.25 qt"), (79, 380), (3800, 6200)),
            Item("mixing bowl set", ("stainless steel", "stoneware", "tempered glass"), ("3-piece", "5-piece"),
                 (25, 89), (900, 2600)),
        ),
        colours=("graphite", "cream", "sage", "cherry red", "cobalt", "matte black", "natural"),
        uses=("weeknight dinners", "meal prep", "slow Sunday breakfasts", "entertaining guests", "baking days"),
        perks=("It is dishwasher safe for quick cleanup.", "It heats evenly from edge to center.",
               "A lifetime warranty covers the build.", "It moves from stovetop to table with ease.",
               "The balanced weight feels steady in the hand.", "It stores flat in a crowded drawer."),
        colour_phrase="with a {colour} finish",
    ),
    Category(
        name="outdoor", sku_code="OUT",
        brands=("Ridgeback Gear", "Cairnfield", "Summit Hollow", "Bristlecone Outfitters"),
        descriptors=("Basecamp", "Switchback", "Alpine", "Canyon", "Trailmark", "Ranger"),
        items=(
            Item("daypack", ("ripstop nylon", "recycled polyester"), ("20 L", "28 L", "32 L"), (49, 160), (500, 1100)),
            Item("camping tent", ("ripstop nylon", "polyester taffeta"), ("2-person", "4-person", "6-person"),
                 (129, 520), (1800, 6400)),
            Item("sleeping bag", ("synthetic insulation", "responsibly sourced down"), ("Regular", "Long"), (89, 380),
                 (900, 1900)),
            Item("insulated water bottle", ("double-wall stainless steel",), ("21 oz", "32 oz", "40 oz"), (24, 49),
                 (300, 520)),
            Item("camp chair", ("powder-coated steel", "aircraft-grade aluminum"), ("Standard", "Oversized"),
                 (39, 140), (1100, 4200)),
            Item("pair of trekking poles", ("aluminum", "carbon fiber"), ("100-125 cm", "110-135 cm"), (49, 190),
                 (420, 620),
                 "Trekking Pole Set"),
        ),
        colours=("forest green", "slate", "sunset orange", "desert tan", "glacier blue", "charcoal"),
        uses=("day hikes", "weekend camping trips", "backcountry trips", "tailgates", "beach days"),
        perks=("Taped seams keep rain out.", "It packs down small for the trunk.",
               "Reflective trim adds visibility at dusk.", "Every buckle can be worked with gloves on.",
               "It is backed by a no-questions repair promise.", "It shrugs off mud and rinses clean."),
        colour_phrase="in {colour}",
    ),
    Category(
        name="electronics accessories", sku_code="ELA",
        brands=("Voltmere", "Lumacord", "Pixelhaven", "Northgrid Labs"),
        descriptors=("Pro", "Go", "Flex", "Max", "Air", "Dock"),
        items=(
            Item("USB-C charging cable", ("braided nylon", "silicone"), ("1 m", "2 m", "3 m"), (12, 35), (40, 110)),
            Item("wireless charging pad", ("aluminum", "fabric-wrapped polymer"), ("Standard",), (25, 69), (120, 260)),
            Item("laptop sleeve", ("neoprene", "recycled felt", "vegan leather"), ("13 in", "14 in", "16 in"),
                 (25, 79), (180, 420)),
            Item("phone case", ("silicone", "recycled TPU", "vegan leather"), ("6.1 in", "6.3 in", "6.7 in"), (19, 59),
                 (30, 70)),
            Item("pair of wireless earbuds", ("matte polycarbonate", "recycled plastic"), ("Standard",), (49, 179),
                 (45, 70),
                 "Wireless Earbud Set"),
            Item("power bank", ("aluminum", "recycled plastic"), ("10,000 mAh", "20,000 mAh"), (29, 89), (180, 420)),
        ),
        colours=("midnight black", "space grey", "white", "sage", "coral", "navy"),
        uses=("commuting", "travel days", "working from home", "the gym", "long flights"),
        perks=("It is tested for thousands of bend cycles.", "It charges at full speed with any USB-C brick.",
               "A slim profile slides into any bag.", "It ships in plastic-free packaging.",
               "A two-year warranty is included.", "The soft finish resists fingerprints."),
        colour_phrase="in {colour}",
    ),
    Category(
        name="beauty", sku_code="BTY",
        brands=("Bloomwell", "Saffron & Sage", "Larkspur Botanics", "Petal Theory"),
        descriptors=("Glow", "Daily", "Calm", "Dew", "Botanical", "Renew"),
        items=(
            Item("face serum", ("vitamin C", "hyaluronic acid", "niacinamide"), ("30 ml", "50 ml"), (24, 78),
                 (80, 160)),
            Item("lip balm", ("shea butter", "beeswax"), ("4.5 g", "10 g"), (6, 18), (10, 30)),
            Item("hand cream", ("shea butter", "colloidal oat"), ("75 ml", "150 ml"), (10, 32), (90, 200)),
            Item("shampoo bar", ("argan oil", "coconut oil"), ("90 g", "120 g"), (12, 24), (90, 140)),
            Item("facial cleanser", ("green tea", "micellar water", "gentle oat"), ("150 ml", "200 ml"), (12, 38),
                 (170, 260)),
            Item("body lotion", ("aloe vera", "cocoa butter"), ("250 ml", "400 ml"), (12, 36), (280, 480)),
        ),
        colours=("blush pink", "amber glass", "frosted white", "sage", "lavender"),
        uses=("dry skin", "daily routines", "sensitive skin", "travel bags", "evening routines"),
        perks=("It is fragrance free and dermatologist tested.", "It absorbs quickly without a greasy feel.",
               "The formula is vegan and cruelty free.", "A little goes a long way.",
               "It comes in a refillable container.", "It layers well under makeup."),
        colour_phrase="in {colour} packaging",
    ),
)

CATEGORY_BY_NAME: dict[str, Category] = {c.name: c for c in CATEGORIES}
CATEGORY_BY_SKU: dict[str, Category] = {c.sku_code: c for c in CATEGORIES}

# GS1 prefixes for the codes we mint: UPC-A number systems 0, 1, 6, 7, 8 are
# regular trade items; EAN-13 prefixes from a few GS1 member countries.
UPC_NUMBER_SYSTEMS = ("0", "1", "6", "7", "8")
EAN_PREFIXES = ("400", "401", "500", "501", "540", "690", "760", "789", "800", "871")

STORE_BRANDS = ("Maple & Main Market", "Lantern Row Goods", "Bramblewood Outfitters",
                "Cobalt Street Supply", "Fernhill General")
STORE_DISTRICTS = ("Downtown", "Riverside", "Uptown", "Westgate", "Old Town", "Harbor Point",
                   "Northfield", "Midtown")
STORE_FORMATS = ("flagship", "neighborhood store", "outlet", "mall store")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# (weekday opening, weekday closing, saturday closing, sunday opening, sunday closing)
OPENING_PATTERNS = (
    ("09:00", "21:00", "21:00", "10:00", "18:00"),
    ("10:00", "20:00", "21:00", "11:00", "18:00"),
    ("08:00", "22:00", "22:00", "09:00", "20:00"),
    ("10:00", "21:00", "21:00", "11:00", "19:00"),
)

# Loyalty tiers and the point balance at which each starts.
TIERS: tuple[tuple[str, int], ...] = (("bronze", 0), ("silver", 1000), ("gold", 5000), ("platinum", 15000))
TIER_CEILING = 60000


def tier_for_points(points: int) -> str:
    """The tier a point balance earns."""
    earned = TIERS[0][0]
    for name, threshold in TIERS:
        if points >= threshold:
            earned = name
    return earned


def points_range(tier: str) -> tuple[int, int]:
    """The inclusive point balances that belong to ``tier``."""
    names = [name for name, _ in TIERS]
    at = names.index(tier)
    upper = TIERS[at + 1][1] - 1 if at + 1 < len(TIERS) else TIER_CEILING
    return TIERS[at][1], upper


# State sales-tax base rates (state portion; Utah's statewide combined minimum).
STATE_TAX_RATES: dict[str, Decimal] = {k: Decimal(v) for k, v in {
    "AK": "0", "AL": "0.04", "AR": "0.065", "AZ": "0.056", "CA": "0.0725", "CO": "0.029",
    "CT": "0.0635", "DC": "0.06", "DE": "0", "FL": "0.06", "GA": "0.04", "HI": "0.04",
    "IA": "0.06", "ID": "0.06", "IL": "0.0625", "IN": "0.07", "KS": "0.065", "KY": "0.06",
    "LA": "0.0445", "MA": "0.0625", "MD": "0.06", "ME": "0.055", "MI": "0.06", "MN": "0.06875",
    "MO": "0.04225", "MS": "0.07", "MT": "0", "NC": "0.0475", "ND": "0.05", "NE": "0.055",
    "NH": "0", "NJ": "0.06625", "NM": "0.04875", "NV": "0.0685", "NY": "0.04", "OH": "0.0575",
    "OK": "0.045", "OR": "0", "PA": "0.06", "RI": "0.07", "SC": "0.06", "SD": "0.042",
    "TN": "0.07", "TX": "0.0625", "UT": "0.061", "VA": "0.053", "VT": "0.06", "WA": "0.065",
    "WI": "0.05", "WV": "0.06", "WY": "0.04",
}.items()}

# Promotion codes and the percentage they take off the merchandise subtotal.
PROMOTIONS: dict[str, int] = {"WELCOME10": 10, "SPRING15": 15, "LOYAL5": 5, "STYLE20": 20}

# Shipping methods: flat fee, and the merchandise value from which it is free (None: never).
SHIPPING_METHODS: dict[str, tuple[Decimal, Decimal | None]] = {
    "standard": (Decimal("5.99"), Decimal("50.00")),
    "expedited": (Decimal("12.99"), None),
    "next_day": (Decimal("24.99"), None),
    "in_store": (Decimal("0.00"), Decimal("0.00")),
}

CHANNELS = ("online", "in_store")
ONLINE_STATUSES = ("processing", "shipped", "delivered", "cancelled")
# Which timestamps an order in each status carries.
STATUS_DATES: dict[str, tuple[str, ...]] = {
    "processing": ("ordered_at",),
    "cancelled": ("ordered_at", "cancelled_at"),
    "shipped": ("ordered_at", "shipped_at"),
    "delivered": ("ordered_at", "shipped_at", "delivered_at"),
    "completed": ("ordered_at",),
}
ORDER_DATE_FIELDS = ("ordered_at", "cancelled_at", "shipped_at", "delivered_at")
CANCEL_REASONS = ("Cancelled by the shopper before packing.", "Cancelled after the payment was declined.",
                  "Cancelled because the item sold out at the fulfilment store.")

CARRIERS = ("UPS", "FedEx", "USPS")
# Service names per carrier; UPS service codes are the two digits inside a 1Z number.
UPS_SERVICES: dict[str, str] = {"01": "Next Day Air", "02": "2nd Day Air", "03": "Ground",
                                "12": "3 Day Select", "13": "Next Day Air Saver"}
FEDEX_SERVICES = ("FedEx Express Saver", "FedEx 2Day", "FedEx Standard Overnight")
USPS_SERVICES: dict[str, str] = {"9400": "Ground Advantage", "9205": "Priority Mail"}
SHIPMENT_EVENTS = ("label_created", "picked_up", "in_transit", "out_for_delivery", "delivered")
SHIPMENT_EVENT_TEXT: dict[str, str] = {
    "label_created": "Shipping label created, {carrier} awaiting item",
    "picked_up": "Picked up by {carrier}",
    "in_transit": "Arrived at {carrier} facility",
    "out_for_delivery": "Out for delivery",
    "delivered": "Delivered, left at front door",
}

RETURN_REASONS: dict[str, str] = {
    "wrong_size": "The {name} runs {fit} in {size} and did not fit as expected.",
    "not_as_pictured": "The {colour} of the {name} looked different in person than in the photos.",
    "damaged": "The {name} arrived with a scuff on the {material}.",
    "changed_mind": "Found a better match for {use} and no longer need the {noun}.",
    "late_delivery": "The {name} arrived after the date it was needed for.",
    "duplicate_gift": "Received the same {noun} as a gift.",
}
# Only clothes and shoes come back for fit.
FITTED_CATEGORIES = ("apparel", "footwear")
RETURN_FOLLOW_UPS = ("", "Tags are still attached.", "Packed back in the original box.",
                     "Please refund the original card.", "Store credit is fine.", "Unused and unwashed.")
FIT_WORDS = ("small", "large")
RETURN_STATUSES = ("requested", "in_transit", "received", "refunded")

MONEY_CURRENCY = "USD"
