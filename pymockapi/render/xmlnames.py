"""Safe XML element names and text from arbitrary JSON keys and strings.

JSON keys may be anything (``"2fa"``, ``"first name"``, ``"xmlns"``,
``""``); XML names may not.  Characters outside the XML 1.0 (5th edition)
``NameChar`` production become ``_``; a name that cannot start an XML name
(a digit, ``-``, ``.``) or that starts with the reserved ``xml`` prefix gets
a leading ``_``.  Colons are replaced too: keys are never namespaces.  Text
loses the characters XML 1.0 cannot carry at all (C0 controls other than
tab, newline and carriage return, lone surrogates, U+FFFE/U+FFFF), so the
output is always well-formed.
"""

from __future__ import annotations

import re

#: XML 1.0 (5th edition) NameStartChar ranges, without ":".
NAME_START_RANGES: tuple[tuple[int, int], ...] = (
    (ord("A"), ord("Z")), (ord("_"), ord("_")), (ord("a"), ord("z")),
    (0xC0, 0xD6), (0xD8, 0xF6), (0xF8, 0x2FF), (0x370, 0x37D), (0x37F, 0x1FFF),
    (0x200C, 0x200D), (0x2070, 0x218F), (0x2C00, 0x2FEF), (0x3001, 0xD7FF),
    (0xF900, 0xFDCF), (0xFDF0, 0xFFFD), (0x10000, 0xEFFFF),
)
#: Extra characters allowed after the first (NameChar minus NameStartChar).
NAME_EXTRA_RANGES: tuple[tuple[int, int], ...] = (
    (ord("-"), ord(".")), (ord("0"), ord("9")), (0xB7, 0xB7), (0x300, 0x36F), (0x203F, 0x2040),
)
#: Characters XML 1.0 allows in text (the ``Char`` production).
TEXT_RANGES: tuple[tuple[int, int], ...] = (
    (0x9, 0xA), (0xD, 0xD), (0x20, 0xD7FF), (0xE000, 0xFFFD), (0x10000, 0x10FFFF),
)
#: Name used when a key leaves nothing usable.
EMPTY_NAME = "_"
RESERVED_PREFIX = "xml"


def _char_class(ranges: tuple[tuple[int, int], ...], negate: bool = False) -> re.Pattern[str]:
    body = "".join(re.escape(chr(lo)) if lo == hi else f"{re.escape(chr(lo))}-{re.escape(chr(hi))}"
                   for lo, hi in ranges)
    return re.compile(f"[{'^' if negate else ''}{body}]")


_NOT_NAME_CHAR = _char_class(NAME_START_RANGES + NAME_EXTRA_RANGES, negate=True)
_NAME_START = _char_class(NAME_START_RANGES)
_NOT_TEXT_CHAR = _char_class(TEXT_RANGES, negate=True)


def element_name(key: str) -> str:
    """A valid XML element (or attribute) name derived from ``key``."""
    name = _NOT_NAME_CHAR.sub("_", key)
    if not name:
        return EMPTY_NAME
    if not _NAME_START.match(name) or name.lower().startswith(RESERVED_PREFIX):
        name = "_" + name
    return name


def clean_text(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot represent."""
    return _NOT_TEXT_CHAR.sub("", text)
