"""What the build produces: plain records, written to SQLite by bot.store.writer."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from bot.facts.documents import Document


@dataclass(frozen=True, slots=True)
class Source:
    """Where a claim comes from: a document, the sentence that holds it, the exact quote."""

    document_id: str
    sentence: int  # position of the sentence within its document
    quote: str


@dataclass(frozen=True, slots=True)
class SentenceLevel:
    level: int
    reason: str
    # "default": the document's spoiler_default, no one rated it; "curated": a rating in
    # curated.toml; "fact": a fact's own rule (casting, a curated fact's level).
    origin: str = "curated"


@dataclass(frozen=True, slots=True)
class DefaultRated:
    """A sentence whose level came from its document's default, not from a rating."""

    document_id: str
    sentence: int
    level: int
    text: str


@dataclass(slots=True)
class SentenceLevels:
    """Every sentence's spoiler level: its document's default unless a curated rule rates
    it. Only the rated sentences are held, so the map stays small as the corpus grows."""

    defaults: dict[str, int] = field(default_factory=dict)  # document id -> level
    rated: dict[tuple[str, int], SentenceLevel] = field(default_factory=dict)

    def __getitem__(self, key: tuple[str, int]) -> SentenceLevel:
        rated = self.rated.get(key)
        if rated is not None:
            return rated
        document_id = key[0]
        return SentenceLevel(
            self.defaults[document_id],
            f"{document_id}: not rated in curated.toml; the document's default",
            "default",
        )


@dataclass(slots=True)
class FactRow:
    category: str
    subject_type: str  # show | story | person | character | song | episode
    subject_id: str
    predicate: str
    object: str
    level: int
    reason: str
    source: Source
    origin: str  # extracted | curated | derived
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Person:
    id: str
    name: str
    kind: str
    source: Source


@dataclass(slots=True)
class Character:
    id: str
    name: str
    source: Source
    actor_id: str | None = None


@dataclass(frozen=True, slots=True)
class Alias:
    alias: str
    key: str
    entity_type: str  # person | character | song
    entity_id: str
    source: Source
    origin: str


@dataclass(slots=True)
class Song:
    id: str
    title: str
    source: Source
    release_order: int | None = None


@dataclass(frozen=True, slots=True)
class SongCredit:
    song_id: str
    person_id: str
    credit: str  # singer | writer
    source: Source


@dataclass(frozen=True, slots=True)
class Episode:
    number: int
    air_time: str  # ISO 8601, UTC
    derived: bool
    basis: str


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    category: str
    difficulty: str
    question: str
    answer: str
    wrong: tuple[str, str, str]
    level: int
    reason: str
    source: Source
    origin: str  # template | curated


@dataclass(frozen=True, slots=True)
class ConflictClaim:
    topic: str
    value: str
    chosen: bool
    why: str
    source: Source


@dataclass(frozen=True, slots=True)
class CorpusCounts:
    documents: int
    passages: int
    sentences: int


@dataclass(slots=True)
class FactSet:
    # Re-read on every pass (bot.facts.documents.Corpus), never held as a list.
    documents: Iterable[Document]
    corpus: CorpusCounts
    sentence_levels: SentenceLevels
    facts: list[FactRow] = field(default_factory=list)
    people: dict[str, Person] = field(default_factory=dict)
    characters: dict[str, Character] = field(default_factory=dict)
    aliases: list[Alias] = field(default_factory=list)
    songs: dict[str, Song] = field(default_factory=dict)
    credits: list[SongCredit] = field(default_factory=list)
    episodes: list[Episode] = field(default_factory=list)
    show: dict[str, str] = field(default_factory=dict)
    questions: list[Question] = field(default_factory=list)
    conflicts: list[ConflictClaim] = field(default_factory=list)

    def default_rated(self) -> list[DefaultRated]:
        """Every sentence no rule rated: the build's rating report."""
        return [
            DefaultRated(d.id, s.position, level.level, s.text)
            for d in self.documents
            for s in d.sentences
            if (level := self.sentence_levels[(d.id, s.position)]).origin == "default"
        ]

    def counts(self) -> dict[str, int]:
        return {
            "documents": self.corpus.documents,
            "passages": self.corpus.passages,
            "sentences": self.corpus.sentences,
            "people": len(self.people),
            "cast": sum(1 for p in self.people.values() if p.kind == "cast"),
            "characters": len(self.characters),
            "aliases": len(self.aliases),
            "songs": len(self.songs),
            "episodes": len(self.episodes),
            "facts": len(self.facts),
            "questions": len(self.questions),
            "conflicts": len({c.topic for c in self.conflicts}),
        }
