"""The bot's own state (watch progress, server settings, and later trivia scores and
discussion threads): a separate SQLite database that no fact rebuild ever touches.

Schema changes are numbered migrations applied in order inside one transaction each;
`PRAGMA user_version` records the last one applied.

Durability: WAL with `synchronous = FULL`, so the WAL is synced to disk at every commit.
A transaction that committed survives the process being killed at any moment, a
checkpoint included (an interrupted checkpoint is redone from the WAL on the next open),
and a power loss as far as the disk honours fsync. Checkpoints are SQLite's automatic
passive ones (every WAL_AUTOCHECKPOINT pages) plus a truncating one at a clean close.

A file that cannot be written (disk full, read-only) does not stop the bot: it opens the
state read-only (or, if even that fails, empty and read-only), so lookups keep working
and every write fails with a storage error the user is told about.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import AsyncIterator, Collection, Iterable, Sequence
from pathlib import Path
from typing import Any, Self

import aiosqlite

from bot.store.community import CommunityRecords
from bot.store.discussions import DiscussionRecords
from bot.store.lru import LRU
from bot.store.migrations import MIGRATIONS, migration_script
from bot.store.trivia import TriviaRecords
from bot.store.trivia_custom import CustomQuestionRecords
from bot.store.trivia_seasons import DailyRecords, SeasonRecords
from bot.store.write_queue import QueuedWrite, Rows, Statement, run_batch

log = logging.getLogger(__name__)

GLOBAL_SCOPE = 0  # guild_id used for a user's progress that applies in every server
PROGRESS_CACHE_SIZE = 50_000
# Up to this many fans with stored progress are listed at open (see _progress_users).
PROGRESS_USERS_KNOWN = 100_000
WAL_AUTOCHECKPOINT = 1000  # pages (SQLite's default, stated so the choice is visible)
WAL_SIZE_LIMIT = 4 * 1024 * 1024  # bytes the WAL file is truncated back to after a checkpoint
BATCH_MAX = 100  # queued writes committed together at most


class StateUnavailable(sqlite3.OperationalError):
    """The PostgreSQL server cannot be reached or refused the work (storage trouble)."""


class StateStore:
    """The bot's state on SQLite (this class) or PostgreSQL (bot/store/postgres.py): one
    API, chosen by `connect`."""

    dialect = "sqlite"
    #: The tables some read cache holds rows of (see `forget_cached`): a write to one of
    #: them on PostgreSQL tells the other processes to forget what they cached.
    CACHED_TABLES = frozenset(
        {
            "user_progress",
            "guild_settings",
            *DiscussionRecords.CACHED_TABLES,
            *CommunityRecords.CACHED_TABLES,
            *CustomQuestionRecords.CACHED_TABLES,
        }
    )

    def __init__(self, db: aiosqlite.Connection, path: Path, *, writable: bool = True) -> None:
        self._db = db
        self.path = path
        #: False when the file could not be written at start: reads work, writes fail.
        self.writable = writable
        # One connection serves every cog: writes take turns, so that no statement of one
        # coroutine lands inside another's transaction.
        self._write_lock = asyncio.Lock()
        # Small writes of known statements (`write`) queue here and are committed together.
        self._queued: list[QueuedWrite] = []
        self._flusher: asyncio.Task[None] | None = None
        # Whether reads may be cached now. SQLite: always (the bot owns its state file).
        # PostgreSQL: only while it hears the other processes' writes (bot/store/postgres.py).
        self._caching = True
        # Bumped by every write to a cached table and every forgetting: a read that began
        # at another epoch may have seen rows since changed, so it keeps nothing.
        self._epoch = 0
        # Progress is read by nearly every reply and written through this store, so reads
        # are cached: (user, scope) -> episode or None.
        self._progress: LRU[tuple[int, int], int | None] = LRU(PROGRESS_CACHE_SIZE)
        self._defaults: LRU[int, int] = LRU(PROGRESS_CACHE_SIZE)
        # Who has any stored progress, listed at open when few enough (None: not known).
        # Most fans never set theirs: their first reply then needs no read at all.
        self._progress_users: set[int] | None = None
        self.trivia = TriviaRecords(self)
        self.discussions = DiscussionRecords(self)
        self.custom_questions = CustomQuestionRecords(self)
        self.seasons = SeasonRecords(self)
        self.daily = DailyRecords(self)
        self.community = CommunityRecords(self)

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, rolled back on any error."""
        async with self._write_lock:
            try:
                # Inside the try: a cancellation while BEGIN is queued still lets it run
                # on aiosqlite's thread, and the rollback queued after it must undo it.
                await self._db.execute("BEGIN IMMEDIATE")
                yield self._db
            except BaseException:
                await asyncio.shield(self._db.rollback())  # a no-op outside a transaction
                raise
            await asyncio.shield(self._db.commit())

    async def write(self, statements: Sequence[Statement]) -> Rows:
        """Run `statements` as one atomic write and return what each returned.

        On SQLite the writes queued meanwhile are committed together: one trip to the
        database thread and one sync to disk for all of them, each inside its own savepoint
        (a write that fails is undone alone and raises to its caller; a failed commit fails
        them all). So a burst of writes (fifty games starting or closing a round at once)
        waits for one commit, not for fifty in turn, and the event loop is not needed
        between the statements of a write. Like `transaction()`, it returns once the write
        is committed; a write once queued is carried out even if its caller stops waiting.
        """
        done: asyncio.Future[Rows] = asyncio.get_running_loop().create_future()
        self._queued.append(QueuedWrite(statements, done))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush(), name="state-writes")
        return await done

    async def _flush(self) -> None:
        while self._queued:
            async with self._write_lock:
                batch = self._queued[:BATCH_MAX]
                del self._queued[:BATCH_MAX]
                try:
                    # aiosqlite's own way to run a function on its connection's thread: the
                    # whole batch, statements and commit, in one trip.
                    outcomes = await asyncio.shield(
                        self._db._execute(run_batch, self._db, [w.statements for w in batch])
                    )
                except BaseException as error:
                    failure = (
                        error
                        if isinstance(error, Exception)
                        else sqlite3.OperationalError("the state writer was stopped")
                    )
                    for queued in batch:
                        if not queued.done.done():
                            queued.done.set_exception(failure)
                    if not isinstance(error, Exception):
                        raise
                    continue
            for queued, outcome in zip(batch, outcomes, strict=True):
                if queued.done.done():  # its caller stopped waiting; the write stands
                    continue
                if isinstance(outcome, BaseException):
                    queued.done.set_exception(outcome)
                else:
                    queued.done.set_result(outcome)

    async def _drain_writes(self) -> None:
        """Wait until every queued write is committed (or failed)."""
        while self._flusher is not None and not self._flusher.done():
            with contextlib.suppress(Exception):
                await asyncio.shield(self._flusher)

    @contextlib.asynccontextmanager
    async def exclusive(self, name: str) -> AsyncIterator[bool]:
        """Whether this process holds the job `name` for the block: a check-then-act that
        two processes must never both do runs inside it when it yields True. SQLite: one
        process owns its state file, so always True; PostgreSQL holds an advisory lock."""
        yield True

    # Raw SQL stays inside bot/store: the record classes (trivia, discussions) read through
    # these; everything else calls a named method.
    # One trip to the database thread each (execute, fetch and close together): a cursor
    # used step by step would take three.
    async def _fetch_all(self, sql: str, params: tuple[object, ...] = ()) -> list[aiosqlite.Row]:
        return list(await self._db.execute_fetchall(sql, params))

    async def _fetch_one(self, sql: str, params: tuple[object, ...] = ()) -> aiosqlite.Row | None:
        rows = await self._db.execute_fetchall(sql, params)
        return next(iter(rows), None)

    @staticmethod
    async def connect(database_url: str | None, path: Path) -> StateStore:
        """PostgreSQL when a DATABASE_URL is given, else the SQLite file at `path`."""
        if database_url:
            from bot.store.postgres import PostgresStateStore  # asyncpg only when used

            return await PostgresStateStore.open_url(database_url)
        return await StateStore.open(path)

    @property
    def caches_reads(self) -> bool:
        """Whether reads are cached now (on PostgreSQL, only while other processes' writes
        are heard)."""
        return self._caching

    def _cache_epoch(self) -> int | None:
        """Taken before a read whose result may be cached: None while caches are off."""
        return self._epoch if self._caching else None

    def _may_cache(self, epoch: int | None) -> bool:
        """Whether a read (or a write, to write its value through) begun at `epoch` may
        keep what it has: caches on, and nothing written or forgotten meanwhile."""
        return epoch is not None and epoch == self._epoch and self._caching

    def _cached_changed(self) -> None:
        """After a write to a cached table (committed or not): reads overlapping it keep
        nothing."""
        self._epoch += 1

    def forget_cached(self, tables: Collection[str] | None = None) -> None:
        """Drop every cached read (after a bulk write such as a state import), or only
        those of `tables` (another process wrote them)."""
        self._epoch += 1

        def touched(names: Collection[str]) -> bool:
            return tables is None or not set(names).isdisjoint(tables)

        if touched(("user_progress",)):
            self._progress.clear()
            self._progress_users = None
        if touched(("guild_settings",)):
            self._defaults.clear()
        if touched(DiscussionRecords.CACHED_TABLES):
            self.discussions.forget_cached()
        if touched(CommunityRecords.CACHED_TABLES):
            self.community.forget_cached()
        if touched(CustomQuestionRecords.CACHED_TABLES):
            self.custom_questions.forget_cached()

    def _forget_progress(self, keys: Iterable[tuple[int, int]]) -> None:
        """Another process wrote these (user, scope) progress rows."""
        self._epoch += 1
        for user_id, scope in keys:
            self._progress.drop((user_id, scope))
            if self._progress_users is not None:
                self._progress_users.add(user_id)

    def _wrote(self, table: str, key: tuple[int, ...]) -> None:
        """Inside a transaction: the row of `table` at `key` was written (PostgreSQL tells
        the other processes which; SQLite has no one to tell)."""

    @classmethod
    async def open(cls, path: Path) -> Self:
        """Open (creating and migrating) the state database; if it cannot be written, open
        it read-only instead and say so in the log."""
        try:
            store = await cls._open_writable(path)
        except (OSError, sqlite3.OperationalError) as error:
            # OSError: the state directory itself cannot be created. A locked file is not
            # this case: another process is writing, so starting read-only would hide it.
            if not isinstance(error, OSError) and not cannot_write(error):
                raise
            log.error(
                "State database %s cannot be written (%s). Running read-only: lookups work,"
                " but progress, scores and settings cannot be saved until it is fixed.",
                path,
                error,
            )
            store = await cls._open_read_only(path)
        await store._list_progress_users()
        return store

    async def _list_progress_users(self) -> None:
        epoch = self._cache_epoch()
        if epoch is None:
            return
        try:
            rows = await self._fetch_all(
                "SELECT DISTINCT user_id FROM user_progress LIMIT ?", (PROGRESS_USERS_KNOWN + 1,)
            )
        except sqlite3.Error as error:  # not known: every fan is read, as without the list
            log.warning("Could not list the fans with stored progress: %s", error)
            return
        if len(rows) <= PROGRESS_USERS_KNOWN and self._may_cache(epoch):
            self._progress_users = {int(r[0]) for r in rows}

    def _has_no_progress(self, user_id: int) -> bool:
        """Whether the user certainly has no stored progress (without reading)."""
        return self._progress_users is not None and user_id not in self._progress_users

    @classmethod
    async def _open_writable(cls, path: Path) -> Self:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = await aiosqlite.connect(path)
        try:
            await db.execute("PRAGMA journal_mode = WAL")
            await db.execute("PRAGMA synchronous = FULL")
            await db.execute(f"PRAGMA wal_autocheckpoint = {WAL_AUTOCHECKPOINT:d}")
            await db.execute(f"PRAGMA journal_size_limit = {WAL_SIZE_LIMIT:d}")
            await db.execute("PRAGMA foreign_keys = ON")
            await db.execute("PRAGMA busy_timeout = 5000")
            store = cls(db, path)
            await store._migrate()
        except BaseException:
            await db.close()
            raise
        return store

    @classmethod
    async def _open_read_only(cls, path: Path) -> Self:
        """The file read-only if it holds the current schema, else an empty read-only
        database with the schema (everyone at the default progress)."""
        for uri in _read_only_uris(path):
            try:
                db = await aiosqlite.connect(uri, uri=True)
            except sqlite3.Error:
                continue
            store = cls(db, path, writable=False)
            try:
                if await store.schema_version() == len(MIGRATIONS):
                    await store._fetch_one("SELECT count(*) FROM user_progress")
                    await db.execute("PRAGMA query_only = ON")
                    return store
            except sqlite3.Error:
                pass
            await db.close()
        log.error("State database %s cannot be read either; starting with empty state", path)
        db = await aiosqlite.connect(":memory:")
        store = cls(db, path, writable=False)
        await store._migrate()
        await db.execute("PRAGMA query_only = ON")
        return store

    async def checkpoint(self) -> None:
        """Copy every committed page from the WAL into the database and empty the WAL."""
        # Read to the end: a statement left in progress would block the next savepoint.
        query = "PRAGMA wal_checkpoint(TRUNCATE)"
        async with self._write_lock, self._db.execute(query) as cursor:
            await cursor.fetchall()

    async def close(self) -> None:
        if self._db._connection is None:  # closed already (closing twice is harmless)
            return
        await self._drain_writes()
        if self.writable:
            # Fold the WAL into the database at a clean stop, so the next start reads one file.
            with contextlib.suppress(sqlite3.Error):
                await self.checkpoint()
        await self._db.close()

    async def schema_version(self) -> int:
        async with self._db.execute("PRAGMA user_version") as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def _migrate(self) -> None:
        current = await self.schema_version()
        if current > len(MIGRATIONS):
            raise RuntimeError(
                f"{self.path.name} has schema version {current}, newer than this code "
                f"({len(MIGRATIONS)}); refusing to run an older bot on it"
            )
        for version in range(current + 1, len(MIGRATIONS) + 1):
            # executescript would commit on its own; run statements in one transaction.
            async with self.transaction() as db:
                script = migration_script(MIGRATIONS[version - 1], self.dialect)
                for statement in _statements(script):
                    await db.execute(statement)
                await db.execute(f"PRAGMA user_version = {version:d}")
            log.info("State database migrated to version %d", version)

    # -- watch progress ---------------------------------------------------------------
    @contextlib.asynccontextmanager
    async def _writing_through(
        self, cache: LRU[Any, Any], key: Any, value: Any
    ) -> AsyncIterator[aiosqlite.Connection]:
        """A transaction whose write makes `cache[key]` `value`: written through once
        committed, unless anything changed meanwhile (another process's write heard before
        ours was done may be the newer one): then dropped, and read afresh next time."""
        epoch = self._cache_epoch()
        committed = False
        try:
            async with self.transaction() as db:
                yield db
            committed = True
        finally:
            if committed and self._may_cache(epoch):
                cache.put(key, value)
            else:
                cache.drop(key)
            self._cached_changed()

    @contextlib.asynccontextmanager
    async def _writing_progress(
        self, key: tuple[int, int], value: int | None
    ) -> AsyncIterator[aiosqlite.Connection]:
        """A transaction writing the progress at `key`, written through to the cache."""
        async with self._writing_through(self._progress, key, value) as db:
            yield db
            self._wrote("user_progress", key)

    async def set_progress(self, user_id: int, episode: int, guild_id: int = GLOBAL_SCOPE) -> None:
        if self._progress_users is not None:  # listed first: a read meanwhile asks the file
            self._progress_users.add(user_id)
            if len(self._progress_users) > PROGRESS_USERS_KNOWN:
                self._progress_users = None
        async with self._writing_progress((user_id, guild_id), episode) as db:
            await db.execute(
                "INSERT INTO user_progress (user_id, guild_id, episode) VALUES (?, ?, ?)"
                " ON CONFLICT (user_id, guild_id) DO UPDATE SET episode = excluded.episode,"
                " updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
                (user_id, guild_id, episode),
            )

    async def clear_progress(self, user_id: int, guild_id: int) -> None:
        async with self._writing_progress((user_id, guild_id), None) as db:
            await db.execute(
                "DELETE FROM user_progress WHERE user_id = ? AND guild_id = ?", (user_id, guild_id)
            )

    async def stored_progress(self, user_id: int, guild_id: int = GLOBAL_SCOPE) -> int | None:
        key = (user_id, guild_id)
        if key in self._progress:
            return self._progress.get(key)
        if self._has_no_progress(user_id):
            return None
        epoch = self._cache_epoch()
        row = await self._fetch_one(
            "SELECT episode FROM user_progress WHERE user_id = ? AND guild_id = ?", key
        )
        value = int(row[0]) if row else None
        if self._may_cache(epoch):
            self._progress.put(key, value)
        return value

    async def effective_progress(self, user_id: int, guild_id: int | None) -> int:
        """The server override, else the user's global progress, else the server default."""
        if self._has_no_progress(user_id):
            return await self.default_progress(guild_id) if guild_id else 0
        scopes = (guild_id, GLOBAL_SCOPE) if guild_id else (GLOBAL_SCOPE,)
        stored = {
            s: self._progress.get((user_id, s)) for s in scopes if (user_id, s) in self._progress
        }
        missing = [s for s in scopes if s not in stored]
        if missing:  # both scopes in one read: a fan's first reply waits on it
            epoch = self._cache_epoch()
            row = await self._fetch_one(
                "SELECT "
                + ", ".join(
                    ["(SELECT episode FROM user_progress WHERE user_id = ? AND guild_id = ?)"]
                    * len(missing)
                ),
                tuple(v for s in missing for v in (user_id, s)),
            )
            for scope, value in zip(missing, row or [None] * len(missing), strict=True):
                stored[scope] = int(value) if value is not None else None
                if self._may_cache(epoch):
                    self._progress.put((user_id, scope), stored[scope])
        for scope in scopes:
            value = stored[scope]
            if value is not None:
                return value
        return await self.default_progress(guild_id) if guild_id else 0

    # -- server settings --------------------------------------------------------------
    async def default_progress(self, guild_id: int) -> int:
        if guild_id in self._defaults:
            return self._defaults.get(guild_id) or 0
        epoch = self._cache_epoch()
        row = await self._fetch_one(
            "SELECT default_progress FROM guild_settings WHERE guild_id = ?", (guild_id,)
        )
        value = int(row[0]) if row else 0
        if self._may_cache(epoch):
            self._defaults.put(guild_id, value)
        return value

    async def set_default_progress(self, guild_id: int, episode: int) -> None:
        async with self._writing_through(self._defaults, guild_id, episode) as db:
            await db.execute(
                "INSERT INTO guild_settings (guild_id, default_progress) VALUES (?, ?)"
                " ON CONFLICT (guild_id) DO UPDATE"
                " SET default_progress = excluded.default_progress",
                (guild_id, episode),
            )

    async def integrity_check(self) -> str:
        async with self._db.execute("PRAGMA integrity_check") as cursor:
            row = await cursor.fetchone()
        return str(row[0]) if row else "no answer"

    # -- whole tables, for state export and import (bot/store/transfer.py) ---------------
    async def table_names(self) -> list[str]:
        rows = await self._fetch_all(
            "SELECT name FROM sqlite_master WHERE type = 'table'"
            " AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
        return [str(r[0]) for r in rows]

    async def table_columns(self, table: str) -> list[str]:
        rows = await self._fetch_all("SELECT name FROM pragma_table_info(?) ORDER BY cid", (table,))
        return [str(r[0]) for r in rows]

    async def after_import(self, db: Any, tables: Iterable[str]) -> None:
        """Inside an import's transaction, after its inserts. SQLite picks the next row id
        from the table itself: nothing to move."""


def _read_only_uris(path: Path) -> list[str]:
    """Ways to read the file without writing anything, most faithful first."""
    if not path.is_file():
        return []
    uris = [f"{path.as_uri()}?mode=ro"]
    wal = path.with_name(path.name + "-wal")
    if not wal.exists() or wal.stat().st_size == 0:
        # Nothing committed lives outside the main file, so it may be read as-is (a
        # read-only directory cannot hold the WAL index that a normal open needs).
        uris.append(f"{path.as_uri()}?mode=ro&immutable=1")
    return uris


def _says(error: BaseException, words: tuple[str, ...]) -> bool:
    return isinstance(error, sqlite3.OperationalError) and any(
        word in str(error).lower() for word in words
    )


def cannot_write(error: BaseException) -> bool:
    """The file cannot take writes at all: a full or failing disk, a read-only or
    unopenable file."""
    return _says(error, ("full", "readonly", "read-only", "unable to open", "disk i/o"))


def storage_trouble(error: BaseException) -> bool:
    """The file cannot take writes, or is locked past the busy timeout: worth telling the
    user, not a bug."""
    return (
        isinstance(error, StateUnavailable)
        or cannot_write(error)
        or _says(error, ("locked", "busy"))
    )


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


def check_state_file(path: Path) -> str:
    """A read-only look at a state database, for health checks while the bot runs:
    "ok", or what is wrong. Never writes, never migrates."""
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            db.execute("PRAGMA busy_timeout = 5000")
            row = db.execute("PRAGMA quick_check").fetchone()
    except sqlite3.Error as exc:
        return f"does not open: {exc}"
    result = str(row[0]) if row else "no answer"
    return "ok" if result == "ok" else f"fails its integrity check: {result}"
