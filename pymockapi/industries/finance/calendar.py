"""Date arithmetic banks use: anniversaries, monthly due dates, random days in a span.

A generic helper any industry could share (month ends and leap days are
clipped rather than overflowing).
"""

from __future__ import annotations

import calendar
import random
from datetime import date, timedelta


def add_months(day: date, months: int, on_day: int | None = None) -> date:
    """``day`` moved by ``months``, on ``on_day`` (or the same day) clipped to the month's end."""
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(on_day or day.day, last))


def add_years(day: date, years: int) -> date:
    """An anniversary; 29 February falls back to 28 February."""
    return add_months(day, 12 * years)


def day_between(rng: random.Random, first: date, last: date) -> date:
    """A uniformly random day in [first, last] (``first`` when the span is empty)."""
    span = (last - first).days
    return first + timedelta(days=rng.randint(0, span)) if span > 0 else first


def monthly(first_due: date, start: date, end: date) -> list[date]:
    """Due dates on ``first_due``'s day of month that fall within [start, end]."""
    dates: list[date] = []
    months = max((start.year - first_due.year) * 12 + start.month - first_due.month - 1, 0)
    while True:
        due = add_months(first_due, months)
        months += 1
        if due > end:
            return dates
        if due >= start:
            dates.append(due)


def months_between(first_due: date, before: date) -> int:
    """How many monthly due dates from ``first_due`` fall strictly before ``before``."""
    if before <= first_due:
        return 0
    months = (before.year - first_due.year) * 12 + before.month - first_due.month
    return months + 1 if add_months(first_due, months) < before else months
