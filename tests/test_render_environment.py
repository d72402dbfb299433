"""TemplateSet: discovery, caching, rendering, and every TemplateError a template author can meet."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from pymockapi.errors import NotFound, TemplateError, error_body
from pymockapi.render import TemplateSet, to_json


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def tset(tmp_path: Path) -> TemplateSet:
    _write(
        tmp_path,
        {
            "healthcare/patient.json.j2": (
                '{"id": {{ p.id|tojson }},\n "name": {{ p.name|tojson }},\n'
                ' "visits": [{% for v in p.visits %}{{ v|tojson }}{{ "," if not loop.last }}{% endfor %}]}\n'
            ),
            "retail/order.json.j2": '{"zebra": 1, "apple": {{ {"z": 2, "a": 1}|tojson }}, "note": {{ note|tojson }}}',
            "retail/page.xml.j2": "<p>{{ text }}</p>",
            "_shared/helpers.j2": "{% macro oops() %}{{ nowhere|tojson }}{% endmacro %}",
            "retail/_parts/line.json.j2": '{"line": 1}',
            "retail/broken.json.j2": "{{ x }",
            "README.txt": "not a template",
        },
    )
    return TemplateSet([tmp_path])


def test_names_lists_endpoint_templates_only(tset: TemplateSet) -> None:
    assert tset.names() == [
        "healthcare/patient.json.j2",
        "retail/broken.json.j2",
        "retail/order.json.j2",
        "retail/page.xml.j2",
    ]
    assert tset.exists("healthcare/patient.json.j2") and tset.exists("retail/broken.json.j2")
    assert not tset.exists("healthcare/missing.json.j2")
    assert not tset.exists("../etc/passwd")


def test_render_returns_the_parsed_body_in_template_key_order(tset: TemplateSet) -> None:
    for n in range(30):
        person = {"id": f"pat-{n:04d}", "name": f'Ana "Q" O\'Neil\n<{n}>', "visits": list(range(n % 5))}
        body = tset.render("healthcare/patient.json.j2", {"p": person})
        assert body == {"id": person["id"], "name": person["name"], "visits": person["visits"]}
    order = tset.render("retail/order.json.j2", {"note": 'ZIP "02139" & <b>'})
    assert list(order) == ["zebra", "apple", "note"] and list(order["apple"]) == ["z", "a"]
    assert order["note"] == 'ZIP "02139" & <b>'
    assert orjson.loads(to_json(order)) == order


def test_markup_templates_are_autoescaped_and_json_ones_are_not(tmp_path: Path) -> None:
    _write(tmp_path, {"a.json.j2": '"{{ text }}"', "b.xml.j2": '"{{ text }}"'})
    tset = TemplateSet([tmp_path])
    assert tset.render("a.json.j2", {"text": "<b>&"}) == "<b>&"
    assert tset.render("b.xml.j2", {"text": "<b>&"}) == "&lt;b&gt;&amp;"


def test_first_directory_wins_and_templates_compile_once(tmp_path: Path) -> None:
    user, shipped = tmp_path / "user", tmp_path / "shipped"
    _write(user, {"x.json.j2": '"user"'})
    _write(shipped, {"x.json.j2": '"shipped"', "y.json.j2": '"first version"'})
    tset = TemplateSet([user, shipped])
    assert tset.render("x.json.j2", {}) == "user"
    tset.check("y.json.j2")
    (shipped / "y.json.j2").write_text('"edited after compiling"')
    assert tset.render("y.json.j2", {}) == "first version"


def test_undefined_variable_names_template_and_line(tset: TemplateSet) -> None:
    with pytest.raises(TemplateError, match=r"healthcare/patient\.json\.j2, line 1: 'p' is undefined") as caught:
        tset.render("healthcare/patient.json.j2", {})
    assert caught.value.details["line"] == 1 and caught.value.status == 500
    with pytest.raises(TemplateError, match=r"patient\.json\.j2, line 2: .*has no attribute 'name'"):
        tset.render("healthcare/patient.json.j2", {"p": {"id": "x", "visits": []}})
    with pytest.raises(TemplateError, match=r"order\.json\.j2, line 1: 'note' is undefined"):
        tset.render("retail/order.json.j2", {})


def test_undefined_inside_tojson_of_a_structure_is_reported_as_undefined(tmp_path: Path) -> None:
    _write(tmp_path, {"t.json.j2": '[\n1,\n{{ {"a": missing}|tojson }}]'})
    with pytest.raises(TemplateError, match=r"t\.json\.j2, line 3: 'missing' is undefined") as caught:
        TemplateSet([tmp_path]).render("t.json.j2", {})
    assert "guard it" in caught.value.hint


def test_error_in_a_shared_macro_names_both_templates(tset: TemplateSet, tmp_path: Path) -> None:
    _write(tmp_path, {"uses.json.j2": '{% import "_shared/helpers.j2" as h %}\n\n{{ h.oops() }}'})
    with pytest.raises(
        TemplateError,
        match=r"uses\.json\.j2, line 3: 'nowhere' is undefined "
        r"\(in _shared/helpers\.j2, line 1\)",
    ):
        tset.render("uses.json.j2", {})


@pytest.mark.parametrize(
    "source, line, problem",
    [
        ('{\n"a": {{ x }\n}', 2, "unexpected '}'"),
        ('{% for x in y %}\n\n{"a": 1}', 2, "Unexpected end of template"),
        ('{\n\n\n"a": {{ x | }}}', 4, "expected token"),
        ("{% endif %}", 1, "Encountered unknown tag 'endif'"),
    ],
)
def test_syntax_errors_name_template_and_line(tmp_path: Path, source: str, line: int, problem: str) -> None:
    _write(tmp_path, {"broken/t.json.j2": source})
    tset = TemplateSet([tmp_path])
    with pytest.raises(TemplateError, match=rf"broken/t\.json\.j2, line {line}: {problem}") as caught:
        tset.check("broken/t.json.j2")
    assert "{{" in caught.value.hint
    with pytest.raises(TemplateError, match=rf"line {line}"):
        tset.render("broken/t.json.j2", {"x": 1, "y": []})


def test_syntax_error_in_an_imported_file_names_that_file(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "_shared/bad.j2": "{% macro m() %}\n{{ 1 + }}\n{% endmacro %}",
            "t.json.j2": '{% import "_shared/bad.j2" as b %}{{ b.m() }}',
        },
    )
    with pytest.raises(TemplateError, match=r"_shared/bad\.j2, line 2"):
        TemplateSet([tmp_path]).render("t.json.j2", {})


@pytest.mark.parametrize(
    "source, position",
    [
        ('{"a": {{ 1|tojson }} "b": 2}', r"line 1, column 9"),
        ('{"name": {{ name }}}', r"line 1, column 10"),
        ("[1,\n2,\n]", r"line 2, column 2"),
        ("", r"line 1, column 1"),
        ('{"a": 1} {"b": 2}', r"line 1, column 10"),
    ],
)
def test_invalid_json_output_names_template_and_position(tmp_path: Path, source: str, position: str) -> None:
    _write(tmp_path, {"bad.json.j2": source})
    with pytest.raises(TemplateError, match=rf"bad\.json\.j2: output is not valid JSON at {position}") as caught:
        TemplateSet([tmp_path]).render("bad.json.j2", {"name": "Maria Alvarez"})
    assert "|tojson" in caught.value.hint and caught.value.code == "template_bad_json"


@pytest.mark.parametrize(
    "name", ["../secret.json.j2", "/etc/passwd", "a/../../b.j2", "a\\b.j2", "", " a.j2", "a/\x00.j2"]
)
def test_bad_names_are_rejected(tset: TemplateSet, name: str) -> None:
    with pytest.raises(TemplateError, match="is not a template name") as caught:
        tset.render(name, {})
    assert caught.value.code == "template_name_invalid"
    with pytest.raises(TemplateError, match="is not a template name"):
        tset.check(name)


def test_missing_templates_suggest_near_names(tset: TemplateSet, tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match=r"Template 'healthcare/patients\.json\.j2' not found") as caught:
        tset.check("healthcare/patients.json.j2")
    assert "healthcare/patient.json.j2" in caught.value.hint and str(tmp_path) in caught.value.hint
    assert caught.value.code == "template_not_found"
    _write(tmp_path, {"imports.json.j2": '{% import "_shared/nope.j2" as n %}1'})
    with pytest.raises(
        TemplateError, match=r"imports\.json\.j2, line 1: it uses '_shared/nope\.j2', which does not exist"
    ):
        tset.render("imports.json.j2", {})


def test_filter_failures_name_the_line(tmp_path: Path) -> None:
    _write(tmp_path, {"m.json.j2": '{\n"price": {{ 5|money("XYZ")|tojson }}}'})
    with pytest.raises(TemplateError, match=r"m\.json\.j2, line 2: 'XYZ' is not an ISO 4217 currency code") as caught:
        TemplateSet([tmp_path]).render("m.json.j2", {})
    assert caught.value.hint


def test_errors_map_to_the_spec_error_body(tset: TemplateSet) -> None:
    with pytest.raises(TemplateError) as caught:
        tset.render("healthcare/patient.json.j2", {})
    body: dict[str, Any] = error_body(caught.value)["error"]
    assert body["code"] == "template_error" and body["template"] == "healthcare/patient.json.j2"
    assert {"message", "hint", "line"} <= set(body)


def test_errors_raised_on_purpose_by_context_values_pass_through(tmp_path: Path) -> None:
    def lookup(ref: str) -> dict[str, str]:
        raise NotFound.of("record", ref, ["pat-0001"])

    _write(tmp_path, {"t.json.j2": '{{ lookup("pat-9999")|tojson }}'})
    with pytest.raises(NotFound, match="No record named 'pat-9999'") as caught:
        TemplateSet([tmp_path]).render("t.json.j2", {"lookup": lookup})
    assert caught.value.status == 404


def test_which_templates_read_a_context_variable_through_includes_and_imports(tmp_path: Path) -> None:
    (tmp_path / "_parts").mkdir()
    (tmp_path / "_parts" / "where.j2").write_text("{{ waypoint | tojson }}")
    (tmp_path / "_parts" / "macros.j2").write_text("{% macro name(r) %}{{ r.name | tojson }}{% endmacro %}")
    (tmp_path / "shows.json.j2").write_text('{"at": {% include "_parts/where.j2" %}}')
    (tmp_path / "plain.json.j2").write_text('{% import "_parts/macros.j2" as m %}{"name": {{ m.name(record) }}}')
    (tmp_path / "dynamic.json.j2").write_text("{% include record.part %}")
    (tmp_path / "broken.json.j2").write_text('{% include "_parts/missing.j2" %}')
    templates = TemplateSet([tmp_path])
    assert templates.reads("shows.json.j2", "waypoint")
    assert not templates.reads("plain.json.j2", "waypoint") and templates.reads("plain.json.j2", "record")
    assert templates.reads("dynamic.json.j2", "waypoint")  # cannot know: assume it does
    assert templates.reads("broken.json.j2", "waypoint")
    assert templates.reads("shows.json.j2", "waypoint")  # asked again: remembered
