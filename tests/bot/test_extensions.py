"""Every cog imports and loads, no two commands share a name, and no extension imports
another."""

from __future__ import annotations

import ast
import importlib
from collections import Counter
from pathlib import Path

import pytest
from discord import app_commands
from discord.ext import commands

from bot.app import SoundtrackBot, bot_intents, create_bot
from bot.extensions import discover_extensions
from bot.settings import PROJECT_ROOT, load_settings


def test_every_cog_module_is_discovered_and_has_setup() -> None:
    names = discover_extensions()
    assert "cogs.about" in names and "cogs.admin" in names
    for name in names:
        module = importlib.import_module(name)
        assert callable(getattr(module, "setup", None)), name


def test_no_extension_imports_another() -> None:
    """Extensions share code through bot/ (or cogs/_private modules), never each other."""
    extensions = set(discover_extensions())
    for path in (PROJECT_ROOT / "cogs").rglob("*.py"):
        parts = path.relative_to(PROJECT_ROOT).with_suffix("").parts
        own = ".".join(parts[:2])  # cogs.trivia for cogs/trivia/_session.py
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            names += [a.name for a in node.names] if isinstance(node, ast.Import) else []
            for name in names:
                target = ".".join(name.split(".")[:2])
                assert target not in extensions - {own}, f"{path} imports {name}"


async def test_no_two_commands_clash() -> None:
    bot = create_bot(load_settings(environ={}))
    try:
        for name in discover_extensions():
            await bot.load_extension(name)  # add_command raises on a clash within a kind
        seen: Counter[tuple[str, str]] = Counter()
        for command in bot.tree.get_commands():
            kind = (
                "slash"
                if isinstance(command, app_commands.Command | app_commands.Group)
                else (str(command.type))
            )
            seen[(kind, command.name)] += 1
        clashes = [key for key, n in seen.items() if n > 1]
        assert not clashes
        assert ("slash", "about") in seen
        # Every slash command has a description and every parameter is described.
        for command in bot.tree.walk_commands():
            if isinstance(command, app_commands.Command):
                assert command.description and command.description != "…", command.name
                for parameter in command.parameters:
                    assert parameter.description and parameter.description != "…", (
                        command.qualified_name,
                        parameter.name,
                    )
    finally:
        await bot.close()


def test_the_bot_asks_for_no_privileged_intent_and_pings_nobody() -> None:
    intents = bot_intents()
    assert intents.guilds
    assert not (intents.message_content or intents.members or intents.presences)
    bot = create_bot(load_settings(environ={}))
    assert isinstance(bot, SoundtrackBot)
    mentions = bot.allowed_mentions
    assert mentions is not None
    assert not (mentions.everyone or mentions.users or mentions.roles or mentions.replied_user)


def test_a_shard_count_gives_an_auto_sharded_bot() -> None:
    bot = create_bot(load_settings(environ={"SHARD_COUNT": "2"}))
    assert isinstance(bot, commands.AutoShardedBot) and isinstance(bot, SoundtrackBot)
    assert bot.shard_count == 2


def test_another_package_named_cogs_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import cogs

    monkeypatch.setattr(cogs, "__file__", str(tmp_path / "elsewhere" / "cogs" / "__init__.py"))
    with pytest.raises(ImportError, match="is not this bot's"):
        discover_extensions()
