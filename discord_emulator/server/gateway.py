"""The gateway (websocket) side of the emulator.

Implements HELLO / IDENTIFY / READY + GUILD_CREATE / heartbeats / RESUME with replay of
missed dispatches / INVALID_SESSION / RECONNECT, zlib-stream (or zstd-stream) transport
compression, intent filtering, the message-content redaction rule and shard routing
(4011 "Sharding required" past 2,500 guilds on one shard).
Sends on one connection are serialised through a queue so the shared compression
context always sees frames in order.
"""

# ruff: noqa: ASYNC109  (explicit per-call timeouts are part of the driver API)
from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
import zlib
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

from . import payloads
from .snowflake import shard_of

if TYPE_CHECKING:
    import asyncio.transports

    from .world import World

log = logging.getLogger(__name__)

JSON = dict[str, Any]

# Opcodes
DISPATCH, HEARTBEAT, IDENTIFY, PRESENCE_UPDATE, VOICE_STATE_UPDATE = 0, 1, 2, 3, 4
RESUME, RECONNECT, REQUEST_GUILD_MEMBERS, INVALID_SESSION, HELLO, HEARTBEAT_ACK = 6, 7, 8, 9, 10, 11

# Intents
GUILDS = 1 << 0
GUILD_MEMBERS = 1 << 1
GUILD_PRESENCES = 1 << 8
GUILD_MESSAGES = 1 << 9
GUILD_MESSAGE_REACTIONS = 1 << 10
GUILD_MESSAGE_TYPING = 1 << 11
DIRECT_MESSAGES = 1 << 12
DIRECT_MESSAGE_REACTIONS = 1 << 13
DIRECT_MESSAGE_TYPING = 1 << 14
MESSAGE_CONTENT = 1 << 15
GUILD_SCHEDULED_EVENTS = 1 << 16
GUILD_MESSAGE_POLLS = 1 << 24
DIRECT_MESSAGE_POLLS = 1 << 25
PRIVILEGED_INTENTS = GUILD_MEMBERS | GUILD_PRESENCES | MESSAGE_CONTENT
ALL_INTENTS = (1 << 26) - 1

