"""At start, a fact store whose pages are corrupt behind a valid header and source hash is
detected and rebuilt, with one clear log line, and the bot answers from the new one."""

from __future__ import annotations

import contextlib
import logging
import shutil
import sqlite3
import tracemalloc
from pathlib import Path

import pytest

from bench.build import synthetic_corpus
from bot.console.world import FanWorld
from bot.facts.build import build_factset
from bot.facts.documents import load_documents
from bot.facts.pipeline import build_store, ensure_store, source_hash
from bot.store.writer import stored_source_hash, verify_store
from discord_emulator import Emulator
from tests.bot.store.damage import corrupt_pages_behind_header
from tests.helpers.bot import bot_session, bot_settings
from tests.helpers.data import CURATED_FILE, DOCUMENTS_DIR


def test_an_intact_store_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "facts.db"
    build_store(DOCUMENTS_DIR, CURATED_FILE, path)
    before = path.stat().st_mtime_ns
    assert ensure_store(DOCUMENTS_DIR, CURATED_FILE, path) is None
    assert path.stat().st_mtime_ns == before


async def test_a_store_corrupt_behind_a_valid_header_is_rebuilt_at_start(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, emu: Emulator, world: FanWorld
) -> None:
    facts_db = tmp_path / "facts.db"
    build_store(DOCUMENTS_DIR, CURATED_FILE, facts_db)
    corrupt_pages_behind_header(facts_db, ("passages", "sentences"))
    # What made the old start-up serve it: the header and the hash still say "current".
    assert stored_source_hash(facts_db) == source_hash(DOCUMENTS_DIR, CURATED_FILE)
    corrupt_copy = tmp_path / "corrupt.db"
    shutil.copy(facts_db, corrupt_copy)

    caplog.set_level(logging.INFO, logger="bot.facts.pipeline")
    settings = bot_settings(facts_db, tmp_path / "state.db")
    async with bot_session(settings, emu, world) as env:
        # Passages and sentences were the corrupt tables: /ask reads both.
        reply = await env.drv.invoke("/ask", question="Who sings Love Beyond Words?")
        assert any("Kyuhyun" in f["value"] for f in reply.embed["fields"])

    warnings = [
        r for r in caplog.records if r.levelno >= logging.WARNING and r.name.startswith("bot")
    ]
    assert len(warnings) == 1, [r.getMessage() for r in warnings]
    assert warnings[0].getMessage().startswith("Fact store failed its check, rebuilding: ")
    assert "btreeInitPage" in warnings[0].getMessage()
    assert "\n" not in warnings[0].getMessage()
    verify_store(facts_db)
    assert facts_db.read_bytes() != corrupt_copy.read_bytes()


@pytest.mark.slow
def test_a_5000_document_build_checks_clean_twice(tmp_path: Path) -> None:
    documents = synthetic_corpus(DOCUMENTS_DIR, tmp_path, 1000)
    path = tmp_path / "facts.db"
    for _ in range(2):
        summary = build_store(documents, CURATED_FILE, path)  # checks before the swap
        assert summary.counts["documents"] == 5000
        verify_store(path)  # and again, from a fresh connection
        with contextlib.closing(sqlite3.connect(path)) as db:
            assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


def test_deriving_facts_never_holds_the_whole_corpus(tmp_path: Path) -> None:
    # The build reads one document at a time; what it keeps is the extracted facts. A
    # step that holds every document (as the trivia citation check once did) needs at
    # least the memory of the corpus loaded at once.
    documents = synthetic_corpus(DOCUMENTS_DIR, tmp_path, 20)
    tracemalloc.start()
    try:
        held = load_documents(documents)
        corpus_size, _ = tracemalloc.get_traced_memory()
        del held
        tracemalloc.reset_peak()
        start, _ = tracemalloc.get_traced_memory()
        build_factset(documents, CURATED_FILE)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak - start < corpus_size, (peak - start, corpus_size)
