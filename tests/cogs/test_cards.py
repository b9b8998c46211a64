"""cogs/_cards.py without Discord: a card's footer counts the documents it may cite."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.spoiler_gate import Audience, Viewer
from bot.store.facts import _cited_from
from bot.store.records import DocumentInfo, Episode, Fact, SourceRef
from cogs._cards import episode_card


def _source(n: int, level: int) -> SourceRef:
    document = DocumentInfo(f"d{n}", f"{n}.txt", f"Doc {n}", None, None, None, None, None)
    return SourceRef(document, f"sentence {n}", f"sentence {n}", level)


def _claim(fact_id: int, text: str, cited: list[tuple[int, int]]) -> Fact:
    """A claim cited by (document, level) pairs, least spoilery first, as the store loads it."""
    sources = [(level, _source(n, level)) for n, level in cited]
    first_level, first = sources[0]
    return Fact(
        fact_id,
        "plot",
        "episode",
        "1",
        "event",
        text,
        {},
        first_level,
        "test",
        first,
        tuple(sources[1:]),
        _cited_from(first_level, first, sources[1:]),
    )


def test_the_footer_counts_only_the_documents_the_viewer_may_see() -> None:
    episode = Episode(1, datetime(2022, 3, 23, tzinfo=UTC), False, "test")
    early = _claim(1, "Early", [(n, 0) for n in range(6)] + [(n, 2) for n in range(6, 10)])
    late = _claim(2, "Late", [(n, 3) for n in range(10, 13)])
    facts = [early, late]

    def footer(progress: int) -> str:
        card = episode_card(episode, facts, Viewer(progress, Audience.PERSONAL))
        return str(card.footer.text)

    assert footer(0).endswith("Doc 4 and 1 more")  # six documents, five named
    assert footer(2).endswith("Doc 4 and 5 more")
    assert footer(4).endswith("Doc 4 and 8 more")
    assert "Doc 10" not in footer(2)
