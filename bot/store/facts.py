"""Read API of the fact store: one long-lived read-only connection on its own thread.

The store never changes while the bot runs, and everything but the full-text index is
small, so it is read into memory once at open: lookups and autocomplete never wait on
SQLite. Full-text search runs in SQLite (FTS5, BM25).
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import re
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from itertools import chain
from pathlib import Path
from typing import Any, Self

from bot.facts.names import NameForm, form_score, name_form, name_key
from bot.store.lru import LRU
from bot.store.passage_search import PassageSearch
from bot.store.reader import ReadOnlyDatabase
from bot.store.records import (
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

_WORD = re.compile(r"\w+", re.UNICODE)
# Longest query we pass to FTS5: enough for any real question, bounded for hostile input.
MAX_QUERY_TERMS = 24
MAX_TERM_LENGTH = 64
# Words that say nothing about what a question asks or a passage says (articles,
# auxiliaries, prepositions, pronouns, question words): the one list that searches here
# and the answer layer's reading of questions (bot/answers/_linking.py) both start from.
FUNCTION_WORDS = frozenset(
    (
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "did",
        "do",
        "does",
        "for",
        "from",
        "had",
        "has",
        "have",
        "how",
        "i",
        "in",
        "is",
        "it",
        "its",
        "me",
        "my",
        "of",
        "on",
        "or",
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
# Words too common to help a search; BM25 would rank them low anyway, but dropping them
# keeps "who is the director" from matching every passage with "the".
_STOPWORDS = FUNCTION_WORDS | frozenset(("but", "he", "her", "his", "if", "she"))
# Words that make a question a question: dropped from searches, since every passage
# "is" something and none answers "who".
QUESTION_WORDS = frozenset(
    (
        "about",
        "any",
        "anyone",
        "can",
        "could",
        "know",
        "many",
        "much",
        "please",
        "should",
        "someone",
        "tell",
        "think",
        "whats",
        "who's",
        "whos",
        "whose",
        "would",
        "s",
    )
)
# Ranked names kept per typed text: /ask links every few words of a question, and
# autocomplete asks again at every keystroke.
NAME_CACHE_SIZE = 4096


def search_terms(text: str) -> list[str]:
    """The words of text a search would look for: no stopwords, no question words."""
    words = [w[:MAX_TERM_LENGTH] for w in _WORD.findall(text.casefold())]
    return [w for w in words if w not in _STOPWORDS and w not in QUESTION_WORDS]


def fts_query(text: str, phrases: Iterable[str] = ()) -> str:
    """Quote user text for FTS5 MATCH: each word a string literal, joined by OR, and each
    of `phrases` (names, titles) a phrase of its words.

    FTS5 syntax in the text (quotes, NEAR, *, -, ^, parentheses, column filters,
    AND/OR/NOT) becomes plain words, so it can neither raise nor change the query.
    Returns "" when the text has no searchable words.
    """
    words = [w[:MAX_TERM_LENGTH] for w in _WORD.findall(text.casefold())]
    useful = [w for w in words if w not in _STOPWORDS and w not in QUESTION_WORDS] or words
    terms = [f'"{w}"' for w in dict.fromkeys(useful)]
    for phrase in phrases:
        parts = [w[:MAX_TERM_LENGTH] for w in _WORD.findall(phrase.casefold())][:8]
        if parts and (len(parts) > 1 or parts[0] not in _STOPWORDS):
            terms.append('"' + " ".join(parts) + '"')
    return " OR ".join(list(dict.fromkeys(terms))[:MAX_QUERY_TERMS])


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


def _fact_order(fact: Fact) -> tuple[int, int]:
    return fact.spoiler_level, fact.id  # as loaded: ORDER BY f.spoiler_level, f.id


def _cited_from(
    level: int, source: SourceRef, also: Sequence[tuple[int, SourceRef]]
) -> tuple[tuple[int, frozenset[str]], ...]:
    """Fact.cited: the documents of a claim's sources from each level on (also ascends)."""
    steps: list[tuple[int, frozenset[str]]] = []
    documents = {source.document.id}
    for next_level, other in also:
        if next_level != level:
            steps.append((level, frozenset(documents)))
            level = next_level
        documents.add(other.document.id)
    steps.append((level, frozenset(documents)))
    return tuple(steps)


