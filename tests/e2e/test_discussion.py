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

from bot.embeds import CONTENT_MAX
from bot.facts.pipeline import BuildSummary
from bot.store.discussions import Schedule
from bot.store.records import Episode, Fact
from cogs.discussion import Discussion
from cogs.discussion._schedule import due_times, missed, parse_start, pending, upcoming
from cogs.discussion._text import starter_text, table_lines, thread_title
from emulator import (
    BOT_DEFAULT,
    Channel,
    ChannelType,
    DriverError,
    Emulator,
    OptionError,
    P,
)
from tests.e2e.conftest import Env, bot_session, bot_settings

AIR = {  # the store's air times (episodes 2-4 derived from the weekly slot)
    1: datetime(2022, 3, 23, 7, 0, tzinfo=UTC),
    2: datetime(2022, 3, 30, 7, 0, tzinfo=UTC),
    3: datetime(2022, 4, 6, 7, 0, tzinfo=UTC),
    4: datetime(2022, 4, 13, 7, 0, tzinfo=UTC),
}
POLL = 0.01  # seconds between the schedule's looks in tests
UNABLE = P.SEND_MESSAGES | P.SEND_MESSAGES_IN_THREADS | P.CREATE_PUBLIC_THREADS


class FakeClock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def discussion(env: Env) -> Discussion:
    cog = env.bot.get_cog("Discussion")
    assert type(cog).__name__ == "Discussion"  # re-imported per bot: compare by name
    return cog  # type: ignore[return-value]


@pytest.fixture
async def env(built_store: tuple[Path, BuildSummary], tmp_path: Path) -> AsyncIterator[Env]:
    """The conftest env, with a non-default auto-archive duration to see it applied."""
    settings = bot_settings(
        built_store[0], tmp_path / "state.db", THREAD_AUTO_ARCHIVE_MINUTES="4320"
    )
    emu = Emulator(heartbeat_interval=5.0)
    world = emu.default_world()
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


def no_pings(env: Env) -> None:
    for record in env.emu.requests:
        body = record.json if isinstance(record.json, dict) else {}
        body = body.get("message", body.get("data", body)) if isinstance(body, dict) else {}
        if isinstance(body, dict) and ("content" in body or "embeds" in body):
            assert body.get("allowed_mentions") == {"parse": []}, record


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
    no_pings(env)


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
    no_pings(env)


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
    with pytest.raises(OptionError):  # Discord itself refuses episode 5
        await open_thread(env, 5, env.world.general)


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
    built_store: tuple[Path, BuildSummary], tmp_path: Path
) -> None:
    settings = bot_settings(built_store[0], tmp_path / "state.db")
    emu = Emulator(heartbeat_interval=5.0)
    world = emu.default_world()
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
def _fact(text: str, level: int) -> Fact:
    from bot.store.records import DocumentInfo, SourceRef

    document = DocumentInfo("d", "d.txt", "Doc", None, None, None, None, None)
    source = SourceRef(document, text, text, level)
    return Fact(1, "plot", "episode", "2", "known", text, {}, level, "test", source)


EPISODE_2 = Episode(2, AIR[2], True, "derived")


def test_the_starter_puts_the_warning_first_and_keeps_user_text_inert() -> None:
    facts = [_fact("premise", 0), _fact("a || b @everyone <@123456789012345678>", 2)]
    text = starter_text(EPISODE_2, facts, [1, 2, 3, 4], {1: 11, 3: 33})
    assert text.startswith("⚠️ **Spoilers for episodes 1–2.**")
    assert "• premise\n" in text
    assert "Ep 2 spoiler: ||" in text and text.count("||") == 4  # the rule's example + one tag
    assert "@everyone" not in text and "<@123456789012345678>" not in text
    assert (
        "Episode 1: <#11>\nEpisode 2: this thread\nEpisode 3: <#33>\nEpisode 4: not open yet"
        in (text)
    )


def test_a_huge_recap_is_clipped_after_the_table_and_stays_balanced() -> None:
    facts = [_fact("x" * 400, 2) for _ in range(10)]
    text = starter_text(EPISODE_2, facts, [1, 2, 3, 4], {1: 11})
    assert len(text) <= CONTENT_MAX and text.count("||") % 2 == 0
    assert "Episode 1: <#11>" in text and text.endswith("…||")


def test_table_lines() -> None:
    assert table_lines([1, 2], {}, None) == ["Episode 1: not open yet", "Episode 2: not open yet"]
    assert table_lines([1, 2], {1: 5, 2: 6}, 2) == ["Episode 1: <#5>", "Episode 2: this thread"]


def _schedule(since: datetime, start: datetime | None = None, every: int | None = None) -> Schedule:
    return Schedule(1, True, since, start, every)


EPISODES = [Episode(n, t, n > 1, "") for n, t in AIR.items()]


def test_due_times_pending_upcoming_and_missed() -> None:
    air = _schedule(since=AIR[2] - timedelta(days=1))
    times = due_times(EPISODES, air)
    assert times == list(AIR.items())
    assert missed(times, air) == [(1, AIR[1])]
    at_three = AIR[3] + timedelta(minutes=5)
    assert pending(times, air, at_three, done=[]) == [(2, AIR[2]), (3, AIR[3])]
    assert pending(times, air, at_three, done=[(2, AIR[2])]) == [(3, AIR[3])]
    assert upcoming(times, air, at_three) == [(4, AIR[4])]
    off = Schedule(1, False, air.since, None, None)
    assert pending(times, off, at_three, done=[]) == [] and upcoming(times, off, AIR[1]) == []
    start = datetime(2030, 1, 1, 20, 0, tzinfo=UTC)
    rewatch = _schedule(since=start, start=start, every=2)
    assert [t for _, t in due_times(EPISODES, rewatch)] == [
        start + timedelta(days=d) for d in (0, 2, 4, 6)
    ]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2030-01-05", datetime(2030, 1, 5, tzinfo=UTC)),
        ("2030-01-05 19:30", datetime(2030, 1, 5, 19, 30, tzinfo=UTC)),
        ("2030-01-05T07:05 UTC", datetime(2030, 1, 5, 7, 5, tzinfo=UTC)),
        ("<t:1893456000:F>", datetime(2030, 1, 1, tzinfo=UTC)),
    ],
)
def test_parse_start(typed: str, expected: datetime) -> None:
    assert parse_start(typed) == expected


@pytest.mark.parametrize("typed", ["tomorrow", "2030-13-01", "2030-02-30", "05/01/2030", ""])
def test_parse_start_refuses_what_it_cannot_read(typed: str) -> None:
    with pytest.raises(ValueError):
        parse_start(typed)
