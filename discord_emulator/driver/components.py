"""Interaction ``data`` for message components (buttons, selects) and modal submissions,
built from the components the bot actually sent."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import ComponentNotFound, OptionError
from ..server import payloads
from ..server.models import Channel, Message, Role, User
from ..server.world import World
from .options import CommandBuilder
from .results import buttons_of, selects_of, walk_components

log = logging.getLogger(__name__)

JSON = dict[str, Any]


class ComponentBuilder:
    """Finds components on stored messages and builds what a client would submit."""

    def __init__(self, world: World, builder: CommandBuilder) -> None:
        self.world = world
        self.builder = builder

    def select_data(self, msg: Message, custom_id: str, values: Sequence[Any], user: User) -> JSON:
        """``data`` for choosing ``values`` in select ``custom_id`` (or placeholder) on ``msg``."""
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
            data["values"] = [self.string_value(sel.options, v, custom_id) for v in values]
        else:
            channel = self.world.channel(msg.channel_id)
            data["values"], data["resolved"] = self.select_values(sel.type, values, channel, user)
        return data

    def modal_submission(self, modal: JSON, values: Mapping[str, Any]) -> JSON:
        """``data`` for submitting ``modal`` with ``values`` keyed by custom_id or label."""
        remaining = dict(values)
        components = [self._modal_component(c, remaining) for c in modal.get("components") or []]
        if remaining:
            raise OptionError(f"modal has no field(s) {sorted(remaining)}")
        return {"custom_id": modal["custom_id"], "components": [c for c in components if c]}

    def find_button(self, msg: Message, button: str) -> JSON:
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

    def string_value(self, options: list[JSON], value: Any, custom_id: str) -> str:
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

    def select_values(
        self, stype: int, values: Sequence[Any], channel: Channel, user: User
    ) -> tuple[list[str], JSON]:
        world = self.world
        resolved: JSON = {}
        ids: list[str] = []
        for v in values:
            if stype in (5, 7) and not isinstance(v, Role | Channel):
                u = world.user(v)
                self.builder.resolve_user(u, channel, resolved)
                ids.append(str(u.id))
            elif stype in (6, 7):
                role = v if isinstance(v, Role) else self.builder.role(channel, v)
                resolved.setdefault("roles", {})[str(role.id)] = payloads.role(role)
                ids.append(str(role.id))
            else:
                target = world.channel(v)
                resolved.setdefault("channels", {})[str(target.id)] = self.builder.partial_channel(
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
