"""The cogs' end-to-end tests use the same bot-on-emulator fixtures as tests/e2e."""

from tests.e2e.conftest import discord_errors, env  # noqa: F401