#: event -> (intent needed in a guild, intent needed in a DM); ``None`` = always sent.
_EVENT_INTENTS: dict[str, tuple[int | None, int | None]] = {
    "GUILD_CREATE": (GUILDS, GUILDS),
    "GUILD_UPDATE": (GUILDS, GUILDS),
    "GUILD_DELETE": (GUILDS, GUILDS),
    "GUILD_ROLE_CREATE": (GUILDS, GUILDS),
    "GUILD_ROLE_UPDATE": (GUILDS, GUILDS),
    "GUILD_ROLE_DELETE": (GUILDS, GUILDS),
    "CHANNEL_CREATE": (GUILDS, None),
    "CHANNEL_UPDATE": (GUILDS, None),
    "CHANNEL_DELETE": (GUILDS, None),
    "CHANNEL_PINS_UPDATE": (GUILDS, DIRECT_MESSAGES),
    "THREAD_CREATE": (GUILDS, GUILDS),
    "THREAD_UPDATE": (GUILDS, GUILDS),
    "THREAD_DELETE": (GUILDS, GUILDS),
    "THREAD_LIST_SYNC": (GUILDS, GUILDS),
    "THREAD_MEMBER_UPDATE": (GUILDS, GUILDS),
    "THREAD_MEMBERS_UPDATE": (GUILD_MEMBERS, GUILD_MEMBERS),
    "GUILD_MEMBER_ADD": (GUILD_MEMBERS, GUILD_MEMBERS),
    "GUILD_MEMBER_UPDATE": (GUILD_MEMBERS, GUILD_MEMBERS),
    "GUILD_MEMBER_REMOVE": (GUILD_MEMBERS, GUILD_MEMBERS),
    "PRESENCE_UPDATE": (GUILD_PRESENCES, GUILD_PRESENCES),
    "MESSAGE_CREATE": (GUILD_MESSAGES, DIRECT_MESSAGES),
    "MESSAGE_UPDATE": (GUILD_MESSAGES, DIRECT_MESSAGES),
    "MESSAGE_DELETE": (GUILD_MESSAGES, DIRECT_MESSAGES),
    "MESSAGE_DELETE_BULK": (GUILD_MESSAGES, DIRECT_MESSAGES),
    "MESSAGE_REACTION_ADD": (GUILD_MESSAGE_REACTIONS, DIRECT_MESSAGE_REACTIONS),
    "MESSAGE_REACTION_REMOVE": (GUILD_MESSAGE_REACTIONS, DIRECT_MESSAGE_REACTIONS),
    "MESSAGE_REACTION_REMOVE_ALL": (GUILD_MESSAGE_REACTIONS, DIRECT_MESSAGE_REACTIONS),
    "MESSAGE_REACTION_REMOVE_EMOJI": (GUILD_MESSAGE_REACTIONS, DIRECT_MESSAGE_REACTIONS),
    "TYPING_START": (GUILD_MESSAGE_TYPING, DIRECT_MESSAGE_TYPING),
    "MESSAGE_POLL_VOTE_ADD": (GUILD_MESSAGE_POLLS, DIRECT_MESSAGE_POLLS),
    "MESSAGE_POLL_VOTE_REMOVE": (GUILD_MESSAGE_POLLS, DIRECT_MESSAGE_POLLS),
    "GUILD_SCHEDULED_EVENT_CREATE": (GUILD_SCHEDULED_EVENTS, None),
    "GUILD_SCHEDULED_EVENT_UPDATE": (GUILD_SCHEDULED_EVENTS, None),
    "GUILD_SCHEDULED_EVENT_DELETE": (GUILD_SCHEDULED_EVENTS, None),
}

_CONTENT_KEYS = ("content", "embeds", "attachments", "components", "poll")
#: Discord closes an IDENTIFY (4011 "Sharding required") whose shard would hold more.
MAX_GUILDS_PER_SHARD = 2500


def event_allowed(event: str, intents: int, *, in_guild: bool) -> bool:
    needed = _EVENT_INTENTS.get(event)
    if needed is None:
        return True
    bit = needed[0] if in_guild else needed[1]
    return bit is None or bool(intents & bit)


class _Compressor:
    """Per-connection transport compression matching discord.py's decompression context."""

    def __init__(self, mode: str | None) -> None:
        self.mode = mode
        self._zlib = zlib.compressobj() if mode == "zlib-stream" else None
        self._zstd: Any = None
        if mode == "zstd-stream":
            self._zstd = _make_zstd_compressor()

    def encode(self, text: str) -> str | bytes:
        raw = text.encode("utf-8")
        if self._zlib is not None:
            return self._zlib.compress(raw) + self._zlib.flush(zlib.Z_SYNC_FLUSH)
        if self._zstd is not None:
            return bytes(self._zstd(raw))
        return text


def _make_zstd_compressor() -> Callable[[bytes], bytes]:
    try:
        import zstandard  # type: ignore[import-not-found]

        obj = zstandard.ZstdCompressor().compressobj()
        return lambda raw: obj.compress(raw) + obj.flush(zstandard.COMPRESSOBJ_FLUSH_BLOCK)
    except ImportError:
        from compression import zstd  # type: ignore[import-not-found]

        comp = zstd.ZstdCompressor()
        return lambda raw: comp.compress(raw, mode=zstd.ZstdCompressor.FLUSH_BLOCK)


