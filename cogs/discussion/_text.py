"""Discussion thread texts: pure builders of titles, starters, the link table and replies."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

import discord

from bot.embeds import CONTENT_MAX, base_embed
from bot.reply_text import safe_text, timestamp
from bot.spoiler_gate import Audience, clip_balanced, show_piece
from bot.store.discussions import Schedule, ScheduleRun, ThreadRecord
from bot.store.records import Episode, Fact

SHOW = "Soundtrack #1"
SPOILERS_TAG = "Spoilers"
TABLE_HEADING = "**Every episode's thread**"


def thread_title(episode: int) -> str:
    return f"{SHOW} · Episode {episode} discussion"


def episode_tag(episode: int) -> str:
    return f"Episode {episode}"


def warning_line(episode: int) -> str:
    """First line of every starter: Discord shows the thread to everyone."""
    span = "episode 1" if episode == 1 else f"episodes 1–{episode}"
    return (
        f"⚠️ **Spoilers for {span}.** Discord shows this thread to every member, whatever "
        f"their progress: if you haven't watched episode {episode} yet, leave now."
    )


def spoiler_rule(episode: int) -> str:
    return (
        f"Everything up to episode {episode} is fair game here; later episodes go in "
        "||spoiler tags|| (`/spoiler` does it for you)."
    )


def table_lines(
    numbers: Sequence[int], threads: Mapping[int, int], this_episode: int | None
) -> list[str]:
    """One line per episode: its thread as a link, "this thread", or not open yet."""
    lines = []
    for number in numbers:
        if number == this_episode:
            where = "this thread"
        elif number in threads:
            where = f"<#{threads[number]}>"
        else:
            where = "not open yet"
        lines.append(f"Episode {number}: {where}")
    return lines


def recap_lines(facts: Sequence[Fact]) -> list[str]:
    """What the documents say about the episode, every story detail spoiler-tagged."""
    return ["• " + show_piece(safe_text(f.object), f.spoiler_level, Audience.SHARED) for f in facts]


def starter_text(
    episode: Episode,
    recap: Sequence[Fact],
    numbers: Sequence[int],
    threads: Mapping[int, int],
) -> str:
    """The thread's first message: warning, air date, rule, recap, and every thread's link."""
    n = episode.number
    aired = f"Aired {timestamp(episode.air_time, 'F')} ({timestamp(episode.air_time, 'R')})"
    if episode.derived:
        aired += ", date derived from the weekly slot"
    recap_block = "\n".join(recap_lines(recap)) or "The documents say nothing specific about it."
    table = "\n".join(table_lines(numbers, threads, n))
    text = (
        f"{warning_line(n)}\n\n"
        f"## {thread_title(n)}\n"
        f"{aired}.\n"
        f"**Spoiler rule:** {spoiler_rule(n)}\n\n"
        f"{TABLE_HEADING}\n{table}\n\n"
        f"**Recap from the documents** (tap to reveal)\n{recap_block}"
    )
    # The table comes before the recap, so clipping never cuts a link off.
    return clip_balanced(text, CONTENT_MAX)


def scheduled_note(episode: int, rewatch: bool) -> str:
    """Posted into an episode's existing thread when its scheduled time comes."""
    when = "in the rewatch" if rewatch else "now"
    return f"Episode {episode} is on {when}: discuss it here. {spoiler_rule(episode)}"


def opened_reply(thread_id: int, episode: int, notes: Sequence[str]) -> str:
    lines = [f"Opened <#{thread_id}> for episode {episode}.", *notes]
    return "\n".join(lines)


def existing_reply(thread_id: int, episode: int, reopened: bool, notes: Sequence[str]) -> str:
    first = f"Episode {episode} already has its thread: <#{thread_id}>."
    if reopened:
        first += " It was archived; I reopened it."
    return "\n".join([first, *notes])


def schedule_line(schedule: Schedule | None) -> str:
    if schedule is None or not schedule.enabled:
        return "Off: threads open only with `/discussion open`."
    if schedule.rewatch_start is not None:
        return (
            f"On, for a rewatch: episode 1 at {timestamp(schedule.rewatch_start, 'f')}, then "
            f"one every {schedule.rewatch_every_days} day(s)."
        )
    return "On: each thread opens at its episode's original air time."


def due_lines(due: Sequence[tuple[int, datetime]]) -> list[str]:
    return [f"Episode {n}: {timestamp(t, 'f')} ({timestamp(t, 'R')})" for n, t in due]


def run_line(run: ScheduleRun) -> str:
    what = {"opened": "opened", "existing": "announced in its thread", "failed": "failed"}
    line = (
        f"Episode {run.episode} ({timestamp(run.due, 'f')}): {what.get(run.outcome, run.outcome)}"
    )
    return f"{line}: {run.detail}" if run.detail else line


def list_embed(
    numbers: Sequence[int],
    records: Sequence[ThreadRecord],
    channel_id: int | None,
    schedule: Schedule | None,
    upcoming: Sequence[tuple[int, datetime]],
    runs: Sequence[ScheduleRun],
) -> discord.Embed:
    by_episode = {r.episode: r for r in records}
    lines = []
    for number in numbers:
        record = by_episode.get(number)
        if record is None:
            lines.append(f"**Episode {number}**: not open yet")
        else:
            lines.append(
                f"**Episode {number}**: <#{record.thread_id}> in <#{record.parent_id}>, "
                f"opened {timestamp(record.created_at, 'R')}"
            )
    embed = base_embed("Episode discussion threads", "\n".join(lines))
    embed.add_field(
        name="Discussion channel",
        value=f"<#{channel_id}>" if channel_id else "Not set: `/settings discussion channel:`",
        inline=False,
    )
    schedule_value = schedule_line(schedule)
    if schedule is not None and schedule.enabled:
        coming = due_lines(upcoming)
        schedule_value += "\n" + ("\n".join(coming) if coming else "Nothing left to open.")
    embed.add_field(name="Schedule", value=schedule_value, inline=False)
    failed = [run_line(r) for r in runs if r.outcome == "failed"]
    if failed:
        embed.add_field(name="Scheduled openings that failed", value="\n".join(failed[-5:]))
    return embed
