"""The bot: stores injected in setup_hook, extensions discovered, nothing synced on start."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import discord
from discord.ext import commands

from bot.extensions import discover_extensions
from bot.facts.pipeline import ensure_store
from bot.i18n import N_, CatalogTranslator, t
from bot.respond import send_ephemeral
from bot.settings import Settings
from bot.store import FactStore, StateStore
from bot.store.lru import LRU
from bot.tree import SoundtrackTree
from bot.ui import is_claimed

log = logging.getLogger(__name__)

# A click on a button no live view or handler answered within this time gets an
# "expired" reply instead of Discord's "This interaction failed" (3 s deadline).
UNHANDLED_COMPONENT_GRACE = 2.0
EXPIRED_COMPONENT = N_("These buttons have expired. Run the command again for fresh ones.")
# Interaction ids remembered to drop a second delivery of the same one; far more than
# arrive within an interaction's 15-minute life at this bot's scale.
SEEN_INTERACTIONS = 20_000


class _NoVoiceWarnings(logging.Filter):
    """discord.py warns at every start that PyNaCl and davey (voice) are missing; this bot
    has no voice, so those two warnings, and only those, are dropped."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (
            record.levelno == logging.WARNING
            and record.getMessage().endswith("is not installed, voice will NOT be supported")
        )


class _ReconnectInOneLine(logging.Filter):
    """discord.py logs each reconnect attempt with the network error's whole traceback;
    the error in one line says the same (nothing in the bot failed)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.getMessage().startswith("Attempting a reconnect"):
            error = record.exc_info[1]
            record.msg = f"{record.getMessage()} after: {type(error).__name__}: {error}"
            record.args, record.exc_info, record.exc_text = (), None, None
        return True


_NO_VOICE_WARNINGS = _NoVoiceWarnings()
_RECONNECT_IN_ONE_LINE = _ReconnectInOneLine()


def bot_intents() -> discord.Intents:
    """Only what slash commands and threads need: no privileged intents."""
    intents = discord.Intents.none()
    intents.guilds = True
    return intents


class SoundtrackBot(commands.Bot):
    facts: FactStore
    state: StateStore

    def __init__(self, settings: Settings, **options: Any) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            help_command=None,
            intents=bot_intents(),
            # User text must never ping anyone; a reply that means to mention opts in.
            allowed_mentions=discord.AllowedMentions.none(),
            tree_cls=SoundtrackTree,
            owner_ids=set(settings.owner_ids) or None,
            # A gateway that stops sending (no heartbeat ACK, no events) is left and resumed
            # after this long.
            heartbeat_timeout=float(settings.gateway_timeout),
            **options,
        )
        self.settings = settings
        self._background: set[asyncio.Task[None]] = set()
        self._deliver_interactions_once()

    def serves(self, guild_id: int | None) -> bool:
        """Whether this process owns the server's shard (SHARD_IDS), and so runs its
        scheduled work: thread openings, the daily question, restart reports."""
        return self.settings.serves(guild_id)

    def _deliver_interactions_once(self) -> None:
        """Drop a repeated INTERACTION_CREATE (same id) before discord.py routes it.

        Discord can deliver an event twice (e.g. replayed around a reconnect); a second run
        would act twice and its reply would fail "already acknowledged". discord.py offers
        no hook ahead of its routing to commands and views, so the parser is wrapped.
        """
        parsers = self._connection.parsers
        route = parsers["INTERACTION_CREATE"]
        seen: LRU[int, bool] = LRU(SEEN_INTERACTIONS)

        def route_once(data: Any) -> None:
            interaction_id = int(data["id"])
            if interaction_id in seen:
                log.info("Ignored a repeated delivery of interaction %s", interaction_id)
                return
            seen.put(interaction_id, True)
            route(data)

        parsers["INTERACTION_CREATE"] = route_once

    async def setup_hook(self) -> None:
        s = self.settings
        await asyncio.to_thread(ensure_store, s.documents_dir, s.curated_file, s.facts_db)
        self.facts = await FactStore.open(s.facts_db)
        self.state = await StateStore.connect(s.database_url, s.state_db)
        # Command names, descriptions, options and choices in Korean and Indonesian.
        await self.tree.set_translator(CatalogTranslator())
        for extension in discover_extensions():
            await self.load_extension(extension)
        log.info("Loaded %d extensions", len(self.extensions))

    async def close(self) -> None:
        for task in self._background:
            task.cancel()
        await super().close()  # closes the gateway; cogs unload and stop their sessions
        for store in (getattr(self, "facts", None), getattr(self, "state", None)):
            if store is not None:
                await store.close()

    async def on_ready(self) -> None:
        shards = self.settings.shard_ids
        if shards is None:
            log.info("Ready as %s in %d servers", self.user, len(self.guilds))
        else:
            log.info(
                "Ready as %s in %d servers (shards %s of %d)",
                self.user,
                len(self.guilds),
                ", ".join(str(i) for i in shards),
                self.settings.shard_count,
            )

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        if interaction.type in (
            discord.InteractionType.component,
            discord.InteractionType.modal_submit,
        ):
            # A timer, not a task per click: almost every click is answered long before.
            asyncio.get_running_loop().call_later(
                UNHANDLED_COMPONENT_GRACE, self._answer_if_unhandled, interaction
            )

    def _answer_if_unhandled(self, interaction: discord.Interaction) -> None:
        # A claimed click is being answered (its reply may just be slow to reach Discord).
        if interaction.response.is_done() or is_claimed(interaction) or self.is_closed():
            return
        log.debug("Component %s had no live handler", interaction.data)
        task = asyncio.create_task(send_ephemeral(interaction, t(interaction, EXPIRED_COMPONENT)))
        self._background.add(task)
        task.add_done_callback(self._background.discard)


def bot_of(interaction: discord.Interaction) -> SoundtrackBot:
    """The bot an interaction reached (discord.py types it as a plain Client)."""
    client = interaction.client
    if not isinstance(client, SoundtrackBot):
        raise TypeError(f"{type(client).__name__} is not the Soundtrack #1 bot")
    return client


class ShardedSoundtrackBot(SoundtrackBot, commands.AutoShardedBot):
    """The same bot over several gateway shards."""


def create_bot(settings: Settings) -> SoundtrackBot:
    client_log = logging.getLogger("discord.client")
    client_log.addFilter(_NO_VOICE_WARNINGS)  # addFilter skips a filter already added
    client_log.addFilter(_RECONNECT_IN_ONE_LINE)
    if settings.shard_count:
        shard_ids = None if settings.shard_ids is None else list(settings.shard_ids)
        return ShardedSoundtrackBot(settings, shard_count=settings.shard_count, shard_ids=shard_ids)
    return SoundtrackBot(settings)


async def sync_commands(bot: commands.Bot, guild_id: int | None) -> list[str]:
    """Sync the tree globally, or copy the globals to one guild and sync there."""
    if guild_id is None:
        synced = await bot.tree.sync()
    else:
        guild = discord.Object(id=guild_id)
        bot.tree.copy_global_to(guild=guild)
        synced = await bot.tree.sync(guild=guild)
    return [command.name for command in synced]
