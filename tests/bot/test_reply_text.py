"""bot/reply_text.py: the sources footer."""

from __future__ import annotations

import discord

from bot.reply_text import SOURCES_LISTED, sources_line
from bot.store.records import DocumentInfo, SourceRef


def _document(n: int) -> DocumentInfo:
    return DocumentInfo(f"d{n}", f"{n}.txt", f"Title {n}", None, f"Outlet {n}", None, None, None)


def test_each_document_is_named_once_in_first_seen_order() -> None:
    first, second = _document(1), _document(2)
    sources = [SourceRef(d, "s", "s", 0) for d in (second, first, second)]
    assert sources_line(sources) == "Sources: Title 2 (Outlet 2); Title 1 (Outlet 1)"
    assert sources_line([]) == ""


def test_past_the_listed_documents_the_footer_says_how_many_more() -> None:
    documents = [_document(n) for n in range(SOURCES_LISTED + 3)]
    line = sources_line(documents)
    assert line.endswith(f"Title {SOURCES_LISTED - 1} (Outlet {SOURCES_LISTED - 1}) and 3 more")
    assert f"Title {SOURCES_LISTED}" not in line
    assert sources_line(documents, discord.Locale.korean).endswith(" 외 3건")
    assert sources_line(documents, discord.Locale.indonesian).endswith(" dan 3 lainnya")
    assert sources_line(documents[:SOURCES_LISTED]).count(";") == SOURCES_LISTED - 1
