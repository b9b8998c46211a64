"""The pretend fan server the playground, the tests and the benchmark run the bot in.

The emulator knows nothing of the show; this is the bot's side of the set-up: a
"Soundtrack Fans" guild with an owner, a moderator, two members, a #general chat, an
"episodes" forum with a tag per episode plus "Spoilers", and a voice channel.
"""

from __future__ import annotations

from dataclasses import dataclass

from discord_emulator import (
    BOT_DEFAULT,
    MODERATOR_DEFAULT,
    Channel,
    ChannelType,
    Emulator,
    Guild,
    Role,
    User,
)


@dataclass
class FanWorld:
    """Handles to the objects :func:`fan_world` creates."""

    guild: Guild
    owner: User
    moderator: User
    alice: User
    bob: User
    moderator_role: Role
    bot_role: Role
    category: Channel
    general: Channel
    episodes: Channel
    voice: Channel

    @property
    def members(self) -> list[User]:
        """The two plain members."""
        return [self.alice, self.bob]


def fan_world(emu: Emulator, episode_count: int) -> FanWorld:
    """Create the fan server in ``emu``; its forum gets one tag per episode of the store."""
    w = emu.world
    owner = w.create_user("jiwoo", global_name="Ji-woo (owner)")
    moderator = w.create_user("minseo", global_name="Min-seo (mod)")
    alice = w.create_user("alice", global_name="Alice")
    bob = w.create_user("bob", global_name="Bob")
    w.app_owner = owner
    guild = w.create_guild("Soundtrack Fans", owner=owner, bot_permissions=BOT_DEFAULT)
    mod_role = w.create_role(guild, "Moderator", permissions=MODERATOR_DEFAULT, hoist=True)
    w.add_member(guild, moderator, roles=[mod_role])
    w.add_member(guild, alice)
    w.add_member(guild, bob)
    category = w.create_channel(guild, "Soundtrack #1", ChannelType.GUILD_CATEGORY)
    general = w.create_channel(guild, "general", category=category, topic="Chat about the show")
    episodes = w.create_channel(
        guild,
        "episodes",
        ChannelType.GUILD_FORUM,
        category=category,
        topic="One post per episode",
        tags=[*(f"Episode {n}" for n in range(1, episode_count + 1)), "Spoilers"],
    )
    voice = w.create_channel(guild, "Listening Party", ChannelType.GUILD_VOICE, category=category)
    return FanWorld(
        guild=guild,
        owner=owner,
        moderator=moderator,
        alice=alice,
        bob=bob,
        moderator_role=mod_role,
        bot_role=w.bot_role(guild),
        category=category,
        general=general,
        episodes=episodes,
        voice=voice,
    )
