"""A small fictional market: one seeded price path per ticker per world.

Every holding of the same ticker in a world must show the same prices, so
the path is a function of the world's seeds and the ticker only (cached,
because many customers hold the same few stocks).  Prices follow geometric
Brownian motion, which keeps them positive by construction, and close only
on the New York Stock Exchange's trading days.
"""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal
from functools import lru_cache

from pymockapi.industries.calendars import Calendar, last_business_days
from pymockapi.industries.finance.data import COMPANY_BY_TICKER, PRICE_HISTORY_DAYS, TRADING_DAYS_PER_YEAR
from pymockapi.industries.money import CENT, cents
from pymockapi.industries.seeding import GenContext

PricePoint = tuple[str, Decimal]


def price_history(gen: GenContext, ticker: str) -> tuple[PricePoint, ...]:
    """The ticker's daily closes (ISO date, price) ending at the world's anchor date."""
    return _history(gen.story, gen.story_seed, gen.session_seed, gen.anchor, ticker)


@lru_cache(maxsize=4096)
def _history(story: str, story_seed: int, session_seed: int, anchor: date, ticker: str) -> tuple[PricePoint, ...]:
    company = COMPANY_BY_TICKER[ticker]
    rng = GenContext(story, story_seed, session_seed, anchor).rng("market", ticker)
    low, high = float(company.start_low), float(company.start_high)
    price = rng.uniform(low, high)
    dt = 1 / TRADING_DAYS_PER_YEAR
    drift = (company.drift - company.volatility ** 2 / 2) * dt
    shock = company.volatility * math.sqrt(dt)
    points: list[PricePoint] = []
    for day in last_business_days(anchor, PRICE_HISTORY_DAYS, Calendar.EXCHANGE):
        points.append((day.isoformat(), max(CENT, cents(Decimal(f"{price:.4f}")))))
        price *= math.exp(drift + shock * rng.gauss(0.0, 1.0))
    return tuple(points)


def history_rows(history: tuple[PricePoint, ...]) -> list[dict[str, str]]:
    """The price history as records show it (fresh dicts each call)."""
    return [{"date": day, "close": close} for day, close in _as_text(history)]


@lru_cache(maxsize=4096)
def _as_text(history: tuple[PricePoint, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((day, str(close)) for day, close in history)


def change_percent(first: Decimal, last: Decimal) -> Decimal:
    """Percent change from ``first`` to ``last``, to one decimal place."""
    return ((last - first) / first * 100).quantize(Decimal("0.1"))
