"""Issue 5: trivia games end to end on the emulator, with short settable timers."""

from __future__ import annotations

import asyncio
import dataclasses
import re
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import create_bot
from bot.console.world import FanWorld
from bot.settings import Settings
from cogs.trivia._scoring import BASE_POINTS
from cogs.trivia._session import Timings
from discord_emulator import Emulator, InteractionResult, running_bot
from tests.helpers.bot import Env, bot_session
from tests.helpers.trivia import FAST, answer_letter, closed, final, next_question, trivia


@pytest.fixture
async def game_env(env: Env) -> AsyncIterator[Env]:
    trivia(env).timings = FAST
    yield env


async def test_a_full_game(game_env: Env) -> None:
    env = game_env
    alice, bob = env.world.alice, env.world.bob
    start = await env.drv.invoke("/trivia start", rounds=3, seconds=20, spoilers_up_to=4)
    assert not start.ephemeral and "3 questions" in start.content
    assert start.allowed_mentions == {"parse": []}
    assert start.callback_type == 4  # the row was written in time: one callback, no deferral

    q1 = await next_question(env)
    assert q1.embeds[0]["title"] == f"Question 1/3 · {q1.embeds[0]['title'].split(' · ')[1]}"
    assert re.search(r"<t:\d+:R>", q1.embeds[0]["description"])
    assert "Spoilers: up to episode 4" in q1.embeds[0]["footer"]["text"]
    assert [b.label for b in q1.buttons()] == ["A", "B", "C", "D"]
    right, wrong = await answer_letter(env, q1)
    mine = await env.drv.click(q1, right, user=alice)
    assert mine.ephemeral and "Locked in" in mine.content and "correct" not in mine.content.lower()
    again = await env.drv.click(q1, wrong, user=alice)
    assert again.ephemeral and "already answered" in again.content
    await env.drv.click(q1, wrong, user=bob)
    result = await closed(env, q1)
    assert all(b.disabled for b in result.buttons())
    assert f"<@{alice.id}> +" in result.embeds[0]["description"]
    assert f"<@{bob.id}>" not in result.embeds[0]["description"]
    green = [b.label for b in result.buttons() if b.style == 3]
    assert green == [right]

    # Round 2 closes as soon as both previous players have answered.
    q2 = await next_question(env, 2)
    right2, _ = await answer_letter(env, q2)
    loop = asyncio.get_running_loop()
    opened = loop.time()
    await env.drv.click(q2, right2, user=alice)
    await env.drv.click(q2, right2, user=bob)
    await closed(env, q2)
    assert loop.time() - opened < 0.9  # before the 1 s buzzer

    q3 = await next_question(env, 3)
    await env.drv.click(q3, (await answer_letter(env, q3))[0], user=bob)
    end = await final(env)
    assert end.embeds[0]["title"] == "Trivia over: final scores"
    assert "wins with" in end.embeds[0]["description"] or "tie" in end.embeds[0]["description"]

    state = env.bot.state.trivia
    scores = await state.leaderboard(env.world.guild.id)
    by_user = {r.user_id: r for r in scores}
    assert by_user[alice.id].correct == 2 and by_user[bob.id].correct == 2
    assert by_user[alice.id].answered == 2 and by_user[bob.id].answered == 3
    board = await env.drv.invoke("/trivia leaderboard")
    assert f"<@{alice.id}>" in board.embed["description"]
    stats = await env.drv.invoke("/trivia stats", user=bob)
    fields = {f["name"]: f["value"] for f in stats.embed["fields"]}
    assert fields["Correct"] == "2/3" and fields["Games"] == "1" and fields["Best streak"] == "2"
    assert not trivia(env).sessions


async def test_one_game_per_channel_and_separate_channels(game_env: Env) -> None:
    env = game_env
    await env.drv.invoke("/trivia start", rounds=2)
    await next_question(env)
    second = await env.drv.invoke("/trivia start", rounds=2, user=env.world.bob)
    assert second.ephemeral and "already running" in second.content
    assert "/channels/" in second.content  # links the running game
    other = env.emu.world.create_channel(env.world.guild, "trivia-night")
    elsewhere = await env.drv.invoke(
        "/trivia start", rounds=1, user=env.world.moderator, channel=other
    )
    assert not elsewhere.ephemeral
    await next_question(env, channel=other)
    assert len(trivia(env).sessions) == 2


