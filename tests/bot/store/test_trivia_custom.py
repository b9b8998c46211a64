"""The trivia-plus state: migration 4 on an existing database, server questions, seasons
and the daily question's streak, against a real SQLite file."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.store import StateStore
from bot.store.migrations import MIGRATIONS
from bot.store.trivia import AnswerRecord
from bot.store.trivia_custom import CustomQuestion, custom_id, custom_number
from bot.store.trivia_seasons import stamp

QUESTION = CustomQuestion("lore", "Which one?", "A", ("B", "C", "D"), 1, ("Ay",), "hard")
NOW = datetime(2026, 5, 1, 12, tzinfo=UTC)


async def test_migration_4_keeps_earlier_games(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    db = sqlite3.connect(path)
    for script in MIGRATIONS[:3]:
        db.executescript(script)
    db.execute("PRAGMA user_version = 3")
    db.execute(
        "INSERT INTO trivia_games (guild_id, channel_id, starter_id, rounds, spoiler_cap,"
        " seconds) VALUES (1, 2, 3, 5, 0, 20)"
    )
    db.commit()
    db.close()
    state = await StateStore.open(path)
    try:
        assert await state.schema_version() == len(MIGRATIONS) >= 4
        rows = await state._fetch_all("SELECT mode, play, teams FROM trivia_games")
        assert [tuple(r) for r in rows] == [("buttons", "classic", 0)]
    finally:
        await state.close()


async def test_custom_questions_per_server(state: StateStore) -> None:
    records = state.custom_questions
    number = await records.add(10, 99, QUESTION)
    assert number is not None
    assert await records.add(10, 99, QUESTION) is None  # the same text twice: kept once
    assert await records.add(11, 99, QUESTION) is not None  # another server may have it
    [question] = await records.questions(10)
    assert question.id == custom_id(number) and custom_number(question.id) == number
    assert question.source is None and question.custom and question.aliases == ("Ay",)
    assert (question.answer, question.wrong, question.difficulty) == ("A", ("B", "C", "D"), "hard")
    assert await records.questions(10, max_level=0) == []
    assert await records.questions(10, difficulty="easy") == []
    assert await records.get(11, number) is None  # not that server's number
    changed = CustomQuestion("lore", "Which two?", "A", ("B", "C", "D"), 0)
    assert await records.update(10, number, changed)
    assert (await records.get(10, number)).question == "Which two?"  # type: ignore[union-attr]
    assert not await records.remove(11, number + 100)
    assert await records.remove(10, number)
    assert await records.questions(10) == []
    added, skipped = await records.add_many(10, None, [QUESTION, changed, QUESTION])
    assert (added, skipped) == (2, 1)


async def test_settings_default_off_and_the_daily_schedule(state: StateStore) -> None:
    records = state.custom_questions
    assert not (await records.settings(5)).custom_questions
    await records.set_custom_enabled(5, True)
    await records.set_daily(5, True, 77, "18:00")
    settings = await records.settings(5)
    assert settings.custom_questions and settings.daily_enabled
    assert await records.daily_servers() == [(5, 77, "18:00")]
    await records.set_daily(5, False, 77, "18:00")
    assert await records.daily_servers() == []
    assert (await records.settings(5)).custom_questions  # untouched by the daily switch


async def test_one_season_at_a_time_and_its_winner(state: StateStore) -> None:
    seasons = state.seasons
    before = await state.trivia.start_game(
        guild_id=1,
        channel_id=2,
        starter_id=3,
        rounds=1,
        category=None,
        difficulty=None,
        spoiler_cap=0,
        seconds=20,
    )
    await state.trivia.close_round(before, 1, "q", None, [AnswerRecord(8, "x", True, 500, 1)])
    await asyncio.sleep(0.01)  # times are kept to the millisecond
    started = await seasons.start(1, "Spring", 3, datetime.now(UTC))
    assert started is not None and await seasons.start(1, "Again", 3, datetime.now(UTC)) is None
    assert await seasons.start(2, "Elsewhere", 3, datetime.now(UTC)) is not None
    game = await state.trivia.start_game(
        guild_id=1,
        channel_id=2,
        starter_id=3,
        rounds=1,
        category=None,
        difficulty=None,
        spoiler_cap=0,
        seconds=20,
    )
    await state.trivia.close_round(
        game, 1, "q", None, [AnswerRecord(7, "x", True, 150, 1), AnswerRecord(8, "y", False, 0, 1)]
    )
    ended = await seasons.end(1, 3, datetime.now(UTC) + timedelta(seconds=1))
    assert ended is not None and (ended.winner_id, ended.winner_points) == (7, 150)
    assert await seasons.current(1) is None and await seasons.end(1, 3, NOW) is None
    assert [s.name for s in await seasons.history(1)] == ["Spring"]


@pytest.mark.parametrize(
    ("answers", "day", "streak"),
    [
        ([("05-01", 1), ("05-02", 1), ("05-03", 1)], "05-03", 3),
        ([("05-01", 1), ("05-02", 0), ("05-03", 1)], "05-03", 1),
        ([("05-01", 1), ("05-03", 1)], "05-03", 1),  # a day missed
        ([("05-01", 1), ("05-02", 1)], "05-03", 0),  # not answered today (yet)
        ([("05-01", 1), ("05-02", 1), ("05-03", 0)], "05-03", 0),
    ],
)
async def test_daily_streaks(
    state: StateStore, answers: list[tuple[str, int]], day: str, streak: int
) -> None:
    daily = state.daily
    for short, correct in answers:
        assert await daily.claim(1, f"2026-{short}", "platform", 9, NOW)
        assert await daily.answer(1, f"2026-{short}", 42, "x", bool(correct), NOW)
        assert not await daily.answer(1, f"2026-{short}", 42, "x", True, NOW)
    assert await daily.streak(1, 42, f"2026-{day}") == streak


async def test_a_failed_daily_post_can_be_retried(state: StateStore) -> None:
    daily = state.daily
    assert await daily.claim(1, "2026-05-01", "platform", 9, NOW)
    assert not await daily.claim(1, "2026-05-01", "platform", 9, NOW)
    await daily.forget(1, "2026-05-01")
    assert await daily.claim(1, "2026-05-01", "platform", 9, NOW)
    await daily.set_message(1, "2026-05-01", 1234)
    await daily.forget(1, "2026-05-01")  # posted: nothing to undo
    posted = await daily.posted(1, "2026-05-01")
    assert posted is not None and posted.message_id == 1234


def test_stamps_sort_like_the_games_start_times() -> None:
    assert stamp(NOW) == "2026-05-01T12:00:00.000Z"
    assert stamp(NOW + timedelta(milliseconds=5)) > stamp(NOW)
