"""State export and import: every table of the state database (or one server's rows of
it) as JSON, to move the bot between SQLite and PostgreSQL, or a server between bots.

The file holds rows as written (ids, times, numbers, text): importing it into the other
backend gives back the same rows. An import is one transaction that only inserts: if the
target already holds a row with the same key (the server's settings, a game id), nothing
is written and the import says so; nothing is ever overwritten.

A whole export keeps every id. A server's export may go into a database that holds other
servers, whose ids would collide: its games, seasons and custom questions get new ids
there, and every reference follows (answers and rounds to their game, a round's or daily
question's `custom-<n>` to its question). A moved server's question numbers may change.

A server's export holds the rows of that server: its members' progress there, its
settings, trivia games with their rounds and answers, questions, seasons, daily
questions, threads, schedules, polls and events. Members' global progress (set in DMs,
used in every server) belongs to no server: it moves with a whole export only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.store.trivia_custom import custom_id, custom_number

if TYPE_CHECKING:
    from bot.store.state import StateStore

FORMAT = "soundtrack-bot-state"
FORMAT_VERSION = 1

_GAMES_OF_GUILD = "game_id IN (SELECT id FROM trivia_games WHERE guild_id = ?)"

# Every state table, parents before children (foreign keys), with the condition that
# picks one server's rows. A table added by a migration must be added here (a test fails).
TABLES: tuple[tuple[str, str], ...] = (
    ("user_progress", "guild_id = ?"),
    ("guild_settings", "guild_id = ?"),
    ("trivia_custom_questions", "guild_id = ?"),  # before the rounds that name them
    ("trivia_games", "guild_id = ?"),
    ("trivia_rounds", _GAMES_OF_GUILD),
    ("trivia_answers", _GAMES_OF_GUILD),
    ("discussion_threads", "guild_id = ?"),
    ("discussion_schedules", "guild_id = ?"),
    ("discussion_schedule_runs", "guild_id = ?"),
    ("trivia_settings", "guild_id = ?"),
    ("trivia_seasons", "guild_id = ?"),
    ("trivia_daily", "guild_id = ?"),
    ("trivia_daily_answers", "guild_id = ?"),
    ("episode_polls", "guild_id = ?"),
    ("episode_events", "guild_id = ?"),
)


# Tables whose `id` the target assigns on a server import (see above).
RENUMBERED = ("trivia_custom_questions", "trivia_games", "trivia_seasons")


class TransferError(ValueError):
    """The file is not a state export this bot can import; the message says why."""


@dataclass(frozen=True, slots=True)
class TransferSummary:
    guild_id: int | None  # None: the whole state
    rows: dict[str, int]  # table -> rows moved

    @property
    def total(self) -> int:
        return sum(self.rows.values())


async def export_state(state: StateStore, guild_id: int | None = None) -> dict[str, Any]:
    """The whole state, or one server's, as a JSON-ready dict."""
    tables: dict[str, Any] = {}
    for table, of_guild in TABLES:
        columns = await state.table_columns(table)
        listed = ", ".join(columns)
        # Table and column names come from this module and the schema, never from input.
        sql = f"SELECT {listed} FROM {table}"
        params: tuple[object, ...] = ()
        if guild_id is not None:
            sql += f" WHERE {of_guild}"
            params = (guild_id,)
        sql += f" ORDER BY {listed}"
        rows = await state._fetch_all(sql, params)
        tables[table] = {"columns": columns, "rows": [list(r) for r in rows]}
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "schema_version": await state.schema_version(),
        "guild_id": guild_id,
        "tables": tables,
    }


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def loads(text: str) -> dict[str, Any]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise TransferError(f"not JSON: {error}") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise TransferError(f"not a {FORMAT} export")
    if document.get("version") != FORMAT_VERSION:
        raise TransferError(f"export format {document.get('version')!r} is not {FORMAT_VERSION}")
    if not isinstance(document.get("tables"), dict):
        raise TransferError("the export has no tables")
    return document


async def import_state(state: StateStore, document: dict[str, Any]) -> TransferSummary:
    """Insert every row of an export in one transaction; refuses (writing nothing) on a
    schema mismatch, an unknown table or column, or a row whose key is already taken."""
    version = await state.schema_version()
    if document.get("schema_version") != version:
        raise TransferError(
            f"the export has schema version {document.get('schema_version')!r}, this"
            f" database {version}: run `soundtrack-bot migrate` on both first"
        )
    tables: dict[str, Any] = document["tables"]
    known = {table for table, _ in TABLES}
    unknown = set(tables) - known
    if unknown:
        raise TransferError(f"unknown tables in the export: {', '.join(sorted(unknown))}")
    plan: list[tuple[str, list[str], list[list[object]]]] = []
    for table, _ in TABLES:
        if table not in tables:
            continue
        entry = tables[table]
        columns = entry.get("columns") if isinstance(entry, dict) else None
        rows = entry.get("rows") if isinstance(entry, dict) else None
        if not isinstance(columns, list) or not isinstance(rows, list):
            raise TransferError(f"{table}: columns and rows expected")
        allowed = set(await state.table_columns(table))
        if not columns or not set(columns) <= allowed or len(set(columns)) != len(columns):
            raise TransferError(f"{table}: columns {columns!r} do not match the schema")
        for row in rows:
            if not isinstance(row, list) or len(row) != len(columns):
                raise TransferError(f"{table}: a row does not have {len(columns)} values")
            if not all(v is None or isinstance(v, int | float | str) for v in row):
                raise TransferError(f"{table}: values must be numbers, text or null")
        plan.append((table, columns, rows))

    renumber = document.get("guild_id") is not None
    new_ids: dict[str, dict[object, int]] = {table: {} for table in RENUMBERED}
    async with state.transaction() as db:
        for table, columns, rows in plan:
            if renumber:
                rows = [_renumbered(columns, row, new_ids) for row in rows]
            if renumber and table in RENUMBERED and "id" in columns:
                at = columns.index("id")
                kept = [c for c in columns if c != "id"]
                marks = ", ".join("?" for _ in kept)
                for row in rows:
                    cursor = await db.execute(
                        f"INSERT INTO {table} ({', '.join(kept)}) VALUES ({marks}) RETURNING id",
                        tuple(v for i, v in enumerate(row) if i != at),
                    )
                    made = await cursor.fetchone()
                    await cursor.close()
                    new_ids[table][row[at]] = int(made[0]) if made else 0
                continue
            marks = ", ".join("?" for _ in columns)
            await db.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                [tuple(r) for r in rows],
            )
        await state.after_import(db, [table for table, _, rows in plan if rows])
    state.forget_cached()
    return TransferSummary(document.get("guild_id"), {t: len(r) for t, _, r in plan})


def _renumbered(
    columns: list[str], row: list[object], new_ids: dict[str, dict[object, int]]
) -> list[object]:
    """A row with its references to renumbered rows pointed at their new ids."""
    out = list(row)
    for i, column in enumerate(columns):
        value = out[i]
        if column == "game_id" and value in new_ids["trivia_games"]:
            out[i] = new_ids["trivia_games"][value]
        elif column == "question_id" and isinstance(value, str):
            number = custom_number(value)
            if number in new_ids["trivia_custom_questions"]:
                out[i] = custom_id(new_ids["trivia_custom_questions"][number])
    return out
