"""A Jinja2 sandbox whose output, memory and time are bounded.

``ImmutableSandboxedEnvironment`` stops attribute tricks (``''.__class__``)
and mutation of lists and dicts, but a user template can still ask for
``'x' * 50_000_000``, ``'x'|center(10**9)`` or a loop of a billion empty
iterations.  A demo server must answer every request quickly, so this
environment adds three guards:

* a **deadline** checked on every loop iteration, call, attribute or item
  lookup and intercepted operator (the budget of the render in progress
  lives in a :class:`contextvars.ContextVar`, so one environment serves every
  render);
* **size pre-checks** on the operators and calls that can allocate a lot in
  one step (repetition, powers, ``%`` and ``str.format`` widths, integer
  arguments to filters and methods);
* **size post-checks** on values read back from variables, so a value grown
  by repeated doubling is caught after one step past the limit.

Every breach raises :class:`LimitExceeded`; the template set turns it into a
:class:`~pymockapi.errors.TemplateError` naming the template and line.
"""

from __future__ import annotations

import functools
import math
import re
import time
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from jinja2 import nodes
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

#: Bits an integer may have; ``int`` -> ``str`` refuses beyond ~14,000 bits anyway.
MAX_INT_BITS = 1 << 14
#: The only Jinja globals a body template keeps; the others write filler text or keep state.
KEPT_GLOBALS = frozenset({"range", "dict", "namespace"})
#: Filters a body template must not have: ``random`` would break byte-identical replays.
REMOVED_FILTERS = ("random",)
#: Built-in filters whose integer options set the size of what they build.
SIZED_FILTERS = frozenset({"center", "indent", "batch", "slice", "wordwrap", "truncate"})
FORMAT_FILTER = "format"
#: Objects whose methods can allocate by an integer argument (``ljust``, ``zfill``, ``expandtabs``).
SIZED_TYPES = (str, bytes, list, tuple)
#: The name under which the loop watchdog is registered as a filter.
WATCH_FILTER = "_render_watch"

_NUMBER = re.compile(r"\d+")
#: A ``%`` format whose width or precision comes from the arguments (``'%*d'``, ``'%.*f'``).
_STAR_WIDTH = re.compile(r"%[-+ #0]*(?:\*|\d*\.\*)")
#: A ``str.format`` field whose spec has a nested field (``'{:{}}'``, ``'{:>{w}}'``): its width is an argument.
_NESTED_FIELD = re.compile(r"\{[^{}]*\{")


class LimitExceeded(Exception):
    """A render went past its output, size or time budget."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


@dataclass
class Budget:
    """The limits of one render in progress."""

    deadline: float
    max_render_ms: float

    def exceeded(self) -> LimitExceeded:
        return LimitExceeded(f"rendering took longer than {self.max_render_ms:g} ms")

    def overrun(self) -> LimitExceeded | None:
        """The error to raise when the deadline has passed, else ``None``."""
        return self.exceeded() if time.perf_counter() > self.deadline else None


_BUDGET: ContextVar[Budget | None] = ContextVar("pymockapi_render_budget", default=None)


def start_budget(max_render_ms: float) -> Budget:
    """Open a time budget for the render that starts now (see :func:`active_budget`)."""
    return Budget(time.perf_counter() + max_render_ms / 1000.0, max_render_ms)


def _check_time() -> None:
    budget = _BUDGET.get()
    if budget is not None and time.perf_counter() > budget.deadline:
        raise budget.exceeded()


class active_budget:
    """Context manager making ``budget`` the one the sandbox hooks check."""

    def __init__(self, budget: Budget) -> None:
        self._budget = budget

    def __enter__(self) -> Budget:
        self._token = _BUDGET.set(self._budget)
        return self._budget

    def __exit__(self, *exc: object) -> None:
        _BUDGET.reset(self._token)


def approx_size(value: Any, limit: int) -> int:
    """Rough serialised size of ``value``; stops counting once past ``limit``.

    Containers count one per element plus their contents, so the work done is
    bounded by ``limit`` even for a list holding the same big list many times.
    """
    if isinstance(value, (str, bytes)):
        return len(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value.bit_length() // 3 + 1
    if isinstance(value, dict):
        value = list(value.items())
    if isinstance(value, (list, tuple)):
        total = len(value)
        for item in value:
            if total > limit:
                break
            total += approx_size(item, limit - total)
        return total
    return 1


def _has_huge_number(text: str, limit: int) -> bool:
    """Whether a format string asks for a width or precision beyond ``limit``."""
    return any(len(m) > 9 or int(m) > limit for m in _NUMBER.findall(text))


def _ints_in(values: Any) -> Iterator[int]:
    """The integers among a ``%`` right-hand side or a call's arguments (one level deep)."""
    if isinstance(values, dict):
        values = list(values.values())
    elif not isinstance(values, (tuple, list)):
        values = (values,)
    for value in values:
        if isinstance(value, int) and not isinstance(value, bool):
            yield value


