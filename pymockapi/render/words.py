"""English number agreement for generated labels and XML element names.

XML lists are written as repeated elements named by the singular of their
parent key (``patients`` -> ``patient``) and the ``pluralize`` filter needs
the other direction.  A full inflection library is more than API keys need:
a few suffix rules plus a table of irregular words cover them.
"""

from __future__ import annotations

#: Plural -> singular for words the suffix rules get wrong.
IRREGULAR: dict[str, str] = {
    "people": "person", "children": "child", "men": "man", "women": "woman",
    "feet": "foot", "teeth": "tooth", "mice": "mouse", "geese": "goose",
    "criteria": "criterion", "phenomena": "phenomenon", "indices": "index",
    "matrices": "matrix", "vertices": "vertex", "analyses": "analysis",
    "diagnoses": "diagnosis", "prognoses": "prognosis", "theses": "thesis",
    "statuses": "status", "addresses": "address", "businesses": "business",
    "quizzes": "quiz", "leaves": "leaf", "shelves": "shelf", "knives": "knife",
    "lives": "life", "wives": "wife", "halves": "half", "movies": "movie",
    "cookies": "cookie", "series": "series", "species": "species", "news": "news",
    "data": "data", "media": "medium", "heroes": "hero", "tomatoes": "tomato",
    "potatoes": "potato", "echoes": "echo", "vetoes": "veto", "appendices": "appendix", "aliases": "alias",
    "buses": "bus", "viruses": "virus", "campuses": "campus", "bonuses": "bonus",
}
#: Singular -> plural, the same knowledge read the other way.
IRREGULAR_PLURAL: dict[str, str] = {single: plural for plural, single in IRREGULAR.items()}
#: (plural suffix, singular suffix), most specific first.
SINGULAR_RULES: tuple[tuple[str, str], ...] = (
    ("ies", "y"), ("sses", "ss"), ("shes", "sh"), ("ches", "ch"), ("xes", "x"), ("zzes", "z"), ("s", ""),
)
#: (singular suffix, plural suffix), most specific first.
PLURAL_RULES: tuple[tuple[str, str], ...] = (
    ("ss", "sses"), ("sh", "shes"), ("ch", "ches"), ("x", "xes"), ("z", "zes"), ("s", "ses"),
)
#: Endings that look plural but are not (``status``, ``analysis``, ``address``).
NOT_PLURAL = ("ss", "us", "is")
VOWELS = "aeiou"
SEPARATORS = ("_", "-", ".", " ")


def _split_last(word: str) -> tuple[str, str]:
    """``("lab_", "results")`` for ``"lab_results"``: compound keys inflect their last word."""
    cut = max(word.rfind(sep) for sep in SEPARATORS) + 1
    return word[:cut], word[cut:]


def _match_case(word: str, template: str) -> str:
    """``word`` in the case of ``template`` (``PEOPLE`` -> ``PERSON``, ``People`` -> ``Person``)."""
    if template.isupper() and len(template) > 1:
        return word.upper()
    return word[:1].upper() + word[1:] if template[:1].isupper() else word


def singular(word: str) -> str | None:
    """The singular of an English plural noun, or ``None`` when ``word`` is not one.

    Only the last part of a compound key changes (``lab_results`` ->
    ``lab_result``, ``related-people`` -> ``related-person``).
    """
    head, tail = _split_last(word)
    lower = tail.lower()
    if lower in IRREGULAR:
        found = IRREGULAR[lower]
        return head + _match_case(found, tail) if found != lower else None
    if lower.endswith(NOT_PLURAL) or len(lower) < 3:
        return None
    for suffix, replacement in SINGULAR_RULES:
        if lower.endswith(suffix):
            stem = tail[: len(tail) - len(suffix)]
            return head + stem + (replacement.upper() if tail.isupper() else replacement)
    return None


def plural(word: str) -> str:
    """The plural of an English singular noun (the last word of a compound)."""
    head, tail = _split_last(word)
    lower = tail.lower()
    if lower in IRREGULAR_PLURAL:
        return head + _match_case(IRREGULAR_PLURAL[lower], tail)
    if lower.endswith("y") and len(lower) > 1 and lower[-2] not in VOWELS:
        return head + tail[:-1] + "ies"
    for suffix, replacement in PLURAL_RULES:
        if lower.endswith(suffix):
            return head + tail[: len(tail) - len(suffix)] + replacement
    return word + "s"
