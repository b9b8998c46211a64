"""The real bot on the emulator (the e2e fixtures), for the feature tests under tests/cogs."""

from tests.helpers.bot import env

__all__ = ["env"]
