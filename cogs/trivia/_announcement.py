"""The /trivia start reply, closed when the game ends: through the interaction's token
while it lives (no channel permission needed; it also reaches the starter privately),
as a channel message once the 15-minute token has expired."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import discord

from bot.errors import interaction_gone

log = logging.getLogger(__name__)

# Why a game ended, by end status, as the closed announcement says it.
ENDINGS = {
    "finished": "every question was asked",
    "stopped": "it was stopped",
    "abandoned": "nobody was playing",
    "failed": "something went wrong",
    "interrupted": "the bot restarted",
}


def closing_text(status: str, *, scoreboard_posted: bool) -> str:
    ended = f"This trivia game has ended ({ENDINGS.get(status, status)})"
    if scoreboard_posted:
        return f"{ended}; the final scores are below."
    return (
        f"{ended}, but I couldn't post its final scores here (I may have lost a permission"
        " in this channel). Points so far are kept: see `/trivia leaderboard`."
    )


@dataclass(frozen=True, slots=True)
class Announcement:
    interaction: discord.Interaction
    message_id: int
    channel: discord.TextChannel | discord.Thread

    async def close(self, game_id: int, status: str, *, scoreboard_posted: bool) -> None:
        """Say the game is over; if the scoreboard could not be posted (a permission taken
        away mid-game), tell the starter privately too."""
        content = closing_text(status, scoreboard_posted=scoreboard_posted)
        try:
            await self.interaction.edit_original_response(content=content)
            if not scoreboard_posted:
                await self.interaction.followup.send(content, ephemeral=True)
        except discord.HTTPException as error:
            if not interaction_gone(error):
                raise
            # The token expired (a game longer than 15 minutes). The announcement is the
            # bot's own message, so the bot token may edit it as a channel message.
            log.info("Trivia game %s outlived its start token; editing it as a message", game_id)
            await self.channel.get_partial_message(self.message_id).edit(content=content)
