"""Rendering a bot message for the terminal."""

from __future__ import annotations

from bot.console.render import render


def test_render_shows_spoilers_timestamps_and_numbered_buttons() -> None:
    text = render(
        "Ep 4 spoiler: ||the ending||",
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
                "components": [{"type": 2, "label": "Next", "custom_id": "n", "disabled": True}],
            }
        ],
        ephemeral=True,
    )
    assert "(only you can see this)" in text
    assert "▒spoiler: the ending▒" in text
    assert "[2022-03-23 07:00 UTC]" in text
    assert "[1] Next (disabled)" in text
    assert "└ Sources: X" in text
