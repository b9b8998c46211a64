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
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Self

import aiosqlite

from bot.store.migrations import MIGRATIONS
from bot.store.trivia import TriviaRecords

log = logging.getLogger(__name__)

GLOBAL_SCOPE = 0  # guild_id used for a user's progress that applies in every server


class StateStore:
    def __init__(self, db: aiosqlite.Connection, path: Path) -> None:
        self._db = db
        self.path = path
        # One connection serves every cog: writes take turns, so that no statement of one
        # coroutine lands inside another's transaction.
        self._write_lock = asyncio.Lock()
        self.trivia = TriviaRecords(self)

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, rolled back on any error."""
        async with self._write_lock:
            await self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                await self._db.rollback()
                raise
            await self._db.commit()

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

    async def clear_progress(self, user_id: int, guild_id: int) -> None:
        async with self.transaction() as db:
            await db.execute(
                "DELETE FROM user_progress WHERE user_id = ? AND guild_id = ?", (user_id, guild_id)
            )

    async def stored_progress(self, user_id: int, guild_id: int = GLOBAL_SCOPE) -> int | None:
        async with self._db.execute(
            "SELECT episode FROM user_progress WHERE user_id = ? AND guild_id = ?",
            (user_id, guild_id),
        ) as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else None

    async def effective_progress(self, user_id: int, guild_id: int | None) -> int:
        """The server override, else the user's global progress, else the server default."""
        async with self._db.execute(
            "SELECT episode FROM user_progress WHERE user_id = ? AND guild_id IN (?, 0)"
            " ORDER BY guild_id DESC LIMIT 1",
            (user_id, guild_id or GLOBAL_SCOPE),
        ) as cursor:
            row = await cursor.fetchone()
        if row:
            return int(row[0])
        return await self.default_progress(guild_id) if guild_id else 0

    # -- server settings --------------------------------------------------------------
    async def default_progress(self, guild_id: int) -> int:
        async with self._db.execute(
            "SELECT default_progress FROM guild_settings WHERE guild_id = ?", (guild_id,)
        ) as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def set_default_progress(self, guild_id: int, episode: int) -> None:
        async with self.transaction() as db:
            await db.execute(
                "INSERT INTO guild_settings (guild_id, default_progress) VALUES (?, ?)"
                " ON CONFLICT (guild_id) DO UPDATE"
                " SET default_progress = excluded.default_progress",
                (guild_id, episode),
            )

    async def integrity_check(self) -> str:
        async with self._db.execute("PRAGMA integrity_check") as cursor:
            row = await cursor.fetchone()
        return str(row[0]) if row else "no answer"


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]
