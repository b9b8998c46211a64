"""Answer buttons: their custom ids carry the game, question and choice, so a click on an
old question, a finished game, or after a restart still reaches a handler."""

from __future__ import annotations

import re
from typing import Any, Protocol, runtime_checkable

import discord

from bot.app import bot_of

LETTERS = "ABCD"
CUSTOM_ID = "trivia:{game}:{round}:{choice}"
CLOSED = "This question is closed."


@runtime_checkable
class _AnswerHandler(Protocol):
    """The Trivia cog, as far as a button needs it (importing it here would be circular)."""

    async def on_answer(
        self, interaction: discord.Interaction, game_id: int, round_number: int, choice: int
    ) -> None: ...


class AnswerButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"trivia:(?P<game>\d+):(?P<round>\d+):(?P<choice>\d)",
):
    def __init__(
        self,
        game: int,
        round_number: int,
        choice: int,
        *,
        disabled: bool = False,
        style: discord.ButtonStyle = discord.ButtonStyle.primary,
    ) -> None:
        self.game, self.round_number, self.choice = game, round_number, choice
        super().__init__(
            discord.ui.Button(
                label=LETTERS[choice],
                style=style,
                disabled=disabled,
                custom_id=CUSTOM_ID.format(game=game, round=round_number, choice=choice),
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> AnswerButton:
        return cls(int(match["game"]), int(match["round"]), int(match["choice"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        cog = bot_of(interaction).get_cog("Trivia")
        if not isinstance(cog, _AnswerHandler):  # unloaded (the bot is shutting down)
            await interaction.response.send_message(CLOSED, ephemeral=True)
            return
        await cog.on_answer(interaction, self.game, self.round_number, self.choice)


def answer_view(
    game: int, round_number: int, count: int, *, closed: bool = False, correct: int | None = None
) -> discord.ui.View:
    """Four lettered buttons; once closed, all disabled with the right one in green."""
    view = discord.ui.View(timeout=None)
    for choice in range(count):
        style = discord.ButtonStyle.primary
        if closed:
            style = (
                discord.ButtonStyle.success if choice == correct else discord.ButtonStyle.secondary
            )
        view.add_item(AnswerButton(game, round_number, choice, disabled=closed, style=style))
    return view
