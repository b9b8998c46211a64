"""Embeds for the lookup commands: pure functions of store records, progress and audience.

Every card lists its sources in the footer and goes through the spoiler gate: story
facts above the viewer's progress are left out with a notice; in shared replies every
story fact above the premise is spoiler-tagged with its episode.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import discord

from bot.embeds import DESCRIPTION_MAX, FIELD_VALUE_MAX, FIELDS_MAX, base_embed, clip
from bot.i18n import ENGLISH, N_, Where, decimal, t
from bot.reply_text import safe_text, sources_line, timestamp
from bot.spoiler_gate import (
    Piece,
    Viewer,
    clip_balanced,
    gate,
    hidden_notice,
)
from bot.store.community import Rating
from bot.store.records import (
    Character,
    DocumentInfo,
    Episode,
    Fact,
    Person,
    ShowInfo,
    Song,
)

CAST_PER_PAGE = 10
HIDDEN_FIELD = N_("Hidden to protect you from spoilers")


def _gated_lines(
    facts: Sequence[Fact], viewer: Viewer, bullet: str = "• "
) -> tuple[list[str], list[int]]:
    pieces = [Piece(safe_text(f.object), f.spoiler_level) for f in facts]
    gated = gate(pieces, viewer.progress, viewer.audience)
    return [bullet + line for line in gated.shown], gated.hidden_levels


def _field_value(lines: Sequence[str]) -> str:
    return clip_balanced("\n".join(lines), FIELD_VALUE_MAX)


def _facts_footer(facts: Sequence[Fact], progress: int, where: Where) -> str:
    """The sources of the facts the viewer may see, counted by document-set union (a claim
    a big corpus repeats has hundreds), the first few read to name them."""
    documents = frozenset[str]().union(*(f.documents_within(progress) for f in facts))
    sources = (source for f in facts for source in f.sources_within(progress))
    return sources_line(sources, where, documents=len(documents))


def _add_hidden(
    embed: discord.Embed,
    hidden: Sequence[int],
    where: Where = ENGLISH,
    name_episodes: bool = True,
) -> None:
    notice = hidden_notice(hidden, where, name_episodes)
    if notice:
        embed.add_field(name=t(where, HIDDEN_FIELD), value=notice, inline=False)


_WORK_DETAILS = ("year", "network", "role")


def work_line(fact: Fact) -> str:
    detail = fact.detail
    extras = [str(detail[k]) for k in _WORK_DETAILS if k in detail]
    line = safe_text(fact.object)
    return f"{line} ({', '.join(extras)})" if extras else line


def work_lines(facts: Sequence[Fact], viewer: Viewer) -> list[str]:
    """One line per title among the "work" facts within progress; where documents name a
    title twice, the line with the most detail."""
    best: dict[str, Fact] = {}
    for fact in facts:
        if fact.predicate != "work" or fact.spoiler_level > viewer.progress:
            continue
        known = best.get(fact.object)
        richness = sum(k in fact.detail for k in _WORK_DETAILS)
        if known is None or richness > sum(k in known.detail for k in _WORK_DETAILS):
            best[fact.object] = fact
    return [work_line(f) for f in best.values()]


def cast_card(
    character: Character,
    character_facts: Sequence[Fact],
    actor_facts: Sequence[Fact],
    viewer: Viewer,
    where: Where = ENGLISH,
) -> discord.Embed:
    """An actor and the character they play: role, description, traits, other works."""
    actor = character.actor
    title = (
        t(where, "{actor} as {character}", actor=actor.name, character=character.name)
        if actor
        else character.name
    )
    by = {
        p: [f for f in character_facts if f.predicate == p]
        for p in ("description", "occupation", "trait")
    }
    description_lines, hidden = _gated_lines(by["description"], viewer, bullet="")
    embed = base_embed(title, clip_balanced("\n".join(description_lines), DESCRIPTION_MAX) or None)
    if actor:
        embed.add_field(name=t(where, "Actor"), value=actor.name, inline=True)
    embed.add_field(name=t(where, "Character"), value=character.name, inline=True)
    jobs, hidden_jobs = _gated_lines(by["occupation"], viewer, bullet="")
    hidden += hidden_jobs
    if jobs:
        embed.add_field(
            name=t(where, "Role"), value=_field_value(list(dict.fromkeys(jobs))), inline=True
        )
    traits, hidden_traits = _gated_lines(by["trait"], viewer)
    hidden += hidden_traits
    if traits:
        embed.add_field(name=t(where, "Traits"), value=_field_value(traits), inline=False)
    if works := work_lines(actor_facts, viewer):
        embed.add_field(
            name=t(where, "Other works in the documents"), value=_field_value(works), inline=False
        )
    _add_hidden(embed, hidden, where, name_episodes=False)
    embed.set_footer(text=_facts_footer([*character_facts, *actor_facts], viewer.progress, where))
    return embed


def cast_list_pages(
    cast: Sequence[Character], cited: Sequence[Fact], where: Where = ENGLISH
) -> list[discord.Embed]:
    """The cast, one line each; casting is never a spoiler."""
    pages = []
    chunks = [cast[i : i + CAST_PER_PAGE] for i in range(0, len(cast), CAST_PER_PAGE)] or [[]]
    for chunk in chunks:
        lines = [
            t(where, "**{actor}** as {character}", actor=c.actor.name, character=c.name)
            for c in chunk
            if c.actor
        ]
        embed = base_embed(
            t(where, "Soundtrack #1 — cast"), "\n".join(lines) or t(where, "No cast found.")
        )
        embed.set_footer(text=_facts_footer(cited, 0, where))
        pages.append(embed)
    return pages


def known_lines(facts: Sequence[Fact], viewer: Viewer) -> list[str]:
    """What the store says of a person who is not in the cast, within the viewer's progress."""
    said = []
    for fact in facts:
        if fact.spoiler_level > viewer.progress:
            continue
        if fact.predicate == "member_of":
            said.append(f"member of {safe_text(fact.object)}")
        elif fact.subject_type == "show":  # a role on the show: director, writer
            said.append(f"{fact.predicate} of Soundtrack #1")
    return list(dict.fromkeys([*said, *work_lines(facts, viewer)]))


