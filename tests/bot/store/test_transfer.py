"""State export and import (bot/store/transfer.py) and the `migrate` and `state` commands:
SQLite -> PostgreSQL -> SQLite gives back every row of every table."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot import cli
from bot.store import StateStore
from bot.store.transfer import TABLES, TransferError, export_state, import_state, loads
from bot.store.trivia import AnswerRecord
from bot.store.trivia_custom import CustomQuestion, custom_id
from tests.bot.store.pg_server import PostgresServer, fresh_database

GUILD, OTHER = 111_111_111_111_111_111, 222_222_222_222_222_222  # 64-bit, as Discord's
ALICE, BOB = 900_000_000_000_000_001, 900_000_000_000_000_002
NOW = datetime(2026, 5, 3, 12, 0, 0, 250_000, tzinfo=UTC)


async def fill(state: StateStore, guild: int) -> None:
    """A row in every state table for `guild`, through the store's own API."""
    await state.set_progress(ALICE, 2)  # global
    await state.set_progress(ALICE, 3, guild_id=guild)
    await state.set_progress(BOB, 1, guild_id=guild)
    await state.set_default_progress(guild, 1)
    await state.discussions.set_channel(guild, guild + 1)
    number = await state.custom_questions.add(
        guild, ALICE, CustomQuestion("lore", f"Who sings? {guild}", "A", ("B", "C", "D"), 1)
    )
    assert number is not None
    game = await state.trivia.start_game(
        guild_id=guild,
        channel_id=guild + 2,
        starter_id=ALICE,
        rounds=2,
        category=None,
        difficulty="easy",
        spoiler_cap=2,
        seconds=20,
    )
    await state.trivia.close_round(
        game,
        1,
        custom_id(number),
        guild + 3,
        [AnswerRecord(ALICE, "A", True, 900, 1200), AnswerRecord(BOB, "B", False, 0, 800)],
    )
    await state.trivia.end_game(game, "finished", "all rounds played")
    await state.discussions.save_thread(
        guild_id=guild,
        episode=1,
        thread_id=guild + 4,
        parent_id=guild + 1,
        starter_message_id=guild + 5,
        opened_by=None,
        created_at=NOW,
        scheduled_due=NOW,
    )
    await state.discussions.set_schedule(guild, enabled=True, since=NOW - timedelta(days=1))
    await state.custom_questions.set_custom_enabled(guild, True)
    await state.custom_questions.set_daily(guild, True, guild + 6, "09:30")
    await state.seasons.start(guild, "Spring", ALICE, NOW - timedelta(hours=1))
    await state.seasons.end(guild, ALICE, NOW + timedelta(days=1))
    await state.daily.claim(guild, "2026-05-03", "q-2", guild + 6, NOW)
    await state.daily.set_message(guild, "2026-05-03", guild + 7)
    await state.daily.answer(guild, "2026-05-03", BOB, "A", True, NOW)
    await state.community.save_poll(guild, 1, guild + 4, guild + 8, NOW + timedelta(days=2))
    await state.community.finish_poll(guild + 8, (0, 1, 2, 3, 4), NOW + timedelta(days=2))
    await state.community.save_event(guild, 2, guild + 9, NOW + timedelta(days=7))
    await state.community.set_alert_role(guild, "Alerts", guild + 10)
    await state.community.set_poll_hours(guild, 24)


async def every_row(state: StateStore) -> dict[str, list[list[Any]]]:
    document = await export_state(state)
    return {name: table["rows"] for name, table in document["tables"].items()}


async def test_every_table_is_exported(state: StateStore) -> None:
    """A migration that adds a table must add it to TABLES too."""
    assert sorted(name for name, _ in TABLES) == await state.table_names()
    await fill(state, GUILD)
    assert all(rows for rows in (await every_row(state)).values())  # fill() reaches them all


async def test_sqlite_to_postgresql_and_back_keeps_every_row(
    tmp_path: Path, postgres_server: PostgresServer
) -> None:
    source = await StateStore.open(tmp_path / "source.db")
    await fill(source, GUILD)
    await fill(source, OTHER)
    original = await export_state(source)
    await source.close()

    async with fresh_database(postgres_server) as url:
        middle = await StateStore.connect(url, tmp_path / "unused.db")
        await import_state(middle, loads(json.dumps(original)))
        on_postgres = await export_state(middle)
        # The moved state works there: reads, and new rows get fresh ids.
        assert await middle.effective_progress(ALICE, GUILD) == 3
        assert (await middle.trivia.leaderboard(GUILD))[0].user_id == ALICE
        assert await middle.trivia.start_game(
            guild_id=GUILD,
            channel_id=1,
            starter_id=ALICE,
            rounds=1,
            category=None,
            difficulty=None,
            spoiler_cap=0,
            seconds=20,
        ) == 1 + max(r[0] for r in original["tables"]["trivia_games"]["rows"])
        await middle.close()

    back = await StateStore.open(tmp_path / "back.db")
    await import_state(back, loads(json.dumps(on_postgres)))
    assert on_postgres == original
    assert await export_state(back) == original
    await back.close()


