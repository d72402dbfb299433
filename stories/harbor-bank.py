"""Harbor Bank: a day in the financial life of Priya Shah, from payday to a market move."""

from pymockapi.dsl import Story, hero

story = Story(
    "harbor-bank",
    title="Harbor Bank: payday, a big purchase and a market move",
    industry="finance",
    seed=3,
    cast={"customer": 30, "advisor": 4, "institution": 3},
    heroes={"priya": hero("customer", first_name="Priya", last_name="Shah", age=41, segment="premier")},
)

story.get("/customers", "finance/customers.json.j2", collection="customer")
story.get("/customers/{customer_id}", "finance/customer.json.j2", persona="customer")
story.get("/customers/{customer_id}/accounts", "finance/accounts.json.j2", collection="account")
story.get("/customers/{customer_id}/transactions", "finance/transactions.json.j2", collection="transaction")
story.get("/customers/{customer_id}/cards", "finance/cards.json.j2", collection="card")
story.get("/customers/{customer_id}/holdings", "finance/holdings.json.j2", collection="holding")
story.get("/accounts/{account_id}", "finance/account.json.j2", record="account")
story.get("/institutions", "finance/institutions.json.j2", collection="institution")
story.get("/advisors/{advisor_id}", "finance/advisor.json.j2", persona="advisor")
story.post("/accounts/{account_id}/deposits", "finance/transaction.json.j2", creates="transaction", verb="deposit")
story.post("/accounts/{account_id}/payments", "finance/transaction.json.j2", creates="transaction", verb="spend")


def largest_holding(world) -> str:
    """Priya's largest position; with another session seed she may hold none, so look further."""
    for customer in [world.get("priya"), *world.records("customer")]:
        holdings = world.owned(customer["id"], "holding")
        if holdings:
            return max(holdings, key=lambda h: float(h["market_value"]["amount"]))["id"]
    raise LookupError("no customer of this world holds securities")


story.waypoint(
    "morning", initial=True,
    narration="Priya Shah opens the Harbor Bank app over coffee and checks her balances.")
story.waypoint(
    "payday", after="20s",
    narration="Payday: her salary lands in checking and the balance updates on screen.",
    does=lambda world: world.deposit("priya", "4250.00", memo="Payroll deposit from Lakeside Design Studio."))
story.waypoint(
    "big-purchase", on="advance",
    narration="A large purchase at an electronics store triggers a real-time alert.",
    does=lambda world: world.spend("priya", "1249.99", merchant="Brightline Electronics", mcc=5732))
story.waypoint(
    "savings-transfer", when="POST /accounts/{account_id}/deposits",
    narration="She moves part of her pay into savings, right from the app.")
story.waypoint(
    "market-move", on="advance",
    narration="Markets move: her largest holding rises 4.2% and the portfolio view follows.",
    does=lambda world: world.price_move(largest_holding(world), "4.2"))