_NOT_CAST = {
    "crew": N_(
        "{name} worked on the show behind the camera, but is not in the cast of Soundtrack #1."
    ),
    "artist": N_(
        "{name} sings on the soundtrack (try /ost), but is not in the cast of Soundtrack #1."
    ),
    "mentioned": N_(
        "{name} is only mentioned in the documents, but is not in the cast of Soundtrack #1."
    ),
    "author": N_(
        "{name} wrote one of the source documents, but is not in the cast of Soundtrack #1."
    ),
}
_NAMED_ONLY = N_("{name} is named in the documents, but is not in the cast of Soundtrack #1.")


def not_cast_message(
    person: Person, facts: Sequence[Fact], viewer: Viewer, where: Where = ENGLISH
) -> str:
    """Who a non-cast person is, with what the store knows of them (their role on the
    show, their group, their other works). An ephemeral message: gated, never tagged."""
    message = t(where, _NOT_CAST.get(person.kind, _NAMED_ONLY), name=person.name)
    known = known_lines(facts, viewer)
    if known:
        message += " " + t(where, "The documents say: {facts}.", facts="; ".join(known))
    return clip(message, 2000)


def artist_groups(facts: Sequence[Fact], progress: int) -> dict[str, str]:
    """Person id -> the group the documents say they sing in, within progress."""
    return {
        f.subject_id: safe_text(f.object)
        for f in facts
        if f.predicate == "member_of" and f.spoiler_level <= progress
    }


def _credited(song: Song, credit: str, groups: Mapping[str, str]) -> str:
    """Who holds a credit on a song, each with their group: "Kyuhyun (Super Junior)"."""
    return ", ".join(
        f"{c.person.name} ({groups[c.person.id]})" if c.person.id in groups else c.person.name
        for c in song.credits
        if c.credit == credit
    )


