"""Every story diagram parses with the real Mermaid 11 parser, and reads back with its waypoint names intact.

A diagram that only *looks* right fails in the browser ("waiting-room --> triage"
is a parse error in Mermaid 11), so the diagrams are handed to Mermaid itself:
``.ci/mermaid_parse.mjs`` under Node, installed by ``.ci/install-system-packages.sh``.
All diagrams go to one Node process, since loading Mermaid costs far more than a parse.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import textwrap
from pathlib import Path
from typing import Any

import pytest

from pymockapi.engine.plan import CompiledStory, Edge, Trigger
from pymockapi.industries import shipped_industries
from pymockapi.paths import shipped_stories, shipped_templates
from pymockapi.render.environment import TemplateSet
from pymockapi.story.compiler import _diagram
from pymockapi.story.loader import load_stories, load_story, story_files

from support import CatalogFactory

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / ".ci" / "mermaid_parse.mjs"
MERMAID = ROOT / ".ci" / "node" / "node_modules" / "mermaid"
INSTALL = "bash .ci/install-system-packages.sh"

#: Valid waypoint names that are Mermaid keywords or punctuation-laden ids.
KEYWORD_NAMES = ["start", "end", "state", "note", "direction", "as", "class", "classDef", "style", "click",
                 "fork", "join", "choice", "hide", "waiting-room", "1st.visit", "a_b"]

#: Names the story validator refuses today; the diagram must survive them anyway.
AWKWARD_NAMES = ["waiting room", 'say "hi"', "a: b; c", "{braces}", "#35; literal", "<b>bold</b>",
                 "naïve café 日本", "emoji 😀", "-->", "[*]", "%% not a comment", " padded ", "new\nline",
                 "tab\there", "100%", "a & b", "back\\slash", "end"]

#: The old diagrams' form: a hyphenated state id, which Mermaid 11 rejects.
INVALID = "stateDiagram-v2\n  [*] --> waiting-room\n  waiting-room --> triage: after 20000 ms\n"

SYNTHETIC = """
from pymockapi.dsl import Story
story = Story("mermaid-keywords", title="Keywords", industry="healthcare", seed=1, cast={{"patient": 3}})
story.get("/patients/{{patient_id}}", "healthcare/patient.json.j2", persona="patient")
story.post("/appointments", "healthcare/appointment.json.j2", creates="appointment")
story.waypoint({first!r}, initial=True)
story.waypoint({second!r}, when="GET /patients/{{patient_id}}")
story.waypoint({third!r}, after="2s")
story.waypoint({fourth!r}, when="POST /appointments", source={first!r})
"""


def parser_command() -> list[str]:
    """``node .ci/mermaid_parse.mjs``; skip without it locally, but fail in CI, where it must be installed."""
    node = shutil.which("node")
    if node is not None and MERMAID.is_dir():
        return [node, str(SCRIPT)]
    missing = "node is not on PATH" if node is None else f"{MERMAID} is missing"
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(f"the Mermaid parser is not installed ({missing}); run {INSTALL}")
    pytest.skip(f"the Mermaid parser is not installed ({missing}); run {INSTALL}")


def parse_all(diagrams: dict[str, str], folder: Path) -> dict[str, dict[str, Any]]:
    """Mermaid's verdict on each diagram, by name, from a single parser run."""
    files = {}
    for index, (name, text) in enumerate(diagrams.items()):
        files[name] = folder / f"diagram-{index}.mmd"
        files[name].write_text(text, encoding="utf-8")
    run = subprocess.run([*parser_command(), *map(str, files.values())], capture_output=True, text=True,
                         encoding="utf-8", timeout=120, check=False)
    assert run.returncode in (0, 1), f"the Mermaid parser did not run: {run.stderr}"
    verdicts = {result["file"]: result for result in map(json.loads, run.stdout.splitlines())}
    return {name: verdicts[str(path)] for name, path in files.items()}


def renamed(compiled: CompiledStory, names: list[str]) -> CompiledStory:
    """``compiled`` with its waypoints renamed, in order, bypassing the name check; ``when`` labels made awkward."""
    new = dict(zip(compiled.waypoints, names, strict=True))
    waypoints = {new[old]: dataclasses.replace(wp, name=new[old], when=wp.when and f'{wp.when}?q="a:b;c"#x')
                 for old, wp in compiled.waypoints.items()}
    edges = {new[source]: [Edge(new[e.target], e.trigger) for e in out] for source, out in compiled.edges.items()}
    return dataclasses.replace(compiled, waypoints=waypoints, edges=edges, initial=new[compiled.initial])


def renamings(compiled: CompiledStory, names: list[str], prefix: str) -> dict[str, CompiledStory]:
    """``compiled`` renamed as often as it takes to use every one of ``names`` (the last time padded)."""
    size = len(compiled.waypoints)
    chunks = [names[start:start + size] for start in range(0, len(names), size)]
    chunks[-1] += [f"pad {index}" for index in range(size - len(chunks[-1]))]
    return {f"{prefix}-{index}": renamed(compiled, chunk) for index, chunk in enumerate(chunks)}


