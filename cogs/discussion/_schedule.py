"""When the schedule opens each episode's thread: pure functions of episodes, the stored
schedule, what already ran, and the time."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from datetime import UTC, datetime, timedelta

from bot.store.discussions import Schedule
from bot.store.records import Episode

Due = tuple[int, datetime]  # (episode number, when its thread opens)

_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{1,2}):(\d{2}))?(?:\s*UTC)?", re.IGNORECASE)
_DISCORD_TIMESTAMP = re.compile(r"<t:(-?\d+)(?::[tTdDfFR])?>")
START_FORMATS = (
    "`YYYY-MM-DD`, `YYYY-MM-DD HH:MM` (UTC) or a Discord timestamp like `<t:1700000000>`"
)


def due_times(episodes: Sequence[Episode], schedule: Schedule) -> list[Due]:
    """Every episode's opening time: its air time, or its place in the rewatch."""
    if schedule.rewatch_start is not None and schedule.rewatch_every_days:
        every = timedelta(days=schedule.rewatch_every_days)
        return [(e.number, schedule.rewatch_start + (e.number - 1) * every) for e in episodes]
    return [(e.number, e.air_time) for e in episodes]


def is_done(due: Due, done: Collection[Due]) -> bool:
    return any(n == due[0] and t == due[1] for n, t in done)


def pending(
    times: Sequence[Due], schedule: Schedule, now: datetime, done: Collection[Due]
) -> list[Due]:
    """What should open now: due, not before the schedule was set, and not handled yet."""
    if not schedule.enabled:
        return []
    return sorted(
        (d for d in times if schedule.since <= d[1] <= now and not is_done(d, done)),
        key=lambda d: (d[1], d[0]),
    )


def upcoming(times: Sequence[Due], schedule: Schedule, now: datetime) -> list[Due]:
    if not schedule.enabled:
        return []
    return sorted((d for d in times if d[1] > now and d[1] >= schedule.since), key=lambda d: d[1])


def missed(times: Sequence[Due], schedule: Schedule) -> list[Due]:
    """Times that passed before the schedule was set: those never open by themselves."""
    return [d for d in times if d[1] < schedule.since]


def seconds_until(times: Sequence[Due], now: datetime) -> float | None:
    later = [t for _, t in times if t > now]
    return (min(later) - now).total_seconds() if later else None


def parse_start(text: str) -> datetime:
    """A rewatch start typed by a moderator, as an aware UTC datetime; ValueError if unreadable."""
    text = text.strip()
    stamp = _DISCORD_TIMESTAMP.fullmatch(text)
    if stamp:
        return datetime.fromtimestamp(int(stamp[1]), UTC)
    match = _DATE.fullmatch(text)
    if not match:
        raise ValueError(text)
    year, month, day, hour, minute = (int(g) if g else 0 for g in match.groups())
    return datetime(year, month, day, hour, minute, tzinfo=UTC)
