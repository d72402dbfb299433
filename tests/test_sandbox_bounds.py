"""The sandbox bounds memory and time for formatting and string-growing operations (SPEC Security).

Each hostile template below once allocated 95 MB–1 GB before any check, or
held the loop for seconds (issue 16).  Now each is refused with a
TemplateError while the render's peak allocation stays far below the
output limit's few megabytes; compile-time constant folding runs none of
them, so loading such a template (start-up, ``check``) cannot hang.
"""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from pymockapi.errors import TemplateError
from pymockapi.render import TemplateSet
from pymockapi.render.sandbox import grown_size

LIMIT = 100_000
#: Peak allocation allowed for one refused render: a few times the output limit, never the 100 MB asked for.
PEAK_BYTES = 8 * 1024 * 1024

HOSTILE = {
    "percent_star_width": "{{ ('%*d' % (100000000, 1))|tojson }}",
    "percent_star_precision": "{{ ('%.*f' % (100000000, 1.5))|tojson }}",
    "format_filter_star": "{{ ('%*d'|format(100000000, 1))|tojson }}",
    "format_nested_width": "{{ ('{:{}}'.format(1, 100000000))|tojson }}",
    "format_nested_named": "{{ ('{:>{w}}'.format(1, w=100000000))|tojson }}",
    "replace_filter": "{{ ('x' * 90000)|replace('x', 'y' * 90000)|length }}",
    "replace_method": "{{ ('x' * 90000).replace('x', 'y' * 90000)|length }}",
    "replace_empty_old": "{{ ('x' * 90000)|replace('', 'y' * 1000)|length }}",
    "join_filter": "{{ range(90000)|join('y' * 90000)|length }}",
    "join_method": "{{ ('y' * 90000).join(['a'] * 90000)|length }}",
    "expandtabs": "{{ ('\t' * 90000).expandtabs(90000)|length }}",
    "indent": "{{ ('\n' * 90000)|indent(90000)|length }}",
    "percent_digits": "{{ 0.5|percent(100000000)|tojson }}",
    "money_exponent": "{{ '1e999999'|money|tojson }}",
}


def _render(tmp_path: Path, source: str) -> object:
    (tmp_path / "user.json.j2").write_text(source, encoding="utf-8")
    return TemplateSet([tmp_path], max_output_bytes=LIMIT, max_render_ms=2000).render("user.json.j2", {})


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_operation_is_refused_with_bounded_memory(tmp_path: Path, name: str) -> None:
    tracemalloc.start()
    try:
        with pytest.raises(TemplateError, match=r"user\.json\.j2, line \d+: ") as caught:
            _render(tmp_path, HOSTILE[name])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert caught.value.code in ("template_limit", "template_error")
    assert peak < PEAK_BYTES, f"{name} allocated {peak:,} bytes before it was refused"


@pytest.mark.parametrize("source, expected", [
    ("{{ ('%5d' % 42)|tojson }}", "   42"),
    ("{{ ('%*d' % (5, 42))|tojson }}", "   42"),
    ("{{ ('{:{}}'.format('ab', 4))|tojson }}", "ab  "),
    ("{{ ('%*d'|format(4, 7))|tojson }}", "   7"),
    ("{{ 'a-b-c'|replace('-', '--')|tojson }}", "a--b--c"),
    ("{{ range(3)|join(', ')|tojson }}", "0, 1, 2"),
    ("{{ ', '.join(['a', 'b'])|tojson }}", "a, b"),
    ("{{ 'a\tb'.expandtabs(4)|tojson }}", "a   b"),
    ("{{ 'a\nb'|indent(2)|tojson }}", "a\n  b"),
    ("{{ 42.5|percent(2)|tojson }}", "42.50%"),
])
def test_ordinary_formatting_still_works(tmp_path: Path, source: str, expected: str) -> None:
    assert _render(tmp_path, source) == expected


@pytest.mark.parametrize("name", ["percent_digits", "money_exponent", "replace_filter", "format_filter_star"])
def test_constant_filter_calls_are_not_folded_while_compiling(tmp_path: Path, name: str) -> None:
    """Compiling (what start-up and ``check`` do) never runs a filter; the render refuses it."""
    (tmp_path / "user.json.j2").write_text(HOSTILE[name], encoding="utf-8")
    templates = TemplateSet([tmp_path], max_output_bytes=LIMIT, max_render_ms=2000)
    tracemalloc.start()
    try:
        templates.check("user.json.j2")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < PEAK_BYTES
    with pytest.raises(TemplateError):
        templates.render("user.json.j2", {})


def test_growth_estimates() -> None:
    assert grown_size("replace", "xx", ("x", "yyy"), {}, LIMIT) == 6
    assert grown_size("replace", "xx", ("x", "yyy", 1), {}, LIMIT) == 4
    assert grown_size("replace", "xx", (1, 2), {}, LIMIT) == 0
    assert grown_size("join", ["a", "b"], ("--",), {}, LIMIT) == 2 + 2 + 2
    assert grown_size("join", "--", (["a", "b"],), {}, LIMIT, method=True) == 2 + 2 + 2
    assert grown_size("join", iter(["a"]), (",",), {}, LIMIT) == 0
    assert grown_size("join", list(range(LIMIT + 1)), ("",), {}, LIMIT) == LIMIT + 1
    assert grown_size("expandtabs", "\t\t", (), {}, LIMIT) == 2 + 16
    assert grown_size("indent", "a\nb", ("> ",), {}, LIMIT) == 3 + 4
    assert grown_size("center", "a", (5,), {}, LIMIT) == 0