def _sized(value: Any) -> int | None:
    try:
        return len(value)
    except TypeError:  # an iterator: the filter's own walk is bounded by the deadline and the output check
        return None


def grown_size(name: str, subject: Any, args: tuple[Any, ...], kwargs: dict[str, Any], limit: int,
               method: bool = False) -> int:
    """The size the string operation ``name`` would build from ``subject`` (0 when it cannot grow much).

    Worked out before the operation runs, so ``replace``, ``join``,
    ``expandtabs`` and ``indent`` never allocate past the output limit first.
    """
    def arg(i: int, key: str, default: Any) -> Any:
        return args[i] if len(args) > i else kwargs.get(key, default)

    if name == "replace" and isinstance(subject, str):
        old, new = arg(0, "old", None), arg(1, "new", None)
        if not isinstance(old, str) or not isinstance(new, str):
            return 0
        count = subject.count(old) if old else len(subject) + 1
        most = arg(2, "count", -1)
        if isinstance(most, int) and most >= 0:
            count = min(count, most)
        return len(subject) + count * max(0, len(new) - len(old))
    if name == "join":
        sep, items = (subject, arg(0, "iterable", ())) if method else (arg(0, "d", ""), subject)
        n_items = _sized(items)
        if n_items is None or not isinstance(sep, str):
            return 0
        separators = max(0, n_items - 1) * len(sep)
        if n_items > limit or separators > limit:
            return max(n_items, separators)
        return separators + approx_size(list(items), limit - separators)
    if name == "expandtabs" and isinstance(subject, str):
        tab = arg(0, "tabsize", 8)
        return len(subject) + subject.count("\t") * (tab if isinstance(tab, int) and tab > 0 else 0)
    if name == "indent" and isinstance(subject, str):
        width = arg(0, "width", 4)
        step = width if isinstance(width, int) and not isinstance(width, bool) else len(str(width))
        return len(subject) + (subject.count("\n") + 1) * max(0, step)
    return 0


def _watch(iterable: Iterable[Any]) -> Iterator[Any]:
    """Yield from ``iterable``, checking the render deadline on every item."""
    for item in iterable:
        _check_time()
        yield item


