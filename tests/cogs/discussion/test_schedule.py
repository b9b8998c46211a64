"""Schedule arithmetic and parsing typed start times (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.store.discussions import Schedule
from bot.store.records import Episode
from cogs.discussion._schedule import due_times, missed, parse_start, pending, upcoming
from tests.helpers.data import AIR


def _schedule(since: datetime, start: datetime | None = None, every: int | None = None) -> Schedule:
    return Schedule(1, True, since, start, every)


EPISODES = [Episode(n, t, n > 1, "") for n, t in AIR.items()]


def test_due_times_pending_upcoming_and_missed() -> None:
    air = _schedule(since=AIR[2] - timedelta(days=1))
    times = due_times(EPISODES, air)
    assert times == list(AIR.items())
    assert missed(times, air) == [(1, AIR[1])]
    at_three = AIR[3] + timedelta(minutes=5)
    assert pending(times, air, at_three, done=[]) == [(2, AIR[2]), (3, AIR[3])]
    assert pending(times, air, at_three, done=[(2, AIR[2])]) == [(3, AIR[3])]
    assert upcoming(times, air, at_three) == [(4, AIR[4])]
    off = Schedule(1, False, air.since, None, None)
    assert pending(times, off, at_three, done=[]) == [] and upcoming(times, off, AIR[1]) == []
    start = datetime(2030, 1, 1, 20, 0, tzinfo=UTC)
    rewatch = _schedule(since=start, start=start, every=2)
    assert [t for _, t in due_times(EPISODES, rewatch)] == [
        start + timedelta(days=d) for d in (0, 2, 4, 6)
    ]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2030-01-05", datetime(2030, 1, 5, tzinfo=UTC)),
        ("2030-01-05 19:30", datetime(2030, 1, 5, 19, 30, tzinfo=UTC)),
        ("2030-01-05T07:05 UTC", datetime(2030, 1, 5, 7, 5, tzinfo=UTC)),
        ("<t:1893456000:F>", datetime(2030, 1, 1, tzinfo=UTC)),
    ],
)
def test_parse_start(typed: str, expected: datetime) -> None:
    assert parse_start(typed) == expected


@pytest.mark.parametrize("typed", ["tomorrow", "2030-13-01", "2030-02-30", "05/01/2030", ""])
def test_parse_start_refuses_what_it_cannot_read(typed: str) -> None:
    with pytest.raises(ValueError):
        parse_start(typed)
