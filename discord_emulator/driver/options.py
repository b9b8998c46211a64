"""Building application-command interaction data from a synced command's schema.

:class:`CommandBuilder` looks commands up the way a Discord client offers them (guild commands
first, contexts, ``default_member_permissions``), validates and types option values like the
client does, and fills ``resolved`` for user/member/channel/role options.
"""

from __future__ import annotations

import logging
import re
import shlex
from typing import Any

from ..errors import CommandNotFound, DriverError, OptionError
from ..server import payloads
from ..server.models import AppCommand, Channel, Role, User
from ..server.permissions import P
from ..server.world import World

log = logging.getLogger(__name__)

JSON = dict[str, Any]

#: Keyword arguments of Driver.invoke/autocomplete that cannot double as option names.
DRIVER_KEYWORDS = frozenset(
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


class CommandBuilder:
    """Finds synced commands and builds their interaction ``data``."""

    def __init__(self, world: World) -> None:
        self.world = world

    # ------------------------------------------------------------------ lookup

    def find_command(
        self, command: str, channel: Channel, user: User
    ) -> tuple[AppCommand, list[str]]:
        parts = command.strip().lstrip("/").split()
        if not parts:
            raise CommandNotFound("empty command")
        cmd = self.lookup(parts[0], 1, channel)
        if cmd is None:
            known = sorted({f"/{c.name}" for c in self.world.commands.values() if c.type == 1})
            raise CommandNotFound(
                f"/{parts[0]} is not synced with the emulator "
                f"(synced: {', '.join(known) or 'none'}); "
                f"did the bot call tree.sync()?"
            )
        self.check_allowed(cmd, channel, user)
        return cmd, parts[1:]

    def find_context_menu(self, name: str, ctype: int, channel: Channel, user: User) -> AppCommand:
        cmd = self.lookup(name, ctype, channel)
        if cmd is None:
            kind = "message" if ctype == 3 else "user"
            raise CommandNotFound(f"no {kind} context menu {name!r} is synced with the emulator")
        self.check_allowed(cmd, channel, user)
        return cmd

    def lookup(self, name: str, ctype: int, channel: Channel) -> AppCommand | None:
        world = self.world
        scopes: list[int | None] = [None]
        if channel.guild_id is not None:
            scopes.insert(0, channel.guild_id)
        for scope in scopes:
            for cmd in world.commands_for(scope):
                if cmd.name == name and cmd.type == ctype:
                    return cmd
        return None

    def check_allowed(self, cmd: AppCommand, channel: Channel, user: User) -> None:
        world = self.world
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

    # ------------------------------------------------------------------ data

    def chat_input_data(
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
                    if name in DRIVER_KEYWORDS:
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
        world = self.world
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
        if otype in (6, 7, 8, 9) and isinstance(value, str):
            # A typed name, #name, @name, mention or id, as a person would give it.
            value = self._parse_value(otype, value, channel)
        if otype == 6 or (otype == 9 and not isinstance(value, Role)):
            u = world.user(value)
            self.resolve_user(u, channel, resolved)
            return str(u.id)
        if otype == 8 or otype == 9:
            role = value if isinstance(value, Role) else self.role(channel, value)
            resolved.setdefault("roles", {})[str(role.id)] = payloads.role(role)
            return str(role.id)
        if otype == 7:
            target = world.channel(value)
            allowed = opt.get("channel_types")
            if allowed and int(target.type) not in allowed:
                raise OptionError(f"{where}: channel type {int(target.type)} not in {allowed}")
            resolved.setdefault("channels", {})[str(target.id)] = self.partial_channel(target, user)
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

    def role(self, channel: Channel, value: Any) -> Role:
        rid = value.id if hasattr(value, "id") else int(value)
        guild = self.world.guild(channel.guild_id or 0)
        try:
            return guild.roles[rid]
        except KeyError:
            raise OptionError(f"role {rid} is not in guild {guild.name}") from None

    def resolve_user(self, u: User, channel: Channel, resolved: JSON) -> None:
        world = self.world
        resolved.setdefault("users", {})[str(u.id)] = payloads.user(u)
        member = world.maybe_member(channel.guild_id, u.id)
        if member is not None:
            resolved.setdefault("members", {})[str(u.id)] = world.render_member(
                member, channel=channel, with_user=False
            )

    def partial_channel(self, target: Channel, user: User) -> JSON:
        world = self.world
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

    def context_menu_data(self, cmd: AppCommand, target: Any, channel: Channel) -> JSON:
        """``data`` for a user (``target`` is a User) or message (a Message) context menu."""
        world = self.world
        if isinstance(target, User):
            resolved: JSON = {"users": {str(target.id): payloads.user(target)}}
            member = world.maybe_member(channel.guild_id, target.id)
            if member is not None:
                resolved["members"] = {
                    str(target.id): world.render_member(member, channel=channel, with_user=False)
                }
        else:
            resolved = {"messages": {str(target.id): world.render_message(target)}}
        data: JSON = {
            "id": str(cmd.id),
            "name": cmd.name,
            "type": cmd.type,
            "target_id": str(target.id),
            "resolved": resolved,
        }
        if cmd.guild_id is not None:
            data["guild_id"] = str(cmd.guild_id)
        return data

    # ------------------------------------------------------------------ typed command lines

    def parse_command_line(self, line: str, *, channel: Channel) -> tuple[str, JSON]:
        """Split ``/cmd sub name:value ...`` into the command path and typed option values."""
        ch = channel
        try:
            tokens = shlex.split(line.strip())
        except ValueError as exc:
            raise OptionError(f"cannot parse {line!r}: {exc}") from None
        path = [t for t in tokens if ":" not in t]
        pairs = [t.split(":", 1) for t in tokens if ":" in t]
        if not path:
            raise CommandNotFound(f"no command in {line!r}")
        command = " ".join(path)
        cmd = self.lookup(path[0].lstrip("/"), 1, ch)
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
        world = self.world
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
