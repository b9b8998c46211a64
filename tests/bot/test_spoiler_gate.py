"""Spoiler formatting (pure)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.spoiler_gate import (
    Audience,
    Piece,
    clip_balanced,
    defuse,
    gate,
    hidden_notice,
    spoiler_tag,
)


def test_personal_replies_show_what_you_have_seen_and_hide_the_rest() -> None:
    pieces = [Piece("premise", 0), Piece("ep two", 2), Piece("ending", 4)]
    gated = gate(pieces, progress=2, audience=Audience.PERSONAL)
    assert gated.shown == ["premise", "ep two"]
    assert gated.hidden_levels == [4]
    assert gated.notice is not None and "episode 4" in gated.notice


def test_shared_replies_tag_every_story_detail_with_its_episode() -> None:
    pieces = [Piece("premise", 0), Piece("ep two", 2), Piece("ending", 4)]
    gated = gate(pieces, progress=4, audience=Audience.SHARED)
    assert gated.shown == ["premise", "Ep 2 spoiler: ||ep two||", "Ep 4 spoiler: ||ending||"]
    assert gated.notice is None


def test_user_text_cannot_break_out_of_a_tag() -> None:
    tagged = spoiler_tag("a|| @everyone ||b", 3)
    assert tagged.count("||") == 2
    assert defuse("||||").count("||") == 0


def test_clipping_closes_an_open_tag() -> None:
    text = "Intro " + spoiler_tag("x" * 100, 4)
    clipped = clip_balanced(text, 40)
    assert len(clipped) <= 40
    assert clipped.count("||") % 2 == 0
    assert clipped.endswith("…||")


@given(
    st.lists(st.tuples(st.text(max_size=80), st.integers(0, 4)), max_size=8),
    st.integers(min_value=5, max_value=300),
)
def test_clipped_replies_stay_balanced_and_within_the_limit(
    parts: list[tuple[str, int]], limit: int
) -> None:
    text = "\n".join(gate([Piece(t, n) for t, n in parts], 4, Audience.SHARED).shown)
    clipped = clip_balanced(text, limit)
    assert clipped == text or len(clipped) <= limit
    assert clipped.count("||") % 2 == 0
    assert "|||" not in clipped


def test_a_notice_about_a_person_or_song_names_no_episode() -> None:
    assert hidden_notice([]) is None and hidden_notice([], name_episodes=False) is None
    assert "episodes 2, 4" in (hidden_notice([4, 2, 2]) or "")
    vague = hidden_notice([4, 2], name_episodes=False) or ""
    assert "hidden" in vague and "/progress" in vague
    assert not any(ch.isdigit() for ch in vague)
