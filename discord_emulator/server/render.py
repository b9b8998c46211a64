"""JSON views of world state that need lookups (mentions, members, threads, references).

:mod:`~discord_emulator.server.payloads` holds the pure shape builders; this module gathers
the related objects from the :class:`~discord_emulator.server.world.World` and hands them over.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

from . import payloads, polls
from .models import Channel, Guild, Member, Message, MessageType, User

if TYPE_CHECKING:
    from .world import World

log = logging.getLogger(__name__)

JSON = dict[str, Any]

_USER_MENTION = re.compile(r"<@!?(\d+)>")
_ROLE_MENTION = re.compile(r"<@&(\d+)>")


def thread(world: World, t: Channel, *, for_user: int | None = None) -> JSON:
    """A thread, with the ``member`` object when ``for_user`` has joined it."""
    member_payload = None
    if for_user is not None and for_user in t.thread_member_ids:
        member_payload = payloads.thread_member(t.id, for_user, t.create_timestamp)
    return payloads.thread(t, member_payload=member_payload)


def channel(world: World, c: Channel) -> JSON:
    if c.is_thread:
        return thread(world, c, for_user=world.bot.id)
    recipients = [world.users[u] for u in c.recipient_ids if u in world.users]
    return payloads.channel(c, recipients=recipients)


def member(
    world: World, m: Member, *, channel: Channel | None = None, with_user: bool = True
) -> JSON:
    """A member; with ``channel``, including their computed ``permissions`` there."""
    perms = None if channel is None else world.permissions_for(m.user, channel)
    return payloads.member(m, with_user=with_user, permissions=perms)


def guild_create(world: World, g: Guild) -> JSON:
    data = payloads.guild_create(
        g,
        channels=[payloads.channel(c) for c in world.guild_channels(g)],
        threads=[thread(world, t, for_user=world.bot.id) for t in world.guild_threads(g)],
        members=[payloads.member(m) for m in g.members.values()],
        joined_at=world.joined_at(g),
    )
    data["guild_scheduled_events"] = [
        world.render_scheduled_event(e) for e in world.guild_events(g)
    ]
    return data


def message(world: World, m: Message, *, gateway: bool = False, _nested: bool = False) -> JSON:
    """A message as the bot sees it; ``gateway`` adds the author's partial ``member``."""
    allowed = m.allowed_mentions
    parse = {"users", "roles", "everyone"} if allowed is None else set(allowed.get("parse", []))
    explicit_users = set() if allowed is None else {int(u) for u in allowed.get("users", [])}
    explicit_roles = set() if allowed is None else {int(r) for r in allowed.get("roles", [])}
    mentions: list[tuple[User, Member | None]] = []
    seen: set[int] = set()
    for match in _USER_MENTION.finditer(m.content):
        uid = int(match.group(1))
        if uid in seen or uid not in world.users:
            continue
        if "users" in parse or uid in explicit_users:
            seen.add(uid)
            mentions.append((world.users[uid], world.maybe_member(m.guild_id, uid)))
    referenced = _referenced(world, m)
    # Replies mention the replied-to author unless allowed_mentions.replied_user is off.
    pings_author = allowed is None or bool(allowed.get("replied_user", False))
    if referenced is not None and referenced.author.id not in seen and pings_author:
        seen.add(referenced.author.id)
        mentions.append((referenced.author, world.maybe_member(m.guild_id, referenced.author.id)))
    role_ids: list[int] = []
    g = world.guilds.get(m.guild_id) if m.guild_id is not None else None
    for match in _ROLE_MENTION.finditer(m.content):
        rid = int(match.group(1))
        if g is not None and rid in g.roles and ("roles" in parse or rid in explicit_roles):
            role_ids.append(rid)
    everyone = "everyone" in parse and ("@everyone" in m.content or "@here" in m.content)
    thread_payload = None
    if m.thread_id is not None and m.thread_id != m.channel_id:
        t = world.channels.get(m.thread_id)
        if t is not None and not t.deleted:
            thread_payload = payloads.thread(t)
    author_member = None
    if gateway and m.webhook_id is None:
        author_member = world.maybe_member(m.guild_id, m.author.id)
    data = payloads.message(
        m,
        viewer_id=world.bot.id,
        author_member=author_member,
        mentions=mentions,
        mention_role_ids=role_ids,
        mention_everyone=everyone,
        thread_payload=thread_payload,
    )
    state = world.poll_states.get(m.id)
    if m.poll is not None and state is not None:
        data["poll"] = polls.render(m.poll, state, world.bot.id)
    if m.type == MessageType.REPLY and m.message_reference and not _nested:
        data["referenced_message"] = (
            None if referenced is None else message(world, referenced, _nested=True)
        )
    return data


def _referenced(world: World, m: Message) -> Message | None:
    ref = m.message_reference
    if m.type != MessageType.REPLY or not ref or not ref.get("message_id"):
        return None
    cid = int(ref.get("channel_id") or m.channel_id)
    found = world.messages.get(cid, {}).get(int(ref["message_id"]))
    return None if found is None or found.deleted else found
