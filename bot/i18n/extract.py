"""Every string the catalogs must translate, and which ones they don't yet.

    python -m bot.i18n.extract           # list untranslated msgids per language; exit 1 if any
    python -m bot.i18n.extract --write   # also add them, empty, to each catalog for translating
    python -m bot.i18n.extract --unmarked  # also list reply literals not yet wrapped in t()

Two sources: reply texts marked in the code (`t(where, "...")`, `N_("...")`, found by
Babel's Python extractor), and every command's metadata exactly as `tree.sync()` sends it
(recorded by a translator that is asked for every string, with its place as the context).
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import contextlib
import io
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import discord
from babel.messages.extract import extract_from_file
from babel.messages.pofile import write_po
from discord import app_commands

import bot
import cogs
from bot.i18n import LANGUAGES, catalog, catalog_path, context_of, lookup, placeholders

KEYWORDS = {"t": (2,), "N_": None}
SOURCE_DIRS = (Path(bot.__file__).parent, Path(cogs.__file__).parent)


@dataclass(frozen=True, slots=True, order=True)
class Msg:
    msgid: str
    context: str | None  # None for reply text; the command-metadata place otherwise
    where: str  # file:line, or the command it belongs to


def code_messages() -> list[Msg]:
    found: dict[tuple[str, None], Msg] = {}
    # Babel warns about f-strings among a call's other arguments (values, not msgids).
    with contextlib.redirect_stderr(io.StringIO()):
        return _code_messages(found)


def _code_messages(found: dict[tuple[str, None], Msg]) -> list[Msg]:
    for folder in SOURCE_DIRS:
        for path in sorted(folder.rglob("*.py")):
            for line, message, _comments, _context in extract_from_file(
                "python", str(path), keywords=KEYWORDS
            ):
                if isinstance(message, str) and message:
                    where = f"{path.relative_to(folder.parent)}:{line}"
                    found.setdefault((message, None), Msg(message, None, where))
    return sorted(found.values())


class _Recorder(app_commands.Translator):
    def __init__(self) -> None:
        self.seen: dict[tuple[str, str], str] = {}

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        data = context.data
        owner = getattr(data, "qualified_name", None) or getattr(data, "name", "") or ""
        self.seen.setdefault((string.message, context_of(context)), f"/{owner}")
        return None


async def command_messages() -> list[Msg]:
    """Every command string of the real bot's tree, as sync would send it."""
    from bot.app import create_bot
    from bot.extensions import discover_extensions
    from bot.settings import load_settings
    from bot.store import StateStore

    recorder = _Recorder()
    with tempfile.TemporaryDirectory() as scratch:
        settings = load_settings(environ={}, env_file=Path(scratch) / ".env")
        client = create_bot(settings)
        # Cogs may read the state as they load (trivia reports interrupted games).
        client.state = await StateStore.open(Path(scratch) / "state.db")
        async with client:
            for extension in discover_extensions():
                await client.load_extension(extension)
            for command in client.tree.get_commands():
                await command.get_translated_payload(client.tree, recorder)
            for name in list(client.extensions):
                await client.unload_extension(name)
            await client.state.close()
    return sorted(Msg(m, c, w) for (m, c), w in recorder.seen.items())


def all_messages() -> list[Msg]:
    return code_messages() + asyncio.run(command_messages())


@dataclass(frozen=True, slots=True)
class Problem:
    language: str
    msg: Msg
    what: str


def problems(messages: Iterable[Msg]) -> list[Problem]:
    """Missing translations and placeholders that differ from the English."""
    out = []
    for language in LANGUAGES:
        for msg in messages:
            text = lookup(language, msg.msgid, msg.context)
            if text is None:
                out.append(Problem(language, msg, "untranslated"))
            elif placeholders(text) != placeholders(msg.msgid):
                out.append(Problem(language, msg, f"placeholders differ: {text!r}"))
    return out


def _write_missing(missing: Iterable[Problem]) -> None:
    for language in LANGUAGES:
        po = catalog(language)
        for p in missing:
            if p.language == language and po.get(p.msg.msgid, context=p.msg.context) is None:
                po.add(p.msg.msgid, "", locations=[(p.msg.where, 0)], context=p.msg.context)
        with catalog_path(language).open("wb") as file:
            write_po(file, po, width=100, omit_header=False)


# Calls whose text arguments reach users, and the keywords that carry text.
_REPLY_CALLS = frozenset(
    {
        "send_message",
        "send",
        "send_ephemeral",
        "edit_message",
        "edit_original_response",
        "UserFacingError",
        "base_embed",
        "add_field",
        "set_footer",
        "Button",
        "button",
    }
)
_TEXT_KEYWORDS = frozenset({"content", "name", "value", "title", "description", "label", "text"})
_NOT_REPLIES = ("bot/i18n/", "bot/facts/", "bot/store/", "bot/console/", "bot/cli.py")


def _call_name(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _is_text(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and any(c.isalpha() for c in node.value)
    if isinstance(node, ast.JoinedStr):
        return any(
            isinstance(v, ast.Constant) and any(c.isalpha() for c in str(v.value))
            for v in node.values
        )
    return False


def unmarked_replies() -> list[Msg]:
    """English literals passed straight to a reply call (not through t() or N_()): what a
    sweep still has to wrap. A heuristic: it sees literals, not texts built elsewhere."""
    found = []
    for folder in SOURCE_DIRS:
        for path in sorted(folder.rglob("*.py")):
            where = str(path.relative_to(folder.parent))
            if where.startswith(_NOT_REPLIES):
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call) or _call_name(node) not in _REPLY_CALLS:
                    continue
                args = [*node.args, *(k.value for k in node.keywords if k.arg in _TEXT_KEYWORDS)]
                for arg in args:
                    if _is_text(arg):
                        found.append(Msg(ast.unparse(arg), None, f"{where}:{arg.lineno}"))
    return sorted(found, key=lambda m: m.where)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="add missing msgids to catalogs")
    parser.add_argument(
        "--unmarked",
        action="store_true",
        help="also list English reply literals not yet wrapped in t() (for a sweep)",
    )
    args = parser.parse_args(argv)
    if args.unmarked:
        unmarked = unmarked_replies()
        for msg in unmarked:
            print(f"unmarked: {msg.where}: {msg.msgid}")
        print(f"{len(unmarked)} unmarked reply literal(s)", file=sys.stderr)
    found = problems(all_messages())
    for p in found:
        context = f" [{p.msg.context}]" if p.msg.context else ""
        print(f"{p.language}: {p.msg.where}: {p.msg.msgid!r}{context}: {p.what}")
    if args.write and found:
        _write_missing(found)
    print(f"{len(found)} problem(s)", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
