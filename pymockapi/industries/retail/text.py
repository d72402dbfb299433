"""Retail prose: product descriptions, reviews and return reasons.

Text is assembled from a record's own fields with sentence patterns kept
here as data, so every sentence is about the product at hand, deterministic
for the record (the caller passes its rng) and varied across records.
Review patterns are grouped by sentiment band so that the words always
agree with the stars.
"""

from __future__ import annotations

import random
import re

from pymockapi.industries.retail.data import CATEGORY_BY_NAME, FIT_WORDS, RETURN_FOLLOW_UPS, RETURN_REASONS

# Words that start with a vowel letter but a consonant sound.
_CONSONANT_SOUNDS = ("usb", "uni", "one", "eu")


def article(phrase: str) -> str:
    """``phrase`` with the indefinite article its first sound takes."""
    lower = phrase.lower()
    vowel = lower[:1] in "aeiou" and not lower.startswith(_CONSONANT_SOUNDS)
    return f"{'an' if vowel else 'a'} {phrase}"


def capitalise(sentence: str) -> str:
    """First letter upper-cased, the rest untouched (brand names keep their case)."""
    return sentence[:1].upper() + sentence[1:]


_OPENINGS = (
    "The {name} is {a_thing} {colour_phrase}, made for {use}.",
    "{brand} made this {noun} from {material} with {use} in mind.",
    "Built from {material}, this {noun} from {brand} is ready for {use}.",
    "Meet the {name}: {a_thing} {colour_phrase} designed for {use}.",
    "For {use}, the {name} pairs {material} with a clean {colour} look.",
    "The {descriptor} line from {brand} adds {a_thing} {colour_phrase} for {use}.",
    "Pick this {colour} {noun} from {brand} for {use}.",
    "{brand} chose {material} for this {noun}, a steady companion for {use}.",
)
_SPECS = (
    "Specs: {size}, {weight} g.",
    "Listed option: {size}; weight {weight} g.",
    "Offered in {size}, with a shipping weight of {weight} g.",
)


def describe_product(rng: random.Random, *, name: str, brand: str, descriptor: str, category: str,
                     noun: str, material: str, colour: str, size: str, use: str, weight_g: int) -> str:
    """Two or three sentences about one product, built from its attributes."""
    cat = CATEGORY_BY_NAME[category]
    slots = {"name": name, "brand": brand, "descriptor": descriptor, "noun": noun, "material": material,
             "colour": colour, "use": use,
             "a_thing": article(f"{material} {noun}"), "colour_phrase": cat.colour_phrase.format(colour=colour),
             "size": size, "weight": f"{weight_g:,}"}
    sentences = [rng.choice(_OPENINGS).format(**slots), rng.choice(cat.perks)]
    if rng.random() < 0.8:
        sentences.append(rng.choice(_SPECS).format(**slots))
    return " ".join(capitalise(s) for s in sentences)


# Review patterns by sentiment band; every pattern carries the band's tone.
REVIEW_TITLES: dict[str, tuple[str, ...]] = {
    "negative": ("Disappointed with this {noun}", "Not worth the price", "The {material} wore out fast",
                 "Poor choice for {use}", "Would not buy the {colour} again"),
    "mixed": ("Good {noun}, but not perfect", "Decent for {use}, with caveats",
              "Mixed feelings about the {colour}", "Okay, but the {material} could be better"),
    "positive": ("Love this {noun}", "Great {noun} for {use}", "Exactly what I wanted",
                 "The {colour} is perfect", "Excellent {material} quality"),
}
_REVIEW_OPENERS: dict[str, tuple[str, ...]] = {
    "negative": ("I bought the {colour} {noun} for {use} and was disappointed.",
                 "I had high hopes for this {noun}, but it let me down.",
                 "The {name} looked nice online, but the one I received was poor."),
    "mixed": ("I use the {colour} {noun} for {use}, and it is fine, but not great.",
              "The {name} does the job, though it has a few flaws.",
              "Some things about this {noun} are good, but others fall short."),
    "positive": ("I bought the {colour} {noun} for {use} and it has been great.",
                 "The {name} is exactly what I was looking for.",
                 "I love this {noun} and reach for it every week."),
}
_REVIEW_DETAILS: dict[str, tuple[str, ...]] = {
    "negative": ("The {material} did not hold up the way I hoped.",
                 "The {colour} looked nothing like the photos.",
                 "The {size} option was a poor match for the listing."),
    "mixed": ("The {material} is nice, but the {colour} is duller than pictured.",
              "The {size} option works, though the fit is a little off.",
              "The {material} feels solid, but it took a while to get used to."),
    "positive": ("The {material} feels excellent and has held up well.",
                 "The {colour} is even better in person.",
                 "The {size} option is a perfect fit for me."),
}
_REVIEW_CONTEXT = ("I have had it for {n} weeks now.", "It has been in use for about {n} months.",
                   "I ordered it {n} weeks ago.", "This is my {n}th week using it.",
                   "I compared it with {n} similar options before choosing.")
_REVIEW_CLOSERS: dict[int, tuple[str, ...]] = {
    1: ("I am returning it.", "One star, and only because zero is not an option."),
    2: ("Not worth the price in my view.", "Two stars for the quick delivery alone."),
    3: ("It is fine for the price, but I expected more.", "Three stars: useful, but not special."),
    4: ("I would recommend it to a friend.", "Four stars, and happy with the purchase."),
    5: ("I would happily buy it again.", "Five stars without hesitation."),
}


def sentiment_band(rating: int) -> str:
    """The tone a star rating calls for."""
    return "negative" if rating <= 2 else "mixed" if rating == 3 else "positive"


def review_text(rng: random.Random, rating: int, *, name: str, noun: str, material: str, colour: str,
                size: str, use: str) -> tuple[str, str]:
    """A (title, body) pair whose tone matches ``rating`` and that names the product's attributes."""
    band = sentiment_band(rating)
    slots = {"name": name, "noun": noun, "material": material, "colour": colour, "size": size, "use": use}
    title = capitalise(rng.choice(REVIEW_TITLES[band]).format(**slots))
    groups = [_REVIEW_OPENERS[band], _REVIEW_DETAILS[band], _REVIEW_CLOSERS[rating]]
    if rng.random() < 0.8:
        groups.insert(1, _REVIEW_CONTEXT)
    body = " ".join(capitalise(rng.choice(group).format(n=rng.randint(4, 12), **slots)) for group in groups)
    return title, body


def return_reason(rng: random.Random, code: str, *, name: str, noun: str, material: str, colour: str, size: str,
                  use: str) -> str:
    """Why a shopper sent an item back, in the shopper's words."""
    reason = capitalise(RETURN_REASONS[code].format(name=name, noun=noun, material=material, colour=colour,
                                                    size=size, use=use, fit=rng.choice(FIT_WORDS)))
    return f"{reason} {rng.choice(RETURN_FOLLOW_UPS)}".strip()


_BAD_TEXT = re.compile(r"[{}]|\bNone\b|  |\ba [aeio]|\ban [bcdfgjklmnpqrstvwxyz]")


def text_problem(text: object) -> str | None:
    """Why ``text`` is not presentable prose (None when it is)."""
    if not isinstance(text, str) or not text.strip():
        return "missing text"
    found = _BAD_TEXT.search(text)
    return f"malformed text near {found.group(0)!r}" if found else None
