"""The state database: migrations, progress, and that no fact rebuild touches it."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import pytest

from bot.facts.pipeline import build_store
from bot.store import FactStore, StateStore
from bot.store.state import MIGRATIONS, WAL_AUTOCHECKPOINT, WAL_SIZE_LIMIT, storage_trouble


async def test_migrations_run_once_and_record_the_version(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    store = await StateStore.open(path)
    assert await store.schema_version() == len(MIGRATIONS)
    await store.set_progress(1, 2)
    await store.close()
    again = await StateStore.open(path)  # re-opening applies nothing twice
    assert await again.stored_progress(1) == 2
    assert await again.integrity_check() == "ok"
    await again.close()


async def test_a_newer_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    with pytest.raises(RuntimeError, match="newer than this code"):
        await StateStore.open(path)


async def test_progress_scopes(state: StateStore) -> None:
    guild = 555
    assert await state.effective_progress(1, guild) == 0  # out of the box
    await state.set_default_progress(guild, 2)
    assert await state.effective_progress(1, guild) == 2  # server default
    await state.set_progress(1, 3)
    assert await state.effective_progress(1, guild) == 3  # the user's own, globally
    await state.set_progress(1, 1, guild_id=guild)
    assert await state.effective_progress(1, guild) == 1  # per-server override
    assert await state.effective_progress(1, 777) == 3
    assert await state.effective_progress(1, None) == 3  # DMs use the global one
    await state.clear_progress(1, guild)
    assert await state.effective_progress(1, guild) == 3


async def test_negative_progress_changes_nothing(state: StateStore) -> None:
    # The state bounds an episode below only; the last episode is the fact store's, which
    # the commands check (tests/cogs/test_progress.py).
    await state.set_progress(9, 2)
    with pytest.raises(sqlite3.IntegrityError):
        await state.set_progress(9, -1)
    assert await state.stored_progress(9) == 2


async def test_rebuilding_facts_keeps_user_state(
    data_copy: tuple[Path, Path], tmp_path: Path
) -> None:
    documents, curated = data_copy
    facts_path, state_path = tmp_path / "facts.db", tmp_path / "state.db"
    build_store(documents, curated, facts_path)
    state = await StateStore.open(state_path)
    facts = await FactStore.open(facts_path)
    await state.set_progress(42, 3)
    await state.set_default_progress(7, 1)

    (documents / "zz_more.txt").write_text("More news. Nothing else.\n", encoding="utf-8")
    build_store(documents, curated, facts_path)  # while both are open

    assert await state.stored_progress(42) == 3
    assert await state.default_progress(7) == 1
    reopened = await FactStore.open(facts_path)
    assert len(await reopened.documents()) == 6
    await reopened.close()
    await facts.close()
    await state.close()


async def test_a_cancelled_write_leaves_no_transaction_open(state: StateStore) -> None:
    """Cancelling a writer at any await must not leave BEGIN behind for the next writer."""
    import asyncio

    for delay_steps in range(6):
        task = asyncio.create_task(state.set_progress(1, 2))
        for _ in range(delay_steps):
            await asyncio.sleep(0)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await state.set_progress(2, 3)  # raised "cannot start a transaction within a transaction"
    assert await state.stored_progress(2) == 3


async def test_writes_still_queued_at_close_are_committed(tmp_path: Path) -> None:
    import asyncio

    path = tmp_path / "state.db"
    store = await StateStore.open(path)
    starting = [
        asyncio.ensure_future(
            store.trivia.start_game(
                guild_id=1,
                channel_id=2,
                starter_id=3,
                rounds=5,
                category=None,
                difficulty=None,
                spoiler_cap=0,
                seconds=20,
            )
        )
        for _ in range(10)
    ]
    await asyncio.sleep(0)  # queued, not yet written
    await store.close()
    ids = [await game for game in starting]
    again = await StateStore.open(path)
    assert [g.id for g in await again.trivia.games()] == sorted(ids)
    await again.close()


async def test_a_queued_write_right_after_a_checkpoint(state: StateStore) -> None:
    """The checkpoint's statement is finished before the next write opens its savepoint."""
    from bot.store.trivia import AnswerRecord

    game = await state.trivia.start_game(
        guild_id=1,
        channel_id=2,
        starter_id=3,
        rounds=5,
        category=None,
        difficulty=None,
        spoiler_cap=0,
        seconds=20,
    )
    for number in range(1, 4):
        await state.checkpoint()
        await state.trivia.close_round(game, number, "q", None, [AnswerRecord(4, "A", True, 1, 1)])
    assert await state.trivia.closed_rounds(game) == 3


async def test_cached_progress_follows_every_write(state: StateStore) -> None:
    assert await state.effective_progress(5, 9) == 0
    await state.set_default_progress(9, 2)
    assert await state.effective_progress(5, 9) == 2
    await state.set_progress(5, 3, guild_id=9)
    assert await state.effective_progress(5, 9) == 3
    await state.clear_progress(5, 9)
    assert await state.effective_progress(5, 9) == 2


async def test_a_fan_without_stored_progress_costs_no_read(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    first = await StateStore.open(path)
    await first.set_progress(1, 3)
    await first.set_progress(2, 1, guild_id=9)
    await first.set_default_progress(9, 2)
    await first.close()
    state = await StateStore.open(path)  # lists who has progress
    try:
        assert await state.effective_progress(8, 9) == 2  # reads the server default
        statements: list[str] = []
        await state._db.set_trace_callback(statements.append)
        assert await state.effective_progress(7, 9) == 2  # a new fan: nothing to read
        assert await state.stored_progress(7) is None
        assert statements == []
        # Fans with progress are read from the file; a new one's first write counts.
        assert await state.effective_progress(1, 9) == 3
        assert await state.effective_progress(2, 9) == 1
        await state.set_progress(7, 4, guild_id=9)
        assert await state.effective_progress(7, 9) == 4
        assert statements
        # After a bulk write (an import) nothing is assumed: every fan is read again.
        state.forget_cached()
        statements.clear()
        assert await state.effective_progress(6, 9) == 2
        assert any("user_progress" in s for s in statements)
    finally:
        await state.close()


async def test_commits_are_synced_and_a_clean_close_folds_the_wal(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    state = await StateStore.open(path)
    settings = [
        (await state._fetch_one(f"PRAGMA {name}"))[0]  # type: ignore[index]
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


async def test_a_job_nobody_else_holds_is_this_processs(state: StateStore) -> None:
    async with state.exclusive("discussion-schedule:1") as mine:
        assert mine
        await state.set_progress(1, 2)  # writes go on inside the block
