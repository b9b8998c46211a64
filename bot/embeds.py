"""One look for every embed the bot sends, and Discord's size limits: pure functions."""

from __future__ import annotations

import discord

COLOUR = discord.Colour(0xE8A0BF)  # the show's pink
EMBED_TOTAL = 6000
TITLE_MAX = 256
DESCRIPTION_MAX = 4096
FIELDS_MAX = 25
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
FOOTER_MAX = 2048
CONTENT_MAX = 2000


def clip(text: str, limit: int) -> str:
    """text cut to limit characters, with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def base_embed(
    title: str, description: str | None = None, footer: str | None = None
) -> discord.Embed:
    embed = discord.Embed(
        title=clip(title, TITLE_MAX),
        description=clip(description, DESCRIPTION_MAX) if description else None,
        colour=COLOUR,
    )
    if footer:
        embed.set_footer(text=clip(footer, FOOTER_MAX))
    return embed


def fit(embed: discord.Embed) -> discord.Embed:
    """The embed within Discord's limits: fields past 25 or past 6000 characters dropped."""
    while len(embed.fields) > FIELDS_MAX:
        embed.remove_field(-1)
    while len(embed) > EMBED_TOTAL and embed.fields:
        embed.remove_field(-1)
    if len(embed) > EMBED_TOTAL and embed.description:
        overflow = len(embed) - EMBED_TOTAL
        embed.description = clip(embed.description, max(1, len(embed.description) - overflow))
    return embed
