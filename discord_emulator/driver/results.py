"""Plain-data views of what the bot produced, for assertions in tests.

:class:`Reply` is an immutable snapshot of one message; :class:`InteractionResult` is what the
driver returns for an interaction (its callback, the primary message in its current state and
every message event the interaction caused).
"""

# ruff: noqa: ASYNC109  (explicit per-call timeouts are part of the driver API)
from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import InteractionTimeout

if TYPE_CHECKING:
    from ..server.emulator import Emulator
    from ..server.interactions import InteractionState
    from ..server.models import Message

log = logging.getLogger(__name__)

JSON = dict[str, Any]
_SELECT_TYPES = {3: "string", 5: "user", 6: "role", 7: "mentionable", 8: "channel"}


@dataclass(frozen=True)
class Button:
    label: str | None
    custom_id: str | None
    style: int
    disabled: bool
    url: str | None = None
    emoji: JSON | None = None


@dataclass(frozen=True)
class Select:
    custom_id: str
    type: int
    kind: str
    options: list[JSON]
    placeholder: str | None
    min_values: int
    max_values: int
    disabled: bool


def walk_components(components: list[JSON]) -> Iterator[JSON]:
    """Depth-first walk over components, including v2 containers, sections and labels."""
    for comp in components:
        yield comp
        yield from walk_components(comp.get("components") or [])
        for key in ("accessory", "component"):
            if isinstance(comp.get(key), dict):
                yield from walk_components([comp[key]])


def buttons_of(components: list[JSON]) -> list[Button]:
    return [
        Button(
            label=c.get("label"),
            custom_id=c.get("custom_id"),
            style=int(c.get("style", 1)),
            disabled=bool(c.get("disabled", False)),
            url=c.get("url"),
            emoji=c.get("emoji"),
        )
        for c in walk_components(components)
        if c.get("type") == 2
    ]


def selects_of(components: list[JSON]) -> list[Select]:
    return [
        Select(
            custom_id=c["custom_id"],
            type=int(c["type"]),
            kind=_SELECT_TYPES[int(c["type"])],
            options=list(c.get("options") or []),
            placeholder=c.get("placeholder"),
            min_values=int(c.get("min_values", 1)),
            max_values=int(c.get("max_values", 1)),
            disabled=bool(c.get("disabled", False)),
        )
        for c in walk_components(components)
        if c.get("type") in _SELECT_TYPES
    ]


def flatten_text(content: str, embeds: list[JSON], components: list[JSON] = ()) -> str:  # type: ignore[assignment]
    """Content plus every human-readable string in embeds (and v2 text displays)."""
    parts = [content] if content else []
    for embed in embeds:
        author = (embed.get("author") or {}).get("name")
        parts.extend(x for x in (author, embed.get("title"), embed.get("description")) if x)
        for fld in embed.get("fields") or []:
            parts.extend(x for x in (fld.get("name"), fld.get("value")) if x)
        footer = (embed.get("footer") or {}).get("text")
        if footer:
            parts.append(footer)
    for comp in walk_components(list(components)):
        if comp.get("type") == 10 and comp.get("content"):
            parts.append(comp["content"])
    return "\n".join(parts)


@dataclass(frozen=True)
class Reply:
    """A snapshot of one message the bot (or a user) posted."""

    id: int
    channel_id: int
    guild_id: int | None
    author_id: int
    content: str
    embeds: list[JSON]
    components: list[JSON]
    attachments: list[JSON]
    flags: int
    type: int
    allowed_mentions: JSON | None
    kind: str  # "create" | "edit" | "delete" | "current"
    interaction_id: int | None
    edited: bool
    deleted: bool
    thread_id: int | None
    reactions: dict[str, int] = field(default_factory=dict)
    raw: JSON = field(default_factory=dict, repr=False)
    poll: JSON | None = None  # the stored poll (question, answers, expiry), if any

    @classmethod
    def of(
        cls,
        message: Message,
        *,
        kind: str = "current",
        raw: JSON | None = None,
        interaction_id: int | None = None,
    ) -> Reply:
        return cls(
            id=message.id,
            channel_id=message.channel_id,
            guild_id=message.guild_id,
            author_id=message.author.id,
            content=message.content,
            embeds=list(message.embeds),
            components=list(message.components),
            attachments=list(message.attachments),
            flags=message.flags,
            type=message.type,
            allowed_mentions=message.allowed_mentions,
            kind=kind,
            interaction_id=interaction_id if interaction_id is not None else message.interaction_id,
            edited=message.edited_timestamp is not None,
            deleted=message.deleted,
            thread_id=message.thread_id,
            reactions={k: len(v) for k, v in message.reactions.items() if v},
            raw=raw or {},
            poll=message.poll,
        )

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & (1 << 6))

    @property
    def loading(self) -> bool:
        return bool(self.flags & (1 << 7))

    @property
    def embed(self) -> JSON | None:
        return self.embeds[0] if self.embeds else None

    def buttons(self) -> list[Button]:
        return buttons_of(self.components)

    def selects(self) -> list[Select]:
        return selects_of(self.components)

    def text(self) -> str:
        return flatten_text(self.content, self.embeds, self.components)


