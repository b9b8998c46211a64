"""What a queued state write is made of (`StateStore.write`), and how a batch of them runs
on SQLite's connection thread. No imports from the rest of the store: the record classes
build `Statement`s, and state.py imports them."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import aiosqlite


@dataclass(frozen=True, slots=True)
class Statement:
    """One statement of a queued write (`StateStore.write`): with `params`, or run once per
    row of `rows` (executemany)."""

    sql: str
    params: Sequence[object] = ()
    rows: Sequence[Sequence[object]] | None = None


Rows = list[list[Any]]  # what each statement of a write returned, in order


@dataclass(slots=True)
class QueuedWrite:
    statements: Sequence[Statement]
    done: asyncio.Future[Rows]


def run_batch(
    db: aiosqlite.Connection, writes: list[Sequence[Statement]]
) -> list[Rows | sqlite3.Error]:
    """On the connection's thread: every write in one transaction, each in a savepoint;
    a write's error is its outcome, undone alone. Anything else (the commit itself, an
    error that took the whole transaction with it) undoes them all and raises."""
    conn = db._conn
    outcomes: list[Rows | sqlite3.Error] = []
    conn.execute("BEGIN IMMEDIATE")
    try:
        for statements in writes:
            conn.execute("SAVEPOINT queued_write")
            try:
                results: Rows = []
                for statement in statements:
                    if statement.rows is not None:
                        conn.executemany(statement.sql, statement.rows)
                        results.append([])
                    else:
                        results.append(conn.execute(statement.sql, statement.params).fetchall())
            except sqlite3.Error as error:
                try:
                    conn.execute("ROLLBACK TO queued_write")
                except sqlite3.Error:
                    # SQLite already undid the whole transaction (a full disk, an I/O
                    # error): every write of the batch fails, with this write's cause.
                    raise error from None
                outcomes.append(error)
            else:
                outcomes.append(results)
            conn.execute("RELEASE queued_write")
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    return outcomes
