"""Read API of the fact store: one long-lived read-only aiosqlite connection.

The store never changes while the bot runs, and everything but the full-text index is
small, so it is read into memory once at open: lookups and autocomplete never wait on
SQLite. Full-text search runs in SQLite (FTS5, BM25).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, Self

import aiosqlite
from rapidfuzz import fuzz, process

from bot.facts.names import name_key
from bot.store.records import (
    HIGHLIGHT_END,
    HIGHLIGHT_START,
    Character,
    ConflictClaim,
    DocumentInfo,
    Episode,
    Fact,
    NameMatch,
    PassageHit,
    Person,
    Question,
    ShowInfo,
    Song,
    SongCredit,
    SourceRef,
)

MAX_LEVEL = 4
_WORD = re.compile(r"\w+", re.UNICODE)
# Longest query we pass to FTS5: enough for any real question, bounded for hostile input.
MAX_QUERY_TERMS = 24
MAX_TERM_LENGTH = 64
# Words too common to help a search; BM25 would rank them low anyway, but dropping them
# keeps "who is the director" from matching every passage with "the".
_STOPWORDS = frozenset(
    (
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "did",
        "do",
        "does",
        "for",
        "from",
        "had",
        "has",
        "have",
        "he",
        "her",
        "his",
        "how",
        "i",
        "if",
        "in",
        "is",
        "it",
        "its",
        "me",
        "my",
        "of",
        "on",
        "or",
        "she",
        "so",
        "that",
        "the",
        "their",
        "them",
        "they",
        "this",
        "to",
        "was",
        "were",
        "what",
        "when",
        "where",
        "which",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "you",
        "your",
    )
)


def fts_query(text: str) -> str:
    """Quote user text for FTS5 MATCH: each word a string literal, joined by OR.

    FTS5 syntax in the text (quotes, NEAR, *, -, ^, parentheses, column filters,
    AND/OR/NOT) becomes plain words, so it can neither raise nor change the query.
    Returns "" when the text has no searchable words.
    """
    words = [w[:MAX_TERM_LENGTH] for w in _WORD.findall(text.casefold())]
    useful = [w for w in words if w not in _STOPWORDS] or words
    unique = list(dict.fromkeys(useful))[:MAX_QUERY_TERMS]
    return " OR ".join(f'"{w}"' for w in unique)


_SOURCE_COLUMNS = """
    d.id, d.filename, d.title, d.kind, d.outlet, d.author, d.editor, d.published,
    s.text, s.spoiler_level
