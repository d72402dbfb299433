"""Jinja2 filters that make raw responses look like a finished product.

Templates stay declarative (``{{ order.total|money|tojson }}``) and every
presentation rule -- currency digits, date style, status colours, avatar
colours -- lives here once.  Locale-dependent text comes from Babel (CLDR),
so a template can switch ``locale="de_DE"`` without new code.  Every filter
is a pure function of its arguments: the same input gives the same output in
every process.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape

from babel import Locale
from babel.dates import format_date, format_datetime, format_timedelta
from babel.numbers import format_decimal, format_percent, list_currencies
from jinja2 import Undefined

from pymockapi.industries.healthcare.text import quantity_display, unit_display
from pymockapi.industries.money import money as industry_money
from pymockapi.render.serialize import dumps_fragment, json_default
from pymockapi.render.words import plural

DEFAULT_LOCALE = "en_US"
DEFAULT_CURRENCY = "USD"
DATE_PATTERN = "EEE d MMM y"
DATETIME_PATTERN = "EEE d MMM y, h:mm a"
#: Words that are part of a name but not of its initials.
NAME_PARTICLES = frozenset({
    "mr", "mrs", "ms", "mx", "dr", "prof", "sir", "rev", "jr", "sr", "ii", "iii", "iv",
    "md", "phd", "rn", "np", "pa", "do", "dds",
})
#: Avatar look: saturation and lightness are fixed so white initials always read well.
AVATAR_SATURATION = 0.55
AVATAR_LIGHTNESS = 0.42
AVATAR_SIZE = 64
#: Badge colours by tone (GitHub Primer palette: readable on light and dark).
TONES: dict[str, str] = {
    "success": "#1a7f37", "info": "#0969da", "warning": "#9a6700", "danger": "#cf222e",
    "neutral": "#6e7781", "progress": "#8250df",
}
#: UI status -> (label, tone).  Keys are normalised: lower case, ``_`` between words.
BADGES: dict[str, tuple[str, str]] = {
    "active": ("Active", "success"), "inactive": ("Inactive", "neutral"),
    "open": ("Open", "info"), "closed": ("Closed", "neutral"), "draft": ("Draft", "neutral"),
    "booked": ("Booked", "info"), "scheduled": ("Scheduled", "info"), "confirmed": ("Confirmed", "success"),
    "arrived": ("Arrived", "progress"), "checked_in": ("Checked in", "progress"),
    "in_progress": ("In progress", "progress"), "completed": ("Completed", "success"),
    "finished": ("Finished", "success"), "cancelled": ("Canceled", "danger"),
    "canceled": ("Canceled", "danger"), "no_show": ("No-show", "danger"),
    "pending": ("Pending", "warning"), "processing": ("Processing", "progress"),
    "on_hold": ("On hold", "warning"), "shipped": ("Shipped", "info"), "in_transit": ("In transit", "info"),
    "out_for_delivery": ("Out for delivery", "progress"), "delivered": ("Delivered", "success"),
    "returned": ("Returned", "neutral"), "refunded": ("Refunded", "neutral"),
    "paid": ("Paid", "success"), "unpaid": ("Unpaid", "warning"), "overdue": ("Overdue", "danger"),
    "posted": ("Posted", "success"), "authorized": ("Authorized", "info"),
    "approved": ("Approved", "success"), "declined": ("Declined", "danger"), "rejected": ("Rejected", "danger"),
    "failed": ("Failed", "danger"), "expired": ("Expired", "neutral"), "frozen": ("Frozen", "warning"),
    "blocked": ("Blocked", "danger"), "preliminary": ("Preliminary", "warning"), "final": ("Final", "success"),
    "amended": ("Amended", "info"), "normal": ("Normal", "success"), "abnormal": ("Abnormal", "warning"),
    "high": ("High", "warning"), "low": ("Low", "warning"), "critical": ("Critical", "danger"),
    "admitted": ("Admitted", "progress"), "discharged": ("Discharged", "success"),
    "in_stock": ("In stock", "success"), "low_stock": ("Low stock", "warning"),
    "out_of_stock": ("Out of stock", "danger"), "backordered": ("Backordered", "warning"),
}
#: The word for "no days apart", where CLDR's relative units would say "in 0 days".
TODAY: dict[str, str] = {"en": "today", "de": "heute", "fr": "aujourd’hui", "es": "hoy"}
_NON_DIGIT = re.compile(r"\D")
_EXTENSION = re.compile(r"\s*(?:x|ext\.?|extension)\s*(\d+)\s*$", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
NANP_LENGTH = 10


# -- money -------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _currencies() -> frozenset[str]:
    """ISO 4217 codes known to CLDR (Babel builds this set anew on every call)."""
    return frozenset(list_currencies())


@lru_cache(maxsize=64)
def _locale(name: str) -> Locale:
    """A parsed locale, kept: parsing costs more than formatting one value."""
    return Locale.parse(name)


#: The largest amount a filter writes out (SPEC: money has at most 15 digits before the point).
MAX_WHOLE_DIGITS = 15
#: The smallest fraction a filter writes out, and the most digits ``percent`` shows after the point.
MAX_FRACTION_DIGITS = 20


def _decimal(amount: Any) -> Decimal:
    if isinstance(amount, bool):
        raise ValueError(f"money needs an amount, got {amount!r}")
    if isinstance(amount, float):
        amount = repr(amount)  # the shortest text that round-trips, not the binary expansion
    try:
        value = Decimal(str(amount).strip())
    except InvalidOperation:
        raise ValueError(f"money needs a number, got {amount!r}") from None
    if not value.is_finite():
        raise ValueError(f"money needs a finite amount, got {amount!r}")
    if value and not -MAX_FRACTION_DIGITS <= value.adjusted() < MAX_WHOLE_DIGITS:
        # "1e999999" would be written out digit by digit: a megabyte and seconds of the loop
        raise ValueError(f"amounts have at most {MAX_WHOLE_DIGITS} digits before the point and "
                         f"{MAX_FRACTION_DIGITS} after it, got {str(amount)[:40]!r}")
    return value


def money(amount: Any, currency: str = DEFAULT_CURRENCY, locale: str = DEFAULT_LOCALE) -> dict[str, str]:
    """SPEC's money shape ``{"amount": "1234.50", "currency": "USD", "display": "$1,234.50"}``.

    ``amount`` may be a number, numeric text or an existing money object (whose
    own currency is kept, so re-formatting for another locale never converts).
    The amount is rounded half-even to the currency's minor units (JPY has none).
    """
    if isinstance(amount, Mapping):
        currency = str(amount.get("currency") or currency)
        amount = amount["amount"]
    code = currency.upper()
    if code not in _currencies():
        raise ValueError(f"'{currency}' is not an ISO 4217 currency code")
    return industry_money(_decimal(amount), code, str(_locale(locale)))


# -- dates -------------------------------------------------------------------------
def _as_datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, str):
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    raise ValueError(f"expected a date, datetime or ISO 8601 text, got {value!r}")


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) and not isinstance(value, datetime) else _as_datetime(value).date()


def iso(value: Any) -> str:
    """ISO 8601 text of a date or datetime (text is parsed first, so it is checked)."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return _as_datetime(value).isoformat() if "T" in str(value) else _as_date(value).isoformat()


