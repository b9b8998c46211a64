"""`python -m bot` runs the bot, like `soundtrack-bot run`."""

from bot.cli import main

raise SystemExit(main(["run"]))
