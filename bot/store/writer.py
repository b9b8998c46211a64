"""Write a built FactSet to a fresh SQLite file, atomically replacing the old store."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from importlib import resources
from pathlib import Path

from bot.facts.model import FactSet, Source

SCHEMA_VERSION = "1"


def schema_sql() -> str:
    return resources.files("bot.store").joinpath("schema.sql").read_text(encoding="utf-8")


def stored_source_hash(path: Path) -> str | None:
    """The source hash a built store was made from, or None if it is missing or unreadable."""
    if not path.is_file():
        return None
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            row = db.execute("SELECT value FROM meta WHERE key = 'source_hash'").fetchone()
    except sqlite3.DatabaseError:
        return None
    return row[0] if row else None


def _row_id(cursor: sqlite3.Cursor) -> int:
    """The id the INSERT just made (sqlite3 types lastrowid as optional)."""
    if cursor.lastrowid is None:
        raise sqlite3.DatabaseError("the INSERT made no row")
    return cursor.lastrowid


def write_factset(facts: FactSet, path: Path, source_hash: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.tmp{os.getpid()}")
    tmp.unlink(missing_ok=True)
    try:
        with contextlib.closing(sqlite3.connect(tmp)) as db:
            db.execute("PRAGMA journal_mode = OFF")
            db.execute("PRAGMA synchronous = OFF")
            with db:
                db.executescript(schema_sql())
                _insert(db, facts, source_hash)
            db.execute("INSERT INTO passages_fts(passages_fts) VALUES ('optimize')")
        # Readers hold their own file handle: replacing the file never disturbs them.
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _insert(db: sqlite3.Connection, facts: FactSet, source_hash: str) -> None:
    levels = facts.sentence_levels
    sentence_ids: dict[tuple[str, int], int] = {}
    for doc in facts.documents:
        db.execute(
            "INSERT INTO documents (id, filename, title, kind, outlet, author, editor, published,"
            " sha256, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                doc.id,
                doc.filename,
                doc.title,
                doc.kind,
                doc.outlet,
                doc.author,
                doc.editor,
                doc.published,
                doc.sha256,
                doc.text,
            ),
        )
        for paragraph in doc.paragraphs:
            level = max(
                (levels[(doc.id, s.position)].level for s in paragraph.sentences), default=0
            )
            passage_id = db.execute(
                "INSERT INTO passages (document_id, position, text, spoiler_level)"
                " VALUES (?, ?, ?, ?)",
                (doc.id, paragraph.position, paragraph.text, level),
            ).lastrowid
            for s in paragraph.sentences:
                rating = levels[(doc.id, s.position)]
                inserted = db.execute(
                    'INSERT INTO sentences (document_id, passage_id, position, start, "end", text,'
                    " spoiler_level, spoiler_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        doc.id,
                        passage_id,
                        s.position,
                        s.start,
                        s.end,
                        s.text,
                        rating.level,
                        rating.reason,
                    ),
                )
                sentence_ids[(doc.id, s.position)] = _row_id(inserted)
    db.execute("INSERT INTO passages_fts (rowid, text) SELECT id, text FROM passages")

    def sid(source: Source) -> int:
        return sentence_ids[(source.document_id, source.sentence)]

    db.executemany(
        "INSERT INTO people (id, name, kind, sentence_id) VALUES (?, ?, ?, ?)",
        [(p.id, p.name, p.kind, sid(p.source)) for p in facts.people.values()],
    )
    db.executemany(
        "INSERT INTO characters (id, name, actor_id, sentence_id, billing) VALUES (?, ?, ?, ?, ?)",
        [
            (c.id, c.name, c.actor_id, sid(c.source), n)
            for n, c in enumerate(facts.characters.values())
        ],
    )
    db.executemany(
        "INSERT INTO aliases (key, alias, entity_type, entity_id, origin, sentence_id, quote)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (a.key, a.alias, a.entity_type, a.entity_id, a.origin, sid(a.source), a.source.quote)
            for a in facts.aliases
        ],
    )
    db.executemany(
        "INSERT INTO songs (id, title, release_order, sentence_id) VALUES (?, ?, ?, ?)",
        [(s.id, s.title, s.release_order, sid(s.source)) for s in facts.songs.values()],
    )
    db.executemany(
        "INSERT INTO song_credits (song_id, person_id, credit, sentence_id) VALUES (?, ?, ?, ?)",
        [(c.song_id, c.person_id, c.credit, sid(c.source)) for c in facts.credits],
    )
    db.executemany(
        "INSERT INTO facts (category, subject_type, subject_id, predicate, object, detail,"
        " spoiler_level, spoiler_reason, sentence_id, quote, origin)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                f.category,
                f.subject_type,
                f.subject_id,
                f.predicate,
                f.object,
                json.dumps(f.detail, sort_keys=True),
                f.level,
                f.reason,
                sid(f.source),
                f.source.quote,
                f.origin,
            )
            for f in facts.facts
        ],
    )
    db.executemany("INSERT INTO show (key, value) VALUES (?, ?)", list(facts.show.items()))
    db.executemany(
        "INSERT INTO episodes (number, air_time, derived, basis) VALUES (?, ?, ?, ?)",
        [(e.number, e.air_time, int(e.derived), e.basis) for e in facts.episodes],
    )
    db.executemany(
        "INSERT INTO questions (id, category, difficulty, question, answer, wrong1, wrong2, wrong3,"
        " spoiler_level, spoiler_reason, sentence_id, quote, origin)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                q.id,
                q.category,
                q.difficulty,
                q.question,
                q.answer,
                *q.wrong,
                q.level,
                q.reason,
                sid(q.source),
                q.source.quote,
                q.origin,
            )
            for q in facts.questions
        ],
    )
    db.executemany(
        "INSERT INTO conflicts (topic, value, chosen, why, sentence_id, quote)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [
            (c.topic, c.value, int(c.chosen), c.why, sid(c.source), c.source.quote)
            for c in facts.conflicts
        ],
    )
    meta = {
        "source_hash": source_hash,
        "schema_version": SCHEMA_VERSION,
        "counts": json.dumps(facts.counts()),
    }
    db.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", list(meta.items()))
