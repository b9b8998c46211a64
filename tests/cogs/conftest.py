"""The e2e fixtures (the real bot on the loopback emulator), for the cog tests here."""

from tests.e2e.conftest import discord_errors, env  # noqa: F401
