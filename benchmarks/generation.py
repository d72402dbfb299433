"""How long one persona with all its direct relations takes to generate, per industry.

Run: .venv/bin/python benchmarks/generation.py  (CPU time per record family, best of 5 rounds)
"""

from __future__ import annotations

import time
from datetime import date

from pymockapi.industries import shipped_industries
from pymockapi.industries.seeding import GenContext

ROUNDS, COUNT = 5, 300


def measure(industry: str, kind: str) -> tuple[float, float]:
    pack = shipped_industries(plugins=False).get(industry)
    best, records = float("inf"), 0
    for round_ in range(ROUNDS):
        ctx = GenContext("bench", 1, round_, date(2026, 3, 12), {})
        start = time.process_time()
        records = sum(len(pack.generate(ctx, kind, i, {})) for i in range(1, COUNT + 1))
        best = min(best, (time.process_time() - start) / COUNT)
    return best * 1000, records / COUNT


def main() -> None:
    print(f"{'industry':<11} {'kind':<12} {'ms / family':>12} {'records / family':>17} {'µs / record':>12}")
    for industry, kinds in (("finance", ("customer", "advisor", "institution")),
                            ("healthcare", ("patient", "provider")),
                            ("retail", ("shopper", "store", "product"))):
        for kind in kinds:
            ms, per = measure(industry, kind)
            print(f"{industry:<11} {kind:<12} {ms:>12.3f} {per:>17.1f} {ms * 1000 / per:>12.1f}")


if __name__ == "__main__":
    main()
