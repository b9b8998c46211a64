"""Views the bot sends: invoker-only buttons that say when they expire, and paging."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import discord

from bot.errors import GENERIC_APOLOGY, interaction_gone
from bot.i18n import ENGLISH, N_, Where, t
from bot.respond import log_interaction_gone, send, send_ephemeral

log = logging.getLogger(__name__)

VIEW_TIMEOUT = 180.0
_CLAIMED = "soundtrack:claimed"


def claim(interaction: discord.Interaction) -> None:
    """Mark a component interaction as reaching its handler, so the "expired" fallback
    never answers it too (the handler's reply may still be on its way)."""
    interaction.extras[_CLAIMED] = True


def is_claimed(interaction: discord.Interaction) -> bool:
    return bool(interaction.extras.get(_CLAIMED))


class OwnedView(discord.ui.View):
    """Buttons only the invoker may press; disabled in place when they time out."""

    def __init__(self, owner_id: int, *, timeout: float | None = VIEW_TIMEOUT) -> None:
        super().__init__(timeout=timeout)
        self.owner_id = owner_id
        self.interaction: discord.Interaction | None = None  # the one that sent the view

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        claim(interaction)
        if interaction.user.id == self.owner_id:
            return True
        await interaction.response.send_message(
            t(
                interaction,
                "These buttons belong to whoever ran the command; run it yourself to get your own.",
            ),
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
        if interaction_gone(error):
            log_interaction_gone(interaction, error)
            return
        log.error(
            "Error in view %s item %s (user %s, guild %s)",
            type(self).__name__,
            getattr(item, "custom_id", item),
            interaction.user.id,
            interaction.guild_id,
            exc_info=error,
        )
        await send_ephemeral(interaction, t(interaction, GENERIC_APOLOGY))


class Paginator(OwnedView):
    """Pages of embeds with previous/next buttons."""

    def __init__(
        self,
        pages: Sequence[discord.Embed],
        owner_id: int,
        *,
        timeout: float = VIEW_TIMEOUT,
        where: Where = ENGLISH,
    ) -> None:
        super().__init__(owner_id, timeout=timeout)
        self.pages = list(pages)
        self.index = 0
        # Only the invoker presses these, so they speak the invoker's language.
        self.previous.label = t(where, "◀ Previous")
        self.next.label = t(where, "Next ▶")
        self._sync_buttons()

    def _sync_buttons(self) -> None:
        self.previous.disabled = self.index == 0
        self.next.disabled = self.index >= len(self.pages) - 1
        self.counter.label = f"{self.index + 1}/{len(self.pages)}"

    @discord.ui.button(label=N_("◀ Previous"), style=discord.ButtonStyle.secondary)
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

    @discord.ui.button(label=N_("Next ▶"), style=discord.ButtonStyle.secondary)
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
        view = Paginator(pages, interaction.user.id, where=interaction)
        view.interaction = interaction
    await send(interaction, share=share, embed=pages[0], view=view)
