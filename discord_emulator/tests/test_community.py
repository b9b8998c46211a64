"""The emulator's polls, guild scheduled events and member roles, driven through discord.py's
own models (Poll, ScheduledEvent, Member.add_roles) so their shapes are checked by the library."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import discord
import pytest

from discord_emulator import ApiError, P
from discord_emulator.server.commands import validate_command
from discord_emulator.server.gateway import GUILDS, event_allowed
from discord_emulator.server.localization import as_seen_by
from discord_emulator.server.models import MessageType

from .helpers import Env

STARS = ["★", "★★", "★★★", "★★★★", "★★★★★"]


def text_channel(env: Env) -> discord.TextChannel:
    channel = env.bot.get_channel(env.world.general.id)
    assert isinstance(channel, discord.TextChannel)
    return channel


def guild(env: Env) -> discord.Guild:
    found = env.bot.get_guild(env.world.guild.id)
    assert found is not None
    return found


async def send_poll(env: Env, **kw: object) -> discord.Message:
    poll = discord.Poll("How would you rate it?", duration=timedelta(hours=48), **kw)  # type: ignore[arg-type]
    for label in STARS:
        poll.add_answer(text=label)
    return await text_channel(env).send(poll=poll)


# ----------------------------------------------------------------------------- polls
async def test_a_poll_is_stored_with_answer_ids_expiry_and_results(env: Env) -> None:
    before = datetime.now(UTC)
    sent = await send_poll(env)
    assert sent.poll is not None
    assert [a.id for a in sent.poll.answers] == [1, 2, 3, 4, 5]
    assert [a.text for a in sent.poll.answers] == STARS
    expiry = sent.poll.expires_at
    assert expiry is not None and timedelta(hours=47.9) < expiry - before < timedelta(hours=48.1)
    assert sent.poll.duration == timedelta(hours=48) and not sent.poll.is_finalized()
    stored = env.emu.world.find_message(sent.id)
    assert stored.poll is not None and stored.poll["answers"][0]["answer_id"] == 1


async def test_votes_count_once_per_member_and_show_in_fetched_results(env: Env) -> None:
    sent = await send_poll(env)
    world, message = env.emu.world, env.emu.world.find_message(sent.id)
    world.vote_poll(message, env.world.alice, ["★★★★★"])
    world.vote_poll(message, env.world.bob, [4])
    world.vote_poll(message, env.world.moderator, [2])
    world.vote_poll(message, env.world.moderator, [5])  # changes their mind
    with pytest.raises(Exception, match="one answer"):
        world.vote_poll(message, env.world.alice, [1, 2])
    fetched = await text_channel(env).fetch_message(sent.id)
    assert fetched.poll is not None
    counts = {a.id: a.vote_count for a in fetched.poll.answers}
    assert counts == {1: 0, 2: 0, 3: 0, 4: 1, 5: 2}
    assert not any(a.self_voted for a in fetched.poll.answers)
    voters = [u.id async for u in fetched.poll.answers[4].voters()]
    assert sorted(voters) == sorted([env.world.alice.id, env.world.moderator.id])


async def test_ending_a_poll_finalizes_it_and_posts_a_poll_result_message(env: Env) -> None:
    sent = await send_poll(env)
    world, message = env.emu.world, env.emu.world.find_message(sent.id)
    world.vote_poll(message, env.world.alice, [5])
    world.vote_poll(message, env.world.bob, [5])
    world.vote_poll(message, env.world.moderator, [3])
    cursor = env.drv.cursor()
    ended = await sent.end_poll()
    assert ended.poll is not None and ended.poll.is_finalized()
    result = await env.drv.wait_for_message(env.world.general, after=cursor)
    assert result.type == MessageType.POLL_RESULT
    fetched = await text_channel(env).fetch_message(result.id)
    assert fetched.type is discord.MessageType.poll_result
    fields = {f.name: f.value for f in fetched.embeds[0].fields}
    assert fields["poll_question_text"] == "How would you rate it?"
    assert fields["total_votes"] == "3" and fields["victor_answer_id"] == "5"
    assert fields["victor_answer_votes"] == "2" and fields["victor_answer_text"] == "★★★★★"
    assert fetched.reference is not None and fetched.reference.message_id == sent.id
    edits = [e for e in env.emu.world.events if e.kind == "edit" and e.message.id == sent.id]
    assert edits and edits[-1].message.edited_timestamp is None  # not an edit by its author
    with pytest.raises(discord.HTTPException):
        await sent.end_poll()  # already over
    with pytest.raises(Exception, match="ended"):
        world.vote_poll(message, env.world.bob, [1])


async def test_a_tie_has_no_victor_and_a_bad_poll_is_refused(env: Env) -> None:
    sent = await send_poll(env)
    world, message = env.emu.world, env.emu.world.find_message(sent.id)
    world.vote_poll(message, env.world.alice, [1])
    world.vote_poll(message, env.world.bob, [2])
    world.end_poll(message)
    result = env.drv.messages(env.world.general)[-1]
    names = [f["name"] for f in result.embeds[0]["fields"]]
    assert "victor_answer_id" not in names and "total_votes" in names
    too_long = discord.Poll("Q?", duration=timedelta(hours=1))
    too_long.add_answer(text="x" * 56)
    with pytest.raises(discord.HTTPException) as error:
        await text_channel(env).send(poll=too_long)
    assert error.value.status == 400


async def test_sending_a_poll_needs_send_polls(env: Env) -> None:
    world = env.emu.world
    world.set_overwrite(env.world.general, env.world.bot_role, deny=P.SEND_POLLS)
    world.set_overwrite(env.world.general, env.world.guild.everyone, deny=P.SEND_POLLS)
    await env.drv.settled()
    with pytest.raises(discord.Forbidden):
        await send_poll(env)


# ----------------------------------------------------------------------------- events
async def test_scheduled_events_are_created_moved_cancelled_and_deleted(env: Env) -> None:
    world = env.emu.world
    world.set_bot_permissions(
        env.world.guild, world.bot_role(env.world.guild).permissions | P.MANAGE_EVENTS
    )
    await env.drv.settled()
    start = datetime.now(UTC) + timedelta(days=2)
    event = await guild(env).create_scheduled_event(
        name="Rewatch: Episode 2",
        start_time=start,
        end_time=start + timedelta(hours=2),
        entity_type=discord.EntityType.external,
        location="#general",
        privacy_level=discord.PrivacyLevel.guild_only,
        description="Talk about it",
    )
    assert event.name == "Rewatch: Episode 2" and event.location == "#general"
    assert event.status is discord.EventStatus.scheduled
    assert abs((event.start_time - start).total_seconds()) < 1
    moved = await event.edit(
        start_time=start + timedelta(days=1), end_time=start + timedelta(days=1, hours=2)
    )
    assert abs((moved.start_time - start - timedelta(days=1)).total_seconds()) < 1
    listed = await guild(env).fetch_scheduled_events()
    assert [e.id for e in listed] == [event.id]
    cancelled = await moved.cancel()
    assert cancelled.status is discord.EventStatus.cancelled
    assert await guild(env).fetch_scheduled_events() == []
    with pytest.raises(discord.HTTPException):
        await cancelled.edit(name="too late")
    await cancelled.delete()
    with pytest.raises(discord.NotFound):
        await guild(env).fetch_scheduled_event(event.id)
    # A bot with only the guilds intent hears none of it; the intent lets the events through.
    assert not [e for e in env.emu.gateway.events() if e.event.startswith("GUILD_SCHEDULED")]
    assert event_allowed("GUILD_SCHEDULED_EVENT_UPDATE", GUILDS | (1 << 16), in_guild=True)
    assert not event_allowed("GUILD_SCHEDULED_EVENT_UPDATE", GUILDS, in_guild=True)


async def test_scheduled_events_refuse_the_past_and_need_manage_events(env: Env) -> None:
    start = datetime.now(UTC) + timedelta(days=1)
    kwargs = {
        "name": "Rewatch: Episode 1",
        "entity_type": discord.EntityType.external,
        "location": "#general",
        "privacy_level": discord.PrivacyLevel.guild_only,
    }
    with pytest.raises(discord.Forbidden):
        await guild(env).create_scheduled_event(
            start_time=start, end_time=start + timedelta(hours=1), **kwargs
        )  # type: ignore[arg-type]
    world = env.emu.world
    world.set_bot_permissions(
        env.world.guild, world.bot_role(env.world.guild).permissions | P.MANAGE_EVENTS
    )
    await env.drv.settled()
    past = datetime.now(UTC) - timedelta(hours=1)
    with pytest.raises(discord.HTTPException) as error:
        await guild(env).create_scheduled_event(start_time=past, end_time=start, **kwargs)  # type: ignore[arg-type]
    assert error.value.status == 400


# ----------------------------------------------------------------------------- roles
async def test_roles_are_created_low_given_and_taken_within_the_hierarchy(env: Env) -> None:
    world = env.emu.world
    with pytest.raises(discord.Forbidden):
        await guild(env).create_role(name="Episode alerts")
    world.set_bot_permissions(
        env.world.guild, world.bot_role(env.world.guild).permissions | P.MANAGE_ROLES
    )
    await env.drv.settled()
    role = await guild(env).create_role(name="Episode alerts", mentionable=True)
    assert role.position == 1 and role.mentionable
    assert world.bot_role(env.world.guild).position > 1
    member = await guild(env).fetch_member(env.world.alice.id)
    await member.add_roles(role)
    assert role.id in world.member(env.world.guild, env.world.alice).roles
    await member.remove_roles(role)
    assert role.id not in world.member(env.world.guild, env.world.alice).roles
    high = world.create_role(env.world.guild, "Admins")  # on top, above the bot's role
    with pytest.raises(discord.Forbidden):
        await member.add_roles(discord.Object(high.id))
    edited = await role.edit(name="Alerts")
    assert edited.name == "Alerts"


async def test_polls_past_their_expiry_end_on_their_own(env: Env) -> None:
    sent = await send_poll(env)
    world = env.emu.world
    assert world.end_due_polls() == []  # 48 hours to go
    later = datetime.now(UTC) + timedelta(hours=49)
    [result] = world.end_due_polls(later)
    assert result.type == MessageType.POLL_RESULT
    assert result.message_reference is not None
    assert result.message_reference["message_id"] == str(sent.id)
    assert world.end_due_polls(later) == []  # each poll ends once


async def test_guild_create_lists_live_scheduled_events(env: Env) -> None:
    world = env.emu.world
    start = datetime.now(UTC) + timedelta(days=1)
    event = world.create_scheduled_event(
        env.world.guild,
        env.world.owner,
        {
            "name": "Listening party",
            "entity_type": 3,
            "privacy_level": 2,
            "scheduled_start_time": start.isoformat(),
            "scheduled_end_time": (start + timedelta(hours=1)).isoformat(),
            "entity_metadata": {"location": "#general"},
        },
    )
    listed = world.render_guild_create(env.world.guild)["guild_scheduled_events"]
    assert [e["id"] for e in listed] == [str(event.id)]
    assert listed[0]["entity_metadata"] == {"location": "#general"}


# ----------------------------------------------------------------------------- localizations
def localized(**overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "name": "progress",
        "description": "How far you watched",
        "name_localizations": {"ko": "시청진도", "id": "progres"},
        "description_localizations": {"ko": "어디까지 봤는지", "id": "Sejauh mana"},
        "options": [
            {
                "type": 3,
                "name": "scope",
                "description": "Where",
                "name_localizations": {"ko": "범위"},
                "choices": [
                    {"name": "here", "value": "here", "name_localizations": {"ko": "여기"}}
                ],
            },
            {"type": 4, "name": "episode", "description": "Which", "name_localizations": {}},
        ],
    }
    body.update(overrides)
    return body


def test_localized_command_metadata_is_checked_like_discord() -> None:
    validate_command(localized())
    for bad in (
        localized(name_localizations={"ko": "Progress"}),  # not lower case
        localized(name_localizations={"ko": "두 단어"}),  # a space
        localized(name_localizations={"xx": "progress"}),  # not a Discord locale
        localized(description_localizations={"id": "x" * 101}),
    ):
        with pytest.raises(ApiError):
            validate_command(bad)
    clash = localized()
    clash["options"][1]["name_localizations"] = {"ko": "범위"}  # type: ignore[index]
    with pytest.raises(ApiError, match="Invalid Form Body"):
        validate_command(clash)
    seen = as_seen_by(localized(), "ko")
    assert seen["name"] == "시청진도" and seen["options"][0]["choices"] == ["여기"]
    assert seen["options"][1]["name"] == "episode"  # no Korean name: the default
    assert as_seen_by(localized(), "fr")["name"] == "progress"
