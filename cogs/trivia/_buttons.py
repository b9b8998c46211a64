"""Answer buttons: their custom ids carry the game, question and choice, so a click on an
old question, a finished game, or after a restart still reaches a handler."""

from __future__ import annotations

import re
import weakref
from collections.abc import Awaitable, Callable
from typing import Any

import discord

LETTERS = "ABCD"
CUSTOM_ID = "trivia:{game}:{round}:{choice}"
CLOSED = "This question is closed."

# (interaction, game id, round, choice): the loaded trivia cog's handler, per bot.
AnswerHandler = Callable[[discord.Interaction, int, int, int], Awaitable[None]]
_handlers: weakref.WeakKeyDictionary[discord.Client, AnswerHandler] = weakref.WeakKeyDictionary()


def route_answers(client: discord.Client, handler: AnswerHandler | None) -> None:
    """Send this bot's answer clicks to ``handler`` (the cog, on load); None on unload, after
    which clicks are told the question is closed."""
    if handler is None:
        _handlers.pop(client, None)
    else:
        _handlers[client] = handler


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
    async def from_custom_id(  # type: ignore[override]
        cls, interaction: discord.Interaction, item: discord.ui.Button[Any], match: re.Match[str]
    ) -> AnswerButton:
        return cls(int(match["game"]), int(match["round"]), int(match["choice"]))

    async def callback(self, interaction: discord.Interaction) -> None:  # type: ignore[override]
        handler = _handlers.get(interaction.client)
        if handler is None:
            await interaction.response.send_message(CLOSED, ephemeral=True)
            return
        await handler(interaction, self.game, self.round_number, self.choice)


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