def episode_count(path: Path) -> int:
    """How many episodes the built store at ``path`` has, read before the bot opens it (the
    playground and the benchmark shape their pretend server by it)."""
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        return int(db.execute("SELECT count(*) FROM episodes").fetchone()[0])


class FactStore:
    def __init__(self, db: ReadOnlyDatabase, path: Path) -> None:
        self._db = db
        self.path = path
        self._aliases: list[tuple[str, str, str, str]] = []  # key, alias, type, id
        self._alias_forms: list[NameForm] = []
        self._alias_keys: list[str] = []
        self._alias_key_set: frozenset[str] = frozenset()
        # Spelling key -> its aliases (alias, type, id), and entity -> its spellings, both
        # in alias order: lookups by exact spelling and by entity, without a scan.
        self._aliases_by_key: dict[str, list[tuple[str, str, str]]] = {}
        self._spellings: dict[tuple[str, str], list[str]] = {}
        # First letter of an alias's words -> its indexes, in alias order: a typed name
        # matches only aliases with a word starting as it does (form_score's first rule).
        self._aliases_by_start: dict[str, list[int]] = {}
        self._ranked_names: LRU[tuple[str, tuple[str, ...], int, float], tuple[NameMatch, ...]]
        self._ranked_names = LRU(NAME_CACHE_SIZE)
        self._names: dict[tuple[str, str], str] = {}
        self._people: dict[str, Person] = {}
        self._characters: dict[str, Character] = {}  # in billing order
        self._facts: list[Fact] = []
        self._facts_by_subject: dict[tuple[str, str], list[Fact]] = {}
        self._facts_by_predicate: dict[tuple[str, str, str], list[Fact]] = {}
        self._songs: list[Song] = []
        self._show: ShowInfo | None = None
        self._episodes: list[Episode] = []
        self._questions: list[Question] = []
        self._documents: list[DocumentInfo] = []
        self._document_by_id: dict[str, DocumentInfo] = {}  # as passages cite them
        self._conflicts: list[ConflictClaim] = []
        self._counts: dict[str, int] = {}
        self._person_sources: dict[str, SourceRef] = {}

    @classmethod
    async def open(cls, path: Path) -> Self:
        db = await ReadOnlyDatabase.open(path)
        store = cls(db, path)
        try:
            await store._load()
        except Exception:
            await db.close()
            raise
        return store

    async def close(self) -> None:
        await self._db.close()

    async def _rows(self, sql: str, params: Iterable[Any] = ()) -> list[Any]:
        # One trip to the database thread (execute and fetch together).
        return await self._db.rows(sql, params)

    # -- loading --------------------------------------------------------------------------
    async def _load(self) -> None:
        self._aliases = [
            (r[0], r[1], r[2], r[3])
            for r in await self._rows("SELECT key, alias, entity_type, entity_id FROM aliases")
        ]
        self._alias_forms = [name_form(a[1]) for a in self._aliases]
        self._alias_keys = [a[0] for a in self._aliases]
        self._alias_key_set = frozenset(self._alias_keys)
        for key, alias, entity_type, entity_id in self._aliases:
            self._aliases_by_key.setdefault(key, []).append((alias, entity_type, entity_id))
            self._spellings.setdefault((entity_type, entity_id), []).append(alias)
        for index, form in enumerate(self._alias_forms):
            for start in sorted(form.starts):
                self._aliases_by_start.setdefault(start, []).append(index)
        for r in await self._rows("SELECT id, name, kind FROM people ORDER BY name"):
            self._people[r[0]] = Person(r[0], r[1], r[2])
        for r in await self._rows(
            f"SELECT p.id, p.name, {_SOURCE_COLUMNS} FROM people p {_SOURCE_JOIN.format(table='p')}"
        ):
            self._person_sources[r[0]] = _source(r, 2, r[1])
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
        self._document_by_id = {d.id: dataclasses.replace(d, fact_count=0) for d in self._documents}
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
        # A claim several sentences make is one fact, the least spoilery one, citing the
        # others too: a card or answer lists it once, and a big corpus that repeats its
        # claims costs what a small one does.
        claims: dict[tuple[str, ...], tuple[Any, list[tuple[int, SourceRef]]]] = {}
        for r in rows:
            key = (r[1], r[2], r[3], r[4], r[5], r[6])
            if key in claims:
                claims[key][1].append((r[7], _source(r, 10, r[9])))
            else:
                claims[key] = (r, [])
        for r, also in claims.values():
            source = _source(r, 10, r[9])
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
                source,
                tuple(also),
                _cited_from(r[7], source, also),
            )
            self._facts.append(fact)
            subject = (fact.subject_type, fact.subject_id)
            self._facts_by_subject.setdefault(subject, []).append(fact)
            self._facts_by_predicate.setdefault((*subject, fact.predicate), []).append(fact)

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
        """Ranked candidates for a typed name, by spelling alone (bot.facts.names.name_score):
        an exact alias, a prefix, a typo, or some of an alias's words."""
        key = (query[:MAX_TERM_LENGTH], tuple(types), limit, min_score)
        ranked = self._ranked_names.get(key)
        if ranked is None:  # the store never changes: a ranking holds while it is open
            ranked = tuple(self._rank_names(*key))
            self._ranked_names.put(key, ranked)
        return list(ranked)

    def _rank_names(
        self, query: str, types: tuple[str, ...], limit: int, min_score: float
    ) -> list[NameMatch]:
        typed = name_form(query)
        if not typed.key:
            return []
        wanted = set(types)
        best: dict[tuple[str, str], tuple[float, str]] = {}
        for index in self._aliases_by_start.get(typed.key[0], ()):
            _, alias, entity_type, entity_id = self._aliases[index]
            if entity_type not in wanted:
                continue
            score = form_score(typed, self._alias_forms[index])
            if score is None or score < min_score:
                continue
            entity = (entity_type, entity_id)
            if entity not in best or score > best[entity][0]:
                best[entity] = (score, alias)
        ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], self._names.get(kv[0], "")))
        return [
            NameMatch(t, i, self._names.get((t, i), alias), alias, round(score, 1))
            for (t, i), (score, alias) in ranked[:limit]
        ]

    def exact_name(self, query: str, types: Iterable[str]) -> NameMatch | None:
        """The entity whose alias is exactly query (as find_names would score it 100), found
        without fuzzy matching; None when no alias is exactly it."""
        key = name_key(query)[:MAX_TERM_LENGTH]
        wanted = set(types)
        for alias, entity_type, entity_id in self._aliases_by_key.get(key, ()):
            if entity_type in wanted:
                name = self._names.get((entity_type, entity_id), alias)
                return NameMatch(entity_type, entity_id, name, alias, 100.0)
        return None

    def is_alias(self, text: str) -> bool:
        """Whether text is exactly one of the spellings (up to case, spaces, hyphens)."""
        return name_key(text)[:MAX_TERM_LENGTH] in self._alias_key_set

    def name_of(self, entity_type: str, entity_id: str) -> str | None:
        return self._names.get((entity_type, entity_id))

    def entity_named(self, text: str) -> tuple[str, str] | None:
        """(type, id) of the person, character or song spelled exactly `text` (any alias,
        case, spacing and hyphens ignored), or None."""
        first = self._aliases_by_key.get(name_key(text))
        return (first[0][1], first[0][2]) if first else None

    def aliases_of(self, entity_type: str, entity_id: str) -> list[str]:
        """Every spelling the documents use for one entity, its name first."""
        name = self._names.get((entity_type, entity_id))
        spelled = self._spellings.get((entity_type, entity_id), [])
        return list(dict.fromkeys([name, *spelled] if name else spelled))

    def names_of_type(self, entity_type: str) -> list[str]:
        """The store's spelling of every entity of one type (people, characters, songs)."""
        return [name for (t, _), name in self._names.items() if t == entity_type]

    def kind_of(self, entity_type: str, entity_id: str) -> str:
        """What an entity is, in words a trivia hint can use: "an actor's name", ..."""
        if entity_type == "character":
            return "a character's name"
        if entity_type == "song":
            return "a song title"
        person = self._people.get(entity_id)
        if person is not None and person.kind == "cast":
            return "an actor's name"
        if person is not None and person.kind == "artist":
            return "a singer's or group's name"
        return "a person's name"

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

    async def person_source(self, person_id: str) -> SourceRef | None:
        """The sentence that introduces a person, with its spoiler level."""
        return self._person_sources.get(person_id)

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
        max_level: int | None = None,
        predicates: Sequence[str] = (),
    ) -> list[Fact]:
        """Facts matching every given filter, least spoilery first; `predicates`: any of
        these (besides or instead of `predicate`)."""
        wanted = (predicate, *predicates) if predicate is not None else tuple(predicates)
        if subject_type is not None and subject_id is not None and wanted:
            pools = [
                self._facts_by_predicate.get((subject_type, subject_id, p), []) for p in wanted
            ]
            # Each pool is in store order (least spoilery first); so is their union.
            pool = pools[0] if len(pools) == 1 else sorted(chain(*pools), key=_fact_order)
            wanted = ()
        elif subject_type is not None and subject_id is not None:
            pool = self._facts_by_subject.get((subject_type, subject_id), [])
        else:
            pool = self._facts
        return [
            f
            for f in pool
            if (subject_type is None or f.subject_type == subject_type)
            and (not wanted or f.predicate in wanted)
            and (category is None or f.category == category)
            and (max_level is None or f.spoiler_level <= max_level)
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

    @property
    def episode_count(self) -> int:
        """How many episodes the show has; the highest progress and spoiler level there is."""
        return len(self._episodes)

    # -- search -----------------------------------------------------------------------
    async def search(
        self,
        text: str,
        limit: int = 3,
        max_level: int | None = None,
        boost: Iterable[str] = (),
    ) -> list[PassageHit]:
        """The best passages for free text that a viewer at max_level may see."""
        return (await self.search_counted(text, limit, max_level, boost))[0]

    async def search_counted(
        self,
        text: str,
        limit: int = 3,
        max_level: int | None = None,
        boost: Iterable[str] = (),
        phrases: Iterable[str] = (),
    ) -> tuple[list[PassageHit], int]:
        """The best passages for free text that a viewer at max_level may see, and how many
        of the best matches lie beyond max_level (a count only, never which).

        Distinct sentence texts are matched (BM25, porter-stemmed), filtered by spoiler
        level inside the query, so nothing beyond max_level is ranked or cut, and each is
        shown by its least spoilery occurrence; sentences that contain one of
        the name keys in `boost` rank higher. Each hit is one passage, shown by its best
        matching sentences, with a highlighted snippet. `phrases` (names, titles) are
        searched as phrases besides the words of text.
        """
        if max_level is None:  # no cap: every episode
            max_level = self.episode_count
        query = fts_query(text, phrases)
        if not query:
            return [], 0
        search = PassageSearch(
            query,
            max_level,
            # With every episode visible nothing lies beyond: the second ranking is skipped.
            counts_beyond=max_level < self.episode_count,
            boost_keys=[k for k in (name_key(b) for b in boost) if len(k) >= 3],
            limit=limit,
        )
        found = await self._db.run(search.run)
        hits = [
            PassageHit(p.passage_id, self._document_by_id[p.document_id], *p.shown)
            for p in found.passages
        ]
        return hits, found.beyond

    # -- trivia -----------------------------------------------------------------------
    async def questions(
        self,
        max_level: int | None = None,
        category: str | None = None,
        difficulty: str | None = None,
    ) -> list[Question]:
        return [
            q
            for q in self._questions
            if (max_level is None or q.spoiler_level <= max_level)
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
