"""Trivia messages: pure builders of embeds and texts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import discord

from bot.embeds import base_embed, clip
from bot.i18n import ENGLISH, N_, Where, decimal, language_of, lookup, t
from bot.reply_text import sources_line, timestamp
from bot.store.records import Question
from cogs.trivia._buttons import LETTERS
from cogs.trivia._scoring import BASE_POINTS, HINT_COST, RULES, SPEED_POINTS, ranked

SCOREBOARD_LINES = 10
CUSTOM_SOURCE = N_("Written by this server's moderators")
PLAY_NOTES = {
    "quickfire": N_("Quickfire: the first right answer takes the question."),
    "survival": N_("Survival: a wrong answer ends your game."),
}


@dataclass(frozen=True, slots=True)
class GameSummary:
    scores: dict[int, int]
    teams: dict[int, int] = field(default_factory=dict)  # team number -> points
    fastest: tuple[int, float] | None = None  # (user, seconds) of the fastest right answer
    best_streak: tuple[int, int] | None = None  # (user, right answers in a row)


def cap_text(cap: int, where: Where = ENGLISH) -> str:
    if cap == 0:
        return t(where, "premise only (no episode spoilers)")
    return t(where, "up to episode {episode}", episode=cap)


def choice_word(value: str, where: Where = ENGLISH) -> str:
    """A category or difficulty ("cast", "easy") as /trivia start's choices name it in the
    reader's language; a moderator's own category stays as written."""
    return lookup(language_of(where), value, "choice_name") or value


def question_embed(
    question: Question,
    round_number: int,
    rounds: int,
    deadline: datetime,
    cap: int,
    options: Sequence[str],
    *,
    play: str = "classic",
    where: Where = ENGLISH,
) -> discord.Embed:
    """A question with its lettered options, or (no options) one to answer by typing. The
    frame in the language of `where`; the question and its answers as the store has them."""
    if options:
        body = "\n".join(f"**{LETTERS[i]}.** {option}" for i, option in enumerate(options))
    else:
        body = t(
            where,
            "Press **Answer** to type it (spelling need not be perfect); **Hint** costs points.",
        )
    note = PLAY_NOTES.get(play)
    embed = base_embed(
        t(
            where,
            "Question {number}/{rounds} · {category}",
            number=round_number,
            rounds=rounds,
            category=choice_word(question.category, where),
        ),
        clip(
            f"**{question.question}**\n\n"
            + body
            + (f"\n{t(where, note)}" if note else "")
            + "\n\n"
            + t(where, "Time's up {when}.", when=timestamp(deadline, "R")),
            4096,
        ),
        footer=t(
            where,
            "Difficulty: {difficulty} · Spoilers: {cap}",
            difficulty=choice_word(question.difficulty, where),
            cap=cap_text(cap, where),
        ),
    )
    return embed


def result_embed(
    question: Question,
    round_number: int,
    rounds: int,
    options: Sequence[str] | None,
    correct_index: int,
    round_points: dict[int, int],
    answered: int,
    *,
    hinted: dict[int, int] | None = None,
    out: Sequence[int] = (),
    where: Where = ENGLISH,
) -> discord.Embed:
    """The closed question: its answer (lettered when it had options), who scored, who
    took hints, and who is out (survival)."""
    right = [uid for uid, pts in ranked(round_points) if pts > 0]
    answer = f"{LETTERS[correct_index]}. {options[correct_index]}" if options else question.answer
    description = (
        f"**{question.question}**\n\n" + t(where, "Answer: **{answer}**", answer=answer) + "\n"
    )
    hinted = hinted or {}
    if right:
        hint_mark = " " + t(where, "(hint)")
        scored = ", ".join(
            f"<@{uid}> +{round_points[uid]}" + (hint_mark if hinted.get(uid) else "")
            for uid in right[:SCOREBOARD_LINES]
        )
        if len(right) > SCOREBOARD_LINES:
            scored = t(
                where, "{names} and {count} more", names=scored, count=len(right) - SCOREBOARD_LINES
            )
        description += t(where, "Got it right: {names}", names=scored)
    elif answered:
        description += t(where, "Nobody got it right.")
    else:
        description += t(where, "Nobody answered.")
    if out:
        names = ", ".join(f"<@{uid}>" for uid in out[:SCOREBOARD_LINES])
        description += "\n" + t(where, "Out: {names}", names=names)
    title = t(where, "Question {number}/{rounds} · closed", number=round_number, rounds=rounds)
    embed = base_embed(title, clip(description, 4096))
    embed.set_footer(
        text=sources_line([question.source], where)
        if question.source is not None
        else t(where, CUSTOM_SOURCE)
    )
    return embed


def scoreboard_embed(
    title: str, summary: GameSummary, note: str | None = None, where: Where = ENGLISH
) -> discord.Embed:
    """The final scores; `title` and `note` come already in the language of `where`."""
    board = ranked(summary.scores)
    if board:
        lines = [
            t(where, "{rank}. <@{user}> — {points} points", rank=n, user=uid, points=pts)
            for n, (uid, pts) in enumerate(board[:SCOREBOARD_LINES], 1)
        ]
        winner = board[0]
        tied = [uid for uid, pts in board if pts == winner[1]]
        if winner[1] == 0:
            headline = t(where, "Nobody scored.")
        elif len(tied) > 1:
            names = ", ".join(f"<@{u}>" for u in tied)
            headline = t(where, "It's a tie between {names}!", names=names)
        else:
            headline = t(
                where, "🏆 <@{user}> wins with {points} points!", user=winner[0], points=winner[1]
            )
        description = headline + "\n\n" + "\n".join(lines)
    else:
        description = t(where, "Nobody answered any question.")
    if summary.teams:
        teams = sorted(summary.teams.items(), key=lambda kv: (-kv[1], kv[0]))
        top = [team for team, pts in teams if pts == teams[0][1]]
        lead = (
            t(where, "Team {team} wins!", team=top[0])
            if len(top) == 1 and teams[0][1] > 0
            else t(where, "The teams are tied.")
        )
        description += (
            "\n\n"
            + t(where, "**Teams** · {lead}", lead=lead)
            + "\n"
            + "\n".join(
                t(where, "Team {team} — {points} points", team=team, points=pts)
                for team, pts in teams
            )
        )
    extras = []
    if summary.fastest is not None:
        extras.append(
            t(
                where,
                "Fastest answer: <@{user}> in {seconds} s",
                user=summary.fastest[0],
                seconds=decimal(summary.fastest[1], where),
            )
        )
    if summary.best_streak is not None and summary.best_streak[1] > 1:
        user, streak = summary.best_streak
        extras.append(
            t(where, "Longest streak: <@{user}>, {streak} right in a row", user=user, streak=streak)
        )
    if extras:
        description += "\n\n" + "\n".join(extras)
    if note:
        description = f"{note}\n\n{description}"
    return base_embed(title, clip(description, 4096))


def rules_embed(where: Where = ENGLISH) -> discord.Embed:
    rules = t(where, RULES, base=BASE_POINTS, speed=SPEED_POINTS, hint=HINT_COST)
    embed = base_embed(t(where, "Trivia rules"), rules)
    embed.add_field(
        name=t(where, "How a game runs"),
        value=t(
            where,
            "Each question has four buttons and a countdown. A question closes when time is up, "
            "or as soon as everyone who played the previous question has answered. Questions "
            "never go beyond the game's spoiler cap, which is the server's default progress "
            "unless the starter picks one. A game with no answers for two questions in a row "
            "stops by itself.",
        ),
        inline=False,
    )
    embed.add_field(
        name=t(where, "Typed answers, hints and modes"),
        value=t(
            where,
            "With `mode:typed`, press **Answer** and type it: spelling, case and spacing need "
            "not be perfect, but a different name never counts. **Hint** shows what kind of "
            "answer it is, then its first letters; each hint lowers your points for that "
            "question. `play:quickfire`: the first right answer takes the question. "
            "`play:survival`: one wrong answer and you're out. `teams:2` to `4`: join a team "
            "with its button; team totals come at the end.",
        ),
        inline=False,
    )
    return embed
