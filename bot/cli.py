"""The `soundtrack-bot` command: build the store, run or sync the bot, try it locally."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Callable, Coroutine, Iterator, Sequence
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar

import aiohttp
import discord

from bot.facts.build import BuildError
from bot.facts.curated import CuratedError
from bot.facts.documents import DocumentError
from bot.facts.pipeline import BuildProgress, BuildSummary, build_store
from bot.settings import Settings, SettingsError, load_settings
from bot.store.writer import StoreCheckError

T = TypeVar("T")

# Exit codes, for service managers: 1 may pass (Discord unreachable), 2 and 3 will not
# without a person (a missing or malformed setting; Discord refused the token or an intent).
EXIT_UNAVAILABLE, EXIT_CONFIG, EXIT_REFUSED = 1, 2, 3

REJECTED_TOKEN = "Discord rejected DISCORD_TOKEN: check it in .env or the environment."
MISSING_INTENTS = (
    "Discord refused a privileged intent this bot asked for: enable it for the application "
    "in the developer portal (Bot > Privileged Gateway Intents)."
)


def version() -> str:
    try:
        return metadata.version("soundtrack-bot")
    except metadata.PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown"


@contextmanager
def _build_progress(enabled: bool) -> Iterator[BuildProgress | None]:
    """A progress bar on a terminal; nothing otherwise."""
    if not enabled:
        yield None
        return
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TimeElapsedColumn

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        transient=True,
    ) as bar:
        task = bar.add_task("reading documents", total=None)
        documents = 0

        # One step per document, then one for deriving and one for writing: the bar is
        # full only when the store is written.
        def advance(phase: str, done: int, total: int) -> None:
            nonlocal documents
            if phase == "documents":
                documents = total
                described = "deriving facts" if done == total else "reading documents"
                bar.update(task, completed=done, total=total + 2, description=described)
            elif phase == "writing":
                bar.update(task, completed=documents + 1 + done, description="writing the store")

        yield advance


def _summary_table(summary: BuildSummary) -> Any:
    from rich.table import Table

    table = Table()
    table.add_column("what")
    table.add_column("count", justify="right")
    for name in ("documents", "facts", "questions", "conflicts"):
        table.add_row(name, str(summary.counts.get(name, 0)))
    table.add_row(
        "warnings", str(len(summary.warnings)), style="yellow" if summary.warnings else ""
    )
    for name, n in summary.counts.items():
        if name not in ("documents", "facts", "questions", "conflicts"):
            table.add_row(name, str(n), style="dim")
    return table


def _build(settings: Settings, args: argparse.Namespace) -> int:
    on_terminal = sys.stdout.isatty() and not args.json
    try:
        with _build_progress(on_terminal) as progress:
            summary = build_store(
                settings.documents_dir, settings.curated_file, settings.facts_db, progress
            )
    except (BuildError, CuratedError, DocumentError, StoreCheckError) as exc:
        print(f"build failed: {exc}", file=sys.stderr)
        return 1
    unrated = summary.default_rated
    if args.json:
        report = [
            {"document": u.document_id, "sentence": u.sentence, "level": u.level, "text": u.text}
            for u in unrated
        ]
        counts = {**summary.counts, "warnings": len(summary.warnings)}
        print(
            json.dumps(
                {
                    **counts,
                    "seconds": round(summary.seconds, 4),
                    "default_rated": len(unrated),
                    "default_rated_sentences": report,
                }
            )
        )
        return 0
    rating_note = (
        f"Spoiler ratings: {len(unrated)} sentence(s) at their document's default level"
        + (":" if unrated else " (every sentence is rated in curated.toml).")
    )
    if on_terminal:
        from rich.console import Console

        console = Console(highlight=False)
        console.print(f"Built {settings.facts_db} in {summary.seconds:.2f}s")
        console.print(_summary_table(summary))
        for warning in summary.warnings:
            console.print(f"[yellow]warning:[/] {warning}", highlight=False)
    else:
        listed = ", ".join(f"{n} {name}" for name, n in summary.counts.items())
        print(f"Built {settings.facts_db} in {summary.seconds:.2f}s: {listed}")
        for warning in summary.warnings:
            print(f"warning: {warning}")
    print(rating_note)
    for u in unrated:
        print(f"  {u.document_id} #{u.sentence} (level {u.level}): {u.text[:100]}")
    return 0


def _with_token(settings: Settings, work: Callable[[str], Coroutine[Any, Any, T]]) -> T | int:
    """Run `work(token)` with logging set up and return its result, or an exit code after
    one line on stderr when there is no token, Discord refuses it or cannot be reached."""
    from bot.runner import NO_TOKEN, setup_logging

    if not settings.discord_token:
        print(NO_TOKEN, file=sys.stderr)
        return EXIT_CONFIG
    setup_logging(settings)
    try:
        return asyncio.run(work(settings.discord_token))
    except discord.LoginFailure:
        print(REJECTED_TOKEN, file=sys.stderr)
        return EXIT_REFUSED
    except discord.PrivilegedIntentsRequired:
        print(MISSING_INTENTS, file=sys.stderr)
        return EXIT_REFUSED
    except discord.DiscordServerError as exc:
        print(f"Discord is having trouble ({exc.status}); try again later.", file=sys.stderr)
    except Exception as exc:
        network = _network_cause(exc)
        if network is None:
            raise
        print(f"Cannot reach Discord: {_one_line(network)}", file=sys.stderr)
    return EXIT_UNAVAILABLE


def _network_cause(exc: BaseException) -> BaseException | None:
    """The network failure behind exc, if any. discord.py sometimes wraps one: when the
    gateway cannot be reached at all, Client.connect fails with an AttributeError (it has
    no websocket to resume) raised while handling the connection error."""
    seen: BaseException | None = exc
    while seen is not None:
        # OSError covers refused connections and DNS failures (aiohttp's connector errors).
        if isinstance(seen, aiohttp.ClientError | OSError | discord.GatewayNotFound):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:200]


def _run(settings: Settings, args: argparse.Namespace) -> int:
    from bot.runner import run_bot

    ran = _with_token(settings, lambda token: run_bot(settings, token))
    return ran if isinstance(ran, int) else 0


def _sync(settings: Settings, args: argparse.Namespace) -> int:
    from bot.runner import sync_once

    guild_id = args.guild if args.guild is not None else settings.dev_guild_id
    names = _with_token(settings, lambda token: sync_once(settings, token, guild_id))
    if isinstance(names, int):
        return names
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
    from bot.trivia.files import export_red_list, store_episode_count
    from bot.trivia.redlist import RedListError

    try:
        last = store_episode_count(settings)
        cap = episode_up_to(args.spoilers_up_to, last, "--spoilers-up-to")
        count = export_red_list(settings, args.file, args.guild, cap)
    except (RedListError, OSError, EpisodeOutOfRange) as exc:
        print(f"export failed: {exc}", file=sys.stderr)
        return 1
    source = f"server {args.guild}'s questions" if args.guild else "the fact store's questions"
    print(f"Wrote {count} questions ({source}) to {args.file} in Red's trivia-list format")
    return 0


def _trivia_import(settings: Settings, args: argparse.Namespace) -> int:
    from bot.trivia.files import import_red_list, store_episode_count
    from bot.trivia.redlist import RedListError

    try:
        last = store_episode_count(settings)
        spoils = episode_up_to(args.spoils, last, "--spoils")
        added, skipped = import_red_list(
            settings, args.file, args.guild, args.category, spoils, last
        )
    except (RedListError, OSError, UnicodeDecodeError, EpisodeOutOfRange) as exc:
        print(f"import failed: {exc}", file=sys.stderr)
        return 1
    note = f"; {skipped} already there" if skipped else ""
    print(
        f"Imported {added} questions into server {args.guild}'s custom questions{note}."
        " Games play them once a moderator runs /trivia custom enable there."
    )
    return 0


class EpisodeOutOfRange(ValueError):
    """An episode option past the fact store's last episode; the message says the range."""


