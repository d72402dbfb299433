"""The finance pack's vocabulary: every table the generators draw from.

Knowledge lives here as module-level tuples and dicts so that generators,
text and validators share one source of truth and a new category, network
or instrument is a data change, never a code change.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

SEGMENTS = ("retail", "premier", "private")
SEGMENT_WEIGHTS = (70, 22, 8)
KYC_STATUSES = ("verified", "pending_review", "enhanced_due_diligence")
KYC_WEIGHTS = (88, 8, 4)
RISK_PROFILES = ("conservative", "moderate", "balanced", "growth", "aggressive")
ACCOUNT_KINDS = ("checking", "savings", "credit_card", "brokerage", "mortgage", "loan")
LIABILITY_KINDS = ("credit_card", "mortgage", "loan")
AMORTISING_KINDS = ("mortgage", "loan")
DEPOSIT_KINDS = ("checking", "savings")
SPENDING_KINDS = ("credit_card", "checking")
"""Where a purchase goes when only the customer is named: the card first."""
DIRECTIONS = ("debit", "credit")
CHANNELS = ("card", "ach", "transfer", "interest", "dividend", "deposit")

SEGMENT_WEALTH = {"retail": Decimal("1"), "premier": Decimal("4"), "private": Decimal("15")}
"""How much larger a premier or private customer's balances are than a retail one's."""

ADVISOR_TITLES = ("Financial Advisor", "Senior Financial Advisor", "Relationship Manager",
                  "Private Banker", "Wealth Advisor", "Certified Financial Planner",
                  "Branch Manager", "Personal Banker")
ADVISOR_CREDENTIALS = ("CFP", "CFA", "ChFC", "CPWA", "CRPC", "Series 7", "Series 66")

BANK_STEMS = ("Bluewater", "Ironwood", "Copperline", "Tidewater", "Northgate", "Silverbirch",
              "Larkspur", "Meridian", "Granite", "Juniper", "Lakeshore", "Redstone",
              "Cedar Ridge", "Prairie", "Harborlight", "Evergreen")
BANK_SUFFIXES = ("Bank", "Savings Bank", "Bank & Trust", "Trust Company", "Credit Union",
                 "Federal Savings")
CREDIT_UNION_SUFFIXES = ("Credit Union",)
BIC_LOCATIONS = {"US": "33", "GB": "2L", "DE": "FF", "FR": "PP"}

FED_DISTRICT_BY_STATE = {
    "MA": 1, "CT": 1, "RI": 1, "VT": 1, "NH": 1, "ME": 1,
    "NY": 2, "NJ": 2,
    "PA": 3, "DE": 3,
    "OH": 4, "KY": 4,
    "VA": 5, "MD": 5, "NC": 5, "SC": 5, "DC": 5, "WV": 5,
    "GA": 6, "FL": 6, "AL": 6, "TN": 6, "LA": 6, "MS": 6,
    "IL": 7, "IN": 7, "IA": 7, "MI": 7, "WI": 7,
    "MO": 8, "AR": 8,
    "MN": 9, "MT": 9, "ND": 9, "SD": 9,
    "KS": 10, "NE": 10, "OK": 10, "CO": 10, "WY": 10, "NM": 10,
    "TX": 11,
    "CA": 12, "OR": 12, "WA": 12, "NV": 12, "UT": 12, "ID": 12, "AZ": 12, "AK": 12, "HI": 12,
}
"""Federal Reserve district of a state: the first two digits of an ABA routing number."""
THRIFT_DISTRICT_OFFSET = 20
"""Credit unions and thrifts use routing prefixes 21-32 (district + 20)."""


@dataclass(frozen=True)
class Network:
    """A card network with the well-known test BINs its cards start with."""

    name: str
    bins: tuple[str, ...]
    length: int


NETWORKS = (
    Network("Visa", ("4111", "4242"), 16),
    Network("Mastercard", ("5555", "2223"), 16),
    Network("American Express", ("3782", "3714"), 15),
    Network("Discover", ("6011",), 16),
)
DEBIT_NETWORKS = ("Visa", "Mastercard")
NETWORK_BY_NAME = {n.name: n for n in NETWORKS}


@dataclass(frozen=True)
class Category:
    """A spending category: its real MCC, the title card networks give it, and its amounts."""

    key: str
    label: str
    mcc: str
    mcc_description: str
    low: Decimal
    high: Decimal
    mode: Decimal
    merchants: tuple[str, ...]


def _d(text: str) -> Decimal:
    return Decimal(text)


CATEGORIES = (
    Category("groceries", "groceries", "5411", "Grocery Stores, Supermarkets", _d("20"), _d("250"), _d("85"),
             ("Green Valley Market", "Harvest Lane Grocers", "Corner Basket Foods", "Sunfield Fresh Market",
              "Maple Street Grocery")),
    Category("dining", "dining", "5812", "Eating Places, Restaurants", _d("18"), _d("160"), _d("48"),
             ("The Copper Kettle", "Olive & Ember Bistro", "Saltwater Grill", "Blue Door Trattoria",
              "Juniper Table")),
    Category("coffee", "coffee", "5814", "Fast Food Restaurants", _d("3"), _d("12"), _d("5.5"),
             ("Morning Ritual Coffee", "Bean Counter Cafe", "Driftwood Espresso", "Little Owl Coffee House")),
    Category("fuel", "fuel", "5541", "Service Stations (with or without Ancillary Services)",
             _d("25"), _d("95"), _d("52"),
             ("Crossroads Fuel", "Summit Gas & Go", "Prairie Wind Petroleum", "Eastside Service Station")),
    Category("transit", "commuting", "4111",
             "Transportation: Suburban and Local Commuter Passenger, including Ferries",
             _d("2.5"), _d("120"), _d("12"),
             ("Metro Transit Authority", "Bayline Ferries", "Valley Commuter Rail")),
    Category("rideshare", "taxis and rides", "4121", "Limousines and Taxicabs", _d("9"), _d("75"), _d("22"),
             ("CityHop Rides", "Yellowbird Taxi", "Nightowl Car Service")),
    Category("utilities", "utilities", "4900", "Utilities: Electric, Gas, Heating Oil, Sanitary, Water",
             _d("45"), _d("320"), _d("140"),
             ("Riverbend Power & Light", "Tri-County Water District", "Northern Gas Utility")),
    Category("streaming", "streaming and cable", "4899",
             "Cable, Satellite, and Other Pay Television and Radio Services", _d("8"), _d("120"), _d("18"),
             ("Skyline Cable", "Lanternbox Streaming", "Orbitcast TV")),
    Category("department", "department stores", "5311", "Department Stores", _d("25"), _d("420"), _d("95"),
             ("Whitmore & Hale", "Grandview Department Store", "Sterling Row")),
    Category("pharmacy", "pharmacy", "5912", "Drug Stores, Pharmacies", _d("6"), _d("140"), _d("28"),
             ("Wellspring Pharmacy", "Main Street Apothecary", "CareCorner Drugs")),
    Category("electronics", "electronics", "5732", "Electronic Sales", _d("40"), _d("1450"), _d("220"),
             ("Circuit Harbor", "Voltage Electronics", "Pixel & Plug")),
    Category("books", "books", "5942", "Book Stores", _d("9"), _d("85"), _d("24"),
             ("Dog-Eared Books", "Lamplight Booksellers", "Chapter House")),
    Category("home", "home improvement", "5200", "Home Supply Warehouse Stores", _d("18"), _d("900"), _d("120"),
             ("Builders Yard Supply", "Homestead Hardware Depot", "Timberline Home Center")),
    Category("clothing", "clothing", "5651", "Family Clothing Stores", _d("20"), _d("320"), _d("75"),
             ("Threadline Outfitters", "Fairweather Clothing Co.", "Northbound Apparel")),
    Category("shoes", "shoes", "5661", "Shoe Stores", _d("35"), _d("240"), _d("90"),
             ("Stride & Sole", "Footpath Shoes", "Cobblestone Footwear")),
    Category("movies", "movies", "7832", "Motion Picture Theaters", _d("11"), _d("70"), _d("28"),
             ("Starlight Cinemas", "Marquee Theaters", "Palace Picture House")),
    Category("fitness", "gym and sports clubs", "7997",
             "Clubs: Country Clubs, Membership (Athletic, Recreation, Sports), Private Golf Courses",
             _d("25"), _d("220"), _d("60"),
             ("Ironclad Fitness Club", "Riverside Athletic Club", "Peak Performance Gym")),
    Category("doctor", "doctor visits", "8011", "Doctors: not elsewhere classified", _d("20"), _d("350"), _d("60"),
             ("Lakeside Family Medicine", "Oakridge Medical Group", "Harbor Point Clinic")),
    Category("dentist", "dental care", "8021", "Dentists, Orthodontists", _d("40"), _d("600"), _d("150"),
             ("Bright Smile Dental", "Maple Grove Orthodontics", "Parkside Dental Care")),
    Category("airfare", "air travel", "4511", "Air Carriers, Airlines: Not Elsewhere Classified",
             _d("120"), _d("950"), _d("340"),
             ("Skyward Airlines", "Bluejay Air", "Coastal Wings Airways")),
    Category("lodging", "hotels", "7011", "Lodging: Hotels, Motels, Resorts: not elsewhere classified",
             _d("110"), _d("820"), _d("260"),
             ("Harborview Inn", "The Alder Hotel", "Pinecrest Lodge & Suites")),
    Category("rent", "rent", "6513", "Real Estate Agents and Managers: Rentals",
             _d("900"), _d("3400"), _d("1650"),
             ("Parkview Property Management", "Cornerstone Residential", "Willow Court Apartments")),
    Category("pets", "pet supplies", "5995", "Pet Shops: Pet Food and Supplies", _d("12"), _d("180"), _d("45"),
             ("Happy Tails Pet Supply", "Whiskers & Wags", "Paws Corner")),
    Category("bakery", "bakery", "5462", "Bakeries", _d("4"), _d("45"), _d("12"),
             ("Rise & Crumb Bakery", "Golden Loaf", "Sugar Mill Bakehouse")),
    Category("insurance", "insurance", "6300", "Insurance Sales, Underwriting, and Premiums",
             _d("60"), _d("420"), _d("160"),
             ("Steadfast Mutual Insurance", "Keystone Auto Insurance", "Shelter Cove Assurance")),
    Category("wholesale", "wholesale club", "5300", "Wholesale Clubs", _d("40"), _d("380"), _d("140"),
             ("Bulkbarn Wholesale Club", "Warehouse Row Club")),
    Category("misc", "specialty retail", "5999", "Miscellaneous and Specialty Retail Stores",
             _d("10"), _d("260"), _d("45"),
             ("Odds & Ends Emporium", "The Gift Nook", "Curio Cabinet Shop")),
)
CATEGORY_BY_KEY = {c.key: c for c in CATEGORIES}
CATEGORY_BY_MCC = {c.mcc: c for c in CATEGORIES}
EVERYDAY_CATEGORIES = ("groceries", "dining", "coffee", "fuel", "transit", "rideshare", "department",
                       "pharmacy", "books", "clothing", "movies", "bakery", "pets", "misc", "shoes")
OCCASIONAL_CATEGORIES = ("electronics", "home", "airfare", "lodging", "dentist", "doctor", "wholesale")
BILL_CATEGORIES = ("utilities", "streaming", "fitness", "insurance")

LOAN_PURPOSES = ("auto", "personal", "student")
LOAN_TERMS_MONTHS = {"auto": (36, 48, 60, 72), "personal": (24, 36, 48, 60), "student": (120, 180)}
LOAN_PRINCIPAL = {"auto": (Decimal("14000"), Decimal("52000")), "personal": (Decimal("3000"), Decimal("25000")),
                  "student": (Decimal("12000"), Decimal("68000"))}
LOAN_RATES = {"auto": (Decimal("4.9"), Decimal("8.9")), "personal": (Decimal("7.5"), Decimal("14.9")),
              "student": (Decimal("4.5"), Decimal("7.9"))}
MORTGAGE_TERMS_YEARS = (15, 20, 30)
MORTGAGE_RATE = (Decimal("2.75"), Decimal("7.25"))
MORTGAGE_MIN_AGE = 25
MATURITY_MAX_AGE = 85
ADULT_AGE = 18
SAVINGS_APY = (Decimal("0.50"), Decimal("4.60"))
CARD_APR = (Decimal("15.99"), Decimal("29.99"))
CREDIT_LIMIT_STEP = Decimal("500")

LOW_BALANCE_THRESHOLDS = (Decimal("100"), Decimal("250"), Decimal("500"))
LARGE_PURCHASE_THRESHOLD = Decimal("500")
STATEMENT_WINDOW_DAYS = 31

FOREIGN_COUNTRIES = ("GB", "DE", "FR")
COUNTRY_CURRENCY = {"US": "USD", "GB": "GBP", "DE": "EUR", "FR": "EUR"}
FOREIGN_SHARE = 12
"""Percent of customers who keep an account in their home country's currency."""

