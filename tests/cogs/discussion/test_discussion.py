"""Issue 6: episode discussion threads end to end on the emulator (forum and text channels),
the schedule on a fake clock (with a restart), and the pure text builders."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.console.world import FanWorld
from bot.embeds import CONTENT_MAX
from bot.facts.pipeline import BuildSummary
from bot.settings import Settings
from cogs.discussion._text import thread_title
from discord_emulator import (
    BOT_DEFAULT,
    Channel,
    ChannelType,
    DriverError,
    Emulator,
    OptionError,
    P,
)
from tests.helpers.bot import Env, assert_no_pings, bot_session, bot_settings
from tests.helpers.clock import FakeClock
from tests.helpers.data import AIR
from tests.helpers.discussion import discussion

POLL = 0.01  # seconds between the schedule's looks in tests
UNABLE = P.SEND_MESSAGES | P.SEND_MESSAGES_IN_THREADS | P.CREATE_PUBLIC_THREADS


@pytest.fixture
async def env(
    built_store: tuple[Path, BuildSummary], tmp_path: Path, emu: Emulator, world: FanWorld
) -> AsyncIterator[Env]:
    """The conftest env, with a non-default auto-archive duration to see it applied."""
    settings = bot_settings(
        built_store[0], tmp_path / "state.db", THREAD_AUTO_ARCHIVE_MINUTES="4320"
    )
    async with bot_session(settings, emu, world, user=world.moderator) as session:
        yield session


async def open_thread(env: Env, episode: int, channel: Channel | None = None, **kw: object):
    options = {"channel": channel} if channel is not None else {}
    return await env.drv.invoke("/discussion open", episode=episode, options=options, **kw)


def thread_id(reply_text: str) -> int:
    return int(re.search(r"<#(\d+)>", reply_text).group(1))  # type: ignore[union-attr]


def starter(env: Env, thread: Channel | int):
    return env.drv.messages(thread)[0]


def bot_threads(env: Env) -> list[Channel]:
    return [t for t in env.drv.threads() if t.owner_id == env.emu.world.bot.id]


# -- opening in a forum and in a text channel -------------------------------------------------
async def test_open_in_a_forum_labels_the_post_and_writes_the_starter(env: Env) -> None:
    forum = env.world.episodes
    reply = await open_thread(env, 2, forum)
    assert reply.ephemeral and reply.content.startswith("Opened <#")
    [thread] = env.drv.threads(forum)
    assert thread.id == thread_id(reply.content)
    assert thread.name == "Soundtrack #1 · Episode 2 discussion"
    assert thread.applied_tags == [forum.tag("Episode 2").id, forum.tag("Spoilers").id]
    assert thread.auto_archive_duration == 4320
    text = starter(env, thread).content
    first_line = text.splitlines()[0]
    assert "Spoilers for episodes 1–2" in first_line and "shows this thread to every member" in (
        first_line
    )
    assert f"Aired <t:{int(AIR[2].timestamp())}:F>" in text
    assert "Everything up to episode 2 is fair game here" in text
    assert "later episodes go in ||spoiler tags||" in text
    assert "Ep 2 spoiler: ||The two are seen wearing high school uniforms.||" in text
    assert "Episode 2: this thread" in text and "Episode 1: not open yet" in text
    assert text.count("||") % 2 == 0 and len(text) <= CONTENT_MAX
    stored = await env.bot.state.discussions.thread(env.world.guild.id, 2)
    assert stored is not None and stored.thread_id == thread.id
    assert stored.opened_by == env.world.moderator.id and stored.parent_id == forum.id
    assert_no_pings(env)


async def test_open_in_a_text_channel_makes_a_public_thread_with_a_starter(env: Env) -> None:
    general = env.world.general
    reply = await open_thread(env, 1, general)
    [thread] = env.drv.threads(general)
    assert thread.id == thread_id(reply.content)
    assert thread.type == ChannelType.PUBLIC_THREAD and thread.auto_archive_duration == 4320
    poll = await env.drv.wait_for_message(thread, after=0, check=lambda m: m.poll is not None)
    first = env.drv.messages(thread)[0]  # the starter; then the episode's rating poll
    assert poll.poll is not None and poll.poll["question"]["text"].endswith("episode 1?")
    assert first.author_id == env.emu.world.bot.id
    assert first.content.startswith("⚠️ **Spoilers for episode 1.**")
    assert "Ep 1 spoiler: ||" in first.content and "Episode 1: this thread" in first.content
    stored = await env.bot.state.discussions.thread(env.world.guild.id, 1)
    assert stored is not None and stored.starter_message_id == first.id
    assert_no_pings(env)


@pytest.mark.parametrize("kind", ["forum", "text"])
async def test_a_second_open_links_the_same_thread_and_reopens_it(env: Env, kind: str) -> None:
    channel = env.world.episodes if kind == "forum" else env.world.general
    first = await open_thread(env, 3, channel)
    thread = env.emu.world.channel(thread_id(first.content))
    again = await open_thread(env, 3, channel)
    assert again.ephemeral and "already has its thread" in again.content
    assert thread_id(again.content) == thread.id and "reopened" not in again.content
    env.emu.world.update_channel(thread, archived=True)  # Discord archived it when idle
    reopened = await open_thread(env, 3, env.world.general, user=env.world.owner)
    assert thread_id(reopened.content) == thread.id and "I reopened it" in reopened.content
    assert not thread.archived
    assert len(bot_threads(env)) == 1


async def test_two_opens_at_once_make_one_thread(env: Env) -> None:
    replies = await asyncio.gather(
        open_thread(env, 2, env.world.episodes),
        open_thread(env, 2, env.world.general, user=env.world.owner),
    )
    assert len(bot_threads(env)) == 1
    assert {thread_id(r.content) for r in replies} == {bot_threads(env)[0].id}
    assert sorted(r.content.split(" ")[0] for r in replies) == ["Episode", "Opened"]


@pytest.mark.parametrize("kind", ["forum", "text"])
async def test_a_deleted_thread_is_replaced_and_forgotten(env: Env, kind: str) -> None:
    channel = env.world.episodes if kind == "forum" else env.world.general
    old = thread_id((await open_thread(env, 1, channel)).content)
    env.emu.world.delete_channel(env.emu.world.channel(old))
    new = await open_thread(env, 1, channel)
    assert new.content.startswith("Opened") and thread_id(new.content) != old
    stored = await env.bot.state.discussions.thread(env.world.guild.id, 1)
    assert stored is not None and stored.thread_id == thread_id(new.content)


async def test_a_deletion_the_bot_never_heard_of_is_noticed_on_open(env: Env) -> None:
    # An archived thread is out of discord.py's cache, so deleting its channel sends the
    # bot no THREAD_DELETE: the record stays until the next open finds the thread gone.
    talk = env.emu.world.create_channel(env.world.guild, "ep-talk")
    old = thread_id((await open_thread(env, 4, talk)).content)
    env.emu.world.update_channel(env.emu.world.channel(old), archived=True)
    env.emu.world.delete_channel(talk)
    await env.drv.settled()
    assert (await env.bot.state.discussions.thread(env.world.guild.id, 4)) is not None
    new = await open_thread(env, 4, env.world.episodes)
    assert new.content.startswith("Opened") and thread_id(new.content) != old
    assert [t.id for t in bot_threads(env)] == [thread_id(new.content)]


async def test_every_starter_gets_the_table_of_every_thread(env: Env) -> None:
    forum, general = env.world.episodes, env.world.general
    one = thread_id((await open_thread(env, 1, forum)).content)
    # The rating poll follows the reply; posting it would unarchive the thread again.
    await env.drv.wait_for_message(one, after=0, check=lambda m: m.poll is not None)
    env.emu.world.update_channel(env.emu.world.channel(one), archived=True)
    two = thread_id((await open_thread(env, 2, general)).content)
    three = thread_id((await open_thread(env, 3, forum)).content)
    links = {1: f"<#{one}>", 2: f"<#{two}>", 3: f"<#{three}>"}
    for number, thread in links.items():
        text = starter(env, int(thread[2:-1])).content
        for other, link in links.items():
            expected = "this thread" if other == number else link
            assert f"Episode {other}: {expected}" in text, (number, text)
        assert "Episode 4: not open yet" in text
    # The archived thread was reopened for the edit and archived again.
    assert env.emu.world.channel(one).archived
    edits = env.emu.requests_to("PATCH", "/channels/{channel_id}/messages/{message_id}")
    assert edits and all(r.status == 200 for r in edits)
    # A deleted thread leaves the others' tables.
    env.emu.world.delete_channel(env.emu.world.channel(two))
    await env.drv.wait_for_message(
        three, edits=True, after=0, check=lambda m: "Episode 2: not open yet" in m.content
    )


async def test_list_and_episodes_show_the_threads(env: Env) -> None:
    one = thread_id((await open_thread(env, 1, env.world.episodes)).content)
    listed = await env.drv.invoke("/discussion list")
    assert listed.ephemeral
    description = listed.embed["description"]
    assert f"**Episode 1**: <#{one}> in <#{env.world.episodes.id}>" in description
    assert "**Episode 2**: not open yet" in description
    fields = {f["name"]: f["value"] for f in listed.embed["fields"]}
    assert fields["Discussion channel"].startswith("Not set") and fields["Schedule"].startswith(
        "Off"
    )
    episodes = (await env.drv.invoke("/episodes", user=env.world.alice)).embed["description"]
    lines = episodes.splitlines()
    assert lines[0].endswith(f"· discussion: <#{one}>")
    assert all("discussion" not in line for line in lines[1:])


# -- configuration, permissions and bad input ---------------------------------------------------
async def test_the_configured_channel_is_the_default(env: Env) -> None:
    unset = await open_thread(env, 1)
    assert unset.ephemeral and "No discussion channel is set" in unset.content
    saved = await env.drv.invoke("/settings discussion", options={"channel": env.world.episodes})
    assert saved.ephemeral and f"forum posts will open in <#{env.world.episodes.id}>" in (
        saved.content
    )
    assert (await env.bot.state.discussions.channel(env.world.guild.id)) == env.world.episodes.id
    opened = await open_thread(env, 1)
    assert env.drv.threads(env.world.episodes)[0].id == thread_id(opened.content)


@pytest.mark.parametrize("command", ["/discussion open", "/settings discussion"])
async def test_channels_that_cannot_hold_threads_are_explained(env: Env, command: str) -> None:
    world = env.emu.world
    hidden = world.create_channel(env.world.guild, "mods-only")
    world.set_overwrite(hidden, env.world.bot_role, deny=P.VIEW_CHANNEL)
    cases = {
        env.world.voice.id: "is a voice channel: discussion threads need a text or forum channel",
        env.world.category.id: "is a category: discussion threads need a text or forum channel",
        hidden.id: "I can't see",
    }
    extra = {"episode": 1} if command == "/discussion open" else {}
    for channel_id, message in cases.items():
        reply = await env.drv.invoke(
            command, options={"channel": world.channel(channel_id)}, **extra
        )
        assert reply.ephemeral and message in reply.content, reply.content
    assert not bot_threads(env)
    assert (await env.bot.state.discussions.channel(env.world.guild.id)) is None
    with pytest.raises(OptionError):  # Discord itself refuses episode 0
        await open_thread(env, 0, env.world.general)
    past = await open_thread(env, env.bot.facts.episode_count + 1, env.world.general)
    assert past.ephemeral and past.content == "Pick an episode from 1 to 4."
    assert not bot_threads(env)


async def test_refused_without_manage_threads(env: Env) -> None:
    with pytest.raises(DriverError, match="cannot see /discussion"):
        await open_thread(env, 1, env.world.general, user=env.world.alice)
    # A helper who may manage threads in general, but not in the forum.
    world = env.emu.world
    helper = world.create_role(env.world.guild, "Helper", permissions=P.MANAGE_THREADS)
    world.set_member_roles(world.member(env.world.guild, env.world.bob), [helper])
    world.set_overwrite(env.world.episodes, helper, deny=P.MANAGE_THREADS)
    refused = await open_thread(env, 1, env.world.episodes, user=env.world.bob)
    assert refused.ephemeral
    assert f"You need the Manage Threads permission in <#{env.world.episodes.id}>" in (
        refused.content
    )
    assert not bot_threads(env)
    allowed = await open_thread(env, 1, env.world.general, user=env.world.bob)
    assert allowed.content.startswith("Opened")


@pytest.mark.parametrize(
    ("kind", "missing"),
    [
        ("forum", "Send Messages and Send Messages In Threads permissions"),
        ("text", "Create Public Threads and Send Messages In Threads permissions"),
    ],
)
async def test_a_bot_without_permissions_creates_nothing_and_says_which(
    env: Env, kind: str, missing: str, discord_errors: pytest.LogCaptureFixture
) -> None:
    channel = env.world.episodes if kind == "forum" else env.world.general
    # @everyone may talk and make threads here; the bot's own role is denied all of it.
    env.emu.world.set_overwrite(channel, env.world.bot_role, deny=UNABLE)
    reply = await open_thread(env, 1, channel)
    assert reply.ephemeral and f"I need the {missing} in <#{channel.id}>" in reply.content
    assert not env.drv.threads()
    assert not env.emu.requests_to("POST", "/channels/{channel_id}/threads")
    assert (await env.bot.state.discussions.thread(env.world.guild.id, 1)) is None
    assert not [r for r in discord_errors.records if r.levelno >= logging.ERROR]


async def test_forum_tags_are_created_only_with_manage_channels(env: Env) -> None:
    world = env.emu.world
    bare = world.create_channel(env.world.guild, "talk", ChannelType.GUILD_FORUM)
    reply = await open_thread(env, 1, bare)
    assert reply.content.startswith("Opened")
    assert "need the Manage Channels permission to add tags, so I created none" in reply.content
    assert bare.available_tags == [] and env.drv.threads(bare)[0].applied_tags == []
    world.set_bot_permissions(env.world.guild, BOT_DEFAULT | P.MANAGE_CHANNELS)
    tagged = await open_thread(env, 2, bare)
    assert "I added the “Episode 2” and “Spoilers” tags" in tagged.content
    assert [t.name for t in bare.available_tags] == ["Episode 2", "Spoilers"]
    post = world.channel(thread_id(tagged.content))
    assert post.applied_tags == [t.id for t in bare.available_tags]


# -- the schedule -------------------------------------------------------------------------------
async def wait_for_starter(env: Env, episode: int) -> Channel:
    event = await env.emu.world.wait_for_event(
        lambda e: (
            e.kind == "create"
            and e.message.content.startswith("⚠️")
            and f"## {thread_title(episode)}" in e.message.content
        ),
        timeout=5.0,
        after=0,
    )
    return env.emu.world.channel(event.channel_id)


async def a_few_polls() -> None:
    await asyncio.sleep(POLL * 5)


async def test_the_schedule_opens_each_thread_at_its_air_time_once(env: Env) -> None:
    cog = discussion(env)
    clock = FakeClock(datetime(2022, 3, 29, tzinfo=UTC))  # after episode 1, before 2
    cog.clock, cog.poll_interval = clock, POLL
    unset = await env.drv.invoke("/discussion schedule", enable=True)
    assert "Set a discussion channel first" in unset.content
    await env.drv.invoke("/settings discussion", options={"channel": env.world.episodes})
    on = await env.drv.invoke("/discussion schedule", enable=True)
    assert on.ephemeral and "The schedule is on" in on.content
    for n in (2, 3, 4):
        assert f"Episode {n}: <t:{int(AIR[n].timestamp())}:f>" in on.content
    assert "not opened by it: episode(s) 1" in on.content
    await a_few_polls()
    assert not env.drv.threads()

    clock.now = AIR[2] + timedelta(seconds=1)
    two = await wait_for_starter(env, 2)
    assert two.parent_id == env.world.episodes.id
    assert two.applied_tags == [
        env.world.episodes.tag("Episode 2").id,
        env.world.episodes.tag("Spoilers").id,
    ]
    clock.now = AIR[4] + timedelta(hours=1)  # the bot was down for episode 3: both open now
    await wait_for_starter(env, 3)
    four = await wait_for_starter(env, 4)
    await a_few_polls()
    assert sorted(t.name for t in bot_threads(env)) == [thread_title(n) for n in (2, 3, 4)]
    stored = await env.bot.state.discussions.threads(env.world.guild.id)
    assert [(r.episode, r.opened_by) for r in stored] == [(2, None), (3, None), (4, None)]
    runs = await env.bot.state.discussions.runs(env.world.guild.id)
    assert [(r.episode, r.due, r.outcome) for r in runs] == [
        (n, AIR[n], "opened") for n in (2, 3, 4)
    ]
    assert f"Episode 4: <#{four.id}>" in starter(env, two).content
    listed = await env.drv.invoke("/discussion list")
    assert "Nothing left to open." in listed.text()

    off = await env.drv.invoke("/discussion schedule", enable=False)
    assert "The schedule is off" in off.content
    assert not await env.bot.state.discussions.enabled_schedules()


async def test_a_scheduled_opening_that_fails_is_recorded_not_retried(
    env: Env, discord_errors: pytest.LogCaptureFixture
) -> None:
    cog = discussion(env)
    clock = FakeClock(AIR[1] - timedelta(days=1))
    cog.clock, cog.poll_interval = clock, POLL
    await env.drv.invoke("/settings discussion", options={"channel": env.world.general})
    await env.drv.invoke("/discussion schedule", enable=True)
    env.emu.world.set_overwrite(env.world.general, env.world.bot_role, deny=UNABLE)
    clock.now = AIR[1]
    await a_few_polls()
    await a_few_polls()
    runs = await env.bot.state.discussions.runs(env.world.guild.id)
    assert [(r.episode, r.outcome) for r in runs] == [(1, "failed")]
    assert "Create Public Threads" in (runs[0].detail or "")
    tries = [r for r in discord_errors.records if "Scheduled thread for episode 1" in r.message]
    assert len(tries) == 1  # many polls, one attempt
    assert not env.drv.threads()
    listed = await env.drv.invoke("/discussion list")
    assert "Scheduled openings that failed" in listed.text() and "Create Public Threads" in (
        listed.text()
    )


async def test_rewatch_input_is_checked(env: Env) -> None:
    cog = discussion(env)
    cog.clock = FakeClock(datetime(2030, 1, 10, tzinfo=UTC))
    bad = await env.drv.invoke("/discussion rewatch", start="next friday")
    assert bad.ephemeral and "couldn't read 'next friday'" in bad.content
    over = await env.drv.invoke("/discussion rewatch", start="2029-12-01", every=7)
    assert "would already be over" in over.content
    unset = await env.drv.invoke("/discussion rewatch", start="2030-01-11")
    assert "Set a discussion channel first" in unset.content
    assert (await env.bot.state.discussions.schedule(env.world.guild.id)) is None


async def test_a_rewatch_survives_a_restart_between_schedule_and_air_time(
    settings: Settings, emu: Emulator, world: FanWorld
) -> None:
    real_now = datetime.now(UTC).replace(microsecond=0)
    start = datetime.combine((real_now + timedelta(days=2)).date(), datetime.min.time(), UTC)
    await emu.start()
    try:
        async with bot_session(settings, emu, world, user=world.moderator) as env:
            drv = env.drv
            discussion(env).clock = FakeClock(real_now)
            discussion(env).poll_interval = POLL
            await drv.invoke("/settings discussion", options={"channel": world.general})
            old = thread_id((await open_thread(env, 1, world.episodes)).content)
            planned = await drv.invoke("/discussion rewatch", start=f"{start:%Y-%m-%d}", every=3)
            assert "Rewatch scheduled" in planned.content
            assert f"Episode 2: <t:{int((start + timedelta(days=3)).timestamp())}:f>" in (
                planned.content
            )
        assert len(drv.threads()) == 1  # nothing opened before its time

        async with bot_session(settings, emu, world, user=world.moderator) as env:
            drv = env.drv
            clock = FakeClock(start - timedelta(minutes=1))
            discussion(env).clock, discussion(env).poll_interval = clock, POLL
            await a_few_polls()
            assert len(drv.threads()) == 1
            clock.now = start + timedelta(seconds=1)
            note = await drv.wait_for_message(
                old, after=0, check=lambda m: m.poll is None and not m.content.startswith("⚠️")
            )
            assert note.content.startswith("Episode 1 is on in the rewatch")
            clock.now = start + timedelta(days=3, seconds=1)
            two = await wait_for_starter(env, 2)
            assert two.parent_id == world.general.id
            await a_few_polls()
            assert len(drv.threads()) == 2 and len(drv.messages(old)) == 3  # + its poll
            runs = await env.bot.state.discussions.runs(world.guild.id)
            assert [(r.episode, r.outcome) for r in runs] == [(1, "existing"), (2, "opened")]
    finally:
        await emu.stop()


# -- pure builders --------------------------------------------------------------------------------
