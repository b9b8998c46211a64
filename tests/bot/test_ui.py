"""Invoker-only pages that disable themselves, on the emulator."""

from __future__ import annotations

import asyncio

import discord
from discord import app_commands
from discord.ext import commands

from bot.embeds import base_embed
from bot.ui import Paginator
from tests.helpers.bot import Env


class Pages(commands.Cog):
    @app_commands.command(name="pages")
    async def pages(self, interaction: discord.Interaction) -> None:
        """Three pages (test command)."""
        view = Paginator(
            [base_embed(f"Page {n}") for n in (1, 2, 3)], interaction.user.id, timeout=0.5
        )
        view.interaction = interaction
        await interaction.response.send_message(embed=view.pages[0], view=view, ephemeral=True)


async def test_pages_turn_for_the_invoker_only_and_expire(env: Env) -> None:
    await env.bot.add_cog(Pages())
    await env.bot.tree.sync()
    reply = await env.drv.invoke("/pages")
    assert [b.label for b in reply.buttons()] == ["◀ Previous", "1/3", "Next ▶"]
    turned = await env.drv.click(reply, "Next ▶")
    assert turned.message.embeds[0]["title"] == "Page 2"
    refused = await env.drv.click(reply, "Next ▶", user=env.world.bob)
    assert refused.ephemeral and "belong to whoever" in refused.content
    await asyncio.sleep(1.0)
    expired = env.drv.messages(env.world.general, include_ephemeral=True)[-1]
    assert all(b.disabled for b in expired.buttons())
