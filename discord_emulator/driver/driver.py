"""The test driver: acts like Discord users clicking around in a client.

Every action builds a real INTERACTION_CREATE from the state the emulator holds (synced
command schemas, stored messages and their components, opened modals), sends it over the
gateway, and waits for the bot's answer with a timeout. Building the interaction ``data`` is
delegated to :mod:`~discord_emulator.driver.options` (commands) and
:mod:`~discord_emulator.driver.components`.
"""

# ruff: noqa: ASYNC109  (explicit per-call timeouts are part of the driver API)
from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..errors import (
    ApiError,
    DriverError,
    InteractionTimeout,
    NoResponse,
)
from ..server.interactions import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    DEFERRED_CHANNEL_MESSAGE,
    DEFERRED_UPDATE_MESSAGE,
    MESSAGE_COMPONENT,
    MODAL_SUBMIT,
    InteractionState,
)
from ..server.models import Channel, Member, Message, User
from ..server.world import MessageEvent
from .components import ComponentBuilder
from .options import CommandBuilder
from .results import InteractionResult, Reply

if TYPE_CHECKING:
    from ..server.emulator import Emulator

log = logging.getLogger(__name__)

JSON = dict[str, Any]
MessageRef = Reply | InteractionResult | Message | int
UserRef = User | Member | int
ChannelRef = Channel | int


