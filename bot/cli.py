"""The `soundtrack-bot` command: build the store, run or sync the bot, try it locally."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Callable, Coroutine, Sequence
from pathlib import Path
from typing import Any, TypeVar

import discord

from bot.facts.build import BuildError
from bot.facts.curated import CuratedError
from bot.facts.documents import DocumentError
from bot.facts.pipeline import build_store
from bot.settings import Settings, SettingsError, load_settings
from bot.store.writer import StoreCheckError

T = TypeVar("T")


def _build(settings: Settings, args: argparse.Namespace) -> int:
    try:
        summary = build_store(settings.documents_dir, settings.curated_file, settings.facts_db)
    except (BuildError, CuratedError, DocumentError, StoreCheckError) as exc:
        print(f"build failed: {exc}", file=sys.stderr)
        return 1
    unrated = summary.default_rated
    if args.json:
        report = [
            {"document": u.document_id, "sentence": u.sentence, "level": u.level, "text": u.text}
            for u in unrated
        ]
        print(
            json.dumps(
                {
                    **summary.counts,
                    "seconds": round(summary.seconds, 4),
                    "default_rated": len(unrated),
                    "default_rated_sentences": report,
                }
            )
        )
    else:
        counts = ", ".join(f"{n} {name}" for name, n in summary.counts.items())
        print(f"Built {settings.facts_db} in {summary.seconds:.2f}s: {counts}")
        print(
            f"Spoiler ratings: {len(unrated)} sentence(s) at their document's default level"
            + (":" if unrated else " (every sentence is rated in curated.toml).")
        )
        for u in unrated:
            print(f"  {u.document_id} #{u.sentence} (level {u.level}): {u.text[:100]}")
    return 0


def _with_token(
    settings: Settings, work: Callable[[str], Coroutine[Any, Any, T]]
) -> tuple[bool, T | None]:
    """Run `work(token)` with logging set up: (True, its result), or (False, None) after
    one line on stderr when there is no token or Discord refuses it."""
    from bot.runner import NO_TOKEN, setup_logging

    if not settings.discord_token:
        print(NO_TOKEN, file=sys.stderr)
        return False, None
    setup_logging(settings)
    try:
        return True, asyncio.run(work(settings.discord_token))
    except discord.LoginFailure:
        print("Discord rejected DISCORD_TOKEN: check it in .env.", file=sys.stderr)
        return False, None


def _run(settings: Settings, args: argparse.Namespace) -> int:
    from bot.runner import run_bot

    ran, _ = _with_token(settings, lambda token: run_bot(settings, token))
    return 0 if ran else 1


def _sync(settings: Settings, args: argparse.Namespace) -> int:
    from bot.runner import sync_once

    guild_id = args.guild if args.guild is not None else settings.dev_guild_id
    synced, names = _with_token(settings, lambda token: sync_once(settings, token, guild_id))
    if not synced or names is None:
        return 1
    where = f"server {guild_id}" if guild_id else "every server (global; may take a while)"
    print(f"Synced {len(names)} commands to {where}: {', '.join(sorted(names))}")
    return 0


def _console(settings: Settings, args: argparse.Namespace) -> int:
    from bot.console import run_console

    return run_console(settings)


def _start(settings: Settings, args: argparse.Namespace) -> int:
    """The README's run command: the real bot with a token, the playground without."""
    if settings.discord_token:
        return _run(settings, args)
    print("No DISCORD_TOKEN set: starting the local playground instead.", file=sys.stderr)
    return _console(settings, args)


def _invite(settings: Settings, args: argparse.Namespace) -> int:
    from bot.permissions import OPTIONAL, REQUIRED, invite_url

    print(invite_url(args.client_id))
    for name, why in REQUIRED.items():
        print(f"  {name.replace('_', ' ').title()}: {why}")
    print("Optional (the bot says what it skipped without them):")
    for name, why in OPTIONAL.items():
        print(f"  {name.replace('_', ' ').title()}: {why}")
    return 0


def _trivia_export(settings: Settings, args: argparse.Namespace) -> int:
    from bot.trivia.files import export_red_list
    from bot.trivia.redlist import RedListError

    try:
        count = export_red_list(settings, args.file, args.guild, args.spoilers_up_to)
    except (RedListError, OSError) as exc:
        print(f"export failed: {exc}", file=sys.stderr)
        return 1
    source = f"server {args.guild}'s questions" if args.guild else "the fact store's questions"
    print(f"Wrote {count} questions ({source}) to {args.file} in Red's trivia-list format")
    return 0


def _trivia_import(settings: Settings, args: argparse.Namespace) -> int:
    from bot.trivia.files import import_red_list
    from bot.trivia.redlist import RedListError

    try:
        added, skipped = import_red_list(
            settings, args.file, args.guild, args.category, args.spoils
        )
    except (RedListError, OSError, UnicodeDecodeError) as exc:
        print(f"import failed: {exc}", file=sys.stderr)
        return 1
    note = f"; {skipped} already there" if skipped else ""
    print(
        f"Imported {added} questions into server {args.guild}'s custom questions{note}."
        " Games play them once a moderator runs /trivia custom enable there."
    )
    return 0


def _episode(text: str) -> int:
    if not text.isdigit() or not 0 <= int(text) <= 4:
        raise argparse.ArgumentTypeError("an episode from 0 to 4")
    return int(text)


def _add_trivia(commands: Any) -> None:
    trivia = commands.add_parser("trivia", help="trivia question sets: Red lists in and out")
    actions = trivia.add_subparsers(dest="action", required=True)
    export = actions.add_parser("export", help="write the questions as a Red trivia list")
    export.add_argument("--format", choices=["red"], default="red", help="the file format")
    export.add_argument("file", type=Path, help="the .yaml file to write")
    export.add_argument("--guild", type=int, help="export this server's custom questions")
    export.add_argument(
        "--spoilers-up-to", type=_episode, default=4, help="highest episode spoiled (0-4)"
    )
    export.set_defaults(handler=_trivia_export)
    load = actions.add_parser("import", help="read a Red trivia list into a server's questions")
    load.add_argument("file", type=Path, help="the Red .yaml list")
    load.add_argument("--guild", type=int, required=True, help="the server to add them to")
    load.add_argument("--category", help="category of every question (default: from the file)")
    load.add_argument(
        "--spoils",
        type=_episode,
        default=4,
        help="episode a plain Red list's questions spoil (default 4, the safest)",
    )
    load.set_defaults(handler=_trivia_import)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="soundtrack-bot", description="A spoiler-safe Discord fan bot for Soundtrack #1."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="build the fact store from data/documents")
    build.add_argument("--json", action="store_true", help="print the counts as JSON")
    build.set_defaults(handler=_build)
    run = commands.add_parser("run", help="run the bot on Discord (needs DISCORD_TOKEN)")
    run.set_defaults(handler=_run)
    sync = commands.add_parser("sync", help="publish the slash commands to Discord")
    sync.add_argument(
        "--guild",
        type=int,
        help="copy the commands to this server only (default: DEV_GUILD_ID, else global)",
    )
    sync.set_defaults(handler=_sync)
    console = commands.add_parser("console", help="try the bot in a terminal, no token needed")
    console.set_defaults(handler=_console)
    start = commands.add_parser("start", help="run with a token, else the console playground")
    start.set_defaults(handler=_start)
    invite = commands.add_parser("invite", help="print the invite link and why each permission")
    invite.add_argument("client_id", type=int, help="the application's client id")
    invite.set_defaults(handler=_invite)
    _add_trivia(commands)
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
