"""The daily question: one question per server per day (UTC), posted at the server's time,
answerable all that day with one answer per player, and a streak of right days.

Which question a day gets and the order of its options follow from (server, day) alone,
so a click after a restart recomputes them; the state database records what was posted
and every answer, so a restart never posts a day twice. The clock comes from the cog.
"""

from __future__ import annotations

import logging
import random
import re
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

import discord

from bot.embeds import base_embed, clip
from bot.i18n import ENGLISH, Where, t
from bot.store.records import Question
from bot.store.trivia_custom import custom_number
from bot.ticker import Ticker
from cogs.trivia._buttons import LETTERS, trivia_cog
from cogs.trivia._cards import cap_text, choice_word
from cogs.trivia._scoring import shuffled_options

if TYPE_CHECKING:
    from bot.app import SoundtrackBot

log = logging.getLogger(__name__)

DAILY_ID = "trivia-daily:{guild}:{day}:{choice}"
TIME_FORMAT = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")


def parse_time(text: str) -> str | None:
    """ "18:30" or "7:05" as "HH:MM", or None if it is not a time of day."""
    match = TIME_FORMAT.fullmatch(text.strip())
    return f"{int(match[1]):02d}:{match[2]}" if match else None


def due_at(day: date, at: str) -> datetime:
    hours, minutes = (int(part) for part in at.split(":"))
    return datetime.combine(day, time(hours, minutes), UTC)


def pick(pool: Sequence[Question], guild_id: int, day: str) -> Question:
    """The day's question: the same for one server and day on every run."""
    ordered = sorted(pool, key=lambda q: q.id)
    return random.Random(f"{guild_id}:{day}").choice(ordered)


def daily_options(question: Question, guild_id: int, day: str) -> tuple[list[str], int]:
    return shuffled_options(question, random.Random(f"{guild_id}:{day}:{question.id}"))


def daily_embed(
    question: Question, options: Sequence[str], day: str, cap: int, where: Where = ENGLISH
) -> discord.Embed:
    lines = "\n".join(f"**{LETTERS[i]}.** {o}" for i, o in enumerate(options))
    how = t(
        where,
        "One answer each, any time today (UTC). Answer right on days in a row to build your "
        "streak.",
    )
    return base_embed(
        t(where, "Daily question · {day}", day=day),
        clip(f"**{question.question}**\n\n{lines}\n\n{how}", 4096),
        footer=t(
            where,
            "{category} · Spoilers: {cap}",
            category=choice_word(question.category, where),
            cap=cap_text(cap, where),
        ),
    )


