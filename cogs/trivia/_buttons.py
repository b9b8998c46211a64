"""Trivia buttons and the typed-answer modal: their custom ids carry the game, question
and choice, so a click (or a submitted answer) on an old question, a finished game, or
after a restart still reaches a handler."""

from __future__ import annotations

import re
import weakref
from typing import Any

import discord

from bot.i18n import ENGLISH, N_, Where, t
from bot.ui import claim

LETTERS = "ABCD"
CUSTOM_ID = "trivia:{game}:{round}:{choice}"
TYPE_ID = "trivia-type:{game}:{round}"
HINT_ID = "trivia-hint:{game}:{round}"
TEAM_ID = "trivia-team:{game}:{team}"
MODAL_ID = "trivia-answer:{game}:{round}"
MODAL_PATTERN = re.compile(r"trivia-answer:(?P<game>\d+):(?P<round>\d+)")
ANSWER_FIELD = "answer"
CLOSED = N_("This question is closed.")
GAME_OVER = N_("This game is over.")

# The loaded trivia cog, per bot: buttons and modals reach it here, never by its name.
_cogs: weakref.WeakKeyDictionary[discord.Client, Any] = weakref.WeakKeyDictionary()


def route_answers(client: discord.Client, cog: Any | None) -> None:
    """Send this bot's trivia clicks to ``cog`` (on load); None on unload, after which
    clicks are told the question is closed."""
    if cog is None:
        _cogs.pop(client, None)
    else:
        _cogs[client] = cog


def trivia_cog(interaction: discord.Interaction) -> Any:
    """The running trivia cog, or None while it is not loaded. Claims the interaction: it
    reached its handler, so the "expired" fallback never answers it too."""
    claim(interaction)
    return _cogs.get(interaction.client)


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
        cog = trivia_cog(interaction)
        if cog is None:
            await interaction.response.send_message(t(interaction, CLOSED), ephemeral=True)
            return
        await cog.on_answer(interaction, self.game, self.round_number, self.choice)


class TypeButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"trivia-(?P<action>type|hint):(?P<game>\d+):(?P<round>\d+)",
):
    """ "Answer" (opens the typed-answer modal) or "Hint" on a typed question."""

    def __init__(
        self,
        action: str,
        game: int,
        round_number: int,
        *,
        disabled: bool = False,
        where: Where = ENGLISH,
    ):
        self.action, self.game, self.round_number = action, game, round_number
        template = TYPE_ID if action == "type" else HINT_ID
        super().__init__(
            discord.ui.Button(
                label=t(where, "Answer") if action == "type" else t(where, "Hint"),
                style=discord.ButtonStyle.primary
                if action == "type"
                else discord.ButtonStyle.secondary,
                disabled=disabled,
                custom_id=template.format(game=game, round=round_number),
            )
        )

    @classmethod
    async def from_custom_id(  # type: ignore[override]
        cls, interaction: discord.Interaction, item: discord.ui.Button[Any], match: re.Match[str]
    ) -> TypeButton:
        return cls(match["action"], int(match["game"]), int(match["round"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        cog = trivia_cog(interaction)
        if cog is None:
            await interaction.response.send_message(t(interaction, CLOSED), ephemeral=True)
        elif self.action == "type":
            await cog.on_open_answer(interaction, self.game, self.round_number)
        else:
            await cog.on_hint(interaction, self.game, self.round_number)


class TeamButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"trivia-team:(?P<game>\d+):(?P<team>\d)",
):
    def __init__(
        self, game: int, team: int, *, disabled: bool = False, where: Where = ENGLISH
    ) -> None:
        self.game, self.team = game, team
        super().__init__(
            discord.ui.Button(
                label=t(where, "Join Team {team}", team=team),
                style=discord.ButtonStyle.secondary,
                disabled=disabled,
                custom_id=TEAM_ID.format(game=game, team=team),
            )
        )

    @classmethod
    async def from_custom_id(  # type: ignore[override]
        cls, interaction: discord.Interaction, item: discord.ui.Button[Any], match: re.Match[str]
    ) -> TeamButton:
        return cls(int(match["game"]), int(match["team"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        cog = trivia_cog(interaction)
        if cog is None:
            await interaction.response.send_message(t(interaction, GAME_OVER), ephemeral=True)
            return
        await cog.on_join(interaction, self.game, self.team)


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


def typed_view(
    game: int, round_number: int, *, closed: bool = False, where: Where = ENGLISH
) -> discord.ui.View:
    """ "Answer" and "Hint" for a typed question; disabled once it closed."""
    view = discord.ui.View(timeout=None)
    view.add_item(TypeButton("type", game, round_number, disabled=closed, where=where))
    view.add_item(TypeButton("hint", game, round_number, disabled=closed, where=where))
    return view


def team_view(game: int, teams: int, where: Where = ENGLISH) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for team in range(1, teams + 1):
        view.add_item(TeamButton(game, team, where=where))
    return view


def answer_modal(
    game: int, round_number: int, question: str, where: Where = ENGLISH
) -> discord.ui.Modal:
    """The one-field answer box. It is stopped before it is sent, so discord.py keeps no
    copy: every submission reaches the cog's listener by its custom id, even after a
    restart."""
    modal = discord.ui.Modal(
        title=t(where, "Question {number}: your answer", number=round_number)[:45],
        custom_id=MODAL_ID.format(game=game, round=round_number),
        timeout=None,
    )
    modal.add_item(
        discord.ui.TextInput(
            label=t(where, "Your answer"),
            custom_id=ANSWER_FIELD,
            placeholder=question[:100],
            max_length=100,
            required=True,
        )
    )
    modal.stop()
    return modal


def modal_values(data: Any) -> dict[str, str]:
    """{custom_id: value} of every text field in a modal submission's ``data``, whether
    the fields come in action rows or labels."""
    values: dict[str, str] = {}

    def walk(component: Any) -> None:
        if not isinstance(component, dict):
            return
        if component.get("type") == 4 and isinstance(component.get("custom_id"), str):
            values[component["custom_id"]] = str(component.get("value") or "")
        for child in component.get("components") or []:
            walk(child)
        walk(component.get("component"))

    for component in (data or {}).get("components") or []:
        walk(component)
    return values
