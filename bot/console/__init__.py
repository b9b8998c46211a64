"""`soundtrack-bot console`: the real bot against the loopback emulator, in a terminal.

Type slash commands as in Discord, press buttons by number, switch the pretend user and
channel. Nothing leaves 127.0.0.1 and no token is needed. The playground keeps its own
state database (next to STATE_DB) between runs; the pretend server keeps its ids.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import json
import logging
import sys
from typing import Literal, TextIO

import discord

from bot.app import create_bot
from bot.console._lookup import Lookup, stable_world
from bot.console._screen import Screen
from bot.console.parse import ParseError, parse_line
from bot.console.render import Names, buttons, render
from bot.facts.pipeline import ensure_store
from bot.settings import Settings
from bot.store.facts import episode_count
from discord_emulator import (
    Channel,
    Driver,
    Emulator,
    EmulatorError,
    Message,
    MessageType,
    User,
    running_bot,
)
from discord_emulator.server.world import MessageEvent

log = logging.getLogger(__name__)

POLL_SECONDS = 0.25
PLAYGROUND_STATE_FILE = "playground-state.db"
HELP = """\
Type a slash command as in Discord:
  /cast name:Han So-hee      /cast Han So-hee      /progress 2      /ost Davichi
  /discussion open episode:1 channel:general       /trivia stats user:bob
