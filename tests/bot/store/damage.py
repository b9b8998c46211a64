"""Real damage to a real fact store file, for the tests that prove it is never served."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path


def corrupt_pages_behind_header(path: Path, tables: tuple[str, ...] = ("passages",)) -> None:
    """Overwrite the root page of each table's b-tree with garbage. The header, the schema
    and the meta table (with its source hash) stay intact and readable."""
    with contextlib.closing(sqlite3.connect(path)) as db:
        (size,) = db.execute("PRAGMA page_size").fetchone()
        pages = [
            db.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (t,)).fetchone()[0]
            for t in tables
        ]
    assert 1 not in pages, "page 1 holds the header and the schema"
    with path.open("r+b") as f:
        for page in pages:
            f.seek((page - 1) * size)
            f.write(b"\xa5" * size)


def run_sql(path: Path, sql: str) -> None:
    with contextlib.closing(sqlite3.connect(path)) as db, db:
        db.execute(sql)
