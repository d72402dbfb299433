"""Every way a story can be wrong fails at load, naming the file, the waypoint and the problem."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from pymockapi.cli import main
from pymockapi.errors import StoryError
from pymockapi.industries import shipped_industries
from pymockapi.paths import shipped_templates
from pymockapi.render.environment import TemplateSet
from pymockapi.story.loader import check_stories, load_story

HEAD = """
from pymockapi.dsl import Story, hero
story = Story("broken-clinic", title="Broken", industry={industry!r}, seed=1, cast={{"patient": 5}})
story.get("/patients", "healthcare/patients.json.j2", collection="patient")
story.get("/patients/{{patient_id}}", "healthcare/patient.json.j2", persona="patient")
story.post("/appointments", "healthcare/appointment.json.j2", creates="appointment")
story.waypoint("start", initial=True, narration="Start.")
"""


def write(tmp_path: Path, body: str, industry: str = "healthcare") -> Path:
    path = tmp_path / "broken.py"
    path.write_text(HEAD.format(industry=industry) + textwrap.dedent(body))
    return path


def load(path: Path) -> object:
    templates = TemplateSet([shipped_templates()])
    return load_story(path, shipped_industries(), templates.exists)


@pytest.mark.parametrize("body, waypoint, message", [
    ('story.waypoint("next", source="nowhere")', "next", r"unknown waypoint 'nowhere'"),
    ('story.waypoint("a", after="10s")\nstory.waypoint("b", after="5s", source="start")', "b",
     r"two timed transitions leave waypoint 'start'"),
    ('story.waypoint("a", after="-3s")', "a", r"'after' must be a positive duration"),
    ('story.waypoint("a", after="0s")', "a", r"'after' must be a positive duration"),
    ('story.waypoint("a", after="soon")', "a", r"'after' must be a positive duration"),
    ('story.waypoint("a", when="POST /orders")', "a", r"when='POST /orders' names an undeclared endpoint"),
    ('story.waypoint("a", on="advance")\nstory.waypoint("island", on="advance", source="island")', "island",
     r"unreachable waypoint"),
    ('story.waypoint("a", on="advance")\nstory.waypoint("a", on="advance")', "a", r"waypoint declared twice"),
    ('story.waypoint("a", on="timer")', "a", r"on='timer' is not a trigger"),
    ('story.waypoint("a", after="5s", when="POST /appointments")', "a", r"give exactly one of"),
])
def test_waypoint_errors_name_file_waypoint_and_problem(tmp_path: Path, body: str, waypoint: str,
                                                        message: str) -> None:
    path = write(tmp_path, body)
    with pytest.raises(StoryError, match=message) as info:
        load(path)
    assert info.value.file == str(path)
    assert info.value.waypoint == waypoint
    assert str(info.value).startswith(f"{path}: {waypoint}: ")


def test_unknown_industry_lists_known_ones(tmp_path: Path) -> None:
    with pytest.raises(StoryError, match=r"unknown industry 'aerospace'") as info:
        load(write(tmp_path, "", industry="aerospace"))
    assert "finance" in info.value.hint and "healthcare" in info.value.hint and "retail" in info.value.hint


def test_template_not_found_names_the_endpoint(tmp_path: Path) -> None:
    path = write(tmp_path, 'story.get("/labs", "healthcare/no-such.json.j2", collection="observation")')
    with pytest.raises(StoryError, match=r"endpoint GET /labs: template not found: 'healthcare/no-such.json.j2'"):
        load(path)


@pytest.mark.parametrize("body, message", [
    ('story.get("/x/{id}", "healthcare/patient.json.j2", collection="spaceship")', r"unknown record type 'spaceship'"),
    ('story.post("/patients/{patient_id}/notes", "healthcare/patient.json.j2")', r"must say what it changes"),
    ('story.get("/patients", "healthcare/patients.json.j2", collection="patient")', r"declared twice"),
    ('story.get("/one", "healthcare/patient.json.j2", persona="patient")', r"needs a path parameter"),
])
def test_endpoint_errors(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(StoryError, match=message):
        load(write(tmp_path, body))


@pytest.mark.parametrize("source, message", [
    ("x = 1\n", r"defines no `story = Story"),
    ("def broken(:\n", r"line 1: syntax error"),
    ("raise RuntimeError('boom')\n", r"line 1: RuntimeError: boom"),
    ("from pymockapi.dsl import Story\nstory = Story('Bad Id', industry='retail')\n", r"story id 'Bad Id'"),
    ("from pymockapi.dsl import Story\nstory = Story('empty', industry='retail')\n", r"declares no waypoints"),
    ("from pymockapi.dsl import Story\nstory = Story('c', industry='retail', cast={'dragon': 3})\n",
     r"cast names unknown kind 'dragon'"),
    ("from pymockapi.dsl import Story, hero\nstory = Story('c', industry='retail', heroes={'x': hero('dragon')})\n",
     r"hero 'x' has unknown kind 'dragon'"),
    ("from pymockapi.dsl import Story\nstory = Story('c', industry='retail', cast={'shopper': -1})\n",
     r"cast size of 'shopper'"),
    ("from pymockapi.dsl import Story\nstory = Story('c', industry='retail')\nstory.waypoint('a', on='advance')\n",
     r"no initial waypoint"),
])
def test_module_level_errors(tmp_path: Path, source: str, message: str) -> None:
    path = tmp_path / "story.py"
    path.write_text(source)
    with pytest.raises(StoryError, match=message):
        load(path)


def test_check_command_reports_every_broken_file_and_exits_1(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    bad = write(tmp_path, 'story.waypoint("a", after="0s")')
    assert main(["check", str(bad)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}: a: 'after' must be a positive duration" in err


def test_check_passes_on_the_shipped_stories(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 0
    assert "stories checked" in capsys.readouterr().out


def test_check_stories_collects_all_problems(tmp_path: Path) -> None:
    a = write(tmp_path, 'story.waypoint("a", after="0s")')
    b = tmp_path / "other.py"
    b.write_text("x = 1\n")
    good, bad = check_stories([a, b], shipped_industries(), TemplateSet([shipped_templates()]).exists)
    assert good == [] and len(bad) == 2


def test_loader_errors(tmp_path: Path) -> None:
    from pymockapi.story.loader import load_stories, story_files

    with pytest.raises(StoryError, match="stories directory not found"):
        story_files(tmp_path / "missing")
    good = (Path(__file__).parent.parent / "stories" / "orbit-saas.py").read_text()
    (tmp_path / "a.py").write_text(good)
    (tmp_path / "b.py").write_text(good)
    (tmp_path / "_helpers.py").write_text("raise RuntimeError('helpers are not stories')\n")
    with pytest.raises(StoryError, match="story id 'orbit-saas' is already used by"):
        load_stories(story_files(tmp_path), shipped_industries(), TemplateSet([shipped_templates()]).exists)
    nested = tmp_path / "nested.py"
    nested.write_text("from pymockapi.errors import StoryError\nraise StoryError('x.py', 'w', 'custom problem')\n")
    with pytest.raises(StoryError, match=r"x\.py: w: custom problem"):
        load(nested)


def test_story_code_sees_the_world_and_its_verbs(tmp_path: Path) -> None:
    from pymockapi.story.rehearsal import offline_session

    path = tmp_path / "acts.py"
    path.write_text(textwrap.dedent('''
        from pymockapi.dsl import Story, hero
        story = Story("acts", industry="retail", seed=2, cast={"shopper": 3, "store": 1, "product": 4},
                      heroes={"jo": hero("shopper", first_name="Jo", last_name="Park")})
        story.get("/shoppers", "retail/shoppers.json.j2", collection="shopper")
        seen = {}
        def look(world):
            seen["anchor"] = world.anchor
            seen["orders"] = len(world.owned(world.get("jo")["id"], "order"))
            seen["products"] = len(world.records("product"))
            world.annotate("Jo is back", "callout")
            cart = world.owned(world.get("jo")["id"], "cart")
            if cart:
                world.remove(cart[0]["id"])
            world.fly("jo")
        story.waypoint("start", initial=True)
        story.waypoint("look", on="advance", does=look)
    '''))
    compiled = load(path)
    session = offline_session(compiled, 0, "2026-03-12")
    events: list[dict[str, object]] = []
    session.publish = events.append
    session.advance()
    module_seen = compiled.waypoints["look"].does.__globals__["seen"]  # type: ignore[union-attr]
    assert module_seen["products"] == 4 and str(module_seen["anchor"]) == "2026-03-12"
    error = next(e for e in events if e["event"] == "error")
    assert error["code"] == "action_failed" and "no verb 'fly'" in str(error["message"])
    assert "place_order" in str(error["message"])
    session.close()
