"""The aiohttp application: REST routing, request recording, faults, auth and rate limits.

Route handlers live in ``rest_*.py`` modules; this module only knows how to match a request
to a route template (spelled exactly like discord.py's ``Route`` paths), record it, apply
faults and rate-limit bookkeeping, and turn results / :class:`ApiError` into responses.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import logging
import re
import secrets
import socket
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import web

from ..errors import ApiError
from . import payloads
from .validation import UploadedFile

if TYPE_CHECKING:
    from .emulator import Emulator

log = logging.getLogger(__name__)

JSON = dict[str, Any]
API_PREFIX = "/api/v10"
#: A 1x1 PNG served for every CDN asset (``discord.asset.Asset.BASE`` points here).
_PIXEL_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGOISP30HwAFdwKvhpvLXgAAAABJRU5ErkJggg=="
)
#: Routes that authenticate with the interaction token instead of the bot token.
_TOKENLESS = ("/webhooks/", "/interactions/")


@dataclass
class RequestRecord:
    """One REST request as the emulator received it (the Authorization header is omitted)."""

    index: int
    method: str
    path: str
    route: str | None
    query: dict[str, str]
    json: Any
    files: list[str]
    headers: dict[str, str]
    status: int | None = None
    unknown: bool = False
    faults: list[str] = field(default_factory=list)
    response: Any = None
    at: float = field(default_factory=time.monotonic)

    def __repr__(self) -> str:
        return f"<{self.method} {self.path} -> {self.status} route={self.route!r}>"


@dataclass
class Ctx:
    """What a route handler gets."""

    emu: Emulator
    request: web.Request
    method: str
    path: str
    route: str
    params: dict[str, str]
    query: dict[str, str]
    json: Any
    files: list[UploadedFile]

    def int_param(self, name: str) -> int:
        try:
            return int(self.params[name])
        except ValueError:
            raise ApiError.invalid_form(
                name, "NUMBER_TYPE_COERCE", "Value is not snowflake."
            ) from None

    @property
    def body(self) -> JSON:
        return self.json if isinstance(self.json, dict) else {}


Result = JSON | list[Any] | None | web.StreamResponse
Handler = Callable[[Ctx], Awaitable[Result]]


@dataclass
class _Route:
    method: str
    template: str
    regex: re.Pattern[str]
    handler: Handler


class Router:
    def __init__(self) -> None:
        self.routes: list[_Route] = []

    def add(self, method: str, template: str, handler: Handler) -> None:
        pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
        self.routes.append(_Route(method, template, re.compile(f"^{pattern}$"), handler))

    def route(self, method: str, template: str) -> Callable[[Handler], Handler]:
        def deco(fn: Handler) -> Handler:
            self.add(method, template, fn)
            return fn

        return deco

    def match(self, method: str, path: str) -> tuple[_Route | None, dict[str, str], bool]:
        """Return (route, params, path_known). ``path_known`` is True if another method matched."""
        path_known = False
        for r in self.routes:
            m = r.regex.match(path)
            if m is None:
                continue
            if r.method == method:
                return r, m.groupdict(), True
            path_known = True
        return None, {}, path_known


class RateLimiter:
    """Per-bucket request counting that produces Discord's X-RateLimit-* headers."""

    def __init__(self, limit: int = 50, window: float = 1.0) -> None:
        self.limit = limit
        self.window = window
        self._buckets: dict[str, tuple[float, int]] = {}

    def hit(self, key: str) -> tuple[int, float, bool]:
        """Count one request; returns (remaining, reset_after, limited)."""
        now = time.monotonic()
        start, count = self._buckets.get(key, (now, 0))
        if now - start >= self.window:
            start, count = now, 0
        reset_after = max(self.window - (now - start), 0.001)
        if count >= self.limit:
            return 0, reset_after, True
        count += 1
        self._buckets[key] = (start, count)
        return self.limit - count, reset_after, False


