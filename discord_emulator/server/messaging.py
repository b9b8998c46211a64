"""Turning validated message bodies into stored messages (shared by REST and interactions)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from .models import Channel, Message
from .permissions import P
from .validation import MessageBody

log = logging.getLogger(__name__)

JSON = dict[str, Any]


class AttachmentStore:
    """Keeps uploaded file bytes so attachment URLs point back at the emulator."""

    def __init__(self, base_url: Callable[[], str], new_id: Callable[[], int]) -> None:
        self._base_url = base_url
        self._new_id = new_id
        self.blobs: dict[int, tuple[str, str, bytes]] = {}

    def build(self, channel_id: int, body: MessageBody, existing: list[JSON]) -> list[JSON]:
        """The message's attachment list after applying ``body`` (new uploads + kept ones)."""
        by_id = {str(a["id"]): a for a in existing}
        uploads = {f.index: f for f in body.files}
        used: set[int] = set()
        out: list[JSON] = []
        requested = body.fields.get("attachments")
        if requested is None:
            requested = [{"id": i} for i in uploads]
        for entry in requested:
            key = str(entry.get("id"))
            if key in by_id:
                out.append(by_id[key])
                continue
            try:
                index = int(key)
            except ValueError:
                continue
            upload = uploads.get(index)
            if upload is None:
                continue
            used.add(index)
            out.append(
                self._store(
                    channel_id,
                    upload.filename,
                    upload.content_type,
                    upload.data,
                    entry.get("description"),
                )
            )
        for index, upload in uploads.items():
            if index not in used:
                out.append(
                    self._store(channel_id, upload.filename, upload.content_type, upload.data, None)
                )
        return out

    def _store(
        self,
        channel_id: int,
        filename: str,
        content_type: str,
        data: bytes,
        description: str | None,
    ) -> JSON:
        att_id = self._new_id()
        self.blobs[att_id] = (filename, content_type, data)
        url = f"{self._base_url()}/attachments/{channel_id}/{att_id}/{filename}"
        payload: JSON = {
            "id": str(att_id),
            "filename": filename,
            "size": len(data),
            "url": url,
            "proxy_url": url,
            "content_type": content_type,
        }
        if description:
            payload["description"] = description
        return payload


def create_kwargs(
    body: MessageBody,
    channel: Channel,
    attachments: AttachmentStore,
    *,
    bot_permissions: int | None,
) -> JSON:
    """Keyword arguments for :meth:`World.add_message` from a validated body."""
    f = body.fields
    embeds = list(f.get("embeds") or [])
    if bot_permissions is not None and embeds and not bot_permissions & P.EMBED_LINKS:
        # Discord silently drops rich embeds when the bot lacks Embed Links.
        log.info("bot lacks EMBED_LINKS in #%s: embeds dropped like Discord does", channel.name)
        embeds = []
    return {
        "content": f.get("content") or "",
        "embeds": embeds,
        "components": list(f.get("components") or []),
        "attachments": attachments.build(channel.id, body, []),
        "flags": int(f.get("flags") or 0),
        "tts": bool(f.get("tts") or False),
        "allowed_mentions": f.get("allowed_mentions"),
        "nonce": f.get("nonce"),
        "poll": f.get("poll"),
    }


def edit_changes(body: MessageBody, message: Message, attachments: AttachmentStore) -> JSON:
    """The ``changes`` dict for :meth:`World.edit_message` from a validated PATCH body."""
    changes: JSON = {}
    for key in ("content", "embeds", "components", "allowed_mentions", "poll"):
        if body.has(key):
            changes[key] = body.fields[key]
    if body.has("flags"):
        # Only SUPPRESS_EMBEDS can be toggled on edit; other flags are kept.
        keep = message.flags & ~(1 << 2)
        changes["flags"] = keep | (int(body.fields["flags"]) & (1 << 2))
    if body.has("attachments") or body.files:
        changes["attachments"] = attachments.build(message.channel_id, body, message.attachments)
    return changes
