"""`soundtrack-bot health`: can the bot start, and (with --live) is the running bot connected?

The running bot touches a heartbeat file next to its state database while it is connected
to the gateway; a container HEALTHCHECK or a monitoring timer reads its age. With
DATABASE_URL it checks that the PostgreSQL state answers instead of the SQLite file.
"""

from __future__ import annotations

import time
from pathlib import Path

from bot.facts.pipeline import source_hash
from bot.settings import Settings
from bot.store.dialect import redact_url
from bot.store.state import check_state_file
from bot.store.writer import stored_source_hash

HEARTBEAT_FILE = "bot.alive"
HEARTBEAT_SECONDS = 30.0
# Three missed beats mean the bot is stuck or disconnected.
HEARTBEAT_STALE_SECONDS = 3 * HEARTBEAT_SECONDS


def heartbeat_path(settings: Settings) -> Path:
    """DB_DIR/bot.alive; with SHARD_IDS one file per shard set (bot.shards-0-1.alive), so
    processes sharing a directory each have their own heartbeat."""
    if settings.shard_ids is None:
        return settings.state_db.with_name(HEARTBEAT_FILE)
    shards = "-".join(str(i) for i in settings.shard_ids)
    return settings.state_db.with_name(HEARTBEAT_FILE.replace(".", f".shards-{shards}.", 1))


def touch_heartbeat(settings: Settings) -> None:
    path = heartbeat_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()


def clear_heartbeat(settings: Settings) -> None:
    heartbeat_path(settings).unlink(missing_ok=True)


def check_health(settings: Settings, *, live: bool = False, now: float | None = None) -> list[str]:
    """Every problem found, one line each; empty when healthy."""
    problems: list[str] = []
    if not settings.documents_dir.is_dir():
        problems.append(f"no documents directory at {settings.documents_dir}")
    elif stored_source_hash(settings.facts_db) != source_hash(
        settings.documents_dir, settings.curated_file
    ):
        problems.append(f"fact store {settings.facts_db} is missing or out of date (run build)")
    if settings.database_url:
        from bot.store.postgres import check_url_now  # asyncpg only when used

        state = check_url_now(settings.database_url)
        if state != "ok":
            problems.append(f"state database {redact_url(settings.database_url)} {state}")
    else:
        # A missing state database is created with its schema at first start.
        state = check_state_file(settings.state_db) if settings.state_db.is_file() else "ok"
        if state != "ok":
            problems.append(f"state database {settings.state_db} {state}")
    if live:
        beat = heartbeat_path(settings)
        age = (now or time.time()) - beat.stat().st_mtime if beat.is_file() else None
        if age is None:
            problems.append("the bot is not running (no heartbeat)")
        elif age > HEARTBEAT_STALE_SECONDS:
            problems.append(f"the bot's last heartbeat was {age:.0f}s ago")
    return problems