def json_response(
    data: Any, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    # discord.py's json_or_text() compares the header to exactly "application/json".
    all_headers = {"Content-Type": "application/json", **(headers or {})}
    return web.Response(
        status=status,
        body=json.dumps(data, separators=(",", ":")).encode(),
        headers=all_headers,
    )


class RestServer:
    """Owns the aiohttp runner; see :class:`discord_emulator.Emulator` for the public surface."""

    def __init__(self, emu: Emulator) -> None:
        self.emu = emu
        self.router = Router()
        self.records: list[RequestRecord] = []
        self.errors: list[BaseException] = []
        self.rate_limiter: RateLimiter | None = RateLimiter()
        self._runner: web.AppRunner | None = None
        self._sock: socket.socket | None = None
        self.port: int = 0
        self._inflight = 0
        self._idle = asyncio.Event()
        self._idle.set()

    # ------------------------------------------------------------------ lifecycle

    async def start(self, host: str = "127.0.0.1") -> None:
        if host not in ("127.0.0.1", "::1", "localhost"):
            raise ValueError("the emulator only listens on loopback")
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self._handle)
        app.router.add_get("/attachments/{channel_id}/{attachment_id}/{filename}", self._attachment)
        app.router.add_get("/cdn/{tail:.*}", self._cdn)
        app.router.add_get("/", self.emu.gateway.handle)
        self._runner = web.AppRunner(
            app, access_log=None, handle_signals=False, shutdown_timeout=1.0
        )
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        self._sock = sock
        self.port = sock.getsockname()[1]
        site = web.SockSite(self._runner, sock)
        await site.start()
        log.info("Discord emulator listening on http://127.0.0.1:%d", self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self._sock is not None:
            self._sock.close()
            self._sock = None

    # ------------------------------------------------------------------ request handling

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        method = request.method.upper()
        path = "/" + request.match_info["tail"]
        try:
            body, files = await self._read_body(request)
        except ApiError as exc:
            body, files = None, []
            early_error: ApiError | None = exc
        else:
            early_error = None
        route, params, path_known = self.router.match(method, path)
        record = RequestRecord(
            index=len(self.records),
            method=method,
            path=path,
            route=route.template if route else None,
            query=dict(request.query),
            json=body,
            files=[f.filename for f in files],
            headers={k: v for k, v in request.headers.items() if k.lower() != "authorization"},
        )
        self.records.append(record)
        self._inflight += 1
        self._idle.clear()
        try:
            response = await self._respond(
                request, record, route, params, path_known, body, files, early_error
            )
            record.status = response.status
            # Flush the response before counting the request as answered, so "idle" means
            # the bot has its answer on the socket.
            try:
                await response.prepare(request)
                await response.write_eof()
            except ConnectionResetError:  # the client hung up first (a bot closing)
                log.debug("%s %s: the client left before its answer", method, path)
            return response
        finally:
            self._inflight -= 1
            if self._inflight == 0:
                self._idle.set()

    async def wait_idle(self, timeout: float = 2.0) -> bool:  # noqa: ASYNC109
        """Wait until no REST request is being handled; False on timeout."""
        try:
            await asyncio.wait_for(self._idle.wait(), timeout)
        except TimeoutError:
            return False
        return True

    async def _respond(
        self,
        request: web.Request,
        record: RequestRecord,
        route: _Route | None,
        params: dict[str, str],
        path_known: bool,
        body: Any,
        files: list[UploadedFile],
        early_error: ApiError | None,
    ) -> web.StreamResponse:
        emu = self.emu
        for fault in emu.faults.match(record.method, record.path, record.route):
            record.faults.append(fault.kind)
            if fault.kind == "delay":
                await asyncio.sleep(fault.delay)
            elif fault.kind == "ratelimit":
                return self._too_many(
                    fault.retry_after, is_global=fault.is_global, scope=fault.scope
                )
            else:
                record.response = payloads.error(
                    fault.code, fault.message or f"{fault.status}: Emulated server error"
                )
                return json_response(
                    record.response, status=fault.status, headers={"Via": "1.1 google"}
                )
        if route is None:
            record.unknown = True
            if path_known:
                return json_response(payloads.error(0, "405: Method Not Allowed"), status=405)
            log.warning("unknown route requested: %s %s", record.method, record.path)
            return json_response(payloads.error(0, "404: Not Found"), status=404)
        if not any(record.path.startswith(p) for p in _TOKENLESS) and route.template != "/gateway":
            denied = self._check_auth(request)
            if denied is not None:
                return denied
        headers: dict[str, str] = {"Via": "1.1 google"}
        if self.rate_limiter is not None:
            bucket = (
                route.template
                + ":"
                + "+".join(
                    params.get(k, "")
                    for k in ("channel_id", "guild_id", "webhook_id", "webhook_token")
                )
            )
            remaining, reset_after, limited = self.rate_limiter.hit(f"{record.method} {bucket}")
            if limited:
                return self._too_many(reset_after, is_global=False, scope="user")
            headers.update(
                {
                    "X-RateLimit-Limit": str(self.rate_limiter.limit),
                    "X-RateLimit-Remaining": str(remaining),
                    "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
                    "X-RateLimit-Reset-After": f"{reset_after:.3f}",
                    "X-RateLimit-Bucket": hashlib.md5(
                        f"{record.method} {route.template}".encode(), usedforsecurity=False
                    ).hexdigest(),
                }
            )
        ctx = Ctx(
            emu=emu,
            request=request,
            method=record.method,
            path=record.path,
            route=route.template,
            params=params,
            query=dict(request.query),
            json=body,
            files=files,
        )
        try:
            if early_error is not None:
                raise early_error
            result = await route.handler(ctx)
        except ApiError as exc:
            record.response = payloads.error(exc.code, exc.message, exc.errors)
            return json_response(record.response, status=exc.status, headers=headers)
        except Exception as exc:
            # An emulator bug: answer 400 (not 5xx, which discord.py retries for ~25 s).
            log.exception("emulator handler crashed for %s %s", record.method, record.path)
            self.errors.append(exc)
            record.response = payloads.error(0, f"Emulator internal error: {exc!r}")
            return json_response(record.response, status=400, headers=headers)
        await emu.gateway.flush()
        if isinstance(result, web.StreamResponse):
            return result
        record.response = result
        if result is None:
            return web.Response(status=204, headers=headers)
        return json_response(result, headers=headers)

    def _check_auth(self, request: web.Request) -> web.Response | None:
        auth = request.headers.get("Authorization", "")
        if not auth.startswith("Bot ") or not auth[4:].strip():
            return json_response(payloads.error(0, "401: Unauthorized"), status=401)
        expected = self.emu.token
        if expected is not None and not secrets.compare_digest(auth[4:].strip(), expected):
            return json_response(payloads.error(0, "401: Unauthorized"), status=401)
        return None

    def _too_many(self, retry_after: float, *, is_global: bool, scope: str) -> web.Response:
        headers = {
            "Via": "1.1 google",
            "Retry-After": str(max(1, int(retry_after + 0.999))),
            "X-RateLimit-Scope": "global" if is_global else scope,
            "X-RateLimit-Limit": "1",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": f"{time.time() + retry_after:.3f}",
            "X-RateLimit-Reset-After": f"{retry_after:.3f}",
        }
        if is_global:
            headers["X-RateLimit-Global"] = "true"
        return json_response(payloads.rate_limited(retry_after, is_global=is_global), 429, headers)

    async def _read_body(self, request: web.Request) -> tuple[Any, list[UploadedFile]]:
        if not request.can_read_body:
            return None, []
        ctype = request.content_type
        if ctype.startswith("multipart/"):
            body: Any = None
            files: list[UploadedFile] = []
            reader = await request.multipart()
            while True:
                part = await reader.next()
                if part is None:
                    break
                name = getattr(part, "name", None) or ""
                if name == "payload_json":
                    body = json.loads(await part.text())  # type: ignore[union-attr]
                    continue
                m = re.fullmatch(r"files\[(\d+)\]", name)
                data = await part.read()  # type: ignore[union-attr]
                index = int(m.group(1)) if m else len(files)
                files.append(
                    UploadedFile(
                        index=index,
                        filename=getattr(part, "filename", None) or f"file{index}",
                        content_type=part.headers.get("Content-Type", "application/octet-stream"),
                        data=bytes(data),
                    )
                )
            return body, files
        raw = await request.read()
        if not raw:
            return None, []
        try:
            return json.loads(raw), []
        except ValueError:
            raise ApiError(400, 50109, "The request body contains invalid JSON.") from None

    async def _cdn(self, request: web.Request) -> web.StreamResponse:
        """Avatars, icons and other CDN assets: every one is the same 1x1 PNG."""
        return web.Response(body=_PIXEL_PNG, content_type="image/png")

    async def _attachment(self, request: web.Request) -> web.StreamResponse:
        try:
            att_id = int(request.match_info["attachment_id"])
            filename, content_type, data = self.emu.attachments.blobs[att_id]
        except (KeyError, ValueError):
            raise web.HTTPNotFound() from None
        return web.Response(
            body=data,
            content_type=content_type.split(";")[0],
            headers={"Content-Disposition": f'inline; filename="{filename}"'},
        )
