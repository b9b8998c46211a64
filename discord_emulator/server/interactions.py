"""Emulator-side interaction lifecycle: create, acknowledge (callback), follow up, edit.

Implements Discord's rules that matter for bots:

* the callback must arrive within ``ack_deadline`` seconds (3 s on Discord), otherwise
  ``404 Unknown interaction`` (10062); a second callback is ``400`` (40060);
* followups / ``@original`` before the callback are ``404 Unknown Webhook`` (10015);
* after a type-5 deferral the loading message is the original response and the first
  followup *replaces* it (keeping the deferral's ephemeral flag);
* after type 6/7 the original response is the message whose component was used.
"""

# ruff: noqa: ASYNC109  (explicit per-call timeouts are part of the driver API)
from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..errors import ApiError, DriverError
from . import payloads
from .messaging import AttachmentStore, create_kwargs, edit_changes
from .models import Channel, Message, User
from .permissions import P
from .validation import MessageBody, UploadedFile, parse_message_body
from .world import (
    MSG_CHAT_INPUT_COMMAND,
    MSG_CONTEXT_MENU_COMMAND,
    MSG_DEFAULT,
    MessageEvent,
    World,
)

log = logging.getLogger(__name__)

JSON = dict[str, Any]

# Interaction types
PING, APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 1, 2, 3, 4, 5
# Callback types
PONG, CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, DEFERRED_UPDATE_MESSAGE = 1, 4, 5, 6
UPDATE_MESSAGE, AUTOCOMPLETE_RESULT, MODAL = 7, 8, 9

_ALLOWED_CALLBACKS: dict[int, set[int]] = {
    PING: {PONG},
    APPLICATION_COMMAND: {CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, MODAL},
    MESSAGE_COMPONENT: {
        CHANNEL_MESSAGE,
        DEFERRED_CHANNEL_MESSAGE,
        DEFERRED_UPDATE_MESSAGE,
        UPDATE_MESSAGE,
        MODAL,
    },
    AUTOCOMPLETE: {AUTOCOMPLETE_RESULT},
    MODAL_SUBMIT: {
        CHANNEL_MESSAGE,
        DEFERRED_CHANNEL_MESSAGE,
        DEFERRED_UPDATE_MESSAGE,
        UPDATE_MESSAGE,
    },
}


@dataclass(eq=False)
class InteractionState:
    """Everything the emulator knows about one interaction."""

    id: int
    token: str
    type: int
    channel_id: int
    guild_id: int | None
    user: User
    payload: JSON
    created_at: float
    source_message_id: int | None = None
    command_name: str | None = None
    command_type: int | None = None
    callback_type: int | None = None
    callback_data: JSON | None = None
    callback_attempts: list[tuple[int, int]] = field(default_factory=list)  # (status, type)
    original_message_id: int | None = None
    followup_ids: list[int] = field(default_factory=list)
    completed: bool = False
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def acknowledged(self) -> bool:
        return self.callback_type is not None

    def pulse(self) -> None:
        self.changed.set()


