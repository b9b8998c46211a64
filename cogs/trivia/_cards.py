"""Trivia messages: pure builders of embeds and texts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import discord

from bot.embeds import base_embed, clip
from bot.reply_text import sources_line, timestamp
from bot.store.records import Question
from cogs.trivia._buttons import LETTERS
from cogs.trivia._scoring import RULES, ranked

SCOREBOARD_LINES = 10


def cap_text(cap: int) -> str:
    return "premise only (no episode spoilers)" if cap == 0 else f"up to episode {cap}"


def question_embed(
    question: Question,
    round_number: int,
    rounds: int,
    deadline: datetime,
    cap: int,
    options: Sequence[str],
) -> discord.Embed:
    lines = [f"**{LETTERS[i]}.** {option}" for i, option in enumerate(options)]
    embed = base_embed(
        f"Question {round_number}/{rounds} · {question.category}",
        f"**{question.question}**\n\n"
        + "\n".join(lines)
        + f"\n\nTime's up {timestamp(deadline, 'R')}.",
        footer=f"Difficulty: {question.difficulty} · Spoilers: {cap_text(cap)}",
    )
    return embed


def result_embed(
    question: Question,
    round_number: int,
    rounds: int,
    options: Sequence[str],
    correct_index: int,
    round_points: dict[int, int],
    answered: int,
) -> discord.Embed:
    right = [uid for uid, pts in ranked(round_points) if pts > 0]
    answer = f"{LETTERS[correct_index]}. {options[correct_index]}"
    description = f"**{question.question}**\n\nAnswer: **{answer}**\n"
    if right:
        scored = ", ".join(f"<@{uid}> +{round_points[uid]}" for uid in right[:SCOREBOARD_LINES])
        more = f" and {len(right) - SCOREBOARD_LINES} more" if len(right) > SCOREBOARD_LINES else ""
        description += f"Got it right: {scored}{more}"
    elif answered:
        description += "Nobody got it right."
    else:
        description += "Nobody answered."
    embed = base_embed(f"Question {round_number}/{rounds} · closed", description)
    embed.set_footer(text=sources_line([question.source]))
    return embed


def scoreboard_embed(title: str, scores: dict[int, int], note: str | None = None) -> discord.Embed:
    board = ranked(scores)
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
    return embed
