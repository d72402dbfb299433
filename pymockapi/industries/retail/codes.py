"""Identifier formats of retail: GTIN-13 / UPC-A and carrier tracking numbers.

GTIN check digits come from python-stdnum; the carriers' own check digits
(UPS 1Z, FedEx Express, USPS IMpb) have no stdnum module, so their
algorithms live here, each next to the minting function that uses it.
"""

from __future__ import annotations

import random
import re
import string

from stdnum import ean

from pymockapi.industries.retail.data import (
    EAN_PREFIXES,
    FEDEX_SERVICES,
    UPC_NUMBER_SYSTEMS,
    UPS_SERVICES,
    USPS_SERVICES,
)

UPS_PATTERN = re.compile(r"^1Z[0-9A-Z]{6}\d{2}\d{8}$")
FEDEX_PATTERN = re.compile(r"^\d{12}$")
USPS_PATTERN = re.compile(r"^(9400|9205)\d{18}$")
_SHIPPER_ALPHABET = string.digits + string.ascii_uppercase
_FEDEX_WEIGHTS = (1, 3, 7)


def with_gtin_check(body: str) -> str:
    """``body`` followed by its GS1 mod-10 check digit (GTIN, UPC, USPS IMpb)."""
    return body + ean.calc_check_digit(body)


def mint_upc_a(rng: random.Random) -> str:
    """A 12-digit UPC-A with a trade-item number system and a valid check digit."""
    body = rng.choice(UPC_NUMBER_SYSTEMS) + "".join(rng.choice(string.digits) for _ in range(10))
    return with_gtin_check(body)


def mint_ean_13(rng: random.Random) -> str:
    """A 13-digit EAN with a GS1 member-country prefix and a valid check digit."""
    prefix = rng.choice(EAN_PREFIXES)
    return with_gtin_check(prefix + "".join(rng.choice(string.digits) for _ in range(12 - len(prefix))))


def ups_check_digit(body: str) -> str:
    """UPS check digit over the 15 characters after "1Z".

    Letters count as ``(position in alphabet + 2) mod 10``; odd positions
    (1-based) are summed once, even positions twice.
    """
    values = [int(c) if c.isdigit() else (ord(c) - ord("A") + 2) % 10 for c in body]
    total = sum(values[0::2]) + 2 * sum(values[1::2])
    return str((10 - total % 10) % 10)


def fedex_check_digit(body: str) -> str:
    """FedEx Express (12-digit) check digit: weights 1, 3, 7 from the right, mod 11, mod 10."""
    total = sum(int(c) * _FEDEX_WEIGHTS[i % 3] for i, c in enumerate(reversed(body)))
    return str(total % 11 % 10)


def mint_tracking(carrier: str, rng: random.Random) -> tuple[str, str]:
    """A tracking number in ``carrier``'s real format, with the service it encodes."""
    if carrier == "UPS":
        code = rng.choice(sorted(UPS_SERVICES))
        shipper = "".join(rng.choice(_SHIPPER_ALPHABET) for _ in range(6))
        body = shipper + code + "".join(rng.choice(string.digits) for _ in range(7))
        return "1Z" + body + ups_check_digit(body), UPS_SERVICES[code]
    if carrier == "USPS":
        prefix = rng.choice(sorted(USPS_SERVICES))
        body = prefix + "".join(rng.choice(string.digits) for _ in range(17))
        return with_gtin_check(body), USPS_SERVICES[prefix]
    body = str(rng.randint(1, 9)) + "".join(rng.choice(string.digits) for _ in range(10))
    return body + fedex_check_digit(body), rng.choice(FEDEX_SERVICES)


def tracking_problem(carrier: str, number: str) -> str | None:
    """Why ``number`` is not a valid tracking number of ``carrier`` (None when it is)."""
    if carrier == "UPS":
        if not UPS_PATTERN.match(number):
            return "not a UPS 1Z number"
        if number[8:10] not in UPS_SERVICES:
            return f"unknown UPS service code {number[8:10]}"
        return None if ups_check_digit(number[2:17]) == number[17] else "UPS check digit is wrong"
    if carrier == "USPS":
        if not USPS_PATTERN.match(number):
            return "not a 22-digit USPS IMpb number starting 9400 or 9205"
        return None if with_gtin_check(number[:21]) == number else "USPS mod-10 check digit is wrong"
    if carrier == "FedEx":
        if not FEDEX_PATTERN.match(number):
            return "not a 12-digit FedEx Express number"
        return None if fedex_check_digit(number[:11]) == number[11] else "FedEx check digit is wrong"
    return f"unknown carrier {carrier!r}"
