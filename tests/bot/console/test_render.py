"""Messages drawn for a terminal: markdown styled, embeds boxed, buttons as chips."""

from __future__ import annotations

import io

from rich.console import Console, RenderableType

from bot.console.render import Names, chips, embed_box, markdown, render


def plain(renderable: RenderableType) -> str:
    buffer = io.StringIO()
    Console(width=100, force_terminal=False, no_color=True, file=buffer).print(renderable)
    return buffer.getvalue()


def coloured(renderable: RenderableType) -> str:
    buffer = io.StringIO()
    console = Console(width=100, force_terminal=True, color_system="truecolor", file=buffer)
    console.print(renderable)
    return buffer.getvalue()


def test_discord_markdown_becomes_styles_not_asterisks() -> None:
    text = markdown(
        "**bold** *it* __under__ ~~gone~~ `code` \\*\\*escaped\\*\\* [site](https://x.y)"
    )
    assert text.plain == "bold it under gone code **escaped** site (https://x.y)"
    styles = {text.plain[span.start : span.end]: str(span.style) for span in text.spans}
    assert "bold" in styles["bold"] and "italic" in styles["it"]
    assert "underline" in styles["under"] and "strike" in styles["gone"]
    assert "\x1b[1m" in coloured(markdown("**bold**"))  # a terminal gets real bold


def test_mentions_show_names_and_spoilers_stay_marked() -> None:
    names = Names(users={1: "alice"}, channels={2: "general"}, roles={3: "Moderator"})
    text = markdown("<@1> in <#2> pinged <@&3>; <@9> left ||the **end**||", names)
    assert text.plain == (
        "@alice in #general pinged @Moderator; @unknown user left ▒spoiler: the end▒"
    )


def test_an_embed_is_a_box_in_its_colour_wide_enough_for_its_footer() -> None:
    embed = {
        "title": "Question 1/3",
        "description": "Who plays **Eun-soo**?",
        "fields": [{"name": "Answer", "value": "A\nB"}],
        "footer": {"text": "Sources: a rather long footer naming every document used"},
        "color": 0x5865F2,
    }
    drawn = plain(embed_box(embed))
    lines = drawn.splitlines()
    assert lines[0].startswith("╭─ Question 1/3 ")
    assert "│ Who plays Eun-soo?" in drawn and "│ ▸ Answer" in drawn and "│   B" in drawn
    assert lines[-1].startswith("╰─ Sources: a rather long footer naming every document used ─")
    assert len({len(line) for line in lines}) == 1  # a closed box
    assert "38;2;88;101;242" in coloured(embed_box(embed))  # the border in #5865F2
    # A footer too long for the border goes inside, wrapped, never cut.
    embed["footer"] = {"text": "Sources: " + "every document " * 10}
    drawn = plain(embed_box(embed, max_width=60))
    inside = " ".join(" ".join(drawn.splitlines()[1:-1]).replace("│", "").split())
    assert inside.endswith("Sources: " + ("every document " * 10).strip())
    assert all(len(line) == 60 for line in drawn.splitlines())


def test_buttons_are_numbered_chips() -> None:
    row = [
        {
            "type": 1,
            "components": [
                {"type": 2, "label": "A", "custom_id": "a", "style": 1},
                {"type": 2, "label": "B", "custom_id": "b", "style": 4, "disabled": True},
                {"type": 2, "label": "Docs", "url": "https://x.y", "style": 5},
            ],
        }
    ]
    drawn = chips(row)
    assert drawn is not None
    assert drawn.plain == "[1] A   [2] B (disabled)  [3] Docs (https://x.y)"
    assert chips([]) is None
    assert plain(render("", [], [], ephemeral=False)).strip() == "(empty message)"
    shown = plain(render("hi", [], row, ephemeral=True, heading="in #general"))
    assert shown.splitlines()[:3] == ["in #general", "(only you can see this)", "hi"]


def test_render_shows_spoilers_timestamps_and_numbered_buttons() -> None:
    text = plain(
        render(
            "Ep 4 spoiler: ||the ending|| by <@5>",
            [
                {
                    "title": "T",
                    "description": "Aired <t:1648018800:D>",
                    "fields": [{"name": "F", "value": "v"}],
                    "footer": {"text": "Sources: X"},
                }
            ],
            [
                {
                    "type": 1,
                    "components": [
                        {"type": 2, "label": "Next", "custom_id": "n", "disabled": True}
                    ],
                }
            ],
            ephemeral=True,
            names=Names(users={5: "bob"}),
        )
    )
    assert "(only you can see this)" in text
    assert "▒spoiler: the ending▒ by @bob" in text
    assert "[2022-03-23 07:00 UTC]" in text
    assert "[1] Next (disabled)" in text
    assert "╰─ Sources: X" in text
