"""The bot's own state (watch progress, server settings, and later trivia scores and
discussion threads): a separate SQLite database that no fact rebuild ever touches.

Schema changes are numbered migrations applied in order inside one transaction each;
`PRAGMA user_version` records the last one applied. WAL keeps the file consistent when
the process is killed mid-write.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections import OrderedDict
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Generic, Self, TypeVar

import aiosqlite

from bot.store.discussions import DiscussionRecords
from bot.store.migrations import MIGRATIONS
from bot.store.trivia import TriviaRecords

log = logging.getLogger(__name__)

GLOBAL_SCOPE = 0  # guild_id used for a user's progress that applies in every server
PROGRESS_CACHE_SIZE = 50_000

K = TypeVar("K")
V = TypeVar("V")


class LRU(Generic[K, V]):
    """A dict that forgets its least recently used entries past `size`."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[K, V] = OrderedDict()

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def get(self, key: K) -> V | None:
        if key in self._items:
            self._items.move_to_end(key)
            return self._items[key]
        return None

    def put(self, key: K, value: V) -> None:
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)


class StateStore:
    def __init__(self, db: aiosqlite.Connection, path: Path) -> None:
        self._db = db
        self.path = path
        # One connection serves every cog: writes take turns, so that no statement of one
        # coroutine lands inside another's transaction.
        self._write_lock = asyncio.Lock()
        # Progress is read by nearly every reply and written only through this store (the
        # bot owns its state file), so reads are cached: (user, scope) -> episode or None.
        self._progress: LRU[tuple[int, int], int | None] = LRU(PROGRESS_CACHE_SIZE)
        self._defaults: LRU[int, int] = LRU(PROGRESS_CACHE_SIZE)
        self.trivia = TriviaRecords(self)
        self.discussions = DiscussionRecords(self)

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, rolled back on any error."""
        async with self._write_lock:
            try:
                # Inside the try: a cancellation while BEGIN is queued still lets it run
                # on aiosqlite's thread, and the rollback queued after it must undo it.
                await self._db.execute("BEGIN IMMEDIATE")
                yield self._db
            except BaseException:
                await asyncio.shield(self._db.rollback())  # a no-op outside a transaction
                raise
            await asyncio.shield(self._db.commit())

    async def fetch_all(self, sql: str, params: tuple[object, ...] = ()) -> list[aiosqlite.Row]:
        async with self._db.execute(sql, params) as cursor:
            return list(await cursor.fetchall())

    async def fetch_one(self, sql: str, params: tuple[object, ...] = ()) -> aiosqlite.Row | None:
        async with self._db.execute(sql, params) as cursor:
            return await cursor.fetchone()

    @classmethod
    async def open(cls, path: Path) -> Self:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = await aiosqlite.connect(path)
        try:
            await db.execute("PRAGMA journal_mode = WAL")
            await db.execute("PRAGMA synchronous = NORMAL")
            await db.execute("PRAGMA foreign_keys = ON")
            await db.execute("PRAGMA busy_timeout = 5000")
            store = cls(db, path)
            await store._migrate()
        except Exception:
            await db.close()
            raise
        return store

    async def close(self) -> None:
        await self._db.close()

    async def schema_version(self) -> int:
        async with self._db.execute("PRAGMA user_version") as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def _migrate(self) -> None:
        current = await self.schema_version()
        if current > len(MIGRATIONS):
            raise RuntimeError(
                f"{self.path.name} has schema version {current}, newer than this code "
                f"({len(MIGRATIONS)}); refusing to run an older bot on it"
            )
        for version in range(current + 1, len(MIGRATIONS) + 1):
            # executescript would commit on its own; run statements in one transaction.
            async with self.transaction() as db:
                for statement in _statements(MIGRATIONS[version - 1]):
                    await db.execute(statement)
                await db.execute(f"PRAGMA user_version = {version:d}")
            log.info("State database migrated to version %d", version)

    # -- watch progress ---------------------------------------------------------------
    async def set_progress(self, user_id: int, episode: int, guild_id: int = GLOBAL_SCOPE) -> None:
        async with self.transaction() as db:
            await db.execute(
                "INSERT INTO user_progress (user_id, guild_id, episode) VALUES (?, ?, ?)"
                " ON CONFLICT (user_id, guild_id) DO UPDATE SET episode = excluded.episode,"
                " updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
                (user_id, guild_id, episode),
            )
        self._progress.put((user_id, guild_id), episode)

    async def clear_progress(self, user_id: int, guild_id: int) -> None:
        async with self.transaction() as db:
            await db.execute(
                "DELETE FROM user_progress WHERE user_id = ? AND guild_id = ?", (user_id, guild_id)
            )
        self._progress.put((user_id, guild_id), None)

    async def stored_progress(self, user_id: int, guild_id: int = GLOBAL_SCOPE) -> int | None:
        key = (user_id, guild_id)
        if key in self._progress:
            return self._progress.get(key)
        row = await self.fetch_one(
            "SELECT episode FROM user_progress WHERE user_id = ? AND guild_id = ?", key
        )
        value = int(row[0]) if row else None
        self._progress.put(key, value)
        return value

    async def effective_progress(self, user_id: int, guild_id: int | None) -> int:
        """The server override, else the user's global progress, else the server default."""
        if guild_id:
            here = await self.stored_progress(user_id, guild_id)
            if here is not None:
                return here
        everywhere = await self.stored_progress(user_id)
        if everywhere is not None:
            return everywhere
        return await self.default_progress(guild_id) if guild_id else 0

    # -- server settings --------------------------------------------------------------
    async def default_progress(self, guild_id: int) -> int:
        if guild_id in self._defaults:
            return self._defaults.get(guild_id) or 0
        row = await self.fetch_one(
            "SELECT default_progress FROM guild_settings WHERE guild_id = ?", (guild_id,)
        )
        value = int(row[0]) if row else 0
        self._defaults.put(guild_id, value)
        return value

    async def set_default_progress(self, guild_id: int, episode: int) -> None:
        async with self.transaction() as db:
            await db.execute(
                "INSERT INTO guild_settings (guild_id, default_progress) VALUES (?, ?)"
                " ON CONFLICT (guild_id) DO UPDATE"
                " SET default_progress = excluded.default_progress",
                (guild_id, episode),
            )
        self._defaults.put(guild_id, episode)

    async def integrity_check(self) -> str:
        async with self._db.execute("PRAGMA integrity_check") as cursor:
            row = await cursor.fetchone()
        return str(row[0]) if row else "no answer"


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


def check_state_file(path: Path) -> str:
    """A read-only look at a state database, for health checks while the bot runs:
    "ok", or what is wrong. Never writes, never migrates."""
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            db.execute("PRAGMA busy_timeout = 5000")
            row = db.execute("PRAGMA quick_check").fetchone()
    except sqlite3.Error as exc:
        return f"does not open: {exc}"
    result = str(row[0]) if row else "no answer"
    return "ok" if result == "ok" else f"fails its integrity check: {result}"
