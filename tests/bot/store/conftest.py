"""Every state test here runs on both backends: SQLite (a file) and PostgreSQL (a database
of its own on the session's throwaway server)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.store import StateStore
from tests.bot.store.pg_server import PostgresServer, fresh_database


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> PostgresServer | None:
    """None for SQLite, else the session's PostgreSQL server."""
    if request.param == "postgresql":
        server: PostgresServer = request.getfixturevalue("postgres_server")
        return server
    return None


@pytest.fixture
async def state(backend: PostgresServer | None, tmp_path: Path) -> AsyncIterator[StateStore]:
    if backend is None:
        store = await StateStore.open(tmp_path / "state.db")
        yield store
        await store.close()
        return
    async with fresh_database(backend) as url:
        store = await StateStore.connect(url, tmp_path / "unused.db")
        yield store
        await store.close()