async def test_stop_by_starter_and_refusal(game_env: Env) -> None:
    env = game_env
    trivia(env).timings = Timings(seconds_factor=0.5, pause=0.01)  # 10 s questions
    await env.drv.invoke("/trivia start", rounds=5, seconds=20)
    q1 = await next_question(env)
    await env.drv.click(q1, "A", user=env.world.bob)
    refused = await env.drv.invoke("/trivia stop", user=env.world.bob)
    assert refused.ephemeral and "Only the player who started" in refused.content
    stopped = await env.drv.invoke("/trivia stop", user=env.world.alice)
    assert stopped.ephemeral and "Stopping" in stopped.content
    end = await final(env, within=5)
    assert end.embeds[0]["title"] == "Trivia stopped: final scores"
    assert f"<@{env.world.alice.id}>" in end.embeds[0]["description"]
    rows = await env.bot.state.trivia.leaderboard(env.world.guild.id)
    assert [r.user_id for r in rows] == [env.world.bob.id]  # the closed round counted


async def test_a_moderator_may_stop_any_game(game_env: Env) -> None:
    env = game_env
    trivia(env).timings = Timings(seconds_factor=0.5, pause=0.01)
    await env.drv.invoke("/trivia start", rounds=5)
    await next_question(env)
    stopped = await env.drv.invoke("/trivia stop", user=env.world.moderator)
    assert "Stopping" in stopped.content
    await final(env, within=5)


async def test_a_game_nobody_plays_stops_itself(game_env: Env) -> None:
    env = game_env
    await env.drv.invoke("/trivia start", rounds=5)
    end = await final(env, within=10)
    assert end.embeds[0]["title"] == "Trivia stopped: nobody is playing"
    assert "2 questions in a row" in end.embeds[0]["description"]
    assert [g.status for g in await env.bot.state.trivia.games()] == ["abandoned"]


async def test_the_spoiler_cap_holds_in_every_game(game_env: Env) -> None:
    env = game_env
    trivia(env).timings = Timings(seconds_factor=0.01, pause=0.0)
    allowed = {q.question for q in await env.bot.facts.questions(max_level=1)}
    asked: list[str] = []
    for n in range(6):
        channel = env.emu.world.create_channel(env.world.guild, f"game-{n}")
        starter = env.emu.world.create_user(f"starter{n}")  # one start each: no cooldown
        env.emu.world.add_member(env.world.guild, starter)
        await env.drv.invoke(
            "/trivia start", rounds=2, spoilers_up_to=1, channel=channel, user=starter
        )
        for number in (1, 2):
            q = await next_question(env, number, channel=channel)
            asked.append(re.match(r"\*\*(.+?)\*\*", q.embeds[0]["description"]).group(1))  # type: ignore[union-attr]
            assert "Spoilers: up to episode 1" in q.embeds[0]["footer"]["text"]
        await final(env, channel=channel)
    assert asked and all(question in allowed for question in asked)


async def test_default_cap_is_the_server_default(game_env: Env) -> None:
    env = game_env
    await env.bot.state.set_default_progress(env.world.guild.id, 0)
    start = await env.drv.invoke("/trivia start", rounds=1)
    assert "premise only" in start.content
    q = await next_question(env)
    assert "premise only" in q.embeds[0]["footer"]["text"]


async def test_two_hundred_players_in_one_second(game_env: Env) -> None:
    env = game_env
    trivia(env).timings = Timings(seconds_factor=0.25, pause=0.01)  # 5 s to click
    players = [env.emu.world.create_user(f"fan{n}") for n in range(200)]
    for player in players:
        env.emu.world.add_member(env.world.guild, player)
    await env.drv.invoke("/trivia start", rounds=1)
    q = await next_question(env)
    right, wrong = await answer_letter(env, q)
    clicks = [env.drv.click(q, right if n % 2 else wrong, user=p) for n, p in enumerate(players)]
    doubles = [env.drv.click(q, right, user=p) for p in players[:50]]
    replies = await asyncio.gather(*clicks, *doubles)
    locked = [r for r in replies if "Locked in" in r.content]
    duplicate = [r for r in replies if "already answered" in r.content]
    assert len(locked) == 200 and len(duplicate) == 50
    await final(env, within=15)
    board = await env.bot.state.trivia.leaderboard(env.world.guild.id, limit=500)
    assert sum(r.answered for r in board) == len(board) == 200  # each counted once
    assert sum(r.correct for r in board) == 100
    assert all(r.points >= BASE_POINTS for r in board if r.correct)