class InteractionResult:
    """What an interaction produced. Message-ish attributes describe the *primary* message
    (the callback message, the deferred message after completion, or the updated component
    message) in its current state; ``messages`` lists every create/edit/delete event."""

    def __init__(self, emu: Emulator, state: InteractionState) -> None:
        self._emu = emu
        self._state = state

    def __repr__(self) -> str:
        return (
            f"<InteractionResult id={self.interaction_id} callback_type={self.callback_type} "
            f"content={self.content!r} ephemeral={self.ephemeral}>"
        )

    # -------------------------------------------------------------- interaction facts

    @property
    def interaction_id(self) -> int:
        return self._state.id

    @property
    def token(self) -> str:
        return self._state.token

    @property
    def payload(self) -> JSON:
        """The INTERACTION_CREATE payload the emulator sent."""
        return self._state.payload

    @property
    def callback_type(self) -> int | None:
        return self._state.callback_type

    @property
    def callback_data(self) -> JSON | None:
        return self._state.callback_data

    @property
    def deferred(self) -> bool:
        return self._state.callback_type in (5, 6)

    @property
    def completed(self) -> bool:
        return self._state.completed

    @property
    def modal(self) -> JSON | None:
        """The modal the bot opened (callback type 9), else ``None``."""
        return self._state.callback_data if self._state.callback_type == 9 else None

    @property
    def choices(self) -> list[JSON] | None:
        """Autocomplete choices (callback type 8), else ``None``."""
        if self._state.callback_type != 8 or self._state.callback_data is None:
            return None
        return list(self._state.callback_data.get("choices") or [])

    # -------------------------------------------------------------- messages

    @property
    def message(self) -> Reply | None:
        """The primary message in its current state (``None`` for modal/autocomplete)."""
        mid = self._state.original_message_id
        if mid is None:
            return None
        for store in self._emu.world.messages.values():
            if mid in store:
                return Reply.of(store[mid])
        return None

    @property
    def messages(self) -> list[Reply]:
        """Snapshots of every message create/edit/delete this interaction caused, in order."""
        return [
            Reply.of(e.message, kind=e.kind, interaction_id=e.interaction_id)
            for e in self._emu.interactions.events_for(self._state)
        ]

    @property
    def followups(self) -> list[Reply]:
        out = []
        for mid in self._state.followup_ids:
            for store in self._emu.world.messages.values():
                if mid in store:
                    out.append(Reply.of(store[mid]))
        return out

    def _primary(self) -> Reply | None:
        return self.message

    @property
    def content(self) -> str:
        m = self._primary()
        return "" if m is None else m.content

    @property
    def embeds(self) -> list[JSON]:
        m = self._primary()
        return [] if m is None else m.embeds

    @property
    def embed(self) -> JSON | None:
        embeds = self.embeds
        return embeds[0] if embeds else None

    @property
    def components(self) -> list[JSON]:
        m = self._primary()
        return [] if m is None else m.components

    @property
    def ephemeral(self) -> bool:
        m = self._primary()
        return False if m is None else m.ephemeral

    @property
    def message_id(self) -> int | None:
        return self._state.original_message_id

    @property
    def channel_id(self) -> int:
        return self._state.channel_id

    @property
    def allowed_mentions(self) -> JSON | None:
        m = self._primary()
        return None if m is None else m.allowed_mentions

    def buttons(self) -> list[Button]:
        return buttons_of(self.components)

    def selects(self) -> list[Select]:
        return selects_of(self.components)

    def text(self) -> str:
        """Content and embed text of the primary message and all followups."""
        parts = []
        m = self._primary()
        if m is not None:
            parts.append(m.text())
        parts.extend(f.text() for f in self.followups)
        return "\n".join(p for p in parts if p)

    async def wait_messages(self, count: int, *, timeout: float = 5.0) -> list[Reply]:
        """Wait until this interaction has caused at least ``count`` message events."""
        emu, state = self._emu, self._state
        try:
            await emu.world.wait_for_event(
                lambda e: len(emu.interactions.events_for(state)) >= count,
                timeout=timeout,
                after=0,
            )
        except TimeoutError:
            raise InteractionTimeout(
                f"interaction {state.id} produced {len(self.messages)} message event(s), "
                f"expected {count} within {timeout}s"
            ) from None
        return self.messages

    async def wait_followup(self, *, timeout: float = 5.0) -> Reply:
        """Wait for the next followup message (after the ones already present)."""
        have = len(self._state.followup_ids)
        ok = await self._emu.interactions.wait(
            self._state, lambda s: len(s.followup_ids) > have, timeout
        )
        if not ok:
            raise InteractionTimeout(
                f"no followup for interaction {self._state.id} within {timeout}s"
            )
        await asyncio.sleep(0)
        return self.followups[have]
