"""Lumen Pay: a banking app served from its own API description, from payday to a bill paid in the app.

The endpoints are the operations of ``specs/lumen-pay.yaml``.  A timer brings
Dana's pay, the app's own ``POST /v1/customers/{customer_id}/payments``
moves the story on (pay comes first, so the bill is always covered), and the
presenter cues the last beat.
"""

from pymockapi.dsl import Story, hero

#: The bill the presenter pays from the app (the front-end posts exactly this).
BILL_AMOUNT = "86.40"
BILL_PAYEE = "Cascade Power & Light"
BILL_MCC = "4900"
EMPLOYER = "Alder & Finch Architects"

story = Story(
    "lumen-pay",
    title="Lumen Pay: payday, then a bill paid in the app",
    industry="finance",
    seed=11,
    cast={"customer": 24, "advisor": 3, "institution": 3},
    heroes={"dana": hero("customer", first_name="Dana", last_name="Whitfield", age=36, segment="premier",
                         employer=EMPLOYER)},
    openapi="specs/lumen-pay.yaml",
    bind={"Account.routing_number": "institution.routing_number"},
)


def bill_paid(world) -> None:
    """The app's payment normally made this; if the presenter skipped the app, pay the bill for Dana."""
    dana = world.get("dana")["id"]
    paid = any(t.get("merchant") == BILL_PAYEE and t["amount"]["amount"] == BILL_AMOUNT
               for t in world.owned(dana, "transaction"))
    if not paid:
        world.spend("dana", BILL_AMOUNT, merchant=BILL_PAYEE, mcc=BILL_MCC)


story.waypoint(
    "dashboard", initial=True,
    narration="On payday morning Dana Whitfield, 36, opens Lumen Pay: her electricity bill is due today.")
story.waypoint(
    "payday", after="20s",
    narration=f"Her pay lands: $2,140.00 from {EMPLOYER} arrives in checking and the balance rises by exactly "
              "that.",
    does=lambda world: world.deposit("dana", "2140.00", memo=f"Payroll deposit from {EMPLOYER}."))
story.waypoint(
    "bill-paid", when="POST /v1/customers/{customer_id}/payments",
    narration=f"She pays the ${BILL_AMOUNT} {BILL_PAYEE} bill from the app; it posts at once and shows in her "
              "activity.",
    does=bill_paid)
story.waypoint(
    "lunch", on="advance",
    narration="At lunch she taps her card for $18.25 at Greenleaf Kitchen and the purchase appears within seconds.",
    does=lambda world: world.spend("dana", "18.25", merchant="Greenleaf Kitchen", mcc="5812"))
