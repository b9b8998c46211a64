"""The command tree answers every unexpected error with an apology and logs it."""

from __future__ import annotations

import logging

import discord
import pytest
from discord import app_commands
from discord.ext import commands

from bot.errors import GENERIC_APOLOGY
from tests.helpers.bot import Env


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
