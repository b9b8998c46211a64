"""The `soundtrack-bot` command: build the fact store (and, later, run the bot)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from bot.facts.build import BuildError
from bot.facts.curated import CuratedError
from bot.facts.documents import DocumentError
from bot.facts.pipeline import build_store
from bot.settings import Settings, SettingsError, load_settings


def _build(settings: Settings, args: argparse.Namespace) -> int:
    try:
        summary = build_store(settings.documents_dir, settings.curated_file, settings.facts_db)
    except (BuildError, CuratedError, DocumentError) as exc:
        print(f"build failed: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps({**summary.counts, "seconds": round(summary.seconds, 4)}))
    else:
        counts = ", ".join(f"{n} {name}" for name, n in summary.counts.items())
        print(f"Built {settings.facts_db} in {summary.seconds:.2f}s: {counts}")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="soundtrack-bot", description="A spoiler-safe Discord fan bot for Soundtrack #1."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="build the fact store from data/documents")
    build.add_argument("--json", action="store_true", help="print the counts as JSON")
    build.set_defaults(handler=_build)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    return int(args.handler(settings, args))


if __name__ == "__main__":
    raise SystemExit(main())
