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
from bot.facts.names import name_key
from bot.replies import send
from bot.store.records import Question
from bot.tree import send_ephemeral
from bot.ui import send_pages
from cogs.trivia._buttons import (
    ANSWER_FIELD,
    CLOSED,
    MODAL_PATTERN,
    AnswerButton,
    TeamButton,
    TypeButton,
    answer_modal,
    modal_values,
    team_view,
)
from cogs.trivia._embeds import LETTERS, cap_text, rules_embed
from cogs.trivia._hints import hint_text
from cogs.trivia._scoring import HINT_COST, draw
from cogs.trivia._session import Answer, Expected, GameOptions, GameSession, Timings

if TYPE_CHECKING:
    from bot.app import SoundtrackBot

log = logging.getLogger(__name__)

Category = Literal["cast", "characters", "ost", "production", "plot"]
Difficulty = Literal["easy", "medium", "hard"]
Mode = Literal["buttons", "typed", "mixed"]
Play = Literal["classic", "quickfire", "survival"]
REFUSALS = {
    Answer.DUPLICATE: "You already answered this question; your first answer counts.",
    Answer.CLOSED: CLOSED,
    Answer.OUT: "You're out of this survival game: a wrong answer ended it. Watch the others!",
    Answer.NOT_TYPED: "This question is answered with the lettered buttons.",
    Answer.NO_MORE_HINTS: "No more hints for this question.",
}
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
        else:
            message = REFUSALS.get(outcome, CLOSED)
        await interaction.response.send_message(message, ephemeral=True)

    async def on_open_answer(
        self, interaction: discord.Interaction, game_id: int, round_number: int
    ) -> None:
        """The "Answer" button: open the answer box while the question is open to them."""
        session = self.session_for_game(game_id)
        outcome = (
            Answer.CLOSED
            if session is None
            else session.can_type(interaction.user.id, round_number)
        )
        if outcome is not Answer.ACCEPTED or session is None or session.round is None:
            await interaction.response.send_message(REFUSALS.get(outcome, CLOSED), ephemeral=True)
            return
        question = session.round.question.question
        await interaction.response.send_modal(answer_modal(game_id, round_number, question))

    async def on_typed_answer(
        self, interaction: discord.Interaction, game_id: int, round_number: int, text: str
    ) -> None:
        session = self.session_for_game(game_id)
        if session is None:
            await send_ephemeral(interaction, CLOSED)
            return
        outcome, _ = session.answer_typed(interaction.user.id, round_number, text)
        if outcome is Answer.ACCEPTED:
            shown = discord.utils.escape_markdown(text.strip()[:100])
            message = f"Locked in: **{shown}**. Results when the question closes."
        else:
            message = REFUSALS.get(outcome, CLOSED)
        await send_ephemeral(interaction, message)

    async def on_hint(
        self, interaction: discord.Interaction, game_id: int, round_number: int
    ) -> None:
        session = self.session_for_game(game_id)
        if session is None:
            await interaction.response.send_message(CLOSED, ephemeral=True)
            return
        outcome, taken, available = session.hint(interaction.user.id, round_number)
        if outcome is Answer.ACCEPTED:
            message = (
                hint_text(available, taken)
                + f"\nA right answer now scores {HINT_COST * taken} points less."
            )
        elif outcome is Answer.NO_MORE_HINTS:
            message = hint_text(available, taken) + "\nThat was the last hint."
        else:
            message = REFUSALS.get(outcome, CLOSED)
        await interaction.response.send_message(message, ephemeral=True)

    async def on_join(self, interaction: discord.Interaction, game_id: int, team: int) -> None:
        session = self.session_for_game(game_id)
        if session is None:
            await interaction.response.send_message("This game is over.", ephemeral=True)
            return
        if not 1 <= team <= session.options.teams:
            await interaction.response.send_message("That team does not exist.", ephemeral=True)
            return
        joined, yours = session.join(interaction.user.id, team)
        message = (
            f"You're on **Team {yours}**. Answer the questions to score for it."
            if joined
            else f"You're already on **Team {yours}** for this game."
        )
        await interaction.response.send_message(message, ephemeral=True)

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Typed answers arrive as modal submissions, routed by their custom id."""
        if interaction.type is not discord.InteractionType.modal_submit:
            return
        data = interaction.data or {}
        custom_id = str(data.get("custom_id", ""))
        match = MODAL_PATTERN.fullmatch(custom_id)
        if match is None:
            return
        text = modal_values(data).get(ANSWER_FIELD, "")
        try:
            await self.on_typed_answer(interaction, int(match["game"]), int(match["round"]), text)
        except discord.HTTPException:
            log.warning("Could not answer a typed trivia answer", exc_info=True)

    def expected_for(self, question: Question) -> Expected:
        """Every spelling of the answer the store knows, and the wrong names to hold it
        apart from: the wrong options' spellings and every other name of the same kind."""
        facts = self.bot.facts
        right = [question.answer, *question.aliases]
        kind = None
        entity = facts.entity_named(question.answer)
        if entity is not None:
            right += facts.aliases_of(*entity)
            kind = facts.kind_of(*entity)
        wrong = list(question.wrong)
        for option in question.wrong:
            other = facts.entity_named(option)
            if other is not None:
                wrong += facts.aliases_of(*other)
        if entity is not None:
            keys = {name_key(r) for r in right}
            wrong += [n for n in facts.names_of_type(entity[0]) if name_key(n) not in keys]
        return Expected(tuple(dict.fromkeys(right)), tuple(dict.fromkeys(wrong)), kind)

    # -- commands -----------------------------------------------------------------------
    @app_commands.command(name="start")
    @app_commands.describe(
        rounds="How many questions (1-20, default 5)",
        category="Only questions of this kind",
        difficulty="Only questions of this difficulty",
        spoilers_up_to="Highest episode the questions may spoil (default: the server's default)",
        seconds="Seconds per question (10-60, default 20)",
        mode="Answer with buttons, by typing, or both in turn (default: buttons)",
        play="classic; quickfire: first right answer takes it; survival: wrong answer, you're out",
        teams="Play in 2-4 teams: players join one with a button (default: no teams)",
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
        mode: Mode = "buttons",
        play: Play = "classic",
        teams: app_commands.Range[int, 2, 4] | None = None,
    ) -> None:
        """Start a trivia game in this channel."""
        channel = interaction.channel
        if channel is None or interaction.channel_id is None or interaction.guild_id is None:
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
        settings = await self.bot.state.custom_questions.settings(interaction.guild_id)
        if settings.custom_questions:
            pool += await self.bot.state.custom_questions.questions(
                interaction.guild_id, max_level=cap, category=category, difficulty=difficulty
            )
        if not pool:
            raise UserFacingError("No questions match those choices; try fewer filters.")
        session_options = GameOptions(
            rounds, category, difficulty, cap, seconds, mode, play, teams or 0
        )
        game_id = await self.bot.state.trivia.start_game(
            guild_id=interaction.guild_id,
            channel_id=interaction.channel_id,
            starter_id=interaction.user.id,
            rounds=rounds,
            category=category,
            difficulty=difficulty,
            spoiler_cap=cap,
            seconds=seconds,
            mode=mode,
            play=play,
            teams=teams or 0,
        )
        rng = random.Random()
        drawn = draw(pool, rounds, rng)
        session = GameSession(
            game_id=game_id,
            channel=channel,  # type: ignore[arg-type]
            channel_id=interaction.channel_id,
            starter_id=interaction.user.id,
            options=session_options,
            questions=drawn,
            state=self.bot.state,
            timings=self.timings,
            rng=rng,
            expected={q.id: self.expected_for(q) for q in drawn} if mode != "buttons" else None,
        )
        self.sessions[interaction.channel_id] = session
        asked = len(session.questions)
        note = "" if asked == rounds else f" (only {asked} questions match those choices)"
        how = {"typed": ", answers typed", "mixed": ", typed and button questions in turn"}
        rules = {"quickfire": ", quickfire", "survival": ", survival"}
        extra = how.get(mode, "") + rules.get(play, "")
        if teams:
            extra += f", {teams} teams (join one below; otherwise your first answer picks one)"
        start_text = (
            f"Trivia starts now: {asked} questions{note}, {seconds} seconds each{extra}, spoilers "
            f"{cap_text(cap)}. Started by {interaction.user.mention}. `/trivia rules` for scoring."
        )
        if teams:
            await interaction.response.send_message(start_text, view=team_view(game_id, teams))
        else:
            await interaction.response.send_message(start_text)
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
    bot.add_dynamic_items(AnswerButton, TypeButton, TeamButton)
    await bot.add_cog(Trivia(bot))
