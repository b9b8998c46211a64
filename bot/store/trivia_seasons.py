"""Named trivia seasons and the daily question, in the state database.

Times come from the caller (the cog's clock), so a fake clock drives them in tests and no
SQL here depends on one database's date functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.store.state import StateStore


def stamp(moment: datetime) -> str:
    """The text form every trivia time is stored in, the same as the games' start times
    (UTC, milliseconds), so that the two compare as text."""
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


@dataclass(frozen=True, slots=True)
class Season:
    id: int
    guild_id: int
    name: str
    started_at: str
    ended_at: str | None
    winner_id: int | None
    winner_points: int | None


@dataclass(frozen=True, slots=True)
class DailyQuestion:
    guild_id: int
    day: str  # YYYY-MM-DD, UTC
    question_id: str
    channel_id: int
    message_id: int | None


_SEASON = "id, guild_id, name, started_at, ended_at, winner_id, winner_points"


class SeasonRecords:
    def __init__(self, state: StateStore) -> None:
        self._state = state

    async def current(self, guild_id: int) -> Season | None:
        row = await self._state._fetch_one(
            f"SELECT {_SEASON} FROM trivia_seasons WHERE guild_id = ? AND ended_at IS NULL",
            (guild_id,),
        )
        return Season(*row) if row else None

    async def start(self, guild_id: int, name: str, by: int, now: datetime) -> Season | None:
        """The new season, or None when one is already running in this server."""
        async with self._state.transaction() as db:
            cursor = await db.execute(
                "INSERT INTO trivia_seasons (guild_id, name, started_at, started_by)"
                " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id",
                (guild_id, name, stamp(now), by),
            )
            row = await cursor.fetchone()
            await cursor.close()
        if row is None:
            return None
        return Season(int(row[0]), guild_id, name, stamp(now), None, None, None)

    async def end(self, guild_id: int, by: int, now: datetime) -> Season | None:
        """Close the running season and keep its winner (from this server's games since it
        started); None when no season is running."""
        season = await self.current(guild_id)
        if season is None:
            return None
        board = await self._state.trivia.leaderboard(
            guild_id, season.started_at, limit=1, until=stamp(now)
        )
        winner = board[0] if board and board[0].points > 0 else None
        async with self._state.transaction() as db:
            await db.execute(
                "UPDATE trivia_seasons SET ended_at = ?, ended_by = ?, winner_id = ?,"
                " winner_points = ? WHERE id = ? AND ended_at IS NULL",
                (
                    stamp(now),
                    by,
                    winner.user_id if winner else None,
                    winner.points if winner else None,
                    season.id,
                ),
            )
        return Season(
            season.id,
            guild_id,
            season.name,
            season.started_at,
            stamp(now),
            winner.user_id if winner else None,
            winner.points if winner else None,
        )

    async def history(self, guild_id: int, limit: int = 25) -> list[Season]:
        rows = await self._state._fetch_all(
            f"SELECT {_SEASON} FROM trivia_seasons WHERE guild_id = ?"
            " ORDER BY started_at DESC, id DESC LIMIT ?",
            (guild_id, limit),
        )
        return [Season(*r) for r in rows]


class DailyRecords:
    def __init__(self, state: StateStore) -> None:
        self._state = state

    async def posted(self, guild_id: int, day: str) -> DailyQuestion | None:
        row = await self._state._fetch_one(
            "SELECT guild_id, day, question_id, channel_id, message_id FROM trivia_daily"
            " WHERE guild_id = ? AND day = ?",
            (guild_id, day),
        )
        return DailyQuestion(*row) if row else None

    async def claim(
        self, guild_id: int, day: str, question_id: str, channel_id: int, now: datetime
    ) -> bool:
        """Record that today's question is being posted; False if it already was."""
        async with self._state.transaction() as db:
            cursor = await db.execute(
                "INSERT INTO trivia_daily (guild_id, day, question_id, channel_id, posted_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (guild_id, day) DO NOTHING",
                (guild_id, day, question_id, channel_id, stamp(now)),
            )
            return cursor.rowcount > 0

    async def set_message(self, guild_id: int, day: str, message_id: int) -> None:
        async with self._state.transaction() as db:
            await db.execute(
                "UPDATE trivia_daily SET message_id = ? WHERE guild_id = ? AND day = ?",
                (message_id, guild_id, day),
            )

    async def forget(self, guild_id: int, day: str) -> None:
        """Undo a claim whose post failed, so the next look tries again."""
        async with self._state.transaction() as db:
            await db.execute(
                "DELETE FROM trivia_daily WHERE guild_id = ? AND day = ? AND message_id IS NULL"
                " AND NOT EXISTS (SELECT 1 FROM trivia_daily_answers a"
                " WHERE a.guild_id = trivia_daily.guild_id AND a.day = trivia_daily.day)",
                (guild_id, day),
            )

    async def answer(
        self, guild_id: int, day: str, user_id: int, choice: str, correct: bool, now: datetime
    ) -> bool:
        """Keep one answer per player per day; False if they already answered."""
        async with self._state.transaction() as db:
            cursor = await db.execute(
                "INSERT INTO trivia_daily_answers (guild_id, day, user_id, choice, correct,"
                " answered_at) VALUES (?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (guild_id, day, user_id) DO NOTHING",
                (guild_id, day, user_id, choice, int(correct), stamp(now)),
            )
            return cursor.rowcount > 0

    async def streak(self, guild_id: int, user_id: int, day: str) -> int:
        """Days in a row, ending on `day`, that the player answered the daily question right."""
        rows = await self._state._fetch_all(
            "SELECT day FROM trivia_daily_answers WHERE guild_id = ? AND user_id = ?"
            " AND correct = 1 AND day <= ? ORDER BY day DESC",
            (guild_id, user_id, day),
        )
        expected = date.fromisoformat(day)
        streak = 0
        for (answered,) in rows:
            if date.fromisoformat(answered) != expected:
                break
            streak += 1
            expected -= timedelta(days=1)
        return streak
