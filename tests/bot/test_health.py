"""`soundtrack-bot health`: the container's and the unit's health check."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from bot.facts.pipeline import BuildSummary
from bot.health import check_health, clear_heartbeat, heartbeat_path, touch_heartbeat
from bot.settings import Settings, load_settings


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
