"""`soundtrack-bot console`: the real bot against the loopback emulator, in a terminal.

Type slash commands as in Discord, press buttons by number, switch the pretend user and
channel. Nothing leaves 127.0.0.1 and no token is needed.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import sys
from typing import Any, TextIO

from bot.app import create_bot
from bot.console.parse import ParseError, parse_line
from bot.console.render import buttons, render
from bot.console.world import FanWorld, fan_world
from bot.facts.pipeline import ensure_store
from bot.settings import Settings
from bot.store.facts import episode_count
from discord_emulator import Driver, Emulator, EmulatorError, running_bot

log = logging.getLogger(__name__)

POLL_SECONDS = 0.25
HELP = """\
Type a slash command as in Discord:
  /cast name:Han So-hee        /cast Han So-hee        /progress episode:2
  /ost                          /ask question:who sings Love Beyond Words
Then:
  1, 2, ...      press button number N of the last reply
  :user NAME     act as owner, moderator, alice or bob      (now: {user})
  :channel NAME  act in a channel (general, listening party) (now: #{channel})
  :wait SECONDS  let the bot's own posts arrive (for scripts)
  :commands      list the commands        :help   this text        :quit   leave"""


class Console:
    def __init__(self, settings: Settings, stdin: TextIO, stdout: TextIO) -> None:
        # The playground keeps its own state, never the real bot's.
        state_db = settings.state_db.with_name("playground-state.db")
        self.settings = dataclasses.replace(settings, state_db=state_db)
        self.stdin, self.stdout = stdin, stdout
        self.last: Any = None  # the last message shown, for button presses
        self.seen: set[tuple[int, int]] = set()
        self.pending_wait = 0.0
        self.names: dict[int, str] = {}  # user id -> name, to show mentions readably
        self.user: Any = None
        self.channel: Any = None

    def act_as(self, drv: Driver, *, user: Any = None, channel: Any = None) -> None:
        self.user = user or self.user
        self.channel = channel or self.channel
        drv.use(user=self.user, channel=self.channel)

    def say(self, text: str) -> None:
        self.stdout.write(text + "\n")
        self.stdout.flush()

    async def run(self) -> int:
        bot = create_bot(self.settings)
        emu = Emulator(heartbeat_interval=30.0)
        s = self.settings  # the pretend server has a forum tag per episode of the store
        await asyncio.to_thread(ensure_store, s.documents_dir, s.curated_file, s.facts_db)
        world = fan_world(emu, episode_count(s.facts_db))
        bot.owner_ids = {world.owner.id}
        self.names = {u.id: u.username for u in emu.world.users.values()}
        async with running_bot(bot, emu) as (emu, drv):
            await bot.tree.sync()  # a fresh emulated Discord knows no commands yet
            self.act_as(drv, user=world.alice, channel=world.general)
            self.say(f"Soundtrack #1 bot playground, server “{world.guild.name}”.")
            self.say(HELP.format(user=self.user.username, channel=self.channel.name))
            watcher = asyncio.create_task(self.watch_channel(drv))
            try:
                await self.repl(emu, drv, world)
            finally:
                watcher.cancel()
        self.say("Bye.")
        return 0

    async def watch_channel(self, drv: Driver) -> None:
        """Show what the bot posts by itself (trivia questions, results) as it happens."""
        while True:
            await asyncio.sleep(POLL_SECONDS)
            self.show_channel_posts(drv)

    async def repl(self, emu: Emulator, drv: Driver, world: FanWorld) -> None:
        while True:
            self.stdout.write(f"{self.user.username} in #{self.channel.name}> ")
            self.stdout.flush()
            line = await asyncio.to_thread(self.stdin.readline)
            if not line:
                break
            line = line.strip()
            if line in (":quit", ":q", "exit", "quit"):
                break
            if line:
                await self.handle(line, emu, drv, world)

    async def handle(self, line: str, emu: Emulator, drv: Driver, world: FanWorld) -> None:
        try:
            if line.startswith("/"):
                schemas = [c.payload for c in emu.world.commands_for(None)]
                invocation = parse_line(line, schemas)
                result = await drv.invoke(invocation.command, options=invocation.options)
                self.show_result(result)
            elif line.isdigit():
                await self.press(int(line), drv)
            elif line.startswith(":"):
                self.meta(line, emu, drv, world)
                if self.pending_wait:
                    await asyncio.sleep(self.pending_wait)
                    self.pending_wait = 0.0
            else:
                self.say("Commands start with / (try /cast). Type :help for help.")
        except ParseError as exc:
            self.say(f"! {exc}")
        except EmulatorError as exc:
            self.say(f"! {exc}")
        self.show_channel_posts(drv)

    async def press(self, number: int, drv: Driver) -> None:
        if self.last is None or not buttons(self.last.components):
            self.say("! There are no buttons to press on the last reply.")
            return
        found = buttons(self.last.components)
        if not 1 <= number <= len(found):
            self.say(f"! Pick a button from 1 to {len(found)}.")
            return
        button = found[number - 1]
        result = await drv.click(self.last, button.get("custom_id") or button.get("label"))
        self.show_result(result)

    def meta(self, line: str, emu: Emulator, drv: Driver, world: FanWorld) -> None:
        word, _, arg = line[1:].partition(" ")
        arg = arg.strip().lower()
        if word == "help":
            self.say(HELP.format(user=self.user.username, channel=self.channel.name))
        elif word == "wait":
            # For scripted sessions: let the bot's own posts (trivia rounds) arrive.
            try:
                seconds = min(float(arg or 1), 60.0)
            except ValueError:
                self.say("! :wait takes a number of seconds")
                return
            self.pending_wait = seconds
        elif word == "commands":
            names = sorted("/" + c.name for c in emu.world.commands_for(None) if c.type == 1)
            self.say(" ".join(names))
        elif word == "user":
            users = {u.username: u for u in (world.owner, world.moderator, world.alice, world.bob)}
            if arg not in users:
                self.say(f"! Users: {', '.join(users)}")
                return
            self.act_as(drv, user=users[arg])
            self.say(f"You are now {arg}.")
        elif word == "channel":
            channels = {c.name.lower(): c for c in (world.general, world.voice)}
            if arg not in channels:
                self.say(f"! Channels: {', '.join(channels)}")
                return
            self.act_as(drv, channel=channels[arg])
            self.say(f"You are now in #{arg}.")
        else:
            self.say("! Unknown. Type :help.")

    def show_result(self, result: Any) -> None:
        message = result.message
        if message is None:
            self.say("(no visible reply)")
            return
        self.last = message
        self.seen.add((message.id, len(message.content) + len(str(message.embeds))))
        self.say(
            render(
                message.content, message.embeds, message.components, message.ephemeral, self.names
            )
        )

    def show_channel_posts(self, drv: Driver) -> None:
        """Messages the bot posted by itself (e.g. trivia rounds) since the last look."""
        for message in drv.messages(self.channel):
            key = (message.id, len(message.content) + len(str(message.embeds)))
            if key in self.seen:
                continue
            self.seen.add(key)
            self.last = message
            self.say(render(message.content, message.embeds, message.components, False, self.names))


def run_console(
    settings: Settings, stdin: TextIO | None = None, stdout: TextIO | None = None
) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("discord.client").setLevel(logging.ERROR)  # "no voice support" noise
    console = Console(settings, stdin or sys.stdin, stdout or sys.stdout)
    try:
        return asyncio.run(console.run())
    except KeyboardInterrupt:
        return 0
