"""Migration 6 on a database an older bot left at version 5, with rows in every table it
rebuilds: every row and every other column, key, check and index kept, and an episode
bounded below only, on SQLite and PostgreSQL."""

from __future__ import annotations

import contextlib
import re
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from bot.store import StateStore
from bot.store.dialect import postgres_migration, postgres_sql
from bot.store.migrations import MIGRATIONS, migration_script
from bot.store.state import _statements
from bot.store.trivia_custom import CustomQuestion
from tests.bot.store.pg_server import PostgresServer, fresh_database

PREVIOUS = 5
AT = "2026-05-01T12:00:00.000Z"
# The columns migration 6 relaxes, and the lower bound each keeps.
BOUNDED = {
    "user_progress": ("episode", 0),
    "guild_settings": ("default_progress", 0),
    "discussion_threads": ("episode", 1),
    "discussion_schedule_runs": ("episode", 1),
    "trivia_custom_questions": ("spoiler_level", 0),
    "episode_polls": ("episode", 1),
    "episode_events": ("episode", 1),
}
# Rows as version 5 holds them: every rebuilt table, and one table left alone.
ROWS: dict[str, tuple[str, list[tuple[object, ...]]]] = {
    "user_progress": (
        "user_id, guild_id, episode, updated_at",
        [(1, 0, 4, AT), (1, 555, 2, AT), (2, 555, 0, "2026-05-02T08:30:00.125Z")],
    ),
    "guild_settings": (
        "guild_id, default_progress, discussion_channel_id, alert_role_name, alert_role_id,"
        " poll_hours",
        [(555, 3, 777, "Episode alerts", 888, 48), (556, 0, None, None, None, None)],
    ),
    "discussion_threads": (
        "guild_id, episode, thread_id, parent_id, starter_message_id, opened_by, created_at",
        [(555, 1, 9001, 777, 9002, 1, AT), (555, 4, 9003, 777, 9004, None, AT)],
    ),
    "discussion_schedule_runs": (
        "guild_id, episode, due_at, outcome, detail, ran_at",
        [
            (555, 1, "2026-05-01T20:00:00Z", "opened", None, AT),
            (555, 4, "2026-05-08T20:00:00Z", "failed", "Missing Access", AT),
        ],
    ),
    "trivia_custom_questions": (
        "guild_id, category, difficulty, question, answer, wrong1, wrong2, wrong3, aliases,"
        " spoiler_level, author_id, created_at",
        [  # numbered 1 and 2 by the database, as the bot writes them
            (555, "lore", "hard", "Which one?", "A", "B", "C", "D", "Ay", 4, 1, AT),
            (555, "music", "easy", "Which song?", "E", "F", "G", "H", "", 0, None, AT),
        ],
    ),
    "episode_polls": (
        "guild_id, episode, channel_id, message_id, expires_at, ended_at,"
        " votes_1, votes_2, votes_3, votes_4, votes_5",
        [
            (555, 3, 777, 9100, AT, AT, 0, 1, 2, 3, 4),
            (555, 4, 777, 9101, AT, None, None, None, None, None, None),
        ],
    ),
    "episode_events": ("guild_id, episode, event_id, starts_at", [(555, 4, 9200, AT)]),
    "trivia_games": (
        "guild_id, channel_id, starter_id, rounds, spoiler_cap, seconds, started_at",
        [(555, 777, 1, 5, 4, 20, AT)],
    ),
}

Run = Callable[[str, tuple[object, ...]], Awaitable[list[tuple[Any, ...]]]]


