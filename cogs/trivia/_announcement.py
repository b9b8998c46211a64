"""The /trivia start reply, closed when the game ends: through the interaction's token
while it lives (no channel permission needed; it also reaches the starter privately),
as a channel message once the 15-minute token has expired."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import discord

from bot.errors import interaction_gone
from bot.i18n import ENGLISH, N_, Where, t

log = logging.getLogger(__name__)

# Why a game ended, by end status, as the closed announcement says it.
ENDINGS = {
    "finished": N_("every question was asked"),
    "stopped": N_("it was stopped"),
    "abandoned": N_("nobody was playing"),
    "failed": N_("something went wrong"),
    "interrupted": N_("the bot restarted"),
}


def closing_text(status: str, *, scoreboard_posted: bool, where: Where = ENGLISH) -> str:
    why = t(where, ENDINGS[status]) if status in ENDINGS else status
    if scoreboard_posted:
        return t(where, "This trivia game has ended ({why}); the final scores are below.", why=why)
    return t(
        where,
        "This trivia game has ended ({why}), but I couldn't post its final scores here (I may "
        "have lost a permission in this channel). Points so far are kept: see "
        "`/trivia leaderboard`.",
        why=why,
    )


@dataclass(frozen=True, slots=True)
class Announcement:
    interaction: discord.Interaction
    message_id: int
    channel: discord.TextChannel | discord.Thread

    async def close(self, game_id: int, status: str, *, scoreboard_posted: bool) -> None:
        """Say the game is over; if the scoreboard could not be posted (a permission taken
        away mid-game), tell the starter privately too."""
        content = closing_text(status, scoreboard_posted=scoreboard_posted, where=self.interaction)
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
