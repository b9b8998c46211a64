"""`python -m bot` runs the bot, like `soundtrack-bot run`; with arguments it is
`soundtrack-bot` itself (`python -m bot --help`, `python -m bot build`)."""

import sys

from bot.cli import main

raise SystemExit(main(sys.argv[1:] or ["run"]))