def _episode(text: str) -> int:
    """An episode option as typed: a whole number from 0. Its upper bound is the fact
    store's last episode, checked once the command has the store (`episode_up_to`)."""
    if not text.isdigit():
        raise argparse.ArgumentTypeError("an episode number: 0 (none) or more")
    return int(text)


def episode_up_to(value: int | None, last: int, option: str) -> int:
    """An episode option bounded by the store's `last` episode; None (left out) is the
    last one, the safest."""
    if value is None:
        return last
    if value > last:
        raise EpisodeOutOfRange(f"{option} must be an episode from 0 to {last}")
    return value


def _add_trivia(commands: Any) -> None:
    trivia = commands.add_parser("trivia", help="trivia question sets: Red lists in and out")
    actions = trivia.add_subparsers(dest="action", required=True)
    export = actions.add_parser("export", help="write the questions as a Red trivia list")
    export.add_argument("--format", choices=["red"], default="red", help="the file format")
    export.add_argument("file", type=Path, help="the .yaml file to write")
    export.add_argument("--guild", type=int, help="export this server's custom questions")
    export.add_argument(
        "--spoilers-up-to",
        type=_episode,
        help="highest episode spoiled, 0 for none (default: the last episode)",
    )
    export.set_defaults(handler=_trivia_export)
    load = actions.add_parser("import", help="read a Red trivia list into a server's questions")
    load.add_argument("file", type=Path, help="the Red .yaml list")
    load.add_argument("--guild", type=int, required=True, help="the server to add them to")
    load.add_argument("--category", help="category of every question (default: from the file)")
    load.add_argument(
        "--spoils",
        type=_episode,
        help="episode a plain Red list's questions spoil (default: the last, the safest)",
    )
    load.set_defaults(handler=_trivia_import)


