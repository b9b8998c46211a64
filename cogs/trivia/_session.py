"""One trivia game in one channel: it owns the game state and the task that runs it."""

from __future__ import annotations

import asyncio
import logging
import random
import sqlite3
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import TYPE_CHECKING, Any

import discord

from bot.i18n import ENGLISH, N_, Where, t
from bot.store.records import Question
from bot.store.state import storage_trouble
from bot.store.trivia import AnswerRecord
from bot.waits import event_set_within
from cogs.trivia._announcement import Announcement
from cogs.trivia._buttons import answer_view, typed_view
from cogs.trivia._cards import GameSummary, question_embed, result_embed, scoreboard_embed
from cogs.trivia._hints import MAX_HINTS, hints
from cogs.trivia._matching import Verdict, match_answer
from cogs.trivia._scoring import points, shuffled_options, smallest_team, team_totals

if TYPE_CHECKING:
    from bot.store.state import StateStore

log = logging.getLogger(__name__)

IDLE_ROUNDS_LIMIT = 2  # a game with no answers for this many questions in a row stops
ANNOUNCE_TIMEOUT = 5.0  # a closing message must not hold up a shutdown
STORAGE_FAILED = "storage full or read-only"


@dataclass(frozen=True, slots=True)
class Timings:
    """How long things take. Tests shrink them; the shown countdown follows the real clock."""

    seconds_factor: float = 1.0  # multiplies the question time the starter chose
    pause: float = 3.0  # between a question's result and the next question


class Answer(Enum):
    ACCEPTED = "accepted"
    DUPLICATE = "duplicate"
    CLOSED = "closed"
    OUT = "out"  # survival: this player already answered wrong
    NOT_TYPED = "not typed"  # a hint or a typed answer on a question with buttons
    NO_MORE_HINTS = "no more hints"


@dataclass(frozen=True, slots=True)
class Expected:
    """What a typed answer is matched against, and what its hints are built from."""

    right: tuple[str, ...]  # the answer and every spelling the store knows
    wrong: tuple[str, ...]  # the wrong options, their spellings, and same-kind names
    kind: str | None = None  # "an actor's name", when the answer is a known name
    related: tuple[tuple[int, str], ...] = ()  # (spoiler level, masked fact), least first

    def related_within(self, cap: int) -> str | None:
        """The least spoilery related fact a game capped at episode `cap` may show."""
        return next((text for level, text in self.related if level <= cap), None)


@dataclass(frozen=True, slots=True)
class Given:
    choice: str  # the option clicked or the text typed
    correct: bool
    elapsed: float  # seconds after the question opened


@dataclass(slots=True)
class Round:
    number: int
    question: Question
    options: list[str]
    correct_index: int
    opened: float  # monotonic
    limit: float  # seconds
    typed: bool = False
    expected: Expected | None = None
    message: discord.Message | None = None
    answers: dict[int, Given] = field(default_factory=dict)
    hints: dict[int, int] = field(default_factory=dict)  # user -> hints taken
    closed: bool = False
    everyone_answered: asyncio.Event = field(default_factory=asyncio.Event)


@dataclass(frozen=True, slots=True)
class GameOptions:
    rounds: int
    category: str | None
    difficulty: str | None
    spoiler_cap: int
    seconds: int
    mode: str = "buttons"  # buttons | typed | mixed (every other question typed)
    play: str = "classic"  # classic | quickfire | survival
    teams: int = 0  # 0, or 2-4 teams

    def typed(self, round_number: int) -> bool:
        return self.mode == "typed" or (self.mode == "mixed" and round_number % 2 == 0)


