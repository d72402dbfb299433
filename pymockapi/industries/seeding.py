"""Deterministic randomness for generators.

Every value in a world must be a pure function of (story, seeds, entity,
field), independent of call order and of the process.  ``hash()`` is salted
per process, so seeds are derived with BLAKE2b; Faker's global ``seed()`` is
shared state, so one Faker instance is kept and re-seeded with
``seed_instance`` right before each use (never across an ``await``).
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from faker import Faker

_FAKER = Faker("en_US")


def derive_seed(*parts: object) -> int:
    """Return a 64-bit seed from ``parts``, stable across processes."""
    text = "\x1f".join(str(p) for p in parts)
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


@dataclass(frozen=True)
class GenContext:
    """What a generator may depend on besides the entity it makes.

    ``cast`` gives how many entities of each kind the world has, so that a
    record can point at another entity (a patient's provider) by index.
    """

    story: str
    story_seed: int
    session_seed: int
    anchor: date
    cast: Mapping[str, int] = field(default_factory=dict)

    def rng(self, *parts: object) -> random.Random:
        """A private random stream for one entity or field."""
        return random.Random(derive_seed(self.story, self.story_seed, self.session_seed, *parts))

    def faker(self, *parts: object) -> Faker:
        """The shared Faker, re-seeded for one entity or field."""
        _FAKER.seed_instance(derive_seed("faker", self.story, self.story_seed, self.session_seed, *parts))
        return _FAKER

    def pick_index(self, kind: str, *parts: object) -> int:
        """A stable 1-based index into the cast of ``kind`` (1 when the cast is empty)."""
        size = max(1, int(self.cast.get(kind, 1)))
        return self.rng("pick", kind, *parts).randint(1, size)