def _watch_loops(tree: nodes.Template) -> nodes.Template:
    """Wrap the iterable of every ``{% for %}`` in the watchdog filter.

    Jinja compiles a loop that does not use ``loop`` to a bare Python ``for``
    with no hook of ours inside, so the check has to be put into the tree.
    """
    for loop in tree.find_all(nodes.For):
        loop.iter = nodes.Filter(loop.iter, WATCH_FILTER, [], [], None, None, lineno=loop.lineno)
    return tree


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox plus output, size and time guards (see module doc)."""

    intercepted_binops = frozenset(("*", "**", "%", "+"))

    def __init__(self, *, max_output_bytes: int, **options: Any) -> None:
        super().__init__(**options)
        self.max_output_bytes = max_output_bytes
        for name in set(self.globals) - KEPT_GLOBALS:
            del self.globals[name]
        for name in REMOVED_FILTERS:
            self.filters.pop(name, None)
        self.filters[WATCH_FILTER] = _watch

    # -- parsing -----------------------------------------------------------------
    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        """Parse as usual, then put every loop under the deadline watchdog."""
        return _watch_loops(super()._parse(source, name, filename))

    # -- guards ------------------------------------------------------------------
    def _too_big(self, value: Any) -> bool:
        if isinstance(value, (str, bytes, list, tuple, dict)):
            return len(value) > self.max_output_bytes
        if isinstance(value, int):
            return value.bit_length() > MAX_INT_BITS
        return False

    def _checked(self, value: Any) -> Any:
        if self._too_big(value):
            raise LimitExceeded(f"a value grew past the {self.max_output_bytes:,} byte output limit")
        return value

    def _check_repeat(self, left: Any, right: Any) -> None:
        for seq, times in ((left, right), (right, left)):
            if isinstance(times, int) and isinstance(seq, (str, bytes, list, tuple)):
                size = approx_size(seq, self.max_output_bytes)
                if times > 0 and size * times > self.max_output_bytes:
                    raise LimitExceeded(f"repetition would exceed the {self.max_output_bytes:,} byte output limit")

    def _check_power(self, left: Any, right: Any) -> None:
        if isinstance(left, int) and isinstance(right, int) and abs(left) > 1 and right > 0 \
                and right * math.log2(abs(left)) > MAX_INT_BITS:
            raise LimitExceeded(f"the power has more than {MAX_INT_BITS} bits")

    def _check_ints(self, args: Iterable[Any], what: str) -> None:
        for arg in args:
            if isinstance(arg, int) and not isinstance(arg, bool) and abs(arg) > self.max_output_bytes:
                raise LimitExceeded(f"{what} got {arg}, more than the {self.max_output_bytes:,} byte output limit")

    def _check_percent(self, text: str, values: Any, what: str) -> None:
        """A ``%`` format may ask for a width up to the output limit, from its text or its arguments."""
        if _has_huge_number(text, self.max_output_bytes):
            raise LimitExceeded(f"{what} asks for a width beyond the output limit")
        if _STAR_WIDTH.search(text):
            self._check_ints(_ints_in(values), f"{what} width")

    def _check_growth(self, name: str, subject: Any, args: tuple[Any, ...], kwargs: dict[str, Any],
                      method: bool = False) -> None:
        if grown_size(name, subject, args, kwargs, self.max_output_bytes, method) > self.max_output_bytes:
            raise LimitExceeded(f"{name} would build more than the {self.max_output_bytes:,} byte output limit")

    def call_binop(self, context: Context, operator_: str, left: Any, right: Any) -> Any:
        _check_time()
        if operator_ == "*":
            self._check_repeat(left, right)
            if isinstance(left, int) and isinstance(right, int) \
                    and left.bit_length() + right.bit_length() > MAX_INT_BITS:
                raise LimitExceeded(f"the product has more than {MAX_INT_BITS} bits")
        elif operator_ == "**":
            self._check_power(left, right)
        elif operator_ == "%" and isinstance(left, str):
            self._check_percent(left, right, "a '%' format")
        elif operator_ == "+":
            total = approx_size(left, self.max_output_bytes) + approx_size(right, self.max_output_bytes)
            if total > self.max_output_bytes:
                raise LimitExceeded(f"concatenation would exceed the {self.max_output_bytes:,} byte output limit")
        return self.binop_table[operator_](left, right)

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        _check_time()
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, SIZED_TYPES):  # "x".ljust(n), "x".zfill(n), "x".replace(a, b), sep.join(items)...
            name = getattr(__obj, "__name__", "")
            __self._check_ints((*args, *kwargs.values()), f"call of {name}")
            __self._check_growth(name, owner, args, kwargs, method=True)
        for arg in (*args, *kwargs.values()):
            __self._checked(arg)
        return __self._checked(super().call(__context, __obj, *args, **kwargs))

    def getattr(self, obj: Any, attribute: str) -> Any:
        _check_time()
        return self._checked(super().getattr(obj, attribute))

    def getitem(self, obj: Any, argument: Any) -> Any:
        _check_time()
        return self._checked(super().getitem(obj, argument))

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        text = value.__self__
        if _has_huge_number(text, self.max_output_bytes):
            raise LimitExceeded("a format string asks for a width beyond the output limit")
        nested = _NESTED_FIELD.search(text) is not None

        def bounded(*args: Any, **kwargs: Any) -> str:
            if nested:  # '{:{}}'.format(1, 10**8): the width is an argument
                self._check_ints((*args, *kwargs.values()), "a nested format width")
            return str(self._checked(wrapped(*args, **kwargs)))

        return bounded

    def guard_filter(self, name: str, func: Callable[..., Any]) -> Callable[..., Any]:
        """Wrap a filter in the deadline and size checks.

        Filters that allocate by a width or count (``center``, ``batch``...)
        get their integer options checked first; ``format`` gets its format
        string checked.  The filtered value itself (first argument after any
        context/environment Jinja passes) may be any size: it is data, not a
        request to allocate -- ``{{ 5000000|money }}`` is fine.
        """
        skip = 2 if getattr(func, "jinja_pass_arg", None) is not None else 1
        sized = name in SIZED_FILTERS

        @functools.wraps(func)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if _BUDGET.get() is None:
                # Jinja folds constant filter calls while compiling, with no budget of ours:
                # refuse to fold, so the call runs at render time under the limits (start-up cannot hang)
                raise nodes.Impossible()
            _check_time()
            if sized:
                self._check_ints((*args[skip:], *kwargs.values()), f"filter {name}")
            if name == FORMAT_FILTER and isinstance(args[skip - 1], str):
                self._check_percent(args[skip - 1], (*args[skip:], *kwargs.values()), "a format filter")
            if len(args) >= skip:
                self._check_growth(name, args[skip - 1], args[skip:], kwargs)
            return self._checked(func(*args, **kwargs))

        return guarded
