"""Answering an interaction: the one send path (ephemeral unless shared, within Discord's
limits, deferred or not) and the spoiler gate's view of the person asking."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from typing import Any, TypeVar

import discord

from bot.embeds import CONTENT_MAX, fit
from bot.reply_text import audience
from bot.spoiler_gate import Viewer, clip_balanced
from bot.store.state import StateStore

log = logging.getLogger(__name__)

T = TypeVar("T")


async def viewer_for(state: StateStore, interaction: discord.Interaction, share: bool) -> Viewer:
    """The spoiler gate's view of this reply: the user's progress here, and its audience."""
    progress = await state.effective_progress(interaction.user.id, interaction.guild_id)
    return Viewer(progress, audience(share))


async def send(
    interaction: discord.Interaction,
    *,
    share: bool,
    content: str | None = None,
    embed: discord.Embed | None = None,
    view: discord.ui.View | None = None,
) -> None:
    """Reply, ephemerally unless shared, whether or not the interaction was deferred."""
    if content is not None:
        content = clip_balanced(content, CONTENT_MAX)
    # Any: discord.py's overloads cannot type a call whose keywords are chosen at run time.
    kwargs: dict[str, Any] = {"content": content, "ephemeral": not share}
    if embed is not None:
        kwargs["embed"] = fit(embed)
    if view is not None:
        kwargs["view"] = view
    if interaction.response.is_done():
        await interaction.followup.send(**kwargs)
    else:
        await interaction.response.send_message(**kwargs)


async def ready_or_deferred(
    interaction: discord.Interaction, work: Awaitable[T], *, after: float, ephemeral: bool
) -> T:
    """What `work` gives; if it is not ready within `after` seconds, the interaction is
    acknowledged first ("thinking…"), so Discord's 3 seconds never run out. An answer
    ready in milliseconds still goes out in the interaction's one callback."""
    task = asyncio.ensure_future(work)
    done, _ = await asyncio.wait({task}, timeout=after)
    if not done:
        await interaction.response.defer(ephemeral=ephemeral, thinking=True)
    return await task


async def send_ephemeral(interaction: discord.Interaction, content: str) -> None:
    """Answer ephemerally whether or not the interaction was already acknowledged."""
    try:
        await send(interaction, share=False, content=content)
    except discord.HTTPException:
        log.warning("Could not tell user %s about an error (interaction gone)", interaction.user.id)


def log_interaction_gone(interaction: discord.Interaction, error: BaseException) -> None:
    """One clear line for an answer Discord refused because the interaction was over."""
    age = (discord.utils.utcnow() - interaction.created_at).total_seconds()
    log.warning(
        "Interaction %s (user %s, channel %s) could not be answered %.1f s after it was made:"
        " %s. Discord was too slow to take the acknowledgement, or the token expired.",
        interaction.id,
        interaction.user.id,
        interaction.channel_id,
        age,
        error,
    )
