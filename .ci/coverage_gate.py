"""Coverage gates: 100 % for the industry data generators, 90 % for every other module.

Reads coverage.py's JSON report and fails listing every module under its gate.
"""

from __future__ import annotations

import json
import sys
from pathlib import PurePosixPath

GENERATORS = "pymockapi/industries/"
GENERATOR_GATE = 100.0
CORE_GATE = 90.0
NOT_GATED = {"pymockapi/__main__.py"}


def main(report_path: str) -> int:
    files = json.load(open(report_path))["files"]
    failures = []
    for name, data in sorted(files.items()):
        path = PurePosixPath(name).as_posix()
        if path in NOT_GATED:
            continue
        gate = GENERATOR_GATE if path.startswith(GENERATORS) else CORE_GATE
        covered = data["summary"]["percent_covered"]
        if covered + 1e-9 < gate:
            failures.append(f"{path}: {covered:.1f}% < {gate:.0f}%")
    if failures:
        print("coverage gate failed:\n  " + "\n  ".join(failures))
        return 1
    print(f"coverage gate passed for {len(files)} modules")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else ".coverage.json"))
