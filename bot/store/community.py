"""What the server's community adds around the episode threads, in the state database:
each episode's rating poll and its final count, the rewatch's Discord scheduled events, and
the opt-in episode-alert role and poll length chosen in the server's settings."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from bot.store.discussions import _iso, _parse

if TYPE_CHECKING:
    from bot.store.state import StateStore

STARS = 5
DEFAULT_ALERT_ROLE = "Episode alerts"
DEFAULT_POLL_HOURS = 48


@dataclass(frozen=True, slots=True)
class Rating:
    """A finished poll's count: votes[i] people gave i + 1 stars."""

    votes: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.votes)

    @property
    def average(self) -> float | None:
        if not self.total:
            return None
        return sum((stars + 1) * n for stars, n in enumerate(self.votes)) / self.total


@dataclass(frozen=True, slots=True)
class EpisodePoll:
    guild_id: int
    episode: int
    channel_id: int  # the episode's thread
    message_id: int
    expires_at: datetime
    rating: Rating | None  # None until the poll has ended


@dataclass(frozen=True, slots=True)
class EpisodeEvent:
    guild_id: int
    episode: int
    event_id: int
    starts_at: datetime


class CommunityRecords:
    #: What the cache below holds rows of (another process's write to it drops it).
    CACHED_TABLES = ("episode_polls",)

    def __init__(self, state: StateStore) -> None:
        self._state = state
        # /episodes reads a server's ratings on every call; they change only when a poll
        # ends, so they are cached, dropped on every write, committed or not (and on
        # PostgreSQL when another process's write is heard). A read that overlapped a
        # write is not cached.
        self._ratings: dict[int, dict[int, Rating]] = {}

    def forget_cached(self) -> None:
        self._ratings.clear()

    @contextlib.contextmanager
    def _writing(self, guild_id: int | None) -> Iterator[None]:
        """Around a write to the polls: drop the ratings it may change (every server's when
        None)."""
        try:
            yield
        finally:
            self._state._cached_changed()
            if guild_id is None:
                self._ratings.clear()
            else:
                self._ratings.pop(guild_id, None)

    # -- rating polls -------------------------------------------------------------------
    _POLL_COLUMNS = (
        "guild_id, episode, channel_id, message_id, expires_at, ended_at,"
        " votes_1, votes_2, votes_3, votes_4, votes_5"
    )

    @staticmethod
    def _poll(row: tuple[object, ...]) -> EpisodePoll:
        votes = row[6:11]
        rating = None if row[5] is None else Rating(tuple(int(v or 0) for v in votes))  # type: ignore[call-overload]
        return EpisodePoll(
            int(row[0]),  # type: ignore[call-overload]
            int(row[1]),  # type: ignore[call-overload]
            int(row[2]),  # type: ignore[call-overload]
            int(row[3]),  # type: ignore[call-overload]
            _parse(str(row[4])),
            rating,
        )

    async def poll(self, guild_id: int, episode: int) -> EpisodePoll | None:
        row = await self._state._fetch_one(
            f"SELECT {self._POLL_COLUMNS} FROM episode_polls WHERE guild_id = ? AND episode = ?",
            (guild_id, episode),
        )
        return self._poll(tuple(row)) if row else None

    async def open_polls(self) -> list[EpisodePoll]:
        """Polls whose result is not in yet, soonest end first."""
        rows = await self._state._fetch_all(
            f"SELECT {self._POLL_COLUMNS} FROM episode_polls WHERE ended_at IS NULL"
            " ORDER BY expires_at, guild_id, episode"
        )
        return [self._poll(tuple(r)) for r in rows]

    async def ratings(self, guild_id: int) -> dict[int, Rating]:
        """Episode -> the server's rating, for every poll that has ended."""
        cached = self._ratings.get(guild_id)
        if cached is not None:
            return dict(cached)
        epoch = self._state._cache_epoch()
        rows = await self._state._fetch_all(
            f"SELECT {self._POLL_COLUMNS} FROM episode_polls"
            " WHERE guild_id = ? AND ended_at IS NOT NULL ORDER BY episode",
            (guild_id,),
        )
        polls = [self._poll(tuple(r)) for r in rows]
        found = {p.episode: p.rating for p in polls if p.rating is not None}
        if self._state._may_cache(epoch):
            self._ratings[guild_id] = found
        return dict(found)

    async def save_poll(
        self, guild_id: int, episode: int, channel_id: int, message_id: int, expires_at: datetime
    ) -> None:
        with self._writing(guild_id):
            async with self._state.transaction() as db:
                await db.execute(
                    "INSERT INTO episode_polls"
                    " (guild_id, episode, channel_id, message_id, expires_at)"
                    " VALUES (?, ?, ?, ?, ?) ON CONFLICT (guild_id, episode) DO UPDATE"
                    " SET channel_id = excluded.channel_id, message_id = excluded.message_id,"
                    " expires_at = excluded.expires_at, ended_at = NULL, votes_1 = NULL,"
                    " votes_2 = NULL, votes_3 = NULL, votes_4 = NULL, votes_5 = NULL",
                    (guild_id, episode, channel_id, message_id, _iso(expires_at)),
                )

    async def finish_poll(
        self, message_id: int, votes: tuple[int, ...], ended_at: datetime
    ) -> bool:
        """Store a poll's final count once; False if it was already stored (or is unknown)."""
        if len(votes) != STARS or any(v < 0 for v in votes):
            raise ValueError(f"a rating needs {STARS} vote counts, got {votes!r}")
        with self._writing(None):  # rare: a poll ended somewhere
            async with self._state.transaction() as db:
                cursor = await db.execute(
                    "UPDATE episode_polls SET ended_at = ?, votes_1 = ?, votes_2 = ?,"
                    " votes_3 = ?, votes_4 = ?, votes_5 = ? WHERE message_id = ?"
                    " AND ended_at IS NULL",
                    (_iso(ended_at), *votes, message_id),
                )
                return bool(cursor.rowcount)

    async def forget_poll(self, message_id: int) -> None:
        """The poll's message is gone before it ended: the episode may get a new poll."""
        with self._writing(None):
            async with self._state.transaction() as db:
                await db.execute(
                    "DELETE FROM episode_polls WHERE message_id = ? AND ended_at IS NULL",
                    (message_id,),
                )

    # -- scheduled events ---------------------------------------------------------------
    async def events(self, guild_id: int) -> dict[int, EpisodeEvent]:
        rows = await self._state._fetch_all(
            "SELECT guild_id, episode, event_id, starts_at FROM episode_events"
            " WHERE guild_id = ? ORDER BY episode",
            (guild_id,),
        )
        return {
            int(r[1]): EpisodeEvent(int(r[0]), int(r[1]), int(r[2]), _parse(str(r[3])))
            for r in rows
        }

    async def save_event(
        self, guild_id: int, episode: int, event_id: int, starts_at: datetime
    ) -> None:
        async with self._state.transaction() as db:
            await db.execute(
                "INSERT INTO episode_events (guild_id, episode, event_id, starts_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (guild_id, episode) DO UPDATE"
                " SET event_id = excluded.event_id, starts_at = excluded.starts_at",
                (guild_id, episode, event_id, _iso(starts_at)),
            )

    async def forget_event(self, guild_id: int, episode: int) -> None:
        async with self._state.transaction() as db:
            await db.execute(
                "DELETE FROM episode_events WHERE guild_id = ? AND episode = ?",
                (guild_id, episode),
            )

    # -- server settings: alert role and poll length -------------------------------------
    async def alert_role(self, guild_id: int) -> tuple[str, int | None]:
        """The alert role's name (the default unless set) and its id once known."""
        row = await self._state._fetch_one(
            "SELECT alert_role_name, alert_role_id FROM guild_settings WHERE guild_id = ?",
            (guild_id,),
        )
        if row is None:
            return DEFAULT_ALERT_ROLE, None
        return (row[0] or DEFAULT_ALERT_ROLE), (None if row[1] is None else int(row[1]))

    async def set_alert_role(self, guild_id: int, name: str, role_id: int | None) -> None:
        async with self._state.transaction() as db:
            await db.execute(
                "INSERT INTO guild_settings (guild_id, alert_role_name, alert_role_id)"
                " VALUES (?, ?, ?) ON CONFLICT (guild_id) DO UPDATE"
                " SET alert_role_name = excluded.alert_role_name,"
                " alert_role_id = excluded.alert_role_id",
                (guild_id, name, role_id),
            )

    async def poll_hours(self, guild_id: int) -> int:
        """How long each episode's rating poll runs; 0 means no polls."""
        row = await self._state._fetch_one(
            "SELECT poll_hours FROM guild_settings WHERE guild_id = ?", (guild_id,)
        )
        return DEFAULT_POLL_HOURS if row is None or row[0] is None else int(row[0])

    async def set_poll_hours(self, guild_id: int, hours: int) -> None:
        async with self._state.transaction() as db:
            await db.execute(
                "INSERT INTO guild_settings (guild_id, poll_hours) VALUES (?, ?)"
                " ON CONFLICT (guild_id) DO UPDATE SET poll_hours = excluded.poll_hours",
                (guild_id, hours),
            )