def _state_target(settings: Settings) -> str:
    """Where the state lives, fit to print (a database URL's password hidden)."""
    from bot.store.dialect import redact_url

    return redact_url(settings.database_url) if settings.database_url else str(settings.state_db)


async def _with_state(settings: Settings, work: Callable[[Any], Coroutine[Any, Any, T]]) -> T:
    """Open the state (migrating it) for one piece of work; refuse a read-only one."""
    import sqlite3

    from bot.store import StateStore

    state = await StateStore.connect(settings.database_url, settings.state_db)
    try:
        if not state.writable:
            raise sqlite3.OperationalError("the state database cannot be written")
        return await work(state)
    finally:
        await state.close()


def _migrate(settings: Settings, args: argparse.Namespace) -> int:
    import sqlite3

    from bot.store.migrations import MIGRATIONS

    async def version(state: Any) -> int:
        return int(await state.schema_version())

    try:
        reached = asyncio.run(_with_state(settings, version))
    except (sqlite3.Error, OSError, RuntimeError) as exc:
        print(f"migrate failed ({_state_target(settings)}): {exc}", file=sys.stderr)
        return 1
    print(
        f"State database {_state_target(settings)}: schema version {reached} of {len(MIGRATIONS)}"
    )
    return 0


def _state_export(settings: Settings, args: argparse.Namespace) -> int:
    import sqlite3

    from bot.store.transfer import dumps, export_state, loads

    async def export(state: Any) -> dict[str, Any]:
        return await export_state(state, args.guild)

    try:
        document = asyncio.run(_with_state(settings, export))
        text = dumps(document)
        loads(text)  # what is written is checked before it replaces anything
        partial = args.file.with_name(args.file.name + ".partial")
        partial.write_text(text, encoding="utf-8")
        partial.replace(args.file)
    except (sqlite3.Error, OSError, RuntimeError) as exc:
        print(f"export failed: {exc}", file=sys.stderr)
        return 1
    rows = sum(len(t["rows"]) for t in document["tables"].values())
    scope = f"server {args.guild}'s state" if args.guild is not None else "the whole state"
    print(f"Wrote {scope} ({rows} rows) from {_state_target(settings)} to {args.file}")
    return 0


def _state_import(settings: Settings, args: argparse.Namespace) -> int:
    import sqlite3

    from bot.store.transfer import TransferError, TransferSummary, import_state, loads

    async def load(state: Any) -> TransferSummary:
        return await import_state(state, document)

    try:
        document = loads(args.file.read_text(encoding="utf-8"))
        summary = asyncio.run(_with_state(settings, load))
    except sqlite3.IntegrityError as exc:
        print(
            f"import refused, nothing written: {_state_target(settings)} already holds some"
            f" of these rows ({exc})",
            file=sys.stderr,
        )
        return 1
    except (TransferError, sqlite3.Error, OSError, RuntimeError, UnicodeDecodeError) as exc:
        print(f"import failed, nothing written: {exc}", file=sys.stderr)
        return 1
    scope = "the whole state" if summary.guild_id is None else f"server {summary.guild_id}'s state"
    print(f"Imported {scope} ({summary.total} rows) into {_state_target(settings)}")
    return 0


