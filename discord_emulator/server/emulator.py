"""The :class:`Emulator`: world + REST server + gateway + faults, on 127.0.0.1."""

from __future__ import annotations

import logging
import re
from types import TracebackType
from typing import TYPE_CHECKING

from ..driver.results import InteractionResult
from . import rest_channels, rest_community, rest_core, rest_interactions
from .faults import Fault, FaultPlan, RouteSpec
from .gateway import ALL_INTENTS, Gateway
from .http import RateLimiter, RequestRecord, RestServer
from .interactions import InteractionState, InteractionStore
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
    ``token_lifetime``: seconds an interaction token works for followups and edits (Discord:
    15 minutes; ``None`` disables); ``advance_clock`` moves the interactions' clock forward.
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
        token_lifetime: float | None = 900.0,
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
            self.world, self.attachments, ack_deadline=ack_deadline, token_lifetime=token_lifetime
        )
        self.server = RestServer(self)
        self.server.rate_limiter = None if rate_limit is None else RateLimiter(*rate_limit)
        for module in (rest_core, rest_channels, rest_interactions, rest_community):
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

    def forbid(
        self,
        route: RouteSpec,
        *,
        method: str | None = None,
        code: int = 50013,
        times: int | None = 1,
    ) -> Fault:
        """Answer 403 like Discord does when a permission was taken away: 50013 Missing
        Permissions (default) or 50001 Missing Access."""
        message = "Missing Access" if code == 50001 else "Missing Permissions"
        return self.faults.server_error(
            _route(route), method=method, status=403, times=times, code=code, message=message
        )

    def global_rate_limit(self, *, retry_after: float = 0.05, times: int | None = 1) -> Fault:
        """A 429 with ``global: true`` and ``X-RateLimit-Global`` on the next request(s) made
        with the bot token, as Discord answers when the bot exceeds its global request rate
        (interaction callbacks and webhooks are exempt from the global limit, as on Discord)."""
        return self.faults.rate_limit(
            _BOT_TOKEN_ROUTES, retry_after=retry_after, times=times, is_global=True, scope="global"
        )

    async def drop_gateway(
        self, *, abrupt: bool = False, code: int = 4000, resumable: bool = True
    ) -> int:
        """Close the bot's gateway connection(s); discord.py reconnects and RESUMEs. With
        ``resumable=False`` the sessions are forgotten first, so the RESUME is refused with
        op 9 INVALID_SESSION ``d=false`` and the bot must IDENTIFY again."""
        return await self.gateway.drop(abrupt=abrupt, code=code, resumable=resumable)

    def zombie_gateway(self) -> int:
        """Make the live connection(s) a zombie: heartbeats are never acknowledged and nothing
        more is sent (dispatches are kept for a RESUME) until the bot reconnects."""
        return self.gateway.zombify()

    def redeliver(self, interaction: InteractionResult | InteractionState) -> None:
        """Dispatch an interaction's INTERACTION_CREATE again, same id and token (Discord can
        deliver an event twice)."""
        state = (
            self.interactions.by_id[interaction.interaction_id]
            if isinstance(interaction, InteractionResult)
            else interaction
        )
        self.interactions.redeliver(state)

    def advance_clock(self, seconds: float) -> None:
        """Move the interactions' clock forward (ack deadline, token lifetime): a test can
        outlive a 15-minute token without waiting."""
        self.interactions.advance_clock(seconds)

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


#: Every route except those authenticated by an interaction token.
_BOT_TOKEN_ROUTES = re.compile(r"^/(?!interactions/|webhooks/)")


def _route(route: RouteSpec) -> RouteSpec:
    if isinstance(route, re.Pattern):
        return route
    return route if route.startswith("/") else "/" + route
