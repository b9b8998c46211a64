"""What the answer layer returns: plain records, rendered by bot.cards.answer_card."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.store.records import NameMatch, PassageHit, SourceRef


@dataclass(frozen=True, slots=True)
class Answer:
    """A one-line answer from the structured store, with the sentences that support it."""

    text: str  # Discord-ready: store text escaped, names in bold
    level: int  # the highest spoiler level of what it uses
    sources: tuple[SourceRef, ...]
    notes: tuple[str, ...] = ()  # where the documents disagree
    terms: tuple[str, ...] = ()  # names and phrases that find the passages supporting it
    about: tuple[NameMatch, ...] = ()  # the entities it is about (for follow-ups)

    def citation(self, progress: int) -> SourceRef | None:
        """The supporting sentence to quote: casting is no spoiler, but the sentence that
        states it may tell more, so only a sentence within progress is quoted."""
        return next((s for s in self.sources if s.spoiler_level <= progress), None)


@dataclass(frozen=True, slots=True)
class Reply:
    question: str
    answer: Answer | None
    withheld: bool  # the store can answer, but only beyond the viewer's progress
    passages: tuple[PassageHit, ...]
    beyond: int  # matching sentences beyond the viewer's progress (never which)
    entities: tuple[NameMatch, ...]  # what the question was about, for a follow-up


def joined(parts: Sequence[Answer]) -> Answer:
    """Several answers as one line, in order ("who plays Mari and Gyeol Han")."""
    return Answer(
        " ".join(a.text for a in parts),
        max(a.level for a in parts),
        tuple(dict.fromkeys(s for a in parts for s in a.sources)),
        tuple(n for a in parts for n in a.notes),
        tuple(dict.fromkeys(t for a in parts for t in a.terms)),
        tuple(dict.fromkeys(e for a in parts for e in a.about)),
    )
