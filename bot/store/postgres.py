"""The state database on PostgreSQL (asyncpg), selected by DATABASE_URL.

The same StateStore API and the same numbered migrations as on SQLite: the record classes
write SQLite-spelled SQL through `transaction()`, `_fetch_one` and `_fetch_all`, and this
module renders it (bot/store/dialect.py) and runs it on a connection pool.

- Writes: each `transaction()` is one PostgreSQL transaction on one pooled connection
  (READ COMMITTED), committed at the end of the block and rolled back on any error or
  cancellation; within this process writers still take turns, as on SQLite.
- The schema version lives in `state_schema`; migrations run under an advisory lock, so
  two processes starting at once apply each migration once.
- Read caches, as on SQLite, kept right across processes with LISTEN/NOTIFY: a write
  transaction that touched a cached table (`StateStore.CACHED_TABLES`) sends a notice on
  CHANNEL before it commits, so the notice goes out only if the write lands. It names the
  sending store (`origin`), the tables, and for progress the (user, scope) rows. Each store
  holds one LISTEN connection of its own; a notice from another store drops what it names
  and moves the cache epoch, so a read that overlapped it keeps nothing. Caches are off
  while that connection is down (at start, after a drop, until it is back; then
  everything is forgotten first, since notices may have been missed).
- `exclusive(name)`: a tried transaction-scoped advisory lock, so a scheduled job that two
  bot processes might both attempt (a server's thread opening) runs in one of them.
- Errors keep the DB-API vocabulary the bot already handles: a broken constraint raises
  sqlite3.IntegrityError, an unreachable server StateUnavailable (an OperationalError),
  both chained to asyncpg's error.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import secrets
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterable, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Self, TypeVar

import asyncpg

from bot.store.dialect import postgres_migration, postgres_sql, redact_url, returns_rows
from bot.store.migrations import MIGRATIONS, migration_script
from bot.store.state import GLOBAL_SCOPE, StateStore, StateUnavailable, _statements
from bot.store.write_queue import Rows, Statement
from bot.waits import event_set_within

log = logging.getLogger(__name__)

T = TypeVar("T")

POOL_SIZE = 8
# Any constant shared by every process of this bot: the key of the migration lock.
MIGRATION_LOCK = 0x5354_2331  # "ST#1"
# Where writes to cached tables are announced (per database: NOTIFY does not cross them).
CHANNEL = "soundtrack_state_changed"
NOTICE_MAX = 7000  # bytes; PostgreSQL takes up to 8000: past it, whole tables are named
LISTEN_CONNECT_SECONDS = 10.0
LISTEN_PING_SECONDS = 15.0  # a listening connection that stops answering is dropped
LISTEN_RETRY_SECONDS = (0.2, 10.0)  # first and longest wait between reconnect attempts
LISTEN_FIRST_WAIT_SECONDS = 5.0  # how long opening waits for the listener (then: no caches)
# The table a statement writes, in the SQLite spelling the record classes use.
_WRITES = re.compile(
    r"\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+(\w+)",
    re.IGNORECASE,
)
_READS = re.compile(r"\s*SELECT\b", re.IGNORECASE)
EVERY_TABLE = "*"  # a statement whose table is not known: every cache may be stale

# A connection the server dropped (a restart, a failover, an administrator's kill).
_CONNECTION_LOST: tuple[type[BaseException], ...] = (
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.InternalClientError,
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
    OSError,
)
# The server cannot take the bot's work now: worth saying as "storage trouble".
_UNAVAILABLE: tuple[type[BaseException], ...] = (
    *_CONNECTION_LOST,
    asyncpg.CannotConnectNowError,
    asyncpg.InsufficientResourcesError,
    asyncpg.ReadOnlySQLTransactionError,
)


def _translated(error: BaseException) -> BaseException:
    if isinstance(error, asyncpg.IntegrityConstraintViolationError):
        return sqlite3.IntegrityError(str(error))
    if isinstance(error, asyncpg.DataError):  # a value of the wrong type for its column
        return sqlite3.DataError(str(error))
    if isinstance(error, _UNAVAILABLE):
        return StateUnavailable(f"state database unavailable: {error}")
    if isinstance(error, asyncpg.PostgresError):
        return sqlite3.OperationalError(str(error))
    return error


@contextlib.contextmanager
def _as_dbapi_errors() -> Generator[None]:
    try:
        yield
    except (
        asyncpg.PostgresError,
        asyncpg.InterfaceError,
        asyncpg.InternalClientError,
        OSError,
    ) as error:
        raise _translated(error) from error


def _connection_lost(error: BaseException) -> bool:
    """A connection the server dropped: asyncpg may only notice on the next query, in a
    protocol state it cannot leave ("another operation is in progress")."""
    return isinstance(error, _CONNECTION_LOST)


async def _keep_session(conn: asyncpg.Connection[asyncpg.Record]) -> None:
    """Nothing to reset when a connection goes back to the pool: the store sets no session
    state, opens no cursors, listens to nothing and takes only transaction-scoped locks
    (asyncpg's default reset would cost every read a second round trip). An open
    transaction is still rolled back by the pool itself."""


class PgResult:
    """What a statement gave back, shaped like the part of an aiosqlite cursor the record
    classes use: fetchone/fetchall, rowcount, close."""

    lastrowid = None  # PostgreSQL has no row ids: the store's inserts say RETURNING id

    def __init__(self, rows: list[asyncpg.Record], rowcount: int) -> None:
        self._rows = rows
        self.rowcount = rowcount

    async def fetchone(self) -> asyncpg.Record | None:
        return self._rows[0] if self._rows else None

    async def fetchall(self) -> list[asyncpg.Record]:
        return list(self._rows)

    async def close(self) -> None:
        return None


class _Pending:
    """`await db.execute(...)` and `async with db.execute(...) as cursor`, as aiosqlite."""

    def __init__(self, work: Awaitable[PgResult]) -> None:
        self._work = work

    def __await__(self) -> Generator[Any, None, PgResult]:
        return self._work.__await__()

    async def __aenter__(self) -> PgResult:
        return await self._work

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None


def _count(status: str) -> int:
    """The row count in a command tag such as "INSERT 0 1" or "UPDATE 3"."""
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else 0


def _written_table(sql: str) -> str | None:
    """The table a statement writes: None for a read, EVERY_TABLE when not known."""
    if _READS.match(sql):
        return None  # the store's SELECTs only read (setval touches no cached table)
    found = _WRITES.match(sql)
    return found.group(1).lower() if found else EVERY_TABLE


class PgConnection:
    """One pooled connection inside a transaction, with aiosqlite's execute/executemany.
    Counts the statements that wrote each table, for the notice at commit."""

    def __init__(self, conn: asyncpg.pool.PoolConnectionProxy[asyncpg.Record]) -> None:
        self._conn = conn
        self.writes: dict[str, int] = {}  # table -> statements that wrote it
        self.keys: dict[str, list[tuple[int, ...]]] = {}  # table -> rows said written

    def _count_write(self, sql: str, statements: int) -> None:
        table = _written_table(sql)
        if table is not None:
            self.writes[table] = self.writes.get(table, 0) + statements

    def execute(self, sql: str, params: Sequence[object] = ()) -> _Pending:
        self._count_write(sql, 1)
        return _Pending(self._run(sql, params))

    async def _run(self, sql: str, params: Sequence[object]) -> PgResult:
        query = postgres_sql(sql)
        with _as_dbapi_errors():
            if returns_rows(sql):
                rows = await self._conn.fetch(query, *params)
                return PgResult(rows, len(rows))
            return PgResult([], _count(await self._conn.execute(query, *params)))

    async def executemany(self, sql: str, rows: Iterable[Sequence[object]]) -> None:
        batch = [tuple(r) for r in rows]
        if batch:
            # Counted past any key list (rows are never said): the whole table is named.
            self._count_write(sql, len(batch) + 1)
            with _as_dbapi_errors():
                await self._conn.executemany(postgres_sql(sql), batch)


class PostgresStateStore(StateStore):
    """StateStore over a PostgreSQL pool. `path` names the database (password hidden)."""

    dialect = "postgresql"

    def __init__(self, pool: asyncpg.Pool[asyncpg.Record], url: str) -> None:
        super().__init__(None, Path(redact_url(url)))  # type: ignore[arg-type]
        self._pool = pool
        self.url = url
        self._caching = False  # until the listener is up
        #: Tells this store's notices from the other processes' (its own writes are already
        #: written through or dropped here).
        self.origin = secrets.token_hex(8)
        self._current: PgConnection | None = None  # the write transaction now open
        self._listener: asyncpg.Connection[asyncpg.Record] | None = None
        self._listening: asyncio.Task[None] | None = None
        self._listen_tried = asyncio.Event()  # the first connection attempt is over

    @classmethod
    async def open_url(cls, url: str) -> Self:
        with _as_dbapi_errors():
            pool = await asyncpg.create_pool(
                url, min_size=1, max_size=POOL_SIZE, reset=_keep_session
            )
        store = cls(pool, url)
        try:
            await store._migrate()
        except BaseException:
            await pool.close()
            raise
        store._listening = asyncio.create_task(store._keep_listening(), name="state-listen")
        # Not needed to serve (reads go fresh meanwhile), so not waited for long.
        await event_set_within(store._listen_tried, LISTEN_FIRST_WAIT_SECONDS)
        log.info("State database: PostgreSQL at %s", redact_url(url))
        return store

    # -- hearing the other processes' writes --------------------------------------------
    def _caches_on(self) -> None:
        # Notices may have been missed while not listening: nothing cached before is kept.
        self.forget_cached()
        self._caching = True

    def _caches_off(self) -> None:
        self._caching = False
        self.forget_cached()

    async def _keep_listening(self) -> None:
        """Holds this store's LISTEN connection, reconnecting when it drops; read caches
        are on only while it is up."""
        retry = LISTEN_RETRY_SECONDS[0]
        while True:
            try:
                await self._listen_once()
                retry = LISTEN_RETRY_SECONDS[0]  # it was up: try again soon
            except Exception as error:
                # OSError, asyncpg's errors, a timeout: the database is not reachable now.
                log.warning(
                    "State database: cannot listen for other processes' writes (%s:"
                    " %s); reads are not cached until it can",
                    type(error).__name__,
                    redact_url(str(error)),
                )
            finally:
                self._caches_off()
                self._listen_tried.set()
            await asyncio.sleep(retry)
            retry = min(retry * 2, LISTEN_RETRY_SECONDS[1])

    async def _listen_once(self) -> None:
        """One LISTEN connection, until it drops or stops answering."""
        lost = asyncio.Event()
        conn = await asyncpg.connect(self.url, timeout=LISTEN_CONNECT_SECONDS)

        def on_lost(_conn: object) -> None:
            if self._listener is conn:  # called soon after, not at once: maybe a new one is up
                self._caches_off()  # now: the keeper may be asleep until the next ping
            lost.set()

        self._listener = conn
        try:
            conn.add_termination_listener(on_lost)
            await conn.add_listener(CHANNEL, self._heard)
            # Listening now: any write committed from here on will be heard.
            self._caches_on()
            await self._list_progress_users()
            self._listen_tried.set()
            log.info("State database: listening for other processes' writes")
            while not lost.is_set():
                if not await event_set_within(lost, LISTEN_PING_SECONDS):
                    await conn.fetchval("SELECT 1", timeout=LISTEN_PING_SECONDS)
            log.warning("State database: the listening connection was lost; reconnecting")
        finally:
            self._listener = None
            conn.remove_termination_listener(on_lost)
            conn.terminate()

    def _heard(
        self,
        _conn: asyncpg.Connection[Any] | asyncpg.pool.PoolConnectionProxy[Any],
        _pid: int,
        _channel: str,
        payload: object,
    ) -> None:
        try:
            notice = json.loads(str(payload))
            origin = notice["origin"]
            tables = {str(t) for t in notice["tables"]}
            progress = notice.get("progress")
        except (ValueError, KeyError, TypeError) as error:
            log.warning("State database: an unreadable notice (%s): forgetting every cache", error)
            self.forget_cached()
            return
        if origin == self.origin:
            return
        log.debug("State database: another process wrote %s", ", ".join(sorted(tables)))
        if EVERY_TABLE in tables:
            self.forget_cached()
            return
        if progress is not None and "user_progress" in tables:
            tables.discard("user_progress")
            self._forget_progress((int(u), int(g)) for u, g in progress)
        if tables:
            self.forget_cached(tables)

    def _wrote(self, table: str, key: tuple[int, ...]) -> None:
        if self._current is not None:
            self._current.keys.setdefault(table, []).append(key)

    def _notice(self, db: PgConnection) -> str | None:
        """What to announce for a transaction's writes, None when no cache can be stale."""
        tables = {t for t in db.writes if t in self.CACHED_TABLES or t == EVERY_TABLE}
        if not tables:
            return None
        notice: dict[str, object] = {"origin": self.origin, "tables": sorted(tables)}
        # The rows too, when every statement that wrote the table said which it wrote.
        keys = db.keys.get("user_progress", [])
        if "user_progress" in tables and len(keys) >= db.writes["user_progress"]:
            notice["progress"] = keys
        text = json.dumps(notice, separators=(",", ":"))
        if len(text) > NOTICE_MAX:
            notice.pop("progress", None)
            text = json.dumps(notice, separators=(",", ":"))
        return text

    @contextlib.asynccontextmanager
    async def _connection(self) -> AsyncIterator[asyncpg.pool.PoolConnectionProxy[asyncpg.Record]]:
        """A pooled connection; one the server dropped is thrown away, not handed back, so
        the pool opens a fresh one for the next caller."""
        with _as_dbapi_errors():
            async with self._pool.acquire() as conn:
                try:
                    yield conn
                except BaseException as error:
                    if _connection_lost(error):
                        conn.terminate()
                    raise

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[PgConnection]:  # type: ignore[override]
        # Never retried here: a commit that fails may or may not have landed.
        async with self._write_lock, self._connection() as conn, conn.transaction():
            db = PgConnection(conn)
            self._current = db
            try:
                yield db
                # Inside the transaction: the other processes hear it only if it commits.
                notice = self._notice(db)
                if notice is not None:
                    with _as_dbapi_errors():
                        await conn.execute("SELECT pg_notify($1, $2)", CHANNEL, notice)
            finally:
                self._current = None

    async def write(self, statements: Sequence[Statement]) -> Rows:
        """One transaction per write: the pool serves several connections, so there is no
        single database thread to save trips to."""
        results: Rows = []
        async with self.transaction() as db:
            for statement in statements:
                if statement.rows is not None:
                    await db.executemany(statement.sql, statement.rows)
                    results.append([])
                else:
                    cursor = await db.execute(statement.sql, statement.params)
                    results.append(list(await cursor.fetchall()))
        return results

    @contextlib.asynccontextmanager
    async def exclusive(self, name: str) -> AsyncIterator[bool]:
        """A transaction-scoped advisory lock on `name`, tried, not waited for: False while
        another process holds it. Its own connection, outside the write lock, so the
        block's writes (and everyone else's) go on meanwhile; released at the block's end,
        or by the server when a killed process's connection drops."""
        async with self._connection() as conn, conn.transaction():
            with _as_dbapi_errors():
                held = await conn.fetchval(
                    "SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0))", name
                )
            yield bool(held)

    async def _read(
        self, query: Callable[[asyncpg.pool.PoolConnectionProxy[asyncpg.Record]], Awaitable[T]]
    ) -> T:
        """Runs a read, once more on a fresh connection if the first one had been dropped
        (after a server restart or failover); a read is safe to repeat."""
        try:
            async with self._connection() as conn:
                return await query(conn)
        except StateUnavailable as error:
            if not _connection_lost(error.__cause__ or error):
                raise
            log.warning("State database connection was lost; reading again: %s", error)
        async with self._connection() as conn:
            return await query(conn)

    async def _fetch_all(self, sql: str, params: tuple[object, ...] = ()) -> list[Any]:
        text = postgres_sql(sql)
        return list(await self._read(lambda conn: conn.fetch(text, *params)))

    async def _fetch_one(self, sql: str, params: tuple[object, ...] = ()) -> Any:
        text = postgres_sql(sql)
        return await self._read(lambda conn: conn.fetchrow(text, *params))

    async def effective_progress(self, user_id: int, guild_id: int | None) -> int:
        """As on SQLite; while caches are off, in one round trip (nearly every reply
        reads it)."""
        if self.caches_reads:
            return await super().effective_progress(user_id, guild_id)
        row = await self._fetch_one(
            "SELECT (SELECT episode FROM user_progress WHERE user_id = ? AND guild_id = ?),"
            " (SELECT episode FROM user_progress WHERE user_id = ? AND guild_id = ?),"
            " (SELECT default_progress FROM guild_settings WHERE guild_id = ?)",
            (user_id, guild_id or GLOBAL_SCOPE, user_id, GLOBAL_SCOPE, guild_id or GLOBAL_SCOPE),
        )
        here, everywhere, default = row if row else (None, None, None)
        if guild_id and here is not None:
            return int(here)
        if everywhere is not None:
            return int(everywhere)
        return int(default or 0) if guild_id else 0

    async def checkpoint(self) -> None:
        return None  # the server checkpoints its own WAL

    async def close(self) -> None:
        if self._listening is not None:
            self._listening.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listening
            self._listening = None
        await self._pool.close()  # closing twice is harmless

    async def schema_version(self) -> int:
        with _as_dbapi_errors():
            exists = await self._pool.fetchval("SELECT to_regclass('state_schema') IS NOT NULL")
            if not exists:
                return 0
            return int(await self._pool.fetchval("SELECT version FROM state_schema") or 0)

    async def _migrate(self) -> None:
        for version in range(1, len(MIGRATIONS) + 1):
            with _as_dbapi_errors():
                async with self._pool.acquire() as conn, conn.transaction():
                    await conn.execute("SELECT pg_advisory_xact_lock($1)", MIGRATION_LOCK)
                    await conn.execute(
                        "CREATE TABLE IF NOT EXISTS state_schema (version BIGINT NOT NULL)"
                    )
                    current = await conn.fetchval("SELECT version FROM state_schema")
                    if current is None:
                        await conn.execute("INSERT INTO state_schema (version) VALUES (0)")
                        current = 0
                    if current > len(MIGRATIONS):
                        raise RuntimeError(
                            f"the PostgreSQL state has schema version {current}, newer than"
                            f" this code ({len(MIGRATIONS)}); refusing to run an older bot on it"
                        )
                    if current >= version:
                        continue
                    script = migration_script(MIGRATIONS[version - 1], self.dialect)
                    for statement in _statements(script):
                        await conn.execute(postgres_migration(statement))
                    await conn.execute("UPDATE state_schema SET version = $1", version)
            log.info("State database migrated to version %d", version)

    async def integrity_check(self) -> str:
        with _as_dbapi_errors():
            await self._pool.fetchval("SELECT count(*) FROM user_progress")
        return "ok"  # the server keeps its own pages consistent; this checks it answers

    async def table_columns(self, table: str) -> list[str]:
        rows = await self._fetch_all(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND table_name = ?"
            " ORDER BY ordinal_position",
            (table,),
        )
        return [str(r[0]) for r in rows]

    async def table_names(self) -> list[str]:
        rows = await self._fetch_all(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = current_schema() AND table_name <> 'state_schema'"
            " ORDER BY table_name"
        )
        return [str(r[0]) for r in rows]

    async def after_import(self, db: PgConnection, tables: Iterable[str]) -> None:
        """Move each identity column's counter past the ids an import wrote."""
        for table in tables:
            if "id" in await self.table_columns(table):
                await db.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                    f" coalesce(max(id), 0) + 1, false) FROM {table}"
                )


