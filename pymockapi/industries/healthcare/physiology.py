"""Physiology: reference intervals, plausible values and their interpretation.

A value, its reference interval and its interpretation must never disagree
on screen (a heart rate of 112 flagged "normal" would end a demo), so the
interval is looked up for the patient's age and sex at the time of the
measurement and the flag is computed from the rounded value.
"""

from __future__ import annotations

import random
from collections.abc import Mapping

from pymockapi.industries.healthcare.data import ObservationKind, RefBand

_ADULT_HEIGHT_CM: Mapping[str, float] = {"female": 163.0, "male": 176.0}
_CHILD_HEIGHT_CM: tuple[tuple[float, float], ...] = (
    (76.0, 75.0), (87.0, 86.0), (95.0, 94.0), (103.0, 102.0), (110.0, 109.0), (116.0, 115.0), (122.0, 121.0),
    (128.0, 127.0), (133.0, 133.0), (138.0, 138.0), (144.0, 145.0), (150.0, 151.0), (156.0, 157.0),
    (163.0, 160.0), (169.0, 162.0), (173.0, 163.0), (175.0, 163.0),
)
"""Median height by completed year of age 1..17 as (male, female), CDC growth charts rounded."""


def reference_band(kind: ObservationKind, age: int, sex: str) -> RefBand | None:
    """The interval that applies to a patient of ``age`` and ``sex`` (None when unbanded)."""
    found: RefBand | None = None
    for band in kind.bands:
        if age >= band.min_age and band.sex in (None, sex):
            found = band
    return found


def interpret(value: float, band: RefBand | None) -> str | None:
    """``normal``/``high``/``low`` for a value against its interval (None without one)."""
    if band is None:
        return None
    if value > band.high:
        return "high"
    if value < band.low:
        return "low"
    return "normal"


def round_value(kind: ObservationKind, value: float) -> float | int:
    """A value rounded to the precision the instrument reports."""
    if kind.decimals == 0:
        return round(value)
    return round(value, kind.decimals)


def draw_value(kind: ObservationKind, band: RefBand, rng: random.Random, push: str | None) -> float | int:
    """A plausible value: inside the interval, or past it in the direction ``push`` says."""
    width = band.high - band.low
    if push == "high":
        raw = band.high + max(width, kind.spread) * rng.uniform(0.08, 1.0)
    elif push == "low":
        raw = rng.uniform(kind.floor, band.low)
    else:
        raw = rng.uniform(band.low + width * 0.1, band.high - width * 0.1)
    low, high = kind.plausible
    return round_value(kind, min(high, max(low, raw)))


def height_cm(age: int, months: int, sex: str, z: float) -> float:
    """Body height for an age (months for infants) with a personal z-score."""
    if age == 0:
        median = 50.0 + 2.2 * months
    elif age < 18:
        male, female = _CHILD_HEIGHT_CM[age - 1]
        median = male if sex == "male" else female
    else:
        median = _ADULT_HEIGHT_CM[sex]
    return round(median * (1.0 + 0.04 * z), 1)


def bmi_of(weight_kg: float, height: float) -> float:
    """Body mass index from weight in kg and height in cm, to one decimal."""
    return round(weight_kg / (height / 100.0) ** 2, 1)
