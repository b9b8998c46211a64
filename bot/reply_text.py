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

# A footer names this many documents, then says how many more (a claim many documents
# repeat would otherwise fill it).
SOURCES_LISTED = 5


@functools.lru_cache(maxsize=2048)
def safe_text(text: str) -> str:
    """Document or user text made inert: no markdown, no mentions, no spoiler bars.
    Cached: cards quote the same stored sentences over and over (bounded for user text)."""
    return defuse(discord.utils.escape_mentions(discord.utils.escape_markdown(text)))


def highlighted(snippet: str) -> str:
    """A search snippet made safe, with its matched words in bold."""
    return safe_text(snippet).replace(HIGHLIGHT_START, "**").replace(HIGHLIGHT_END, "**")


def sources_line(
    sources: Iterable[SourceRef | DocumentInfo],
    where: Where = ENGLISH,
    documents: int | None = None,
) -> str:
    """ "Sources: A (Outlet); B" with each document once, in first-seen order; past
    SOURCES_LISTED documents, how many more (/sources lists them all). `documents`: how
    many distinct documents `sources` holds, when the caller knows: then only the first
    ones listed are read."""
    listed: list[DocumentInfo] = []
    seen: set[str] = set()
    for source in sources:
        document = source.document if isinstance(source, SourceRef) else source
        if document.id in seen:
            continue
        seen.add(document.id)
        if len(listed) < SOURCES_LISTED:
            listed.append(document)
        elif documents is not None:
            break
    if not listed:
        return ""
    text = "; ".join(d.citation for d in listed)
    more = (len(seen) if documents is None else documents) - len(listed)
    if more > 0:
        text = t(where, "{sources} and {count} more", sources=text, count=more)
    return clip(t(where, "Sources: {sources}", sources=text), FOOTER_MAX)


def timestamp(moment: datetime, style: str = "D") -> str:
    """A Discord timestamp: every reader sees it in their own time zone and language."""
    return f"<t:{int(moment.timestamp())}:{style}>"


def audience(share: bool) -> Audience:
    return Audience.SHARED if share else Audience.PERSONAL
