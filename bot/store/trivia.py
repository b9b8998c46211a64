"""Trivia results in the state database: games, closed rounds and every answer.

A round's answers are written in one transaction when the round closes, so a crash can
lose at most the round that was still open, never part of a finished one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.store.write_queue import Statement

if TYPE_CHECKING:
    from bot.store.state import StateStore

ENDED_STATUSES = ("finished", "stopped", "abandoned", "interrupted", "failed")


@dataclass(frozen=True, slots=True)
class GameRecord:
    id: int
    guild_id: int | None
    channel_id: int
    starter_id: int
    rounds: int
    spoiler_cap: int
    status: str


@dataclass(frozen=True, slots=True)
class AnswerRecord:
    user_id: int
    choice: str
    correct: bool
    points: int
    answered_ms: int
    hints: int = 0
    team: int | None = None


@dataclass(frozen=True, slots=True)
class LeaderboardRow:
    user_id: int
    points: int
    correct: int
    answered: int


@dataclass(frozen=True, slots=True)
class PlayerStats:
    games: int
    answered: int
    correct: int
    points: int
    best_streak: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.answered if self.answered else 0.0


class TriviaRecords:
    def __init__(self, state: StateStore) -> None:
        self._state = state

    async def start_game(
        self,
        *,
        guild_id: int | None,
        channel_id: int,
        starter_id: int,
        rounds: int,
        category: str | None,
        difficulty: str | None,
        spoiler_cap: int,
        seconds: int,
        mode: str = "buttons",
        play: str = "classic",
        teams: int = 0,
    ) -> int:
        # Through the state's write queue: many games start (and close rounds) at once.
        rows = await self._state.write(
            [
                Statement(
                    "INSERT INTO trivia_games (guild_id, channel_id, starter_id, rounds,"
                    " category, difficulty, spoiler_cap, seconds, mode, play, teams)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                    (
                        guild_id,
                        channel_id,
                        starter_id,
                        rounds,
                        category,
                        difficulty,
                        spoiler_cap,
                        seconds,
                        mode,
                        play,
                        teams,
                    ),
                )
            ]
        )
        return int(rows[0][0][0])

    async def close_round(
        self,
        game_id: int,
        round_number: int,
        question_id: str,
        message_id: int | None,
        answers: Sequence[AnswerRecord],
    ) -> None:
        """Write a finished round and its answers atomically."""
        await self._state.write(
            [
                Statement(
                    "INSERT INTO trivia_rounds (game_id, round, question_id, message_id)"
                    " VALUES (?, ?, ?, ?)",
                    (game_id, round_number, question_id, message_id),
                ),
                Statement(
                    "INSERT INTO trivia_answers (game_id, round, user_id, choice, correct,"
                    " points, answered_ms, hints, team) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    rows=[
                        (
                            game_id,
                            round_number,
                            a.user_id,
                            a.choice,
                            int(a.correct),
                            a.points,
                            a.answered_ms,
                            a.hints,
                            a.team,
                        )
                        for a in answers
                    ],
                ),
            ]
        )

    async def end_game(self, game_id: int, status: str, reason: str) -> bool:
        """End a running game; False if it had already ended (the update is the claim: of
        two processes ending one game, exactly one gets True)."""
        if status not in ENDED_STATUSES:
            raise ValueError(f"unknown end status {status!r}")
        rows = await self._state.write(
            [
                Statement(
                    "UPDATE trivia_games SET status = ?, end_reason = ?,"
                    " ended_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
                    " WHERE id = ? AND status = 'running' RETURNING id",
                    (status, reason, game_id),
                )
            ]
        )
        return bool(rows[0])

    async def running_games(self) -> list[GameRecord]:
        rows = await self._state._fetch_all(
            "SELECT id, guild_id, channel_id, starter_id, rounds, spoiler_cap, status"
            " FROM trivia_games WHERE status = 'running' ORDER BY id"
        )
        return [GameRecord(*r) for r in rows]

    async def games(self) -> list[GameRecord]:
        """Every game ever started, oldest first."""
        rows = await self._state._fetch_all(
            "SELECT id, guild_id, channel_id, starter_id, rounds, spoiler_cap, status"
            " FROM trivia_games ORDER BY id"
        )
        return [GameRecord(*r) for r in rows]

    async def game(self, game_id: int) -> GameRecord | None:
        row = await self._state._fetch_one(
            "SELECT id, guild_id, channel_id, starter_id, rounds, spoiler_cap, status"
            " FROM trivia_games WHERE id = ?",
            (game_id,),
        )
        return GameRecord(*row) if row else None

    async def closed_rounds(self, game_id: int) -> int:
        row = await self._state._fetch_one(
            "SELECT count(*) FROM trivia_rounds WHERE game_id = ?", (game_id,)
        )
        return int(row[0]) if row else 0

    async def game_points(self, game_id: int) -> dict[int, int]:
        rows = await self._state._fetch_all(
            "SELECT user_id, sum(points) FROM trivia_answers WHERE game_id = ?"
            " GROUP BY user_id ORDER BY sum(points) DESC, user_id",
            (game_id,),
        )
        return {int(r[0]): int(r[1]) for r in rows}

    async def leaderboard(
        self,
        guild_id: int | None,
        since: str | None = None,
        limit: int = 100,
        until: str | None = None,
    ) -> list[LeaderboardRow]:
        """Players ranked by points: one server's games, or every server's (None), of games
        started in [since, until) when given."""
        rows = await self._state._fetch_all(
            "SELECT a.user_id, sum(a.points), sum(a.correct), count(*)"
            " FROM trivia_answers a JOIN trivia_games g ON g.id = a.game_id"
            # CAST: PostgreSQL cannot infer the type of a parameter that is only tested for
            # NULL (SQLite ignores it).
            " WHERE (CAST(? AS BIGINT) IS NULL OR g.guild_id = ?)"
            " AND (CAST(? AS TEXT) IS NULL OR g.started_at >= ?)"
            " AND (CAST(? AS TEXT) IS NULL OR g.started_at < ?)"
            " GROUP BY a.user_id ORDER BY sum(a.points) DESC, sum(a.correct) DESC, a.user_id"
            " LIMIT ?",
            (guild_id, guild_id, since, since, until, until, limit),
        )
        return [LeaderboardRow(int(r[0]), int(r[1]), int(r[2]), int(r[3])) for r in rows]

    async def stats(self, user_id: int, guild_id: int | None = None) -> PlayerStats:
        rows = await self._state._fetch_all(
            "SELECT a.game_id, a.correct, a.points FROM trivia_answers a"
            " JOIN trivia_games g ON g.id = a.game_id"
            " WHERE a.user_id = ? AND (CAST(? AS BIGINT) IS NULL OR g.guild_id = ?)"
            " ORDER BY a.game_id, a.round",
            (user_id, guild_id, guild_id),
        )
        best = streak = 0
        for _, correct, _ in rows:
            streak = streak + 1 if correct else 0
            best = max(best, streak)
        return PlayerStats(
            games=len({r[0] for r in rows}),
            answered=len(rows),
            correct=sum(int(r[1]) for r in rows),
            points=sum(int(r[2]) for r in rows),
            best_streak=best,
        )
