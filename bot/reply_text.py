"""Pure text building for replies: inert user and document text, highlights, sources,
timestamps. Sending lives in :mod:`bot.respond`."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import datetime

import discord

from bot.embeds import FOOTER_MAX, clip
from bot.i18n import ENGLISH, Where, t
from bot.spoiler_gate import Audience, defuse
from bot.store.records import HIGHLIGHT_END, HIGHLIGHT_START, DocumentInfo, SourceRef


@functools.lru_cache(maxsize=2048)
def safe_text(text: str) -> str:
    """Document or user text made inert: no markdown, no mentions, no spoiler bars.
    Cached: cards quote the same stored sentences over and over (bounded for user text)."""
    return defuse(discord.utils.escape_mentions(discord.utils.escape_markdown(text)))


def highlighted(snippet: str) -> str:
    """A search snippet made safe, with its matched words in bold."""
    return safe_text(snippet).replace(HIGHLIGHT_START, "**").replace(HIGHLIGHT_END, "**")


def sources_line(sources: Iterable[SourceRef | DocumentInfo], where: Where = ENGLISH) -> str:
    """ "Sources: A (Outlet); B" with each document once, in first-seen order."""
    citations: dict[str, str] = {}
    for source in sources:
        document = source.document if isinstance(source, SourceRef) else source
        citations.setdefault(document.id, document.citation)
    if not citations:
        return ""
    return clip(t(where, "Sources: {sources}", sources="; ".join(citations.values())), FOOTER_MAX)


def timestamp(moment: datetime, style: str = "D") -> str:
    """A Discord timestamp: every reader sees it in their own time zone and language."""
    return f"<t:{int(moment.timestamp())}:{style}>"


def audience(share: bool) -> Audience:
    return Audience.SHARED if share else Audience.PERSONAL
