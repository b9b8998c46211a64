"""Server-written trivia questions and per-server trivia settings, in the state database.

A custom question becomes a `Question` with id ``custom-<n>`` and no document source, so a
game plays it like any other; the cog validates what moderators write before it lands here.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from bot.store.lru import LRU
from bot.store.records import Question
from bot.store.trivia_seasons import stamp

if TYPE_CHECKING:
    import aiosqlite

    from bot.store.postgres import PgConnection
    from bot.store.state import StateStore

CUSTOM_PREFIX = "custom-"
CACHED_GUILDS = 10_000
ALIAS_SEPARATOR = "\n"  # aliases are stored one a line (an answer never holds a newline)


@dataclass(frozen=True, slots=True)
class CustomQuestion:
    """What a moderator writes: the parts of a question before it is stored."""

    category: str
    question: str
    answer: str
    wrong: tuple[str, str, str]
    spoiler_level: int
    aliases: tuple[str, ...] = ()
    difficulty: str = "medium"


@dataclass(frozen=True, slots=True)
class TriviaSettings:
    custom_questions: bool = False
    daily_enabled: bool = False
    daily_channel_id: int | None = None
    daily_time: str | None = None  # "HH:MM", UTC


def custom_id(number: int) -> str:
    return f"{CUSTOM_PREFIX}{number}"


def custom_number(question_id: str) -> int | None:
    """The row id inside ``custom-<n>``, or None for a store question."""
    tail = question_id.removeprefix(CUSTOM_PREFIX)
    return int(tail) if tail != question_id and tail.isdigit() else None


def _now() -> str:
    return stamp(datetime.now(UTC))


_COLUMNS = (
    "id, category, question, answer, wrong1, wrong2, wrong3, aliases, spoiler_level, difficulty"
)


def _question(row: Sequence[Any]) -> Question:
    aliases = tuple(a for a in str(row[7]).split(ALIAS_SEPARATOR) if a)
    return Question(
        id=custom_id(int(row[0])),
        category=str(row[1]),
        difficulty=str(row[9]),
        question=str(row[2]),
        answer=str(row[3]),
        wrong=(str(row[4]), str(row[5]), str(row[6])),
        spoiler_level=int(row[8]),
        source=None,
        aliases=aliases,
    )


async def _insert(
    db: aiosqlite.Connection | PgConnection,
    guild_id: int,
    author_id: int | None,
    q: CustomQuestion,
) -> int | None:
    cursor = await db.execute(
        "INSERT INTO trivia_custom_questions (guild_id, category, question, answer,"
        " wrong1, wrong2, wrong3, aliases, spoiler_level, difficulty, author_id, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (guild_id, question) DO NOTHING RETURNING id",
        (
            guild_id,
            q.category,
            q.question,
            q.answer,
            *q.wrong,
            ALIAS_SEPARATOR.join(q.aliases),
            q.spoiler_level,
            q.difficulty,
            author_id,
            _now(),
        ),
    )
    row = await cursor.fetchone()
    await cursor.close()
    return int(row[0]) if row else None


class CustomQuestionRecords:
    #: What the cache below holds rows of (another process's write to it drops it).
    CACHED_TABLES = ("trivia_settings",)

    def __init__(self, state: StateStore) -> None:
        self._state = state
        # Every /trivia start reads its server's settings, and only this class writes them:
        # cached per server, dropped on every write, committed or not, so that a start
        # never queues behind the state writer to read. A read that overlapped a write (or
        # another process's write, heard on PostgreSQL) is not cached.
        self._settings: LRU[int, TriviaSettings] = LRU(CACHED_GUILDS)

    def forget_cached(self) -> None:
        self._settings.clear()

    @contextlib.contextmanager
    def _writing_settings(self, guild_id: int) -> Iterator[None]:
        try:
            yield
        finally:
            self._state._cached_changed()
            self._settings.drop(guild_id)

    async def add(self, guild_id: int, author_id: int | None, q: CustomQuestion) -> int | None:
        """The new question's number, or None when this server already has that question."""
        async with self._state.transaction() as db:
            return await _insert(db, guild_id, author_id, q)

    async def add_many(
        self, guild_id: int, author_id: int | None, questions: Sequence[CustomQuestion]
    ) -> tuple[int, int]:
        """Add all in one transaction: (added, skipped because already there)."""
        added = 0
        async with self._state.transaction() as db:
            for q in questions:
                added += await _insert(db, guild_id, author_id, q) is not None
        return added, len(questions) - added

    async def update(self, guild_id: int, number: int, q: CustomQuestion) -> bool:
        async with self._state.transaction() as db:
            cursor = await db.execute(
                "UPDATE trivia_custom_questions SET category = ?, question = ?, answer = ?,"
                " wrong1 = ?, wrong2 = ?, wrong3 = ?, aliases = ?, spoiler_level = ?,"
                " difficulty = ? WHERE guild_id = ? AND id = ?",
                (
                    q.category,
                    q.question,
                    q.answer,
                    *q.wrong,
                    ALIAS_SEPARATOR.join(q.aliases),
                    q.spoiler_level,
                    q.difficulty,
                    guild_id,
                    number,
                ),
            )
            return cursor.rowcount > 0

    async def remove(self, guild_id: int, number: int) -> bool:
        async with self._state.transaction() as db:
            cursor = await db.execute(
                "DELETE FROM trivia_custom_questions WHERE guild_id = ? AND id = ?",
                (guild_id, number),
            )
            return cursor.rowcount > 0

    async def get(self, guild_id: int, number: int) -> Question | None:
        row = await self._state._fetch_one(
            f"SELECT {_COLUMNS} FROM trivia_custom_questions WHERE guild_id = ? AND id = ?",
            (guild_id, number),
        )
        return _question(row) if row else None

    async def questions(
        self,
        guild_id: int,
        max_level: int | None = None,
        category: str | None = None,
        difficulty: str | None = None,
    ) -> list[Question]:
        """The server's questions that spoil at most `max_level` (None: all of them)."""
        rows = await self._state._fetch_all(
            f"SELECT {_COLUMNS} FROM trivia_custom_questions"
            " WHERE guild_id = ? AND (CAST(? AS INTEGER) IS NULL OR spoiler_level <= ?)"
            " AND (CAST(? AS TEXT) IS NULL OR category = ?)"
            " AND (CAST(? AS TEXT) IS NULL OR difficulty = ?) ORDER BY id",
            (guild_id, max_level, max_level, category, category, difficulty, difficulty),
        )
        return [_question(r) for r in rows]

    # -- per-server trivia settings -----------------------------------------------------
    async def settings(self, guild_id: int) -> TriviaSettings:
        cached = self._settings.get(guild_id)
        if cached is not None:
            return cached
        epoch = self._state._cache_epoch()
        row = await self._state._fetch_one(
            "SELECT custom_questions, daily_enabled, daily_channel_id, daily_time"
            " FROM trivia_settings WHERE guild_id = ?",
            (guild_id,),
        )
        found = (
            TriviaSettings()
            if row is None
            else TriviaSettings(bool(row[0]), bool(row[1]), row[2], row[3])
        )
        if self._state._may_cache(epoch):
            self._settings.put(guild_id, found)
        return found

    async def set_custom_enabled(self, guild_id: int, enabled: bool) -> None:
        with self._writing_settings(guild_id):
            async with self._state.transaction() as db:
                await db.execute(
                    "INSERT INTO trivia_settings (guild_id, custom_questions) VALUES (?, ?)"
                    " ON CONFLICT (guild_id) DO UPDATE"
                    " SET custom_questions = excluded.custom_questions",
                    (guild_id, int(enabled)),
                )

    async def set_daily(
        self, guild_id: int, enabled: bool, channel_id: int | None, at: str | None
    ) -> None:
        with self._writing_settings(guild_id):
            async with self._state.transaction() as db:
                await db.execute(
                    "INSERT INTO trivia_settings (guild_id, daily_enabled, daily_channel_id,"
                    " daily_time) VALUES (?, ?, ?, ?) ON CONFLICT (guild_id) DO UPDATE SET"
                    " daily_enabled = excluded.daily_enabled,"
                    " daily_channel_id = excluded.daily_channel_id,"
                    " daily_time = excluded.daily_time",
                    (guild_id, int(enabled), channel_id, at),
                )

    async def daily_servers(self) -> list[tuple[int, int, str]]:
        """(guild, channel, "HH:MM") of every server with the daily question on."""
        rows = await self._state._fetch_all(
            "SELECT guild_id, daily_channel_id, daily_time FROM trivia_settings"
            " WHERE daily_enabled = 1 AND daily_channel_id IS NOT NULL"
            " AND daily_time IS NOT NULL ORDER BY guild_id"
        )
        return [(int(r[0]), int(r[1]), str(r[2])) for r in rows]
