"""The discussion threads' text: titles, starters, the table of links (pure)."""

from __future__ import annotations

from bot.embeds import CONTENT_MAX
from bot.store.records import Episode, Fact
from cogs.discussion._text import starter_text, table_lines
from tests.helpers.data import AIR


def _fact(text: str, level: int) -> Fact:
    from bot.store.records import DocumentInfo, SourceRef

    document = DocumentInfo("d", "d.txt", "Doc", None, None, None, None, None)
    source = SourceRef(document, text, text, level)
    return Fact(1, "plot", "episode", "2", "known", text, {}, level, "test", source)


EPISODE_2 = Episode(2, AIR[2], True, "derived")


def test_the_starter_puts_the_warning_first_and_keeps_user_text_inert() -> None:
    facts = [_fact("premise", 0), _fact("a || b @everyone <@123456789012345678>", 2)]
    text = starter_text(EPISODE_2, facts, [1, 2, 3, 4], {1: 11, 3: 33})
    assert text.startswith("⚠️ **Spoilers for episodes 1–2.**")
    assert "• premise\n" in text
    assert "Ep 2 spoiler: ||" in text and text.count("||") == 4  # the rule's example + one tag
    assert "@everyone" not in text and "<@123456789012345678>" not in text
    assert (
        "Episode 1: <#11>\nEpisode 2: this thread\nEpisode 3: <#33>\nEpisode 4: not open yet"
        in (text)
    )


def test_a_huge_recap_is_clipped_after_the_table_and_stays_balanced() -> None:
    facts = [_fact("x" * 400, 2) for _ in range(10)]
    text = starter_text(EPISODE_2, facts, [1, 2, 3, 4], {1: 11})
    assert len(text) <= CONTENT_MAX and text.count("||") % 2 == 0
    assert "Episode 1: <#11>" in text and text.endswith("…||")


def test_table_lines() -> None:
    assert table_lines([1, 2], {}, None) == ["Episode 1: not open yet", "Episode 2: not open yet"]
    assert table_lines([1, 2], {1: 5, 2: 6}, 2) == ["Episode 1: <#5>", "Episode 2: this thread"]
