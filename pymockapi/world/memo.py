"""Rendered bodies of one world, kept until a change touches what they show.

Why: a story moves while the presenter talks, and every move changes a
record or two -- Maria's new vitals, Priya's deposit.  Throwing away every
rendered body of the session on each change (what a version-keyed cache
does) made every page of a busy server render again after every cue; with
a hundred sessions a third of the server's time went to re-rendering
pages whose records had not changed.  So each body remembers what it was
rendered from:

* ``("root", id)`` -- a family: a top-level record and everything it owns
  (Maria's page, her observations, a cart of her shopper's);
* ``("type", name)`` -- every record of a type (a list of all products);
* ``("id", id)`` -- a record a template looked up by id (maybe missing).

A change to a record drops exactly the bodies that depend on its family,
its type or its id (:meth:`RenderMemo.invalidate`); anything else,
rollbacks included, may empty the whole memo (:meth:`RenderMemo.clear`).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any

Token = tuple[str, str]
#: Entries a world keeps: arbitrary query strings must not grow it forever.
MEMO_LIMIT = 4096


class RenderMemo:
    """Memo key -> answer, with the dependency tokens of each answer."""

    def __init__(self, limit: int = MEMO_LIMIT) -> None:
        self.limit = limit
        self._answers: dict[Hashable, Any] = {}
        self._keys_by_token: dict[Token, set[Hashable]] = {}
        #: How many times answers were dropped: a body rendered across loop turns is kept only if this held still.
        self.changes = 0

    def get(self, key: Hashable) -> Any:
        return self._answers.get(key)

    def __len__(self) -> int:
        return len(self._answers)

    def put(self, key: Hashable, answer: Any, tokens: Iterable[Token]) -> None:
        if len(self._answers) >= self.limit:
            self.clear()
        self._answers[key] = answer
        for token in tokens:
            self._keys_by_token.setdefault(token, set()).add(key)

    def invalidate(self, tokens: Iterable[Token]) -> None:
        """Forget every answer rendered from any of ``tokens``."""
        self.changes += 1
        for token in tokens:
            for key in self._keys_by_token.pop(token, ()):
                self._answers.pop(key, None)

    def clear(self) -> None:
        self.changes += 1
        self._answers.clear()
        self._keys_by_token.clear()
