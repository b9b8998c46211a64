"""The bot's own state (watch progress, server settings, and later trivia scores and
discussion threads): a separate SQLite database that no fact rebuild ever touches.

Schema changes are numbered migrations applied in order inside one transaction each;
`PRAGMA user_version` records the last one applied. WAL keeps the file consistent when
the process is killed mid-write.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Self

import aiosqlite

log = logging.getLogger(__name__)

GLOBAL_SCOPE = 0  # guild_id used for a user's progress that applies in every server

# Append only: never edit a migration that has shipped.
MIGRATIONS: Sequence[str] = (
    # 1: watch progress and server settings
    """
    CREATE TABLE user_progress (
        user_id INTEGER NOT NULL,
        guild_id INTEGER NOT NULL,  -- 0: the user's global progress
        episode INTEGER NOT NULL CHECK (episode BETWEEN 0 AND 4),
        updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        PRIMARY KEY (user_id, guild_id)
    );
    CREATE TABLE guild_settings (
        guild_id INTEGER PRIMARY KEY,
        default_progress INTEGER NOT NULL DEFAULT 0 CHECK (default_progress BETWEEN 0 AND 4),
        discussion_channel_id INTEGER
    );
    """,
)


class StateStore:
    def __init__(self, db: aiosqlite.Connection, path: Path) -> None:
        self._db = db
        self.path = path

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
            await self._db.execute("BEGIN IMMEDIATE")
            try:
                for statement in _statements(MIGRATIONS[version - 1]):
                    await self._db.execute(statement)
                await self._db.execute(f"PRAGMA user_version = {version:d}")
                await self._db.commit()
            except Exception:
                await self._db.rollback()
                raise
            log.info("State database migrated to version %d", version)

    # -- watch progress ---------------------------------------------------------------
    async def set_progress(self, user_id: int, episode: int, guild_id: int = GLOBAL_SCOPE) -> None:
        await self._db.execute(
            "INSERT INTO user_progress (user_id, guild_id, episode) VALUES (?, ?, ?)"
            " ON CONFLICT (user_id, guild_id) DO UPDATE SET episode = excluded.episode,"
            " updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
            (user_id, guild_id, episode),
        )
        await self._db.commit()

    async def clear_progress(self, user_id: int, guild_id: int) -> None:
        await self._db.execute(
            "DELETE FROM user_progress WHERE user_id = ? AND guild_id = ?", (user_id, guild_id)
        )
        await self._db.commit()

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
        await self._db.execute(
            "INSERT INTO guild_settings (guild_id, default_progress) VALUES (?, ?)"
            " ON CONFLICT (guild_id) DO UPDATE SET default_progress = excluded.default_progress",
            (guild_id, episode),
        )
        await self._db.commit()

    async def integrity_check(self) -> str:
        async with self._db.execute("PRAGMA integrity_check") as cursor:
            row = await cursor.fetchone()
        return str(row[0]) if row else "no answer"


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]