def tracklist(
    songs: Sequence[Song],
    cited: Sequence[Fact],
    groups: Mapping[str, str] | None = None,
    where: Where = ENGLISH,
) -> discord.Embed:
    """The OST in release order, citing the spoiler-free `cited` facts; groups
    (artist_groups) name each singer's group."""
    lines = []
    for n, song in enumerate(songs, 1):
        singers = _credited(song, "singer", groups or {}) or t(where, "artist unknown")
        line = t(where, "{n}. **{title}** by {singers}", n=n, title=song.title, singers=singers)
        if song.release_order:
            line += " — " + t(where, "OST #{number}", number=song.release_order)
        lines.append(line)
    embed = base_embed(
        t(where, "Soundtrack #1 — OST"),
        "\n".join(lines) + "\n\n" + t(where, "Release order as far as the documents give it."),
    )
    embed.set_footer(text=_facts_footer(cited, 0, where))
    return embed


def song_card(
    song: Song,
    facts: Sequence[Fact],
    viewer: Viewer,
    artist_facts: Sequence[Fact] = (),
    where: Where = ENGLISH,
) -> discord.Embed:
    """A song: who sings and wrote it (with their groups), its release, what it is about.
    artist_facts are the store's facts about the credited people."""
    embed = base_embed(song.title)
    groups = artist_groups(artist_facts, viewer.progress)
    embed.add_field(
        name=t(where, "Sung by"),
        value=_credited(song, "singer", groups) or t(where, "Unknown"),
        inline=True,
    )
    if writers := _credited(song, "writer", groups):
        embed.add_field(name=t(where, "Written by"), value=writers, inline=True)
    if song.release_order:
        embed.add_field(
            name=t(where, "Released"),
            value=t(where, "OST #{number}", number=song.release_order),
            inline=True,
        )
    notes = [f for f in facts if f.predicate in ("about", "release")]
    lines, hidden = _gated_lines(notes, viewer)
    if lines:
        embed.add_field(
            name=t(where, "What the documents say"), value=_field_value(lines), inline=False
        )
    _add_hidden(embed, hidden, where, name_episodes=False)
    member_facts = [f for f in artist_facts if f.predicate == "member_of"]
    embed.set_footer(text=_facts_footer([*facts, *member_facts], viewer.progress, where))
    return embed


# What the show card says beyond its key facts, in this order.
SHOW_NOTES = (
    ("setting", N_("Setting")),
    ("release", N_("Release")),
    ("music", N_("Music")),
    ("press", N_("From the press")),
)


def _crew_value(name: str, works: Sequence[Fact], viewer: Viewer, where: Where) -> str:
    """ "Kim Hee-won" with the other works the documents credit them with."""
    titles = work_lines(works, viewer)
    also = t(where, "Also: {titles}", titles=", ".join(titles))
    return _field_value([name, also] if titles else [name])


def show_card(
    show: ShowInfo,
    first_episode: Episode | None,
    facts: Sequence[Fact],
    viewer: Viewer,
    crew_works: Mapping[str, Sequence[Fact]] | None = None,
    where: Where = ENGLISH,
) -> discord.Embed:
    """The overview; crew_works maps the director's and writer's names to their "work"
    facts, so the card says what else they made. Labels in the reader's language, what
    the documents say as written."""
    crew_works = crew_works or {}
    premise = [f for f in facts if f.predicate == "premise" and f.spoiler_level == 0]
    description = "\n\n".join(safe_text(f.object) for f in premise[:2])
    embed = base_embed(show.title, description or None)
    if show.platform:
        embed.add_field(name=t(where, "Platform"), value=show.platform, inline=True)
    if first_episode is not None:
        embed.add_field(
            name=t(where, "Premiere"), value=timestamp(first_episode.air_time, "D"), inline=True
        )
    if show.episode_count:
        value = str(show.episode_count)
        if show.slot_day and show.slot_time:
            slot = f"{show.slot_time} {show.slot_zone or ''}".rstrip()
            value = t(
                where,
                "{count}, {day}s at {time}",
                count=show.episode_count,
                day=show.slot_day,
                time=slot,
            )
        embed.add_field(name=t(where, "Episodes"), value=value, inline=True)
    if show.director:
        value = _crew_value(show.director, crew_works.get(show.director, ()), viewer, where)
        embed.add_field(name=t(where, "Director"), value=value, inline=True)
    if show.writer:
        value = _crew_value(show.writer, crew_works.get(show.writer, ()), viewer, where)
        embed.add_field(name=t(where, "Writer"), value=value, inline=True)
    if show.genres:
        embed.add_field(
            name=t(where, "Genre"), value=_field_value([", ".join(show.genres)]), inline=False
        )
    hidden: list[int] = []
    notes: dict[str, list[Fact]] = {predicate: [] for predicate, _ in SHOW_NOTES}
    for fact in facts:
        if fact.predicate in notes:
            notes[fact.predicate].append(fact)
    for predicate, name in SHOW_NOTES:
        lines, hidden_here = _gated_lines(notes[predicate], viewer)
        hidden += hidden_here
        if lines:
            embed.add_field(name=t(where, name), value=_field_value(lines), inline=False)
    _add_hidden(embed, hidden, where, name_episodes=False)
    works = [f for fs in crew_works.values() for f in fs]
    embed.set_footer(text=_facts_footer([*facts, *works], viewer.progress, where))
    return embed


