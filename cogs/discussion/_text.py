"""Discussion thread texts: pure builders of titles, starters, the link table and replies."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

import discord

from bot.embeds import CONTENT_MAX, base_embed
from bot.i18n import ENGLISH, N_, Where, t
from bot.reply_text import safe_text, timestamp
from bot.spoiler_gate import Audience, clip_balanced, show_piece
from bot.store.community import STARS, Rating
from bot.store.discussions import Schedule, ScheduleRun, ThreadRecord
from bot.store.records import Episode, Fact
from cogs._cards import rating_text

SHOW = "Soundtrack #1"
SPOILERS_TAG = "Spoilers"


def thread_title(episode: int, where: Where = ENGLISH) -> str:
    return t(where, "{show} · Episode {episode} discussion", show=SHOW, episode=episode)


def episode_tag(episode: int) -> str:
    return f"Episode {episode}"


def warning_line(episode: int, where: Where = ENGLISH) -> str:
    """First line of every starter: Discord shows the thread to everyone."""
    if episode == 1:
        return t(
            where,
            "⚠️ **Spoilers for episode 1.** Discord shows this thread to every member, whatever "
            "their progress: if you haven't watched episode 1 yet, leave now.",
        )
    return t(
        where,
        "⚠️ **Spoilers for episodes 1–{episode}.** Discord shows this thread to every member, "
        "whatever their progress: if you haven't watched episode {episode} yet, leave now.",
        episode=episode,
    )


def spoiler_rule(episode: int, where: Where = ENGLISH) -> str:
    return t(
        where,
        "Everything up to episode {episode} is fair game here; later episodes go in "
        "||spoiler tags|| (`/spoiler` does it for you).",
        episode=episode,
    )


def table_lines(
    numbers: Sequence[int],
    threads: Mapping[int, int],
    this_episode: int | None,
    ratings: Mapping[int, Rating] | None = None,
    where: Where = ENGLISH,
) -> list[str]:
    """One line per episode: its thread as a link, "this thread", or not open yet, and the
    server's rating once that episode's poll has ended (holo's score column)."""
    lines = []
    for number in numbers:
        if number == this_episode:
            link = t(where, "this thread")
        elif number in threads:
            link = f"<#{threads[number]}>"
        else:
            link = t(where, "not open yet")
        line = t(where, "Episode {episode}: {link}", episode=number, link=link)
        if ratings and number in ratings:
            line += " · " + rating_text(ratings[number], where)
        lines.append(line)
    return lines


def recap_lines(facts: Sequence[Fact]) -> list[str]:
    """What the documents say about the episode, every story detail spoiler-tagged."""
    return ["• " + show_piece(safe_text(f.object), f.spoiler_level, Audience.SHARED) for f in facts]


def starter_text(
    episode: Episode,
    recap: Sequence[Fact],
    numbers: Sequence[int],
    threads: Mapping[int, int],
    ratings: Mapping[int, Rating] | None = None,
    where: Where = ENGLISH,
) -> str:
    """The thread's first message: warning, air date, rule, recap, and every thread's link,
    in the server's language (the recap quotes the documents as written)."""
    n = episode.number
    full, relative = timestamp(episode.air_time, "F"), timestamp(episode.air_time, "R")
    if episode.derived:
        aired = t(
            where,
            "Aired {date} ({relative}), date derived from the weekly slot.",
            date=full,
            relative=relative,
        )
    else:
        aired = t(where, "Aired {date} ({relative}).", date=full, relative=relative)
    recap_block = "\n".join(recap_lines(recap)) or t(
        where, "The documents say nothing specific about it."
    )
    table = "\n".join(table_lines(numbers, threads, n, ratings, where))
    text = (
        f"{warning_line(n, where)}\n\n"
        f"## {thread_title(n, where)}\n"
        f"{aired}\n"
        + t(where, "**Spoiler rule:** {rule}", rule=spoiler_rule(n, where))
        + "\n\n"
        + t(where, "**Every episode's thread**")
        + f"\n{table}\n\n"
        + t(where, "**Recap from the documents** (tap to reveal)")
        + f"\n{recap_block}"
    )
    # The table comes before the recap, so clipping never cuts a link off.
    return clip_balanced(text, CONTENT_MAX)


def scheduled_note(episode: int, rewatch: bool, where: Where = ENGLISH) -> str:
    """Posted into an episode's existing thread when its scheduled time comes."""
    if rewatch:
        first = t(
            where, "Episode {episode} is on in the rewatch: discuss it here.", episode=episode
        )
    else:
        first = t(where, "Episode {episode} is on now: discuss it here.", episode=episode)
    return f"{first} {spoiler_rule(episode, where)}"


def poll_question(episode: int, where: Where = ENGLISH) -> str:
    return t(where, "How would you rate episode {episode}?", episode=episode)


def poll_answers() -> list[str]:
    """1 to 5 stars, drawn so that every language reads them."""
    return ["★" * n + "☆" * (STARS - n) for n in range(1, STARS + 1)]


def poll_result_text(episode: int, rating: Rating, where: Where = ENGLISH) -> str:
    """Posted into the thread when its poll ends: the score and how the votes fell."""
    if rating.average is None:
        return t(where, "Episode {episode}'s rating poll has ended without votes.", episode=episode)
    lines = [
        t(
            where,
            "**The votes are in:** this server rates episode {episode} {rating}.",
            episode=episode,
            rating=rating_text(rating, where),
        )
    ]
    for label, count in reversed(list(zip(poll_answers(), rating.votes, strict=True))):
        lines.append(f"{label} {count}")
    return "\n".join(lines)


def opened_reply(thread_id: int, episode: int, notes: Sequence[str], where: Where = ENGLISH) -> str:
    opened = t(
        where, "Opened <#{thread}> for episode {episode}.", thread=thread_id, episode=episode
    )
    return "\n".join([opened, *notes])


def existing_reply(
    thread_id: int, episode: int, reopened: bool, notes: Sequence[str], where: Where = ENGLISH
) -> str:
    first = t(
        where,
        "Episode {episode} already has its thread: <#{thread}>.",
        episode=episode,
        thread=thread_id,
    )
    if reopened:
        first += " " + t(where, "It was archived; I reopened it.")
    return "\n".join([first, *notes])


def schedule_line(schedule: Schedule | None, where: Where = ENGLISH) -> str:
    if schedule is None or not schedule.enabled:
        return t(where, "Off: threads open only with `/discussion open`.")
    if schedule.rewatch_start is not None:
        return t(
            where,
            "On, for a rewatch: episode 1 at {start}, then one every {days} day(s).",
            start=timestamp(schedule.rewatch_start, "f"),
            days=schedule.rewatch_every_days,
        )
    return t(where, "On: each thread opens at its episode's original air time.")


def due_lines(due: Sequence[tuple[int, datetime]], where: Where = ENGLISH) -> list[str]:
    return [
        t(
            where,
            "Episode {episode}: {date} ({relative})",
            episode=n,
            date=timestamp(moment, "f"),
            relative=timestamp(moment, "R"),
        )
        for n, moment in due
    ]


_RUN_OUTCOMES = {
    "opened": N_("opened"),
    "existing": N_("announced in its thread"),
    "failed": N_("failed"),
}


def run_line(run: ScheduleRun, where: Where = ENGLISH) -> str:
    outcome = _RUN_OUTCOMES.get(run.outcome)
    line = t(
        where,
        "Episode {episode} ({date}): {outcome}",
        episode=run.episode,
        date=timestamp(run.due, "f"),
        outcome=t(where, outcome) if outcome else run.outcome,
    )
    return f"{line}: {run.detail}" if run.detail else line


def list_embed(
    numbers: Sequence[int],
    records: Sequence[ThreadRecord],
    channel_id: int | None,
    schedule: Schedule | None,
    upcoming: Sequence[tuple[int, datetime]],
    runs: Sequence[ScheduleRun],
    where: Where = ENGLISH,
) -> discord.Embed:
    by_episode = {r.episode: r for r in records}
    lines = []
    for number in numbers:
        record = by_episode.get(number)
        if record is None:
            lines.append(t(where, "**Episode {episode}**: not open yet", episode=number))
        else:
            lines.append(
                t(
                    where,
                    "**Episode {episode}**: <#{thread}> in <#{channel}>, opened {when}",
                    episode=number,
                    thread=record.thread_id,
                    channel=record.parent_id,
                    when=timestamp(record.created_at, "R"),
                )
            )
    embed = base_embed(t(where, "Episode discussion threads"), "\n".join(lines))
    embed.add_field(
        name=t(where, "Discussion channel"),
        value=f"<#{channel_id}>"
        if channel_id
        else t(where, "Not set: `/settings discussion channel:`"),
        inline=False,
    )
    schedule_value = schedule_line(schedule, where)
    if schedule is not None and schedule.enabled:
        coming = due_lines(upcoming, where)
        schedule_value += "\n" + (
            "\n".join(coming) if coming else t(where, "Nothing left to open.")
        )
    embed.add_field(name=t(where, "Schedule"), value=schedule_value, inline=False)
    failed = [run_line(r, where) for r in runs if r.outcome == "failed"]
    if failed:
        embed.add_field(
            name=t(where, "Scheduled openings that failed"), value="\n".join(failed[-5:])
        )
    return embed
