"""What the closed /trivia start announcement says (pure)."""

from __future__ import annotations

from bot.store.trivia import ENDED_STATUSES
from cogs.trivia._announcement import ENDINGS, closing_text


def test_every_end_status_is_said_in_words() -> None:
    assert set(ENDINGS) == set(ENDED_STATUSES)
    assert closing_text("finished", scoreboard_posted=True) == (
        "This trivia game has ended (every question was asked); the final scores are below."
    )


def test_a_missing_scoreboard_is_explained_and_points_are_promised() -> None:
    text = closing_text("failed", scoreboard_posted=False)
    assert text.startswith("This trivia game has ended (something went wrong), but I couldn't")
    assert "Points so far are kept" in text and "/trivia leaderboard" in text
    assert "@" not in text and len(text) <= 2000
