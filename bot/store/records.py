"""Typed records the stores return. Cogs read these; they never see rows or SQL."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

# snippet() wraps matched words in these private-use characters, so that callers can
# escape the text for Discord first and turn the markers into bold afterwards.
HIGHLIGHT_START = "\ue000"
HIGHLIGHT_END = "\ue001"


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    id: str
    filename: str
    title: str
    kind: str | None
    outlet: str | None
    author: str | None
    editor: str | None
    published: str | None
    fact_count: int = 0

    @property
    def citation(self) -> str:
        """How answers cite it: "Title (Outlet)", or the title alone if the outlet is unknown."""
        return f"{self.title} ({self.outlet})" if self.outlet else self.title


@dataclass(frozen=True, slots=True)
class SourceRef:
    document: DocumentInfo
    sentence: str  # the whole sentence that supports the claim, verbatim
    quote: str  # the exact words quoted (part of the sentence, or the sentence)
    spoiler_level: int  # of the sentence itself


@dataclass(frozen=True, slots=True)
class NameMatch:
    entity_type: str  # person | character | song
    entity_id: str
    name: str  # the store's spelling
    matched: str  # the alias that matched best
    score: float  # 0-100


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    name: str
    kind: str  # cast | crew | artist | mentioned | author

    @property
    def is_cast(self) -> bool:
        return self.kind == "cast"


@dataclass(frozen=True, slots=True)
class Character:
    id: str
    name: str
    actor: Person | None


@dataclass(frozen=True, slots=True)
class Fact:
    id: int
    category: str
    subject_type: str
    subject_id: str
    predicate: str
    object: str
    detail: dict[str, Any]
    spoiler_level: int
    spoiler_reason: str
    source: SourceRef
    #: The same claim (subject, predicate, object and detail) in other sentences, as
    #: (that fact's spoiler level, its source), least spoilery first: one fact a claim,
    #: however many documents repeat it.
    also: tuple[tuple[int, SourceRef], ...] = ()
    #: The documents citing the claim from each spoiler level on: (level, every document
    #: id of a source at that level or below), levels ascending. Lets a card count its
    #: sources by set union however many documents repeat a claim.
    cited: tuple[tuple[int, frozenset[str]], ...] = ()

    def documents_within(self, progress: int) -> frozenset[str]:
        """The ids of the documents a viewer at `progress` may see cited for the claim."""
        found: frozenset[str] = frozenset()
        for level, documents in self.cited:
            if level > progress:
                break
            found = documents
        return found

    def sources_within(self, progress: int) -> Iterator[SourceRef]:
        """Every source of the claim that a viewer at `progress` may see cited."""
        if self.spoiler_level <= progress:
            yield self.source
            for level, source in self.also:
                if level > progress:
                    return
                yield source


@dataclass(frozen=True, slots=True)
class SongCredit:
    person: Person
    credit: str  # singer | writer


@dataclass(frozen=True, slots=True)
class Song:
    id: str
    title: str
    release_order: int | None
    credits: tuple[SongCredit, ...] = ()

    def names(self, credit: str) -> list[str]:
        return [c.person.name for c in self.credits if c.credit == credit]


@dataclass(frozen=True, slots=True)
class ShowInfo:
    title: str
    platform: str | None
    premiere: date | None
    episode_count: int | None
    slot_day: str | None
    slot_time: str | None
    slot_zone: str | None
    director: str | None
    writer: str | None
    genres: tuple[str, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class Episode:
    number: int
    air_time: datetime
    derived: bool
    basis: str


@dataclass(frozen=True, slots=True)
class PassageHit:
    passage_id: int
    document: DocumentInfo
    text: str
    snippet: str  # with HIGHLIGHT_START/END around matches
    spoiler_level: int
    rank: float  # BM25; lower is better


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    category: str
    difficulty: str
    question: str
    answer: str
    wrong: tuple[str, str, str]
    spoiler_level: int
    source: SourceRef | None  # None: written by a server's moderators, not from a document
    aliases: tuple[str, ...] = ()  # other spellings of the answer a typed answer may use

    @property
    def custom(self) -> bool:
        return self.source is None


@dataclass(frozen=True, slots=True)
class ConflictClaim:
    topic: str
    value: str
    chosen: bool
    why: str
    source: SourceRef