async def test_a_clean_restart_keeps_points_and_says_the_game_was_interrupted(
    settings: Settings, emu: Emulator, world: FanWorld
) -> None:
    await emu.start()
    try:
        async with bot_session(settings, emu, world) as env:
            trivia(env).timings = Timings(seconds_factor=0.05, pause=0.01)
            await env.drv.invoke("/trivia start", rounds=5)
            q1 = await next_question(env)
            await env.drv.click(q1, (await answer_letter(env, q1))[0])
            await closed(env, q1)
            trivia(env).timings = Timings(seconds_factor=10.0, pause=0.01)  # q2 stays open
            q2 = await next_question(env, 2)
        # The block closed the bot mid-game (as SIGTERM does).
        said = [
            m
            for m in env.drv.messages(world.general)
            if m.embeds and "interrupted" in m.embeds[0]["title"]
        ]
        assert (
            said and "Points from finished questions are kept" in said[0].embeds[0]["description"]
        )
        async with bot_session(settings, emu, world) as second:
            status = [g.status for g in await second.bot.state.trivia.games()]
            assert status == ["interrupted"]
            rows = await second.bot.state.trivia.leaderboard(world.guild.id)
            assert rows[0].user_id == world.alice.id and rows[0].correct == 1
            assert rows[0].points > BASE_POINTS
            # The question that was open at shutdown still has live-looking buttons.
            stale = await second.drv.click(q2, "A", user=world.bob)
            assert stale.ephemeral and stale.content == "This question is closed."
    finally:
        await emu.stop()


async def test_after_a_crash_the_next_start_reports_the_game(
    settings: Settings, emu: Emulator, world: FanWorld
) -> None:
    from bot.store import StateStore
    from bot.store.trivia import AnswerRecord

    # What a SIGKILL after one finished question leaves behind.
    state = await StateStore.open(settings.state_db)
    game = await state.trivia.start_game(
        guild_id=world.guild.id,
        channel_id=world.general.id,
        starter_id=world.alice.id,
        rounds=5,
        category=None,
        difficulty=None,
        spoiler_cap=0,
        seconds=20,
    )
    await state.trivia.close_round(
        game, 1, "platform", None, [AnswerRecord(world.bob.id, "Disney+", True, 150, 4000)]
    )
    await state.close()
    bot = create_bot(settings)
    async with running_bot(bot, emu) as (emu, drv):
        report = await drv.wait_for_message(world.general, after=0, timeout=10)
        assert "interrupted by a restart after 1 of 5 questions" in report.content
        assert [g.status for g in await bot.state.trivia.games()] == ["interrupted"]
        assert (await bot.state.trivia.game_points(game)) == {world.bob.id: 150}


async def test_a_start_held_up_by_the_state_writer_answers_in_time_and_survives_a_crash(
    settings: Settings, emu: Emulator, world: FanWorld, tmp_path: Path
) -> None:
    await emu.start()
    try:
        async with bot_session(settings, emu, world) as env:
            cog = trivia(env)
            cog.timings = Timings(seconds_factor=10.0, pause=0.01)  # question 1 stays open
            cog.defer_after = 0.2
            loop = asyncio.get_running_loop()
            # Another writer holds the state database: the game row has to wait for it.
            async with env.bot.state.transaction():
                asked = loop.time()
                starting = asyncio.create_task(env.drv.invoke("/trivia start", rounds=3))
                ack = await acknowledgement(env)
                assert loop.time() - asked < 1.5  # well within Discord's 3 seconds
                assert ack.callback_type == 5  # "thinking…", public: the game is for everyone
                assert await env.bot.state.trivia.games() == []  # not written yet
                assert not starting.done()
            start = await starting
            assert not start.ephemeral and "Trivia starts now: 3 questions" in start.content
            assert start.allowed_mentions == {"parse": []}
            # Written once, before anyone saw the game start.
            assert [g.status for g in await env.bot.state.trivia.games()] == ["running"]
            await next_question(env)
            # What a SIGKILL right now leaves on disk: the committed database and its WAL.
            crashed = tmp_path / "crashed" / "state.db"
            crashed.parent.mkdir()
            for suffix in ("", "-wal"):
                shutil.copy(f"{settings.state_db}{suffix}", f"{crashed}{suffix}")
        async with bot_session(
            dataclasses.replace(settings, state_db=crashed), emu, world
        ) as after:
            report = await after.drv.wait_for_message(
                world.general,
                after=0,
                timeout=10,
                check=lambda m: "interrupted by a restart after 0 of 3 questions" in m.content,
            )
            assert report.content
            assert [g.status for g in await after.bot.state.trivia.games()] == ["interrupted"]
    finally:
        await emu.stop()


async def acknowledgement(env: Env, within: float = 5.0) -> InteractionResult:
    """The newest interaction, once the bot has acknowledged it (deferred or answered)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while loop.time() < deadline:
        if env.emu.interactions.by_id:
            state = env.emu.interactions.by_id[next(reversed(env.emu.interactions.by_id))]
            if state.acknowledged:
                return InteractionResult(env.emu, state)
        await asyncio.sleep(0.01)
    raise AssertionError("the interaction was not acknowledged")
