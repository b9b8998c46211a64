"""/trivia: multiple-choice games with buttons, spoiler-capped, scored and kept.

The cog only routes: each game is a GameSession that owns its state and task.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.embeds import base_embed
from bot.episodes import ProgressOption
from bot.errors import UserFacingError, interaction_gone
from bot.i18n import N_, t
from bot.permissions import require_bot, trivia_game_needs
from bot.respond import log_interaction_gone, ready_or_deferred, send, send_ephemeral
from bot.store.trivia_custom import custom_number
from bot.trivia.custom import InvalidQuestion, validate_question
from bot.ui import send_pages
from cogs.trivia._announcement import Announcement
from cogs.trivia._buttons import (
    ANSWER_FIELD,
    CLOSED,
    GAME_OVER,
    MODAL_PATTERN,
    AnswerButton,
    TeamButton,
    TypeButton,
    answer_modal,
    modal_values,
    route_answers,
    team_view,
)
from cogs.trivia._cards import LETTERS, cap_text, choice_word, rules_embed
from cogs.trivia._daily import DailyButton, DailyPoster, DailyQuestions, due_at, parse_time
from cogs.trivia._expected import expected_for
from cogs.trivia._forms import FORM_PATTERN, question_form, read_form
from cogs.trivia._hints import hint_text
from cogs.trivia._scoring import HINT_COST, draw
from cogs.trivia._session import ANNOUNCE_TIMEOUT, Answer, GameOptions, GameSession, Timings

if TYPE_CHECKING:
    from bot.app import SoundtrackBot

log = logging.getLogger(__name__)

Category = Literal["cast", "characters", "ost", "production", "plot"]
Difficulty = Literal["easy", "medium", "hard"]
Mode = Literal["buttons", "typed", "mixed"]
Play = Literal["classic", "quickfire", "survival"]
REFUSALS = {
    Answer.DUPLICATE: N_("You already answered this question; your first answer counts."),
    Answer.CLOSED: CLOSED,
    Answer.OUT: N_("You're out of this survival game: a wrong answer ended it. Watch the others!"),
    Answer.NOT_TYPED: N_("This question is answered with the lettered buttons."),
    Answer.NO_MORE_HINTS: N_("No more hints for this question."),
}


def refusal(interaction: discord.Interaction, outcome: Answer) -> str:
    """Why an answer, hint or answer box was refused, in the player's language."""
    return t(interaction, REFUSALS.get(outcome, CLOSED))


LEADERBOARD_PAGE = 10
CUSTOM_PAGE = 5
DAILY_POLL = 300.0  # seconds between looks at the daily schedule when nothing is due sooner
START_COOLDOWN = (1, 30.0)  # one start per 30 seconds per user
# /trivia start answers in its one callback once the game row is written, normally within
# milliseconds; when the state writer is busy longer than this (or the interaction reached
# the handler late, ACK_BY seconds after Discord made it), it acknowledges first.
DEFER_AFTER = 1.0
ACK_BY = 2.0


