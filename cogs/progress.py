"""/progress: how far you have watched, the spoiler gate every reply goes through."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.episodes import ProgressOption
from bot.errors import UserFacingError
from bot.i18n import ENGLISH, N_, Where, t

if TYPE_CHECKING:
    from bot.app import SoundtrackBot


def progress_text(episode: int, last: int, where: Where = ENGLISH) -> str:
    """How far ``episode`` is, for a show of ``last`` episodes."""
    if episode == 0:
        return t(where, "not started yet: you'll only see the premise")
    if episode >= last:
        return t(where, "all {last} episodes: nothing is hidden from you", last=last)
    return t(where, "up to episode {episode}: later episodes stay hidden", episode=episode)


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
        episode: ProgressOption | None = None,
        scope: Literal["everywhere", "this server"] = "everywhere",
    ) -> None:
        """Set or see how far you have watched; replies never spoil past it."""
        state = self.bot.state
        user_id, guild_id = interaction.user.id, interaction.guild_id
        if scope == "this server" and guild_id is None:
            raise UserFacingError(N_("There is no server here: use scope:everywhere in DMs."))
        if episode is not None:
            scope_id = guild_id if scope == "this server" and guild_id is not None else 0
            await state.set_progress(user_id, episode, scope_id)
            reached = progress_text(episode, self.bot.facts.episode_count, interaction)
            if scope == "this server":
                message = t(interaction, "Saved in this server: {progress}.", progress=reached)
            else:
                message = t(interaction, "Saved: {progress}.", progress=reached)
        else:
            current = await state.effective_progress(user_id, guild_id)
            own = await state.stored_progress(user_id, guild_id) if guild_id else None
            glob = await state.stored_progress(user_id)
            if own is not None:
                origin = t(interaction, "your setting for this server")
            elif glob is not None:
                origin = t(interaction, "your setting")
            elif guild_id:
                origin = t(interaction, "this server's default")
            else:
                origin = t(interaction, "the default")
            message = t(
                interaction,
                "You're at {progress} ({origin}). Change it with `/progress episode:`.",
                progress=progress_text(current, self.bot.facts.episode_count, interaction),
                origin=origin,
            )
        await interaction.response.send_message(message, ephemeral=True)


async def setup(bot: SoundtrackBot) -> None:
    await bot.add_cog(Progress(bot))
