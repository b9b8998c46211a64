"""The state store's cache of discussion threads and channels never serves what a write
changed: every write drops what it may change, committed or not."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.store import StateStore

GUILD, OTHER = 10, 20
WHEN = datetime(2026, 1, 1, tzinfo=UTC)


async def save(state: StateStore, guild: int, episode: int, thread: int) -> None:
    await state.discussions.save_thread(
        guild_id=guild,
        episode=episode,
        thread_id=thread,
        parent_id=1,
        starter_message_id=thread,
        opened_by=None,
        created_at=WHEN,
    )


async def test_reads_follow_every_write(state: StateStore) -> None:
    records = state.discussions
    assert await records.threads(GUILD) == [] and await records.channel(GUILD) is None
    await save(state, GUILD, 1, 101)
    await save(state, OTHER, 1, 201)
    assert [t.thread_id for t in await records.threads(GUILD)] == [101]
    await save(state, GUILD, 1, 102)  # the thread was deleted and opened again
    assert (await records.thread(GUILD, 1)).thread_id == 102  # type: ignore[union-attr]
    assert await records.forget_thread(102) is not None
    assert await records.thread(GUILD, 1) is None
    assert [t.thread_id for t in await records.threads(OTHER)] == [201]
    await records.set_channel(GUILD, 555)
    assert await records.channel(GUILD) == 555
    await records.set_channel(GUILD, None)
    assert await records.channel(GUILD) is None


async def test_a_failed_write_leaves_no_stale_read(state: StateStore) -> None:
    records = state.discussions
    await save(state, GUILD, 2, 301)
    assert await records.thread(GUILD, 2) is not None  # cached now
    with pytest.raises(ValueError, match="naive"):
        await records.save_thread(
            guild_id=GUILD,
            episode=2,
            thread_id=302,
            parent_id=1,
            starter_message_id=302,
            opened_by=None,
            created_at=datetime(2026, 1, 1),
        )
    assert (await records.thread(GUILD, 2)).thread_id == 301  # type: ignore[union-attr]
