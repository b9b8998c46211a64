"""REST routes: the interaction callback and the interaction webhook (followups, @original)."""

from __future__ import annotations

import logging
from typing import Any

from ..errors import ApiError
from .http import Ctx, Router

log = logging.getLogger(__name__)

JSON = dict[str, Any]

_WEBHOOK = "/webhooks/{webhook_id}/{webhook_token}"


def register(router: Router) -> None:
    r = router.route

    @r("POST", "/interactions/{webhook_id}/{webhook_token}/callback")
    async def callback(ctx: Ctx) -> JSON | None:
        store = ctx.emu.interactions
        body = ctx.body
        if "type" not in body:
            raise ApiError.invalid_form("type", "BASE_TYPE_REQUIRED", "This field is required")
        result = store.callback(
            ctx.int_param("webhook_id"), ctx.params["webhook_token"], body, ctx.files
        )
        wants = ctx.query.get("with_response", "false").lower() in ("1", "true")
        return result if wants else None

    def state(ctx: Ctx) -> Any:
        return ctx.emu.interactions.by_webhook(
            ctx.int_param("webhook_id"), ctx.params["webhook_token"]
        )

    @r("POST", _WEBHOOK)
    async def execute(ctx: Ctx) -> JSON | None:
        st = state(ctx)
        if ctx.query.get("thread_id"):
            raise ApiError(400, 50024, "Cannot execute action on this channel type")
        message = ctx.emu.interactions.followup(st, ctx.body, ctx.files)
        wait = ctx.query.get("wait", "false").lower() in ("1", "true")
        return ctx.emu.world.render_message(message) if wait else None

    @r("GET", _WEBHOOK + "/messages/{message_id}")
    async def get_message(ctx: Ctx) -> JSON:
        message = ctx.emu.interactions.get_message(state(ctx), ctx.params["message_id"])
        return ctx.emu.world.render_message(message)

    @r("PATCH", _WEBHOOK + "/messages/{message_id}")
    async def edit_message(ctx: Ctx) -> JSON:
        message = ctx.emu.interactions.edit_message(
            state(ctx), ctx.params["message_id"], ctx.body, ctx.files
        )
        return ctx.emu.world.render_message(message)

    @r("DELETE", _WEBHOOK + "/messages/{message_id}")
    async def delete_message(ctx: Ctx) -> None:
        ctx.emu.interactions.delete_message(state(ctx), ctx.params["message_id"])