@dataclass(eq=False)
class Session:
    session_id: str
    intents: int
    shard: tuple[int, int] | None
    seq: int = 0
    buffer: deque[tuple[int, str]] = field(default_factory=lambda: deque(maxlen=2000))
    connection: Connection | None = None
    invalidated: bool = False
    presence: JSON | None = None

    def handles_guild(self, guild_id: int | None) -> bool:
        if self.shard is None:
            return True
        shard_id, count = self.shard
        if guild_id is None:
            return shard_id == 0  # Discord sends DMs to shard 0 only
        return shard_of(guild_id, count) == shard_id


@dataclass(eq=False)
class Connection:
    ws: web.WebSocketResponse
    transport: asyncio.BaseTransport | None
    compressor: _Compressor
    queue: asyncio.Queue[str | None] = field(default_factory=asyncio.Queue)
    sender: asyncio.Task[None] | None = None
    session: Session | None = None
    heartbeats: int = 0
    #: A zombie connection stays open but acknowledges nothing and sends nothing more.
    zombie: bool = False


@dataclass(frozen=True)
class Dispatched:
    """A dispatch the gateway sent (or buffered) for a session."""

    session_id: str
    seq: int
    event: str
    data: JSON


@dataclass(frozen=True)
class Lifecycle:
    """Connection lifecycle entry: connect / identify / resume / resume_refused / disconnect /
    invalid_session / zombie."""

    index: int
    kind: str
    session_id: str | None
    shard: tuple[int, int] | None


