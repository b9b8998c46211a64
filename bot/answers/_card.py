"""The /ask reply as an embed: a pure function of the answer layer's Reply and the viewer."""

from __future__ import annotations

import discord

from bot.answers._model import Reply
from bot.embeds import DESCRIPTION_MAX, FIELD_VALUE_MAX, base_embed, clip
from bot.i18n import ENGLISH, N_, Where, t
from bot.reply_text import highlighted, safe_text, sources_line
from bot.spoiler_gate import Audience, Viewer, clip_balanced, spoiler_tag
from bot.store.records import DocumentInfo, SourceRef

BEYOND_FIELD = N_("Beyond your progress")
NO_MATCH = N_(
    "Nothing in the documents matches that. Try other words, or /cast, /ost, /show and /episodes."
)


def _quote_line(source: SourceRef) -> str:
    sentence = clip(" ".join(source.sentence.split()), 300)
    return f"> {safe_text(sentence)}\n— {safe_text(source.document.citation)}"


def answer_card(reply: Reply, viewer: Viewer, where: Where = ENGLISH) -> discord.Embed:
    """/ask: the direct answer with its supporting sentence, then up to three passages.

    The answer layer only ever holds what the viewer may see. What lies beyond their
    progress is counted, never placed: no episode is named, so a search cannot become a
    hint of where something happens. The card's own words follow `where`; the answer and
    the quotes stay as the answer layer and the documents give them.
    """
    embed = base_embed(f"“{clip(safe_text(reply.question.strip()) or '…', 200)}”")
    lines: list[str] = []
    answer = reply.answer
    if answer is not None:
        body = "\n".join([answer.text, *answer.notes])
        if viewer.audience is Audience.SHARED and answer.level > 0:
            body = spoiler_tag(body, answer.level)
        lines.append(body)
        source = answer.citation(viewer.progress)
        if source is not None:
            quote = _quote_line(source)
            if viewer.audience is Audience.SHARED and source.spoiler_level > 0:
                quote = spoiler_tag(quote, source.spoiler_level)
            lines.append(quote)
        if reply.withheld:  # one of several questions answered, another beyond progress
            lines.append(t(where, "The rest of what you asked is beyond how far you've watched."))
    elif reply.withheld:
        lines.append(
            t(
                where,
                "I can answer that, but the answer is beyond how far you've watched. "
                "Use /progress when you've seen more.",
            )
        )
    for hit in reply.passages:
        text = highlighted(hit.snippet)
        if viewer.audience is Audience.SHARED and hit.spoiler_level > 0:
            text = spoiler_tag(text, hit.spoiler_level)
        embed.add_field(
            name=clip(hit.document.citation, 256),
            value=clip_balanced(text, FIELD_VALUE_MAX),
            inline=False,
        )
    if not lines and not reply.passages:
        lines.append(
            t(where, "Everything that matches is beyond how far you've watched.")
            if reply.beyond
            else t(where, NO_MATCH)
        )
    embed.description = clip_balanced("\n\n".join(lines), DESCRIPTION_MAX) if lines else None
    if reply.beyond:
        beyond = (
            t(where, "1 more match is beyond how far you've watched. Use /progress to change that.")
            if reply.beyond == 1
            else t(
                where,
                "{count} more matches are beyond how far you've watched. "
                "Use /progress to change that.",
                count=reply.beyond,
            )
        )
        embed.add_field(name=t(where, BEYOND_FIELD), value=beyond, inline=False)
    cited: list[SourceRef | DocumentInfo] = [
        *(answer.sources[:1] if answer else ()),
        *(h.document for h in reply.passages),
    ]
    if answer is not None and answer.citation(viewer.progress) is None:
        cited = [h.document for h in reply.passages]
    embed.set_footer(text=sources_line(cited, where))
    return embed
