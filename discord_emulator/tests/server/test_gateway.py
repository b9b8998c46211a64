"""Shards as Discord runs them: two discord.py processes' worth of shards on one emulator,
each guild's READY entry, GUILD_CREATE and events only on the shard that owns it."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass

import discord
import pytest
from discord import app_commands
from discord.ext import commands

from discord_emulator import Channel, Driver, Emulator, User, running_bot, shard_of

SHARDS = 4


class ShardedBot(commands.AutoShardedBot):
    """A bare bot opening only ``shard_ids``; it answers /where with the shard it heard on."""

    def __init__(self, shard_ids: list[int], count: int = SHARDS) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=discord.Intents(guilds=True, dm_messages=True),
            shard_ids=shard_ids,
            shard_count=count,
        )
        self.heard: list[tuple[str, int | None]] = []  # (event, shard id)

        @self.tree.command(description="Which shard answered")
        @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=False)
        async def where(interaction: discord.Interaction) -> None:
            shard = interaction.guild.shard_id if interaction.guild is not None else 0
            await interaction.response.send_message(f"shard {shard} of {sorted(shard_ids)}")

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        return None  # discord.py sleeps 5 s between IDENTIFYs by default

    async def on_guild_channel_create(self, channel: discord.abc.GuildChannel) -> None:
        self.heard.append(("CHANNEL_CREATE", channel.guild.shard_id))


@dataclass
class Fleet:
    emu: Emulator
    low: ShardedBot  # shards 0 and 1
    high: ShardedBot  # shards 2 and 3
    owner: User
    channels: list[Channel]  # channels[n] is in a guild on shard n


@contextlib.asynccontextmanager
async def fleet() -> AsyncIterator[Fleet]:
    emu = Emulator(shards=SHARDS, heartbeat_interval=0.5)
    owner = emu.world.create_user("owner")
    guilds = [
        emu.world.create_guild(f"Server {n}", owner=owner, shard=(n, SHARDS)) for n in range(SHARDS)
    ]
    channels = [emu.world.create_channel(guild, "general") for guild in guilds]
    low, high = ShardedBot([0, 1]), ShardedBot([2, 3])
    async with running_bot(low, emu), running_bot(high, emu):
        await low.tree.sync()
        yield Fleet(emu, low, high, owner, channels)


def test_a_guild_made_for_a_shard_lands_on_it() -> None:
    emu = Emulator()
    owner = emu.world.create_user("owner")
    made = [emu.world.create_guild(str(n), owner=owner, shard=(n % 8, 8)).id for n in range(20)]
    assert [shard_of(g, 8) for g in made] == [n % 8 for n in range(20)]
    assert made == sorted(set(made))  # still unique and increasing, like every snowflake


async def test_each_process_gets_only_its_shards_guilds() -> None:
    async with fleet() as f:
        on_shard = [c.guild_id for c in f.channels]
        assert {g.id for g in f.low.guilds} == set(on_shard[:2])
        assert {g.id for g in f.high.guilds} == set(on_shard[2:])
        sessions = {s.shard: s.session_id for s in f.emu.gateway.sessions.values()}
        assert sorted(sessions) == [(n, SHARDS) for n in range(SHARDS)]
        for event in ("READY", "GUILD_CREATE"):
            for dispatched in f.emu.gateway.events(event):
                (shard,) = (k for k, v in sessions.items() if v == dispatched.session_id)
                ids = (
                    [int(g["id"]) for g in dispatched.data["guilds"]]
                    if event == "READY"
                    else [int(dispatched.data["id"])]
                )
                assert ids == [f.channels[shard[0]].guild_id], (event, shard)
                if event == "READY":
                    assert dispatched.data["shard"] == [shard[0], SHARDS]


async def test_a_guild_event_reaches_only_the_owning_shard() -> None:
    async with fleet() as f:
        for general in f.channels:
            assert general.guild_id is not None
            f.emu.world.create_channel(f.emu.world.guilds[general.guild_id], "news")
        await Driver(f.emu).settled()
        assert sorted(f.low.heard) == [("CHANNEL_CREATE", 0), ("CHANNEL_CREATE", 1)]
        assert sorted(f.high.heard) == [("CHANNEL_CREATE", 2), ("CHANNEL_CREATE", 3)]
        by_session = {s.session_id: s.shard for s in f.emu.gateway.sessions.values()}
        created = f.emu.gateway.events("CHANNEL_CREATE")
        assert len(created) == SHARDS  # one delivery each, none to the other shards
        for dispatched in created:
            shard = by_session[dispatched.session_id]
            assert shard is not None
            assert shard_of(int(dispatched.data["guild_id"]), SHARDS) == shard[0]


async def test_interactions_go_to_the_owning_shard_and_dms_to_shard_0() -> None:
    async with fleet() as f:
        drv = Driver(f.emu)
        for n, general in enumerate(f.channels):
            reply = await drv.invoke("/where", user=f.owner, channel=general)
            assert reply.content == f"shard {n} of {[0, 1] if n < 2 else [2, 3]}"
        dm = f.emu.world.create_dm(f.owner)
        reply = await drv.invoke("/where", user=f.owner, channel=dm)
        assert reply.content == "shard 0 of [0, 1]"
        by_session = {s.session_id: s.shard for s in f.emu.gateway.sessions.values()}
        delivered = [by_session[d.session_id] for d in f.emu.gateway.events("INTERACTION_CREATE")]
        assert delivered == [(n, SHARDS) for n in range(SHARDS)] + [(0, SHARDS)]


async def test_more_than_2500_guilds_on_one_shard_need_sharding() -> None:
    emu = Emulator(heartbeat_interval=0.5)
    owner = emu.world.create_user("owner")
    for n in range(2501):
        emu.world.create_guild(f"Server {n}", owner=owner, shard=(n % 2, 2))
    bot = commands.Bot(command_prefix=commands.when_mentioned, intents=discord.Intents.none())
    with pytest.raises(RuntimeError, match="stopped before it became ready") as info:
        async with running_bot(bot, emu):
            pass  # pragma: no cover
    assert isinstance(info.value.__cause__, discord.ConnectionClosed)
    assert info.value.__cause__.code == 4011
    sharded = ShardedBot([0, 1], count=2)  # 1,251 and 1,250 guilds: fine
    async with running_bot(sharded, emu):
        assert len(sharded.guilds) == 2501
