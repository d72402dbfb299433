"""How an API name reads as words: ``accountNumber``, ``account_number``, ``AccountNumbers`` and
``ACCOUNT-NUMBER`` all read ``account number``.

One splitter for the binder (matching names to record fields) and the
synthesiser (text that reads like the field), so both hear the same words.
"""

from __future__ import annotations

import functools
import re

from pymockapi.apispec import vocabulary as V

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")


def singular(word: str) -> str:
    if word in V.IRREGULAR:
        return V.IRREGULAR[word]
    if len(word) < 4 or word in V.SINGULAR_S or not word.endswith("s"):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith(("ss", "us", "is")):
        return word
    return word[:-1]


@functools.lru_cache(maxsize=16384)
def words(name: str) -> tuple[str, ...]:
    """``accountNumber``, ``account_number``, ``AccountNumbers``, ``ACCOUNT-NUMBER`` -> ``("account", "number")``."""
    return tuple(singular(w.lower()) for w in _WORD.findall(name))


def phrase(name: str) -> str:
    return " ".join(words(name))


__all__ = ["phrase", "singular", "words"]
