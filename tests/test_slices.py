"""Long computations run in slices: the loop turns between them, results and errors come back whole."""

from __future__ import annotations

import asyncio
import contextvars
import itertools
import time

import greenlet
import pytest

from pymockapi import slices
from pymockapi.slices import checkpoint, run_in_slices


def _busy(ms: float, steps: int, log: list[str], name: str) -> str:
    for i in range(steps):
        until = time.perf_counter() + ms / 1000.0
        while time.perf_counter() < until:
            pass
        log.append(f"{name}{i}")
        checkpoint()
    return name


def test_the_loop_turns_between_slices_and_the_result_comes_back() -> None:
    async def main() -> tuple[str, list[str]]:
        log: list[str] = []

        async def ticker() -> None:
            for _ in range(50):
                log.append("tick")
                await asyncio.sleep(0)

        tick = asyncio.ensure_future(ticker())
        result = await run_in_slices(lambda: _busy(1.0, 8, log, "w"))
        tick.cancel()
        return result, log

    result, log = asyncio.run(main())
    assert result == "w"
    work = [i for i, e in enumerate(log) if e.startswith("w")]
    between = [log[a + 1:b] for a, b in itertools.pairwise(work)]
    assert any("tick" in gap for gap in between), log  # other callbacks ran while it was paused


def test_ten_in_flight_take_turns_one_slice_per_loop_turn() -> None:
    """Counted, not timed: each step busies 0.5 ms, so a slice holds at most SLICE_MS / 0.5 + 1 steps
    (fewer on a slow machine, never more); ten computations must not run ten slices in one loop turn."""

    async def main() -> list[str]:
        log: list[str] = []
        done = asyncio.Event()

        async def ticker() -> None:
            while not done.is_set():
                log.append("tick")
                await asyncio.sleep(0)

        tick = asyncio.ensure_future(ticker())
        await asyncio.gather(*(run_in_slices(lambda n=n: _busy(0.5, 12, log, f"c{n}-")) for n in range(10)))
        done.set()
        await tick
        return log

    log = asyncio.run(main())
    runs, current = [], 0
    for entry in log:
        if entry == "tick":
            runs.append(current)
            current = 0
        else:
            current += 1
    assert max(runs) <= slices.SLICE_MS / 0.5 + 1, runs


def test_computations_finish_first_come_first_served() -> None:
    async def main() -> list[str]:
        finished: list[str] = []

        async def one(name: str) -> None:
            finished.append(await run_in_slices(lambda: _busy(0.6, 6, [], name)))

        await asyncio.gather(one("a"), one("b"), one("c"))
        return finished

    assert asyncio.run(main()) == ["a", "b", "c"]


def test_an_error_is_raised_to_the_caller_and_the_next_computation_runs() -> None:
    def failing() -> None:
        checkpoint()
        raise ValueError("broken schema")

    async def main() -> str:
        with pytest.raises(ValueError, match="broken schema"):
            await run_in_slices(failing)
        return await run_in_slices(lambda: "after")

    assert asyncio.run(main()) == "after"


def test_a_checkpoint_outside_a_sliced_computation_does_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(slices, "SLICE_MS", 0.0)
    checkpoint()  # in the main greenlet: nothing to hand back to

    def plain() -> str:  # another greenlet, not one run in slices: it must run on to its end
        checkpoint()
        return "ran to its end"

    other = greenlet.greenlet(plain)
    assert other.switch() == "ran to its end" and other.dead


def test_the_computation_sees_the_callers_context_variables() -> None:
    seen: contextvars.ContextVar[str] = contextvars.ContextVar("seen", default="empty")

    def read() -> str:
        checkpoint()
        return seen.get()

    async def main() -> str:
        seen.set("the caller's")
        return await run_in_slices(read)

    assert asyncio.run(main()) == "the caller's"
