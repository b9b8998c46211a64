"""The test driver: acts like Discord users clicking around in a client.

Every action builds a real INTERACTION_CREATE from the state the emulator holds (synced
command schemas, stored messages and their components, opened modals), sends it over the
gateway, and waits for the bot's answer with a timeout.
"""

# ruff: noqa: ASYNC109  (explicit per-call timeouts are part of the driver API)
from __future__ import annotations

import asyncio
import logging
import re
import shlex
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from . import payloads
from .errors import (
    ApiError,
    CommandNotFound,
    ComponentNotFound,
    DriverError,
    InteractionTimeout,
    NoResponse,
    OptionError,
)
from .interactions import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    DEFERRED_CHANNEL_MESSAGE,
    DEFERRED_UPDATE_MESSAGE,
    MESSAGE_COMPONENT,
    MODAL_SUBMIT,
    InteractionState,
)
from .models import AppCommand, Channel, Member, Message, Role, User
from .permissions import P
from .results import InteractionResult, Reply, buttons_of, selects_of, walk_components
from .world import MessageEvent

if TYPE_CHECKING:
    from .core import Emulator

log = logging.getLogger(__name__)

JSON = dict[str, Any]
MessageRef = Reply | InteractionResult | Message | int
UserRef = User | Member | int
ChannelRef = Channel | int

#: Keyword arguments of Driver.invoke/autocomplete that cannot double as option names.
_DRIVER_KEYWORDS = frozenset(
    {"user", "channel", "options", "locale", "timeout", "wait", "focused", "value"}
)

