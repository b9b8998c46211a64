"""/trivia: multiple-choice games with buttons, spoiler-capped, scored and kept.

The cog only routes: each game is a GameSession that owns its state and task.
"""

from __future__ import annotations

import asyncio
import logging
import random
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.embeds import base_embed
from bot.errors import UserFacingError
from bot.replies import send
from bot.ui import send_pages
from cogs.trivia._buttons import CLOSED, AnswerButton
from cogs.trivia._embeds import LETTERS, cap_text, rules_embed
from cogs.trivia._scoring import draw
from cogs.trivia._session import Answer, GameOptions, GameSession, Timings

if TYPE_CHECKING:
    from bot.app import SoundtrackBot

log = logging.getLogger(__name__)

Category = Literal["cast", "characters", "ost", "production", "plot"]
Difficulty = Literal["easy", "medium", "hard"]
LEADERBOARD_PAGE = 10
START_COOLDOWN = (1, 30.0)  # one start per 30 seconds per user


class Trivia(commands.GroupCog, group_name="trivia"):
    """Soundtrack #1 trivia games."""

    def __init__(self, bot: SoundtrackBot) -> None:
        self.bot = bot
        self.timings = Timings()
        self.sessions: dict[int, GameSession] = {}  # channel id -> running game
        self._recovery: asyncio.Task[None] | None = None
        super().__init__()

    async def cog_load(self) -> None:
        self._recovery = asyncio.create_task(self._report_interrupted_games())
        self._recovery.add_done_callback(_log_task_error)

    async def cog_unload(self) -> None:
        if self._recovery is not None:
            self._recovery.cancel()
        for session in list(self.sessions.values()):
            await session.cancel()
        self.sessions.clear()

    async def _report_interrupted_games(self) -> None:
        """Games still marked running were cut off by a restart: say so where they ran."""
        games = await self.bot.state.trivia.running_games()
        if not games:
            return
        await self.bot.wait_until_ready()
        for game in games:
            done = await self.bot.state.trivia.closed_rounds(game.id)
            await self.bot.state.trivia.end_game(game.id, "interrupted", "the bot restarted")
            channel = self.bot.get_channel(game.channel_id)
            if isinstance(channel, discord.abc.Messageable):
                try:
                    await channel.send(
                        f"The trivia game here was interrupted by a restart after {done} of "
                        f"{game.rounds} questions. Points from finished questions are kept; "
                        "start a new game with /trivia start."
                    )
                except discord.HTTPException:
                    log.warning("Could not report interrupted game %s", game.id)

    def session_for_game(self, game_id: int) -> GameSession | None:
        return next((s for s in self.sessions.values() if s.game_id == game_id), None)

    async def on_answer(
        self, interaction: discord.Interaction, game_id: int, round_number: int, choice: int
    ) -> None:
        session = self.session_for_game(game_id)
        outcome = (
            Answer.CLOSED
            if session is None
            else session.answer(interaction.user.id, round_number, choice)
        )
        if outcome is Answer.ACCEPTED:
            assert session is not None and session.round is not None
            option = session.round.options[choice]
            message = (
                f"Locked in: **{LETTERS[choice]}. {option}**. Results when the question closes."
            )
        elif outcome is Answer.DUPLICATE:
            message = "You already answered this question; your first answer counts."
        else:
            message = CLOSED
        await interaction.response.send_message(message, ephemeral=True)

    # -- commands -----------------------------------------------------------------------
    @app_commands.command(name="start")
    @app_commands.describe(
        rounds="How many questions (1-20, default 5)",
        category="Only questions of this kind",
        difficulty="Only questions of this difficulty",
        spoilers_up_to="Highest episode the questions may spoil (default: the server's default)",
        seconds="Seconds per question (10-60, default 20)",
    )
    @app_commands.checks.cooldown(*START_COOLDOWN, key=lambda i: i.user.id)
    async def start(
        self,
        interaction: discord.Interaction,
        rounds: app_commands.Range[int, 1, 20] = 5,
        category: Category | None = None,
        difficulty: Difficulty | None = None,
        spoilers_up_to: app_commands.Range[int, 0, 4] | None = None,
        seconds: app_commands.Range[int, 10, 60] = 20,
    ) -> None:
        """Start a trivia game in this channel."""
        channel = interaction.channel
        if (
            not isinstance(channel, discord.abc.Messageable)  # None, or a category/forum
            or interaction.channel_id is None
            or interaction.guild_id is None
        ):
            raise UserFacingError("Trivia runs in a server channel.")
        running = self.sessions.get(interaction.channel_id)
        if running is not None:
            link = running.round.message.jump_url if running.round and running.round.message else ""
            raise UserFacingError(f"A game is already running in this channel. {link}".strip())
        needed = ("send_messages", "embed_links", "read_message_history")
        if isinstance(channel, discord.Thread):
            needed = ("send_messages_in_threads", "embed_links", "read_message_history")
        missing = [p for p in needed if not getattr(interaction.app_permissions, p)]
        if missing:
            raise app_commands.BotMissingPermissions(missing)
        cap = spoilers_up_to
        if cap is None:
            cap = await self.bot.state.default_progress(interaction.guild_id)
        pool = await self.bot.facts.questions(
            max_level=cap, category=category, difficulty=difficulty
        )
        if not pool:
            raise UserFacingError("No questions match those choices; try fewer filters.")
        session_options = GameOptions(rounds, category, difficulty, cap, seconds)
        game_id = await self.bot.state.trivia.start_game(
            guild_id=interaction.guild_id,
            channel_id=interaction.channel_id,
            starter_id=interaction.user.id,
            rounds=rounds,
            category=category,
            difficulty=difficulty,
            spoiler_cap=cap,
            seconds=seconds,
        )
        rng = random.Random()
        session = GameSession(
            game_id=game_id,
            channel=channel,
            channel_id=interaction.channel_id,
            starter_id=interaction.user.id,
            options=session_options,
            questions=draw(pool, rounds, rng),
            state=self.bot.state,
            timings=self.timings,
            rng=rng,
        )
        self.sessions[interaction.channel_id] = session
        asked = len(session.questions)
        note = "" if asked == rounds else f" (only {asked} questions match those choices)"
        await interaction.response.send_message(
            f"Trivia starts now: {asked} questions{note}, {seconds} seconds each, spoilers "
            f"{cap_text(cap)}. Started by {interaction.user.mention}. `/trivia rules` for scoring."
        )
        session.start()
        assert session.task is not None
        session.task.add_done_callback(lambda _: self._forget(session))

    def _forget(self, session: GameSession) -> None:
        if self.sessions.get(session.channel_id) is session:
            del self.sessions[session.channel_id]

    @app_commands.command(name="stop")
    async def stop(self, interaction: discord.Interaction) -> None:
        """Stop the game in this channel (its starter, or anyone with Manage Messages)."""
        session = self.sessions.get(interaction.channel_id or 0)
        if session is None:
            raise UserFacingError("No trivia game is running in this channel.")
        allowed = (
            interaction.user.id == session.starter_id or interaction.permissions.manage_messages
        )
        if not allowed:
            raise UserFacingError(
                "Only the player who started this game, or someone with Manage Messages,"
                " can stop it."
            )
        session.request_stop(interaction.user.mention)
        await interaction.response.send_message(
            "Stopping after this question; points so far count.", ephemeral=True
        )

    @app_commands.command(name="leaderboard")
    @app_commands.describe(scope="This server or every server", period="All time or this month")
    async def leaderboard(
        self,
        interaction: discord.Interaction,
        scope: Literal["server", "global"] = "server",
        period: Literal["all-time", "month"] = "all-time",
    ) -> None:
        """The best trivia players."""
        guild_id = interaction.guild_id if scope == "server" else None
        if scope == "server" and guild_id is None:
            raise UserFacingError("In DMs only the global leaderboard exists: use scope:global.")
        since = None
        if period == "month":
            since = datetime.now(UTC).strftime("%Y-%m-01T00:00:00")
        rows = await self.bot.state.trivia.leaderboard(guild_id, since)
        title = f"Trivia leaderboard · {'this server' if guild_id else 'global'} · {period}"
        if not rows:
            await send(interaction, share=False, embed=base_embed(title, "No games played yet."))
            return
        pages = []
        for start in range(0, len(rows), LEADERBOARD_PAGE):
            lines = [
                f"{n}. <@{r.user_id}> — {r.points} points ({r.correct}/{r.answered} correct)"
                for n, r in enumerate(rows[start : start + LEADERBOARD_PAGE], start + 1)
            ]
            pages.append(base_embed(title, "\n".join(lines)))
        await send_pages(interaction, pages, share=False)

    @app_commands.command(name="stats")
    @app_commands.describe(user="Whose stats (default: yours)")
    async def stats(
        self, interaction: discord.Interaction, user: discord.User | None = None
    ) -> None:
        """Games, correct answers, accuracy and best streak."""
        target = user or interaction.user
        stats = await self.bot.state.trivia.stats(target.id)
        embed = base_embed(f"Trivia stats · {target.display_name}")
        embed.add_field(name="Games", value=str(stats.games))
        embed.add_field(name="Correct", value=f"{stats.correct}/{stats.answered}")
        embed.add_field(name="Accuracy", value=f"{stats.accuracy:.0%}")
        embed.add_field(name="Best streak", value=str(stats.best_streak))
        embed.add_field(name="Points", value=str(stats.points))
        await send(interaction, share=False, embed=embed)

    @app_commands.command(name="rules")
    async def rules(self, interaction: discord.Interaction) -> None:
        """How trivia scoring works."""
        await send(interaction, share=False, embed=rules_embed())


def _log_task_error(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("Trivia background task failed", exc_info=task.exception())


async def setup(bot: SoundtrackBot) -> None:
    bot.add_dynamic_items(AnswerButton)
    await bot.add_cog(Trivia(bot))
