"""Issue 6: /spoiler and the "Mark as spoiler" message command, end to end on the emulator,
and their pure text builders against hostile input."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cogs.spoiler import MARK_MENU, marked_spoiler, posted_spoiler
from discord_emulator import DriverError, P
from tests.helpers.bot import Env

HOSTILE = "@everyone @here <@{bob}> <@&{role}> ||ending|| `` ` ``|| **bold** \\|| done"
MENTION = re.compile(r"<@[!&]?\d+>")


def hostile(env: Env) -> str:
    return HOSTILE.format(bob=env.world.bob.id, role=env.world.moderator_role.id)


def assert_inert(content: str, allowed_ids: set[int]) -> None:
    """Exactly one spoiler tag, and no mention but of the people named on purpose."""
    assert content.count("||") == 2, content
    assert "@everyone" not in content and "@here" not in content
    assert {int(re.sub(r"\D", "", m)) for m in MENTION.findall(content)} <= allowed_ids


# -- /spoiler ---------------------------------------------------------------------------------
async def test_spoiler_posts_tagged_text_with_episode_and_name(env: Env) -> None:
    alice = env.world.alice
    reply = await env.drv.invoke("/spoiler", text="Seon-woo comes back after a year", episode=4)
    assert not reply.ephemeral
    assert reply.content == f"<@{alice.id}> · Ep 4 spoiler: ||Seon-woo comes back after a year||"
    assert reply.allowed_mentions == {"parse": []}
    assert env.drv.messages(env.world.general)[-1].content == reply.content


async def test_spoiler_text_cannot_ping_or_break_out_of_the_tag(env: Env) -> None:
    reply = await env.drv.invoke("/spoiler", text=hostile(env), episode=2)
    assert_inert(reply.content, {env.world.alice.id})
    assert reply.content.startswith(f"<@{env.world.alice.id}> · Ep 2 spoiler: ||")
    assert reply.content.endswith("||") and "ending" in reply.content
    assert reply.allowed_mentions == {"parse": []}
    payload = reply.message.raw if reply.message else {}
    assert not payload.get("mentions") and not payload.get("mention_roles")
    assert not payload.get("mention_everyone")


async def test_spoiler_has_a_per_user_cooldown(env: Env) -> None:
    for n in range(3):
        assert not (await env.drv.invoke("/spoiler", text=f"spoiler {n}", episode=1)).ephemeral
    slowed = await env.drv.invoke("/spoiler", text="one more", episode=1)
    assert slowed.ephemeral and re.search(r"Slow down.*<t:\d+:R>", slowed.content)
    other = await env.drv.invoke("/spoiler", text="bob's turn", episode=1, user=env.world.bob)
    assert not other.ephemeral


async def test_spoiler_refuses_members_who_may_not_talk_here(env: Env) -> None:
    quiet = env.emu.world.create_channel(env.world.guild, "announcements")
    env.emu.world.set_overwrite(quiet, env.world.guild.everyone, deny=P.SEND_MESSAGES)
    refused = await env.drv.invoke("/spoiler", text="sneaky", episode=1, channel=quiet)
    assert refused.ephemeral and "You need the Send Messages permission" in refused.content
    assert not env.drv.messages(quiet)


# -- Mark as spoiler ----------------------------------------------------------------------------
async def test_mark_as_spoiler_reposts_under_the_author_and_deletes_the_original(
    env: Env,
) -> None:
    world, bob, moderator = env.emu.world, env.world.bob, env.world.moderator
    original = world.add_message(env.world.general, bob, content=hostile(env))
    done = await env.drv.context_menu(MARK_MENU, original, user=moderator)
    assert done.ephemeral and done.content.startswith("Done: reposted as a spoiler")
    assert original.deleted
    repost = env.drv.messages(env.world.general)[-1]
    assert repost.author_id == world.bot.id
    assert repost.content.startswith(
        f"<@{bob.id}> wrote (hidden as a spoiler by <@{moderator.id}>): ||"
    )
    assert_inert(repost.content, {bob.id, moderator.id})
    assert "ending" in repost.content and f"/{repost.id}" in done.content
    assert repost.allowed_mentions == {"parse": []}


async def test_mark_as_spoiler_is_for_members_with_manage_messages(env: Env) -> None:
    message = env.emu.world.add_message(env.world.general, env.world.bob, content="ep 4 kiss!")
    with pytest.raises(DriverError, match="cannot see"):
        await env.drv.context_menu(MARK_MENU, message, user=env.world.alice)
    assert not message.deleted


@pytest.mark.parametrize(
    ("denied", "named"),
    [(P.MANAGE_MESSAGES, "Manage Messages"), (P.SEND_MESSAGES, "Send Messages")],
)
async def test_mark_as_spoiler_without_a_bot_permission_changes_nothing(
    env: Env, denied: int, named: str
) -> None:
    general = env.world.general
    env.emu.world.set_overwrite(general, env.world.bot_role, deny=denied)
    message = env.emu.world.add_message(general, env.world.bob, content="the ending!")
    before = [m.id for m in env.drv.messages(general)]
    refused = await env.drv.context_menu(MARK_MENU, message, user=env.world.moderator)
    assert refused.ephemeral and f"I need the {named} permission" in refused.content
    assert not message.deleted and [m.id for m in env.drv.messages(general)] == before
    assert not env.emu.requests_to("DELETE", "/channels/{channel_id}/messages/{message_id}")


async def test_mark_as_spoiler_leaves_messages_it_cannot_repost(env: Env) -> None:
    world, general, moderator = env.emu.world, env.world.general, env.world.moderator
    attachment = {
        "id": str(world.new_id()),
        "filename": "ending.png",
        "size": 10,
        "url": "https://cdn.example/ending.png",
        "proxy_url": "https://cdn.example/ending.png",
    }
    picture = world.add_message(general, env.world.bob, content="look", attachments=[attachment])
    refused = await env.drv.context_menu(MARK_MENU, picture, user=moderator)
    assert refused.ephemeral and "attachments" in refused.content and not picture.deleted
    long = world.add_message(general, env.world.bob, content="|" * 1990)
    too_long = await env.drv.context_menu(MARK_MENU, long, user=moderator)
    assert "too long" in too_long.content and not long.deleted
    assert [m.id for m in env.drv.messages(general)] == [picture.id, long.id]


async def test_mark_as_spoiler_works_in_a_discussion_thread(env: Env) -> None:
    opened = await env.drv.invoke(
        "/discussion open",
        episode=1,
        options={"channel": env.world.general},
        user=env.world.moderator,
    )
    thread = env.emu.world.channel(int(re.search(r"<#(\d+)>", opened.content).group(1)))  # type: ignore[union-attr]
    message = env.emu.world.add_message(thread, env.world.alice, content="ep 3: they date!")
    done = await env.drv.context_menu(MARK_MENU, message, user=env.world.moderator)
    assert done.content.startswith("Done") and message.deleted
    assert env.drv.messages(thread)[-1].content.endswith("||ep 3: they date!||")


# -- the pure builders -------------------------------------------------------------------------
@given(text=st.text(max_size=300), episode=st.integers(1, 4))
def test_posted_spoilers_stay_inside_one_tag(text: str, episode: int) -> None:
    content = posted_spoiler(7, text, episode)
    assert content.startswith(f"<@7> · Ep {episode} spoiler: ||")
    assert_inert(content, {7})


@given(text=st.text(max_size=300))
def test_marked_spoilers_stay_inside_one_tag(text: str) -> None:
    content = marked_spoiler(7, 8, text)
    assert content is not None
    assert_inert(content, {7, 8})


def test_a_marked_spoiler_that_would_not_fit_is_refused() -> None:
    assert marked_spoiler(7, 8, "a" * 1960) is None
    assert marked_spoiler(7, 8, "a" * 1900) is not None