def label(compiled: CompiledStory, edge: Edge) -> str:
    """How an edge should read once Mermaid has decoded its entity codes."""
    target = compiled.waypoints[edge.target]
    return {Trigger.AFTER: f"after {target.after_ms} ms", Trigger.ADVANCE: "advance"}.get(edge.trigger,
                                                                                         f"when {target.when}")


def expected_transitions(compiled: CompiledStory) -> list[tuple[str, str, str]]:
    """The start arrow and every edge, by waypoint name, labelled as a reader should see it."""
    arrows = [("[*]", compiled.initial, "")]
    return arrows + [(source, e.target, label(compiled, e)) for source, out in compiled.edges.items() for e in out]


def read_back(verdict: dict[str, Any]) -> tuple[list[str], list[tuple[str, str, str]]]:
    """The state labels and the transitions (by label) that Mermaid parsed."""
    states: dict[str, str] = verdict["states"]
    name = {**states, "[*]": "[*]"}
    return list(states.values()), [(name[a], name[b], label) for a, b, label in verdict["transitions"]]


def keyword_story(folder: Path) -> CompiledStory:
    """A story that passes the loader's checks with waypoints named like Mermaid keywords."""
    path = folder / "keywords.py"
    path.write_text(textwrap.dedent(SYNTHETIC.format(first="end", second="state", third="waiting-room",
                                                     fourth="note")))
    return load_story(path, shipped_industries(), TemplateSet([shipped_templates()]).exists)


@pytest.fixture(scope="module")
def stories(catalogs: CatalogFactory, tmp_path_factory: pytest.TempPathFactory) -> dict[str, CompiledStory]:
    """The shipped stories, a loaded story named with Mermaid keywords, and renamings no bare id could hold."""
    chosen = {story.id: story for story in catalogs().stories}
    chosen["keywords"] = keyword_story(tmp_path_factory.mktemp("mermaid-story"))
    base = chosen["riverside-clinic"]
    return {**chosen, **renamings(base, KEYWORD_NAMES, "keyword"), **renamings(base, AWKWARD_NAMES, "awkward")}


@pytest.fixture(scope="module")
def verdicts(stories: dict[str, CompiledStory], tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """Mermaid's verdict on every story's diagram and on the invalid control, from one parser run."""
    diagrams = {name: _diagram(story) for name, story in stories.items()}
    diagrams["invalid"] = INVALID
    return parse_all(diagrams, tmp_path_factory.mktemp("mermaid"))


def test_the_mermaid_parser_is_installed() -> None:
    """A failure of its own in CI (not only fixture errors) when the parser is missing."""
    assert parser_command()[1] == str(SCRIPT)


def test_every_shipped_story_is_checked(stories: dict[str, CompiledStory]) -> None:
    shipped = {str(path) for path in story_files(shipped_stories())}
    assert shipped and shipped <= {story.file for story in stories.values()}
    assert {story.id for story in load_stories(story_files(shipped_stories()), shipped_industries())} <= set(stories)


def test_mermaid_rejects_an_invalid_diagram(verdicts: dict[str, dict[str, Any]]) -> None:
    """The control: were the parser a no-op, every other test here would pass for nothing."""
    assert verdicts["invalid"]["ok"] is False
    assert "Parse error" in verdicts["invalid"]["error"]


def assert_reads_back(verdict: dict[str, Any], story: CompiledStory) -> None:
    """Mermaid accepted the diagram and read every waypoint name and edge label as written."""
    assert verdict["ok"], verdict.get("error")
    states, transitions = read_back(verdict)
    assert states == list(story.waypoints)
    assert transitions == expected_transitions(story)


@pytest.mark.parametrize("name", ["aisle-commerce", "cedar-health", "harbor-bank", "lumen-pay",
                                  "northwind-outfitters", "orbit-saas", "riverside-clinic", "keywords"])
def test_story_diagram_parses_with_names_and_labels_intact(name: str, stories: dict[str, CompiledStory],
                                                           verdicts: dict[str, dict[str, Any]]) -> None:
    assert_reads_back(verdicts[name], stories[name])


@pytest.mark.parametrize("prefix", ["keyword", "awkward"])
def test_any_waypoint_name_survives_the_diagram(prefix: str, stories: dict[str, CompiledStory],
                                                verdicts: dict[str, dict[str, Any]]) -> None:
    """Names the validator refuses today (spaces, quotes, emoji) still make a valid diagram."""
    renamed_stories = {name: story for name, story in stories.items() if name.startswith(f"{prefix}-")}
    assert renamed_stories
    for name, story in renamed_stories.items():
        assert_reads_back(verdicts[name], story)


def test_diagram_text_is_deterministic_and_ids_are_bare_words(stories: dict[str, CompiledStory]) -> None:
    story = stories["riverside-clinic"]
    text = _diagram(story)
    assert text == _diagram(story) == story.diagram
    assert text.splitlines()[:4] == ["stateDiagram-v2", "  direction LR", '  state "waiting-room" as s0',
                                     '  state "triage" as s1']
    assert "  [*] --> s0" in text and "  s0 --> s1: after 20000 ms" in text