EMPLOYERS = ("Northwind Logistics", "Brightpath Health", "Cobalt Systems", "Harborline Shipping",
             "Summit Ridge Schools", "Evergreen Analytics", "Lakeside Manufacturing", "Crescent Foods",
             "Pinnacle Engineering", "Riverbend County", "Bluebird Media", "Oakmont Insurance Group",
             "Keystone Construction", "Silverleaf Software", "Granite State Utilities")
PAYROLL_GROSS = (Decimal("1400"), Decimal("4200"))
"""Biweekly net pay range of a retail customer (scaled by segment wealth)."""


@dataclass(frozen=True)
class Company:
    """A fictional listed company: its name, ticker, sector, and market behaviour."""

    name: str
    ticker: str
    sector: str
    start_low: Decimal
    start_high: Decimal
    drift: float
    volatility: float
    dividend_yield: Decimal


COMPANIES = (
    Company("Northwind Robotics Inc.", "NWRB", "Industrials", _d("40"), _d("180"), 0.10, 0.32, _d("0")),
    Company("Bluefin Therapeutics Corp.", "BFTX", "Health Care", _d("12"), _d("90"), 0.05, 0.55, _d("0")),
    Company("Harbor Freightways Co.", "HBFW", "Industrials", _d("30"), _d("120"), 0.04, 0.22, _d("2.1")),
    Company("Quillstone Software Inc.", "QLSW", "Information Technology", _d("80"), _d("420"), 0.14, 0.35, _d("0")),
    Company("Meadowlark Foods Corp.", "MDLK", "Consumer Staples", _d("25"), _d("95"), 0.03, 0.15, _d("3.2")),
    Company("Solaris Grid Energy Inc.", "SLGE", "Utilities", _d("18"), _d("70"), 0.05, 0.20, _d("3.8")),
    Company("Crimson Peak Mining Ltd.", "CPKM", "Materials", _d("8"), _d("45"), 0.02, 0.45, _d("1.2")),
    Company("Vantage Cloudworks Inc.", "VCLD", "Information Technology", _d("60"), _d("310"), 0.16, 0.40, _d("0")),
    Company("Pembrook Financial Group", "PMBK", "Financials", _d("35"), _d("140"), 0.06, 0.24, _d("2.6")),
    Company("Lumen Bay Retail Co.", "LMBY", "Consumer Discretionary", _d("20"), _d("110"), 0.07, 0.30, _d("1.4")),
    Company("Aster Biologics Inc.", "ASTB", "Health Care", _d("45"), _d("260"), 0.09, 0.38, _d("0")),
    Company("Tallgrass Railways Corp.", "TGRW", "Industrials", _d("70"), _d("230"), 0.05, 0.19, _d("1.9")),
    Company("Kestrel Aerospace Inc.", "KSTA", "Industrials", _d("90"), _d("380"), 0.08, 0.28, _d("0.9")),
    Company("Orchard Lane Beverages Co.", "OLBV", "Consumer Staples", _d("30"), _d("85"), 0.04, 0.14, _d("2.9")),
    Company("Ferrovia Steelworks Corp.", "FRVS", "Materials", _d("15"), _d("60"), 0.03, 0.33, _d("2.2")),
    Company("Brightline Telecom Inc.", "BLTC", "Communication Services", _d("20"), _d("75"), 0.03, 0.18, _d("4.5")),
    Company("Halcyon Resorts Group", "HLCY", "Consumer Discretionary", _d("25"), _d("130"), 0.06, 0.34, _d("0.8")),
    Company("Granite Peak Realty Trust", "GPRT", "Real Estate", _d("22"), _d("90"), 0.04, 0.21, _d("5.1")),
    Company("Cinder Semiconductor Corp.", "CNDS", "Information Technology", _d("50"), _d("480"), 0.18, 0.48, _d("0")),
    Company("Wayfarer Mobility Inc.", "WFMB", "Consumer Discretionary", _d("10"), _d("65"), 0.08, 0.52, _d("0")),
)
COMPANY_BY_TICKER = {c.ticker: c for c in COMPANIES}
PRICE_HISTORY_DAYS = 30
TRADING_DAYS_PER_YEAR = 252

