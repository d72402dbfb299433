from __future__ import annotations

import pytest

from pymockapi.durations import parse_duration_ms


@pytest.mark.parametrize("text, ms", [("20s", 20_000), ("1m30s", 90_000), ("250ms", 250), ("1h", 3_600_000),
                                      (" 2 s ", 2_000), (1.5, 1_500), (3, 3_000), ("0.5s", 500)])
def test_durations(text: object, ms: int) -> None:
    assert parse_duration_ms(text) == ms


@pytest.mark.parametrize("bad", ["", "soon", "10", "5 minutes", "-3s", "0s", 0, -1, True, None, [1],
                                 float("nan"), float("inf")])
def test_bad_durations_explain_themselves(bad: object) -> None:
    with pytest.raises(ValueError, match="'after' must be a positive duration"):
        parse_duration_ms(bad)
