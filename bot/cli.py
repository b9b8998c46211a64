"""The `soundtrack-bot` command: build the store, run or sync the bot, try it locally."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Callable, Coroutine, Sequence
from typing import Any, TypeVar

import discord

from bot.facts.build import BuildError
from bot.facts.curated import CuratedError
from bot.facts.documents import DocumentError
from bot.facts.pipeline import build_store
from bot.settings import Settings, SettingsError, load_settings

T = TypeVar("T")


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