@contextlib.asynccontextmanager
async def connected(target: str | Path) -> AsyncIterator[Run]:
    """A plain connection to the database (a PostgreSQL URL or a SQLite file), outside the
    bot's store: `run(sql, params)` with SQLite-spelled SQL, returning the rows."""
    if isinstance(target, Path):
        db = sqlite3.connect(target)

        async def run_sqlite(sql: str, params: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
            return [tuple(row) for row in db.execute(sql, params).fetchall()]

        try:
            yield run_sqlite
            db.commit()
        finally:
            db.close()
        return
    conn = await asyncpg.connect(target)

    async def run_postgres(sql: str, params: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
        return [tuple(row.values()) for row in await conn.fetch(postgres_sql(sql), *params)]

    try:
        yield run_postgres
    finally:
        await conn.close()


async def leave_at_previous_version(target: str | Path) -> None:
    """What a bot with migrations 1-5 left behind, with the rows of ROWS."""
    async with connected(target) as run:
        postgres = not isinstance(target, Path)
        for migration in MIGRATIONS[:PREVIOUS]:
            dialect = "postgresql" if postgres else "sqlite"
            for statement in _statements(migration_script(migration, dialect)):
                await run(postgres_migration(statement) if postgres else statement, ())
        if postgres:
            await run("CREATE TABLE state_schema (version BIGINT NOT NULL)", ())
            await run("INSERT INTO state_schema (version) VALUES (?)", (PREVIOUS,))
        else:
            await run(f"PRAGMA user_version = {PREVIOUS:d}", ())
        for table, (columns, rows) in ROWS.items():
            marks = ", ".join("?" for _ in columns.split(","))
            for row in rows:
                await run(f"INSERT INTO {table} ({columns}) VALUES ({marks})", row)


def canonical(check: str) -> str:
    """A CHECK as the same words on both backends: "check episode >= 0" (PostgreSQL adds
    parentheses and writes BETWEEN as two comparisons)."""
    return " ".join(re.sub(r"[()]", " ", check).lower().split())


def sqlite_checks(create_table: str) -> list[str]:
    """Every CHECK (...) clause of a CREATE TABLE statement, nested parentheses and all."""
    checks = []
    for found in re.finditer(r"\bCHECK\s*\(", create_table, re.IGNORECASE):
        depth, end = 0, found.end() - 1
        for end in range(found.end() - 1, len(create_table)):
            depth += {"(": 1, ")": -1}.get(create_table[end], 0)
            if depth == 0:
                break
        checks.append(create_table[found.start() : end + 1])
    return checks


async def snapshot(target: str | Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """(rows, schema) of every state table; a table's schema is its columns, indexes,
    keys and other constraints, with its checks kept apart as canonical text."""
    rows: dict[str, Any] = {}
    schema: dict[str, Any] = {}
    async with connected(target) as run:
        if isinstance(target, Path):
            tables = [
                str(r[0])
                for r in await run(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'table'"
                    " AND name NOT LIKE 'sqlite_%' ORDER BY name",
                    (),
                )
            ]
            for table in tables:
                [(sql,)] = await run("SELECT sql FROM sqlite_master WHERE name = ?", (table,))
                indexes = []
                for _, name, unique, origin, partial in await run(
                    f"PRAGMA index_list({table})", ()
                ):
                    columns = [r[2] for r in await run(f"PRAGMA index_info({name})", ())]
                    indexes.append((name, unique, origin, partial, columns))
                schema[table] = {
                    "columns": await run(f"PRAGMA table_info({table})", ()),
                    "indexes": sorted(indexes),
                    "foreign keys": await run(f"PRAGMA foreign_key_list({table})", ()),
                    "checks": sorted(canonical(c) for c in sqlite_checks(sql)),
                }
        else:
            tables = [
                str(r[0])
                for r in await run(
                    "SELECT table_name FROM information_schema.tables"
                    " WHERE table_schema = current_schema() AND table_name <> 'state_schema'"
                    " ORDER BY table_name",
                    (),
                )
            ]
            for table in tables:
                constraints = await run(
                    "SELECT conname, contype::text, pg_get_constraintdef(oid) FROM pg_constraint"
                    " WHERE conrelid = to_regclass(?) ORDER BY conname",
                    (table,),
                )
                schema[table] = {
                    "columns": await run(
                        "SELECT column_name, data_type, is_nullable, column_default"
                        " FROM information_schema.columns WHERE table_schema = current_schema()"
                        " AND table_name = ? ORDER BY ordinal_position",
                        (table,),
                    ),
                    "indexes": await run(
                        "SELECT indexname, indexdef FROM pg_indexes"
                        " WHERE schemaname = current_schema() AND tablename = ? ORDER BY 1",
                        (table,),
                    ),
                    "constraints": [c for c in constraints if c[1] != "c"],
                    "checks": sorted(canonical(c[2]) for c in constraints if c[1] == "c"),
                }
        for table in tables:
            rows[table] = sorted(await run(f"SELECT * FROM {table}", ()), key=repr)
    return rows, schema


async def open_state(target: str | Path, tmp_path: Path) -> StateStore:
    if isinstance(target, Path):
        return await StateStore.open(target)
    return await StateStore.connect(target, tmp_path / "unused.db")


@contextlib.asynccontextmanager
async def database(backend: PostgresServer | None, tmp_path: Path) -> AsyncIterator[str | Path]:
    if backend is None:
        yield tmp_path / "state.db"
        return
    async with fresh_database(backend) as url:
        yield url


async def test_migration_6_keeps_every_row_and_bounds_episodes_below_only(
    backend: PostgresServer | None, tmp_path: Path
) -> None:
    async with database(backend, tmp_path) as target:
        await leave_at_previous_version(target)
        rows_before, schema_before = await snapshot(target)
        assert all(rows_before[table] for table in ROWS)

        state = await open_state(target, tmp_path)
        try:
            assert await state.schema_version() == len(MIGRATIONS) >= PREVIOUS + 1
            assert await state.integrity_check() == "ok"
        finally:
            await state.close()
        rows_after, schema_after = await snapshot(target)

        assert rows_after == rows_before
        expected = {table: dict(parts) for table, parts in schema_before.items()}
        for table, (column, lowest) in BOUNDED.items():
            old = [c for c in expected[table]["checks"] if c.startswith(f"check {column} ")]
            assert len(old) == 1 and "4" in old[0]  # version 5 capped it at episode 4
            kept = [c for c in expected[table]["checks"] if c not in old]
            expected[table]["checks"] = sorted([*kept, f"check {column} >= {lowest}"])
        assert schema_after == expected

        # The store reads the kept rows, and writes past the old cap but not below zero.
        state = await open_state(target, tmp_path)
        try:
            assert await state.stored_progress(1) == 4
            assert await state.default_progress(555) == 3
            await state.set_progress(1, 9)
            assert await state.stored_progress(1) == 9
            with pytest.raises(sqlite3.IntegrityError):
                await state.set_progress(1, -1)
            assert await state.stored_progress(1) == 9
            question = CustomQuestion("lore", "A new one?", "A", ("B", "C", "D"), 6)
            number = await state.custom_questions.add(555, 1, question)
            assert number == 3  # after the kept questions' numbers
        finally:
            await state.close()
