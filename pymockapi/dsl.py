"""The public extension API: what a story module (or an industry package) imports.

A story: ``from pymockapi.dsl import Story, hero``.  An industry of your own
(see "Your own industry" in the README) needs nothing beyond this module:
record types, a generator table built on :class:`GenContext` and the shared
people/places/money generators, a rule table in the one rule protocol
(rules yield ``(field, problem)`` pairs; :func:`need` and friends read
fields), verbs acting on a :class:`WorldView`, and an :class:`IndustryPack`
tying them together.
"""

from pymockapi.engine.plan import Endpoint, Trigger, Waypoint
from pymockapi.industries.base import AltFormat, Generator, IndustryPack, Verb, WorldView
from pymockapi.industries.common import (
    address,
    address_problems,
    age_on,
    contact,
    days_before,
    email_problems,
    organisation_name,
    person,
    phone_problems,
    ssn_like,
)
from pymockapi.industries.money import amount_of, cents, money, round_money
from pymockapi.industries.records import Record, RecordId, RecordType
from pymockapi.industries.rules import (
    Problem,
    RecordSet,
    Rule,
    RuleTable,
    Unreadable,
    Violation,
    need,
    need_date,
    need_instant,
    present,
)
from pymockapi.industries.seeding import GenContext, derive_seed
from pymockapi.story.dsl import Hero, Story, hero

__all__ = [
    "AltFormat", "Endpoint", "GenContext", "Generator", "Hero", "IndustryPack", "Problem", "Record", "RecordId",
    "RecordSet", "RecordType", "Rule", "RuleTable", "Story", "Trigger", "Unreadable", "Verb", "Violation",
    "Waypoint", "WorldView", "address", "address_problems", "age_on", "amount_of", "cents", "contact",
    "days_before", "derive_seed", "email_problems", "hero", "money", "need", "need_date", "need_instant",
    "organisation_name", "person", "phone_problems", "present", "round_money", "ssn_like",
]
