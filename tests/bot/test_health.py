"""`soundtrack-bot health`: the container's and the unit's health check."""

from __future__ import annotations

import asyncio
import os
import shutil
import time
from pathlib import Path

import asyncpg

from bot.facts.pipeline import BuildSummary
from bot.health import check_health, clear_heartbeat, heartbeat_path, touch_heartbeat
from bot.settings import Settings, load_settings
from bot.store.dialect import redact_url
from bot.store.migrations import MIGRATIONS
from bot.store.state import StateStore


def settings_for(facts_db: Path, state_db: Path, database_url: str = "") -> Settings:
    return load_settings(
        environ={
            "FACTS_DB": str(facts_db),
            "STATE_DB": str(state_db),
            "DATABASE_URL": database_url,
        },
        env_file=state_db.parent / "none.env",
    )


def test_healthy_after_a_build_and_live_only_with_a_fresh_heartbeat(
    built_store: tuple[Path, BuildSummary], tmp_path: Path
) -> None:
    facts_db = tmp_path / "facts.db"
    shutil.copy(built_store[0], facts_db)
    settings = settings_for(facts_db, tmp_path / "state.db")
    assert check_health(settings) == []
    assert check_health(settings, live=True) == ["the bot is not running (no heartbeat)"]
    touch_heartbeat(settings)
    assert check_health(settings, live=True) == []
    stale = time.time() - 1000
    os.utime(heartbeat_path(settings), (stale, stale))
    assert check_health(settings, live=True) == ["the bot's last heartbeat was 1000s ago"]
    clear_heartbeat(settings)
    assert not heartbeat_path(settings).exists()


def test_a_missing_store_or_a_corrupt_state_database_is_named(tmp_path: Path) -> None:
    state_db = tmp_path / "state.db"
    state_db.write_bytes(b"this is not a database" * 100)
    problems = check_health(settings_for(tmp_path / "missing.db", state_db))
    assert (
        problems[0] == f"fact store {tmp_path / 'missing.db'} is missing or out of date (run build)"
    )
    assert problems[1].startswith(f"state database {state_db} does not open")
    assert len(problems) == 2


async def test_on_postgresql_the_server_is_reached_and_a_newer_schema_named(
    built_store: tuple[Path, BuildSummary], tmp_path: Path, database_url: str
) -> None:
    facts_db = tmp_path / "facts.db"
    shutil.copy(built_store[0], facts_db)
    # Not migrated yet is healthy: the bot migrates at start. Health runs its own loop.
    healthy = await asyncio.to_thread(
        check_health, settings_for(facts_db, tmp_path / "s.db", database_url)
    )
    assert healthy == []
    store = await StateStore.connect(database_url, tmp_path / "unused.db")
    await store.close()
    conn = await asyncpg.connect(database_url)
    await conn.execute("UPDATE state_schema SET version = $1", len(MIGRATIONS) + 1)
    await conn.close()
    newer = await asyncio.to_thread(
        check_health, settings_for(facts_db, tmp_path / "s.db", database_url)
    )
    assert newer == [
        f"state database {redact_url(database_url)} has schema version"
        f" {len(MIGRATIONS) + 1}, newer than this code ({len(MIGRATIONS)})"
    ]
    gone = "postgresql://bot:secret@127.0.0.1:1/none"
    [problem] = await asyncio.to_thread(
        check_health, settings_for(facts_db, tmp_path / "s.db", gone)
    )
    assert problem.startswith("state database postgresql://bot:***@127.0.0.1:1/none is unreachable")
    assert "secret" not in problem
