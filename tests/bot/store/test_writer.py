"""The writer proves what it wrote before it replaces the store, and the check catches
every kind of damage: corrupt pages, a damaged full-text index, rows missing."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from pathlib import Path

import pytest

from bot.facts.build import build_factset
from bot.facts.pipeline import build_store
from bot.store import writer
from bot.store.writer import StoreCheckError, verify_store, write_factset
from tests.bot.store.damage import corrupt_pages_behind_header, run_sql
from tests.helpers.data import CURATED_FILE, DOCUMENTS_DIR


@pytest.fixture
def store(tmp_path: Path) -> Path:
    path = tmp_path / "facts.db"
    build_store(DOCUMENTS_DIR, CURATED_FILE, path)
    return path


def test_a_built_store_checks_clean_and_records_its_rows(store: Path) -> None:
    verify_store(store)
    with contextlib.closing(sqlite3.connect(store)) as db:
        rows = json.loads(db.execute("SELECT value FROM meta WHERE key = 'rows'").fetchone()[0])
        (passages,) = db.execute("SELECT count(*) FROM passages").fetchone()
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert rows["passages"] == passages > 0
    assert {"documents", "sentences", "facts", "questions", "meta"} <= rows.keys()
    assert not list(store.parent.glob("*.tmp*"))


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda p: corrupt_pages_behind_header(p, ("passages", "facts")), "malformed|page"),
        (
            lambda p: run_sql(p, "DELETE FROM sentence_texts_fts_data WHERE id > 10"),
            "sentence_texts_fts",
        ),
        (lambda p: run_sql(p, "DELETE FROM facts WHERE id = 1"), "facts holds"),
        (lambda p: run_sql(p, "DELETE FROM meta WHERE key = 'rows'"), "no row counts"),
    ],
    ids=["corrupt pages", "fts index", "missing row", "no row counts"],
)
def test_the_check_catches_damage(store: Path, damage, message: str) -> None:  # type: ignore[no-untyped-def]
    damage(store)
    with pytest.raises(StoreCheckError, match=message):
        verify_store(store)


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write a read-only file")
def test_a_read_only_store_is_still_checked(store: Path) -> None:
    verify_store(store)
    corrupt_pages_behind_header(store)
    store.chmod(0o444)
    try:
        with pytest.raises(StoreCheckError):
            verify_store(store)
    finally:
        store.chmod(0o644)


def test_a_store_failing_its_check_is_never_swapped_in(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = store.read_bytes()
    real_verify = writer.verify_store

    def damage_then_verify(path: Path) -> None:
        # The new file is really damaged (the disk lost a page); the check is the real one.
        assert path != store
        corrupt_pages_behind_header(path)
        real_verify(path)

    monkeypatch.setattr(writer, "verify_store", damage_then_verify)
    facts = build_factset(DOCUMENTS_DIR, CURATED_FILE)
    with pytest.raises(StoreCheckError, match=r"facts\.db\.tmp\d+: .*(malformed|page)"):
        write_factset(facts, store, "a new hash")
    assert store.read_bytes() == before  # the old store stays, untouched
    assert sorted(p.name for p in store.parent.iterdir()) == ["facts.db"]  # no leftovers
    monkeypatch.undo()
    verify_store(store)


def test_a_built_store_ranks_every_sentence_text_once(store: Path) -> None:
    with contextlib.closing(sqlite3.connect(store)) as db:
        assert writer._text_problems(db) == []
        ((texts, sentences),) = db.execute(
            "SELECT (SELECT count(*) FROM sentence_texts), (SELECT count(*) FROM sentences)"
        )
    assert 0 < texts < sentences  # the documents repeat some captions and headings


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (
            "UPDATE sentence_texts SET spoiler_level = spoiler_level + 1"
            " WHERE id = (SELECT min(id) FROM sentence_texts)",
            "without their text at their level",
        ),
        ("DELETE FROM sentence_texts WHERE id = (SELECT max(id) FROM sentence_texts)", "distinct"),
        ("UPDATE sentence_texts SET sentence_id = sentence_id + 1 WHERE id = 1", "cite another"),
    ],
    ids=["rated above an occurrence", "a text missing", "citing another sentence"],
)
def test_the_text_check_catches_a_wrong_text_index(store: Path, damage: str, message: str) -> None:
    run_sql(store, damage)
    with contextlib.closing(sqlite3.connect(store)) as db:
        assert any(message in problem for problem in writer._text_problems(db))
