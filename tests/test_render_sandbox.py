"""User templates cannot escape the sandbox, exhaust memory or stall the server."""

from __future__ import annotations

from pathlib import Path

import pytest

from pymockapi.errors import TemplateError
from pymockapi.render import TemplateSet
from pymockapi.render.sandbox import approx_size

LIMIT = 100_000


def _render(
    tmp_path: Path,
    source: str,
    *,
    max_render_ms: float = 250.0,
    context: dict[str, object] | None = None,
    limit: int = LIMIT,
) -> object:
    (tmp_path / "user.json.j2").write_text(source, encoding="utf-8")
    return TemplateSet([tmp_path], max_output_bytes=limit, max_render_ms=max_render_ms).render(
        "user.json.j2", context or {}
    )


@pytest.mark.parametrize(
    "expression",
    [
        "''.__class__",
        "().__class__.__bases__[0].__subclasses__()",
        "x.__init__.__globals__",
        "x.mro()",
        "range.__self__",
        "cycler.__init__",
        "self._TemplateReference__context",
    ],
)
def test_attribute_tricks_are_blocked(tmp_path: Path, expression: str) -> None:
    with pytest.raises(TemplateError, match=r"user\.json\.j2, line 2: .*(unsafe|undefined|no attribute)") as caught:
        _render(tmp_path, "[\n{{ (" + expression + ")|tojson }}]", context={"x": {"a": 1}})
    assert caught.value.code == "template_error"


def test_mutating_data_and_filler_text_are_blocked(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match=r"line 1: .*unsafe"):
        _render(tmp_path, "{{ items.append(4) }}[]", context={"items": [1, 2, 3]})
    with pytest.raises(TemplateError, match="'update' of 'dict' object is unsafe") as caught:
        _render(tmp_path, "{{ d.update({'a': 2}) }}{}", context={"d": {"a": 1}})
    assert "sandbox" in caught.value.hint
    for name in ("cycler", "joiner"):
        with pytest.raises(TemplateError, match=f"'{name}' is undefined"):
            _render(tmp_path, "{{ " + name + "()|tojson }}")
    with pytest.raises(TemplateError, match="No filter named 'random'"):
        _render(tmp_path, "{{ [1, 2]|random|tojson }}")


@pytest.mark.parametrize(
    "source, problem",
    [
        ('{{ ("x" * 50000000)|tojson }}', "repetition would exceed"),
        ('{{ (50000000 * "x")|tojson }}', "repetition would exceed"),
        ('{{ ([["x" * 1000] * 1000] * 1000)|tojson }}', "repetition would exceed"),
        ('{{ ("x"|center(1000000000))|tojson }}', "filter center got 1000000000"),
        ('{{ "x".ljust(1000000000)|tojson }}', "call of ljust got 1000000000"),
        ("{{ [1]|batch(1000000000, 0)|list|tojson }}", "filter batch got 1000000000"),
        ('{{ "%999999999d"|format(1)|tojson }}', "format filter asks for a width"),
        ('{{ ("%999999999d" % 1)|tojson }}', "width beyond the output limit"),
        ('{{ "{:>999999999}".format(1)|tojson }}', "width beyond the output limit"),
        ("{{ (2 ** 100000000)|tojson }}", "more than 16384 bits"),
        ("{{ (big * big)|tojson }}", "more than 16384 bits"),
        ("{{ (long + long)|tojson }}", "concatenation would exceed"),
        (
            '{% set ns = namespace(s="xx") %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}1',
            "grew past the",
        ),
        ('{% for i in range(1000) %}{{ "x" * 99999 }}{% endfor %}', "output is larger than"),
        ("{{ range(1000000000)|list|tojson }}", "MAX_RANGE"),
    ],
)
def test_size_limits(tmp_path: Path, source: str, problem: str) -> None:
    with pytest.raises(TemplateError, match=rf"user\.json\.j2, line 1: .*({problem})") as caught:
        _render(tmp_path, source, context={"big": 2**9000, "long": "x" * 60_000})
    assert caught.value.hint


@pytest.mark.parametrize(
    "source",
    [
        "{% set r = range(100000) %}{% for i in r %}{% for j in r %}{% endfor %}{% endfor %}[]",
        "{% for i in range(100000) %}{% for j in range(100000) %}{{ '' }}{% endfor %}{% endfor %}[]",
        "{% macro f(n) %}{% for i in range(10) %}{{ f(n - 1) if n else '' }}{% endfor %}{% endmacro %}{{ f(8) }}[]",
        "{% set s = 'x' * 90000 %}{% for a in s %}{% for b in s %}{% endfor %}{% endfor %}[]",
    ],
)
def test_slow_templates_stop_at_the_deadline(tmp_path: Path, source: str) -> None:
    with pytest.raises(TemplateError, match=r"user\.json\.j2, line 1: rendering took longer than 50 ms") as caught:
        _render(tmp_path, source, max_render_ms=50)
    assert caught.value.code == "template_limit"


def test_deep_recursion_is_a_template_error(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match=r"user\.json\.j2, line 1: .*recursion"):
        _render(tmp_path, "{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}", max_render_ms=5000)


def test_ordinary_templates_pass_the_guards(tmp_path: Path) -> None:
    source = (
        "{% macro twice(n) %}{{ n * 2 }}{% endmacro %}{% set ns = namespace(total=0) %}"
        "{% for i in range(1, 101) %}{% set ns.total = ns.total + i %}{% endfor %}"
        '{"total": {{ ns.total|tojson }}, "power": {{ (2 ** 10)|tojson }}, "label": {{ ("%05d" % 42)|tojson }},'
        ' "fmt": {{ "{:>6}".format("ab")|tojson }}, "rep": {{ ("ab" * 3)|tojson }}, "joined": {{ (xs + xs)|tojson }},'
        ' "centred": {{ ("x"|center(5))|tojson }}, "big": {{ (1000000 * 1000000)|tojson }},'
        ' "ratio": {{ (7 // 2)|tojson }}, "sum": {{ xs|sum|tojson }}, "item": {{ xs[1]|tojson }},'
        ' "inverse": {{ (2 ** -1)|tojson }}, "limit": {{ missing|default(5000000)|tojson }},'
        ' "macro": {{ twice(5000000)|int }}, "money": {{ (5000000|money).amount|tojson }}}'
    )
    assert _render(tmp_path, source, context={"xs": [1, 2]}) == {
        "total": 5050,
        "power": 1024,
        "label": "00042",
        "fmt": "    ab",
        "rep": "ababab",
        "joined": [1, 2, 1, 2],
        "centred": "  x  ",
        "big": 10**12,
        "ratio": 3,
        "sum": 3,
        "item": 2,
        "inverse": 0.5,
        "limit": 5000000,
        "macro": 10000000,
        "money": "5000000.00",
    }


def test_approx_size_is_bounded_by_its_limit() -> None:
    shared = ["x" * 1000] * 1000
    assert approx_size([shared] * 1000, 5000) <= 5000 + 1001
    assert approx_size({"a": "bcd"}, 100) == 1 + 2 + 1 + 3
    assert approx_size(10**30, 100) > 1
    assert approx_size(object(), 100) == 1
