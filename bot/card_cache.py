"""Cards kept for the fact store they were built from.

A lookup card (/show, /cast, /sources) depends on nothing but the open store, which never
changes while it is open, what the card is of, the viewer (progress and audience) and the
reader's language. Built once per such key, it is handed out as a copy: a caller may
change its copy (fit it, add a field) without touching the kept one.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable

import discord

from bot.embeds import fit
from bot.i18n import Where, language_of
from bot.spoiler_gate import Viewer
from bot.store.lru import LRU

KEPT_CARDS = 512


class KeptCards:
    def __init__(self, size: int = KEPT_CARDS) -> None:
        self._store: object | None = None
        self._cards: LRU[tuple[Hashable, ...], discord.Embed] = LRU(size)

    async def card(
        self,
        store: object,
        what: Hashable,
        viewer: Viewer,
        where: Where,
        build: Callable[[], Awaitable[discord.Embed]],
    ) -> discord.Embed:
        """The card of `what` for this viewer and language: built by `build()` the first
        time, a copy of that one after, while `store` is the store it was built from."""
        if store is not self._store:  # a new store (rebuilt or reopened): none holds
            self._cards.clear()
            self._store = store
        key = (what, viewer.progress, viewer.audience, language_of(where))
        card = self._cards.get(key)
        if card is None:
            card = fit(await build())
            self._cards.put(key, card)
        return card.copy()

    def __len__(self) -> int:
        return len(self._cards)
