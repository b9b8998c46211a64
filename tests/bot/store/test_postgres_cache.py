"""Read caches on PostgreSQL kept right across processes (LISTEN/NOTIFY): two stores on one
database, as two bot processes would open it. A value one writes is seen by the other as
soon as its notice is heard; while a store does not hear, it caches nothing."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from bot.store import StateStore
from bot.store import postgres as pg
from bot.store.postgres import EVERY_TABLE, PostgresStateStore, _written_table
from bot.store.trivia_custom import TriviaSettings
from tests.bot.store.pg_server import PostgresServer

USER, GUILD = 1001, 77
HEARD_WITHIN = 5.0  # seconds; a notice takes milliseconds
WHEN = datetime(2030, 2, 1, 20, 0, tzinfo=UTC)


async def _open(url: str, tmp_path: Path) -> PostgresStateStore:
    store = await StateStore.connect(url, tmp_path / "unused.db")
    assert isinstance(store, PostgresStateStore)
    return store


@pytest.fixture
async def stores(
    database_url: str, tmp_path: Path
) -> AsyncIterator[tuple[PostgresStateStore, PostgresStateStore]]:
    a = await _open(database_url, tmp_path)
    b = await _open(database_url, tmp_path)
    try:
        assert a.caches_reads and b.caches_reads  # both listening once opened
        assert a.origin != b.origin
        yield a, b
    finally:
        await a.close()
        await b.close()


async def until(check: Callable[[], bool], within: float = HEARD_WITHIN) -> None:
    """Polls `check` until it holds (fails after `within` seconds)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while loop.time() < deadline:
        if check():
            return
        await asyncio.sleep(0.005)
    raise AssertionError(f"not so within {within} s")


async def start_game(store: StateStore) -> int:
    return await store.trivia.start_game(
        guild_id=GUILD,
        channel_id=5,
        starter_id=USER,
        rounds=3,
        category=None,
        difficulty=None,
        spoiler_cap=2,
        seconds=20,
    )


async def heard(store: PostgresStateStore, epoch: int) -> None:
    """Until `store` has heard something since it was at `epoch`."""
    await until(lambda: store._epoch != epoch)


async def test_progress_written_in_one_store_is_seen_in_the_other(
    stores: tuple[PostgresStateStore, PostgresStateStore],
) -> None:
    a, b = stores
    before = b._epoch
    await a.set_progress(USER, 3)
    await a.set_progress(USER + 1, 3)
    await until(lambda: b._epoch >= before + 2)
    assert [await b.stored_progress(u) for u in (USER, USER + 1)] == [3, 3]
    assert (USER, 0) in b._progress  # cached: B would not read it again
    epoch = b._epoch
    await a.set_progress(USER, 5)
    await heard(b, epoch)
    assert (USER, 0) not in b._progress  # that row alone was dropped
    assert b._progress.get((USER + 1, 0)) == 3
    assert await b.stored_progress(USER) == 5
    assert await b.effective_progress(USER, GUILD) == 5
    assert b._progress.get((USER, 0)) == 5  # and cached again


async def test_lowered_progress_is_never_shown_from_the_cache(
    stores: tuple[PostgresStateStore, PostgresStateStore],
) -> None:
    """The spoiler case: a fan lowers their progress in one process; the other must not
    keep answering from the higher one it cached."""
    a, b = stores
    before = b._epoch
    await a.set_progress(USER, 8)
    await a.set_progress(USER, 6, GUILD)
    await a.set_default_progress(GUILD, 4)
    other = USER + 1
    await until(lambda: b._epoch >= before + 3)  # three notices
    assert await b.effective_progress(USER, GUILD) == 6
    assert await b.effective_progress(USER, None) == 8
    assert await b.effective_progress(other, GUILD) == 4  # the server's default
    assert (USER, GUILD) in b._progress and GUILD in b._defaults

    epoch = b._epoch
    await a.set_progress(USER, 1, GUILD)
    await heard(b, epoch)
    assert await b.effective_progress(USER, GUILD) == 1
    epoch = b._epoch
    await a.clear_progress(USER, GUILD)  # back to the global progress
    await heard(b, epoch)
    assert await b.effective_progress(USER, GUILD) == 8
    epoch = b._epoch
    await a.set_progress(USER, 2)
    await heard(b, epoch)
    assert await b.effective_progress(USER, GUILD) == 2
    epoch = b._epoch
    await a.set_default_progress(GUILD, 0)
    await heard(b, epoch)
    assert await b.default_progress(GUILD) == 0
    assert await b.effective_progress(other, GUILD) == 0