def date_display(value: Any, locale: str = DEFAULT_LOCALE) -> str:
    """``"Tue 12 Mar 2026"``: a date as people read it on a card or a table."""
    return format_date(_as_date(value), DATE_PATTERN, locale=_locale(locale))


def datetime_display(value: Any, locale: str = DEFAULT_LOCALE) -> str:
    """``"Tue 12 Mar 2026, 9:40 AM"`` in the datetime's own zone (naive means as written)."""
    moment = _as_datetime(value)
    return format_datetime(moment, DATETIME_PATTERN, tzinfo=moment.tzinfo, locale=_locale(locale))


def relative_date(value: Any, anchor: Any, locale: str = DEFAULT_LOCALE) -> str:
    """``"3 days ago"``, ``"in 2 weeks"``, ``"today"``: ``value`` seen from ``anchor``.

    The anchor is the session's anchor date, never the wall clock, so the
    text is the same on every replay of the demo.
    """
    days = (_as_date(value) - _as_date(anchor)).days
    if days == 0 and locale.split("_")[0] in TODAY:
        return TODAY[locale.split("_")[0]]
    return format_timedelta(timedelta(days=days), add_direction=True, granularity="day", threshold=1,
                            locale=_locale(locale))


# -- numbers and words -------------------------------------------------------------
def percent(value: Any, digits: int = 1, fraction: bool = False, locale: str = DEFAULT_LOCALE) -> str:
    """``4.2`` -> ``"4.2%"``; with ``fraction=True`` the value is a ratio (``0.042``)."""
    number = _decimal(value)
    if isinstance(digits, bool) or not isinstance(digits, int) or not 0 <= digits <= MAX_FRACTION_DIGITS:
        raise ValueError(f"percent shows 0 to {MAX_FRACTION_DIGITS} digits after the point, got {digits!r}")
    ratio = number if fraction else number / 100
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "") + "%"
    return format_percent(ratio, pattern, locale=_locale(locale), decimal_quantization=True)


def pluralize(count: Any, singular: str, plural_form: str | None = None, locale: str = DEFAULT_LOCALE) -> str:
    """``"1 result"``, ``"3 results"``, ``"1,204 patients"``."""
    number = _decimal(count)
    word = singular if number == 1 else (plural_form or plural(singular))
    return f"{format_decimal(number, locale=_locale(locale))} {word}"