class GameSession:
    def __init__(
        self,
        *,
        game_id: int,
        channel: discord.abc.Messageable,
        channel_id: int,
        starter_id: int,
        options: GameOptions,
        questions: list[Question],
        state: StateStore,
        timings: Timings,
        rng: random.Random | None = None,
        expected: dict[str, Expected] | None = None,
    ) -> None:
        self.game_id = game_id
        self.channel = channel
        # What the game posts for everyone is in the server's language.
        self.where: Where = getattr(channel, "guild", None)
        self.channel_id = channel_id
        self.starter_id = starter_id
        self.options = options
        self.questions = questions
        self.expected = expected or {}  # question id -> spellings, for typed questions
        self.state = state
        self.timings = timings
        self.rng = rng or random.Random()
        self.round: Round | None = None
        self.scores: dict[int, int] = {}
        self.previous_players: set[int] = set()
        self.players: set[int] = set()
        self.out: set[int] = set()  # survival: players who answered wrong
        self.teams: dict[int, int] = {}  # user -> team (1-based)
        self.streaks: dict[int, int] = {}  # user -> right answers in a row, now
        self.best_streak: tuple[int, int] | None = None  # (user, streak)
        self.fastest: tuple[int, float] | None = None  # (user, seconds) of a right answer
        self.task: asyncio.Task[None] | None = None
        self.stop_reason: str | None = None
        self._stop = asyncio.Event()
        self.ended = asyncio.Event()
        self.announcement: Announcement | None = None  # the /trivia start reply

    @classmethod
    async def create(
        cls,
        *,
        guild_id: int,
        channel_id: int,
        starter_id: int,
        options: GameOptions,
        state: StateStore,
        **rest: Any,
    ) -> GameSession:
        """Record a new game in the state database and return its session, not started
        (``rest``: the constructor's other arguments)."""
        game_id = await state.trivia.start_game(
            guild_id=guild_id,
            channel_id=channel_id,
            starter_id=starter_id,
            rounds=options.rounds,
            category=options.category,
            difficulty=options.difficulty,
            spoiler_cap=options.spoiler_cap,
            seconds=options.seconds,
            mode=options.mode,
            play=options.play,
            teams=options.teams,
        )
        return cls(
            game_id=game_id,
            channel_id=channel_id,
            starter_id=starter_id,
            options=options,
            state=state,
            **rest,
        )

    # -- lifecycle --------------------------------------------------------------------
    def start(self, announcement: Announcement | None = None) -> None:
        self.announcement = announcement
        self.task = asyncio.create_task(self._run(), name=f"trivia-game-{self.game_id}")
        self.task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self.ended.set()
        if task.cancelled():
            return
        error = task.exception()
        if isinstance(error, discord.Forbidden):
            log.warning(
                "Trivia game %s in channel %s stopped: a permission was taken away (%s)",
                self.game_id,
                self.channel_id,
                error,
            )
        elif error is not None and storage_trouble(error):
            log.error(
                "Trivia game %s in channel %s stopped: the state database cannot be written (%s)",
                self.game_id,
                self.channel_id,
                error,
            )
        elif error is not None:
            log.error(
                "Trivia game %s in channel %s crashed",
                self.game_id,
                self.channel_id,
                exc_info=error,
            )

    def request_stop(self, reason: str) -> None:
        """End after closing the current question; its answers still count."""
        self.stop_reason = reason
        self._stop.set()
        if self.round is not None:
            self.round.everyone_answered.set()

    async def cancel(self) -> None:
        """Stop at once (the bot is shutting down): nothing more is posted."""
        if self.task is not None and not self.task.done():
            self.task.cancel()
            try:
                await self.task
            except asyncio.CancelledError:
                pass
            except Exception:  # already logged by the done-callback
                log.debug("Trivia game %s ended with an error while cancelling", self.game_id)

    # -- answers ------------------------------------------------------------------------
    def _open_round(self, user_id: int, round_number: int) -> Round | Answer:
        current = self.round
        if current is None or current.closed or current.number != round_number:
            return Answer.CLOSED
        if user_id in self.out:
            return Answer.OUT
        if user_id in current.answers:
            return Answer.DUPLICATE
        return current

    def answer(self, user_id: int, round_number: int, choice: int) -> Answer:
        """A click on one of the lettered buttons."""
        current = self._open_round(user_id, round_number)
        if isinstance(current, Answer):
            return current
        if current.typed or not 0 <= choice < len(current.options):
            return Answer.CLOSED
        return self._record(
            current, user_id, current.options[choice], choice == current.correct_index
        )

    def can_type(self, user_id: int, round_number: int) -> Answer:
        """Whether this player may open the answer box now (ACCEPTED) or why not."""
        current = self._open_round(user_id, round_number)
        if isinstance(current, Answer):
            return current
        return Answer.ACCEPTED if current.typed else Answer.NOT_TYPED

    def answer_typed(self, user_id: int, round_number: int, text: str) -> tuple[Answer, Verdict]:
        """A typed answer from the modal: matched against every spelling the store knows."""
        current = self._open_round(user_id, round_number)
        if isinstance(current, Answer):
            return current, Verdict(False, current.value)
        if not current.typed or current.expected is None:
            return Answer.NOT_TYPED, Verdict(False, "not a typed question")
        verdict = match_answer(text, current.expected.right, current.expected.wrong)
        log.debug(
            "Game %s q%s: %r %s for %r: %s",
            self.game_id,
            round_number,
            text,
            "accepted" if verdict.accepted else "rejected",
            current.question.answer,
            verdict.why,
        )
        return self._record(current, user_id, text.strip()[:100], verdict.accepted), verdict

    def _record(self, current: Round, user_id: int, choice: str, correct: bool) -> Answer:
        current.answers[user_id] = Given(choice, correct, time.monotonic() - current.opened)
        self.players.add(user_id)
        if self.options.teams and user_id not in self.teams:
            self.teams[user_id] = smallest_team(self.teams, self.options.teams)
        if self.options.play == "quickfire" and correct:
            current.closed = True  # no later answer counts, even one already on its way
            current.everyone_answered.set()
        waiting = self.previous_players - self.out
        if waiting and waiting <= current.answers.keys():
            current.everyone_answered.set()
        return Answer.ACCEPTED

    def hint(
        self, user_id: int, round_number: int, where: Where = ENGLISH
    ) -> tuple[Answer, int, list[str]]:
        """Take the next hint: (outcome, hints taken now, every hint of the question, in
        the language of `where`)."""
        current = self._open_round(user_id, round_number)
        if isinstance(current, Answer):
            return current, 0, []
        if not current.typed or current.expected is None:
            return Answer.NOT_TYPED, 0, []
        related = current.expected.related_within(self.options.spoiler_cap)
        available = hints(current.question.answer, current.expected.kind, related, where)
        taken = current.hints.get(user_id, 0)
        if taken >= min(MAX_HINTS, len(available)):
            return Answer.NO_MORE_HINTS, taken, available
        current.hints[user_id] = taken + 1
        return Answer.ACCEPTED, taken + 1, available

    def join(self, user_id: int, team: int) -> tuple[bool, int]:
        """Put a player on a team: (joined now, their team). A player stays on their team."""
        if user_id in self.teams:
            return False, self.teams[user_id]
        self.teams[user_id] = team
        return True, team

    # -- the game loop ------------------------------------------------------------------
    async def _run(self) -> None:
        idle_rounds = 0
        status, reason = "finished", "all questions asked"
        try:
            for number, question in enumerate(self.questions, 1):
                answered = await self._play_round(number, question)
                idle_rounds = 0 if answered else idle_rounds + 1
                if self._stop.is_set():
                    status, reason = "stopped", self.stop_reason or "stopped"
                    break
                if idle_rounds >= IDLE_ROUNDS_LIMIT:
                    status = "abandoned"
                    reason = f"no answers for {IDLE_ROUNDS_LIMIT} questions in a row"
                    break
                if self.options.play == "survival" and self.players and self.players <= self.out:
                    reason = "everyone is out"
                    break
                if number < len(self.questions):
                    await self._pause()
        except asyncio.CancelledError:
            await asyncio.shield(self._end("interrupted", "the bot shut down", announce=True))
            raise
        except Exception as error:
            why = "an error"
            if storage_trouble(error):
                why = STORAGE_FAILED
            elif isinstance(error, discord.Forbidden):
                why = "a permission was taken away"
            await asyncio.shield(self._end("failed", why, announce=True))
            raise
        await self._end(status, reason, announce=True)

    async def _pause(self) -> None:
        await event_set_within(self._stop, self.timings.pause)

    async def _play_round(self, number: int, question: Question) -> bool:
        options, correct = shuffled_options(question, self.rng)
        limit = self.options.seconds * self.timings.seconds_factor
        typed = self.options.typed(number)
        current = Round(
            number,
            question,
            options,
            correct,
            time.monotonic(),
            limit,
            typed=typed,
            expected=self.expected.get(question.id) if typed else None,
        )
        if typed and current.expected is None:
            current.expected = Expected((question.answer, *question.aliases), question.wrong)
        deadline = datetime.now(UTC) + timedelta(seconds=limit)
        embed = question_embed(
            question,
            number,
            len(self.questions),
            deadline,
            self.options.spoiler_cap,
            [] if typed else options,
            play=self.options.play,
            where=self.where,
        )
        self.round = current
        view = (
            typed_view(self.game_id, number, where=self.where)
            if typed
            else answer_view(self.game_id, number, len(options))
        )
        current.message = await self.channel.send(embed=embed, view=view)
        await event_set_within(current.everyone_answered, limit)
        current.closed = True
        round_points = {
            uid: points(given.correct, given.elapsed, limit, current.hints.get(uid, 0))
            for uid, given in current.answers.items()
        }
        records = [
            AnswerRecord(
                uid,
                given.choice,
                given.correct,
                round_points[uid],
                int(given.elapsed * 1000),
                current.hints.get(uid, 0),
                self.teams.get(uid),
            )
            for uid, given in current.answers.items()
        ]
        message_id = current.message.id if current.message else None
        await self.state.trivia.close_round(self.game_id, number, question.id, message_id, records)
        self._tally(current, round_points)
        if current.message is not None:
            result = result_embed(
                question,
                number,
                len(self.questions),
                None if typed else options,
                correct,
                round_points,
                len(records),
                hinted={uid: n for uid, n in current.hints.items() if uid in round_points},
                out=[uid for uid, g in current.answers.items() if not g.correct]
                if self.options.play == "survival"
                else [],
                where=self.where,
            )
            closed_view = (
                typed_view(self.game_id, number, closed=True, where=self.where)
                if typed
                else answer_view(self.game_id, number, len(options), closed=True, correct=correct)
            )
            try:
                await current.message.edit(embed=result, view=closed_view)
            except discord.HTTPException as error:
                # The points are saved; show them in a new message rather than end the game
                # (if that fails too, the game ends with a message).
                log.warning(
                    "Could not edit question %d of trivia game %s (%s); posting its result",
                    number,
                    self.game_id,
                    error,
                )
                await self.channel.send(embed=result)
        return bool(current.answers)

    def _tally(self, current: Round, round_points: dict[int, int]) -> None:
        """Scores, streaks, the fastest right answer and who is out, after a round."""
        for uid, pts in round_points.items():
            self.scores[uid] = self.scores.get(uid, 0) + pts
        for uid in self.players:
            given = current.answers.get(uid)
            self.streaks[uid] = self.streaks.get(uid, 0) + 1 if given and given.correct else 0
            if self.streaks[uid] and (
                self.best_streak is None or self.streaks[uid] > self.best_streak[1]
            ):
                self.best_streak = (uid, self.streaks[uid])
        for uid, given in current.answers.items():
            if given.correct and (self.fastest is None or given.elapsed < self.fastest[1]):
                self.fastest = (uid, given.elapsed)
            if not given.correct and self.options.play == "survival":
                self.out.add(uid)
        self.previous_players = set(current.answers)

    def summary(self) -> GameSummary:
        teams = (
            team_totals(self.scores, self.teams, self.options.teams) if self.options.teams else {}
        )
        return GameSummary(self.scores, teams, self.fastest, self.best_streak)

    async def _end(self, status: str, reason: str, *, announce: bool) -> None:
        try:
            await self.state.trivia.end_game(self.game_id, status, reason)
        except sqlite3.Error as error:
            # Still announce: the players must not be left waiting. The next start reports
            # the game as interrupted.
            log.error("Could not record the end of trivia game %s: %s", self.game_id, error)
        if not announce:
            return
        where = self.where
        titles = {
            "finished": N_("Trivia over: final scores"),
            "stopped": N_("Trivia stopped: final scores"),
            "abandoned": N_("Trivia stopped: nobody is playing"),
            "failed": N_("Trivia stopped because of an error"),
            "interrupted": N_("Trivia interrupted"),
        }
        notes = {
            # `reason` here is who stopped it (a mention).
            "stopped": t(
                where, "Stopped by {who}. Points from answered questions count.", who=reason
            ),
            "abandoned": t(
                where,
                "Stopped: no answers for {count} questions in a row.",
                count=IDLE_ROUNDS_LIMIT,
            ),
            "failed": t(
                where,
                "Something went wrong on my side (it has been logged). Points so far count.",
            ),
            "interrupted": t(
                where, "The bot is restarting. Points from finished questions are kept."
            ),
        }
        if self.options.play == "survival" and reason == "everyone is out":
            notes["finished"] = t(
                where, "Everyone is out: a wrong answer ends your game in survival."
            )
        note = notes.get(status)
        if reason == STORAGE_FAILED:
            note = t(
                where,
                "I couldn't save the last question's answers: my storage is full or read-only."
                " Points from the questions before it are kept.",
            )
        over = N_("Trivia over")
        title = t(where, titles.get(status, over))
        embed = scoreboard_embed(title, self.summary(), note, where)
        try:
            await asyncio.wait_for(self.channel.send(embed=embed), timeout=ANNOUNCE_TIMEOUT)
            posted = True
        except (discord.HTTPException, TimeoutError) as error:
            log.warning("Could not post the end of trivia game %s: %s", self.game_id, error)
            posted = False
        try:
            if self.announcement is not None:
                await asyncio.wait_for(
                    self.announcement.close(self.game_id, status, scoreboard_posted=posted),
                    ANNOUNCE_TIMEOUT,
                )
        except (discord.HTTPException, TimeoutError) as error:
            log.warning("Could not update the start of trivia game %s: %s", self.game_id, error)
