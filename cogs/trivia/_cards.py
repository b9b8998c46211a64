"""Trivia messages: pure builders of embeds and texts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import discord

from bot.embeds import base_embed, clip
from bot.reply_text import sources_line, timestamp
from bot.store.records import Question
from cogs.trivia._buttons import LETTERS
from cogs.trivia._scoring import RULES, ranked

SCOREBOARD_LINES = 10
CUSTOM_SOURCE = "Written by this server's moderators"
PLAY_NOTES = {
    "quickfire": "Quickfire: the first right answer takes the question.",
    "survival": "Survival: a wrong answer ends your game.",
}


@dataclass(frozen=True, slots=True)
class GameSummary:
    scores: dict[int, int]
    teams: dict[int, int] = field(default_factory=dict)  # team number -> points
    fastest: tuple[int, float] | None = None  # (user, seconds) of the fastest right answer
    best_streak: tuple[int, int] | None = None  # (user, right answers in a row)


def cap_text(cap: int) -> str:
    return "premise only (no episode spoilers)" if cap == 0 else f"up to episode {cap}"


def question_embed(
    question: Question,
    round_number: int,
    rounds: int,
    deadline: datetime,
    cap: int,
    options: Sequence[str],
    *,
    play: str = "classic",
) -> discord.Embed:
    """A question with its lettered options, or (no options) one to answer by typing."""
    if options:
        body = "\n".join(f"**{LETTERS[i]}.** {option}" for i, option in enumerate(options))
    else:
        body = "Press **Answer** to type it (spelling need not be perfect); **Hint** costs points."
    note = PLAY_NOTES.get(play)
    embed = base_embed(
        f"Question {round_number}/{rounds} · {question.category}",
        clip(
            f"**{question.question}**\n\n"
            + body
            + (f"\n{note}" if note else "")
            + f"\n\nTime's up {timestamp(deadline, 'R')}.",
            4096,
        ),
        footer=f"Difficulty: {question.difficulty} · Spoilers: {cap_text(cap)}",
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
) -> discord.Embed:
    """The closed question: its answer (lettered when it had options), who scored, who
    took hints, and who is out (survival)."""
    right = [uid for uid, pts in ranked(round_points) if pts > 0]
    answer = f"{LETTERS[correct_index]}. {options[correct_index]}" if options else question.answer
    description = f"**{question.question}**\n\nAnswer: **{answer}**\n"
    hinted = hinted or {}
    if right:
        scored = ", ".join(
            f"<@{uid}> +{round_points[uid]}" + (" (hint)" if hinted.get(uid) else "")
            for uid in right[:SCOREBOARD_LINES]
        )
        more = f" and {len(right) - SCOREBOARD_LINES} more" if len(right) > SCOREBOARD_LINES else ""
        description += f"Got it right: {scored}{more}"
    elif answered:
        description += "Nobody got it right."
    else:
        description += "Nobody answered."
    if out:
        description += "\nOut: " + ", ".join(f"<@{uid}>" for uid in out[:SCOREBOARD_LINES])
    embed = base_embed(f"Question {round_number}/{rounds} · closed", clip(description, 4096))
    embed.set_footer(
        text=sources_line([question.source]) if question.source is not None else CUSTOM_SOURCE
    )
    return embed


def scoreboard_embed(title: str, summary: GameSummary, note: str | None = None) -> discord.Embed:
    board = ranked(summary.scores)
    if board:
        lines = [
            f"{n}. <@{uid}> — {pts} points"
            for n, (uid, pts) in enumerate(board[:SCOREBOARD_LINES], 1)
        ]
        winner = board[0]
        tied = [uid for uid, pts in board if pts == winner[1]]
        if winner[1] == 0:
            headline = "Nobody scored."
        elif len(tied) > 1:
            headline = "It's a tie between " + ", ".join(f"<@{u}>" for u in tied) + "!"
        else:
            headline = f"🏆 <@{winner[0]}> wins with {winner[1]} points!"
        description = headline + "\n\n" + "\n".join(lines)
    else:
        description = "Nobody answered any question."
    if summary.teams:
        teams = sorted(summary.teams.items(), key=lambda kv: (-kv[1], kv[0]))
        top = [t for t, pts in teams if pts == teams[0][1]]
        lead = (
            f"Team {top[0]} wins!" if len(top) == 1 and teams[0][1] > 0 else "The teams are tied."
        )
        description += (
            "\n\n**Teams** · "
            + lead
            + "\n"
            + "\n".join(f"Team {t} — {pts} points" for t, pts in teams)
        )
    extras = []
    if summary.fastest is not None:
        extras.append(f"Fastest answer: <@{summary.fastest[0]}> in {summary.fastest[1]:.1f} s")
    if summary.best_streak is not None and summary.best_streak[1] > 1:
        user, streak = summary.best_streak
        extras.append(f"Longest streak: <@{user}>, {streak} right in a row")
    if extras:
        description += "\n\n" + "\n".join(extras)
    if note:
        description = f"{note}\n\n{description}"
    return base_embed(title, clip(description, 4096))


def rules_embed() -> discord.Embed:
    embed = base_embed("Trivia rules", RULES)
    embed.add_field(
        name="How a game runs",
        value=(
            "Each question has four buttons and a countdown. A question closes when time is up, "
            "or as soon as everyone who played the previous question has answered. Questions "
            "never go beyond the game's spoiler cap, which is the server's default progress "
            "unless the starter picks one. A game with no answers for two questions in a row "
            "stops by itself."
        ),
        inline=False,
    )
    embed.add_field(
        name="Typed answers, hints and modes",
        value=(
            "With `mode:typed`, press **Answer** and type it: spelling, case and spacing need "
            "not be perfect, but a different name never counts. **Hint** shows what kind of "
            "answer it is, then its first letters; each hint lowers your points for that "
            "question. `play:quickfire`: the first right answer takes the question. "
            "`play:survival`: one wrong answer and you're out. `teams:2` to `4`: join a team "
            "with its button; team totals come at the end."
        ),
        inline=False,
    )
    return embed