async def test_one_server_moves_alone_and_a_taken_key_writes_nothing(
    state: StateStore, tmp_path: Path
) -> None:
    await fill(state, GUILD)
    await fill(state, OTHER)
    document = await export_state(state, GUILD)
    rows = {name: table["rows"] for name, table in document["tables"].items()}
    assert rows["user_progress"][0][:3] == [ALICE, GUILD, 3]
    assert all(r[1] == GUILD for r in rows["user_progress"])  # no global, no other server
    assert len(rows["trivia_answers"]) == 2

    target = await StateStore.open(tmp_path / "target.db")
    try:
        await fill(target, OTHER)  # the target holds another server: its ids are taken
        others = await export_state(target, OTHER)
        moved = await import_state(target, loads(json.dumps(document)))
        assert moved.total == sum(len(r) for r in rows.values())
        here = await export_state(target, GUILD)
        assert {n: len(t["rows"]) for n, t in here["tables"].items()} == {
            n: len(r) for n, r in rows.items()
        }
        assert await export_state(target, OTHER) == others  # untouched
        assert await target.effective_progress(BOB, GUILD) == 1
        assert [(r.user_id, r.points) for r in await target.trivia.leaderboard(GUILD)] == [
            (ALICE, 900),
            (BOB, 0),
        ]
        # The round still names its question, under the question's new number.
        [question] = await target.custom_questions.questions(GUILD)
        [game] = [g for g in await target.trivia.games() if g.guild_id == GUILD]
        round_row = await target._fetch_one(
            "SELECT question_id FROM trivia_rounds WHERE game_id = ?", (game.id,)
        )
        assert round_row is not None and round_row[0] == question.id
        assert question.question == f"Who sings? {GUILD}"

        whole = await export_state(target)
        with pytest.raises(sqlite3.IntegrityError):
            await import_state(target, whole)  # a whole export keeps ids: all taken here
        assert await export_state(target) == whole  # nothing written
    finally:
        await target.close()


async def test_a_malformed_export_is_refused(state: StateStore) -> None:
    with pytest.raises(TransferError):
        loads("{}")
    with pytest.raises(TransferError):
        loads("not json")
    document = await export_state(state)
    document["tables"]["user_progress"] = {"columns": ["user_id; DROP"], "rows": []}
    with pytest.raises(TransferError, match="do not match"):
        await import_state(state, document)
    document = await export_state(state)
    document["schema_version"] = 1
    with pytest.raises(TransferError, match="schema version"):
        await import_state(state, document)


def test_the_commands_migrate_export_and_import_between_backends(
    tmp_path: Path,
    postgres_server: PostgresServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import asyncio

    import asyncpg

    sqlite_file = tmp_path / "state.db"

    async def seed() -> None:
        state = await StateStore.open(sqlite_file)
        await fill(state, GUILD)
        await state.close()

    asyncio.run(seed())
    monkeypatch.setenv("STATE_DB", str(sqlite_file))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)  # no .env of the checkout's current directory
    exported = tmp_path / "state.json"
    assert cli.main(["state", "export", str(exported)]) == 0

    async def new_database() -> str:
        admin = await asyncpg.connect(postgres_server.url())
        await admin.execute("CREATE DATABASE cli_move")
        await admin.close()
        return postgres_server.url("cli_move")

    url = asyncio.run(new_database()).replace("bot@", "bot:hunter2@")  # trust: any password
    monkeypatch.setenv("DATABASE_URL", url)
    assert cli.main(["migrate"]) == 0
    assert cli.main(["state", "import", str(exported)]) == 0
    assert cli.main(["state", "import", str(exported)]) == 1  # refused: already there
    out, err = capsys.readouterr()
    assert "schema version" in out and "Imported the whole state" in out
    assert "import refused, nothing written" in err
    assert "hunter2" not in out + err and "bot:***@" in out

    again = tmp_path / "again.json"
    assert cli.main(["state", "export", str(again)]) == 0
    assert json.loads(again.read_text(encoding="utf-8")) == json.loads(
        exported.read_text(encoding="utf-8")
    )
