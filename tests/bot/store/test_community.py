"""Rating polls, rewatch events and the alert-role settings in the state database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.store import StateStore
from bot.store.community import DEFAULT_ALERT_ROLE, DEFAULT_POLL_HOURS, Rating
from bot.store.migrations import MIGRATIONS

WHEN = datetime(2030, 2, 1, 20, 0, tzinfo=UTC)


async def test_migration_5_creates_the_tables(state: StateStore) -> None:
    assert "CREATE TABLE episode_polls" in MIGRATIONS[4]  # number 5
    assert await state.schema_version() == len(MIGRATIONS)


async def test_a_poll_is_stored_finished_once_and_rated(state: StateStore) -> None:
    polls = state.community
    await polls.save_poll(1, 2, 20, 200, WHEN)
    await polls.save_poll(1, 3, 30, 300, WHEN + timedelta(days=1))
    assert [p.message_id for p in await polls.open_polls()] == [200, 300]
    assert await polls.ratings(1) == {}
    assert await polls.finish_poll(200, (0, 1, 0, 2, 3), WHEN)
    assert not await polls.finish_poll(200, (9, 9, 9, 9, 9), WHEN)  # already in
    rating = (await polls.ratings(1))[2]
    assert rating == Rating((0, 1, 0, 2, 3)) and rating.total == 6
    assert rating.average == pytest.approx((2 + 8 + 15) / 6)
    assert [p.message_id for p in await polls.open_polls()] == [300]
    assert await polls.ratings(2) == {}  # other servers see nothing
    with pytest.raises(ValueError):
        await polls.finish_poll(300, (1, 2), WHEN)
    await polls.forget_poll(300)
    assert await polls.poll(1, 3) is None
    await polls.forget_poll(200)  # a finished poll's rating is kept
    assert (await polls.poll(1, 2)) is not None


async def test_events_are_saved_moved_and_forgotten(state: StateStore) -> None:
    records = state.community
    await records.save_event(1, 1, 111, WHEN)
    await records.save_event(1, 1, 111, WHEN + timedelta(days=1))
    [event] = (await records.events(1)).values()
    assert event.event_id == 111 and event.starts_at == WHEN + timedelta(days=1)
    await records.forget_event(1, 1)
    assert await records.events(1) == {}


async def test_alert_role_and_poll_hours_have_defaults(state: StateStore) -> None:
    records = state.community
    assert await records.alert_role(5) == (DEFAULT_ALERT_ROLE, None)
    assert await records.poll_hours(5) == DEFAULT_POLL_HOURS
    await state.set_default_progress(5, 2)  # the settings row exists with other columns
    assert await records.alert_role(5) == (DEFAULT_ALERT_ROLE, None)
    await records.set_alert_role(5, "Fans", 99)
    await records.set_poll_hours(5, 0)
    assert await records.alert_role(5) == ("Fans", 99)
    assert await records.poll_hours(5) == 0
    assert await state.default_progress(5) == 2
