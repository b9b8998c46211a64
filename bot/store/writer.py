"""Write a built FactSet to a fresh SQLite file, atomically replacing the old store."""

from __future__ import annotations

import contextlib
import json
import os
import re
import sqlite3
from importlib import resources
from pathlib import Path

from bot.facts.model import FactSet, Source

SCHEMA_VERSION = "2"


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


class StoreCheckError(RuntimeError):
    """A fact store fails its check: never served, never swapped in. The message says why."""


def _row_id(cursor: sqlite3.Cursor) -> int:
    """The id the INSERT just made (sqlite3 types lastrowid as optional)."""
    if cursor.lastrowid is None:
        raise sqlite3.DatabaseError("the INSERT made no row")
    return cursor.lastrowid


def write_factset(facts: FactSet, path: Path, source_hash: str) -> None:
    """Write facts to a new file next to path, check what was written, then swap it in.
    A file that fails its check is deleted and path is left as it was."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.tmp{os.getpid()}")
    tmp.unlink(missing_ok=True)
    try:
        # isolation_level=None: this code opens and commits every transaction itself.
        # (The build used to run FTS5's 'optimize' in a transaction Python opened
        # implicitly and never committed; closing rolled it back, and with journal_mode
        # OFF a rollback cannot restore pages already spilled to the file, so big builds
        # came out corrupt.) The rollback journal stays on for the same reason;
        # synchronous is off because the file is fsynced once, before the swap.
        with contextlib.closing(sqlite3.connect(tmp, isolation_level=None)) as db:
            db.execute("PRAGMA journal_mode = DELETE")
            db.execute("PRAGMA synchronous = OFF")
            # One transaction for everything: one journal, and nothing half-made is committed.
            db.executescript(f"BEGIN;\n{schema_sql()}")
            rows = _insert(db, facts, source_hash)
            for table in _fts_tables(db):
                db.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")
            db.execute("COMMIT")
            problems = _text_problems(db)
        built = facts.counts()
        problems += [
            f"wrote {rows[table]} {table}, the build made {built[table]}"
            for table in ("documents", "passages", "sentences")
            if rows[table] != built[table]
        ]
        if problems:
            raise StoreCheckError(f"{tmp.name}: " + "; ".join(problems))
        verify_store(tmp)
        with tmp.open("rb") as f:
            os.fsync(f.fileno())
        # Readers hold their own file handle: replacing the file never disturbs them.
        os.replace(tmp, path)
        _fsync_directory(path.parent)
    finally:
        tmp.unlink(missing_ok=True)
        Path(f"{tmp}-journal").unlink(missing_ok=True)


def verify_store(path: Path) -> None:
    """Raise StoreCheckError unless the store at path checks clean: SQLite's integrity
    check, FTS5's integrity-check of every full-text index, a search that finds the first
    and the last row of each index, and every table holding the rows the build wrote."""
    # FTS5's integrity-check is written as an INSERT and needs a writable connection; a
    # read-only store still gets SQLite's check, which covers the index's pages too.
    writable = os.access(path, os.W_OK)
    try:
        with contextlib.closing(
            sqlite3.connect(
                f"file:{path}?mode={'rw' if writable else 'ro'}", uri=True, isolation_level=None
            )
        ) as db:
            problems = _problems(db, fts_check=writable)
    except sqlite3.DatabaseError as exc:
        problems = [str(exc)]
    if problems:
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        raise StoreCheckError(f"{path.name}: " + "; ".join(problems[:3]) + more)


def _problems(db: sqlite3.Connection, fts_check: bool) -> list[str]:
    found = [row[0] for row in db.execute("PRAGMA integrity_check(20)")]
    if found != ["ok"]:
        lines = (line.strip() for row in found for line in row.splitlines())
        return [line for line in lines if line and not line.startswith("***")]
    problems = []
    for table in _fts_tables(db):
        try:
            if fts_check:
                db.execute(f"INSERT INTO {table}({table}) VALUES ('integrity-check')")
        except sqlite3.DatabaseError as exc:
            problems.append(f"{table}: integrity-check: {exc}")
            continue
        problems += _search_problems(db, table)
    row = db.execute("SELECT value FROM meta WHERE key = 'rows'").fetchone()
    if row is None:
        return [*problems, "meta has no row counts"]
    for table, expected in json.loads(row[0]).items():
        (count,) = db.execute(f'SELECT count(*) FROM "{table}"').fetchone()
        if count != expected:
            problems.append(f"{table} holds {count} rows, the build wrote {expected}")
    return problems


def _text_problems(db: sqlite3.Connection) -> list[str]:
    """The distinct texts /ask ranks must be every sentence's text once, each at its least
    spoilery occurrence: a text rated above one of its occurrences would hide it from a
    viewer who may see it, one rated below would show what they may not."""
    ((texts, distinct),) = db.execute(
        "SELECT (SELECT count(*) FROM sentence_texts), (SELECT count(DISTINCT text) FROM sentences)"
    )
    (unmatched,) = db.execute(
        "SELECT count(*) FROM sentences s LEFT JOIN sentence_texts t ON t.text = s.text"
        " WHERE t.id IS NULL OR t.spoiler_level > s.spoiler_level"
    ).fetchone()
    (misplaced,) = db.execute(
        "SELECT count(*) FROM sentence_texts t JOIN sentences s ON s.id = t.sentence_id"
        " WHERE s.text != t.text OR s.spoiler_level != t.spoiler_level"
    ).fetchone()
    problems = [f"{texts} sentence texts for {distinct} distinct sentences"] * (texts != distinct)
    problems += [f"{unmatched} sentences without their text at their level"] * (unmatched > 0)
    return problems + [f"{misplaced} sentence texts cite another sentence"] * (misplaced > 0)


def _search_problems(db: sqlite3.Connection, table: str) -> list[str]:
    """Search a word of the first and of the last row; each must find its row."""
    problems = []
    for order in ("ASC", "DESC"):
        row = db.execute(f"SELECT rowid, * FROM {table} ORDER BY rowid {order} LIMIT 1").fetchone()
        if row is None:
            continue
        rowid, *columns = row
        # The longest word: any tokenizer indexes it (a trigram index skips short ones).
        words = [m.group() for c in columns for m in _TOKEN.finditer(str(c or ""))]
        if not words:
            continue
        word = max(words, key=len)
        (hits,) = db.execute(
            f"SELECT count(*) FROM {table} WHERE {table} MATCH ? AND rowid = ?",
            (f'"{word}"', rowid),
        ).fetchone()
        if hits != 1:
            problems.append(f"{table}: searching {word!r} does not find row {rowid}")
    return problems


# A word as FTS5's unicode61 tokenizer sees one: letters and digits, no underscore.
_TOKEN = re.compile(r"[^\W_]+")


def _fts_tables(db: sqlite3.Connection) -> list[str]:
    return [
        name
        for (name,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'"
            " AND lower(sql) LIKE 'create virtual table%using fts5%' ORDER BY name"
        )
    ]


def _fsync_directory(directory: Path) -> None:
    """Make the rename durable (POSIX); a no-op where directories cannot be opened."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _cited(facts: FactSet) -> set[tuple[str, int]]:
    """The sentences some stored claim cites: the only ones whose row id must be kept."""
    sources = [
        *(p.source for p in facts.people.values()),
        *(c.source for c in facts.characters.values()),
        *(a.source for a in facts.aliases),
        *(s.source for s in facts.songs.values()),
        *(c.source for c in facts.credits),
        *(f.source for f in facts.facts),
        *(q.source for q in facts.questions),
        *(c.source for c in facts.conflicts),
    ]
    return {(s.document_id, s.sentence) for s in sources}