class Driver:
    """Simulates users. All coroutine methods accept ``timeout`` (seconds)."""

    def __init__(
        self,
        emu: Emulator,
        *,
        user: User | None = None,
        channel: Channel | None = None,
        timeout: float = 5.0,
        settle: float = 0.01,
    ) -> None:
        self.emu = emu
        self.default_user = user
        self.default_channel = channel
        self.timeout = timeout
        #: After an action completes, wait until the emulator has answered every in-flight
        #: request and then this many seconds, so the bot has processed the responses (e.g.
        #: registered a view for the message id) before the next simulated user action.
        self.settle = settle
        self.commands = CommandBuilder(emu.world)
        self.components = ComponentBuilder(emu.world, self.commands)

    def use(self, *, user: User | None = None, channel: Channel | None = None) -> Driver:
        """Set the default acting user and/or channel; returns ``self``."""
        if user is not None:
            self.default_user = user
        if channel is not None:
            self.default_channel = channel
        return self

    # ------------------------------------------------------------------ slash commands

    def _chat_input_data(
        self, command: str, values: dict[str, Any], u: User, ch: Channel, focused: str | None
    ) -> JSON:
        """The ``data`` of a slash command (or its autocomplete) interaction, validated."""
        cmd, path = self.commands.find_command(command, ch, u)
        data, resolved = self.commands.chat_input_data(cmd, path, values, ch, u, focused=focused)
        if resolved:
            data["resolved"] = resolved
        return data

    async def invoke(
        self,
        command: str,
        *,
        user: UserRef | None = None,
        channel: ChannelRef | None = None,
        options: Mapping[str, Any] | None = None,
        locale: str | None = None,
        timeout: float | None = None,
        wait: bool = True,
        **kwargs: Any,
    ) -> InteractionResult:
        """Run a slash command: ``await drv.invoke("/trivia start", rounds=3)``.

        Options come from keyword arguments (or ``options=`` for names that are not valid
        Python identifiers). Choice options accept the choice value or its display name.
        With ``wait`` (default) a deferral is awaited until the bot completes it.
        """
        u, ch = self._user(user), self._channel(channel)
        data = self._chat_input_data(command, {**(options or {}), **kwargs}, u, ch, None)
        state = self.emu.interactions.create(
            type=APPLICATION_COMMAND,
            user=u,
            channel=ch,
            data=data,
            locale=locale,
            command_name=command,
            command_type=1,
        )
        return await self._result(state, timeout, wait)

    async def autocomplete(
        self,
        command: str,
        *,
        focused: str,
        value: Any,
        user: UserRef | None = None,
        channel: ChannelRef | None = None,
        options: Mapping[str, Any] | None = None,
        timeout: float | None = None,
        **kwargs: Any,
    ) -> list[JSON]:
        """Type ``value`` into option ``focused``; returns the bot's choices (name/value dicts)."""
        u, ch = self._user(user), self._channel(channel)
        values = {**(options or {}), **kwargs, focused: value}
        data = self._chat_input_data(command, values, u, ch, focused)
        state = self.emu.interactions.create(
            type=AUTOCOMPLETE,
            user=u,
            channel=ch,
            data=data,
            command_name=command,
            command_type=1,
        )
        result = await self._result(state, timeout, wait=False)
        return result.choices or []

    async def context_menu(
        self,
        name: str,
        target: MessageRef | UserRef,
        *,
        user: UserRef | None = None,
        channel: ChannelRef | None = None,
        timeout: float | None = None,
        wait: bool = True,
    ) -> InteractionResult:
        """Run a message (target is a message) or user (target is a user) context-menu command."""
        u = self._user(user)
        world = self.emu.world
        target_obj: User | Message
        if isinstance(target, User | Member) or (isinstance(target, int) and target in world.users):
            target_obj = world.user(target)  # type: ignore[arg-type]
            ch = self._channel(channel)
            ctype = 2
        else:
            target_obj = self._message(target)  # type: ignore[arg-type]
            ch = world.channel(target_obj.channel_id) if channel is None else self._channel(channel)
            ctype = 3
        cmd = self.commands.find_context_menu(name, ctype, ch, u)
        data = self.commands.context_menu_data(cmd, target_obj, ch)
        state = self.emu.interactions.create(
            type=APPLICATION_COMMAND,
            user=u,
            channel=ch,
            data=data,
            command_name=name,
            command_type=cmd.type,
        )
        return await self._result(state, timeout, wait)

    async def run(
        self,
        line: str,
        *,
        user: UserRef | None = None,
        channel: ChannelRef | None = None,
        timeout: float | None = None,
        wait: bool = True,
    ) -> InteractionResult:
        """Invoke a command typed like in the Discord client (handy for a console playground):

        ``await drv.run('/trivia start rounds:3 category:Cast')``,
        ``await drv.run('/whois member:@bob channel:#general')``. Values may be quoted.
        """
        ch = self._channel(channel)
        command, options = self.parse_command_line(line, channel=ch)
        return await self.invoke(
            command, user=user, channel=ch, options=options, timeout=timeout, wait=wait
        )

    def parse_command_line(
        self, line: str, *, channel: ChannelRef | None = None
    ) -> tuple[str, JSON]:
        """Split ``/cmd sub name:value ...`` into the command path and typed option values."""
        return self.commands.parse_command_line(line, channel=self._channel(channel))

    # ------------------------------------------------------------------ components & modals

    async def click(
        self,
        message: MessageRef,
        button: str,
        *,
        user: UserRef | None = None,
        timeout: float | None = None,
        wait: bool = True,
    ) -> InteractionResult:
        """Click the button whose custom_id or label is ``button`` on ``message``."""
        msg = self._message(message)
        comp = self.components.find_button(msg, button)
        data = {"custom_id": comp["custom_id"], "component_type": 2}
        return await self._component(msg, data, user, timeout, wait)

    async def select(
        self,
        message: MessageRef,
        custom_id: str,
        values: Sequence[Any],
        *,
        user: UserRef | None = None,
        timeout: float | None = None,
        wait: bool = True,
    ) -> InteractionResult:
        """Choose ``values`` in the select menu ``custom_id`` (or placeholder) on ``message``.

        String selects take option values (or labels); user/role/channel selects take the
        objects or their ids.
        """
        msg = self._message(message)
        data = self.components.select_data(msg, custom_id, values, self._user(user))
        return await self._component(msg, data, user, timeout, wait)

    async def submit_modal(
        self,
        source: InteractionResult,
        values: Mapping[str, Any],
        *,
        user: UserRef | None = None,
        timeout: float | None = None,
        wait: bool = True,
    ) -> InteractionResult:
        """Fill in and submit the modal ``source`` opened; keys are custom_ids or labels."""
        modal = source.modal
        if modal is None:
            raise DriverError("that interaction did not open a modal (callback type 9)")
        src = self.emu.interactions.by_id[source.interaction_id]
        u = self._user(user) if user is not None else src.user
        data = self.components.modal_submission(modal, values)
        channel = self.emu.world.channel(src.channel_id)
        message = None
        if src.source_message_id is not None:
            message = self.emu.world.find_message(src.source_message_id)
        state = self.emu.interactions.create(
            type=MODAL_SUBMIT,
            user=u,
            channel=channel,
            data=data,
            message=message,
            source_message_id=src.source_message_id,
        )
        return await self._result(state, timeout, wait)

    # ------------------------------------------------------------------ polls

    async def vote(
        self,
        message: MessageRef,
        *answers: int | str,
        user: UserRef | None = None,
    ) -> None:
        """``user`` votes on a poll (answers by id or exact text; none = withdraw the vote)."""
        self.emu.world.vote_poll(self._message(message), self._user(user), answers)
        await self.settled()

    # ------------------------------------------------------------------ channel logs

    def messages(self, channel: ChannelRef, *, include_ephemeral: bool = False) -> list[Reply]:
        """Current state of every (non-deleted) message in ``channel``, oldest first."""
        ch = self.emu.world.channel(channel) if isinstance(channel, int) else channel
        return [
            Reply.of(m)
            for m in self.emu.world.channel_messages(ch, include_ephemeral=include_ephemeral)
        ]

    def threads(self, parent: ChannelRef | None = None) -> list[Channel]:
        """Threads (incl. forum posts) that exist, optionally only under ``parent``."""
        pid = None if parent is None else (parent if isinstance(parent, int) else parent.id)
        return [
            c
            for c in self.emu.world.channels.values()
            if c.is_thread and not c.deleted and (pid is None or c.parent_id == pid)
        ]

    def cursor(self) -> int:
        """A position in the message-event log, for ``wait_for_message(after=...)``."""
        return len(self.emu.world.events)

    async def wait_for_message(
        self,
        channel: ChannelRef,
        *,
        timeout: float | None = None,
        edits: bool = False,
        check: Callable[[Reply], bool] | None = None,
        after: int | None = None,
        include_ephemeral: bool = False,
    ) -> Reply:
        """Wait for the next message created (or, with ``edits``, edited) in ``channel``.

        Only events after ``after`` (a :meth:`cursor`; default: now) count.
        """
        cid = channel if isinstance(channel, int) else channel.id
        kinds = ("create", "edit") if edits else ("create",)

        def predicate(event: MessageEvent) -> bool:
            if event.channel_id != cid or event.kind not in kinds:
                return False
            if event.message.ephemeral and not include_ephemeral:
                return False
            return check is None or check(Reply.of(event.message, kind=event.kind))

        t = self.timeout if timeout is None else timeout
        try:
            event = await self.emu.world.wait_for_event(predicate, timeout=t, after=after)
        except TimeoutError:
            raise InteractionTimeout(f"no matching message in channel {cid} within {t}s") from None
        await self.settled()
        return Reply.of(event.message, kind=event.kind, interaction_id=event.interaction_id)

    # ------------------------------------------------------------------ internals: waiting

    async def _result(
        self, state: InteractionState, timeout: float | None, wait: bool
    ) -> InteractionResult:
        t = self.timeout if timeout is None else timeout
        store = self.emu.interactions
        # A rejected callback (e.g. 400 for an over-long message) is not the end: the bot's
        # error handler may still answer, so keep waiting for a successful one.
        acked = await store.wait(state, lambda s: s.acknowledged, t)
        if not state.acknowledged:
            if state.callback_attempts:
                status, ctype = state.callback_attempts[-1]
                raise InteractionTimeout(
                    f"bot's callback (type {ctype}) for interaction {state.id} was rejected "
                    f"with HTTP {status} and no successful callback followed within {t}s"
                )
            if not acked:
                raise NoResponse(
                    f"bot did not respond to interaction {state.id} "
                    f"({state.command_name or state.type}) "
                    f"within {t}s (check the bot's logs for an exception)"
                )
        deferred = state.callback_type in (DEFERRED_CHANNEL_MESSAGE, DEFERRED_UPDATE_MESSAGE)
        if wait and deferred and not await store.wait(state, lambda s: s.completed, t):
            raise InteractionTimeout(
                f"bot deferred interaction {state.id} (type {state.callback_type}) but did not "
                f"follow up or edit the original response within {t}s; pass wait=False to "
                f"return right after the acknowledgement"
            )
        await self.settled()
        return InteractionResult(self.emu, state)

    async def settled(self) -> None:
        """Best-effort quiescence: every queued gateway event written, every in-flight REST
        request answered, then ``settle`` seconds for the bot to process what it received.
        Call it after changing the world "from Discord's side" before asserting on the bot."""
        await self.emu.gateway.flush(self.timeout)
        await self.emu.server.wait_idle(self.timeout)
        await asyncio.sleep(self.settle)

    async def _component(
        self, msg: Message, data: JSON, user: UserRef | None, timeout: float | None, wait: bool
    ) -> InteractionResult:
        u = self._user(user)
        channel = self.emu.world.channel(msg.channel_id)
        state = self.emu.interactions.create(
            type=MESSAGE_COMPONENT,
            user=u,
            channel=channel,
            data=data,
            message=msg,
            source_message_id=msg.id,
        )
        return await self._result(state, timeout, wait)

    # ------------------------------------------------------------------ internals: lookups

    def _user(self, user: UserRef | None) -> User:
        u = user if user is not None else self.default_user
        if u is None:
            raise DriverError("no user given (pass user=... or call drv.use(user=...))")
        return self.emu.world.user(u)

    def _channel(self, channel: ChannelRef | None) -> Channel:
        c = channel if channel is not None else self.default_channel
        if c is None:
            raise DriverError("no channel given (pass channel=... or call drv.use(channel=...))")
        return self.emu.world.channel(c)

    def _message(self, ref: MessageRef) -> Message:
        world = self.emu.world
        if isinstance(ref, InteractionResult):
            mid = ref.message_id
            if mid is None:
                raise DriverError("that interaction has no message")
        elif isinstance(ref, Reply | Message):
            mid = ref.id
        else:
            mid = int(ref)
        try:
            return world.find_message(mid)
        except ApiError:
            raise DriverError(f"message {mid} does not exist (deleted?)") from None
