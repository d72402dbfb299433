"""What rendering one response costs, per endpoint of every shipped story.

Run: .venv/bin/python benchmarks/rendering.py  (warm: templates compiled and records generated once;
then the template render plus JSON serialisation, best of 20; no HTTP, no memo)
"""

from __future__ import annotations

import time

from pymockapi.industries import shipped_industries
from pymockapi.paths import shipped_stories, shipped_templates
from pymockapi.render.environment import TemplateSet
from pymockapi.render.serialize import to_json
from pymockapi.story.loader import load_stories, story_files
from pymockapi.story.rehearsal import offline_session
from pymockapi.engine.view import endpoint_context, render_endpoint, sample_params

ROUNDS = 20


def main() -> None:
    templates = TemplateSet([shipped_templates()], trusted=[shipped_templates()], max_render_ms=10_000)
    costs: list[float] = []
    for compiled in load_stories(story_files(shipped_stories()), shipped_industries(), templates.exists):
        session = offline_session(compiled, 0, "2026-03-12")
        world = session.world
        for endpoint in compiled.story.endpoints:
            if endpoint.method.value != "GET":
                continue
            context = endpoint_context(world, endpoint, sample_params(world, endpoint), {}, [], session.state)
            to_json(render_endpoint(templates, endpoint, context))  # compile and warm
            best = float("inf")
            for _ in range(ROUNDS):
                started = time.perf_counter()
                to_json(render_endpoint(templates, endpoint, context))
                best = min(best, time.perf_counter() - started)
            costs.append(best * 1000)
            print(f"{compiled.id:<22} {endpoint.path:<42} {best * 1000:7.3f} ms")
        session.close()
    print(f"\n{len(costs)} endpoints: mean {sum(costs) / len(costs):.3f} ms, max {max(costs):.3f} ms")


if __name__ == "__main__":
    main()