class Gateway:
    """Websocket endpoint plus session bookkeeping. Owned by :class:`discord_emulator.Emulator`."""

    def __init__(
        self,
        world: World,
        *,
        url_factory: Callable[[], str],
        heartbeat_interval_ms: int = 41250,
        shard_count: int = 1,
        allowed_intents: int = ALL_INTENTS,
    ) -> None:
        self.world = world
        self._url_factory = url_factory
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.shard_count = shard_count
        #: Intents the "developer portal" allows; asking for more closes with 4014.
        self.allowed_intents = allowed_intents
        self.sessions: dict[str, Session] = {}
        self.connections: set[Connection] = set()
        self.dispatched: list[Dispatched] = []
        self.lifecycle: list[Lifecycle] = []
        self._lifecycle_changed = asyncio.Event()

    # ------------------------------------------------------------------ public API

    @property
    def url(self) -> str:
        return self._url_factory()

    def dispatch(self, event: str, data: JSON, guild_id: int | None) -> None:
        """Send ``event`` to every session that should see it (synchronous enqueue)."""
        for session in list(self.sessions.values()):
            if session.invalidated or not session.handles_guild(guild_id):
                continue
            if not event_allowed(event, session.intents, in_guild=guild_id is not None):
                continue
            self._dispatch_to(session, event, self._filter(session, event, data, guild_id))

    async def flush(self, timeout: float = 2.0) -> None:
        """Wait until every queued frame has been written to the sockets."""
        conns = [c for c in self.connections if not c.ws.closed]
        if not conns:
            return
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(asyncio.gather(*(c.queue.join() for c in conns)), timeout)

    async def drop(
        self,
        *,
        abrupt: bool = False,
        code: int = 4000,
        shard_id: int | None = None,
        resumable: bool = True,
    ) -> int:
        """Cut live connections (so discord.py reconnects and RESUMEs). Returns how many.
        With ``resumable=False`` their sessions are forgotten first: the RESUME that follows
        is refused with op 9 ``d=false``."""
        dropped = 0
        for conn in list(self.connections):
            if shard_id is not None and (
                conn.session is None
                or conn.session.shard is None
                or conn.session.shard[0] != shard_id
            ):
                continue
            dropped += 1
            if not resumable and conn.session is not None:
                conn.session.invalidated = True
                self._note("invalid_session", conn.session)
            if abrupt and conn.transport is not None:
                conn.transport.abort()
            else:
                await conn.ws.close(code=code, message=b"emulator: connection dropped")
        return dropped

    def zombify(self) -> int:
        """Turn every live connection into a zombie; returns how many. The client notices
        only by the missing heartbeat ACKs (discord.py: ``heartbeat_timeout``)."""
        live = [c for c in self.connections if not c.ws.closed and not c.zombie]
        for conn in live:
            conn.zombie = True
            self._note("zombie", conn.session)
        return len(live)

    def send_reconnect(self) -> None:
        """Send op 7 RECONNECT on every live connection."""
        for conn in list(self.connections):
            self._send(conn, {"op": RECONNECT, "d": None})

    def invalidate_sessions(self, *, resumable: bool = False) -> None:
        """Send op 9 INVALID_SESSION; with ``resumable=False`` the sessions are forgotten."""
        for conn in list(self.connections):
            if conn.session is not None and not resumable:
                conn.session.invalidated = True
                self._note("invalid_session", conn.session)
            self._send(conn, {"op": INVALID_SESSION, "d": resumable})

    def count(self, kind: str) -> int:
        return sum(1 for entry in self.lifecycle if entry.kind == kind)

    async def wait_for_lifecycle(
        self, kind: str, *, after: int = 0, timeout: float = 5.0
    ) -> Lifecycle:
        """Wait for a lifecycle entry of ``kind`` with ``index >= after``."""

        async def _wait() -> Lifecycle:
            while True:
                for entry in self.lifecycle[after:]:
                    if entry.kind == kind:
                        return entry
                self._lifecycle_changed.clear()
                await self._lifecycle_changed.wait()

        return await asyncio.wait_for(_wait(), timeout)

    def events(self, name: str | None = None) -> list[Dispatched]:
        return [d for d in self.dispatched if name is None or d.event == name]

    async def close(self) -> None:
        for conn in list(self.connections):
            with contextlib.suppress(Exception):
                await conn.ws.close(code=1001, message=b"emulator shutting down")
            if conn.sender is not None:
                conn.sender.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await conn.sender
        self.connections.clear()

    # ------------------------------------------------------------------ websocket handler

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        compress = request.query.get("compress")
        if compress not in (None, "zlib-stream", "zstd-stream"):
            raise web.HTTPBadRequest(text="unsupported compress")
        ws = web.WebSocketResponse(max_msg_size=0, autoping=True, timeout=2.0)
        await ws.prepare(request)
        conn = Connection(ws=ws, transport=request.transport, compressor=_Compressor(compress))
        conn.sender = asyncio.create_task(self._sender(conn), name="emulator-gateway-sender")
        self.connections.add(conn)
        self._note("connect", None)
        log.debug("gateway connection opened (compress=%s)", compress)
        self._send(
            conn,
            {
                "op": HELLO,
                "d": {
                    "heartbeat_interval": self.heartbeat_interval_ms,
                    "_trace": ['["emulator-gw"]'],
                },
            },
        )
        try:
            async for msg in ws:
                if msg.type == WSMsgType.TEXT:
                    try:
                        frame = json.loads(msg.data)
                    except ValueError:
                        await ws.close(code=4002, message=b"Error while decoding payload.")
                        break
                    await self._on_frame(conn, frame)
                elif msg.type == WSMsgType.ERROR:
                    break
        finally:
            await self._detach(conn)
        return ws

    async def _detach(self, conn: Connection) -> None:
        self.connections.discard(conn)
        session = conn.session
        if session is not None and session.connection is conn:
            session.connection = None
        self._note("disconnect", session)
        conn.queue.put_nowait(None)
        if conn.sender is not None and not conn.sender.done():
            with contextlib.suppress(asyncio.TimeoutError, asyncio.CancelledError):
                await asyncio.wait_for(asyncio.shield(conn.sender), 0.5)
            if not conn.sender.done():
                conn.sender.cancel()
        log.debug("gateway connection closed (close code %s)", conn.ws.close_code)

    async def _sender(self, conn: Connection) -> None:
        while True:
            text = await conn.queue.get()
            try:
                if text is None:
                    return
                if conn.ws.closed:
                    continue
                encoded = conn.compressor.encode(text)
                try:
                    if isinstance(encoded, bytes):
                        await conn.ws.send_bytes(encoded)
                    else:
                        await conn.ws.send_str(encoded)
                except (ConnectionError, RuntimeError) as exc:
                    log.debug("gateway send failed: %s", exc)
            finally:
                conn.queue.task_done()

    # ------------------------------------------------------------------ frames

    async def _on_frame(self, conn: Connection, frame: JSON) -> None:
        op = frame.get("op")
        data = frame.get("d")
        if conn.zombie:
            return  # a zombie hears nothing; only a new connection recovers
        if op == HEARTBEAT:
            conn.heartbeats += 1
            self._send(conn, {"op": HEARTBEAT_ACK})
            return
        if op == IDENTIFY:
            await self._identify(conn, data or {})
            return
        if op == RESUME:
            await self._resume(conn, data or {})
            return
        if conn.session is None:
            await conn.ws.close(code=4003, message=b"Not authenticated.")
            return
        if op == PRESENCE_UPDATE:
            conn.session.presence = data
            return
        if op == REQUEST_GUILD_MEMBERS:
            self._members_chunk(conn.session, data or {})
            return
        if op == VOICE_STATE_UPDATE:
            log.debug("voice state update ignored (voice is not emulated)")
            return
        await conn.ws.close(code=4001, message=b"Unknown opcode.")

    async def _identify(self, conn: Connection, data: JSON) -> None:
        # The token is accepted as-is and deliberately never stored or logged.
        if conn.session is not None:
            await conn.ws.close(code=4005, message=b"Already authenticated.")
            return
        if not data.get("token"):
            await conn.ws.close(code=4004, message=b"Authentication failed.")
            return
        intents = data.get("intents")
        if not isinstance(intents, int) or intents < 0 or intents > ALL_INTENTS:
            await conn.ws.close(code=4013, message=b"Invalid intent(s).")
            return
        if intents & PRIVILEGED_INTENTS & ~self.allowed_intents:
            await conn.ws.close(code=4014, message=b"Disallowed intent(s).")
            return
        shard: tuple[int, int] | None = None
        raw_shard = data.get("shard")
        if raw_shard is not None:
            shard = (int(raw_shard[0]), int(raw_shard[1]))
            if not 0 <= shard[0] < shard[1]:
                await conn.ws.close(code=4010, message=b"Invalid shard.")
                return
        world = self.world
        guild_ids = [
            g
            for g in world.guilds
            if (shard is None or shard_of(g, shard[1]) == shard[0])
            and world.bot.id in world.guilds[g].members
        ]
        if len(guild_ids) > MAX_GUILDS_PER_SHARD:
            await conn.ws.close(code=4011, message=b"Sharding required.")
            return
        # A new IDENTIFY for the same shard replaces the old session (the bot lost it).
        for old in self.sessions.values():
            if old.shard == shard and not old.invalidated:
                old.invalidated = True
        session = Session(session_id=secrets.token_hex(16), intents=intents, shard=shard)
        self.sessions[session.session_id] = session
        session.connection = conn
        conn.session = session
        self._note("identify", session)
        ready = payloads.ready(
            bot=world.bot,
            session_id=session.session_id,
            resume_gateway_url=self.url,
            guild_ids=guild_ids,
            application_id=world.application_id,
            application_flags=world.application_flags,
            shard=shard,
        )
        self._dispatch_to(session, "READY", ready)
        if intents & GUILDS:
            for gid in guild_ids:
                data = world.render_guild_create(world.guilds[gid])
                self._dispatch_to(
                    session, "GUILD_CREATE", self._filter(session, "GUILD_CREATE", data, gid)
                )

    async def _resume(self, conn: Connection, data: JSON) -> None:
        session = self.sessions.get(str(data.get("session_id")))
        if session is None or session.invalidated or not data.get("token"):
            self._note("resume_refused", session)
            self._send(conn, {"op": INVALID_SESSION, "d": False})
            return
        old = session.connection
        if old is not None and old is not conn:
            old.session = None
            with contextlib.suppress(Exception):
                await old.ws.close(code=4000, message=b"Session resumed elsewhere.")
        session.connection = conn
        conn.session = session
        last_seq = data.get("seq") or 0
        replayed = 0
        for seq, text in list(session.buffer):
            if seq > last_seq:
                conn.queue.put_nowait(text)
                replayed += 1
        log.debug("RESUME of session %s: replaying %d dispatch(es)", session.session_id, replayed)
        self._note("resume", session)
        self._dispatch_to(session, "RESUMED", {"_trace": ['["emulator-gw"]']})

    def _members_chunk(self, session: Session, data: JSON) -> None:
        gid = int(data.get("guild_id", 0))
        guild = self.world.guilds.get(gid)
        if guild is None:
            return
        members = list(guild.members.values())
        if data.get("user_ids"):
            wanted = {int(u) for u in data["user_ids"]}
            members = [m for m in members if m.id in wanted]
        query = (data.get("query") or "").lower()
        if query:
            members = [m for m in members if m.user.username.lower().startswith(query)]
        limit = int(data.get("limit") or 0)
        if limit:
            members = members[:limit]
        chunk: JSON = {
            "guild_id": str(gid),
            "members": [payloads.member(m) for m in members],
            "chunk_index": 0,
            "chunk_count": 1,
        }
        if data.get("nonce"):
            chunk["nonce"] = data["nonce"]
        if data.get("presences"):
            chunk["presences"] = []
        self._dispatch_to(session, "GUILD_MEMBERS_CHUNK", chunk)

    # ------------------------------------------------------------------ helpers

    def _filter(self, session: Session, event: str, data: JSON, guild_id: int | None) -> JSON:
        """Per-session trimming Discord does: without GUILD_MEMBERS a GUILD_CREATE lists only
        the bot's own member; without MESSAGE_CONTENT others' guild messages lose content."""
        if event == "GUILD_CREATE" and not session.intents & GUILD_MEMBERS:
            bot_id = str(self.world.bot.id)
            trimmed = dict(data)
            trimmed["members"] = [m for m in data.get("members", []) if m["user"]["id"] == bot_id]
            return trimmed
        if event not in ("MESSAGE_CREATE", "MESSAGE_UPDATE") or guild_id is None:
            return data
        if session.intents & MESSAGE_CONTENT:
            return data
        bot_id = str(self.world.bot.id)
        if data.get("author", {}).get("id") == bot_id:
            return data
        if any(m.get("id") == bot_id for m in data.get("mentions", [])):
            return data
        redacted = dict(data)
        for key in _CONTENT_KEYS:
            if key in redacted:
                redacted[key] = "" if key == "content" else ([] if key != "poll" else None)
        if redacted.get("poll") is None:
            redacted.pop("poll", None)
        return redacted

    def _dispatch_to(self, session: Session, event: str, data: JSON) -> None:
        session.seq += 1
        text = json.dumps(
            {"op": DISPATCH, "t": event, "s": session.seq, "d": data}, separators=(",", ":")
        )
        session.buffer.append((session.seq, text))
        self.dispatched.append(Dispatched(session.session_id, session.seq, event, data))
        conn = session.connection
        if conn is not None and not conn.ws.closed and not conn.zombie:
            conn.queue.put_nowait(text)

    def _send(self, conn: Connection, frame: JSON) -> None:
        if conn.zombie:
            return
        conn.queue.put_nowait(json.dumps(frame, separators=(",", ":")))

    def _note(self, kind: str, session: Session | None) -> None:
        self.lifecycle.append(
            Lifecycle(
                index=len(self.lifecycle),
                kind=kind,
                session_id=None if session is None else session.session_id,
                shard=None if session is None else session.shard,
            )
        )
        self._lifecycle_changed.set()