def _insert(db: sqlite3.Connection, facts: FactSet, source_hash: str) -> dict[str, int]:
    """Insert everything; return the rows written per table."""
    levels = facts.sentence_levels
    cited = _cited(facts)
    sentence_ids: dict[tuple[str, int], int] = {}
    rows: dict[str, int] = {"documents": 0, "passages": 0, "sentences": 0}
    for doc in facts.documents:  # streamed: one document in memory at a time
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
        rows["documents"] += 1
        for paragraph in doc.paragraphs:
            level = max(
                (levels[(doc.id, s.position)].level for s in paragraph.sentences), default=0
            )
            passage_id = db.execute(
                "INSERT INTO passages (document_id, position, text, spoiler_level)"
                " VALUES (?, ?, ?, ?)",
                (doc.id, paragraph.position, paragraph.text, level),
            ).lastrowid
            rows["passages"] += 1
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
                rows["sentences"] += 1
                if (doc.id, s.position) in cited:
                    sentence_ids[(doc.id, s.position)] = _row_id(inserted)
    # Each distinct text once, by its least spoilery occurrence (lowest level, then first).
    rows["sentence_texts"] = db.execute(
        "INSERT INTO sentence_texts (text, spoiler_level, sentence_id)"
        " SELECT text, spoiler_level, id FROM (SELECT text, spoiler_level, id, row_number()"
        "  OVER (PARTITION BY text ORDER BY spoiler_level, id) AS n FROM sentences)"
        " WHERE n = 1 ORDER BY id"
    ).rowcount
    db.execute("INSERT INTO sentence_texts_fts (rowid, text) SELECT id, text FROM sentence_texts")

    def sid(source: Source) -> int:
        return sentence_ids[(source.document_id, source.sentence)]

    def insert(table: str, sql: str, values: list[tuple[object, ...]]) -> None:
        db.executemany(sql, values)
        rows[table] = len(values)

    insert(
        "people",
        "INSERT INTO people (id, name, kind, sentence_id) VALUES (?, ?, ?, ?)",
        [(p.id, p.name, p.kind, sid(p.source)) for p in facts.people.values()],
    )
    insert(
        "characters",
        "INSERT INTO characters (id, name, actor_id, sentence_id, billing) VALUES (?, ?, ?, ?, ?)",
        [
            (c.id, c.name, c.actor_id, sid(c.source), n)
            for n, c in enumerate(facts.characters.values())
        ],
    )
    insert(
        "aliases",
        "INSERT INTO aliases (key, alias, entity_type, entity_id, origin, sentence_id, quote)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (a.key, a.alias, a.entity_type, a.entity_id, a.origin, sid(a.source), a.source.quote)
            for a in facts.aliases
        ],
    )
    insert(
        "songs",
        "INSERT INTO songs (id, title, release_order, sentence_id) VALUES (?, ?, ?, ?)",
        [(s.id, s.title, s.release_order, sid(s.source)) for s in facts.songs.values()],
    )
    insert(
        "song_credits",
        "INSERT INTO song_credits (song_id, person_id, credit, sentence_id) VALUES (?, ?, ?, ?)",
        [(c.song_id, c.person_id, c.credit, sid(c.source)) for c in facts.credits],
    )
    insert(
        "facts",
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
    insert(
        "show",
        "INSERT INTO show (key, value) VALUES (?, ?)",
        list(facts.show.items()),
    )
    insert(
        "episodes",
        "INSERT INTO episodes (number, air_time, derived, basis) VALUES (?, ?, ?, ?)",
        [(e.number, e.air_time, int(e.derived), e.basis) for e in facts.episodes],
    )
    insert(
        "questions",
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
    insert(
        "conflicts",
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
    # The rows each table holds, for verify_store: at build time and at every start.
    rows["meta"] = len(meta) + 1
    meta["rows"] = json.dumps(rows)
    insert("meta", "INSERT INTO meta (key, value) VALUES (?, ?)", list(meta.items()))
    return rows
