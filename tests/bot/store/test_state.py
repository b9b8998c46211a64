"""The state database's durability settings and its read-only fallback."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.store import StateStore
from bot.store.state import WAL_AUTOCHECKPOINT, WAL_SIZE_LIMIT, storage_trouble


async def test_commits_are_synced_and_a_clean_close_folds_the_wal(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    state = await StateStore.open(path)
    settings = [
        (await state.fetch_one(f"PRAGMA {name}"))[0]  # type: ignore[index]
        for name in ("journal_mode", "synchronous", "wal_autocheckpoint", "journal_size_limit")
    ]
    assert settings == ["wal", 2, WAL_AUTOCHECKPOINT, WAL_SIZE_LIMIT]  # 2 = FULL
    await state.set_progress(7, 3)
    await state.close()
    wal = path.with_name("state.db-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT episode FROM user_progress").fetchall() == [(3,)]


async def test_a_state_path_that_cannot_be_created_starts_empty_and_read_only(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x", encoding="utf-8")
    state = await StateStore.open(blocker / "state.db")
    try:
        assert not state.writable
        assert any("cannot be written" in r.getMessage() for r in caplog.records)
        assert await state.effective_progress(7, 1) == 0
        with pytest.raises(sqlite3.OperationalError) as refused:
            await state.set_progress(7, 3)
        assert storage_trouble(refused.value)
        assert await state.stored_progress(7) is None  # nothing half-written, not cached
    finally:
        await state.close()
