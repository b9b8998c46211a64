"""Reply helpers shared by the lookup cogs: pure text building plus one send function."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import discord

from bot.embeds import CONTENT_MAX, FOOTER_MAX, clip, fit
from bot.spoilers import Audience, Viewer, clip_balanced, defuse
from bot.store.records import HIGHLIGHT_END, HIGHLIGHT_START, DocumentInfo, SourceRef
from bot.store.state import StateStore


def safe_text(text: str) -> str:
    """Document or user text made inert: no markdown, no mentions, no spoiler bars."""
    return defuse(discord.utils.escape_mentions(discord.utils.escape_markdown(text)))


def highlighted(snippet: str) -> str:
    """A search snippet made safe, with its matched words in bold."""
    return safe_text(snippet).replace(HIGHLIGHT_START, "**").replace(HIGHLIGHT_END, "**")


def sources_line(sources: Iterable[SourceRef | DocumentInfo]) -> str:
    """ "Sources: A (Outlet); B" with each document once, in first-seen order."""
    citations: dict[str, str] = {}
    for source in sources:
        document = source.document if isinstance(source, SourceRef) else source
        citations.setdefault(document.id, document.citation)
    if not citations:
        return ""
    return clip("Sources: " + "; ".join(citations.values()), FOOTER_MAX)


def timestamp(moment: datetime, style: str = "D") -> str:
    """A Discord timestamp: every reader sees it in their own time zone and language."""
    return f"<t:{int(moment.timestamp())}:{style}>"


def audience(share: bool) -> Audience:
    return Audience.SHARED if share else Audience.PERSONAL


async def viewer_for(state: StateStore, interaction: discord.Interaction, share: bool) -> Viewer:
    """The spoiler gate's view of this reply: the user's progress here, and its audience."""
    progress = await state.effective_progress(interaction.user.id, interaction.guild_id)
    return Viewer(progress, audience(share))


async def send(
    interaction: discord.Interaction,
    *,
    share: bool,
    content: str | None = None,
    embed: discord.Embed | None = None,
    view: discord.ui.View | None = None,
) -> None:
    """Reply, ephemerally unless shared, whether or not the interaction was deferred."""
    if content is not None:
        content = clip_balanced(content, CONTENT_MAX)
    # Any: discord.py's overloads cannot type a call whose keywords are chosen at run time.
    kwargs: dict[str, Any] = {"content": content, "ephemeral": not share}
    if embed is not None:
        kwargs["embed"] = fit(embed)
    if view is not None:
        kwargs["view"] = view
    if interaction.response.is_done():
        await interaction.followup.send(**kwargs)
    else:
        await interaction.response.send_message(**kwargs)