def votes_text(count: int, where: Where = ENGLISH) -> str:
    if count == 1:
        return t(where, "1 vote")
    return t(where, "{count} votes", count=count)


def rating_text(rating: Rating, where: Where = ENGLISH) -> str:
    """ "★ 4.3/5 (3 votes)", or "no votes"."""
    if rating.average is None:
        return t(where, "no votes")
    return t(
        where,
        "★ {average}/5 ({votes})",
        average=decimal(rating.average, where),
        votes=votes_text(rating.total, where),
    )


def episodes_card(
    episodes: Sequence[Episode],
    cited: Sequence[Fact],
    threads: Mapping[int, int] | None = None,
    ratings: Mapping[int, str] | None = None,
    where: Where = ENGLISH,
) -> discord.Embed:
    """Air dates, and each episode's discussion thread and server rating where there is
    one (ratings: already cut to the episodes the viewer has reached, as text)."""
    lines = []
    for e in episodes:
        line = t(
            where,
            "**Episode {episode}** — {date}",
            episode=e.number,
            date=timestamp(e.air_time, "D"),
        )
        if e.derived and e.number > 1:
            line += " " + t(where, "(date derived from the weekly slot)")
        if threads and e.number in threads:
            line += " · " + t(where, "discussion: {thread}", thread=f"<#{threads[e.number]}>")
        if ratings and e.number in ratings:
            line += " · " + t(where, "rated {rating}", rating=ratings[e.number])
        lines.append(line)
    embed = base_embed(t(where, "Soundtrack #1 — episodes"), "\n".join(lines))
    embed.set_footer(text=_facts_footer(cited, 0, where))
    return embed


def episode_card(
    episode: Episode, facts: Sequence[Fact], viewer: Viewer, where: Where = ENGLISH
) -> discord.Embed:
    lines, hidden = _gated_lines(facts, viewer)
    date = timestamp(episode.air_time, "D")
    aired = (
        t(where, "Aired {date} (derived)", date=date)
        if episode.derived
        else t(where, "Aired {date}", date=date)
    )
    embed = base_embed(t(where, "Episode {episode}", episode=episode.number), aired)
    said = t(where, "What the documents say")
    if lines:
        embed.add_field(name=said, value=_field_value(lines), inline=False)
    elif not hidden:
        embed.add_field(name=said, value=t(where, "Nothing specific about this episode."))
    _add_hidden(embed, hidden, where)
    embed.set_footer(text=_facts_footer(facts, viewer.progress, where))
    return embed


def sources_card(documents: Sequence[DocumentInfo], where: Where = ENGLISH) -> discord.Embed:
    embed = base_embed(
        t(where, "Where my answers come from"),
        t(where, "Every fact I give is stored with the document and sentence it comes from."),
    )
    not_stated = t(where, "not stated")
    for doc in documents[:FIELDS_MAX]:
        details = [
            t(where, "Outlet: {outlet}", outlet=doc.outlet or not_stated),
            t(where, "Author: {author}", author=doc.author or not_stated),
            t(where, "Kind: {kind}", kind=doc.kind or t(where, "unknown")),
            t(where, "Facts supported: {count}", count=doc.fact_count),
        ]
        embed.add_field(name=clip(doc.title, 256), value="\n".join(details), inline=False)
    return embed
