"""Hints for typed questions, built from the answer the store holds: pure functions.

A hint describes the question's own answer (what kind of thing it is, how many words,
the first letters), which is within the game's spoiler cap because the question is; the
one other kind of hint, a related fact from the store, is taken only from facts within
the cap (the caller filters by level before it picks), with the answer's names masked.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

MAX_HINTS = 3
MASK = "▢▢▢"


def hints(answer: str, kind: str | None, related: str | None = None) -> list[str]:
    """The hints for one answer, mildest first; `kind` says what it is ("an actor's name"),
    `related` is a true fact about it within the spoiler cap, already masked."""
    words = answer.split()
    if answer.strip().isdigit():
        return [
            "It's a number.",
            f"It has {len(answer.strip())} digit{'s' if len(answer.strip()) > 1 else ''}.",
        ]
    letters = " + ".join(str(sum(c.isalnum() for c in w)) for w in words)
    count = f"{len(words)} word{'s' if len(words) != 1 else ''}"
    first = (
        f"It's {kind}: {count} ({letters} letters)."
        if kind
        else f"The answer has {count} ({letters} letters)."
    )
    middle = [f"A related fact: {related}"] if related else []
    return [first, *middle, f"It looks like `{masked(answer)}`."]


def mask_names(text: str, names: Sequence[str]) -> str:
    """`text` with every spelling in `names` (any case, spaces or hyphens between its
    parts) replaced by a mask, longest spelling first."""
    for name in sorted(names, key=len, reverse=True):
        parts = [re.escape(p) for p in re.split(r"[\s\-]+", name.strip()) if p]
        if parts:
            pattern = r"\b" + r"[\s\-]*".join(parts) + r"\b"
            text = re.sub(pattern, MASK, text, flags=re.IGNORECASE)
    return text


def masked(answer: str) -> str:
    """First letter of each word kept, other letters and digits hidden: "P••• H•••-s••"."""
    out: list[str] = []
    start = True
    for char in answer:
        if char.isalnum():
            out.append(char if start else "•")
            start = False
        else:
            out.append(char)
            start = True
    return "".join(out)


def hint_text(all_hints: Sequence[str], used: int) -> str:
    """What a player sees after taking `used` hints (1-based): every hint so far."""
    return "\n".join(f"Hint {n}: {text}" for n, text in enumerate(all_hints[:used], 1))
