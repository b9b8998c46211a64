"""Views the bot sends: invoker-only buttons that say when they expire, and paging."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import discord

from bot.errors import GENERIC_APOLOGY
from bot.respond import send, send_ephemeral

log = logging.getLogger(__name__)

VIEW_TIMEOUT = 180.0


class OwnedView(discord.ui.View):
    """Buttons only the invoker may press; disabled in place when they time out."""

    def __init__(self, owner_id: int, *, timeout: float | None = VIEW_TIMEOUT) -> None:
        super().__init__(timeout=timeout)
        self.owner_id = owner_id
        self.interaction: discord.Interaction | None = None  # the one that sent the view

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id == self.owner_id:
            return True
        await interaction.response.send_message(
            "These buttons belong to whoever ran the command; run it yourself to get your own.",
            ephemeral=True,
        )
        return False

    async def on_timeout(self) -> None:
        for item in self.children:
            if isinstance(item, discord.ui.Button | discord.ui.Select):
                item.disabled = True
        if self.interaction is not None:
            try:
                await self.interaction.edit_original_response(view=self)
            except discord.HTTPException:
                log.debug("Could not disable expired view (message gone)")

    async def on_error(
        self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[OwnedView]
    ) -> None:
        log.error(
            "Error in view %s item %s (user %s, guild %s)",
            type(self).__name__,
            getattr(item, "custom_id", item),
            interaction.user.id,
            interaction.guild_id,
            exc_info=error,
        )
        await send_ephemeral(interaction, GENERIC_APOLOGY)


class Paginator(OwnedView):
    """Pages of embeds with previous/next buttons."""

    def __init__(
        self, pages: Sequence[discord.Embed], owner_id: int, *, timeout: float = VIEW_TIMEOUT
    ) -> None:
        super().__init__(owner_id, timeout=timeout)
        self.pages = list(pages)
        self.index = 0
        self._sync_buttons()

    def _sync_buttons(self) -> None:
        self.previous.disabled = self.index == 0
        self.next.disabled = self.index >= len(self.pages) - 1
        self.counter.label = f"{self.index + 1}/{len(self.pages)}"

    @discord.ui.button(label="◀ Previous", style=discord.ButtonStyle.secondary)
    async def previous(
        self, interaction: discord.Interaction, _: discord.ui.Button[Paginator]
    ) -> None:
        self.index = max(0, self.index - 1)
        self._sync_buttons()
        await interaction.response.edit_message(embed=self.pages[self.index], view=self)

    @discord.ui.button(label="1/1", style=discord.ButtonStyle.secondary, disabled=True)
    async def counter(
        self, interaction: discord.Interaction, _: discord.ui.Button[Paginator]
    ) -> None:
        await interaction.response.defer()  # a label, never enabled

    @discord.ui.button(label="Next ▶", style=discord.ButtonStyle.secondary)
    async def next(self, interaction: discord.Interaction, _: discord.ui.Button[Paginator]) -> None:
        self.index = min(len(self.pages) - 1, self.index + 1)
        self._sync_buttons()
        await interaction.response.edit_message(embed=self.pages[self.index], view=self)


async def send_pages(
    interaction: discord.Interaction, pages: Sequence[discord.Embed], *, share: bool
) -> None:
    """Send one embed, or pages of them with buttons only the invoker can press."""
    view: Paginator | None = None
    if len(pages) > 1:
        view = Paginator(pages, interaction.user.id)
        view.interaction = interaction
    await send(interaction, share=share, embed=pages[0], view=view)