_OPTION_TYPE_NAMES = {
    3: "string",
    4: "integer",
    5: "boolean",
    6: "user",
    7: "channel",
    8: "role",
    9: "mentionable",
    10: "number",
    11: "attachment",
}


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

    def use(self, *, user: User | None = None, channel: Channel | None = None) -> Driver:
        """Set the default acting user and/or channel; returns ``self``."""
        if user is not None:
            self.default_user = user
        if channel is not None:
            self.default_channel = channel
        return self

    # ------------------------------------------------------------------ slash commands

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
        cmd, path = self._find_command(command, ch, u)
        values = {**(options or {}), **kwargs}
        data, resolved = self._command_data(cmd, path, values, ch, u, focused=None)
        if resolved:
            data["resolved"] = resolved
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
        cmd, path = self._find_command(command, ch, u)
        values = {**(options or {}), **kwargs, focused: value}
        data, resolved = self._command_data(cmd, path, values, ch, u, focused=focused)
        if resolved:
            data["resolved"] = resolved
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
        if isinstance(target, User | Member) or (isinstance(target, int) and target in world.users):
            target_user = world.user(target)  # type: ignore[arg-type]
            ch = self._channel(channel)
            cmd = self._find_context_menu(name, 2, ch, u)
            resolved: JSON = {"users": {str(target_user.id): payloads.user(target_user)}}
            member = world.maybe_member(ch.guild_id, target_user.id)
            if member is not None:
                resolved["members"] = {
                    str(target_user.id): world.render_member(member, channel=ch, with_user=False)
                }
            target_id = target_user.id
        else:
            message = self._message(target)  # type: ignore[arg-type]
            ch = world.channel(message.channel_id) if channel is None else self._channel(channel)
            cmd = self._find_context_menu(name, 3, ch, u)
            resolved = {"messages": {str(message.id): world.render_message(message)}}
            target_id = message.id
        data: JSON = {
            "id": str(cmd.id),
            "name": cmd.name,
            "type": cmd.type,
            "target_id": str(target_id),
            "resolved": resolved,
        }
        if cmd.guild_id is not None:
            data["guild_id"] = str(cmd.guild_id)
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
        ch = self._channel(channel)
        try:
            tokens = shlex.split(line.strip())
        except ValueError as exc:
            raise OptionError(f"cannot parse {line!r}: {exc}") from None
        path = [t for t in tokens if ":" not in t]
        pairs = [t.split(":", 1) for t in tokens if ":" in t]
        if not path:
            raise CommandNotFound(f"no command in {line!r}")
        command = " ".join(path)
        cmd = self._lookup(path[0].lstrip("/"), 1, ch)
        if cmd is None:
            raise CommandNotFound(f"{path[0]} is not synced with the emulator")
        schema = list(cmd.payload.get("options") or [])
        for part in path[1:]:
            sub = next((o for o in schema if o.get("name") == part), None)
            schema = list((sub or {}).get("options") or [])
        by_name = {o["name"]: o for o in schema}
        options: JSON = {}
        for name, raw in pairs:
            opt = by_name.get(name)
            options[name] = raw if opt is None else self._parse_value(int(opt["type"]), raw, ch)
        return command, options

    def _parse_value(self, otype: int, raw: str, channel: Channel) -> Any:
        world = self.emu.world
        try:
            if otype == 4:
                return int(raw)
            if otype == 10:
                return float(raw)
        except ValueError:
            raise OptionError(f"{raw!r} is not a number") from None
        if otype == 5:
            if raw.lower() not in ("true", "false", "yes", "no", "1", "0"):
                raise OptionError(f"{raw!r} is not a boolean")
            return raw.lower() in ("true", "yes", "1")
        guild = world.guilds.get(channel.guild_id) if channel.guild_id is not None else None
        match = re.fullmatch(r"<(@|#|@&|@!)(\d+)>", raw)
        key = raw.lstrip("@#")
        if otype in (8, 9) and guild is not None:
            if match and match.group(1) == "@&":
                return guild.roles[int(match.group(2))]
            role = next((r for r in guild.roles.values() if r.name == key), None)
            is_user = any(key in (u.username, u.global_name) for u in world.users.values())
            if role is not None and not match and (otype == 8 or not is_user):
                return role
        if otype in (6, 9):
            if match:
                return world.user(int(match.group(2)))
            if key.isdigit():
                return world.user(int(key))
            for u in world.users.values():
                if key in (u.username, u.global_name):
                    return u
            raise OptionError(f"no user {raw!r}")
        if otype == 7:
            if match:
                return world.channel(int(match.group(2)))
            if key.isdigit():
                return world.channel(int(key))
            for c in world.channels.values():
                if c.name == key and c.guild_id == channel.guild_id and not c.deleted:
                    return c
            raise OptionError(f"no channel {raw!r}")
        if otype == 8:
            raise OptionError(f"no role {raw!r}")
        return raw

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
        comp = self._find_button(msg, button)
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
        selects = [s for s in selects_of(msg.components) if s.custom_id == custom_id]
        if not selects:
            selects = [s for s in selects_of(msg.components) if s.placeholder == custom_id]
        if not selects:
            raise ComponentNotFound(f"no select menu {custom_id!r} on message {msg.id}")
        sel = selects[0]
        if sel.disabled:
            raise ComponentNotFound(f"select menu {custom_id!r} is disabled")
        if not sel.min_values <= len(values) <= sel.max_values:
            raise OptionError(
                f"select {custom_id!r} needs between {sel.min_values} and {sel.max_values} values"
            )
        data: JSON = {"custom_id": sel.custom_id, "component_type": sel.type}
        if sel.type == 3:
            data["values"] = [self._string_option_value(sel.options, v, custom_id) for v in values]
        else:
            ids, resolved = self._select_resolved(
                sel.type, values, self.emu.world.channel(msg.channel_id), self._user(user)
            )
            data["values"] = ids
            data["resolved"] = resolved
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
        remaining = dict(values)
        components = [self._modal_component(c, remaining) for c in modal.get("components") or []]
        if remaining:
            raise OptionError(f"modal has no field(s) {sorted(remaining)}")
        data = {"custom_id": modal["custom_id"], "components": [c for c in components if c]}
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
        """Let in-flight bot requests finish and their responses be processed."""
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

    def _find_command(
        self, command: str, channel: Channel, user: User
    ) -> tuple[AppCommand, list[str]]:
        parts = command.strip().lstrip("/").split()
        if not parts:
            raise CommandNotFound("empty command")
        cmd = self._lookup(parts[0], 1, channel)
        if cmd is None:
            known = sorted({f"/{c.name}" for c in self.emu.world.commands.values() if c.type == 1})
            raise CommandNotFound(
                f"/{parts[0]} is not synced with the emulator "
                f"(synced: {', '.join(known) or 'none'}); "
                f"did the bot call tree.sync()?"
            )
        self._check_command_allowed(cmd, channel, user)
        return cmd, parts[1:]

    def _find_context_menu(self, name: str, ctype: int, channel: Channel, user: User) -> AppCommand:
        cmd = self._lookup(name, ctype, channel)
        if cmd is None:
            kind = "message" if ctype == 3 else "user"
            raise CommandNotFound(f"no {kind} context menu {name!r} is synced with the emulator")
        self._check_command_allowed(cmd, channel, user)
        return cmd

    def _lookup(self, name: str, ctype: int, channel: Channel) -> AppCommand | None:
        world = self.emu.world
        scopes: list[int | None] = [None]
        if channel.guild_id is not None:
            scopes.insert(0, channel.guild_id)
        for scope in scopes:
            for cmd in world.commands_for(scope):
                if cmd.name == name and cmd.type == ctype:
                    return cmd
        return None

    def _check_command_allowed(self, cmd: AppCommand, channel: Channel, user: User) -> None:
        world = self.emu.world
        body = cmd.payload
        context = 0 if channel.guild_id is not None else 1
        contexts = body.get("contexts")
        if contexts is not None and context not in contexts:
            raise DriverError(
                f"/{cmd.name} is not available in this context ({context}); contexts={contexts}"
            )
        if context == 1 and body.get("dm_permission") is False and contexts is None:
            raise DriverError(f"/{cmd.name} is not available in DMs (dm_permission=false)")
        required = body.get("default_member_permissions")
        if required is not None and channel.guild_id is not None:
            needed = int(required)
            perms = world.permissions_for(user, channel)
            if needed == 0 or (perms & needed != needed and not perms & P.ADMINISTRATOR):
                raise DriverError(
                    f"{user.username} cannot see /{cmd.name}: default_member_permissions={needed}"
                )

    # ------------------------------------------------------------------ internals: options

    def _command_data(
        self,
        cmd: AppCommand,
        path: list[str],
        values: dict[str, Any],
        channel: Channel,
        user: User,
        *,
        focused: str | None,
    ) -> tuple[JSON, JSON]:
        schema: list[JSON] = list(cmd.payload.get("options") or [])
        resolved: JSON = {}
        chain: list[JSON] = []
        for part in path:
            sub = next(
                (o for o in schema if o.get("name") == part and o.get("type") in (1, 2)), None
            )
            if sub is None:
                names = [o["name"] for o in schema if o.get("type") in (1, 2)]
                raise CommandNotFound(
                    f"/{cmd.name} has no subcommand {part!r} here (have: {names})"
                )
            chain.append(sub)
            schema = list(sub.get("options") or [])
        if any(o.get("type") in (1, 2) for o in schema):
            names = [o["name"] for o in schema if o.get("type") in (1, 2)]
            raise CommandNotFound(f"/{' '.join([cmd.name, *path])} needs a subcommand: {names}")
        leaf = self._value_options(cmd, schema, values, channel, user, resolved, focused=focused)
        options = leaf
        for sub in reversed(chain):
            options = [{"type": sub["type"], "name": sub["name"], "options": options}]
        data: JSON = {"id": str(cmd.id), "name": cmd.name, "type": 1, "options": options}
        if cmd.guild_id is not None:
            data["guild_id"] = str(cmd.guild_id)
        return data, resolved

    def _value_options(
        self,
        cmd: AppCommand,
        schema: list[JSON],
        values: dict[str, Any],
        channel: Channel,
        user: User,
        resolved: JSON,
        *,
        focused: str | None,
    ) -> list[JSON]:
        by_name = {o["name"]: o for o in schema}
        unknown = set(values) - set(by_name)
        if unknown:
            raise OptionError(
                f"/{cmd.name} has no option(s) {sorted(unknown)}; options: {sorted(by_name)}"
            )
        out: list[JSON] = []
        for opt in schema:
            name = opt["name"]
            if name not in values or values[name] is None:
                if opt.get("required") and focused is None:
                    hint = ""
                    if name in _DRIVER_KEYWORDS:
                        hint = (
                            f" (pass it as options={{{name!r}: ...}}; {name}= is the driver's own)"
                        )
                    raise OptionError(f"/{cmd.name}: required option {name!r} is missing{hint}")
                continue
            otype = int(opt["type"])
            if name == focused:
                if not opt.get("autocomplete"):
                    raise OptionError(f"option {name!r} of /{cmd.name} has no autocomplete")
                out.append(
                    {"type": otype, "name": name, "value": str(values[name]), "focused": True}
                )
                continue
            value = self._convert(cmd, opt, values[name], channel, user, resolved)
            out.append({"type": otype, "name": name, "value": value})
        return out

    def _convert(
        self, cmd: AppCommand, opt: JSON, value: Any, channel: Channel, user: User, resolved: JSON
    ) -> Any:
        otype = int(opt["type"])
        name = opt["name"]
        where = f"/{cmd.name} option {name!r} ({_OPTION_TYPE_NAMES.get(otype, otype)})"
        world = self.emu.world
        if otype in (3, 4, 10):
            value = self._choice_value(opt, value, where)
        if otype == 3:
            if not isinstance(value, str):
                raise OptionError(f"{where} expects a string, got {value!r}")
            if len(value) < int(opt.get("min_length", 0)) or len(value) > int(
                opt.get("max_length", 6000)
            ):
                raise OptionError(
                    f"{where}: length {len(value)} outside "
                    f"{opt.get('min_length', 0)}..{opt.get('max_length', 6000)}"
                )
            return value
        if otype in (4, 10):
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise OptionError(f"{where} expects a number, got {value!r}")
            if otype == 4 and not isinstance(value, int):
                raise OptionError(f"{where} expects an integer, got {value!r}")
            lo, hi = opt.get("min_value"), opt.get("max_value")
            if (lo is not None and value < lo) or (hi is not None and value > hi):
                raise OptionError(f"{where}: {value} outside {lo}..{hi}")
            return value
        if otype == 5:
            if not isinstance(value, bool):
                raise OptionError(f"{where} expects a bool, got {value!r}")
            return value
        if otype == 6 or (otype == 9 and not isinstance(value, Role)):
            u = world.user(value)
            self._resolve_user(u, channel, resolved)
            return str(u.id)
        if otype == 8 or otype == 9:
            role = value if isinstance(value, Role) else self._role(channel, value)
            resolved.setdefault("roles", {})[str(role.id)] = payloads.role(role)
            return str(role.id)
        if otype == 7:
            target = world.channel(value)
            allowed = opt.get("channel_types")
            if allowed and int(target.type) not in allowed:
                raise OptionError(f"{where}: channel type {int(target.type)} not in {allowed}")
            resolved.setdefault("channels", {})[str(target.id)] = self._partial_channel(
                target, user
            )
            return str(target.id)
        raise OptionError(f"{where}: attachment options are not supported by the emulator driver")

    def _choice_value(self, opt: JSON, value: Any, where: str) -> Any:
        choices = opt.get("choices") or []
        if not choices:
            return value
        for choice in choices:
            if choice["value"] == value:
                return value
        for choice in choices:
            if choice["name"] == value:
                return choice["value"]
        names = [c["name"] for c in choices]
        raise OptionError(f"{where}: {value!r} is not one of the choices {names}")

    def _role(self, channel: Channel, value: Any) -> Role:
        rid = value.id if hasattr(value, "id") else int(value)
        guild = self.emu.world.guild(channel.guild_id or 0)
        try:
            return guild.roles[rid]
        except KeyError:
            raise OptionError(f"role {rid} is not in guild {guild.name}") from None

    def _resolve_user(self, u: User, channel: Channel, resolved: JSON) -> None:
        world = self.emu.world
        resolved.setdefault("users", {})[str(u.id)] = payloads.user(u)
        member = world.maybe_member(channel.guild_id, u.id)
        if member is not None:
            resolved.setdefault("members", {})[str(u.id)] = world.render_member(
                member, channel=channel, with_user=False
            )

    def _partial_channel(self, target: Channel, user: User) -> JSON:
        world = self.emu.world
        perms = 0 if target.is_dm else world.permissions_for(user, target)
        data: JSON = {
            "id": str(target.id),
            "name": target.name,
            "type": int(target.type),
            "permissions": str(perms),
            "guild_id": payloads.sid(target.guild_id),
            "parent_id": payloads.sid(target.parent_id),
            "nsfw": target.nsfw,
            "flags": target.flags,
            "rate_limit_per_user": target.rate_limit_per_user,
            "last_message_id": payloads.sid(target.last_message_id),
            "position": target.position,
            "topic": target.topic,
        }
        if target.is_thread:
            data.update(
                {
                    "owner_id": payloads.sid(target.owner_id),
                    "thread_metadata": payloads.thread_metadata(target),
                    "message_count": target.message_count,
                    "member_count": len(target.thread_member_ids),
                    "total_message_sent": target.total_message_sent,
                    "applied_tags": [str(t) for t in target.applied_tags],
                }
            )
        return data

    # ------------------------------------------------------------------ internals: components

    def _find_button(self, msg: Message, button: str) -> JSON:
        comps = [c for c in walk_components(msg.components) if c.get("type") == 2]
        found = [c for c in comps if c.get("custom_id") == button]
        if not found:
            found = [c for c in comps if c.get("label") == button]
        if not found:
            found = [c for c in comps if (c.get("label") or "").lower() == button.lower()]
        if not found:
            labels = [b.label or b.custom_id for b in buttons_of(msg.components)]
            raise ComponentNotFound(f"no button {button!r} on message {msg.id} (buttons: {labels})")
        if len(found) > 1:
            raise ComponentNotFound(f"{len(found)} buttons match {button!r}; use the custom_id")
        comp = found[0]
        if comp.get("disabled"):
            raise ComponentNotFound(f"button {button!r} is disabled")
        if comp.get("url") or comp.get("custom_id") is None:
            raise ComponentNotFound(
                f"button {button!r} is a link/premium button and sends no interaction"
            )
        return comp

    def _string_option_value(self, options: list[JSON], value: Any, custom_id: str) -> str:
        for o in options:
            if o.get("value") == value:
                return str(value)
        for o in options:
            if o.get("label") == value:
                return str(o["value"])
        raise OptionError(
            f"{value!r} is not an option of select {custom_id!r}: "
            f"{[o.get('value') for o in options]}"
        )

    def _select_resolved(
        self, stype: int, values: Sequence[Any], channel: Channel, user: User
    ) -> tuple[list[str], JSON]:
        world = self.emu.world
        resolved: JSON = {}
        ids: list[str] = []
        for v in values:
            if stype in (5, 7) and not isinstance(v, Role | Channel):
                u = world.user(v)
                self._resolve_user(u, channel, resolved)
                ids.append(str(u.id))
            elif stype in (6, 7):
                role = v if isinstance(v, Role) else self._role(channel, v)
                resolved.setdefault("roles", {})[str(role.id)] = payloads.role(role)
                ids.append(str(role.id))
            else:
                target = world.channel(v)
                resolved.setdefault("channels", {})[str(target.id)] = self._partial_channel(
                    target, user
                )
                ids.append(str(target.id))
        return ids, resolved

    def _modal_component(self, comp: JSON, remaining: dict[str, Any]) -> JSON | None:
        ctype = comp.get("type")
        if ctype == 1:
            children = [
                self._modal_field(c, c.get("label"), remaining)
                for c in comp.get("components") or []
            ]
            return {"type": 1, "components": [c for c in children if c is not None]}
        if ctype == 18:
            inner = self._modal_field(comp.get("component") or {}, comp.get("label"), remaining)
            if inner is None:
                return None
            out: JSON = {"type": 18, "component": inner}
            if "id" in comp:
                out["id"] = comp["id"]
            return out
        return None

    def _modal_field(self, comp: JSON, label: str | None, remaining: dict[str, Any]) -> JSON | None:
        custom_id = comp.get("custom_id")
        if custom_id is None:
            return None
        key = custom_id if custom_id in remaining else (label if label in remaining else None)
        value = remaining.pop(key) if key is not None else None
        ctype = comp.get("type")
        out: JSON = {"type": ctype, "custom_id": custom_id}
        if "id" in comp:
            out["id"] = comp["id"]
        if ctype == 4:
            if value is None:
                value = comp.get("value") or ""
            value = str(value)
            if comp.get("required", True) and not value:
                raise OptionError(f"modal field {label or custom_id!r} is required")
            lo, hi = int(comp.get("min_length", 0)), int(comp.get("max_length", 4000))
            if value and not lo <= len(value) <= hi:
                raise OptionError(
                    f"modal field {label or custom_id!r}: length {len(value)} outside {lo}..{hi}"
                )
            out["value"] = value
        elif ctype in (3, 5, 6, 7, 8, 19, 22):
            vals = (
                []
                if value is None
                else (list(value) if isinstance(value, list | tuple) else [value])
            )
            out["values"] = [str(getattr(v, "id", v)) for v in vals]
        elif ctype == 21:
            out["value"] = value
        elif ctype == 23:
            out["value"] = bool(value)
        else:
            out["value"] = value
        return out