async def test_a_fan_who_sets_progress_elsewhere_is_no_longer_taken_for_new(
    stores: tuple[PostgresStateStore, PostgresStateStore],
) -> None:
    """The fans with stored progress are listed once listening: one set elsewhere joins
    the list when heard, so B reads them instead of giving the server's default."""
    a, b = stores
    before = b._epoch
    await a.set_default_progress(GUILD, 3)
    await until(lambda: b._epoch >= before + 1)
    assert b._progress_users is not None and USER not in b._progress_users
    assert await b.effective_progress(USER, GUILD) == 3
    epoch = b._epoch
    await a.set_progress(USER, 1)
    await heard(b, epoch)
    assert USER in b._progress_users
    assert await b.effective_progress(USER, GUILD) == 1


async def test_a_store_ignores_its_own_notices(
    stores: tuple[PostgresStateStore, PostgresStateStore],
) -> None:
    a, b = stores
    await a.set_progress(USER, 4)  # written through in A
    epoch = a._epoch
    await b.custom_questions.set_custom_enabled(GUILD, True)
    await heard(a, epoch)  # B's notice came after A's own, on the same connection
    assert a._epoch == epoch + 1  # one notice acted on: B's
    assert a._progress.get((USER, 0)) == 4  # A's own notice dropped nothing


async def test_writes_to_tables_nothing_caches_send_no_notice(
    stores: tuple[PostgresStateStore, PostgresStateStore],
) -> None:
    a, b = stores
    epoch = b._epoch
    game = await start_game(a)
    await a.trivia.end_game(game, "stopped", "test")
    await a.community.save_event(GUILD, 1, 9, WHEN)
    await a.set_progress(USER, 2)  # then one that is announced
    await until(lambda: USER in (b._progress_users or ()))
    assert b._epoch == epoch + 1  # only that one was heard


