"""One trivia game in one channel: it owns the game state and the task that runs it."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import sqlite3
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import TYPE_CHECKING

import discord

from bot.store.records import Question
from bot.store.state import storage_trouble
from bot.store.trivia import AnswerRecord
from cogs.trivia._announcement import Announcement
from cogs.trivia._buttons import answer_view
from cogs.trivia._embeds import question_embed, result_embed, scoreboard_embed
from cogs.trivia._scoring import points, shuffled_options

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


@dataclass(slots=True)
class Round:
    number: int
    question: Question
    options: list[str]
    correct_index: int
    opened: float  # monotonic
    limit: float  # seconds
    message: discord.Message | None = None
    answers: dict[int, tuple[int, float]] = field(default_factory=dict)  # user -> choice, elapsed
    closed: bool = False
    everyone_answered: asyncio.Event = field(default_factory=asyncio.Event)


@dataclass(frozen=True, slots=True)
class GameOptions:
    rounds: int
    category: str | None
    difficulty: str | None
    spoiler_cap: int
    seconds: int


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
    ) -> None:
        self.game_id = game_id
        self.channel = channel
        self.channel_id = channel_id
        self.starter_id = starter_id
        self.options = options
        self.questions = questions
        self.state = state
        self.timings = timings
        self.rng = rng or random.Random()
        self.round: Round | None = None
        self.scores: dict[int, int] = {}
        self.previous_players: set[int] = set()
        self.task: asyncio.Task[None] | None = None
        self.stop_reason: str | None = None
        self._stop = asyncio.Event()
        self.ended = asyncio.Event()
        self.announcement: Announcement | None = None  # the /trivia start reply

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
    def answer(self, user_id: int, round_number: int, choice: int) -> Answer:
        current = self.round
        if current is None or current.closed or current.number != round_number:
            return Answer.CLOSED
        if user_id in current.answers:
            return Answer.DUPLICATE
        current.answers[user_id] = (choice, time.monotonic() - current.opened)
        if self.previous_players and self.previous_players <= current.answers.keys():
            current.everyone_answered.set()
        return Answer.ACCEPTED

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
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stop.wait(), timeout=self.timings.pause)

    async def _play_round(self, number: int, question: Question) -> bool:
        options, correct = shuffled_options(question, self.rng)
        limit = self.options.seconds * self.timings.seconds_factor
        current = Round(number, question, options, correct, time.monotonic(), limit)
        deadline = datetime.now(UTC) + timedelta(seconds=limit)
        embed = question_embed(
            question, number, len(self.questions), deadline, self.options.spoiler_cap, options
        )
        self.round = current
        current.message = await self.channel.send(
            embed=embed, view=answer_view(self.game_id, number, len(options))
        )
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(current.everyone_answered.wait(), timeout=limit)
        current.closed = True
        round_points = {
            uid: points(choice == correct, elapsed, limit)
            for uid, (choice, elapsed) in current.answers.items()
        }
        records = [
            AnswerRecord(
                uid, options[choice], choice == correct, round_points[uid], int(elapsed * 1000)
            )
            for uid, (choice, elapsed) in current.answers.items()
        ]
        message_id = current.message.id if current.message else None
        await self.state.trivia.close_round(self.game_id, number, question.id, message_id, records)
        for uid, pts in round_points.items():
            self.scores[uid] = self.scores.get(uid, 0) + pts
        self.previous_players = set(current.answers)
        if current.message is not None:
            result = result_embed(
                question, number, len(self.questions), options, correct, round_points, len(records)
            )
            closed = answer_view(self.game_id, number, len(options), closed=True, correct=correct)
            try:
                await current.message.edit(embed=result, view=closed)
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

    async def _end(self, status: str, reason: str, *, announce: bool) -> None:
        try:
            await self.state.trivia.end_game(self.game_id, status, reason)
        except sqlite3.Error as error:
            # Still announce: the players must not be left waiting. The next start reports
            # the game as interrupted.
            log.error("Could not record the end of trivia game %s: %s", self.game_id, error)
        if not announce:
            return
        titles = {
            "finished": "Trivia over: final scores",
            "stopped": "Trivia stopped: final scores",
            "abandoned": "Trivia stopped: nobody is playing",
            "failed": "Trivia stopped because of an error",
            "interrupted": "Trivia interrupted",
        }
        notes = {
            "stopped": f"Stopped by {reason}. Points from answered questions count.",
            "abandoned": f"Stopped: {reason}.",
            "failed": "Something went wrong on my side (it has been logged). Points so far count.",
            "interrupted": "The bot is restarting. Points from finished questions are kept.",
        }
        note = notes.get(status)
        if reason == STORAGE_FAILED:
            note = (
                "I couldn't save the last question's answers: my storage is full or read-only."
                " Points from the questions before it are kept."
            )
        embed = scoreboard_embed(titles.get(status, "Trivia over"), self.scores, note)
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
