"""The daily question on a fake clock: posted once at the server's time, one answer per
player per day, a streak of right days, and yesterday's question closed."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.console.world import FanWorld
from bot.facts.pipeline import BuildSummary
from bot.store.records import Question
from cogs.trivia import Trivia
from cogs.trivia._daily import daily_options, parse_time
from discord_emulator import Emulator, Reply
from tests.helpers.bot import Env, bot_session, bot_settings
from tests.helpers.clock import FakeClock
from tests.helpers.trivia import trivia

POLL = 0.02
DAY_ONE = datetime(2026, 3, 10, 17, 59, tzinfo=UTC)


def daily_posts(env: Env) -> list[Reply]:
    return [
        m
        for m in env.drv.messages(env.world.general)
        if m.embeds and m.embeds[0]["title"].startswith("Daily question")
    ]


async def wait_for_daily(env: Env, day: str) -> Reply:
    return await env.drv.wait_for_message(
        env.world.general,
        after=0,
        timeout=5,
        check=lambda m: bool(m.embeds) and m.embeds[0]["title"] == f"Daily question · {day}",
    )


async def letters(cog: Trivia, env: Env, day: str) -> tuple[str, str]:
    posted = await env.bot.state.daily.posted(env.world.guild.id, day)
    assert posted is not None
    question = await cog.daily_questions.find_question(env.world.guild.id, posted.question_id)
    assert isinstance(question, Question)
    _, correct = daily_options(question, env.world.guild.id, day)
    return "ABCD"[correct], "ABCD"[(correct + 1) % 4]


def test_parse_time() -> None:
    assert parse_time("18:00") == "18:00" and parse_time("7:05") == "07:05"
    assert parse_time("24:00") is None and parse_time("noon") is None
    assert parse_time("12:60") is None


async def test_the_daily_question_and_its_streak(env: Env) -> None:
    cog = trivia(env)
    clock = FakeClock(DAY_ONE)
    cog.clock, cog.poll_interval = clock, POLL
    world = env.world
    refused = await env.drv.invoke("/trivia daily set", enabled=True, user=world.alice)
    assert refused.ephemeral and "Manage Server" in refused.content
    bad = await env.drv.invoke("/trivia daily set", enabled=True, at="25:99", user=world.owner)
    assert bad.ephemeral and "HH:MM" in bad.content
    on = await env.drv.invoke("/trivia daily set", enabled=True, at="18:00", user=world.owner)
    assert on.ephemeral and "every day at 18:00 UTC" in on.content
    assert f"<t:{int(datetime(2026, 3, 10, 18, tzinfo=UTC).timestamp())}:R>" in on.content
    await asyncio.sleep(POLL * 5)
    assert daily_posts(env) == []  # not yet time

    clock.now = DAY_ONE + timedelta(minutes=1, seconds=1)
    first = await wait_for_daily(env, "2026-03-10")
    assert [b.label for b in first.buttons()] == ["A", "B", "C", "D"]
    right, wrong = await letters(cog, env, "2026-03-10")
    yes = await env.drv.click(first, right, user=world.alice)
    assert yes.ephemeral and "Right" in yes.content and "1 day in a row" in yes.content
    twice = await env.drv.click(first, wrong, user=world.alice)
    assert "already answered today's question" in twice.content
    no = await env.drv.click(first, wrong, user=world.bob)
    assert "Not this time" in no.content
    clock.now += timedelta(hours=5)  # later that day: still one post
    await asyncio.sleep(POLL * 5)
    assert len(daily_posts(env)) == 1

    clock.now = datetime(2026, 3, 11, 18, 0, 30, tzinfo=UTC)
    second = await wait_for_daily(env, "2026-03-11")
    closed = await env.drv.click(first, right, user=world.bob)
    assert "This daily question is closed" in closed.content
    right2, _ = await letters(cog, env, "2026-03-11")
    streak = await env.drv.click(second, right2, user=world.alice)
    assert "2 days in a row" in streak.content

    clock.now = datetime(2026, 3, 12, 19, 0, tzinfo=UTC)
    third = await wait_for_daily(env, "2026-03-12")
    _, wrong3 = await letters(cog, env, "2026-03-12")
    broken = await env.drv.click(third, wrong3, user=world.alice)
    assert "starts again" in broken.content

    clock.now = datetime(2026, 3, 14, 18, 0, 1, tzinfo=UTC)  # a day with no answer between
    fourth = await wait_for_daily(env, "2026-03-14")
    right4, _ = await letters(cog, env, "2026-03-14")
    again = await env.drv.click(fourth, right4, user=world.alice)
    assert "1 day in a row" in again.content
    assert len(daily_posts(env)) == 4  # 13 March passed unseen by this clock: no late post

    off = await env.drv.invoke("/trivia daily set", enabled=False, user=world.owner)
    assert "off" in off.content
    clock.now = datetime(2026, 3, 15, 18, 0, 1, tzinfo=UTC)
    await asyncio.sleep(POLL * 5)
    assert len(daily_posts(env)) == 4
    rows = await env.bot.state._fetch_all(
        "SELECT day, correct FROM trivia_daily_answers WHERE user_id = ? ORDER BY day",
        (world.alice.id,),
    )
    assert [tuple(r) for r in rows] == [
        ("2026-03-10", 1),
        ("2026-03-11", 1),
        ("2026-03-12", 0),
        ("2026-03-14", 1),
    ]


async def test_the_daily_question_stays_within_the_servers_spoiler_default(env: Env) -> None:
    cog = trivia(env)
    for day in range(1, 29):
        posted_day = f"2026-02-{day:02d}"
        await cog.post_daily(env.world.guild.id, env.world.general.id, posted_day)
        posted = await env.bot.state.daily.posted(env.world.guild.id, posted_day)
        assert posted is not None
        question = await cog.daily_questions.find_question(env.world.guild.id, posted.question_id)
        assert question is not None and question.spoiler_level == 0  # the default is 0


async def test_a_daily_answer_after_a_restart_still_counts(
    built_store: tuple[Path, BuildSummary], tmp_path: Path, emu: Emulator, world: FanWorld
) -> None:
    settings = bot_settings(built_store[0], tmp_path / "state.db")
    day = "2026-03-10"
    await emu.start()
    try:
        async with bot_session(settings, emu, world) as first:
            trivia(first).clock = FakeClock(DAY_ONE + timedelta(hours=1))
            await trivia(first).post_daily(world.guild.id, world.general.id, day)
            posted = await wait_for_daily(first, day)
            right, _ = await letters(trivia(first), first, day)
        async with bot_session(settings, emu, world) as second:
            cog = trivia(second)
            cog.clock = FakeClock(DAY_ONE + timedelta(hours=2))
            await cog.post_daily(world.guild.id, world.general.id, day)  # never twice
            assert len(daily_posts(second)) == 1
            reply = await second.drv.click(posted, right, user=world.bob)
            assert reply.ephemeral and "Right" in reply.content and "1 day" in reply.content
    finally:
        await emu.stop()