class Trivia(commands.GroupCog, group_name="trivia"):
    """Soundtrack #1 trivia games."""

    def __init__(self, bot: SoundtrackBot) -> None:
        self.bot = bot
        self.timings = Timings()
        self.sessions: dict[int, GameSession] = {}  # channel id -> running game
        self._starting: set[int] = set()  # channels whose game row is being written
        self._tasks: set[asyncio.Task[None]] = set()  # cleanups that must not be dropped
        self.defer_after = DEFER_AFTER
        self._recovery: asyncio.Task[None] | None = None
        # The daily question's clock and poll interval: tests swap in a fake clock.
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)
        self.poll_interval = DAILY_POLL
        self.daily_questions = DailyQuestions(bot, lambda: self.clock())
        self.daily_poster = DailyPoster(
            bot, self.post_daily, lambda: self.clock(), lambda: self.poll_interval
        )
        super().__init__()

    async def cog_load(self) -> None:
        route_answers(self.bot, self)
        self._recovery = asyncio.create_task(self._report_interrupted_games())
        self._recovery.add_done_callback(_log_task_error)
        self.daily_poster.start()

    async def cog_unload(self) -> None:
        await self.daily_poster.stop()
        route_answers(self.bot, None)
        if self._recovery is not None:
            self._recovery.cancel()
        for session in list(self.sessions.values()):
            await session.cancel()
        self.sessions.clear()
        if self._tasks:  # a game row still being written is marked failed, not left running
            await asyncio.wait(self._tasks, timeout=ANNOUNCE_TIMEOUT)

    async def _report_interrupted_games(self) -> None:
        """Games still marked running were cut off by a restart: say so where they ran."""
        games = await self.bot.state.trivia.running_games()
        if not games:
            return
        await self.bot.wait_until_ready()
        for game in games:
            if not self.bot.serves(game.guild_id):
                continue  # another process runs (or ran) that server's games
            done = await self.bot.state.trivia.closed_rounds(game.id)
            # The one process whose update ends the game reports it.
            if not await self.bot.state.trivia.end_game(
                game.id, "interrupted", "the bot restarted"
            ):
                continue
            channel = self.bot.get_channel(game.channel_id)
            if isinstance(channel, discord.abc.Messageable):
                try:
                    await channel.send(
                        t(
                            getattr(channel, "guild", None),
                            "The trivia game here was interrupted by a restart after {done} of "
                            "{rounds} questions. Points from finished questions are kept; "
                            "start a new game with /trivia start.",
                            done=done,
                            rounds=game.rounds,
                        )
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
            message = t(
                interaction,
                "Locked in: **{answer}**. Results when the question closes.",
                answer=f"{LETTERS[choice]}. {option}",
            )
        else:
            message = refusal(interaction, outcome)
        # If Discord takes the acknowledgement too late, an accepted answer still counts
        # and shows in the question's result.
        await _answer_click(interaction.response.send_message(message, ephemeral=True), interaction)

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
            await _answer_click(
                interaction.response.send_message(refusal(interaction, outcome), ephemeral=True),
                interaction,
            )
            return
        question = session.round.question.question
        modal = answer_modal(game_id, round_number, question, interaction)
        await _answer_click(interaction.response.send_modal(modal), interaction)

    async def on_typed_answer(
        self, interaction: discord.Interaction, game_id: int, round_number: int, text: str
    ) -> None:
        session = self.session_for_game(game_id)
        if session is None:
            await send_ephemeral(interaction, t(interaction, CLOSED))
            return
        outcome, _ = session.answer_typed(interaction.user.id, round_number, text)
        if outcome is Answer.ACCEPTED:
            shown = discord.utils.escape_markdown(text.strip()[:100])
            message = t(
                interaction,
                "Locked in: **{answer}**. Results when the question closes.",
                answer=shown,
            )
        else:
            message = refusal(interaction, outcome)
        await send_ephemeral(interaction, message)

    async def on_hint(
        self, interaction: discord.Interaction, game_id: int, round_number: int
    ) -> None:
        session = self.session_for_game(game_id)
        if session is None:
            await interaction.response.send_message(t(interaction, CLOSED), ephemeral=True)
            return
        outcome, taken, available = session.hint(interaction.user.id, round_number, interaction)
        if outcome is Answer.ACCEPTED:
            message = (
                hint_text(available, taken, interaction)
                + "\n"
                + t(
                    interaction,
                    "A right answer now scores {points} points less.",
                    points=HINT_COST * taken,
                )
            )
        elif outcome is Answer.NO_MORE_HINTS:
            message = (
                hint_text(available, taken, interaction)
                + "\n"
                + t(interaction, "That was the last hint.")
            )
        else:
            message = refusal(interaction, outcome)
        await _answer_click(interaction.response.send_message(message, ephemeral=True), interaction)

    async def on_join(self, interaction: discord.Interaction, game_id: int, team: int) -> None:
        session = self.session_for_game(game_id)
        if session is None:
            await interaction.response.send_message(t(interaction, GAME_OVER), ephemeral=True)
            return
        if not 1 <= team <= session.options.teams:
            await interaction.response.send_message(
                t(interaction, "That team does not exist."), ephemeral=True
            )
            return
        joined, yours = session.join(interaction.user.id, team)
        message = (
            t(
                interaction,
                "You're on **Team {team}**. Answer the questions to score for it.",
                team=yours,
            )
            if joined
            else t(interaction, "You're already on **Team {team}** for this game.", team=yours)
        )
        await interaction.response.send_message(message, ephemeral=True)

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Typed answers arrive as modal submissions, routed by their custom id."""
        if interaction.type is not discord.InteractionType.modal_submit:
            return
        data: Any = interaction.data or {}
        custom_id = str(data.get("custom_id", ""))
        try:
            if match := MODAL_PATTERN.fullmatch(custom_id):
                text = modal_values(data).get(ANSWER_FIELD, "")
                await self.on_typed_answer(
                    interaction, int(match["game"]), int(match["round"]), text
                )
            elif match := FORM_PATTERN.fullmatch(custom_id):
                number = int(match["number"]) if match["number"] else None
                await self.on_question_form(interaction, number)
        except discord.HTTPException:
            log.warning("Could not answer a trivia form", exc_info=True)
        except Exception:
            log.exception("Trivia form %s failed", custom_id)
            await send_ephemeral(
                interaction, t(interaction, "Something went wrong on my side; nothing changed.")
            )

    async def on_question_form(self, interaction: discord.Interaction, number: int | None) -> None:
        """A moderator's question from /trivia add (or /trivia custom edit): checked, kept."""
        if interaction.guild_id is None or not interaction.permissions.manage_messages:
            await send_ephemeral(
                interaction, t(interaction, "Only members with Manage Messages add questions.")
            )
            return
        fields = read_form(interaction.data)
        try:
            question = validate_question(
                fields.get("question", ""),
                fields.get("answer", ""),
                fields.get("wrong", "").splitlines(),
                fields.get("category", ""),
                fields.get("episode", ""),
                fields.get("aliases", "").splitlines(),
                episode_count=self.bot.facts.episode_count,
            )
        except InvalidQuestion as error:
            # The reason is the validator's own (English) sentence.
            await send_ephemeral(
                interaction,
                t(interaction, "Not saved: {error} Run the command again to retry.", error=error),
            )
            return
        records = self.bot.state.custom_questions
        if number is not None:
            changed = await records.update(interaction.guild_id, number, question)
            message = (
                t(interaction, "Question #{number} updated.", number=number)
                if changed
                else t(interaction, "That question is gone.")
            )
        else:
            added = await records.add(interaction.guild_id, interaction.user.id, question)
            if added is None:
                message = t(
                    interaction,
                    "This server already has a question with that text; nothing changed.",
                )
            else:
                spoils = cap_text(question.spoiler_level, interaction)
                message = t(
                    interaction,
                    "Saved as question #{number} (spoilers: {spoils}).",
                    number=added,
                    spoils=spoils,
                )
        settings = await records.settings(interaction.guild_id)
        if not settings.custom_questions:
            message += " " + t(
                interaction,
                "Games play this server's questions once `/trivia custom enable` is on.",
            )
        await send_ephemeral(interaction, message)

    # -- the daily question ---------------------------------------------------------------
    async def post_daily(self, guild_id: int, channel_id: int, day: str) -> None:
        await self.daily_questions.post(guild_id, channel_id, day)

    async def on_daily_answer(
        self, interaction: discord.Interaction, guild_id: int, day: str, choice: int
    ) -> None:
        message = await self.daily_questions.answer(
            guild_id, day, interaction.user.id, choice, interaction
        )
        await interaction.response.send_message(message, ephemeral=True)

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
        spoilers_up_to: ProgressOption | None = None,
        seconds: app_commands.Range[int, 10, 60] = 20,
        mode: Mode = "buttons",
        play: Play = "classic",
        teams: app_commands.Range[int, 2, 4] | None = None,
    ) -> None:
        """Start a trivia game in this channel."""
        channel = interaction.channel
        if (
            not isinstance(channel, discord.abc.Messageable)  # None, or a category/forum
            or interaction.channel_id is None
            or interaction.guild_id is None
        ):
            raise UserFacingError(N_("Trivia runs in a server channel."))
        running = self.sessions.get(interaction.channel_id)
        if running is not None:
            link = running.round.message.jump_url if running.round and running.round.message else ""
            if link:
                raise UserFacingError(
                    N_("A game is already running in this channel. {link}"), link=link
                )
            raise UserFacingError(N_("A game is already running in this channel."))
        require_bot(interaction.app_permissions, trivia_game_needs(channel))
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
            raise UserFacingError(N_("No questions match those choices; try fewer filters."))
        session_options = GameOptions(
            rounds, category, difficulty, cap, seconds, mode, play, teams or 0
        )
        rng = random.Random()
        drawn = draw(pool, rounds, rng)
        expected = (
            {q.id: await expected_for(self.bot.facts, q) for q in drawn}
            if mode != "buttons"
            else None
        )
        # Another start here may have got this far while this one was drawing questions.
        if interaction.channel_id in self._starting or interaction.channel_id in self.sessions:
            raise UserFacingError(N_("A game is already running in this channel."))
        self._starting.add(interaction.channel_id)
        try:
            session = await self._create_in_time(
                interaction,
                guild_id=interaction.guild_id,
                channel=channel,
                channel_id=interaction.channel_id,
                starter_id=interaction.user.id,
                options=session_options,
                questions=drawn,
                state=self.bot.state,
                timings=self.timings,
                rng=rng,
                expected=expected,
            )
        finally:
            self._starting.discard(interaction.channel_id)
        self.sessions[interaction.channel_id] = session
        asked = len(session.questions)
        # The announcement is the starter's reply, so in their language; its pieces are
        # catalog msgids of their own.
        note = (
            ""
            if asked == rounds
            else " " + t(interaction, "(only {count} questions match those choices)", count=asked)
        )
        how = {
            "typed": N_("answers typed"),
            "mixed": N_("typed and button questions in turn"),
        }
        extras = [t(interaction, how[mode])] if mode in how else []
        if play != "classic":
            extras.append(choice_word(play, interaction))
        if teams:
            extras.append(
                t(
                    interaction,
                    "{count} teams (join one below; otherwise your first answer picks one)",
                    count=teams,
                )
            )
        extra = "".join(", " + e for e in extras)
        start_text = t(
            interaction,
            "Trivia starts now: {count} questions{note}, {seconds} seconds each{extra}, "
            "spoilers {cap}. Started by {who}. `/trivia rules` for scoring.",
            count=asked,
            note=note,
            seconds=seconds,
            extra=extra,
            cap=cap_text(cap, interaction),
            who=interaction.user.mention,
        )
        view = team_view(session.game_id, teams, interaction) if teams else discord.utils.MISSING
        try:
            if interaction.response.is_done():  # deferred: the row took its time
                message = await interaction.edit_original_response(content=start_text, view=view)
                message_id = message.id
            else:
                callback = await interaction.response.send_message(start_text, view=view)
                message_id = callback.message_id  # type: ignore[assignment]
        except discord.HTTPException:
            # Nobody saw the game start: leave nothing of it behind (no session blocking the
            # channel, no game row left running).
            self._forget(session)
            await self.bot.state.trivia.end_game(
                session.game_id, "failed", "its start message failed"
            )
            raise
        session.start(Announcement(interaction, message_id, channel))  # type: ignore[arg-type]
        assert session.task is not None
        session.task.add_done_callback(lambda _: self._forget(session))

    async def _create_in_time(
        self, interaction: discord.Interaction, **session: Any
    ) -> GameSession:
        """Write the game row, then return its session. The row is written before anyone
        sees the game start, so that a restart always reports it; when the state writer is
        busy past `defer_after`, the interaction is acknowledged first ("thinking…"), so
        that Discord's 3 seconds never run out. The row is written once: a write still
        under way when this fails (the acknowledgement refused, a shutdown) is awaited in
        the background and its game marked failed, never left running."""
        creating = asyncio.ensure_future(GameSession.create(**session))
        try:
            # Shielded: the write goes on if this handler is cancelled meanwhile.
            return await ready_or_deferred(
                interaction,
                asyncio.shield(creating),
                after=self._ack_budget(interaction),
                ephemeral=False,
            )
        except BaseException:
            self._background(self._fail_unannounced(creating))
            raise

    def _ack_budget(self, interaction: discord.Interaction) -> float:
        """How long to wait for the row before acknowledging: `defer_after`, or less when
        the interaction reached this handler late, so that the acknowledgement still goes
        out by `ACK_BY` seconds after Discord made it."""
        age = (discord.utils.utcnow() - interaction.created_at).total_seconds()
        return max(0.0, min(self.defer_after, ACK_BY - age))

    async def _fail_unannounced(self, creating: asyncio.Future[GameSession]) -> None:
        try:
            session = await creating
        except Exception:  # nothing written (the error itself is answered and logged)
            return
        await self.bot.state.trivia.end_game(session.game_id, "failed", "its start failed")

    def _background(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        task.add_done_callback(_log_task_error)

    def _forget(self, session: GameSession) -> None:
        if self.sessions.get(session.channel_id) is session:
            del self.sessions[session.channel_id]

    @app_commands.command(name="stop")
    async def stop(self, interaction: discord.Interaction) -> None:
        """Stop the game in this channel (its starter, or anyone with Manage Messages)."""
        session = self.sessions.get(interaction.channel_id or 0)
        if session is None:
            raise UserFacingError(N_("No trivia game is running in this channel."))
        allowed = (
            interaction.user.id == session.starter_id or interaction.permissions.manage_messages
        )
        if not allowed:
            raise UserFacingError(
                N_(
                    "Only the player who started this game, or someone with Manage Messages,"
                    " can stop it."
                )
            )
        session.request_stop(interaction.user.mention)
        await interaction.response.send_message(
            t(interaction, "Stopping after this question; points so far count."), ephemeral=True
        )

    @app_commands.command(name="leaderboard")
    @app_commands.describe(
        scope="This server or every server",
        period="All time, this month, or this server's running season",
    )
    async def leaderboard(
        self,
        interaction: discord.Interaction,
        scope: Literal["server", "global"] = "server",
        period: Literal["all-time", "month", "season"] = "all-time",
    ) -> None:
        """The best trivia players."""
        guild_id = interaction.guild_id if scope == "server" else None
        if scope == "server" and guild_id is None:
            raise UserFacingError(
                N_("In DMs only the global leaderboard exists: use scope:global.")
            )
        since = None
        label = choice_word(period, interaction)
        if period == "month":
            since = datetime.now(UTC).strftime("%Y-%m-01T00:00:00")
        elif period == "season":
            season = await self.bot.state.seasons.current(guild_id) if guild_id else None
            if season is None:
                raise UserFacingError(
                    N_(
                        "No season is running in this server: a moderator starts one with"
                        " `/trivia season start`."
                    )
                )
            since = season.started_at
            label = t(interaction, "season {name}", name=season.name)
        rows = await self.bot.state.trivia.leaderboard(guild_id, since)
        title = t(
            interaction,
            "Trivia leaderboard · {scope} · {period}",
            scope=choice_word("this server" if guild_id else "global", interaction),
            period=label,
        )
        if not rows:
            empty = base_embed(title, t(interaction, "No games played yet."))
            await send(interaction, share=False, embed=empty)
            return
        pages = []
        for start in range(0, len(rows), LEADERBOARD_PAGE):
            lines = [
                t(
                    interaction,
                    "{rank}. <@{user}> — {points} points ({correct}/{answered} correct)",
                    rank=n,
                    user=r.user_id,
                    points=r.points,
                    correct=r.correct,
                    answered=r.answered,
                )
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
        embed = base_embed(t(interaction, "Trivia stats · {name}", name=target.display_name))
        embed.add_field(name=t(interaction, "Games"), value=str(stats.games))
        embed.add_field(name=t(interaction, "Correct"), value=f"{stats.correct}/{stats.answered}")
        embed.add_field(name=t(interaction, "Accuracy"), value=f"{stats.accuracy:.0%}")
        embed.add_field(name=t(interaction, "Best streak"), value=str(stats.best_streak))
        embed.add_field(name=t(interaction, "Points"), value=str(stats.points))
        await send(interaction, share=False, embed=embed)

    @app_commands.command(name="rules")
    async def rules(self, interaction: discord.Interaction) -> None:
        """How trivia scoring works."""
        await send(interaction, share=False, embed=rules_embed(interaction))

    # -- server-written questions ----------------------------------------------------------
    @app_commands.command(name="add")
    @app_commands.checks.has_permissions(manage_messages=True)
    async def add(self, interaction: discord.Interaction) -> None:
        """Write a trivia question for this server (Manage Messages)."""
        _guild(interaction)
        await interaction.response.send_modal(
            question_form(self.bot.facts.episode_count, where=interaction)
        )

    custom = app_commands.Group(
        name="custom", description="This server's own trivia questions (Manage Messages)"
    )

    async def _custom_numbers(
        self, interaction: discord.Interaction, value: str
    ) -> list[app_commands.Choice[int]]:
        if interaction.guild_id is None:
            return []
        questions = await self.bot.state.custom_questions.questions(interaction.guild_id)
        wanted = value.casefold().strip().lstrip("#")
        return [
            app_commands.Choice(name=f"#{number} {q.question}"[:100], value=number)
            for q in questions
            if (number := custom_number(q.id)) is not None
            and (not wanted or wanted in q.question.casefold() or wanted == str(number))
        ][:25]

    @custom.command(name="list")
    @app_commands.checks.has_permissions(manage_messages=True)
    async def custom_list(self, interaction: discord.Interaction) -> None:
        """This server's questions with their answers (only you see them)."""
        guild_id = _guild(interaction)
        questions = await self.bot.state.custom_questions.questions(guild_id)
        settings = await self.bot.state.custom_questions.settings(guild_id)
        state = (
            t(interaction, "on")
            if settings.custom_questions
            else t(interaction, "off (`/trivia custom enable`)")
        )
        title = t(
            interaction,
            "This server's trivia questions · {count} · in games: {state}",
            count=len(questions),
            state=state,
        )
        if not questions:
            embed = base_embed(title, t(interaction, "None yet: `/trivia add`."))
            await send(interaction, share=False, embed=embed)
            return
        pages = []
        escape = discord.utils.escape_markdown
        for start in range(0, len(questions), CUSTOM_PAGE):
            lines = [
                t(
                    interaction,
                    "**#{number}** · {category} · spoils {cap}",
                    number=custom_number(q.id),
                    category=choice_word(q.category, interaction),
                    cap=cap_text(q.spoiler_level, interaction),
                )
                + f"\n{escape(q.question)}\n"
                + t(
                    interaction,
                    "Answer: {answer} · wrong: {wrong}",
                    answer=escape(q.answer),
                    wrong=escape(", ".join(q.wrong)),
                )
                for q in questions[start : start + CUSTOM_PAGE]
            ]
            pages.append(base_embed(title, "\n\n".join(lines)))
        await send_pages(interaction, pages, share=False)

    @custom.command(name="remove")
    @app_commands.describe(number="The question's number (see /trivia custom list)")
    @app_commands.checks.has_permissions(manage_messages=True)
    async def custom_remove(self, interaction: discord.Interaction, number: int) -> None:
        """Remove one of this server's questions."""
        removed = await self.bot.state.custom_questions.remove(_guild(interaction), number)
        if not removed:
            raise UserFacingError(N_("This server has no question #{number}."), number=number)
        await send(
            interaction,
            share=False,
            content=t(interaction, "Question #{number} removed.", number=number),
        )

    @custom.command(name="edit")
    @app_commands.describe(number="The question's number (see /trivia custom list)")
    @app_commands.checks.has_permissions(manage_messages=True)
    async def custom_edit(self, interaction: discord.Interaction, number: int) -> None:
        """Change one of this server's questions."""
        existing = await self.bot.state.custom_questions.get(_guild(interaction), number)
        if existing is None:
            raise UserFacingError(N_("This server has no question #{number}."), number=number)
        await interaction.response.send_modal(
            question_form(self.bot.facts.episode_count, existing, number, interaction)
        )

    custom_remove.autocomplete("number")(_custom_numbers)
    custom_edit.autocomplete("number")(_custom_numbers)

    @custom.command(name="enable")
    @app_commands.describe(enabled="Play this server's questions alongside the store's")
    @app_commands.checks.has_permissions(manage_messages=True)
    async def custom_enable(self, interaction: discord.Interaction, enabled: bool) -> None:
        """Turn this server's own questions in games on or off."""
        await self.bot.state.custom_questions.set_custom_enabled(_guild(interaction), enabled)
        text = (
            t(interaction, "This server's questions now play alongside the rest.")
            if enabled
            else t(interaction, "This server's questions no longer play with the rest.")
        )
        await send(interaction, share=False, content=text)

    # -- seasons ----------------------------------------------------------------------------
    season = app_commands.Group(name="season", description="Named trivia seasons, winners kept")

    @season.command(name="start")
    @app_commands.describe(name="What to call the season, e.g. Winter 2026")
    @app_commands.checks.has_permissions(manage_messages=True)
    async def season_start(
        self, interaction: discord.Interaction, name: app_commands.Range[str, 1, 50]
    ) -> None:
        """Start a named season: its leaderboard counts games from now (Manage Messages)."""
        clean = discord.utils.escape_mentions(" ".join(name.split()))
        if not clean:
            raise UserFacingError(N_("Give the season a name."))
        started = await self.bot.state.seasons.start(
            _guild(interaction), clean, interaction.user.id, self.clock()
        )
        if started is None:
            running = await self.bot.state.seasons.current(_guild(interaction))
            raise UserFacingError(
                N_("Season **{name}** is still running: end it first with `/trivia season end`."),
                name=running.name if running else "?",
            )
        await send(
            interaction,
            share=True,
            content=t(
                interaction,
                "Trivia season **{name}** starts now! Every game from here counts: "
                "`/trivia leaderboard period:season`.",
                name=discord.utils.escape_markdown(clean),
            ),
        )

    @season.command(name="end")
    @app_commands.checks.has_permissions(manage_messages=True)
    async def season_end(self, interaction: discord.Interaction) -> None:
        """End the running season and crown its winner (Manage Messages)."""
        ended = await self.bot.state.seasons.end(
            _guild(interaction), interaction.user.id, self.clock()
        )
        if ended is None:
            raise UserFacingError(N_("No season is running in this server."))
        name = discord.utils.escape_markdown(ended.name)
        if ended.winner_id is None:
            text = t(
                interaction,
                "Season **{name}** is over. Nobody scored, so it has no winner.",
                name=name,
            )
        else:
            text = t(
                interaction,
                "Season **{name}** is over! 🏆 <@{user}> wins it with {points} points.",
                name=name,
                user=ended.winner_id,
                points=ended.winner_points,
            )
        await send(interaction, share=True, content=text)

    @season.command(name="list")
    async def season_list(self, interaction: discord.Interaction) -> None:
        """This server's seasons and their winners."""
        seasons = await self.bot.state.seasons.history(_guild(interaction))
        if not seasons:
            raise UserFacingError(N_("This server has had no trivia seasons yet."))
        lines = []
        for s in seasons:
            name = discord.utils.escape_markdown(s.name)
            if s.ended_at is None:
                line = t(interaction, "running since {start}", start=s.started_at[:10])
            else:
                line = t(
                    interaction, "{start} to {end}", start=s.started_at[:10], end=s.ended_at[:10]
                )
                if s.winner_id is None:
                    line += " · " + t(interaction, "no winner")
                else:
                    line += " · " + t(
                        interaction,
                        "🏆 <@{user}> ({points} points)",
                        user=s.winner_id,
                        points=s.winner_points,
                    )
            lines.append(f"**{name}** · {line}")
        embed = base_embed(t(interaction, "Trivia seasons"), "\n".join(lines))
        await send(interaction, share=False, embed=embed)

    # -- the daily question -----------------------------------------------------------------
    daily = app_commands.Group(name="daily", description="One trivia question a day")

    @daily.command(name="set")
    @app_commands.describe(
        enabled="Post a daily question in this server",
        channel="Where to post it (default: this channel)",
        at="Time of day to post it, HH:MM in UTC (default 18:00)",
    )
    @app_commands.checks.has_permissions(manage_guild=True)
    async def daily_set(
        self,
        interaction: discord.Interaction,
        enabled: bool,
        channel: discord.TextChannel | None = None,
        at: app_commands.Range[str, 3, 5] = "18:00",
    ) -> None:
        """Turn the daily question on or off (Manage Server)."""
        guild_id = _guild(interaction)
        when = parse_time(at)
        if when is None:
            raise UserFacingError(N_("Give the time as HH:MM in UTC, for example 18:00."))
        target = channel.id if channel else interaction.channel_id
        await self.bot.state.custom_questions.set_daily(guild_id, enabled, target, when)
        self.daily_poster.wake()
        if not enabled:
            await send(
                interaction, share=False, content=t(interaction, "The daily question is off.")
            )
            return
        now = self.clock()
        due = due_at(now.date(), when)
        posted = await self.bot.state.daily.posted(guild_id, now.date().isoformat())
        if now >= due and posted is not None:
            due = due_at(now.date() + timedelta(days=1), when)
        moment = int(due.timestamp())
        await send(
            interaction,
            share=False,
            content=t(
                interaction,
                "A daily question goes to <#{channel}> every day at {time} UTC "
                "(your time: {local}); the next one {next}.",
                channel=target,
                time=when,
                local=f"<t:{moment}:t>",
                next=f"<t:{moment}:R>",
            ),
        )


def _guild(interaction: discord.Interaction) -> int:
    if interaction.guild_id is None:
        raise UserFacingError(N_("That works in a server only."))
    return interaction.guild_id


async def _answer_click(
    reply: Coroutine[Any, Any, object], interaction: discord.Interaction
) -> None:
    """Send a click's answer; one log line, not a traceback, when Discord took it too late
    (under a burst of clicks, a traceback per late click would only make the next later)."""
    try:
        await reply
    except discord.HTTPException as error:
        if not interaction_gone(error):
            raise
        log_interaction_gone(interaction, error)


def _log_task_error(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("Trivia background task failed", exc_info=task.exception())


async def setup(bot: SoundtrackBot) -> None:
    bot.add_dynamic_items(AnswerButton, TypeButton, TeamButton, DailyButton)
    await bot.add_cog(Trivia(bot))
