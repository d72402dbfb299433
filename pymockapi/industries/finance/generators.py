"""The finance generator table: each persona kind and the function that makes it.

A customer comes with their whole book (accounts, cards, statement lines,
holdings); advisors and institutions own nothing.  Each generator is pure
in its arguments.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pymockapi.industries.base import Generator
from pymockapi.industries.finance.accounts import book_records
from pymockapi.industries.finance.kinds import ADVISOR, CUSTOMER, INSTITUTION
from pymockapi.industries.finance.people import advisor, customer, institution
from pymockapi.industries.seeding import GenContext

Record = dict[str, Any]


def customer_with_book(gen: GenContext, index: int, pins: Mapping[str, Any]) -> list[Record]:
    record = customer(gen, index, pins)
    return [record, *book_records(gen, index, record)]


GENERATORS: dict[str, Generator] = {
    CUSTOMER.name: customer_with_book,
    ADVISOR.name: lambda gen, index, pins: [advisor(gen, index, pins)],
    INSTITUTION.name: lambda gen, index, pins: [institution(gen, index, pins)],
}
