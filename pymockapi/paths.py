"""Where the shipped stories and templates live.

A wheel carries them as package data: ``pymockapi/_shipped/stories`` (story modules and their
``specs/`` OpenAPI descriptions) and ``pymockapi/_shipped/templates`` (pyproject.toml maps the
checkout's top-level ``stories/`` and ``templates/`` folders there).  A checkout, and an editable
install of one (``pip install -e .``), has no ``_shipped`` folder inside the package: there the
folders beside the package are used, so an edit to a story is seen at once.

Both functions return real filesystem paths, since story modules are executed from their files and
Jinja2 loads templates from folders.  An install that is not unpacked on disk (the package imported
from a zip file) is not supported; it fails with an error that says so.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from pymockapi.errors import PyMockAPIError

#: The checkout the package sits in (used only when the package carries no shipped folders).
_CHECKOUT = Path(__file__).resolve().parent.parent


def shipped_stories() -> Path:
    """The folder of the shipped story modules."""
    return _shipped("stories")


def shipped_templates() -> Path:
    """The folder of the shipped response templates."""
    return _shipped("templates")


def _shipped(name: str, package: Traversable | None = None) -> Path:
    """``name`` inside the installed ``package`` (pymockapi's own by default), else beside it in the checkout."""
    packaged = (package or files("pymockapi")).joinpath("_shipped", name)
    if isinstance(packaged, Path):
        if packaged.is_dir():
            return packaged
    elif packaged.is_dir():
        raise PyMockAPIError(f"the shipped {name} are inside a zip file ({packaged}), which pymockapi cannot read",
                             "Install pymockapi so that it is unpacked on disk, e.g. with pip or pipx.")
    return _CHECKOUT / name