Options take names, #channels, @users or ids; a bare value goes to the first option
it fits. Then:
  1, 2, ...      press button N of the latest message with buttons that you can see
  :user NAME     act as {users}   (now: {user})
  :channel NAME  act in a channel or thread: {channels}   (now: #{channel})
  :wait SECONDS  let the bot's own posts arrive (for scripts); :wait buttons waits
                 until there are buttons you can press (at most 60 s)
  :commands      list the commands        :help   this text        :quit   leave"""
# Discord's names for the permissions commands ask of members, where they differ from
# discord.py's attribute names.
_PERMISSION_NAMES = {"manage_guild": "Manage Server", "moderate_members": "Timeout Members"}


def permission_names(value: int) -> str:
    names = [
        _PERMISSION_NAMES.get(name, name.replace("_", " ").title())
        for name, granted in discord.Permissions(value)
        if granted
    ]
    return " and ".join(names) or "no permission"


def _digest(message: Message) -> str:
    shown = [message.content, message.embeds, message.components]
    return hashlib.sha256(json.dumps(shown, sort_keys=True, default=str).encode()).hexdigest()


class Console:
    def __init__(self, settings: Settings, screen: Screen) -> None:
        # The playground keeps its own state, never the real bot's (nor its PostgreSQL).
        state_db = settings.state_db.with_name(PLAYGROUND_STATE_FILE)
        self.settings = dataclasses.replace(settings, state_db=state_db, database_url=None)
        self.screen = screen
        self.shown: dict[int, str] = {}  # message id -> digest of what was last printed
        self.cursor = 0  # position in the emulator's message-event log
        # Messages with buttons, newest last: (message id, channel id, only-for user id).
        self.pressable: list[tuple[int, int, int | None]] = []
        self.actors: dict[int, int] = {}  # interaction id -> the pretend user who acted
        self.busy = False  # an action is in flight: its posts are shown when it returns
        # What a :wait asked for: seconds to let pass, or "buttons" to wait for.
        self.pending_wait: float | Literal["buttons"] = 0.0
        self.user: User
        self.channel: Channel
        self.emu: Emulator
        self.drv: Driver
        self.lookup: Lookup

    # ------------------------------------------------------------------ lifecycle

    async def run(self) -> int:
        bot = create_bot(self.settings)
        emu = Emulator(heartbeat_interval=30.0)
        s = self.settings  # the pretend server has a forum tag per episode of the store
        await asyncio.to_thread(ensure_store, s.documents_dir, s.curated_file, s.facts_db)
        world = stable_world(emu, episode_count(s.facts_db))
        self.lookup = Lookup(emu.world, world)
        bot.owner_ids = {world.owner.id}
        async with running_bot(bot, emu) as (emu, drv):
            await bot.tree.sync()  # a fresh emulated Discord knows no commands yet
            self.emu, self.drv = emu, drv
            self.act_as(user=world.alice, channel=world.general)
            self.screen.say(f"Soundtrack #1 bot playground, server “{world.guild.name}”.")
            self.screen.say(self.help_text())
            watcher = asyncio.create_task(self.watch())
            try:
                await self.repl()
            finally:
                watcher.cancel()
        self.screen.say("Bye.")
        return 0

    def prompt(self) -> str:
        return f"{self.user.username} in #{self.channel.name}> "

    async def repl(self) -> None:
        while True:
            line = await self.screen.read(self.prompt())
            if line is None:
                break
            line = line.strip()
            if line in (":quit", ":q", "exit", "quit"):
                break
            if line:
                await self.handle(line)

    async def watch(self) -> None:
        """Show what the bot posts by itself (trivia rounds, results) as it happens."""
        while True:
            await asyncio.sleep(POLL_SECONDS)
            if not self.busy:
                self.flush(prompt_pending=True)

    # ------------------------------------------------------------------ input

    async def handle(self, line: str) -> None:
        """One typed line. Whatever it is, the answer is output, never a traceback."""
        self.busy = True
        printed = False
        try:
            if line.startswith("/"):
                await self.command(line)
                printed = self.flush() or self.say_nothing_visible()
            elif line.isdigit():
                if await self.press(int(line)):
                    printed = self.flush() or self.say_nothing_visible()
            elif line.startswith(":"):
                self.meta(line)
                await self.wait()
            else:
                self.screen.say("Commands start with / (try /cast). Type :help for help.")
        except (ParseError, EmulatorError) as exc:
            self.screen.error(str(exc))
        except Exception as exc:  # the playground must survive anything typed
            log.debug("Playground line %r failed", line, exc_info=True)
            self.screen.error(f"that went wrong inside the playground ({type(exc).__name__})")
        finally:
            self.busy = False
        if not printed:
            self.flush()

    async def wait(self) -> None:
        wanted, self.pending_wait = self.pending_wait, 0.0
        if wanted == "buttons":
            for _ in range(int(60 / POLL_SECONDS)):
                self.flush()
                if self.pressable_message() is not None:
                    return
                await asyncio.sleep(POLL_SECONDS)
            self.screen.error("no buttons to press arrived within 60 s")
        elif wanted > 0:
            await asyncio.sleep(wanted)

    def say_nothing_visible(self) -> bool:
        self.screen.say("(no visible reply)")
        return True

    async def command(self, line: str) -> None:
        schemas = [c.payload for c in self.emu.world.commands_for(None)]
        invocation = parse_line(line, schemas, self.lookup.resolve)
        schema = next(s for s in schemas if s["name"] == invocation.command[1:].split()[0])
        needed = schema.get("default_member_permissions")
        if needed is not None and not self.allowed(int(needed)):
            raise ParseError(
                f"{invocation.command} is for members with {permission_names(int(needed))}, "
                f"which {self.user.username} does not have (try :user owner)"
            )
        result = await self.drv.invoke(invocation.command, options=invocation.options)
        self.actors[result.interaction_id] = self.user.id
        await self.drv.settled()

    def allowed(self, needed: int) -> bool:
        perms = self.emu.world.permissions_for(self.user, self.channel)
        return perms & needed == needed or bool(perms & discord.Permissions.administrator.flag)

    async def press(self, number: int) -> bool:
        message = self.pressable_message()
        if message is None:
            self.screen.error(
                f"there are no buttons {self.user.username} can press in #{self.channel.name}"
            )
            return False
        found = buttons(message.components)
        if not 1 <= number <= len(found):
            self.screen.error(f"pick a button from 1 to {len(found)}")
            return False
        button = found[number - 1]
        if button.get("disabled") or not button.get("custom_id"):
            label = button.get("label") or "that button"
            self.screen.error(f"{label} cannot be pressed (disabled or a link)")
            return False
        result = await self.drv.click(message.id, button["custom_id"])
        self.actors[result.interaction_id] = self.user.id
        await self.drv.settled()
        return True

    def pressable_message(self) -> Message | None:
        """The newest message with buttons in this channel that this user can see."""
        for message_id, channel_id, only_for in reversed(self.pressable):
            if channel_id != self.channel.id or only_for not in (None, self.user.id):
                continue
            try:
                message = self.emu.world.find_message(message_id)
            except EmulatorError:
                continue  # deleted since
            if any(not b.get("disabled") for b in buttons(message.components)):
                return message
        return None

    def meta(self, line: str) -> None:
        word, _, arg = line[1:].partition(" ")
        arg = arg.strip()
        if word == "help":
            self.screen.say(self.help_text())
        elif word == "wait" and arg == "buttons":
            self.pending_wait = "buttons"
        elif word == "wait":
            # For scripted sessions: let the bot's own posts (trivia rounds) arrive.
            try:
                seconds = float(arg or 1)
            except ValueError:
                seconds = -1.0
            if not 0 <= seconds <= 60:
                self.screen.error(":wait takes a number of seconds from 0 to 60")
                return
            self.pending_wait = seconds
        elif word == "commands":
            names = sorted("/" + c.name for c in self.emu.world.commands_for(None) if c.type == 1)
            self.screen.say(" ".join(names))
        elif word == "user":
            user = self.lookup.user(arg) if arg else None
            if user is None or user.bot or user.id not in self.lookup.handles.guild.members:
                self.screen.error(f"users: {self.lookup.player_names()}")
                return
            self.act_as(user=user)
            self.screen.say(f"You are now {user.username}.")
        elif word == "channel":
            channel = self.lookup.channel(arg) if arg else None
            if channel is None:
                self.screen.error(f"channels: {self.channel_names()}")
                return
            self.act_as(channel=channel)
            self.screen.say(f"You are now in #{channel.name}.")
        else:
            self.screen.error("unknown; type :help")

    def act_as(self, *, user: User | None = None, channel: Channel | None = None) -> None:
        self.user = user or self.user
        self.channel = channel or self.channel
        self.drv.use(user=self.user, channel=self.channel)

    def channel_names(self) -> str:
        return ", ".join(c.name for c in self.lookup.channels())

    def help_text(self) -> str:
        return HELP.format(
            users=self.lookup.player_names(),
            user=self.user.username,
            channels=self.channel_names(),
            channel=self.channel.name,
        )

    # ------------------------------------------------------------------ output

    def names(self) -> Names:
        world = self.emu.world
        guild = self.lookup.handles.guild
        return Names(
            users={u.id: u.username for u in world.users.values()},
            channels={c.id: c.name for c in world.channels.values() if c.name},
            roles={r.id: r.name.lstrip("@") for r in guild.roles.values()},
        )

    def flush(self, *, prompt_pending: bool = False) -> bool:
        """Print every message created or changed since the last look; True if any."""
        events = self.emu.world.events[self.cursor :]
        self.cursor += len(events)
        latest: dict[int, MessageEvent] = {}
        for event in events:  # several edits of one message in a row show once
            latest.pop(event.message.id, None)
            latest[event.message.id] = event
        printed = False
        for event in latest.values():
            if self.show(event, prompt_pending=prompt_pending and not printed):
                printed = True
        if printed and prompt_pending:
            self.screen.redraw_prompt(self.prompt())
        return printed

    def show(self, event: MessageEvent, *, prompt_pending: bool) -> bool:
        message = event.message
        if event.kind == "delete" or message.deleted or message.flags & (1 << 7):  # loading
            return False
        if message.author.id != self.emu.world.bot.id:
            return False
        if message.type == MessageType.THREAD_CREATED:
            self.screen.say(f"(thread opened: #{message.content})")
            self.shown[message.id] = _digest(message)
            return True
        digest = _digest(message)
        if self.shown.get(message.id) == digest:
            return False
        edited = message.id in self.shown
        self.shown[message.id] = digest
        only_for = self.actors.get(event.interaction_id or 0) if message.ephemeral else None
        if buttons(message.components):
            self.pressable.append((message.id, message.channel_id, only_for))
            del self.pressable[:-50]  # only recent messages are worth pressing
        heading = []
        if message.channel_id != self.channel.id:
            heading.append(f"in #{self.names().channels.get(message.channel_id, '?')}")
        if edited:
            heading.append("(edited)")
        if message.ephemeral and only_for not in (None, self.user.id):
            who = self.names().users.get(only_for or 0, "someone")
            heading.append(f"(only {who} can see this)")
        self.screen.show(
            render(
                message.content,
                message.embeds,
                message.components,
                message.ephemeral and only_for in (None, self.user.id),
                self.names(),
                heading=" ".join(heading) or None,
            ),
            interrupting=prompt_pending,
        )
        return True


def run_console(
    settings: Settings, stdin: TextIO | None = None, stdout: TextIO | None = None
) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    screen = Screen(stdin or sys.stdin, stdout or sys.stdout, settings.state_db.parent)
    console = Console(settings, screen)
    try:
        return asyncio.run(console.run())
    except KeyboardInterrupt:
        return 0
