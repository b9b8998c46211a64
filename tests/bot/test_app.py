"""Issue 3: the bot starts, syncs on request, answers, and survives faults."""

from __future__ import annotations

from pathlib import Path

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import EXPIRED_COMPONENT, create_bot
from tests.helpers.bot import Env, bot_settings

CALLBACK_ROUTE = "/interactions/{webhook_id}/{webhook_token}/callback"


async def test_the_bot_is_ready_with_guilds_intent_only(env: Env) -> None:
    assert env.bot.is_ready()
    assert env.bot.intents.value == discord.Intents(guilds=True).value
    assert [g.name for g in env.bot.guilds] == [env.world.guild.name]
    assert env.emu.unknown_requests == []


async def test_every_loaded_command_appears_in_a_sync(env: Env) -> None:
    loaded = {c.name for c in env.bot.tree.get_commands()}
    synced = {c.name for c in env.emu.world.commands_for(None)}
    assert loaded == synced
    assert {"about", "sync", "cast", "ost", "show", "episodes", "episode", "ask"} <= synced
    # Nothing was synced before the test asked for it: one PUT, from the fixture.
    assert len(env.emu.requests_to("PUT", "/applications/{application_id}/commands")) == 1


async def test_a_command_answers(env: Env) -> None:
    reply = await env.drv.invoke("/about")
    assert reply.ephemeral
    assert reply.embed["title"] == "About this bot"
    assert "trivia questions" in reply.text()


async def test_a_429_on_the_callback_is_retried(env: Env) -> None:
    env.emu.rate_limit(CALLBACK_ROUTE, retry_after=0.2, times=1)
    reply = await env.drv.invoke("/about")
    assert reply.embed["title"] == "About this bot"
    statuses = [r.status for r in env.emu.requests_to("POST", CALLBACK_ROUTE)]
    assert statuses[-2:] == [429, 200]


async def test_a_dropped_gateway_is_resumed(env: Env) -> None:
    await env.emu.drop_gateway(abrupt=True)
    await env.emu.gateway.wait_for_lifecycle("resume", timeout=15)
    reply = await env.drv.invoke("/about", timeout=15)
    assert reply.embed["title"] == "About this bot"


class Stale(commands.Cog):
    @app_commands.command(name="stale")
    async def stale(self, interaction: discord.Interaction) -> None:
        """A button whose view is gone, as after a restart (test command)."""
        view = discord.ui.View()
        view.add_item(discord.ui.Button(label="Old", custom_id="old-button"))
        await interaction.response.send_message("old", view=view)
        view.stop()


async def test_a_button_nobody_handles_says_it_expired(env: Env) -> None:
    await env.bot.add_cog(Stale())
    await env.bot.tree.sync()
    reply = await env.drv.invoke("/stale")
    clicked = await env.drv.click(reply, "Old", timeout=10)
    assert clicked.ephemeral and clicked.content == EXPIRED_COMPONENT


async def test_shard_ids_choose_the_shards_this_process_opens(tmp_path: Path) -> None:
    bot = create_bot(
        bot_settings(tmp_path / "facts.db", tmp_path / "state.db", SHARD_COUNT="4", SHARD_IDS="2-3")
    )
    assert isinstance(bot, commands.AutoShardedBot)
    assert (bot.shard_count, bot.shard_ids) == (4, [2, 3])
    assert (
        create_bot(bot_settings(tmp_path / "facts.db", tmp_path / "state.db")).shard_count is None
    )
