"""Hints for typed questions, built from the answer the store holds: pure functions.

A hint only describes the question's own answer (what kind of thing it is, how many
words, the first letters), and a question is only asked within the game's spoiler cap, so
no hint can reveal more than the question itself may.
"""

from __future__ import annotations

from collections.abc import Sequence

MAX_HINTS = 2


def hints(answer: str, kind: str | None) -> list[str]:
    """The hints for one answer, mildest first; `kind` says what it is ("an actor's name")."""
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
    return [first, f"It looks like `{masked(answer)}`."]


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