CHECK_SECONDS = 5.0  # how long `health` waits for the server


async def check_url(url: str) -> str:
    """ "ok", or what is wrong with the PostgreSQL state at `url` (for `health`): it cannot
    be reached, or its schema is newer than this code. A missing schema is fine: the bot
    migrates at start."""
    try:
        conn = await asyncpg.connect(url, timeout=CHECK_SECONDS)
    except (OSError, TimeoutError, asyncpg.PostgresError) as error:
        return f"cannot be reached ({type(error).__name__}: {redact_url(str(error))})"
    try:
        if not await conn.fetchval("SELECT to_regclass('state_schema') IS NOT NULL"):
            return "ok"
        version = int(await conn.fetchval("SELECT version FROM state_schema") or 0)
    except asyncpg.PostgresError as error:
        return f"cannot be read ({type(error).__name__}: {error})"
    finally:
        await conn.close()
    if version > len(MIGRATIONS):
        return f"has schema version {version}, newer than this code ({len(MIGRATIONS)})"
    return "ok"


def check_url_now(url: str) -> str:
    """`check_url` from synchronous code (the health command)."""
    return asyncio.run(check_url(url))


@contextlib.asynccontextmanager
async def scratch_database(url: str) -> AsyncIterator[str]:
    """A new empty database on the server of `url` (whose user may create databases),
    for tests and the benchmark: yields its URL and drops it afterwards."""
    name = f"soundtrack_scratch_{secrets.token_hex(6)}"
    with _as_dbapi_errors():
        admin = await asyncpg.connect(url)
    try:
        await admin.execute(f"CREATE DATABASE {name}")
        try:
            yield f"{url.split('?', 1)[0].rsplit('/', 1)[0]}/{name}"
        finally:
            await admin.execute(f"DROP DATABASE {name} WITH (FORCE)")
    finally:
        await admin.close()
