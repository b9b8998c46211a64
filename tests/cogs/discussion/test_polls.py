"""Issue 15: each episode thread's rating poll end to end on the emulator: posted with the
thread, voted on by several members, ended by Discord, and its result in the thread, in
every thread's link table, in /episodes (only for episodes the viewer has reached) and in
the state database."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import discord

from bot.console.world import FanWorld
from bot.facts.pipeline import BuildSummary
from bot.store.community import Rating
from cogs._cards import rating_text
from cogs.discussion._polls import count_votes
from cogs.discussion._text import poll_answers, poll_result_text, table_lines
from discord_emulator import Channel, Emulator, Reply
from tests.helpers.bot import Env, bot_session, bot_settings
from tests.helpers.clock import FakeClock
from tests.helpers.discussion import discussion

POLL = 0.01


async def open_thread(env: Env, episode: int) -> Channel:
    reply = await env.drv.invoke(
        "/discussion open",
        episode=episode,
        user=env.world.moderator,
        options={"channel": env.world.general},
    )
    thread_id = int(re.search(r"<#(\d+)>", reply.content).group(1))  # type: ignore[union-attr]
    return env.emu.world.channel(thread_id)


async def poll_message(env: Env, thread: Channel) -> Reply:
    """The thread's poll, once the bot has posted it and stored it (it is posted beside the
    reply, not before it)."""
    poll = await env.drv.wait_for_message(thread, after=0, check=lambda m: m.poll is not None)
    for _ in range(500):
        if any(p.message_id == poll.id for p in await env.bot.state.community.open_polls()):
            return poll
        await asyncio.sleep(0.01)
    raise AssertionError("the poll was never stored")


async def test_a_thread_opens_with_its_poll_and_the_result_goes_everywhere(env: Env) -> None:
    one = await open_thread(env, 1)
    before = datetime.now(UTC)
    two = await open_thread(env, 2)
    poll = await poll_message(env, two)
    assert poll.poll is not None
    assert poll.poll["question"]["text"] == "How would you rate episode 2?"
    assert [a["poll_media"]["text"] for a in poll.poll["answers"]] == poll_answers()
    expiry = datetime.fromisoformat(poll.poll["expiry"])
    assert timedelta(hours=47.9) < expiry - before < timedelta(hours=48.1)  # the default
    assert poll.allowed_mentions == {"parse": []}
    stored = await env.bot.state.community.poll(env.world.guild.id, 2)
    assert stored is not None and stored.message_id == poll.id and stored.rating is None

    # Several members vote; one changes their mind.
    world = env.world
    await env.drv.vote(poll, "★★★★★", user=world.alice)
    await env.drv.vote(poll, "★★★★☆", user=world.bob)
    await env.drv.vote(poll, "★☆☆☆☆", user=world.owner)
    await env.drv.vote(poll, "★★★★★", user=world.owner)
    await env.drv.vote(poll, 4, user=world.moderator)

    # A second open of the same episode posts no second poll.
    await open_thread(env, 2)
    await env.drv.settled()
    assert len([m for m in env.drv.messages(two) if m.poll is not None]) == 1

    # Discord ends the poll when its time is up; the bot notices on its own clock.
    cog = discussion(env)
    cog.clock, cog.poll_interval = FakeClock(expiry + timedelta(minutes=1)), POLL
    cursor = env.drv.cursor()
    env.emu.world.end_poll(env.emu.world.find_message(poll.id))
    result = await env.drv.wait_for_message(
        two, after=cursor, check=lambda m: "votes are in" in m.content
    )
    assert result.content.startswith(
        "**The votes are in:** this server rates episode 2 ★ 4.5/5 (4 votes)."
    )
    assert "★★★★★ 2" in result.content and "★★★★☆ 2" in result.content
    assert "★☆☆☆☆ 0" in result.content
    rated = await env.bot.state.community.ratings(world.guild.id)
    assert rated == {2: Rating((0, 0, 0, 2, 2))}

    # Every thread's table has the score column.
    await env.drv.wait_for_message(
        one, after=cursor, edits=True, check=lambda m: "★ 4.5/5" in m.content
    )
    starter_one = env.drv.messages(one)[0].content
    assert f"Episode 2: <#{two.id}> · ★ 4.5/5 (4 votes)" in starter_one
    assert "Episode 1: this thread\n" in starter_one  # not rated yet: no score
    starter_two = env.drv.messages(two)[0].content
    assert "Episode 2: this thread · ★ 4.5/5 (4 votes)" in starter_two

    # /episodes: the rating only for episodes the viewer has reached.
    await env.drv.invoke("/progress", episode=2, user=world.alice)
    seen = await env.drv.invoke("/episodes", user=world.alice)
    assert "rated ★ 4.5/5 (4 votes)" in seen.embed["description"]
    await env.drv.invoke("/progress", episode=1, user=world.bob)
    unseen = await env.drv.invoke("/episodes", user=world.bob)
    assert "rated" not in unseen.embed["description"]

    # The bot looks again later: nothing is posted twice.
    before_count = len(env.drv.messages(two))
    cog.clock = FakeClock(expiry + timedelta(hours=2))
    await env.drv.settled()
    assert len(env.drv.messages(two)) == before_count


async def test_polls_follow_the_servers_length_and_can_be_turned_off(env: Env) -> None:
    mod = env.world.moderator
    reply = await env.drv.invoke("/settings polls", hours=6, user=mod)
    assert reply.ephemeral and "6 hours" in reply.content
    before = datetime.now(UTC)
    thread = await open_thread(env, 1)
    expiry = datetime.fromisoformat((await poll_message(env, thread)).poll["expiry"])  # type: ignore[index]
    assert timedelta(hours=5.9) < expiry - before < timedelta(hours=6.1)
    await env.drv.invoke("/settings polls", hours=0, user=mod)
    three = await open_thread(env, 3)
    await env.drv.settled()
    assert not [m for m in env.drv.messages(three) if m.poll is not None]


async def test_a_poll_deleted_before_it_ends_is_forgotten(env: Env) -> None:
    thread = await open_thread(env, 1)
    poll = await poll_message(env, thread)
    env.emu.world.delete_message(env.emu.world.find_message(poll.id))
    stored = await env.bot.state.community.poll(env.world.guild.id, 1)
    assert stored is not None
    cog = discussion(env)
    cog.clock, cog.poll_interval = FakeClock(stored.expires_at + timedelta(minutes=1)), POLL
    for _ in range(100):
        await env.drv.settled()
        if await env.bot.state.community.poll(env.world.guild.id, 1) is None:
            break
    assert await env.bot.state.community.poll(env.world.guild.id, 1) is None


def test_counting_and_texts_are_pure() -> None:
    poll = discord.Poll("Q", duration=timedelta(hours=1))
    for label in poll_answers():
        poll.add_answer(text=label)
    assert count_votes(poll) == (0, 0, 0, 0, 0)
    rating = Rating((1, 0, 0, 0, 2))
    assert rating.total == 3 and rating.average == (1 + 10) / 3
    assert rating_text(rating) == "★ 3.7/5 (3 votes)"
    assert rating_text(Rating((0, 0, 0, 0, 1))) == "★ 5.0/5 (1 vote)"
    assert rating_text(Rating((0, 0, 0, 0, 0))) == "no votes"
    assert rating_text(rating, "id") == "★ 3,7/5 (3 suara)"
    assert table_lines([1, 2], {1: 5}, 2, {1: rating}) == [
        "Episode 1: <#5> · ★ 3.7/5 (3 votes)",
        "Episode 2: this thread",
    ]
    assert "without votes" in poll_result_text(3, Rating((0, 0, 0, 0, 0)))


async def test_a_poll_that_ends_while_the_bot_is_down_is_collected_after_a_restart(
    built_store: tuple[Path, BuildSummary], tmp_path: Path, emu: Emulator, world: FanWorld
) -> None:
    settings = bot_settings(built_store[0], tmp_path / "state.db")
    await emu.start()
    try:
        async with bot_session(settings, emu, world, user=world.moderator) as env:
            thread = await open_thread(env, 3)
            poll = await poll_message(env, thread)
            await env.drv.vote(poll, "★★☆☆☆", user=world.alice)
            await env.drv.vote(poll, "★★★☆☆", user=world.bob)
        # Down: Discord ends the poll meanwhile.
        [ended] = emu.world.end_due_polls(datetime.now(UTC) + timedelta(hours=49))
        assert ended.channel_id == thread.id
        async with bot_session(settings, emu, world, user=world.moderator) as env:
            cog = discussion(env)
            cog.clock, cog.poll_interval = FakeClock(datetime.now(UTC) + timedelta(hours=49)), POLL
            result = await env.drv.wait_for_message(
                thread, after=0, check=lambda m: "votes are in" in m.content
            )
            assert "episode 3 ★ 2.5/5 (2 votes)" in result.content
            assert (await env.bot.state.community.ratings(world.guild.id))[3].total == 2
    finally:
        await emu.stop()
