"""``python -m pymockapi.bench``: the benchmark without the rest of the command line."""

from __future__ import annotations

import argparse
import sys

from pymockapi.bench import configure, run

if __name__ == "__main__":
    sys.exit(run(configure(argparse.ArgumentParser(prog="python -m pymockapi.bench")).parse_args()))
