"""Draw a Discord message (as the emulator records it) in a terminal, with rich.

Pure functions: text and components in, rich renderables out. Discord markdown becomes
styles (so **bold** is bold, not asterisks), mentions become names, embeds become boxes
in the embed's colour and buttons become numbered chips. Without colour (a pipe, a test)
the same renderables print as plain text with box-drawing characters.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from rich import box
from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.style import Style
from rich.text import Text

_TIMESTAMP = re.compile(r"<t:(-?\d+)(?::([tTdDfFR]))?>")
_SPOILER = re.compile(r"(?<!\\)\|\|(.+?)(?<!\\)\|\|", re.DOTALL)
_MENTION = re.compile(r"<(@!?|@&|#)(\d+)>")
# Inline markdown, longest markers first so ** wins over *.
_INLINE = re.compile(
    r"\\(?P<escaped>[^\w\s])"
    r"|(?P<code>`[^`\n]+`)"
    r"|\*\*\*(?P<bold_italic>.+?)\*\*\*"
    r"|\*\*(?P<bold>.+?)\*\*"
    r"|__(?P<underline>.+?)__"
    r"|~~(?P<strike>.+?)~~"
    r"|\*(?P<italic>[^*\s](?:.*?[^*\s])?)\*"
    r"|(?<![\w])_(?P<italic2>[^_\s](?:.*?[^_\s])?)_(?![\w])"
    r"|\[(?P<label>[^\]\n]+)\]\(<?(?P<url>https?://[^)\s>]+)>?\)",
    re.DOTALL,
)
_STYLES = {
    "bold_italic": Style(bold=True, italic=True),
    "bold": Style(bold=True),
    "underline": Style(underline=True),
    "strike": Style(strike=True),
    "italic": Style(italic=True),
    "italic2": Style(italic=True),
}
SPOILER_STYLE = Style(reverse=True, dim=True)
# Discord's button styles: primary, secondary, success, danger, link, premium.
_BUTTON_STYLES = {
    1: Style(color="white", bgcolor="blue", bold=True),
    2: Style(color="white", bgcolor="grey35"),
    3: Style(color="white", bgcolor="green4", bold=True),
    4: Style(color="white", bgcolor="red3", bold=True),
    5: Style(color="bright_blue", underline=True),
}
DEFAULT_EMBED_COLOUR = "grey50"
MAX_WIDTH = 100


@dataclass(frozen=True, slots=True)
class Names:
    """What mentions show: user, channel and role names by id."""

    users: Mapping[int, str] = field(default_factory=dict)
    channels: Mapping[int, str] = field(default_factory=dict)
    roles: Mapping[int, str] = field(default_factory=dict)


def _timestamps(text: str) -> str:
    def one(m: re.Match[str]) -> str:
        moment = datetime.fromtimestamp(int(m.group(1)), UTC)
        if m.group(2) == "R":
            return f"[{moment:%Y-%m-%d %H:%M} UTC, relative]"
        return f"[{moment:%Y-%m-%d %H:%M} UTC]"

    return _TIMESTAMP.sub(one, text)


def _mentions(text: str, names: Names) -> str:
    def one(m: re.Match[str]) -> str:
        kind, ident = m.group(1), int(m.group(2))
        if kind == "#":
            return "#" + names.channels.get(ident, "unknown channel")
        if kind == "@&":
            return "@" + names.roles.get(ident, "unknown role")
        return "@" + names.users.get(ident, "unknown user")

    return _MENTION.sub(one, text)


def readable(text: str, names: Names | None = None) -> str:
    """Plain text: timestamps as dates, mentions as @names, spoilers as ▒spoiler: …▒."""
    text = _mentions(_timestamps(text).replace("\u200b", ""), names or Names())
    return _SPOILER.sub(lambda m: f"▒spoiler: {m.group(1)}▒", text)


def _inline(text: str, base: Style | None = None) -> Text:
    out = Text(style=base or "")
    position = 0
    for m in _INLINE.finditer(text):
        out.append(text[position : m.start()])
        kind = m.lastgroup or ""
        if kind == "escaped":
            out.append(m.group("escaped"))
        elif kind == "code":
            out.append(m.group("code")[1:-1], style="bold cyan")
        elif kind in ("label", "url"):
            out.append(m.group("label"), style="underline bright_blue")
            out.append(f" ({m.group('url')})", style="dim")
        else:
            out.append_text(_inline(m.group(kind), _STYLES[kind]))
        position = m.end()
    out.append(text[position:])
    return out


def _line(line: str) -> Text:
    if line.startswith("-# "):
        return _inline(line[3:], Style(dim=True))
    heading = re.match(r"#{1,3} ", line)
    if heading:
        return _inline(line[heading.end() :], Style(bold=True, underline=True))
    if line.startswith("> "):
        return Text("▍ ", style="grey50") + _inline(line[2:])
    return _inline(line)


def markdown(text: str, names: Names | None = None) -> Text:
    """Discord markdown as styled text; spoilers stay visible but marked."""
    plain = _mentions(_timestamps(text).replace("\u200b", ""), names or Names())
    out = Text()
    for i, line in enumerate(plain.split("\n")):
        if i:
            out.append("\n")
        position = 0
        rendered = Text()
        for m in _SPOILER.finditer(line):
            rendered.append_text(_line(line[position : m.start()]))
            rendered.append_text(Text("▒spoiler: ", style=SPOILER_STYLE))
            rendered.append_text(_inline(m.group(1), SPOILER_STYLE))
            rendered.append_text(Text("▒", style=SPOILER_STYLE))
            position = m.end()
        rendered.append_text(_line(line[position:]) if position else _line(line))
        out.append_text(rendered)
    return out


def buttons(components: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every button, in order (rows flattened): the numbers a player presses."""
    found = []
    for row in components:
        for item in row.get("components", []) if row.get("type") == 1 else [row]:
            if item.get("type") == 2:
                found.append(item)
    return found


