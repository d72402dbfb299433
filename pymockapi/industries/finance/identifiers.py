"""Banking identifiers with correct check digits, computed from their definitions.

The generator computes every check digit itself (Luhn, ABA 3-7-1, ISO 7064
mod 97-10, CUSIP, ISIN) so that the tests can verify them independently
with python-stdnum instead of trusting the same library twice.
"""

from __future__ import annotations

import random
import re
from functools import lru_cache

from pymockapi.industries.finance.data import BIC_LOCATIONS, Network
from pymockapi.industries.seeding import derive_seed

MASK = "\u2022\u2022\u2022\u2022"
_ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_CUSIP_ISSUER = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
"""CUSIP issuer characters: I and O are never used (they read as 1 and 0)."""
_ABA_WEIGHTS = (3, 7, 1, 3, 7, 1, 3, 7)


def digits(rng: random.Random, count: int) -> str:
    """``count`` random decimal digits (leading zeros allowed)."""
    return f"{rng.randrange(10 ** count):0{count}d}"


def luhn_digit(payload: str) -> str:
    """The Luhn check digit that makes ``payload + digit`` valid."""
    total = 0
    for position, char in enumerate(reversed(payload)):
        value = int(char) * (2 if position % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str((10 - total % 10) % 10)


def card_number(rng: random.Random, network: Network) -> str:
    """A Luhn-valid number starting with one of the network's public test BINs."""
    bin_ = rng.choice(network.bins)
    body = bin_ + digits(rng, network.length - len(bin_) - 1)
    return body + luhn_digit(body)


def mask(number: str) -> str:
    """How statements show a number: only its last four characters."""
    return f"{MASK} {number[-4:]}"


def aba_check_digit(first8: str) -> str:
    """ABA routing check digit: 3-7-1 weighted sum must be a multiple of 10."""
    total = sum(int(c) * w for c, w in zip(first8, _ABA_WEIGHTS, strict=True))
    return str((10 - total % 10) % 10)


def routing_number(rng: random.Random, prefix: int) -> str:
    """A routing number whose first two digits name the Federal Reserve district."""
    first8 = f"{prefix:02d}" + digits(rng, 6)
    return first8 + aba_check_digit(first8)


def bank_code(name: str) -> str:
    """The four-letter institution part of a BIC, from the bank's own name."""
    words = re.findall(r"[A-Za-z]+", name)
    initials = "".join(w[0] for w in words).upper()
    letters = "".join(words).upper()
    return (initials + letters)[:4]


def bic(code: str, country: str) -> str:
    """A SWIFT/BIC of the form BANK + country + location (8 characters)."""
    return f"{code}{country}{BIC_LOCATIONS[country]}"


def _numeric(text: str) -> str:
    """Letters become 10..35, as ISO 7064 and ISIN expect."""
    return "".join(str(_ALNUM.index(c)) for c in text)


def iban_check_digits(country: str, bban: str) -> str:
    """ISO 13616 check digits: mod 97-10 over BBAN + country + "00"."""
    return f"{98 - int(_numeric(bban + country + '00')) % 97:02d}"


def french_rib_key(bank: str, branch: str, account: str) -> str:
    """The two-digit RIB key that closes a French BBAN."""
    return f"{97 - (89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97:02d}"


def bban(rng: random.Random, country: str, code: str) -> str:
    """A domestic account identifier shaped like the country's IBAN registry entry."""
    if country == "GB":
        return code + digits(rng, 6) + digits(rng, 8)
    if country == "DE":
        return digits(rng, 8) + digits(rng, 10)
    bank, branch, account = digits(rng, 5), digits(rng, 5), digits(rng, 11)
    return bank + branch + account + french_rib_key(bank, branch, account)


def iban(country: str, bban_: str) -> str:
    """An IBAN (electronic form) for a domestic BBAN."""
    return f"{country}{iban_check_digits(country, bban_)}{bban_}"


def cusip_check_digit(first8: str) -> str:
    """CUSIP check digit (doubled every second character, digits summed)."""
    total = 0
    for position, char in enumerate(first8):
        value = _ALNUM.index(char) * (2 if position % 2 else 1)
        total += value // 10 + value % 10
    return str((10 - total % 10) % 10)


@lru_cache(maxsize=256)
def isin_for(ticker: str) -> str:
    """A stable US ISIN for a fictional ticker: US + CUSIP + ISIN check digit."""
    rng = random.Random(derive_seed("isin", ticker))
    issuer = "".join(rng.choice(_CUSIP_ISSUER) for _ in range(6))
    cusip8 = issuer + "10"
    body = "US" + cusip8 + cusip_check_digit(cusip8)
    return body + luhn_digit(_numeric(body))
