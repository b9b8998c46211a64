"""Full-text search of the fact store's sentences, run whole on the database's thread.

One trip ranks the distinct sentence texts a viewer may see (BM25, porter-stemmed,
filtered by spoiler level inside the query, so nothing beyond it is ranked or cut), groups
the best into passages, and only then highlights the handful of sentences it keeps. A text
that many documents repeat is one row of the index, shown by its least spoilery
occurrence, so the ranking costs the same however often the corpus repeats itself.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any

from bot.facts.names import name_key
from bot.store.records import HIGHLIGHT_END, HIGHLIGHT_START

# A sentence this short is a heading or a caption: never worth showing as a passage.
MIN_PASSAGE_WORDS = 5
# Candidates read per search before ranking by entity mentions and grouping by passage.
SEARCH_CANDIDATES = 60
# A sentence that names the entity the question is about ranks this much higher.
ENTITY_BOOST = 1.6
# A matching heading stands for its section, but short texts score high in BM25.
HEADING_WEIGHT = 0.6
HEADING_CHARS = 60  # longer sentences are never headings
# "N more matches are beyond your progress" counts among this many best matches.
BEYOND_WITHIN = 10
# The best matching texts, ranked by BM25 (FTS5's default rank) with nothing else per row
# computed before the sort; only the rows kept are joined to their texts and occurrences.
# bm25() as a column sorted by SQLite, not FTS5's own ORDER BY rank: the same order (ties
# by rowid here), at about half the cost, since FTS5 sorts by preparing a statement of its
# own for every query.
# A row: text id, sentence id, passage id, position, document id, text, level, rank.
_RANKED_ALL = (
    "SELECT t.id, s.id, s.passage_id, s.position, s.document_id, t.text, t.spoiler_level, r.rank"
    " FROM (SELECT rowid, bm25(sentence_texts_fts) AS rank FROM sentence_texts_fts"
    "  WHERE sentence_texts_fts MATCH ? ORDER BY rank, rowid LIMIT ?) r"
    " JOIN sentence_texts t ON t.id = r.rowid JOIN sentences s ON s.id = t.sentence_id"
    " ORDER BY r.rank, r.rowid"
)
_LEVEL = 6  # the level's column in a ranked row
# Those a viewer may see, filtered inside the ranking.
_RANKED_VISIBLE = (
    "SELECT t.id, s.id, s.passage_id, s.position, s.document_id, t.text, t.spoiler_level, r.rank"
    " FROM (SELECT rowid, bm25(sentence_texts_fts) AS rank FROM sentence_texts_fts"
    "  WHERE sentence_texts_fts MATCH ?) r JOIN sentence_texts t ON t.id = r.rowid"
    " JOIN sentences s ON s.id = t.sentence_id"
    " WHERE t.spoiler_level <= ? ORDER BY r.rank, r.rowid LIMIT ?"
)
# The section under a heading: the first visible sentences of the passage after it.
_SECTION_SQL = (
    "SELECT group_concat(text, ' ') FROM (SELECT ns.text FROM sentences ns"
    " WHERE ns.document_id = ? AND ns.position > ? AND ns.spoiler_level <= ?"
    " AND ns.passage_id = (SELECT np.id FROM passages p JOIN passages np"
    "  ON np.document_id = p.document_id AND np.position = p.position + 1 WHERE p.id = ?)"
    " ORDER BY ns.position LIMIT 2)"
)
# Highlighted snippets of the sentences shown (a handful), not of every candidate: one
# evaluation of the query, the snippet computed only for the rows the filter keeps.
_SNIPPETS_SQL = (
    "SELECT rowid, snippet(sentence_texts_fts, 0, ?, ?, '…', 40) FROM sentence_texts_fts"
    " WHERE sentence_texts_fts MATCH ? AND rowid IN ({rows})"
)


@dataclass(frozen=True, slots=True)
class FoundPassage:
    passage_id: int
    document_id: str
    # PassageHit's fields after the document: text, snippet, spoiler level, BM25 rank.
    shown: tuple[str, str, int, float]


@dataclass(frozen=True, slots=True)
class Found:
    passages: list[FoundPassage]
    beyond: int


@dataclass(slots=True)
class _Candidate:
    text_id: int
    sentence_id: int
    passage_id: int
    position: int
    document_id: str
    text: str
    level: int
    rank: float
    score: float
    section: str = ""  # a heading's section, shown after it
    snippet: str = field(default="")


@dataclass(frozen=True, slots=True)
class PassageSearch:
    """One search: `query` is already quoted for MATCH (facts.fts_query)."""

    query: str
    max_level: int
    counts_beyond: bool
    boost_keys: list[str]
    limit: int

    def run(self, db: sqlite3.Connection) -> Found:
        rows, beyond = self._ranked(db)
        groups = self._passages(db, self._scored(rows))
        shown = [c for group in groups for c in group]
        if shown:
            snippets = dict(
                db.execute(
                    _SNIPPETS_SQL.format(rows=",".join("?" for _ in shown)),
                    (HIGHLIGHT_START, HIGHLIGHT_END, self.query, *(c.text_id for c in shown)),
                ).fetchall()
            )
            for c in shown:
                c.snippet = snippets.get(c.text_id, c.text)
        return Found([self._passage(group) for group in groups], beyond)

    def _ranked(self, db: sqlite3.Connection) -> tuple[list[Any], int]:
        """The best SEARCH_CANDIDATES matches at or below max_level, in rank order, and
        how many of the BEYOND_WITHIN best matches of all lie above it.

        The same rows as ranking only the visible sentences (that query is the fallback):
        one ranking of every match, twice as deep, usually holds both the best matches of
        all and SEARCH_CANDIDATES visible ones, and then it is all that is needed. The rows
        above max_level are dropped before anything is scored, cut or shown.
        """
        if not self.counts_beyond:  # every episode visible: nothing lies beyond
            return db.execute(_RANKED_ALL, (self.query, SEARCH_CANDIDATES)).fetchall(), 0
        depth = max(2 * SEARCH_CANDIDATES, BEYOND_WITHIN)
        ranked = db.execute(_RANKED_ALL, (self.query, depth)).fetchall()
        beyond = sum(1 for row in ranked[:BEYOND_WITHIN] if row[_LEVEL] > self.max_level)
        visible = [row for row in ranked if row[_LEVEL] <= self.max_level]
        if len(visible) < SEARCH_CANDIDATES and len(ranked) == depth:
            # Deeper visible matches exist than this ranking reached: rank them alone.
            visible = db.execute(
                _RANKED_VISIBLE, (self.query, self.max_level, SEARCH_CANDIDATES)
            ).fetchall()
        return visible[:SEARCH_CANDIDATES], beyond

    def _scored(self, rows: list[Any]) -> list[_Candidate]:
        keys = self.boost_keys
        scored = []
        for text_id, sentence_id, passage_id, position, document_id, text, level, rank in rows:
            c = _Candidate(
                text_id, sentence_id, passage_id, position, document_id, text, level, rank, -rank
            )  # bm25: lower is better
            if keys and any(k in name_key(c.text) for k in keys):
                c.score *= ENTITY_BOOST
            if len(c.text.split()) < MIN_PASSAGE_WORDS:
                c.score *= HEADING_WEIGHT  # shown only with its section (_passages)
            scored.append(c)
        scored.sort(key=lambda c: -c.score)
        return scored

    def _passages(self, db: sqlite3.Connection, scored: list[_Candidate]) -> list[list[_Candidate]]:
        """The best `limit` passages, each by its best two sentences."""
        by_passage: dict[int, list[_Candidate]] = {}
        seen_text: set[str] = set()
        for c in scored:
            group = by_passage.get(c.passage_id)
            if group is None and len(by_passage) >= self.limit:
                continue
            if len(c.text.split()) < MIN_PASSAGE_WORDS:
                # A heading or caption: worth showing only as the start of its section,
                # read only for the candidates that could be shown.
                c.section = self._section(db, c)
                if len(c.section.split()) < MIN_PASSAGE_WORDS:
                    continue
            shown_text = f"{c.text}: {c.section}" if c.section else c.text
            if shown_text in seen_text:  # a caption repeated word for word
                continue
            seen_text.add(shown_text)
            if group is None:
                by_passage[c.passage_id] = [c]
            elif len(group) < 2:
                group.append(c)
        return list(by_passage.values())

    def _section(self, db: sqlite3.Connection, heading: _Candidate) -> str:
        if len(heading.text) >= HEADING_CHARS:
            return ""
        row = db.execute(
            _SECTION_SQL,
            (heading.document_id, heading.position, self.max_level, heading.passage_id),
        ).fetchone()
        return str(row[0] or "") if row else ""

    @staticmethod
    def _passage(group: list[_Candidate]) -> FoundPassage:
        ordered = sorted(group, key=lambda c: c.position)  # document order

        def with_section(c: _Candidate, text: str) -> str:
            return f"{text}: {c.section}" if c.section else text

        return FoundPassage(
            group[0].passage_id,
            group[0].document_id,
            (
                " ".join(with_section(c, c.text) for c in ordered),
                " … ".join(with_section(c, c.snippet) for c in ordered),
                max(c.level for c in ordered),
                group[0].rank,
            ),
        )
