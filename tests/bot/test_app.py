"""Issue 3: the bot starts, syncs on request, answers, and survives faults."""

from __future__ import annotations

import logging

import discord
import pytest
from discord import app_commands
from discord.ext import commands

from bot.errors import GENERIC_APOLOGY
from tests.helpers.bot import Env

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


async def test_owner_only_sync(env: Env) -> None:
    refused = await env.drv.invoke("/sync", user=env.world.moderator)
    assert refused.ephemeral and "Only the bot's owner" in refused.text()
    env.bot.owner_ids = {env.world.owner.id}
    done = await env.drv.invoke("/sync", user=env.world.owner, scope="here")
    assert done.ephemeral and "Synced" in done.text()
    guild_commands = {c.name for c in env.emu.world.commands_for(env.world.guild.id)}
    assert "about" in guild_commands


class Broken(commands.Cog):
    @app_commands.command(name="broken")
    async def broken(self, interaction: discord.Interaction) -> None:
        """Fails on purpose."""
        raise RuntimeError("boom")

    @app_commands.command(name="broken-late")
    async def broken_late(self, interaction: discord.Interaction) -> None:
        """Fails after deferring."""
        await interaction.response.defer(ephemeral=True)
        raise RuntimeError("late boom")


async def test_an_unexpected_error_gets_an_apology_and_a_log_line(
    env: Env, caplog: pytest.LogCaptureFixture
) -> None:
    await env.bot.add_cog(Broken())
    await env.bot.tree.sync()
    caplog.set_level(logging.ERROR, logger="bot.tree")
    reply = await env.drv.invoke("/broken")
    assert reply.ephemeral and reply.content == GENERIC_APOLOGY
    late = await env.drv.invoke("/broken-late")
    assert late.ephemeral and GENERIC_APOLOGY in late.text()
    records = [r for r in caplog.records if r.name == "bot.tree"]
    assert len(records) == 2
    line = records[0].getMessage()
    assert "/broken" in line and str(env.world.alice.id) in line
    assert str(env.world.guild.id) in line
    assert records[0].exc_info is not None


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
