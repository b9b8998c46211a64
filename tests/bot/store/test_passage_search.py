"""The one-ranking search returns what ranking only the visible sentences would."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bench.ask import load_set
from bot.facts.pipeline import BuildSummary
from bot.store import fts_query
from bot.store import passage_search as ps
from bot.store.passage_search import Found, PassageSearch

# How many of the best matching texts lie beyond the viewer, counted on its own.
BEYOND_SQL = (
    "SELECT count(*) FROM (SELECT t.spoiler_level AS level FROM sentence_texts_fts"
    " JOIN sentence_texts t ON t.id = sentence_texts_fts.rowid"
    " WHERE sentence_texts_fts MATCH ? ORDER BY rank, t.id LIMIT ?) WHERE level > ?"
)


class VisibleOnlySearch(PassageSearch):
    """The reference: rank the sentences at or below max_level, and count beyond apart."""

    def _ranked(self, db: sqlite3.Connection) -> tuple[list[Any], int]:
        rows = db.execute(
            ps._RANKED_VISIBLE, (self.query, self.max_level, ps.SEARCH_CANDIDATES)
        ).fetchall()
        beyond = db.execute(BEYOND_SQL, (self.query, ps.BEYOND_WITHIN, self.max_level))
        return rows, int(beyond.fetchone()[0])


@pytest.fixture
def db(built_store: tuple[Path, BuildSummary]) -> Iterator[sqlite3.Connection]:
    with contextlib.closing(sqlite3.connect(f"file:{built_store[0]}?mode=ro", uri=True)) as db:
        yield db


def queries() -> list[str]:
    question_set = load_set()
    questions, probes = question_set.questions, question_set.probes
    return [q for q in dict.fromkeys([*(q.ask for q in questions), *(p.ask for p in probes)])]


@pytest.mark.parametrize("candidates", [2, 5, 60])
def test_one_ranking_equals_ranking_the_visible_alone(
    db: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch, candidates: int
) -> None:
    # Few candidates make the first ranking too shallow for the viewer often (many of the
    # best matches are later episodes'), so the fallback is checked as well.
    monkeypatch.setattr(ps, "SEARCH_CANDIDATES", candidates)
    statements: list[str] = []
    compared = 0
    for question in queries():
        query = fts_query(question)
        if not query:
            continue
        for level in (0, 1, 2, 3):
            args = (query, level, True, [], 3)
            db.set_trace_callback(statements.append)
            fast: Found = PassageSearch(*args).run(db)
            db.set_trace_callback(None)
            assert fast == VisibleOnlySearch(*args).run(db), (question, level)
            assert all(p.shown[2] <= level for p in fast.passages)
            compared += 1
    assert compared > 300
    fallbacks = sum("t.spoiler_level <= " in sql and "ORDER BY r.rank" in sql for sql in statements)
    if candidates < 60:
        assert fallbacks > 0  # the first ranking was too shallow, and the deeper one taken
