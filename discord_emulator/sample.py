"""A ready-made server to test in: one call instead of a dozen ``emu.world.create_*``.

:func:`sample_server` creates an owner (also the application owner), a moderator with a
hoisted role, two plain members, a category holding a text channel, a forum and a voice
channel. Every name can be changed; build anything else with :class:`World` directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from .server.emulator import Emulator
from .server.models import Channel, ChannelType, Guild, Role, User
from .server.permissions import BOT_DEFAULT, MODERATOR_DEFAULT


@dataclass
class SampleServer:
    """Handles to what :func:`sample_server` creates."""

    guild: Guild
    owner: User
    moderator: User
    alice: User
    bob: User
    moderator_role: Role
    bot_role: Role
    category: Channel
    general: Channel
    forum: Channel
    voice: Channel

    @property
    def members(self) -> list[User]:
        """The two plain members."""
        return [self.alice, self.bob]


S = TypeVar("S", bound=SampleServer)


def sample_server(
    emu: Emulator,
    *,
    name: str = "Test Server",
    owner: tuple[str, str] = ("owner", "Owner"),
    moderator: tuple[str, str] = ("moderator", "Moderator"),
    category: str = "Chat",
    general_topic: str = "General chat",
    forum: str = "forum",
    forum_topic: str = "One post per topic",
    forum_tags: Sequence[str] = ("Questions", "Spoilers"),
    voice: str = "Voice",
    bot_permissions: int = BOT_DEFAULT,
    cls: type[S] = SampleServer,  # type: ignore[assignment]
    shard: tuple[int, int] | None = None,
) -> S:
    """Create the sample server in ``emu`` (before or after the bot connects: changes are
    dispatched live). ``owner``/``moderator`` are ``(username, display name)``; ``cls`` may
    be a subclass of :class:`SampleServer` that adds handles of its own; ``shard=(id,
    count)`` puts the guild on that shard."""
    w = emu.world
    owner_user = w.create_user(owner[0], global_name=owner[1])
    moderator_user = w.create_user(moderator[0], global_name=moderator[1])
    alice = w.create_user("alice", global_name="Alice")
    bob = w.create_user("bob", global_name="Bob")
    w.app_owner = owner_user
    guild = w.create_guild(name, owner=owner_user, bot_permissions=bot_permissions, shard=shard)
    mod_role = w.create_role(guild, "Moderator", permissions=MODERATOR_DEFAULT, hoist=True)
    w.add_member(guild, moderator_user, roles=[mod_role])
    w.add_member(guild, alice)
    w.add_member(guild, bob)
    group = w.create_channel(guild, category, ChannelType.GUILD_CATEGORY)
    return cls(
        guild=guild,
        owner=owner_user,
        moderator=moderator_user,
        alice=alice,
        bob=bob,
        moderator_role=mod_role,
        bot_role=w.bot_role(guild),
        category=group,
        general=w.create_channel(guild, "general", category=group, topic=general_topic),
        forum=w.create_channel(
            guild,
            forum,
            ChannelType.GUILD_FORUM,
            category=group,
            topic=forum_topic,
            tags=list(forum_tags),
        ),
        voice=w.create_channel(guild, voice, ChannelType.GUILD_VOICE, category=group),
    )