def _add_state(commands: Any) -> None:
    state = commands.add_parser(
        "state",
        help="move the bot's state between SQLite and PostgreSQL (JSON export and import)",
    )
    actions = state.add_subparsers(dest="action", required=True)
    export = actions.add_parser(
        "export", help="write the state (STATE_DB, or DATABASE_URL when set) to a JSON file"
    )
    export.add_argument("file", type=Path, help="the .json file to write")
    export.add_argument(
        "--guild", type=int, metavar="ID", help="only this server's state (default: everything)"
    )
    export.set_defaults(handler=_state_export)
    load = actions.add_parser(
        "import", help="add an export's rows to the state; refuses if any is already there"
    )
    load.add_argument("file", type=Path, help="a file written by `state export`")
    load.set_defaults(handler=_state_import)


def _health(settings: Settings, args: argparse.Namespace) -> int:
    from bot.health import check_health

    problems = check_health(settings, live=args.live)
    for problem in problems:
        print(f"unhealthy: {problem}", file=sys.stderr)
    if not problems:
        print("healthy")
    return 1 if problems else 0


def _command(
    commands: Any, name: str, summary: str, details: str, handler: Callable[..., int]
) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = commands.add_parser(
        name, help=summary, description=f"{summary[0].upper()}{summary[1:]}. {details}"
    )
    parser.set_defaults(handler=handler)
    return parser


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="soundtrack-bot",
        description="A spoiler-safe Discord fan bot for Soundtrack #1.",
        epilog="Settings come from the environment or a .env file (see .env.example). "
        "`soundtrack-bot COMMAND --help` describes each command.",
    )
    root.add_argument("--version", action="version", version=f"%(prog)s {version()}")
    commands = root.add_subparsers(dest="command", required=True, metavar="COMMAND")
    build = _command(
        commands,
        "build",
        "build the fact store from the documents",
        "Reads DOCUMENTS_DIR and CURATED_FILE and writes FACTS_DB. On a terminal it shows "
        "progress and a summary table.",
        _build,
    )
    build.add_argument(
        "--json", action="store_true", help="print only the counts, as one line of JSON"
    )
    _command(
        commands,
        "run",
        "run the bot on Discord (needs DISCORD_TOKEN)",
        "Connects with DISCORD_TOKEN until SIGINT/SIGTERM. Exits with one line: 1 when "
        "Discord cannot be reached, 2 when a setting is missing or malformed (no token), 3 "
        "when Discord rejects the token or a privileged intent.",
        _run,
    )
    sync = _command(
        commands,
        "sync",
        "publish the slash commands to Discord",
        "Logs in over REST only, publishes the commands and exits.",
        _sync,
    )
    sync.add_argument(
        "--guild",
        type=int,
        metavar="ID",
        help="copy the commands to this server only (default: DEV_GUILD_ID, else global)",
    )
    _command(
        commands,
        "console",
        "try the bot in a terminal, no token needed",
        "The real bot answers over a loopback Discord emulator; it keeps its own state "
        "next to STATE_DB (playground-state.db). Type :help inside.",
        _console,
    )
    _command(
        commands,
        "start",
        "run with a token, else the console playground",
        "`run` when DISCORD_TOKEN is set, `console` otherwise.",
        _start,
    )
    invite = _command(
        commands,
        "invite",
        "print the invite link and why each permission",
        "Prints the OAuth2 link with exactly the permissions the bot needs.",
        _invite,
    )
    invite.add_argument("client_id", type=int, help="the application's client id")
    health = _command(
        commands,
        "health",
        "check that the bot can start: settings, fact store, state database",
        "Exits 0 and prints 'healthy' when the fact store is current and readable and the "
        "state database opens and passes its integrity check; else 1 with one line per "
        "problem. The container's HEALTHCHECK runs it with --live.",
        _health,
    )
    health.add_argument(
        "--live",
        action="store_true",
        help="also require a running bot connected to Discord (its heartbeat is under 90 s old)",
    )
    _add_trivia(commands)
    _command(
        commands,
        "migrate",
        "upgrade the state database to this version's schema",
        "Applies the numbered migrations not yet applied, to STATE_DB or, when set, the "
        "PostgreSQL database at DATABASE_URL (the bot also does this at start).",
        _migrate,
    )
    _add_state(commands)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    return int(args.handler(settings, args))


if __name__ == "__main__":
    raise SystemExit(main())
