"""Validation of message bodies the bot sends, with Discord's limits and error shapes.

Discord rejects oversized or empty messages with ``400 Invalid Form Body`` (code 50035) or
``Cannot send an empty message`` (code 50006); the emulator does the same so a bot that
would fail in production fails in tests too.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from ..errors import ApiError

log = logging.getLogger(__name__)

JSON = dict[str, Any]

MAX_CONTENT = 2000
MAX_EMBEDS = 10
MAX_EMBED_TOTAL = 6000
MAX_ACTION_ROWS = 5
COMPONENTS_V2_FLAG = 1 << 15
#: Message flags a bot may set when sending (SUPPRESS_EMBEDS, EPHEMERAL, SUPPRESS_NOTIFICATIONS,
#: IS_VOICE_MESSAGE, IS_COMPONENTS_V2).
SENDABLE_FLAGS = (1 << 2) | (1 << 6) | (1 << 12) | (1 << 13) | COMPONENTS_V2_FLAG

_EMBED_LIMITS = {"title": 256, "description": 4096}


@dataclass
class UploadedFile:
    index: int
    filename: str
    content_type: str
    data: bytes


@dataclass
class MessageBody:
    """The parts of a create/edit message request the emulator understands."""

    fields: JSON = field(default_factory=dict)
    files: list[UploadedFile] = field(default_factory=list)

    def has(self, key: str) -> bool:
        return key in self.fields


def _too_long(path: str, limit: int) -> ApiError:
    return ApiError.invalid_form(
        path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length."
    )


def _check_embeds(embeds: list[JSON]) -> None:
    if len(embeds) > MAX_EMBEDS:
        raise ApiError.invalid_form(
            "embeds", "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length."
        )
    total = 0
    for i, embed in enumerate(embeds):
        if not isinstance(embed, dict):
            raise ApiError.invalid_form(
                f"embeds.{i}", "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType"
            )
        for key, limit in _EMBED_LIMITS.items():
            value = embed.get(key) or ""
            if len(value) > limit:
                raise _too_long(f"embeds.{i}.{key}", limit)
            total += len(value)
        fields = embed.get("fields") or []
        if len(fields) > 25:
            raise _too_long(f"embeds.{i}.fields", 25)
        for j, fld in enumerate(fields):
            name, value = fld.get("name") or "", fld.get("value") or ""
            if not name:
                raise ApiError.invalid_form(
                    f"embeds.{i}.fields.{j}.name", "BASE_TYPE_REQUIRED", "This field is required"
                )
            if not value:
                raise ApiError.invalid_form(
                    f"embeds.{i}.fields.{j}.value", "BASE_TYPE_REQUIRED", "This field is required"
                )
            if len(name) > 256:
                raise _too_long(f"embeds.{i}.fields.{j}.name", 256)
            if len(value) > 1024:
                raise _too_long(f"embeds.{i}.fields.{j}.value", 1024)
            total += len(name) + len(value)
        footer = (embed.get("footer") or {}).get("text") or ""
        author = (embed.get("author") or {}).get("name") or ""
        if len(footer) > 2048:
            raise _too_long(f"embeds.{i}.footer.text", 2048)
        if len(author) > 256:
            raise _too_long(f"embeds.{i}.author.name", 256)
        total += len(footer) + len(author)
    if total > MAX_EMBED_TOTAL:
        raise ApiError.invalid_form(
            "embeds", "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000"
        )


def _walk(components: list[JSON]) -> list[JSON]:
    out: list[JSON] = []
    for comp in components:
        out.append(comp)
        out.extend(_walk(comp.get("components") or []))
        if isinstance(comp.get("accessory"), dict):
            out.extend(_walk([comp["accessory"]]))
        if isinstance(comp.get("component"), dict):
            out.extend(_walk([comp["component"]]))
    return out


def _check_components(components: list[JSON], flags: int) -> None:
    if not flags & COMPONENTS_V2_FLAG:
        if len(components) > MAX_ACTION_ROWS:
            raise _too_long("components", MAX_ACTION_ROWS)
        for i, row in enumerate(components):
            if row.get("type") != 1:
                raise ApiError.invalid_form(
                    f"components.{i}.type",
                    "UNION_TYPE_CHOICES",
                    'Value of field "type" must be one of (1,).',
                )
            children = row.get("components") or []
            if not children or len(children) > 5:
                raise ApiError.invalid_form(
                    f"components.{i}.components",
                    "BASE_TYPE_BAD_LENGTH",
                    "Must be between 1 and 5 in length.",
                )
            if any(c.get("type") != 2 for c in children) and len(children) > 1:
                raise ApiError.invalid_form(
                    f"components.{i}.components",
                    "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
                    "The specified component exceeds the maximum width",
                )
    seen: set[str] = set()
    for comp in _walk(components):
        cid = comp.get("custom_id")
        if cid is None:
            continue
        if len(cid) > 100:
            raise _too_long("components.custom_id", 100)
        if cid in seen:
            raise ApiError.invalid_form(
                "components",
                "COMPONENT_CUSTOM_ID_DUPLICATED",
                "Component custom id cannot be duplicated",
            )
        seen.add(cid)
        if comp.get("type") == 2 and len(comp.get("label") or "") > 80:
            raise _too_long("components.label", 80)


def parse_message_body(body: JSON, files: list[UploadedFile], *, creating: bool) -> MessageBody:
    """Validate ``body`` like Discord and keep the fields the emulator stores."""
    out = MessageBody(files=files)
    f = out.fields
    if "content" in body:
        content = body["content"]
        content = "" if content is None else str(content)
        if len(content) > MAX_CONTENT:
            raise _too_long("content", MAX_CONTENT)
        f["content"] = content
    flags = int(body.get("flags") or 0)
    if "flags" in body:
        f["flags"] = flags & SENDABLE_FLAGS
    if "embeds" in body:
        embeds = list(body["embeds"] or [])
        _check_embeds(embeds)
        f["embeds"] = embeds
    if "components" in body:
        components = list(body["components"] or [])
        _check_components(components, flags)
        f["components"] = components
    for key in ("allowed_mentions", "tts", "poll", "message_reference", "nonce", "sticker_ids"):
        if key in body:
            f[key] = body[key]
    if "attachments" in body or files:
        f["attachments"] = list(body.get("attachments") or [])
    if creating:
        has_text = bool(f.get("content"))
        has_rich = bool(
            f.get("embeds") or f.get("components") or files or f.get("poll") or f.get("sticker_ids")
        )
        if not (has_text or has_rich):
            raise ApiError(400, 50006, "Cannot send an empty message")
    return out
