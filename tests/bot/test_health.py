"""`soundtrack-bot health`: the container's and the unit's health check."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import time
from pathlib import Path

import asyncpg

from bot.facts.pipeline import BuildSummary
from bot.health import check_health, clear_heartbeat, heartbeat_path, touch_heartbeat
from bot.settings import Settings, load_settings
from bot.store.dialect import redact_url
from bot.store.migrations import MIGRATIONS


def settings_for(facts_db: Path, state_db: Path) -> Settings:
    return load_settings(
        environ={"FACTS_DB": str(facts_db), "STATE_DB": str(state_db)},
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


async def _schema_version_set(url: str, version: int) -> None:
    conn = await asyncpg.connect(url)
    try:
        await conn.execute("CREATE TABLE IF NOT EXISTS state_schema (version BIGINT NOT NULL)")
        await conn.execute("DELETE FROM state_schema")
        await conn.execute("INSERT INTO state_schema (version) VALUES ($1)", version)
    finally:
        await conn.close()


def test_the_postgresql_state_is_checked_when_set(
    built_store: tuple[Path, BuildSummary], tmp_path: Path, database_url: str
) -> None:
    facts_db = tmp_path / "facts.db"
    shutil.copy(built_store[0], facts_db)
    environ = {"FACTS_DB": str(facts_db), "STATE_DB": str(tmp_path / "state.db")}
    none = tmp_path / "none.env"
    healthy = load_settings(environ={**environ, "DATABASE_URL": database_url}, env_file=none)
    assert check_health(healthy) == []
    asyncio.run(_schema_version_set(database_url, len(MIGRATIONS) + 1))
    assert check_health(healthy) == [
        f"state database {redact_url(database_url)} has schema version"
        f" {len(MIGRATIONS) + 1}, newer than this code ({len(MIGRATIONS)})"
    ]
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    gone = f"postgresql://bot:s3cret@127.0.0.1:{port}/state"
    (problem,) = check_health(
        load_settings(environ={**environ, "DATABASE_URL": gone}, env_file=none)
    )
    assert problem.startswith("state database postgresql://bot:***@127.0.0.1")
    assert "cannot be reached" in problem and "s3cret" not in problem


def test_each_shard_set_has_its_own_heartbeat(tmp_path: Path) -> None:
    environ = {"STATE_DB": str(tmp_path / "state.db"), "SHARD_COUNT": "4"}
    paths = {
        heartbeat_path(
            load_settings(environ={**environ, "SHARD_IDS": ids}, env_file=tmp_path / "none.env")
        )
        for ids in ("0-1", "2,3")
    }
    assert paths == {tmp_path / "bot.shards-0-1.alive", tmp_path / "bot.shards-2-3.alive"}
