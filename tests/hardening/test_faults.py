"""Discord misbehaving and the disk misbehaving: the bot keeps serving, loses no finished
trivia point, and tells users something clear."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
from pathlib import Path

import pytest

from bot.app import create_bot
from bot.console.world import FanWorld
from bot.errors import STORAGE_TROUBLE
from bot.facts.pipeline import BuildSummary, build_store
from cogs.trivia._session import Timings
from discord_emulator import Emulator, running_bot
from tests.helpers.bot import Env, bot_settings
from tests.helpers.data import CURATED_FILE, DOCUMENTS_DIR
from tests.helpers.trivia import answer_letter, closed, final, next_question, trivia

ROUTES = {
    "callback": "/interactions/{webhook_id}/{webhook_token}/callback",
    "followup": "/webhooks/{webhook_id}/{webhook_token}",
    "edit original": "/webhooks/{webhook_id}/{webhook_token}/messages/@original",
    "channel message": "/channels/{channel_id}/messages",
    "message edit": "/channels/{channel_id}/messages/{message_id}",
}


async def test_a_429_once_on_every_route_type_is_survived(env: Env) -> None:
    for route in ROUTES.values():
        env.emu.rate_limit(route, retry_after=0.05, times=1)
    trivia(env).timings = Timings(seconds_factor=0.05, pause=0.01)
    about = await env.drv.invoke("/about")  # callback
    assert about.embed["title"] == "About this bot"
    asked = await env.drv.invoke("/ask", question="Kyuhyun")  # defer, then followup
    assert "Kyuhyun" in asked.text()
    await env.drv.invoke("/trivia start", rounds=1)  # channel message, then its edit
    question = await next_question(env)
    await closed(env, question)
    await final(env)
    limited = {r.route for r in env.emu.requests if r.status == 429}
    assert {ROUTES["callback"], ROUTES["channel message"], ROUTES["message edit"]} <= limited
    assert not [r for r in env.emu.requests if r.status and r.status >= 500]


async def test_server_errors_on_message_sends_end_the_game_but_keep_its_points(
    env: Env, caplog: pytest.LogCaptureFixture
) -> None:
    trivia(env).timings = Timings(seconds_factor=0.05, pause=0.2)
    await env.drv.invoke("/trivia start", rounds=3)
    q1 = await next_question(env)
    await env.drv.click(q1, (await answer_letter(env, q1))[0])
    await closed(env, q1)
    # Question 2's send fails (503: discord.py does not retry it).
    env.emu.server_error(ROUTES["channel message"], method="POST", status=503, times=1)
    end = await final(env)
    assert end.embeds[0]["title"] == "Trivia stopped because of an error"
    points = await env.bot.state.trivia.leaderboard(env.world.guild.id)
    assert points[0].user_id == env.world.alice.id and points[0].correct == 1
    assert [g.status for g in await env.bot.state.trivia.games()] == ["failed"]
    assert any("crashed" in r.getMessage() for r in caplog.records if r.levelno == logging.ERROR)
    # The bot keeps serving.
    assert (await env.drv.invoke("/about")).embed["title"] == "About this bot"
    again = await env.drv.invoke("/trivia start", rounds=1, user=env.world.bob)
    assert not again.ephemeral


async def test_a_dropped_gateway_mid_game(env: Env) -> None:
    trivia(env).timings = Timings(seconds_factor=0.25, pause=0.01)  # 5 s questions
    await env.drv.invoke("/trivia start", rounds=2)
    q1 = await next_question(env)
    await env.emu.drop_gateway(abrupt=True)
    await env.emu.gateway.wait_for_lifecycle("resume", timeout=15)
    mine = await env.drv.click(q1, (await answer_letter(env, q1))[0], timeout=15)
    assert "Locked in" in mine.content
    await closed(env, q1)
    q2 = await next_question(env, 2)
    await env.drv.click(q2, "A")
    await final(env, within=20)
    rows = await env.bot.state.trivia.leaderboard(env.world.guild.id)
    assert rows and rows[0].answered == 2


async def test_a_locked_state_database_makes_writes_wait_not_fail(env: Env) -> None:
    path = env.bot.state.path
    holding = threading.Event()
    release = threading.Event()

    def hold_the_lock() -> None:
        other = sqlite3.connect(path, timeout=1)
        other.execute("BEGIN EXCLUSIVE")
        holding.set()
        release.wait(5)
        other.rollback()
        other.close()

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    await asyncio.to_thread(holding.wait, 5)
    loop = asyncio.get_running_loop()
    loop.call_later(2.0, release.set)  # another writer holds the file for 2 seconds
    try:
        # The write waits in aiosqlite's thread (busy timeout 5 s); interactions must
        # still be acknowledged within 3 s, so the reply comes once the lock is free.
        saved = await env.drv.invoke("/progress", episode=2, timeout=10)
    finally:
        release.set()
        await asyncio.to_thread(holder.join)
    assert "up to episode 2" in saved.content
    assert await env.bot.state.stored_progress(env.world.alice.id) == 2


async def test_a_full_disk_gives_a_clear_error_and_corrupts_nothing(env: Env) -> None:
    state = env.bot.state
    await state.set_progress(env.world.bob.id, 3)
    # Cap the database at the pages it already has: the next page it needs is "disk full".
    # (a fault injected through the store's own connection: the limit is per connection)
    pages = (await state._fetch_one("PRAGMA page_count"))[0]  # type: ignore[index]
    await state._fetch_one(f"PRAGMA max_page_count = {pages}")
    failures = []
    for n in range(400):
        user = env.emu.world.create_user(f"filler{n}")
        env.emu.world.add_member(env.world.guild, user)
        reply = await env.drv.invoke("/progress", episode=1, user=user)
        if reply.content == STORAGE_TROUBLE:
            failures.append(user)
            break
    assert failures, "the capped database never filled up"
    assert reply.ephemeral
    assert await state.stored_progress(failures[0].id) is None  # nothing half-written
    assert await state.integrity_check() == "ok"
    assert await state.stored_progress(env.world.bob.id) == 3
    assert (await env.drv.invoke("/progress")).content.startswith("You're at")  # reads still work


@pytest.mark.parametrize("damage", ["missing", "corrupt"])
async def test_a_missing_or_corrupt_fact_store_is_rebuilt_at_start(
    damage: str,
    tmp_path: Path,
    built_store: tuple[Path, BuildSummary],
    caplog: pytest.LogCaptureFixture,
    emu: Emulator,
    world: FanWorld,
) -> None:
    facts_db = tmp_path / "facts.db"
    build_store(DOCUMENTS_DIR, CURATED_FILE, facts_db)
    if damage == "missing":
        facts_db.unlink()
    else:
        facts_db.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    caplog.set_level(logging.INFO, logger="bot.facts.pipeline")
    bot = create_bot(bot_settings(facts_db, tmp_path / "state.db"))
    async with running_bot(bot, emu) as (emu, drv):
        await bot.tree.sync()
        reply = await drv.invoke(
            "/cast", name="Han So-hee", user=world.alice, channel=world.general
        )
        assert reply.embed["title"] == "Han So-hee as Lee Eun-soo"
    assert any("rebuilding" in r.getMessage() for r in caplog.records)