class InteractionStore:
    """Creates interactions and serves the callback / webhook endpoints for them."""

    def __init__(
        self,
        world: World,
        attachments: AttachmentStore,
        *,
        ack_deadline: float | None = 3.0,
        token_lifetime: float | None = 900.0,
    ) -> None:
        self.world = world
        self.attachments = attachments
        #: Seconds the bot has to call the callback endpoint (``None`` disables the check).
        self.ack_deadline = ack_deadline
        #: Seconds an interaction token serves followups and edits (Discord: 15 minutes).
        self.token_lifetime = token_lifetime
        #: Added to the monotonic clock: tests move time forward instead of waiting.
        self.clock_offset = 0.0
        self.by_id: dict[int, InteractionState] = {}
        self.by_token: dict[str, InteractionState] = {}

    # ------------------------------------------------------------------ creation

    def create(
        self,
        *,
        type: int,
        user: User,
        channel: Channel,
        data: JSON | None,
        message: Message | None = None,
        locale: str | None = None,
        command_name: str | None = None,
        command_type: int | None = None,
        source_message_id: int | None = None,
    ) -> InteractionState:
        """Build the INTERACTION_CREATE payload, remember it, and dispatch it."""
        world = self.world
        iid = world.new_id()
        token = "aW50ZXJhY3Rpb246" + secrets.token_urlsafe(48)
        guild = world.guilds.get(channel.guild_id) if channel.guild_id is not None else None
        self._check_user_can_interact(user, channel, guild, type)
        user_perms = world.permissions_for(user, channel)
        app_perms = world.bot_permissions(channel)
        if guild is not None:
            member = world.member(guild, user)
            member_payload = world.render_member(member, channel=channel)
            user_payload = None
            context = 0
            channel_payload = payloads.interaction_channel(channel, user_perms)
        else:
            member_payload = None
            user_payload = payloads.user(user)
            recipients = [world.users[u] for u in channel.recipient_ids if u in world.users]
            channel_payload = payloads.interaction_channel(channel, user_perms, recipients)
            context = 1 if channel.type == 1 and user.id in channel.recipient_ids else 2
        message_payload = world.render_message(message) if message is not None else None
        payload = payloads.interaction(
            interaction_id=iid,
            application_id=world.application_id,
            type=type,
            token=token,
            data=data,
            channel_payload=channel_payload,
            guild_obj=guild,
            member_payload=member_payload,
            user_payload=user_payload,
            app_permissions=app_perms,
            locale=locale or user.locale,
            context=context,
            message_payload=message_payload,
        )
        state = InteractionState(
            id=iid,
            token=token,
            type=type,
            channel_id=channel.id,
            guild_id=channel.guild_id,
            user=user,
            payload=payload,
            created_at=self.now(),
            source_message_id=source_message_id,
            command_name=command_name,
            command_type=command_type,
        )
        self.by_id[iid] = state
        self.by_token[token] = state
        world.dispatch("INTERACTION_CREATE", payload, channel.guild_id)
        return state

    def now(self) -> float:
        """The interactions' clock: monotonic time plus what :meth:`advance_clock` added."""
        return time.monotonic() + self.clock_offset

    def advance_clock(self, seconds: float) -> None:
        self.clock_offset += seconds

    def redeliver(self, state: InteractionState) -> None:
        """Dispatch the same INTERACTION_CREATE (same id and token) once more."""
        self.world.dispatch("INTERACTION_CREATE", state.payload, state.guild_id)

    def _check_user_can_interact(
        self, user: User, channel: Channel, guild: Any, itype: int
    ) -> None:
        """What a Discord client would not even let the user try."""
        if guild is None:
            if user.id not in channel.recipient_ids:
                raise DriverError(f"{user.username} is not a recipient of DM channel {channel.id}")
            return
        if user.id not in guild.members:
            raise DriverError(f"{user.username} is not a member of {guild.name}")
        perms = self.world.permissions_for(user, channel)
        if not perms & P.VIEW_CHANNEL:
            raise DriverError(f"{user.username} cannot see #{channel.name}")
        if itype in (APPLICATION_COMMAND, AUTOCOMPLETE) and not perms & P.USE_APPLICATION_COMMANDS:
            raise DriverError(f"{user.username} may not use apps in #{channel.name}")

    # ------------------------------------------------------------------ callback

    def callback(
        self, interaction_id: int, token: str, body: JSON, files: list[UploadedFile]
    ) -> JSON:
        state = self.by_id.get(interaction_id)
        if state is None or not secrets.compare_digest(state.token, token):
            raise ApiError.unknown_interaction()
        ctype = int(body.get("type", 0))
        data = body.get("data") or {}
        try:
            self._check_callback(state, ctype)
            resource_message = self._apply_callback(state, ctype, data, files)
        except ApiError as exc:
            state.callback_attempts.append((exc.status, ctype))
            state.pulse()
            raise
        state.callback_type = ctype
        state.callback_data = data
        state.callback_attempts.append((200, ctype))
        state.completed = ctype not in (DEFERRED_CHANNEL_MESSAGE, DEFERRED_UPDATE_MESSAGE)
        state.pulse()
        return self._callback_response(state, ctype, resource_message)

    def _apply_callback(
        self, state: InteractionState, ctype: int, data: JSON, files: list[UploadedFile]
    ) -> Message | None:
        """Validate and perform the callback's effect; returns the message it produced."""
        if ctype == CHANNEL_MESSAGE:
            parsed = parse_message_body(data, files, creating=True)
            message = self._create_response_message(state, parsed)
            state.original_message_id = message.id
            return message
        if ctype == DEFERRED_CHANNEL_MESSAGE:
            flags = Message.LOADING | (int(data.get("flags") or 0) & Message.EPHEMERAL)
            message = self._create_response_message(
                state, MessageBody(fields={"content": "", "flags": flags}), loading=True
            )
            state.original_message_id = message.id
            return message
        if ctype == UPDATE_MESSAGE:
            parsed = parse_message_body(data, files, creating=False)
            message = self._source_message(state)
            self.world.edit_message(
                message, edit_changes(parsed, message, self.attachments), interaction_id=state.id
            )
            state.original_message_id = message.id
            return message
        if ctype == DEFERRED_UPDATE_MESSAGE:
            state.original_message_id = self._source_message(state).id
        elif ctype == AUTOCOMPLETE_RESULT:
            self._check_choices(data)
        elif ctype == MODAL:
            self._check_modal(data)
        return None

    def _check_callback(self, state: InteractionState, ctype: int) -> None:
        if state.acknowledged:
            raise ApiError.already_acknowledged()
        if self.ack_deadline is not None and self.now() - state.created_at > self.ack_deadline:
            raise ApiError.unknown_interaction()
        allowed = _ALLOWED_CALLBACKS.get(state.type, set())
        if ctype not in allowed:
            raise ApiError.invalid_form(
                "type",
                "INTERACTION_RESPONSE_TYPE_INVALID",
                f"Interaction response type {ctype} is not valid for interaction type {state.type}",
            )
        if ctype in (UPDATE_MESSAGE, DEFERRED_UPDATE_MESSAGE) and state.source_message_id is None:
            raise ApiError(400, 40061, "Interaction has no message to update")

    def _check_choices(self, data: JSON) -> None:
        choices = data.get("choices")
        if not isinstance(choices, list):
            raise ApiError.invalid_form(
                "data.choices", "BASE_TYPE_REQUIRED", "This field is required"
            )
        if len(choices) > 25:
            raise ApiError.invalid_form(
                "data.choices", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length."
            )
        for i, choice in enumerate(choices):
            name = str(choice.get("name", ""))
            if not 1 <= len(name) <= 100:
                raise ApiError.invalid_form(
                    f"data.choices.{i}.name",
                    "BASE_TYPE_BAD_LENGTH",
                    "Must be between 1 and 100 in length.",
                )
            if "value" not in choice:
                raise ApiError.invalid_form(
                    f"data.choices.{i}.value", "BASE_TYPE_REQUIRED", "This field is required"
                )

    def _check_modal(self, data: JSON) -> None:
        for key in ("custom_id", "title", "components"):
            if not data.get(key):
                raise ApiError.invalid_form(
                    f"data.{key}", "BASE_TYPE_REQUIRED", "This field is required"
                )
        if len(data["title"]) > 45:
            raise ApiError.invalid_form(
                "data.title", "BASE_TYPE_MAX_LENGTH", "Must be 45 or fewer in length."
            )

    def _callback_response(
        self, state: InteractionState, ctype: int, message: Message | None
    ) -> JSON:
        interaction: JSON = {"id": str(state.id), "type": state.type}
        out: JSON = {"interaction": interaction}
        if state.original_message_id is not None and ctype in (
            CHANNEL_MESSAGE,
            DEFERRED_CHANNEL_MESSAGE,
            UPDATE_MESSAGE,
            DEFERRED_UPDATE_MESSAGE,
        ):
            interaction["response_message_id"] = str(state.original_message_id)
            original = self.world.find_message(state.original_message_id)
            interaction["response_message_loading"] = original.loading
            interaction["response_message_ephemeral"] = original.ephemeral
        if message is not None:
            out["resource"] = {"type": ctype, "message": self.world.render_message(message)}
        elif ctype in (AUTOCOMPLETE_RESULT, MODAL, DEFERRED_UPDATE_MESSAGE, PONG):
            out["resource"] = {"type": ctype}
        return out

    # ------------------------------------------------------------------ webhook endpoints

    def by_webhook(self, application_id: int, token: str) -> InteractionState:
        state = self.by_token.get(token)
        if state is None or application_id != self.world.application_id:
            raise ApiError.unknown_webhook()
        if not state.acknowledged:
            raise ApiError.unknown_webhook()
        if self.token_lifetime is not None and self.now() - state.created_at > self.token_lifetime:
            raise ApiError.invalid_webhook_token()
        return state

    def followup(self, state: InteractionState, body: JSON, files: list[UploadedFile]) -> Message:
        parsed = parse_message_body(body, files, creating=True)
        original = self._maybe_message(state.original_message_id)
        if (
            state.callback_type == DEFERRED_CHANNEL_MESSAGE
            and original is not None
            and original.loading
        ):
            # The first followup after "thinking..." replaces the loading message.
            changes = edit_changes(parsed, original, self.attachments)
            changes["flags"] = original.flags & ~Message.LOADING
            self.world.edit_message(original, changes, mark_edited=False, interaction_id=state.id)
            self._complete(state)
            return original
        message = self._create_response_message(state, parsed)
        state.followup_ids.append(message.id)
        self._complete(state)
        return message

    def get_message(self, state: InteractionState, message_ref: str) -> Message:
        return self._resolve_webhook_message(state, message_ref)

    def edit_message(
        self, state: InteractionState, message_ref: str, body: JSON, files: list[UploadedFile]
    ) -> Message:
        message = self._resolve_webhook_message(state, message_ref)
        parsed = parse_message_body(body, files, creating=False)
        changes = edit_changes(parsed, message, self.attachments)
        was_loading = message.loading
        if was_loading:
            changes["flags"] = message.flags & ~Message.LOADING
        self.world.edit_message(
            message, changes, mark_edited=not was_loading, interaction_id=state.id
        )
        self._complete(state)
        return message

    def delete_message(self, state: InteractionState, message_ref: str) -> None:
        message = self._resolve_webhook_message(state, message_ref)
        self.world.delete_message(message, interaction_id=state.id)
        self._complete(state)

    def _resolve_webhook_message(self, state: InteractionState, message_ref: str) -> Message:
        if message_ref == "@original":
            if state.original_message_id is None:
                raise ApiError.unknown_message()
            return self.world.find_message(state.original_message_id)
        try:
            mid = int(message_ref)
        except ValueError:
            raise ApiError.unknown_message() from None
        allowed = set(state.followup_ids)
        if state.original_message_id is not None:
            allowed.add(state.original_message_id)
        message = self._maybe_message(mid)
        if message is None or (
            mid not in allowed and message.webhook_id != self.world.application_id
        ):
            raise ApiError.unknown_message()
        return message

    # ------------------------------------------------------------------ helpers

    def _complete(self, state: InteractionState) -> None:
        state.completed = True
        state.pulse()

    def _maybe_message(self, message_id: int | None) -> Message | None:
        if message_id is None:
            return None
        try:
            return self.world.find_message(message_id)
        except ApiError:
            return None

    def _source_message(self, state: InteractionState) -> Message:
        if state.source_message_id is None:
            raise ApiError.unknown_message()
        return self.world.find_message(state.source_message_id)

    def _create_response_message(
        self, state: InteractionState, body: MessageBody, *, loading: bool = False
    ) -> Message:
        world = self.world
        channel = world.channel(state.channel_id)
        kwargs = create_kwargs(body, channel, self.attachments, bot_permissions=None)
        if state.type == APPLICATION_COMMAND:
            mtype = (
                MSG_CHAT_INPUT_COMMAND
                if state.command_type in (None, 1)
                else MSG_CONTEXT_MENU_COMMAND
            )
        else:
            mtype = MSG_DEFAULT
        metadata: JSON = {
            "id": str(state.id),
            "type": state.type,
            "user": payloads.user(state.user),
            "authorizing_integration_owners": state.payload["authorizing_integration_owners"],
        }
        if state.source_message_id is not None and state.type == MESSAGE_COMPONENT:
            metadata["interacted_message_id"] = str(state.source_message_id)
        if state.original_message_id is not None and not loading:
            # Only followups exist once an original response does.
            metadata["original_response_message_id"] = str(state.original_message_id)
        return world.add_message(
            channel,
            world.bot,
            type=mtype,
            webhook_id=world.application_id,
            application_id=world.application_id,
            interaction_metadata=metadata,
            interaction_id=state.id,
            **kwargs,
        )

    # ------------------------------------------------------------------ waiting

    async def wait(
        self, state: InteractionState, predicate: Callable[[InteractionState], bool], timeout: float
    ) -> bool:
        """Wait until ``predicate(state)`` holds; returns False on timeout."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not predicate(state):
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            state.changed.clear()
            try:
                await asyncio.wait_for(state.changed.wait(), remaining)
            except TimeoutError:
                return predicate(state)
        return True

    def events_for(self, state: InteractionState) -> list[MessageEvent]:
        return [e for e in self.world.events if e.interaction_id == state.id]