def daily_view(guild_id: int, day: str, count: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for choice in range(count):
        view.add_item(DailyButton(guild_id, day, choice))
    return view


class DailyButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"trivia-daily:(?P<guild>\d+):(?P<day>\d{4}-\d{2}-\d{2}):(?P<choice>\d)",
):
    def __init__(self, guild_id: int, day: str, choice: int) -> None:
        self.guild_id, self.day, self.choice = guild_id, day, choice
        super().__init__(
            discord.ui.Button(
                label=LETTERS[choice],
                style=discord.ButtonStyle.primary,
                custom_id=DAILY_ID.format(guild=guild_id, day=day, choice=choice),
            )
        )

    @classmethod
    async def from_custom_id(  # type: ignore[override]
        cls, interaction: discord.Interaction, item: discord.ui.Button[Any], match: re.Match[str]
    ) -> DailyButton:
        return cls(int(match["guild"]), match["day"], int(match["choice"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        cog = trivia_cog(interaction)
        if cog is None:
            await interaction.response.send_message(
                t(interaction, "The daily question is closed."), ephemeral=True
            )
            return
        await cog.on_daily_answer(interaction, self.guild_id, self.day, self.choice)


class DailyPoster(Ticker):
    """Posts each server's daily question when its time has come."""

    name = "trivia-daily"
    what = "Daily trivia check"

    def __init__(
        self,
        bot: SoundtrackBot,
        post: Callable[[int, int, str], Any],
        clock: Callable[[], datetime],
        interval: Callable[[], float],
    ) -> None:
        super().__init__(bot, interval)
        self.bot: SoundtrackBot = bot
        self._post = post  # (guild, channel, day) -> awaitable
        self._clock = clock

    async def tick(self) -> float:
        """Post whatever is due; the seconds until the next look."""
        now = self._clock()
        wait = self._interval()
        for guild_id, channel_id, at in await self.bot.state.custom_questions.daily_servers():
            if not self.bot.serves(guild_id):
                continue  # another process posts there (the claim also stops a second post)
            today = now.date()
            due = due_at(today, at)
            if now >= due:
                if await self.bot.state.daily.posted(guild_id, today.isoformat()) is None:
                    await self._post(guild_id, channel_id, today.isoformat())
                due = due_at(today + timedelta(days=1), at)
            wait = min(wait, (due - now).total_seconds())
        return wait


class DailyQuestions:
    """Posting a server's daily question and taking its answers."""

    def __init__(self, bot: SoundtrackBot, clock: Callable[[], datetime]) -> None:
        self.bot = bot
        self._clock = clock

    async def _pool(self, guild_id: int) -> tuple[list[Question], int]:
        """The questions within the server's default progress, and that cap."""
        cap = await self.bot.state.default_progress(guild_id)
        pool = await self.bot.facts.questions(max_level=cap)
        if (await self.bot.state.custom_questions.settings(guild_id)).custom_questions:
            pool += await self.bot.state.custom_questions.questions(guild_id, max_level=cap)
        return pool, cap

    async def find_question(self, guild_id: int, question_id: str) -> Question | None:
        number = custom_number(question_id)
        if number is not None:
            return await self.bot.state.custom_questions.get(guild_id, number)
        return await self.bot.facts.question(question_id)

    async def post(self, guild_id: int, channel_id: int, day: str) -> None:
        channel = self.bot.get_channel(channel_id)
        if not isinstance(channel, discord.abc.Messageable):
            log.warning("Daily trivia channel %s of guild %s is gone", channel_id, guild_id)
            return
        pool, cap = await self._pool(guild_id)
        if not pool:
            return
        question = pick(pool, guild_id, day)
        daily = self.bot.state.daily
        if not await daily.claim(guild_id, day, question.id, channel_id, self._clock()):
            return  # already posted
        options, _ = daily_options(question, guild_id, day)
        try:
            message = await channel.send(
                embed=daily_embed(question, options, day, cap, getattr(channel, "guild", None)),
                view=daily_view(guild_id, day, len(options)),
            )
        except discord.HTTPException:
            log.warning("Could not post the daily question in %s", channel_id, exc_info=True)
            await daily.forget(guild_id, day)  # the next look tries again
            return
        await daily.set_message(guild_id, day, message.id)

    async def answer(
        self, guild_id: int, day: str, user_id: int, choice: int, where: Where = ENGLISH
    ) -> str:
        """Keep a player's answer to the day's question; what to tell them."""
        closed = t(where, "This daily question is closed; a new one comes every day.")
        today = self._clock().date().isoformat()
        daily = self.bot.state.daily
        posted = await daily.posted(guild_id, day)
        question = await self.find_question(guild_id, posted.question_id) if posted else None
        if posted is None or question is None or day != today:
            return closed
        options, correct = daily_options(question, guild_id, day)
        if not 0 <= choice < len(options):
            return closed
        right = choice == correct
        if not await daily.answer(guild_id, day, user_id, options[choice], right, self._clock()):
            return t(where, "You already answered today's question. Come back tomorrow!")
        answer = f"**{LETTERS[correct]}. {options[correct]}**"
        if not right:
            return t(
                where,
                "Not this time: the answer is {answer}. Your streak starts again tomorrow.",
                answer=answer,
            )
        streak = await daily.streak(guild_id, user_id, day)
        if streak == 1:
            return t(where, "Right: {answer}! Your daily streak: 1 day in a row.", answer=answer)
        return t(
            where,
            "Right: {answer}! Your daily streak: {days} days in a row.",
            answer=answer,
            days=streak,
        )
