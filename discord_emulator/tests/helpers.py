"""Test helpers: a bare discord.py bot (defined here, no project's bot) and a sample world."""

from __future__ import annotations

import asyncio
import io
import logging
from dataclasses import dataclass

import discord
from discord import app_commands
from discord.ext import commands

from discord_emulator import Driver, Emulator, SampleServer, sample_server

CAST = ["Han Seo-jun", "Hana Kim", "Park Ji-hoon", "Lee Min-ho"]
# Logged by discord.py once per process when a Client is constructed; not emulator-related.
CONSTRUCTION_WARNINGS = ("PyNaCl is not installed", "davey is not installed")


class LogCollector(logging.Handler):
    """Collects WARNING+ records from the ``discord`` logger."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if not any(text in record.getMessage() for text in CONSTRUCTION_WARNINGS):
            self.records.append(record)

    def messages(self) -> list[str]:
        return [f"{r.levelname} {r.name}: {r.getMessage()}" for r in self.records]


class Pager(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=60)
        self.page = 1
        self.add_item(discord.ui.Button(label="Open site", url="https://example.invalid/"))

    @discord.ui.button(label="Next", custom_id="pager:next", style=discord.ButtonStyle.primary)
    async def next_page(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self.page += 1
        button.disabled = self.page >= 2
        await interaction.response.edit_message(content=f"Page {self.page}", view=self)


class Picker(discord.ui.View):
    @discord.ui.select(
        custom_id="picker:episode",
        placeholder="Pick an episode",
        options=[discord.SelectOption(label=f"Episode {n}", value=str(n)) for n in range(1, 5)],
    )
    async def pick(self, interaction: discord.Interaction, select: discord.ui.Select) -> None:
        await interaction.response.edit_message(
            content=f"You picked episode {select.values[0]}", view=None
        )


class Feedback(discord.ui.Modal, title="Feedback"):
    answer = discord.ui.TextInput(label="Your answer", custom_id="feedback:answer", max_length=50)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"Thanks: {self.answer.value}", ephemeral=True)


def build_bot(
    cls: type[commands.Bot] = commands.Bot, *, intents: discord.Intents | None = None
) -> commands.Bot:
    """A small bot exercising every interaction style the emulator supports."""
    bot = cls(
        command_prefix=commands.when_mentioned,
        intents=intents if intents is not None else discord.Intents(guilds=True),
    )
    tree = bot.tree

    @tree.command(description="Say hello")
    @app_commands.describe(name="Who to greet")
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=False)
    async def hello(
        interaction: discord.Interaction, name: str, times: app_commands.Range[int, 1, 5] = 1
    ) -> None:
        embed = discord.Embed(title="Greeting", description=" ".join([f"Hello {name}!"] * times))
        embed.add_field(name="Channel", value=str(interaction.channel_id))
        await interaction.response.send_message(f"Hello {name}!", embed=embed)

    trivia = app_commands.Group(name="trivia", description="Trivia game", guild_only=True)

    @trivia.command(name="start", description="Start a round")
    @app_commands.choices(
        category=[
            app_commands.Choice(name="Cast", value="cast"),
            app_commands.Choice(name="Music", value="music"),
        ]
    )
    async def trivia_start(
        interaction: discord.Interaction, rounds: int = 3, category: str = "cast"
    ) -> None:
        await interaction.response.send_message(
            f"Starting {rounds} rounds of {category}", ephemeral=True
        )

    tree.add_command(trivia)

    @tree.command(description="Look up a cast member")
    async def cast(interaction: discord.Interaction, name: str) -> None:
        await interaction.response.send_message(f"Cast: {name}")

    @cast.autocomplete("name")
    async def cast_name(
        interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=n, value=n) for n in CAST if current.lower() in n.lower()][
            :25
        ]

    @tree.command(description="Think, then answer")
    async def slow(interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True)
        await asyncio.sleep(0.05)
        await interaction.followup.send("Done thinking", embed=discord.Embed(title="Result"))

    @tree.command(description="Paged message")
    async def pages(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("Page 1", view=Pager())

    @tree.command(description="Pick something")
    async def pick(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("Pick one", view=Picker())

    @tree.command(description="Leave feedback")
    async def feedback(interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(Feedback())

    @tree.command(description="Always fails")
    async def boom(interaction: discord.Interaction) -> None:
        raise RuntimeError("kaboom")

    @tree.command(description="Describe things")
    async def whois(
        interaction: discord.Interaction,
        member: discord.Member,
        channel: discord.TextChannel | None = None,
        role: discord.Role | None = None,
    ) -> None:
        parts = [f"{member.display_name} ({type(member).__name__})"]
        if channel is not None:
            parts.append(f"#{channel.name}")
        if role is not None:
            parts.append(f"@{role.name}")
        await interaction.response.send_message(" ".join(parts), ephemeral=True)

    @tree.command(description="Open threads")
    async def threads(interaction: discord.Interaction, forum: discord.ForumChannel) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        assert isinstance(interaction.channel, discord.TextChannel)
        text_thread = await interaction.channel.create_thread(
            name="Discussion", type=discord.ChannelType.public_thread
        )
        tag = discord.utils.get(forum.available_tags, name="Episode 1")
        assert tag is not None
        post = await forum.create_thread(
            name="Episode 1 talk", content="Talk here", applied_tags=[tag]
        )
        await interaction.followup.send(f"{text_thread.id} {post.thread.id}")

    @tree.command(description="Post in this channel")
    async def post(interaction: discord.Interaction, text: str = "hello channel") -> None:
        assert isinstance(interaction.channel, discord.TextChannel)
        try:
            message = await interaction.channel.send(text)
        except discord.Forbidden as exc:
            await interaction.response.send_message(
                f"forbidden {exc.status} {exc.code}", ephemeral=True
            )
        except discord.HTTPException as exc:
            await interaction.response.send_message(
                f"failed {type(exc).__name__} {exc.status}", ephemeral=True
            )
        else:
            await interaction.response.send_message(f"posted {message.id}", ephemeral=True)

    @tree.command(description="Count down in the channel")
    async def countdown(interaction: discord.Interaction, start: int = 2) -> None:
        await interaction.response.send_message("Counting down", ephemeral=True)
        channel = interaction.channel
        assert isinstance(channel, discord.TextChannel)

        async def loop() -> None:
            for n in range(start, 0, -1):
                await asyncio.sleep(0.02)
                await channel.send(f"{n}...")

        bot.loop.create_task(loop())

    @tree.command(description="Export notes as a file")
    async def export(interaction: discord.Interaction) -> None:
        file = discord.File(io.BytesIO(b"episode notes"), filename="notes.txt")
        await interaction.response.send_message("Here you go", file=file)

    @tree.command(description="Exercise channel, message and thread routes")
    async def manage(interaction: discord.Interaction, forum: discord.ForumChannel) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        channel = interaction.channel
        assert isinstance(channel, discord.TextChannel) and interaction.guild is not None
        notes: list[str] = []
        message = await channel.send("Poll: best OST track?")
        await message.add_reaction("👍")
        await message.pin()
        pins = [m async for m in channel.pins()]
        notes.append(f"pins={len(pins)}")
        edited = await message.edit(content="Poll: best OST track? (closed)")
        notes.append(f"edited={edited.edited_at is not None}")
        history = [m.content async for m in channel.history(limit=10)]
        notes.append(f"history={len(history)}")
        fetched = await channel.fetch_message(message.id)
        notes.append(f"reactions={[(str(r.emoji), r.count, r.me) for r in fetched.reactions]}")
        thread = await message.create_thread(name="Poll results")
        notes.append(f"thread_is_message={thread.id == message.id}")
        thread_msg = await thread.send("In the thread")
        await thread_msg.delete()
        await thread.edit(archived=True, locked=True)
        try:
            await thread.send("too late")
        except discord.HTTPException as exc:
            notes.append(f"archived={exc.code}")
        post = await forum.create_thread(name="Ep 3", content="Ep 3 talk")
        spoilers = discord.utils.get(forum.available_tags, name="Spoilers")
        assert spoilers is not None
        await post.thread.add_tags(spoilers)
        await message.unpin()
        fetched_channel = await interaction.client.fetch_channel(channel.id)
        notes.append(f"fetched={fetched_channel.name}")
        member = await interaction.guild.fetch_member(interaction.user.id)
        notes.append(f"member={member.name}")
        await interaction.followup.send(" ".join(notes))

    @tree.command(description="Too long, then apologise")
    async def ramble(interaction: discord.Interaction) -> None:
        try:
            await interaction.response.send_message("la" * 1001)
        except discord.HTTPException as exc:
            await interaction.response.send_message(f"Sorry ({exc.status} {exc.code})")

    @tree.context_menu(name="Mark as spoiler")
    async def mark_spoiler(interaction: discord.Interaction, message: discord.Message) -> None:
        await interaction.response.send_message(
            f"Marked {message.id}: {message.content}", ephemeral=True
        )

    @tree.context_menu(name="Profile")
    async def profile(interaction: discord.Interaction, member: discord.Member) -> None:
        await interaction.response.send_message(f"Profile of {member.name}", ephemeral=True)

    return bot


@dataclass
class Env:
    bot: commands.Bot
    emu: Emulator
    drv: Driver
    world: SampleServer
    log: LogCollector


# The test bot's forum posts use these tags.
FORUM_TAGS = ("Episode 1", "Episode 2", "Episode 3", "Episode 4", "Spoilers")


def sample_world(emu: Emulator) -> SampleServer:
    """The library's sample server, with the forum tags the test bot uses."""
    return sample_server(emu, forum_tags=FORUM_TAGS)
