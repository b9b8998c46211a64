"""The :class:`Emulator`: world + REST server + gateway + faults, on 127.0.0.1."""

from __future__ import annotations

import logging
import re
from types import TracebackType
from typing import TYPE_CHECKING

from . import rest_channels, rest_core, rest_interactions
from .faults import Fault, FaultPlan, RouteSpec
from .gateway import ALL_INTENTS, Gateway
from .http import RateLimiter, RequestRecord, RestServer
from .interactions import InteractionStore
from .messaging import AttachmentStore
from .models import Guild, Member, User
from .world import World

if TYPE_CHECKING:
    from typing import Self

log = logging.getLogger(__name__)


class Emulator:
    """A loopback Discord (REST v10 + gateway) for one bot.

    ``heartbeat_interval`` is in seconds. ``shards`` is what ``GET /gateway/bot`` recommends.
    ``ack_deadline`` is how long the bot has to acknowledge an interaction (Discord: 3 s;
    ``None`` disables). ``token``: if given, REST and IDENTIFY with any other token fail
    (401 / close 4004); by default any non-empty token is accepted. Tokens are never logged.
    ``rate_limit``: ``(limit, window_seconds)`` per route bucket, or ``None`` for no limits.
    """

    def __init__(
        self,
        *,
        bot_name: str = "Emulated Bot",
        heartbeat_interval: float = 41.25,
        shards: int = 1,
        ack_deadline: float | None = 3.0,
        token: str | None = None,
        rate_limit: tuple[int, float] | None = (50, 1.0),
        allowed_intents: int = ALL_INTENTS,
    ) -> None:
        self.world = World(bot_name=bot_name)
        self.faults = FaultPlan()
        self.token = token
        self.gateway = Gateway(
            self.world,
            url_factory=lambda: self.gateway_url,
            heartbeat_interval_ms=int(heartbeat_interval * 1000),
            shard_count=shards,
            allowed_intents=allowed_intents,
        )
        self.world.set_dispatch_hook(self.gateway.dispatch)
        self.attachments = AttachmentStore(lambda: self.base_url, self.world.new_id)
        self.interactions = InteractionStore(
            self.world, self.attachments, ack_deadline=ack_deadline
        )
        self.server = RestServer(self)
        self.server.rate_limiter = None if rate_limit is None else RateLimiter(*rate_limit)
        for module in (rest_core, rest_channels, rest_interactions):
            module.register(self.server.router)
        self._started = False

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> Self:
        if not self._started:
            await self.server.start()
            self._started = True
        return self

    async def stop(self) -> None:
        if self._started:
            await self.gateway.close()
            await self.server.stop()
            self._started = False

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def started(self) -> bool:
        return self._started

    @property
    def port(self) -> int:
        if not self._started:
            raise RuntimeError("emulator not started")
        return self.server.port

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/"

    # ------------------------------------------------------------------ world

    def member(self, guild: Guild, user: User) -> Member:
        return self.world.member(guild, user)

    # ------------------------------------------------------------------ faults

    def rate_limit(
        self,
        route: RouteSpec,
        *,
        method: str | None = None,
        retry_after: float = 0.05,
        times: int | None = 1,
        is_global: bool = False,
    ) -> Fault:
        """Make matching requests answer 429 ``times`` times (``None`` = until cleared)."""
        return self.faults.rate_limit(
            _route(route), method=method, retry_after=retry_after, times=times, is_global=is_global
        )

    def server_error(
        self,
        route: RouteSpec,
        *,
        method: str | None = None,
        status: int = 500,
        times: int | None = 1,
    ) -> Fault:
        """Make matching requests answer ``status`` ``times`` times.

        Note: discord.py retries 500/502/504/524 up to 5 times, sleeping 1+2n seconds in
        between; other 5xx (e.g. 503) raise ``DiscordServerError`` immediately.
        """
        return self.faults.server_error(_route(route), method=method, status=status, times=times)

    def delay(
        self,
        route: RouteSpec,
        seconds: float,
        *,
        method: str | None = None,
        times: int | None = None,
    ) -> Fault:
        """Delay matching responses by ``seconds``."""
        return self.faults.delay(_route(route), seconds, method=method, times=times)

    async def drop_gateway(self, *, abrupt: bool = False, code: int = 4000) -> int:
        """Close the bot's gateway connection(s); discord.py reconnects and RESUMEs."""
        return await self.gateway.drop(abrupt=abrupt, code=code)

    # ------------------------------------------------------------------ records

    @property
    def requests(self) -> list[RequestRecord]:
        """Every REST request received so far (Authorization header removed)."""
        return self.server.records

    @property
    def unknown_requests(self) -> list[RequestRecord]:
        """Requests for routes the emulator does not implement (answered 404/405)."""
        return [r for r in self.server.records if r.unknown]

    @property
    def server_errors(self) -> list[BaseException]:
        """Exceptions raised inside emulator route handlers (emulator bugs)."""
        return self.server.errors

    def requests_to(
        self, method: str | None = None, route: str | None = None
    ) -> list[RequestRecord]:
        """Requests filtered by method and route template (discord.py spelling) or path."""
        out = []
        for rec in self.server.records:
            if method is not None and rec.method != method.upper():
                continue
            if route is not None and route not in (rec.route, rec.path):
                continue
            out.append(rec)
        return out


def _route(route: RouteSpec) -> RouteSpec:
    if isinstance(route, re.Pattern):
        return route
    return route if route.startswith("/") else "/" + route