def chips(components: list[dict[str, Any]]) -> Text | None:
    """Buttons as numbered chips: `[1] Label`, coloured by style, dim when disabled."""
    found = buttons(components)
    if not found:
        return None
    out = Text()
    for n, button in enumerate(found, 1):
        if n > 1:
            out.append("  ")
        label = button.get("label") or (button.get("emoji") or {}).get("name") or "button"
        style = _BUTTON_STYLES.get(int(button.get("style", 2)), _BUTTON_STYLES[2])
        if button.get("disabled"):
            style = Style(dim=True, strike=True)
        out.append(f"[{n}]", style=Style(bold=True))
        out.append(f" {label} ", style=style)
        if button.get("url"):
            out.append(f"({button['url']})", style="dim")
        if button.get("disabled"):
            out.append("(disabled)", style="dim")
    return out


def _colour(embed: dict[str, Any]) -> str:
    value = embed.get("color")
    return f"#{int(value):06x}" if isinstance(value, int) and value > 0 else DEFAULT_EMBED_COLOUR


def _widest(texts: list[Text]) -> int:
    return max((cell_len(line) for t in texts for line in t.plain.split("\n")), default=0)


def embed_box(
    embed: dict[str, Any], names: Names | None = None, max_width: int = MAX_WIDTH
) -> Panel:
    parts: list[RenderableType] = []
    texts: list[Text] = []
    author = (embed.get("author") or {}).get("name")
    if author:
        texts.append(Text(readable(author, names), style="bold"))
    if embed.get("description"):
        texts.append(markdown(embed["description"], names))
    for fld in embed.get("fields", []):
        heading = Text("▸ ") + markdown(fld.get("name", ""), names)
        heading.stylize("bold")
        value = Text("\n").join(
            Text("  ") + line for line in markdown(fld.get("value", ""), names).split("\n")
        )
        texts.extend([heading, value])
    footer = Text(readable(f, names), style="dim") if (f := _footer(embed)) else None
    title = markdown(embed["title"], names) if embed.get("title") else None
    if footer is not None and cell_len(footer.plain) + 6 > max_width:
        texts.append(footer)  # too long for the border: the last line inside, wrapped
        footer = None
    parts.extend(texts)
    # Wide enough for the title and footer too (rich cuts a border title to the content).
    edges = [t for t in (title, footer) if t is not None]
    width = min(max(_widest(texts) + 4, _widest(edges) + 6), max_width)
    return Panel(
        Group(*parts) if parts else Text(""),
        title=title,
        title_align="left",
        subtitle=footer,
        subtitle_align="left",
        border_style=_colour(embed),
        box=box.ROUNDED,
        width=width,
    )


def _footer(embed: dict[str, Any]) -> str | None:
    text = (embed.get("footer") or {}).get("text")
    return str(text) if text else None


def render(
    content: str,
    embeds: list[dict[str, Any]],
    components: list[dict[str, Any]],
    ephemeral: bool,
    names: Names | None = None,
    *,
    heading: str | None = None,
) -> Group:
    """One message: an optional heading line, content, embed boxes, button chips."""
    parts: list[RenderableType] = []
    if heading:
        parts.append(Text(heading, style="bold magenta"))
    if ephemeral:
        parts.append(Text("(only you can see this)", style="dim italic"))
    if content:
        parts.append(markdown(content, names))
    parts.extend(embed_box(embed, names) for embed in embeds)
    row = chips(components)
    if row is not None:
        parts.append(row)
    if not (content or embeds or row is not None):
        parts.append(Text("(empty message)", style="dim"))
    return Group(*parts)
