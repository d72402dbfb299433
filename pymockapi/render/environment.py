"""The server's templates: found, compiled once, rendered in a bounded sandbox.

An endpoint template writes JSON *text* describing the body (every leaf
through ``|tojson``); :meth:`TemplateSet.render` parses that text into a
Python value which the serialisers then write once as JSON, XML or FHIR.
So a template never has to escape anything, key order is the order the
template writes, and every format shows the same data.

Whatever goes wrong inside a template reaches the caller as one
:class:`~pymockapi.errors.TemplateError` whose message starts with the
template name and line ("healthcare/patient.json.j2, line 12: ...") and
whose hint says how to fix it.
"""

from __future__ import annotations

from collections.abc import Generator, Mapping, Sequence
from pathlib import Path, PurePosixPath
from types import TracebackType
from typing import Any, cast

import orjson
from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    Template,
    TemplateNotFound,
    TemplateSyntaxError,
    UndefinedError,
    meta,
)
from jinja2.exceptions import SecurityError

from pymockapi.errors import PyMockAPIError, TemplateError, closest
from pymockapi.render.filters import FILTERS
from pymockapi.render.sandbox import BoundedSandbox, LimitExceeded, active_budget, start_budget

TEMPLATE_SUFFIX = ".j2"
#: Extensions whose templates write markup and so are autoescaped (JSON ones are not).
ESCAPED_SUFFIXES = (".html.j2", ".xml.j2", ".html", ".xml")
#: Characters of output shown around a JSON error.
EXCERPT = 30
#: Hints by kind of failure.
HINTS: dict[type[BaseException], str] = {
    TemplateSyntaxError: "Check the tag or expression on that line: every {{ needs }}, every {% block %} its end tag.",
    UndefinedError: "Use a variable the story passes to the template, or guard it with "
                    "{% if name is defined %} / the default() filter.",
    SecurityError: "Templates run in a sandbox: use the values passed in and the filters, "
                   "not Python internals (names starting with '_') or methods that change data.",
    LimitExceeded: "Render less: page long lists, drop repeated blocks or loops that never end.",
}
FALLBACK_HINT = "Fix the expression on that line; the message says what failed."
JSON_HINT = ("A template must write JSON text: write every value with |tojson "
             "(e.g. {{ persona.display_name|tojson }}) and separate items with commas.")


def _validated_name(name: str) -> str:
    """``name`` when it is a plain relative template name; TemplateError otherwise."""
    path = PurePosixPath(name)
    if (not name or "\\" in name or "\x00" in name or path.is_absolute() or Path(name).is_absolute()
            or ".." in path.parts or name != name.strip()):
        raise TemplateError(
            f"'{name}' is not a template name.",
            "Name templates relative to a templates directory, like 'healthcare/patient.json.j2' "
            "(no '..', no absolute paths).",
            code="template_name_invalid")
    return name


def _autoescape(name: str | None) -> bool:
    return name is not None and name.endswith(ESCAPED_SUFFIXES)


