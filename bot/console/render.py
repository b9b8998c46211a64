"""Render a Discord message (as the emulator records it) readably in a terminal."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

_TIMESTAMP = re.compile(r"<t:(-?\d+)(?::([tTdDfFR]))?>")
_SPOILER = re.compile(r"\|\|(.+?)\|\|", re.DOTALL)
_MENTION = re.compile(r"<@!?(\d+)>")


def _timestamps(text: str) -> str:
    def one(m: re.Match[str]) -> str:
        moment = datetime.fromtimestamp(int(m.group(1)), UTC)
        if m.group(2) == "R":
            return f"[{moment:%Y-%m-%d %H:%M} UTC, relative]"
        return f"[{moment:%Y-%m-%d %H:%M} UTC]"

    return _TIMESTAMP.sub(one, text)


def readable(text: str, names: Mapping[int, str] | None = None) -> str:
    """Timestamps as dates, mentions as @names, spoiler tags as ▒ around the hidden text."""
    text = _timestamps(text).replace("\u200b", "")
    if names:
        text = _MENTION.sub(lambda m: "@" + names.get(int(m.group(1)), m.group(1)), text)
    return _SPOILER.sub(lambda m: f"▒spoiler: {m.group(1)}▒", text)


def buttons(components: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = []
    for row in components:
        for item in row.get("components", []) if row.get("type") == 1 else [row]:
            if item.get("type") == 2:
                found.append(item)
    return found


def render(
    content: str,
    embeds: list[dict[str, Any]],
    components: list[dict[str, Any]],
    ephemeral: bool,
    names: Mapping[int, str] | None = None,
) -> str:
    lines: list[str] = []
    if ephemeral:
        lines.append("(only you can see this)")
    if content:
        lines.append(readable(content, names))
    for embed in embeds:
        if embed.get("title"):
            lines.append(f"┌ {readable(embed['title'], names)}")
        if embed.get("description"):
            lines.extend("│ " + line for line in readable(embed["description"], names).splitlines())
        for field in embed.get("fields", []):
            lines.append(f"│ ▸ {readable(field['name'], names)}")
            lines.extend("│   " + line for line in readable(field["value"], names).splitlines())
        if embed.get("footer", {}).get("text"):
            lines.append(f"└ {readable(embed['footer']['text'], names)}")
    for n, button in enumerate(buttons(components), 1):
        state = " (disabled)" if button.get("disabled") else ""
        lines.append(f"  [{n}] {button.get('label') or button.get('custom_id')}{state}")
    return "\n".join(lines) or "(empty message)"