PRODUCT_NAMES = {
    "checking": {"retail": "Everyday Checking", "premier": "Premier Checking", "private": "Private Client Checking"},
    "savings": {"retail": "High-Yield Savings", "premier": "Premier Savings", "private": "Private Reserve Savings"},
    "brokerage": {"retail": "Self-Directed Investing", "premier": "Managed Portfolio",
                  "private": "Private Wealth Portfolio"},
    "mortgage": {"retail": "Fixed-Rate Mortgage", "premier": "Fixed-Rate Mortgage", "private": "Jumbo Mortgage"},
}
CARD_TIERS = ("Rewards", "Cash Back", "Travel", "Platinum")
LOAN_PRODUCTS = {"auto": "Auto Loan", "personal": "Personal Loan", "student": "Student Loan Refinance"}
FOREIGN_PRODUCT = "Home Currency Savings"
SEGMENT_INCOME = {"retail": Decimal("1"), "premier": Decimal("2.2"), "private": Decimal("4")}
CREDIT_LIMITS = {"retail": (3, 24), "premier": (16, 60), "private": (40, 150)}
"""Credit limit ranges in steps of CREDIT_LIMIT_STEP."""
MORTGAGE_PRINCIPAL = {"retail": (Decimal("120000"), Decimal("420000")),
                      "premier": (Decimal("250000"), Decimal("780000")),
                      "private": (Decimal("650000"), Decimal("2400000"))}
BROKERAGE_SHARE = {"retail": 25, "premier": 85, "private": 100}
MORTGAGE_SHARE = {"retail": 35, "premier": 55, "private": 60}
LOAN_SHARE = 30
SAVINGS_SHARE = 75
CREDIT_CARD_SHARE = 80
RENT_SHARE = 75