def e164(value: Any) -> str | None:
    """``"+1-617-555-0142"`` -> ``"+16175550142"``: what a field named ``e164`` must hold (None stays None)."""
    if value is None:
        return None
    text = str(value).strip()
    extension = _EXTENSION.search(text)
    digits = _NON_DIGIT.sub("", text[: extension.start()] if extension else text)
    if len(digits) == NANP_LENGTH:
        digits = "1" + digits
    return "+" + digits if digits else text


def phone_display(value: Any) -> str:
    """``"+1-617-555-0142"`` -> ``"(617) 555-0142"``; other numbers are left as given."""
    text = str(value).strip()
    extension = _EXTENSION.search(text)
    main = text[: extension.start()] if extension else text
    digits = _NON_DIGIT.sub("", main)
    if len(digits) == NANP_LENGTH + 1 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) != NANP_LENGTH:
        return text
    shown = f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"
    return f"{shown} ext. {extension.group(1)}" if extension else shown


def _name_text(value: Any) -> str:
    if isinstance(value, Mapping):
        for key in ("display_name", "name"):
            if value.get(key):
                return str(value[key])
        return " ".join(str(value.get(k) or "") for k in ("first_name", "last_name")).strip()
    return str(value)


def initials(value: Any) -> str:
    """``"Maria Alvarez"`` -> ``"MA"``: first and last word, titles and suffixes skipped.

    Accepts a name or a persona-like mapping (``display_name`` or
    ``first_name``/``last_name``); ``"?"`` when nothing is left.
    """
    words = [w for w in _WORD.findall(_name_text(value)) if w.lower().rstrip(".") not in NAME_PARTICLES]
    if not words:
        return "?"
    picked = (words[0], words[-1]) if len(words) > 1 else (words[0],)
    return "".join(w[0] for w in picked).upper()


def _hsl_hex(hue: float, saturation: float, lightness: float) -> str:
    chroma = (1 - abs(2 * lightness - 1)) * saturation
    sector = hue / 60.0
    x = chroma * (1 - abs(sector % 2 - 1))
    rgb = ((chroma, x, 0.0), (x, chroma, 0.0), (0.0, chroma, x),
           (0.0, x, chroma), (x, 0.0, chroma), (chroma, 0.0, x))[int(sector) % 6]
    m = lightness - chroma / 2
    return "#" + "".join(f"{round((c + m) * 255):02x}" for c in rgb)


def avatar_colour(value: Any) -> str:
    """A stable colour for a name: BLAKE2b of the name picks the hue."""
    digest = hashlib.blake2b(_name_text(value).encode(), digest_size=2).digest()
    hue = int.from_bytes(digest, "big") % 360
    return _hsl_hex(float(hue), AVATAR_SATURATION, AVATAR_LIGHTNESS)


def avatar(value: Any, size: int = AVATAR_SIZE) -> str:
    """An SVG data URI: the initials on a disc whose colour is derived from the name."""
    side = max(8, min(int(size), 1024))
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{side}" height="{side}" viewBox="0 0 64 64">'
        f'<circle cx="32" cy="32" r="32" fill="{avatar_colour(value)}"/>'
        '<text x="32" y="32" dy=".35em" text-anchor="middle" fill="#ffffff" '
        'font-family="Helvetica, Arial, sans-serif" font-size="26" font-weight="600">'
        f"{escape(initials(value))}</text></svg>"
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def badge(status: Any) -> dict[str, str]:
    """A UI status chip ``{"label": "Shipped", "color": "#0969da"}``; unknown statuses are grey."""
    key = re.sub(r"[\s\-]+", "_", str(status).strip().lower())
    label, tone = BADGES.get(key, (key.replace("_", " ").capitalize() or "Unknown", "neutral"))
    return {"label": label, "color": TONES[tone]}


def _template_default(value: Any) -> Any:
    if isinstance(value, Undefined):
        value._fail_with_undefined_error()
    return json_default(value)


def tojson(value: Any) -> str:
    """Compact JSON of a leaf or block, keeping key order (Jinja's own sorts keys).

    An undefined variable anywhere inside ``value`` fails as undefined (the
    encoder error carries it as ``__cause__``), not as "not serialisable".
    """
    return dumps_fragment(value, default=_template_default)


#: Every filter the template environment registers, by name.
FILTERS: dict[str, Callable[..., Any]] = {
    "tojson": tojson, "money": money, "iso": iso, "date_display": date_display, "datetime_display": datetime_display,
    "relative_date": relative_date, "percent": percent, "pluralize": pluralize,
    "phone_display": phone_display, "e164": e164, "initials": initials, "avatar": avatar,
    "avatar_colour": avatar_colour, "badge": badge,
    "unit_display": unit_display, "quantity_display": quantity_display,
}