class TemplateSet:
    """All endpoint templates of one server, compiled on first use and cached.

    ``dirs`` are searched in order, so a user's ``--templates DIR`` placed
    first overrides a shipped template of the same name.
    """

    def __init__(self, dirs: Sequence[Path], *, trusted: Sequence[Path] = (), max_output_bytes: int = 2_000_000,
                 max_render_ms: float = 250.0) -> None:
        self.dirs = tuple(Path(d).resolve() for d in dirs)
        self.trusted = tuple(Path(d).resolve() for d in trusted)
        self.max_output_bytes = max_output_bytes
        self.max_render_ms = max_render_ms
        self._reads: dict[tuple[str, str], bool] = {}
        self._parsed: dict[tuple[int, str], tuple[frozenset[str], tuple[str | None, ...]] | None] = {}
        self._env = BoundedSandbox(
            max_output_bytes=max_output_bytes,
            loader=FileSystemLoader([str(d) for d in self.dirs]),
            undefined=StrictUndefined,
            autoescape=_autoescape,
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,
            cache_size=-1,
            keep_trailing_newline=False,
        )
        for filter_name, func in FILTERS.items():
            self._env.filters[filter_name] = func
        for filter_name, func in list(self._env.filters.items()):
            self._env.filters[filter_name] = self._env.guard_filter(filter_name, func)
        # The shipped templates are ours: they render without the sandbox's per-access guards,
        # which cost more than the rendering itself.  Anything from a user's directory is sandboxed.
        self._trusted_env: Environment | None = None
        if self.trusted:
            self._trusted_env = Environment(
                loader=FileSystemLoader([str(d) for d in self.trusted]), undefined=StrictUndefined,
                autoescape=_autoescape, trim_blocks=True, lstrip_blocks=True, auto_reload=False, cache_size=-1,
                keep_trailing_newline=False)
            self._trusted_env.filters.update(FILTERS)

    # -- discovery -----------------------------------------------------------------
    def names(self) -> list[str]:
        """Endpoint template names; files in or under a ``_``-folder (``_shared/``) are macros."""
        return sorted(n for n in self._env.list_templates()
                      if n.endswith(TEMPLATE_SUFFIX) and not any(p.startswith("_") for p in n.split("/")))

    def exists(self, name: str) -> bool:
        """Whether ``name`` can be found (even if it does not compile: :meth:`check` says why)."""
        try:
            self._get(name)
        except TemplateError as error:
            return error.code != "template_not_found" and error.code != "template_name_invalid"
        return True

    def reads(self, name: str, variable: str) -> bool:
        """Whether ``name``, or a template it includes, imports or extends, reads ``variable`` from its context.

        Worked out once from the templates' syntax trees; a template named only
        at render time (or one that cannot be read) counts as reading it.
        """
        key = (name, variable)
        if key not in self._reads:
            self._reads[key] = self._reads_in_tree(name, variable)
        return self._reads[key]

    def _reads_in_tree(self, name: str, variable: str) -> bool:
        env = self._environment_for(name)
        seen: set[str] = set()
        todo = [name]
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            facts = self._facts(env, current)
            if facts is None or variable in facts[0] or None in facts[1]:
                return True  # unreadable, reads it, or includes a template chosen at render time
            todo.extend(ref for ref in facts[1] if ref is not None)
        return False

    def _facts(self, env: Environment, name: str) -> tuple[frozenset[str], tuple[str | None, ...]] | None:
        """(context variables read, templates referenced) of one template; None when it cannot be parsed."""
        key = (id(env), name)
        if key not in self._parsed:
            try:
                source = env.loader.get_source(env, name)[0] if env.loader is not None else ""
                tree = env.parse(source)
            except (TemplateNotFound, TemplateSyntaxError):
                self._parsed[key] = None
            else:
                self._parsed[key] = (frozenset(meta.find_undeclared_variables(tree)),
                                     tuple(meta.find_referenced_templates(tree)))
        return self._parsed[key]

    def check(self, name: str) -> None:
        """Compile ``name`` (once; later renders reuse it) or raise TemplateError."""
        self._get(name)

    # -- rendering -----------------------------------------------------------------
    def render(self, name: str, context: Mapping[str, Any]) -> Any:
        """Render ``name`` with ``context`` and return the parsed body value."""
        template = self._get(name)
        budget = start_budget(self.max_render_ms)
        chunks: list[bytes] = []
        size = 0
        try:
            with active_budget(budget):
                stream = cast(Generator[str, None, None], template.generate(dict(context)))
                for chunk in stream:
                    data = chunk.encode()
                    size += len(data)
                    overrun = budget.overrun() if size <= self.max_output_bytes else LimitExceeded(
                        f"the output is larger than {self.max_output_bytes:,} bytes")
                    if overrun is not None:
                        # raised at the template's own yield, so the traceback carries its line
                        stream.throw(overrun)
                    chunks.append(data)
        except Exception as error:  # every failure inside a user's template becomes one TemplateError
            raise self._translate(name, error) from None
        return self._parse(name, b"".join(chunks))

    # -- internals -----------------------------------------------------------------
    def _environment_for(self, name: str) -> Environment:
        """The sandbox for a user's template; the trusted environment for a shipped one."""
        if self._trusted_env is None:
            return self._env
        for directory in self.dirs:
            if directory not in self.trusted and (directory / name).is_file():
                return self._env
        return self._trusted_env

    def _get(self, name: str) -> Template:
        _validated_name(name)
        try:
            return self._environment_for(name).get_template(name)
        except TemplateNotFound:
            raise TemplateError(f"Template '{name}' not found.", self._not_found_hint(name),
                                code="template_not_found") from None
        except TemplateSyntaxError as error:
            raise self._translate(name, error) from None

    def _not_found_hint(self, name: str) -> str:
        searched = ", ".join(str(d) for d in self.dirs) or "no directories"
        near = closest(name, self._env.list_templates(), n=3)
        return (f"Looked in {searched}." + (f" Did you mean {', '.join(near)}?" if near else "")
                + " Template names are relative paths like 'healthcare/patient.json.j2'.")

    def _name_of(self, filename: str) -> str | None:
        path = Path(filename)
        for directory in self.dirs:
            if path.is_relative_to(directory):
                return path.relative_to(directory).as_posix()
        return None

    def _template_frames(self, tb: TracebackType | None) -> list[tuple[str, int]]:
        """(template name, line) of every template frame, outermost first."""
        found = []
        while tb is not None:
            template_name = self._name_of(tb.tb_frame.f_code.co_filename)
            if template_name is not None:
                found.append((template_name, tb.tb_lineno))
            tb = tb.tb_next
        return found

    def _translate(self, name: str, error: BaseException) -> PyMockAPIError:
        if isinstance(error, PyMockAPIError):
            return error  # raised on purpose by a context value (e.g. a record lookup's NotFound)
        cause = error.__cause__ if isinstance(error, orjson.JSONEncodeError) and error.__cause__ else error
        if isinstance(error, TemplateSyntaxError):
            where = error.name or name
            frames = [(where, error.lineno)]
            problem = error.message or str(error)
        else:
            frames = self._template_frames(error.__traceback__) or self._template_frames(cause.__traceback__)
            problem = str(cause) or type(cause).__name__
        if isinstance(cause, TemplateNotFound):
            problem = f"it uses '{cause.name}', which does not exist"
        own = [f for f in frames if f[0] == name] or frames
        outer = own[-1] if own else (name, 0)
        message = f"{outer[0]}, line {outer[1]}: {problem}" if outer[1] else f"{outer[0]}: {problem}"
        if frames and frames[-1][0] != outer[0]:
            message += f" (in {frames[-1][0]}, line {frames[-1][1]})"
        hint = (self._not_found_hint(str(cause.name)) if isinstance(cause, TemplateNotFound)
                else next((h for kind, h in HINTS.items() if isinstance(cause, kind)), FALLBACK_HINT))
        code = "template_limit" if isinstance(cause, LimitExceeded) else "template_error"
        return TemplateError(message, hint, code=code, template=outer[0], line=outer[1])

    def _parse(self, name: str, text: bytes) -> Any:
        try:
            return orjson.loads(text)
        except orjson.JSONDecodeError as error:
            start = max(0, error.pos - EXCERPT)
            near = text.decode("utf-8", "replace")[start:error.pos + EXCERPT]
            raise TemplateError(
                f"{name}: output is not valid JSON at line {error.lineno}, column {error.colno} "
                f"(char {error.pos}): {error.msg}; near {near!r}.",
                JSON_HINT, code="template_bad_json", template=name, output_line=error.lineno) from None