async def test_a_dropped_listener_turns_the_caches_off_until_it_is_back(
    stores: tuple[PostgresStateStore, PostgresStateStore],
    postgres_server: PostgresServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    a, b = stores
    monkeypatch.setattr(pg, "LISTEN_RETRY_SECONDS", (1.0, 1.0))  # time to look while off
    before = b._epoch
    await a.set_progress(USER, 7)
    await until(lambda: b._epoch >= before + 1)
    assert await b.stored_progress(USER) == 7
    assert b._listener is not None
    pid = b._listener.get_server_pid()
    admin = await asyncpg.connect(postgres_server.url())
    try:
        assert await admin.fetchval("SELECT pg_terminate_backend($1)", pid)
    finally:
        await admin.close()
    await until(lambda: not b.caches_reads)
    assert len(b._progress) == 0 and b._progress_users is None  # all forgotten
    # Not listening: B cannot hear A, so it reads every time and keeps nothing.
    await a.set_progress(USER, 3)
    assert await b.stored_progress(USER) == 3
    assert await b.effective_progress(USER, GUILD) == 3
    assert (USER, 0) not in b._progress
    await b.set_progress(USER + 1, 9)  # not even its own writes are kept
    assert (USER + 1, 0) not in b._progress
    await a.set_progress(USER, 2)
    assert await b.stored_progress(USER) == 2
    assert not b.caches_reads  # all of that while still off

    await until(lambda: b.caches_reads)  # reconnected
    assert b._listener is not None and b._listener.get_server_pid() != pid
    assert await b.stored_progress(USER) == 2
    assert (USER, 0) in b._progress
    epoch = b._epoch
    await a.set_progress(USER, 1)
    await heard(b, epoch)
    assert await b.stored_progress(USER) == 1


async def test_a_read_that_overlaps_another_process_write_is_not_cached(
    stores: tuple[PostgresStateStore, PostgresStateStore],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """B reads 7, A lowers it to 2 and B hears so before its read is done: B answers
    with what it read but must not keep it (it would show 7 until the next write)."""
    a, b = stores
    before = b._epoch
    await a.set_progress(USER, 7)
    await until(lambda: b._epoch >= before + 1)
    read, release = asyncio.Event(), asyncio.Event()
    fetch_one = b._fetch_one

    async def paused(sql: str, params: tuple[object, ...] = ()) -> Any:
        row = await fetch_one(sql, params)  # the database's answer, then a pause
        read.set()
        await release.wait()
        return row

    monkeypatch.setattr(b, "_fetch_one", paused)
    reading = asyncio.create_task(b.stored_progress(USER))
    await read.wait()
    epoch = b._epoch
    await a.set_progress(USER, 2)
    await heard(b, epoch)
    release.set()
    assert await reading == 7  # read before the write: its answer stands
    assert (USER, 0) not in b._progress  # but it is not kept
    monkeypatch.setattr(b, "_fetch_one", fetch_one)
    assert await b.stored_progress(USER) == 2


async def test_a_read_that_overlaps_its_own_store_write_is_not_cached(
    stores: tuple[PostgresStateStore, PostgresStateStore],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On PostgreSQL a read and a write of one store run on different connections."""
    a, _ = stores
    await a.set_progress(USER, 7)
    a._progress.clear()
    read, release = asyncio.Event(), asyncio.Event()
    fetch_one = a._fetch_one

    async def paused(sql: str, params: tuple[object, ...] = ()) -> Any:
        row = await fetch_one(sql, params)
        read.set()
        await release.wait()
        return row

    monkeypatch.setattr(a, "_fetch_one", paused)
    reading = asyncio.create_task(a.stored_progress(USER))
    await read.wait()
    await a.set_progress(USER, 2)
    assert a._progress.get((USER, 0)) == 2  # written through
    release.set()
    assert await reading == 7
    assert a._progress.get((USER, 0)) == 2  # not overwritten by the older read


async def test_discussion_threads_channel_and_ratings_follow_the_other_store(
    stores: tuple[PostgresStateStore, PostgresStateStore],
) -> None:
    a, b = stores
    assert await b.discussions.channel(GUILD) is None
    assert await b.discussions.threads(GUILD) == []
    assert await b.community.ratings(GUILD) == {}
    assert GUILD in b.discussions._channels and GUILD in b.discussions._threads
    assert GUILD in b.community._ratings

    epoch = b._epoch
    await a.discussions.set_channel(GUILD, 555)
    await heard(b, epoch)
    assert await b.discussions.channel(GUILD) == 555

    epoch = b._epoch
    await a.discussions.save_thread(
        guild_id=GUILD,
        episode=1,
        thread_id=901,
        parent_id=555,
        starter_message_id=902,
        opened_by=USER,
        created_at=WHEN,
    )
    await heard(b, epoch)
    assert await b.discussions.thread_ids(GUILD) == {1: 901}

    await a.community.save_poll(GUILD, 1, 901, 903, WHEN)
    epoch = b._epoch
    assert await a.community.finish_poll(903, (0, 0, 1, 2, 3), WHEN)
    await heard(b, epoch)
    assert (await b.community.ratings(GUILD))[1].total == 6

    epoch = b._epoch
    await a.discussions.forget_thread(901)
    await heard(b, epoch)
    assert await b.discussions.threads(GUILD) == []


async def test_trivia_settings_follow_the_other_store(
    stores: tuple[PostgresStateStore, PostgresStateStore],
) -> None:
    a, b = stores
    assert await b.custom_questions.settings(GUILD) == TriviaSettings()
    assert GUILD in b.custom_questions._settings
    epoch = b._epoch
    await a.custom_questions.set_custom_enabled(GUILD, True)
    await heard(b, epoch)
    assert (await b.custom_questions.settings(GUILD)).custom_questions
    epoch = b._epoch
    await a.custom_questions.set_daily(GUILD, True, 42, "09:30")
    await heard(b, epoch)
    settings = await b.custom_questions.settings(GUILD)
    assert (settings.daily_enabled, settings.daily_channel_id, settings.daily_time) == (
        True,
        42,
        "09:30",
    )


async def test_an_import_elsewhere_forgets_whole_tables(
    stores: tuple[PostgresStateStore, PostgresStateStore],
) -> None:
    """Rows written many at once are not named one by one: the table is forgotten."""
    a, b = stores
    assert await b.stored_progress(USER) is None
    assert await b.stored_progress(USER + 1) is None
    epoch = b._epoch
    async with a.transaction() as db:
        await db.executemany(
            "INSERT INTO user_progress (user_id, guild_id, episode) VALUES (?, ?, ?)",
            [(USER, 0, 3), (USER + 1, 0, 4)],
        )
    await heard(b, epoch)
    assert len(b._progress) == 0
    assert [await b.stored_progress(u) for u in (USER, USER + 1)] == [3, 4]


async def test_what_a_transaction_announces(
    stores: tuple[PostgresStateStore, PostgresStateStore],
) -> None:
    a, _ = stores
    assert _written_table("INSERT INTO user_progress (user_id) VALUES (?)") == "user_progress"
    assert _written_table("  update Trivia_Settings SET x = 1") == "trivia_settings"
    assert _written_table("DELETE FROM episode_polls WHERE 1") == "episode_polls"
    assert _written_table("SELECT episode FROM user_progress") is None
    assert _written_table("WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x") == EVERY_TABLE

    notices: list[dict[str, Any]] = []
    conn = await asyncpg.connect(a.url)
    try:
        await conn.add_listener(pg.CHANNEL, lambda *args: notices.append(json.loads(args[3])))
        await a.set_progress(USER, 3, GUILD)
        await start_game(a)  # nothing cached: no notice
        async with a.transaction() as db:
            await db.execute("WITH x AS (SELECT 1) UPDATE trivia_games SET status = status")
        await until(lambda: len(notices) == 2)
    finally:
        await conn.close()
    assert notices[0] == {
        "origin": a.origin,
        "tables": ["user_progress"],
        "progress": [[USER, GUILD]],
    }
    assert notices[1] == {"origin": a.origin, "tables": [EVERY_TABLE]}


async def test_a_failed_write_is_not_announced(
    stores: tuple[PostgresStateStore, PostgresStateStore],
) -> None:
    a, b = stores
    before = b._epoch
    await a.set_progress(USER, 2)
    await until(lambda: b._epoch >= before + 1)
    assert await b.stored_progress(USER) == 2
    await b.custom_questions.settings(GUILD)
    epoch = b._epoch
    with pytest.raises(RuntimeError):
        async with a.transaction() as db:
            await db.execute(
                "UPDATE user_progress SET episode = ? WHERE user_id = ? AND guild_id = ?",
                (5, USER, 0),
            )
            raise RuntimeError("rolled back")
    await a.custom_questions.set_custom_enabled(GUILD, True)  # a notice to wait for
    await until(lambda: GUILD not in b.custom_questions._settings)
    assert b._epoch == epoch + 1
    assert b._progress.get((USER, 0)) == 2  # the rolled-back write dropped nothing


async def test_two_stores_under_load_end_on_the_last_value(
    stores: tuple[PostgresStateStore, PostgresStateStore],
) -> None:
    """Both write one fan's progress and read it, interleaved: once quiet, each reads the
    database's value, from its cache or not."""
    a, b = stores
    users = [USER + i for i in range(8)]

    async def churn(store: PostgresStateStore, offset: int) -> None:
        for step in range(30):
            user = users[(step + offset) % len(users)]
            await store.set_progress(user, (step * 7 + offset) % 16)
            await asyncio.gather(*(store.effective_progress(u, GUILD) for u in users))

    await asyncio.gather(churn(a, 0), churn(b, 3))
    epoch = a._epoch, b._epoch
    await a.custom_questions.set_custom_enabled(GUILD, True)  # one last notice each way
    await b.custom_questions.set_custom_enabled(GUILD + 1, True)
    await heard(a, epoch[0])
    await heard(b, epoch[1])
    conn = await asyncpg.connect(a.url)
    try:
        stored = {
            r["user_id"]: r["episode"]
            for r in await conn.fetch("SELECT user_id, episode FROM user_progress")
        }
    finally:
        await conn.close()
    for store in (a, b):
        assert {u: await store.stored_progress(u) for u in users} == stored
