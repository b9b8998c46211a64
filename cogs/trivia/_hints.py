"""Hints for typed questions, built from the answer the store holds: pure functions.

A hint describes the question's own answer (what kind of thing it is, how many words,
the first letters), which is within the game's spoiler cap because the question is; the
one other kind of hint, a related fact from the store, is taken only from facts within
the cap (the caller filters by level before it picks), with the answer's names masked.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.i18n import ENGLISH, N_, Where, t

MAX_HINTS = 3
MASK = "▢▢▢"
# The kinds FactStore.kind_of names, marked here for the catalogs.
KINDS = (
    N_("a character's name"),
    N_("a song title"),
    N_("an actor's name"),
    N_("a singer's or group's name"),
    N_("a person's name"),
)


def hints(
    answer: str, kind: str | None, related: str | None = None, where: Where = ENGLISH
) -> list[str]:
    """The hints for one answer, mildest first; `kind` says what it is ("an actor's name"),
    `related` is a true fact about it within the spoiler cap, already masked (and quoted
    from the documents as written)."""
    words = answer.split()
    if answer.strip().isdigit():
        digits = len(answer.strip())
        return [
            t(where, "It's a number."),
            t(where, "It has 1 digit.")
            if digits == 1
            else t(where, "It has {n} digits.", n=digits),
        ]
    letters = " + ".join(str(sum(c.isalnum() for c in w)) for w in words)
    count = t(where, "1 word") if len(words) == 1 else t(where, "{n} words", n=len(words))
    first = (
        t(
            where,
            "It's {kind}: {count} ({letters} letters).",
            kind=t(where, kind),
            count=count,
            letters=letters,
        )
        if kind
        else t(where, "The answer has {count} ({letters} letters).", count=count, letters=letters)
    )
    middle = [t(where, "A related fact: {fact}", fact=related)] if related else []
    return [first, *middle, t(where, "It looks like `{masked}`.", masked=masked(answer))]


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


def hint_text(all_hints: Sequence[str], used: int, where: Where = ENGLISH) -> str:
    """What a player sees after taking `used` hints (1-based): every hint so far."""
    return "\n".join(
        t(where, "Hint {n}: {hint}", n=n, hint=text) for n, text in enumerate(all_hints[:used], 1)
    )
