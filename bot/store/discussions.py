"""Episode discussion threads in the state database: one thread per episode per server,
the server's discussion channel, and the schedule that opens threads by itself.

A schedule run is remembered per (server, episode, due time), in the same transaction as
the thread it opened, so that no restart or second poll opens an episode twice.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from bot.store.lru import LRU

if TYPE_CHECKING:
    import aiosqlite

    from bot.store.postgres import PgConnection
    from bot.store.state import StateStore

RUN_OUTCOMES = ("opened", "existing", "failed")


def _iso(moment: datetime) -> str:
    """One spelling per instant, so that due times compare equal as keys."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: store aware UTC times only")
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _parse(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class ThreadRecord:
    guild_id: int
    episode: int
    thread_id: int
    parent_id: int
    starter_message_id: int
    opened_by: int | None  # None: opened by the schedule
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Schedule:
    guild_id: int
    enabled: bool
    since: datetime  # only due times at or after this open a thread
    rewatch_start: datetime | None  # None: the original air times
    rewatch_every_days: int | None


@dataclass(frozen=True, slots=True)
class ScheduleRun:
    episode: int
    due: datetime
    outcome: str  # opened | existing | failed
    detail: str | None


CACHED_GUILDS = 10_000


class DiscussionRecords:
    #: What the caches below hold rows of (another process's write to one drops them).
    CACHED_TABLES = ("discussion_threads", "guild_settings")

    def __init__(self, state: StateStore) -> None:
        self._state = state
        # /episodes and /discussion open read a server's threads and channel on every call,
        # and only this class writes them: they are cached per server and dropped on every
        # write, committed or not. A read that overlapped a write (or another process's
        # write, heard on PostgreSQL) is not cached: the state's cache epoch moved.
        self._threads: LRU[int, tuple[ThreadRecord, ...]] = LRU(CACHED_GUILDS)
        self._channels: LRU[int, int | None] = LRU(CACHED_GUILDS)

    def forget_cached(self) -> None:
        self._threads.clear()
        self._channels.clear()

    @contextlib.contextmanager
    def _writing(self, guild_id: int | None) -> Iterator[None]:
        """Around a write: drop what it may change (every server's threads when None)."""
        try:
            yield
        finally:
            self._state._cached_changed()
            if guild_id is None:
                self._threads.clear()
            else:
                self._threads.drop(guild_id)
                self._channels.drop(guild_id)

    # -- the server's discussion channel ----------------------------------------------
    async def channel(self, guild_id: int) -> int | None:
        if guild_id in self._channels:
            return self._channels.get(guild_id)
        epoch = self._state._cache_epoch()
        row = await self._state._fetch_one(
            "SELECT discussion_channel_id FROM guild_settings WHERE guild_id = ?", (guild_id,)
        )
        channel_id = int(row[0]) if row and row[0] is not None else None
        if self._state._may_cache(epoch):
            self._channels.put(guild_id, channel_id)
        return channel_id

    async def set_channel(self, guild_id: int, channel_id: int | None) -> None:
        with self._writing(guild_id):
            async with self._state.transaction() as db:
                await db.execute(
                    "INSERT INTO guild_settings (guild_id, discussion_channel_id) VALUES (?, ?)"
                    " ON CONFLICT (guild_id) DO UPDATE"
                    " SET discussion_channel_id = excluded.discussion_channel_id",
                    (guild_id, channel_id),
                )

    # -- threads ------------------------------------------------------------------------
    _THREAD_COLUMNS = (
        "guild_id, episode, thread_id, parent_id, starter_message_id, opened_by, created_at"
    )

    @staticmethod
    def _thread(row: tuple[Any, ...]) -> ThreadRecord:  # SQLite values are untyped
        return ThreadRecord(
            int(row[0]),
            int(row[1]),
            int(row[2]),
            int(row[3]),
            int(row[4]),
            None if row[5] is None else int(row[5]),
            _parse(str(row[6])),
        )

    async def thread(self, guild_id: int, episode: int) -> ThreadRecord | None:
        return next((t for t in await self.threads(guild_id) if t.episode == episode), None)

    async def threads(self, guild_id: int) -> list[ThreadRecord]:
        """The server's threads, by episode."""
        if guild_id in self._threads:
            return list(self._threads.get(guild_id) or ())
        epoch = self._state._cache_epoch()
        rows = await self._state._fetch_all(
            f"SELECT {self._THREAD_COLUMNS} FROM discussion_threads WHERE guild_id = ?"
            " ORDER BY episode",
            (guild_id,),
        )
        threads = tuple(self._thread(tuple(r)) for r in rows)
        if self._state._may_cache(epoch):
            self._threads.put(guild_id, threads)
        return list(threads)

    async def thread_ids(self, guild_id: int) -> dict[int, int]:
        """Episode number -> thread id, for the threads this server has."""
        return {r.episode: r.thread_id for r in await self.threads(guild_id)}

    async def save_thread(
        self,
        *,
        guild_id: int,
        episode: int,
        thread_id: int,
        parent_id: int,
        starter_message_id: int,
        opened_by: int | None,
        created_at: datetime,
        scheduled_due: datetime | None = None,
    ) -> None:
        """Remember a new thread (replacing a deleted one); with scheduled_due, also record
        that the schedule opened it, in the same transaction."""
        with self._writing(guild_id):
            async with self._state.transaction() as db:
                await db.execute(
                    f"INSERT INTO discussion_threads ({self._THREAD_COLUMNS})"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT (guild_id, episode) DO UPDATE SET thread_id = excluded.thread_id,"
                    " parent_id = excluded.parent_id,"
                    " starter_message_id = excluded.starter_message_id,"
                    " opened_by = excluded.opened_by, created_at = excluded.created_at",
                    (
                        guild_id,
                        episode,
                        thread_id,
                        parent_id,
                        starter_message_id,
                        opened_by,
                        _iso(created_at),
                    ),
                )
                if scheduled_due is not None:
                    await self._insert_run(db, guild_id, episode, scheduled_due, "opened", None)

    async def forget_thread(self, thread_id: int) -> ThreadRecord | None:
        """Drop the record of a thread deleted in Discord; returns what was forgotten."""
        with self._writing(None):
            async with self._state.transaction() as db:
                async with db.execute(
                    f"SELECT {self._THREAD_COLUMNS} FROM discussion_threads WHERE thread_id = ?",
                    (thread_id,),
                ) as cursor:
                    row = await cursor.fetchone()
                if row is None:
                    return None
                await db.execute("DELETE FROM discussion_threads WHERE thread_id = ?", (thread_id,))
        return self._thread(tuple(row))

    # -- the schedule -------------------------------------------------------------------
    @staticmethod
    def _schedule(row: tuple[Any, ...]) -> Schedule:
        return Schedule(
            guild_id=int(row[0]),
            enabled=bool(row[1]),
            since=_parse(str(row[2])),
            rewatch_start=None if row[3] is None else _parse(str(row[3])),
            rewatch_every_days=None if row[4] is None else int(row[4]),
        )

    _SCHEDULE_COLUMNS = "guild_id, enabled, since, rewatch_start, rewatch_every_days"

    async def schedule(self, guild_id: int) -> Schedule | None:
        row = await self._state._fetch_one(
            f"SELECT {self._SCHEDULE_COLUMNS} FROM discussion_schedules WHERE guild_id = ?",
            (guild_id,),
        )
        return self._schedule(tuple(row)) if row else None

    async def enabled_schedules(self) -> list[Schedule]:
        rows = await self._state._fetch_all(
            f"SELECT {self._SCHEDULE_COLUMNS} FROM discussion_schedules WHERE enabled = 1"
            " ORDER BY guild_id"
        )
        return [self._schedule(tuple(r)) for r in rows]

    async def set_schedule(
        self,
        guild_id: int,
        *,
        enabled: bool,
        since: datetime,
        rewatch_start: datetime | None = None,
        rewatch_every_days: int | None = None,
    ) -> None:
        async with self._state.transaction() as db:
            await db.execute(
                f"INSERT INTO discussion_schedules ({self._SCHEDULE_COLUMNS})"
                " VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (guild_id) DO UPDATE SET enabled = excluded.enabled,"
                " since = excluded.since, rewatch_start = excluded.rewatch_start,"
                " rewatch_every_days = excluded.rewatch_every_days,"
                " updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
                (
                    guild_id,
                    int(enabled),
                    _iso(since),
                    None if rewatch_start is None else _iso(rewatch_start),
                    rewatch_every_days,
                ),
            )

    async def runs(self, guild_id: int) -> list[ScheduleRun]:
        rows = await self._state._fetch_all(
            "SELECT episode, due_at, outcome, detail FROM discussion_schedule_runs"
            " WHERE guild_id = ? ORDER BY due_at, episode",
            (guild_id,),
        )
        return [ScheduleRun(int(r[0]), _parse(str(r[1])), str(r[2]), r[3]) for r in rows]

    async def record_run(
        self, guild_id: int, episode: int, due: datetime, outcome: str, detail: str | None = None
    ) -> bool:
        """Record what the schedule did for an episode's due time; False if already done."""
        async with self._state.transaction() as db:
            return await self._insert_run(db, guild_id, episode, due, outcome, detail)

    @staticmethod
    async def _insert_run(
        db: aiosqlite.Connection | PgConnection,
        guild_id: int,
        episode: int,
        due: datetime,
        outcome: str,
        detail: str | None,
    ) -> bool:
        if outcome not in RUN_OUTCOMES:
            raise ValueError(f"unknown schedule outcome {outcome!r}")
        cursor = await db.execute(
            "INSERT INTO discussion_schedule_runs (guild_id, episode, due_at, outcome, detail)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (guild_id, episode, _iso(due), outcome, detail),
        )
        return bool(cursor.rowcount)
