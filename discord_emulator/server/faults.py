"""Faults on demand: make a REST route answer 429 / 5xx or respond slowly.

A rule matches on HTTP method (optional) and a route given as

* a route template exactly as discord.py spells it in ``discord/http.py``
  (e.g. ``"/channels/{channel_id}/messages"``),
* a concrete path (``"/channels/123/messages"``), or
* a compiled regular expression searched in the concrete path.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Literal

log = logging.getLogger(__name__)

FaultKind = Literal["ratelimit", "status", "delay"]
RouteSpec = str | re.Pattern[str]


@dataclass
class Fault:
    """One fault rule. ``remaining=None`` means "forever"; ``hits`` counts applications."""

    kind: FaultKind
    route: RouteSpec
    method: str | None = None
    remaining: int | None = 1
    status: int = 500
    retry_after: float = 0.05
    is_global: bool = False
    scope: str = "user"
    delay: float = 0.0
    #: Discord's JSON error code and message for ``status`` faults (0: a generic 5xx body).
    code: int = 0
    message: str | None = None
    hits: int = 0

    def matches(self, method: str, path: str, template: str | None) -> bool:
        if self.remaining is not None and self.remaining <= 0:
            return False
        if self.method is not None and self.method.upper() != method.upper():
            return False
        if isinstance(self.route, re.Pattern):
            return self.route.search(path) is not None
        if "{" in self.route:
            return template == self.route
        return path.rstrip("/") == self.route.rstrip("/")

    def consume(self) -> None:
        self.hits += 1
        if self.remaining is not None:
            self.remaining -= 1

    @property
    def exhausted(self) -> bool:
        return self.remaining is not None and self.remaining <= 0


class FaultPlan:
    """The set of active fault rules; the REST server consults it for every request."""

    def __init__(self) -> None:
        self.rules: list[Fault] = []

    def add(self, fault: Fault) -> Fault:
        self.rules.append(fault)
        return fault

    def rate_limit(
        self,
        route: RouteSpec,
        *,
        method: str | None = None,
        retry_after: float = 0.05,
        times: int | None = 1,
        is_global: bool = False,
        scope: str = "user",
    ) -> Fault:
        """Answer 429 (Discord's shape, with Retry-After / X-RateLimit-Scope headers)."""
        return self.add(
            Fault(
                kind="ratelimit",
                route=route,
                method=method,
                remaining=times,
                status=429,
                retry_after=retry_after,
                is_global=is_global,
                scope=scope,
            )
        )

    def server_error(
        self,
        route: RouteSpec,
        *,
        method: str | None = None,
        status: int = 500,
        times: int | None = 1,
        code: int = 0,
        message: str | None = None,
    ) -> Fault:
        """Answer ``status`` (5xx, or e.g. 403 with ``code``) with Discord's error body."""
        return self.add(
            Fault(
                kind="status",
                route=route,
                method=method,
                remaining=times,
                status=status,
                code=code,
                message=message,
            )
        )

    def delay(
        self,
        route: RouteSpec,
        seconds: float,
        *,
        method: str | None = None,
        times: int | None = None,
    ) -> Fault:
        """Hold the response for ``seconds`` before handling the request normally."""
        return self.add(
            Fault(kind="delay", route=route, method=method, remaining=times, delay=seconds)
        )

    def match(self, method: str, path: str, template: str | None) -> list[Fault]:
        """Return and consume the matching rules: every delay plus at most one error."""
        out: list[Fault] = []
        error_taken = False
        for rule in self.rules:
            if not rule.matches(method, path, template):
                continue
            if rule.kind == "delay":
                rule.consume()
                out.append(rule)
            elif not error_taken:
                rule.consume()
                out.append(rule)
                error_taken = True
        return out

    def clear(self) -> None:
        self.rules.clear()
