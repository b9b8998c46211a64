"""Spoiler formatting: pure functions, testable without Discord.

A piece of story content has a level: the episode a viewer must have seen for it to be no
spoiler (0 = premise). How a reply shows a piece depends on where it goes:

- a personal (ephemeral) reply shows what is within the viewer's progress plainly;
- a shared reply wraps every piece above 0 in Discord spoiler tags labelled with the
  episode, since others in the channel may not have watched that far;
- in both, a piece above the viewer's own progress is left out, and the reply says that
  something about episode N is hidden.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum

from bot.i18n import ENGLISH, Where, t

SPOILER = "||"
# A bar followed by another: defuse() puts a zero-width space between them, so user text
# can show "||" but never open or close a spoiler tag of its own.
_BARS = re.compile(r"\|(?=\|)")


class Audience(Enum):
    PERSONAL = "personal"  # ephemeral: only the viewer sees it
    SHARED = "shared"  # a channel message others read too


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who a reply is for: how far they have watched, and who else will read it."""

    progress: int
    audience: Audience


@dataclass(frozen=True, slots=True)
class Piece:
    text: str
    level: int


@dataclass(frozen=True, slots=True)
class Gated:
    shown: list[str]
    hidden_levels: list[int]  # the levels of what was left out

    @property
    def notice(self) -> str | None:
        return hidden_notice(self.hidden_levels)


def defuse(text: str) -> str:
    """User or document text that cannot open or close a spoiler tag, even next to one."""
    text = _BARS.sub("|\u200b", text)
    if text.startswith("|"):
        text = "\u200b" + text
    if text.endswith("|"):
        text += "\u200b"
    return text


def episode_label(level: int) -> str:
    return f"Ep {level}"


def spoiler_tag(text: str, level: int) -> str:
    """text hidden behind a spoiler tag labelled with its episode."""
    inner = defuse(text) or "\u200b"  # "||||" would not be a tag at all
    return f"{episode_label(level)} spoiler: {SPOILER}{inner}{SPOILER}"


def show_piece(text: str, level: int, audience: Audience) -> str:
    if audience is Audience.SHARED and level > 0:
        return spoiler_tag(text, level)
    return defuse(text)


def hidden_notice(
    levels: Iterable[int], where: Where = ENGLISH, name_episodes: bool = True
) -> str | None:
    """What a reply says it left out. Naming the episodes suits a reply about an episode;
    about a person or a song it would tell when something happens to them (a spoiler
    hint), so name_episodes=False says only that something is beyond the viewer."""
    levels = sorted(set(levels))
    if not levels:
        return None
    if not name_episodes:
        return t(
            where,
            "Some details are hidden because they are beyond how far you've watched. "
            "Use /progress to change that.",
        )
    if len(levels) == 1:
        return t(
            where,
            "Some details are hidden because they come from episode {episodes}, beyond how far "
            "you've watched. Use /progress to change that.",
            episodes=levels[0],
        )
    return t(
        where,
        "Some details are hidden because they come from episodes {episodes}, beyond how far "
        "you've watched. Use /progress to change that.",
        episodes=", ".join(str(n) for n in levels),
    )


def gate(pieces: Sequence[Piece], progress: int, audience: Audience) -> Gated:
    shown, hidden = [], []
    for piece in pieces:
        if piece.level > progress:
            hidden.append(piece.level)
        else:
            shown.append(show_piece(piece.text, piece.level, audience))
    return Gated(shown, hidden)


def clip_balanced(text: str, limit: int) -> str:
    """text cut to limit characters without leaving a spoiler tag open.

    When the cut falls inside ||...||, the tag is closed after the ellipsis, so nothing
    meant to be hidden shows, and the rest of the message is not swallowed.
    """
    if len(text) <= limit:
        return text
    cut = text[: max(0, limit - 3)].rstrip()
    # An unclosed "|" at the very end would join the closing bars into "|||".
    cut = cut.rstrip("|")
    if cut.count(SPOILER) % 2 == 1:
        return cut + "…" + SPOILER
    return cut + "…"
