"""The playground's world keeps its ids across runs; typed names find users and channels."""

from __future__ import annotations

import pytest

from bot.console import permission_names
from bot.console._lookup import Lookup, stable_world
from bot.console.parse import CHANNEL, ROLE, USER, ParseError
from discord_emulator import Emulator, snowflake_time


def test_the_same_ids_on_every_run_and_newer_ids_after() -> None:
    first, second = Emulator(), Emulator()
    a, b = stable_world(first, 4), stable_world(second, 4)
    for attr in ("guild", "owner", "moderator", "alice", "bob", "general", "episodes", "voice"):
        assert getattr(a, attr).id == getattr(b, attr).id, attr
    assert snowflake_time(a.alice.id).year == 2022  # a real snowflake, with a time in it
    # Ids minted afterwards (threads, messages) come from the real clock: always newer.
    later = first.world.create_channel(a.guild, "later")
    assert later.id > max(c.id for c in (a.general, a.episodes, a.voice))


def test_names_find_users_channels_and_roles() -> None:
    emu = Emulator()
    world = stable_world(emu, 4)
    lookup = Lookup(emu.world, world)
    thread = emu.world.create_thread(world.general, name="Episode 1 discussion", owner=world.owner)
    assert lookup.user("owner") is world.owner and lookup.user("mod") is world.moderator
    assert lookup.user("@Bob") is world.bob and lookup.user(f"<@{world.bob.id}>") is world.bob
    assert lookup.user(str(world.alice.id)) is world.alice and lookup.user("zed") is None
    assert lookup.channel("general") is world.general
    assert lookup.channel("#general") is world.general
    assert lookup.channel(f"<#{world.general.id}>") is world.general
    assert lookup.channel(str(world.general.id)) is world.general
    assert lookup.channel("listening party") is world.voice  # case and spaces
    assert lookup.channel("listening-party") is world.voice
    assert lookup.channel("episode 1") is thread  # threads too, by part of the name
    assert world.category not in lookup.channels()  # categories are not places to talk
    assert lookup.channel("nowhere") is None
    assert lookup.role("moderator") is world.moderator_role
    assert lookup.resolve(USER, "bob") is world.bob
    assert lookup.resolve(CHANNEL, "#general") is world.general
    assert lookup.resolve(ROLE, "@Moderator") is world.moderator_role
    with pytest.raises(ParseError, match="no channel 'nowhere'; channels: #general"):
        lookup.resolve(CHANNEL, "nowhere")
    with pytest.raises(ParseError, match=r"users: owner \(jiwoo\)"):
        lookup.resolve(USER, "zed")


def test_permissions_are_named_as_discord_names_them() -> None:
    assert permission_names(1 << 5) == "Manage Server"
    assert permission_names(1 << 34) == "Manage Threads"
    assert permission_names((1 << 13) | (1 << 34)) == "Manage Messages and Manage Threads"
