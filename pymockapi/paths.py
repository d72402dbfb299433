"""Where the shipped stories and templates live (beside the package in a checkout)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def shipped_stories() -> Path:
    return ROOT / "stories"


def shipped_templates() -> Path:
    return ROOT / "templates"
