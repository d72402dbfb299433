"""Find story modules on disk, import them and compile them.

Story files are Python written by the user, so anything may go wrong on
import; every failure becomes a :class:`StoryError` naming the file (and the
line where Python knows it) instead of a traceback.
"""

from __future__ import annotations

import hashlib
import importlib.util
import sys
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path

from pymockapi.engine.plan import CompiledStory
from pymockapi.errors import StoryError
from pymockapi.industries.base import IndustryRegistry
from pymockapi.story.compiler import compile_story


def story_files(directory: Path) -> list[Path]:
    """The story modules of a directory, in a stable order (``_*.py`` are helpers)."""
    if not directory.is_dir():
        raise StoryError(str(directory), None, "stories directory not found",
                         "Pass an existing folder with --stories DIR.")
    return sorted(p for p in directory.glob("*.py") if not p.name.startswith("_"))


def import_story(path: Path) -> object:
    """Execute a story module and return its ``story`` object."""
    digest = hashlib.blake2b(str(path.resolve()).encode(), digest_size=6).hexdigest()
    name = f"pymockapi_story_{path.stem}_{digest}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise StoryError(str(path), None, "not a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except StoryError:
        raise
    except SyntaxError as exc:
        raise StoryError(str(path), None, f"line {exc.lineno}: syntax error: {exc.msg}") from None
    except Exception as exc:  # user code: report any failure with its line
        line = next((f.lineno for f in reversed(traceback.extract_tb(exc.__traceback__))
                     if f.filename == str(path)), None)
        where = f"line {line}: " if line else ""
        raise StoryError(str(path), None, f"{where}{type(exc).__name__}: {exc}") from None
    finally:
        sys.modules.pop(name, None)
    return getattr(module, "story", None)


def load_story(path: Path, industries: IndustryRegistry,
               template_exists: Callable[[str], bool] | None = None) -> CompiledStory:
    return compile_story(import_story(path), str(path), industries, template_exists)


def load_stories(paths: Iterable[Path], industries: IndustryRegistry,
                 template_exists: Callable[[str], bool] | None = None) -> list[CompiledStory]:
    """Compile every story; the first problem stops the load (a server never half-starts)."""
    compiled: list[CompiledStory] = []
    seen: dict[str, str] = {}
    for path in paths:
        story = load_story(path, industries, template_exists)
        if story.id in seen:
            raise StoryError(str(path), None, f"story id {story.id!r} is already used by {seen[story.id]}")
        seen[story.id] = str(path)
        compiled.append(story)
    return compiled


def check_stories(paths: Iterable[Path], industries: IndustryRegistry,
                  template_exists: Callable[[str], bool] | None = None) -> tuple[list[CompiledStory], list[StoryError]]:
    """Compile every story and collect every problem, for ``pymockapi check``."""
    good: list[CompiledStory] = []
    bad: list[StoryError] = []
    for path in paths:
        try:
            good.append(load_story(path, industries, template_exists))
        except StoryError as exc:
            bad.append(exc)
    return good, bad
