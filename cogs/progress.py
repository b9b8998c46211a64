"""/progress: how far you have watched, the spoiler gate every reply goes through."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.errors import UserFacingError

if TYPE_CHECKING:
    from bot.app import SoundtrackBot

Episode = app_commands.Range[int, 0, 4]


def progress_text(episode: int) -> str:
    if episode == 0:
        return "not started yet: you'll only see the premise"
    if episode == 4:
        return "all 4 episodes: nothing is hidden from you"
    return f"up to episode {episode}: later episodes stay hidden"


class Progress(commands.Cog):
    def __init__(self, bot: SoundtrackBot) -> None:
        self.bot = bot

    @app_commands.command(name="progress")
    @app_commands.describe(
        episode="The last episode you have watched (0 = not started). Leave out to see yours.",
        scope="everywhere (default) or only this server",
    )
    async def progress(
        self,
        interaction: discord.Interaction,
        episode: Episode | None = None,
        scope: Literal["everywhere", "this server"] = "everywhere",
    ) -> None:
        """Set or see how far you have watched; replies never spoil past it."""
        state = self.bot.state
        user_id, guild_id = interaction.user.id, interaction.guild_id
        if scope == "this server" and guild_id is None:
            raise UserFacingError("There is no server here: use scope:everywhere in DMs.")
        if episode is not None:
            scope_id = guild_id if scope == "this server" and guild_id is not None else 0
            await state.set_progress(user_id, episode, scope_id)
            where = " in this server" if scope == "this server" else ""
            message = f"Saved{where}: {progress_text(episode)}."
        else:
            current = await state.effective_progress(user_id, guild_id)
            own = await state.stored_progress(user_id, guild_id) if guild_id else None
            glob = await state.stored_progress(user_id)
            if own is not None:
                origin = "your setting for this server"
            elif glob is not None:
                origin = "your setting"
            else:
                origin = "this server's default" if guild_id else "the default"
            message = (
                f"You're at {progress_text(current)} ({origin}). "
                "Change it with `/progress episode:`."
            )
        await interaction.response.send_message(message, ephemeral=True)


async def setup(bot: SoundtrackBot) -> None:
    await bot.add_cog(Progress(bot))
