"""Imports point down the flow: story -> engine -> world -> industries/render/recording -> store.

A module may import its own layer and any layer below it, never one above;
the production server never imports the benchmark.  Checked on the source
(every ``import``, also inside functions), so a new upward import fails
here before it tangles the packages.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "pymockapi"

#: Rank of each top-level unit of the package: higher ranks may import lower ones.
RANKS = {
    # the base: errors, measurements, paths, the loop itself
    "errors": 0, "percentiles": 0, "paths": 0, "loop": 0, "heap": 0, "probes": 0, "redact": 0, "inputs": 0,
    "connections": 0, "durations": 0, "slices": 0,
    "store": 1,
    "industries": 2, "render": 2, "recording": 2,
    "world": 3,
    "apispec": 4,  # API descriptions: read below the engine so it can answer them
    "engine": 5,
    "story": 6, "dsl": 6, "validate": 6,
    "context": 7, "openapi": 7,
    "handlers": 8, "app": 9, "server": 10,
    "present_screen": 11, "present": 11, "reload": 11,
    "bench": 12, "cli": 13,
}


def imported_units(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [node.module]
        for name in names:
            parts = name.split(".")
            if parts[0] == "pymockapi" and len(parts) > 1:
                found.add(parts[1])
    return found


def unit_of(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def test_every_unit_has_a_rank() -> None:
    units = {unit_of(p) for p in PACKAGE.rglob("*.py")} - {"__init__", "__main__"}
    assert units <= set(RANKS), f"give these a layer in RANKS: {sorted(units - set(RANKS))}"


def test_imports_point_down() -> None:
    upward = []
    for path in sorted(PACKAGE.rglob("*.py")):
        src = unit_of(path)
        if src in ("__init__", "__main__"):
            continue
        for dst in imported_units(path):
            if dst in RANKS and dst != src and RANKS[dst] > RANKS[src]:
                upward.append(f"{path.relative_to(PACKAGE.parent)} ({src}) imports {dst}")
    assert not upward, "imports pointing up the flow:\n  " + "\n  ".join(upward)


def test_production_code_never_imports_the_benchmark() -> None:
    offenders = [str(p.relative_to(PACKAGE.parent)) for p in PACKAGE.rglob("*.py")
                 if unit_of(p) not in ("bench", "cli") and "bench" in imported_units(p)]
    assert not offenders
