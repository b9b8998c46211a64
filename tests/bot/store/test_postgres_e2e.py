"""The real bot on the emulator with its state on PostgreSQL (DATABASE_URL): progress,
a short trivia game scored, the leaderboard read back, all in the PostgreSQL database."""

from __future__ import annotations

from pathlib import Path

import asyncpg

from bot.console.world import FanWorld
from bot.facts.pipeline import BuildSummary
from discord_emulator import Emulator
from tests.helpers.bot import bot_session, bot_settings
from tests.helpers.trivia import FAST, answer_letter, closed, final, next_question, trivia


async def test_the_bot_keeps_its_state_on_postgresql(
    built_store: tuple[Path, BuildSummary],
    tmp_path: Path,
    emu: Emulator,
    world: FanWorld,
    database_url: str,
) -> None:
    state_file = tmp_path / "state.db"
    settings = bot_settings(built_store[0], state_file, DATABASE_URL=database_url)
    alice, bob = world.alice, world.bob
    async with bot_session(settings, emu, world) as env:
        assert env.bot.state.dialect == "postgresql"
        saved = await env.drv.invoke("/progress", episode=2)
        assert saved.ephemeral
        trivia(env).timings = FAST
        await env.drv.invoke("/trivia start", rounds=2, seconds=20, spoilers_up_to=2)
        for number in (1, 2):
            question = await next_question(env, number)
            right, wrong = await answer_letter(env, question)
            await env.drv.click(question, right, user=alice)
            await env.drv.click(question, wrong, user=bob)
            await closed(env, question)
        await final(env)
        board = await env.drv.invoke("/trivia leaderboard")
        assert f"<@{alice.id}>" in board.embed["description"]

    assert not state_file.exists()  # nothing went to SQLite
    conn = await asyncpg.connect(database_url)
    try:
        progress = await conn.fetchval(
            "SELECT episode FROM user_progress WHERE user_id = $1", alice.id
        )
        points = await conn.fetch(
            "SELECT user_id, sum(points) AS points, sum(correct) AS correct"
            " FROM trivia_answers GROUP BY user_id ORDER BY user_id"
        )
        status = await conn.fetchval("SELECT status FROM trivia_games")
    finally:
        await conn.close()
    assert progress == 2
    assert status == "finished"
    by_user = {r["user_id"]: (r["points"], r["correct"]) for r in points}
    assert by_user[alice.id][0] > 0 and by_user[alice.id][1] == 2
    assert by_user[bob.id] == (0, 0)