"""
_SOURCE_JOIN = (
    "JOIN sentences s ON s.id = {table}.sentence_id JOIN documents d ON d.id = s.document_id"
)


def _document(row: Sequence[Any], offset: int = 0) -> DocumentInfo:
    return DocumentInfo(*row[offset : offset + 8])


def _source(row: Sequence[Any], offset: int, quote: str) -> SourceRef:
    return SourceRef(_document(row, offset), row[offset + 8], quote, row[offset + 9])


class FactStore:
    def __init__(self, db: aiosqlite.Connection, path: Path) -> None:
        self._db = db
        self.path = path
        self._aliases: list[tuple[str, str, str, str]] = []  # key, alias, type, id
        self._alias_keys: list[str] = []
        self._names: dict[tuple[str, str], str] = {}
        self._people: dict[str, Person] = {}
        self._characters: dict[str, Character] = {}  # in billing order
        self._facts: list[Fact] = []
        self._facts_by_subject: dict[tuple[str, str], list[Fact]] = {}
        self._songs: list[Song] = []
        self._show: ShowInfo | None = None
        self._episodes: list[Episode] = []
        self._questions: list[Question] = []
        self._documents: list[DocumentInfo] = []
        self._conflicts: list[ConflictClaim] = []
        self._counts: dict[str, int] = {}

    @classmethod
    async def open(cls, path: Path) -> Self:
        db = await aiosqlite.connect(f"file:{path}?mode=ro", uri=True)
        store = cls(db, path)
        try:
            await store._load()
        except Exception:
            await db.close()
            raise
        return store

    async def close(self) -> None:
        await self._db.close()

    async def _rows(self, sql: str, params: Iterable[Any] = ()) -> list[aiosqlite.Row]:
        async with self._db.execute(sql, tuple(params)) as cursor:
            return list(await cursor.fetchall())

    # -- loading --------------------------------------------------------------------------
    async def _load(self) -> None:
        self._aliases = [
            (r[0], r[1], r[2], r[3])
            for r in await self._rows("SELECT key, alias, entity_type, entity_id FROM aliases")
        ]
        self._alias_keys = [a[0] for a in self._aliases]
        for r in await self._rows("SELECT id, name, kind FROM people ORDER BY name"):
            self._people[r[0]] = Person(r[0], r[1], r[2])
        for r in await self._rows("SELECT id, name, actor_id FROM characters ORDER BY billing"):
            self._characters[r[0]] = Character(r[0], r[1], self._people.get(r[2]) if r[2] else None)
        for entity_type, table in (("person", self._people), ("character", self._characters)):
            for entity_id, entity in table.items():
                self._names[(entity_type, entity_id)] = entity.name
        await self._load_facts()
        await self._load_songs()
        await self._load_show()
        self._episodes = [
            Episode(r[0], datetime.fromisoformat(r[1]), bool(r[2]), r[3])
            for r in await self._rows(
                "SELECT number, air_time, derived, basis FROM episodes ORDER BY number"
            )
        ]
        self._questions = [
            Question(r[0], r[1], r[2], r[3], r[4], (r[5], r[6], r[7]), r[8], _source(r, 10, r[9]))
            for r in await self._rows(
                "SELECT q.id, q.category, q.difficulty, q.question, q.answer, q.wrong1, q.wrong2,"
                f" q.wrong3, q.spoiler_level, q.quote, {_SOURCE_COLUMNS}"
                f" FROM questions q {_SOURCE_JOIN.format(table='q')} ORDER BY q.id"
            )
        ]
        self._documents = [
            DocumentInfo(*r)
            for r in await self._rows(
                "SELECT d.id, d.filename, d.title, d.kind, d.outlet, d.author, d.editor,"
                " d.published, (SELECT count(*) FROM facts f JOIN sentences s"
                " ON s.id = f.sentence_id WHERE s.document_id = d.id)"
                " FROM documents d ORDER BY d.filename"
            )
        ]
        self._conflicts = [
            ConflictClaim(r[0], r[1], bool(r[2]), r[3], _source(r, 5, r[4]))
            for r in await self._rows(
                f"SELECT c.topic, c.value, c.chosen, c.why, c.quote, {_SOURCE_COLUMNS}"
                f" FROM conflicts c {_SOURCE_JOIN.format(table='c')} ORDER BY c.id"
            )
        ]
        counts = await self._rows("SELECT value FROM meta WHERE key = 'counts'")
        self._counts = json.loads(counts[0][0]) if counts else {}

    async def _load_facts(self) -> None:
        rows = await self._rows(
            "SELECT f.id, f.category, f.subject_type, f.subject_id, f.predicate, f.object,"
            f" f.detail, f.spoiler_level, f.spoiler_reason, f.quote, {_SOURCE_COLUMNS}"
            f" FROM facts f {_SOURCE_JOIN.format(table='f')} ORDER BY f.spoiler_level, f.id"
        )
        for r in rows:
            fact = Fact(
                r[0],
                r[1],
                r[2],
                r[3],
                r[4],
                r[5],
                json.loads(r[6]),
                r[7],
                r[8],
                _source(r, 10, r[9]),
            )
            self._facts.append(fact)
            self._facts_by_subject.setdefault((fact.subject_type, fact.subject_id), []).append(fact)

    async def _load_songs(self) -> None:
        rows = await self._rows(
            "SELECT s.id, s.title, s.release_order, c.person_id, c.credit"
            " FROM songs s LEFT JOIN song_credits c ON c.song_id = s.id"
            " ORDER BY s.release_order IS NULL, s.release_order, s.title, c.credit DESC"
        )
        songs: dict[str, Song] = {}
        for song_id, title, order, person_id, credit in rows:
            song = songs.get(song_id) or Song(song_id, title, order)
            person = self._people.get(person_id) if person_id else None
            if person is not None:
                song = Song(
                    song.id,
                    song.title,
                    song.release_order,
                    (*song.credits, SongCredit(person, credit)),
                )
            songs[song_id] = song
            self._names[("song", song_id)] = title
        self._songs = list(songs.values())

    async def _load_show(self) -> None:
        values: dict[str, str] = {
            key: value for key, value in await self._rows("SELECT key, value FROM show")
        }

        def number(key: str) -> int | None:
            return int(values[key]) if values.get(key, "").isdigit() else None

        premiere = values.get("premiere")
        self._show = ShowInfo(
            title=values.get("title", "Soundtrack #1"),
            platform=values.get("platform"),
            premiere=date.fromisoformat(premiere) if premiere else None,
            episode_count=number("episode_count"),
            slot_day=values.get("slot_day"),
            slot_time=values.get("slot_time"),
            slot_zone=values.get("slot_zone"),
            director=values.get("director"),
            writer=values.get("writer"),
            genres=tuple(g for g in values.get("genre", "").split(", ") if g),
        )

    # -- names ------------------------------------------------------------------------
    def find_names(
        self,
        query: str,
        types: Iterable[str] = ("person", "character"),
        limit: int = 25,
        min_score: float = 60.0,
    ) -> list[NameMatch]:
        """Ranked candidates for a typed name: exact alias, prefix, then fuzzy matches."""
        key = name_key(query)[:MAX_TERM_LENGTH]
        if not key:
            return []
        wanted = set(types)
        best: dict[tuple[str, str], tuple[float, str]] = {}
        scored = process.extract(
            key, self._alias_keys, scorer=fuzz.WRatio, limit=None, score_cutoff=min_score
        )
        for _, fuzzy, index in scored:
            alias_key, alias, entity_type, entity_id = self._aliases[index]
            if entity_type not in wanted:
                continue
            if alias_key == key:
                score = 100.0
            elif alias_key.startswith(key):
                score = max(90.0, min(99.0, fuzzy))
            else:
                score = min(fuzzy, 89.0)
            entity = (entity_type, entity_id)
            if entity not in best or score > best[entity][0]:
                best[entity] = (score, alias)
        ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], self._names.get(kv[0], "")))
        return [
            NameMatch(t, i, self._names.get((t, i), alias), alias, round(score, 1))
            for (t, i), (score, alias) in ranked[:limit]
        ]

    def name_of(self, entity_type: str, entity_id: str) -> str | None:
        return self._names.get((entity_type, entity_id))

    # -- people and characters --------------------------------------------------------
    async def person(self, person_id: str) -> Person | None:
        return self._people.get(person_id)

    async def people(self, kind: str | None = None) -> list[Person]:
        return [p for p in self._people.values() if kind is None or p.kind == kind]

    async def cast(self) -> list[Character]:
        """Every character with an actor, in billing order (leads first)."""
        return [c for c in self._characters.values() if c.actor is not None]

    async def character(self, character_id: str) -> Character | None:
        return self._characters.get(character_id)

    async def role_of(self, person_id: str) -> Character | None:
        return next(
            (c for c in self._characters.values() if c.actor and c.actor.id == person_id), None
        )

    # -- facts ------------------------------------------------------------------------
    async def facts(
        self,
        subject_type: str | None = None,
        subject_id: str | None = None,
        predicate: str | None = None,
        category: str | None = None,
        max_level: int = MAX_LEVEL,
    ) -> list[Fact]:
        """Facts matching every given filter, least spoilery first."""
        if subject_type is not None and subject_id is not None:
            pool = self._facts_by_subject.get((subject_type, subject_id), [])
        else:
            pool = self._facts
        return [
            f
            for f in pool
            if (subject_type is None or f.subject_type == subject_type)
            and (predicate is None or f.predicate == predicate)
            and (category is None or f.category == category)
            and f.spoiler_level <= max_level
        ]

    # -- songs ------------------------------------------------------------------------
    async def songs(self) -> list[Song]:
        """The tracklist: known release order first, then by title."""
        return list(self._songs)

    async def song(self, song_id: str) -> Song | None:
        return next((s for s in self._songs if s.id == song_id), None)

    def find_songs(self, query: str, limit: int = 25) -> list[NameMatch]:
        return self.find_names(query, types=("song",), limit=limit, min_score=50.0)

    def songs_by(self, query: str, min_score: float) -> tuple[str, list[Song]]:
        """The person a typed name best matches and the songs credited to them (as singer
        or writer); ("", []) when no one matches well enough."""
        people = self.find_names(query, types=("person",), limit=1, min_score=min_score)
        if not people:
            return "", []
        person = people[0]
        songs = [s for s in self._songs if any(c.person.id == person.entity_id for c in s.credits)]
        return person.name, songs

    # -- the show and its episodes ----------------------------------------------------
    async def show(self) -> ShowInfo:
        assert self._show is not None  # loaded at open
        return self._show

    async def episodes(self) -> list[Episode]:
        return list(self._episodes)

    # -- search -----------------------------------------------------------------------
    async def search(self, text: str, limit: int = 3) -> list[PassageHit]:
        """Best passages for free text, BM25-ranked, with a highlighted snippet.

        Spoiler levels come back with every hit: the caller decides what to show.
        """
        query = fts_query(text)
        if not query:
            return []
        rows = await self._rows(
            "SELECT p.id, d.id, d.filename, d.title, d.kind, d.outlet, d.author, d.editor,"
            " d.published, p.text,"
            " snippet(passages_fts, 0, ?, ?, '…', 24), p.spoiler_level, bm25(passages_fts)"
            " FROM passages_fts JOIN passages p ON p.id = passages_fts.rowid"
            " JOIN documents d ON d.id = p.document_id"
            " WHERE passages_fts MATCH ? ORDER BY rank LIMIT ?",
            (HIGHLIGHT_START, HIGHLIGHT_END, query, limit),
        )
        return [PassageHit(r[0], _document(r, 1), r[9], r[10], r[11], r[12]) for r in rows]

    # -- trivia -----------------------------------------------------------------------
    async def questions(
        self,
        max_level: int = MAX_LEVEL,
        category: str | None = None,
        difficulty: str | None = None,
    ) -> list[Question]:
        return [
            q
            for q in self._questions
            if q.spoiler_level <= max_level
            and (category is None or q.category == category)
            and (difficulty is None or q.difficulty == difficulty)
        ]

    async def question(self, question_id: str) -> Question | None:
        return next((q for q in self._questions if q.id == question_id), None)

    # -- provenance -------------------------------------------------------------------
    async def documents(self) -> list[DocumentInfo]:
        """The source documents with how many stored facts each supports."""
        return list(self._documents)

    async def conflicts(self) -> list[ConflictClaim]:
        return list(self._conflicts)

    async def counts(self) -> dict[str, int]:
        return dict(self._counts)
