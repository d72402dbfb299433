"""``pymockapi check`` rehearses: the mistakes that used to pass check and fail live now fail check.

Each story here carries one mistake that only running it can find; check
must exit 1 and name the file, the waypoint where the demo would meet the
mistake, and the problem.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from pymockapi.cli import main
from pymockapi.paths import shipped_stories
from pymockapi.story.rehearsal import rehearse

HEAD = '''
from pymockapi.dsl import Story, hero

story = Story(
    "mistaken-bank",
    title="A bank story with one mistake in it",
    industry="finance",
    seed=3,
    cast={{"customer": 6, "advisor": 2, "institution": 2}},
    heroes={{"priya": hero("customer", first_name="Priya", last_name="Shah", age=41)}},
)
story.get("/customers", "{customers}", collection="customer")
story.get("/customers/{{customer_id}}", "finance/customer.json.j2", persona="customer")
story.get("/customers/{{customer_id}}/transactions", "finance/transactions.json.j2", collection="transaction")
story.post("/accounts/{{account_id}}/deposits", "finance/transaction.json.j2", creates="transaction", verb="deposit")
story.post("/customers/{{customer_id}}/moves", "finance/transaction.json.j2", creates="holding", verb="price_move")

story.waypoint("first", initial=True, narration="Priya opens the app.")
story.waypoint("second", on="advance", narration="Payday.",
               does=lambda world: world.deposit("priya", "100.00"))
'''


def write_story(tmp_path: Path, third: str, customers: str = "finance/customers.json.j2") -> Path:
    path = tmp_path / "mistaken-bank.py"
    path.write_text(HEAD.format(customers=customers) + third + "\n", encoding="utf-8")
    return path


def check(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(["check", *argv])
    captured = capsys.readouterr()
    if code == 0:
        assert "ok: " in captured.out
    return code, captured.err


THIRD_ADVANCE = 'story.waypoint("third", on="advance", narration="A purchase.", does=lambda world: {})'


@pytest.mark.parametrize(("action", "problem"), [
    pytest.param('world.spnd("priya", "12.00")', "the finance world has no verb 'spnd'", id="verb-typo"),
    pytest.param('world.deposit("priay", "12.00")', "No record named 'priay'", id="persona-typo"),
    pytest.param('world.spend("priya", "12.00", merchant="Corner Cafe", mcc=9999)',
                 "Unknown merchant category code 9999", id="unknown-mcc"),
])
def test_a_broken_action_fails_check_at_its_waypoint(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                     action: str, problem: str) -> None:
    story = write_story(tmp_path, THIRD_ADVANCE.format(action))
    code, err = check(capsys, str(story))
    assert code == 1
    assert f"error: {story}: third: action failed: " in err
    assert problem in err
    assert err.count("error: ") == 1  # one problem, once, whatever the seed


def test_a_mistyped_persona_gets_the_heroes_as_hint(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    story = write_story(tmp_path, THIRD_ADVANCE.format('world.deposit("priay", "12.00")'))
    _, err = check(capsys, str(story))
    assert "hint: Did you mean 'priya'? The story's heroes: priya." in err


def test_an_action_that_breaks_the_industry_rules_fails_check(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    story = write_story(tmp_path, THIRD_ADVANCE.format('world.update("priya", email="priya@gmail.com")'))
    code, err = check(capsys, str(story))
    assert code == 1
    assert f"error: {story}: third: action failed: InvalidField: " in err and ".email: " in err


def test_a_broken_initial_action_fails_check_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    story = write_story(tmp_path, THIRD_ADVANCE.format('world.deposit("priya", "1.00")'))
    story.write_text(story.read_text().replace(
        'initial=True, narration="Priya opens the app.")',
        'initial=True, narration="Priya opens the app.", does=lambda world: world.observe("priya"))'))
    code, err = check(capsys, str(story))
    assert code == 1
    assert f"error: {story}: first: action failed: AttributeError: the finance world has no verb 'observe'" in err


def test_a_template_failing_only_on_a_later_branch_fails_check(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    templates = tmp_path / "templates"
    (templates / "mine").mkdir(parents=True)
    (templates / "mine" / "customers.json.j2").write_text(
        '{"count": {{ items|length }}{% if waypoint == "third" %},\n"oops": {{ undefined_thing.attr }}'
        '{% endif %}}', encoding="utf-8")
    story = write_story(tmp_path, THIRD_ADVANCE.format('world.deposit("priya", "1.00")'),
                        customers="mine/customers.json.j2")
    code, err = check(capsys, str(story), "--templates", str(templates))
    assert code == 1
    assert f"error: {story}: third: GET /customers (json, session seed 1): " in err
    assert "mine/customers.json.j2, line 2" in err and "undefined_thing" in err
    assert f"{story}: first:" not in err and f"{story}: second:" not in err


def test_a_when_endpoint_the_verb_refuses_fails_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``price_move`` takes a holding; bound to a customer's path, every call the front-end makes is refused."""
    story = write_story(tmp_path, 'story.waypoint("third", when="POST /customers/{customer_id}/moves", '
                                  'narration="Markets move.")')
    code, err = check(capsys, str(story))
    assert code == 1
    assert f"error: {story}: third: POST /customers/{{customer_id}}/moves with the example body " in err
    assert "was refused: " in err and "not a holding" in err


def test_a_when_endpoint_with_a_good_example_body_passes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    story = write_story(tmp_path, 'story.waypoint("third", when="POST /accounts/{account_id}/deposits", '
                                  'narration="She saves.")')
    code, err = check(capsys, str(story))
    assert (code, err) == (0, "")


def test_the_shipped_stories_pass_check(capsys: pytest.CaptureFixture[str]) -> None:
    code, err = check(capsys)
    assert (code, err) == (0, "")


def test_a_server_start_rehearses_one_seed_quickly() -> None:
    """What ``serve`` runs at start-up (``rehearse`` with its default seeds) stays fast for the shipped stories."""
    from pymockapi.cli import _templates
    from pymockapi.industries import shipped_industries
    from pymockapi.story.loader import load_stories, story_files

    templates = _templates()
    stories = load_stories(story_files(shipped_stories()), shipped_industries(), templates.exists)
    started = time.perf_counter()
    for story in stories:
        assert rehearse(story, templates) == []
    assert time.perf_counter() - started < 4.0  # about 1 s on a 2-core machine; generous for a busy one
