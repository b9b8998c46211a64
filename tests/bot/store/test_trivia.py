"""Trivia results in the state store (bot/store/trivia.py), on both backends: a finished
round's points are written once, atomically, and never counted twice."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest

from bot.store import StateStore
from bot.store.trivia import AnswerRecord

PLAYER, OTHER = 900_000_000_000_000_001, 900_000_000_000_000_002


async def new_game(state: StateStore, guild: int | None = 5) -> int:
    return await state.trivia.start_game(
        guild_id=guild,
        channel_id=6,
        starter_id=PLAYER,
        rounds=3,
        category=None,
        difficulty=None,
        spoiler_cap=1,
        seconds=20,
    )


async def test_a_closed_round_counts_once(state: StateStore) -> None:
    game = await new_game(state)
    answers = [AnswerRecord(PLAYER, "A", True, 700, 900), AnswerRecord(OTHER, "B", False, 0, 400)]
    await state.trivia.close_round(game, 1, "q-1", 10, answers)
    with pytest.raises(sqlite3.IntegrityError):
        await state.trivia.close_round(game, 1, "q-1", 10, answers)  # a retried close
    assert await state.trivia.game_points(game) == {PLAYER: 700, OTHER: 0}
    assert await state.trivia.closed_rounds(game) == 1


async def test_a_round_is_written_whole_or_not_at_all(state: StateStore) -> None:
    game = await new_game(state)
    twice = [AnswerRecord(PLAYER, "A", True, 700, 900), AnswerRecord(PLAYER, "B", True, 500, 1)]
    with pytest.raises(sqlite3.IntegrityError):
        await state.trivia.close_round(game, 1, "q-1", 10, twice)
    assert await state.trivia.closed_rounds(game) == 0  # the round row was rolled back too
    assert await state.trivia.game_points(game) == {}


async def test_writes_queued_together_land_once_and_fail_alone(state: StateStore) -> None:
    """Fifty games starting at once and rounds closing in the same instant: on SQLite they
    are committed together, but each is still its own all-or-nothing write."""
    game = await new_game(state)
    first = [AnswerRecord(PLAYER, "A", True, 700, 900)]
    await state.trivia.close_round(game, 1, "q-1", 10, first)
    twice = [AnswerRecord(OTHER, "A", True, 600, 1), AnswerRecord(OTHER, "B", True, 500, 2)]
    outcomes = await asyncio.gather(
        *(new_game(state) for _ in range(50)),
        state.trivia.close_round(game, 1, "q-1", 10, first),  # a retried close
        state.trivia.close_round(game, 2, "q-2", 11, twice),  # fails on its second statement
        state.trivia.close_round(game, 3, "q-3", 12, [AnswerRecord(OTHER, "C", True, 500, 3)]),
        return_exceptions=True,
    )
    started, retried, doubled, third = outcomes[:50], outcomes[50], outcomes[51], outcomes[52]
    assert len(set(started)) == 50 and all(isinstance(g, int) and g > game for g in started)
    assert isinstance(retried, sqlite3.IntegrityError)
    assert isinstance(doubled, sqlite3.IntegrityError)
    assert third is None
    assert await state.trivia.closed_rounds(game) == 2  # rounds 1 and 3; round 2 undone whole
    assert await state.trivia.game_points(game) == {PLAYER: 700, OTHER: 500}
    assert len(await state.trivia.running_games()) == 51


async def test_leaderboards_and_stats_per_server_and_global(state: StateStore) -> None:
    here, there = await new_game(state, 5), await new_game(state, 7)
    await state.trivia.close_round(here, 1, "q", None, [AnswerRecord(PLAYER, "A", True, 900, 1)])
    await state.trivia.close_round(there, 1, "q", None, [AnswerRecord(OTHER, "A", True, 950, 1)])
    await state.trivia.close_round(there, 2, "r", None, [AnswerRecord(PLAYER, "B", False, 0, 1)])
    await state.trivia.end_game(here, "finished", "done")
    assert [(r.user_id, r.points) for r in await state.trivia.leaderboard(5)] == [(PLAYER, 900)]
    assert [(r.user_id, r.points) for r in await state.trivia.leaderboard(None)] == [
        (OTHER, 950),
        (PLAYER, 900),
    ]
    stats = await state.trivia.stats(PLAYER)
    assert (stats.games, stats.answered, stats.correct, stats.points) == (2, 2, 1, 900)
    assert [g.id for g in await state.trivia.running_games()] == [there]


async def test_a_game_is_ended_once(state: StateStore) -> None:
    game = await new_game(state)
    assert await state.trivia.end_game(game, "interrupted", "the bot restarted")
    assert not await state.trivia.end_game(game, "interrupted", "the bot restarted")
    record = await state.trivia.game(game)
    assert record is not None and record.status == "interrupted"
