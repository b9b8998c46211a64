"""Episode numbers as command options, bounded by the fact store's episodes.

``app_commands.Range`` bounds are fixed when a command is defined, before the store is
open, so the upper bound is checked when the command runs instead: the option is an
integer from ``first`` (Discord enforces that), and :class:`EpisodeNumber` refuses a value
past the store's last episode with a short ephemeral reply. A corpus with another episode
count needs no code change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.errors import UserFacingError
from bot.i18n import N_

if TYPE_CHECKING:
    from bot.store import FactStore


class EpisodeNumber(app_commands.Transformer):
    """An episode number from ``first`` (0 = not started, for progress) to the last one."""

    def __init__(self, first: int) -> None:
        self.first = first

    @property
    def type(self) -> discord.AppCommandOptionType:
        return discord.AppCommandOptionType.integer

    @property
    def min_value(self) -> int:
        return self.first

    async def transform(self, interaction: discord.Interaction[Any], value: int) -> int:
        facts: FactStore = interaction.client.facts
        last = facts.episode_count
        if not self.first <= value <= last:
            raise UserFacingError(
                N_("Pick an episode from {first} to {last}."), first=self.first, last=last
            )
        return value


# Progress and spoiler caps start at 0 (nothing watched); an episode itself starts at 1.
ProgressOption = app_commands.Transform[int, EpisodeNumber(0)]
EpisodeOption = app_commands.Transform[int, EpisodeNumber(1)]
