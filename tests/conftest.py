"""Shared fixtures: a fact store built from the real documents, a fresh state DB, and the
real bot on the loopback emulator in the fan world (`env`)."""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.console.world import FanWorld, fan_world
from bot.facts.pipeline import BuildSummary, build_store
from bot.settings import Settings
from bot.store import FactStore, StateStore
from discord_emulator import Emulator
from tests.bot.store.pg_server import PostgresServer, fresh_database, running_server
from tests.helpers.bot import Env, bot_session, bot_settings, new_emulator
from tests.helpers.data import CURATED_FILE, DOCUMENTS_DIR


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--slow", action="store_true", help="also run the long tests (not in CI)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--slow"):
        return
    skip = pytest.mark.skip(reason="long; run with --slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def built_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildSummary]:
    path = tmp_path_factory.mktemp("facts") / "facts.db"
    return path, build_store(DOCUMENTS_DIR, CURATED_FILE, path)


@pytest.fixture
async def facts(built_store: tuple[Path, BuildSummary]) -> AsyncIterator[FactStore]:
    store = await FactStore.open(built_store[0])
    yield store
    await store.close()


@pytest.fixture
async def state(tmp_path: Path) -> AsyncIterator[StateStore]:
    store = await StateStore.open(tmp_path / "state.db")
    yield store
    await store.close()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One throwaway PostgreSQL for the session (each test gets its own database). In CI
    (CI=true) missing binaries fail the run; elsewhere the PostgreSQL tests are skipped."""
    with running_server() as server:
        if isinstance(server, str):
            if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
                pytest.fail(f"PostgreSQL tests cannot run in CI: {server}")
            pytest.skip(f"PostgreSQL tests skipped: {server}")
        yield server


@pytest.fixture
async def database_url(postgres_server: PostgresServer) -> AsyncIterator[str]:
    """The URL of a new empty database on the session's server, dropped afterwards."""
    async with fresh_database(postgres_server) as url:
        yield url


@pytest.fixture
def data_copy(tmp_path: Path) -> tuple[Path, Path]:
    """A private copy of the documents and curated file that a test may change."""
    documents = tmp_path / "documents"
    shutil.copytree(DOCUMENTS_DIR, documents)
    curated = tmp_path / "curated.toml"
    shutil.copy(CURATED_FILE, curated)
    return documents, curated


@pytest.fixture
def emu() -> Emulator:
    return new_emulator()


@pytest.fixture
def world(emu: Emulator, built_store: tuple[Path, BuildSummary]) -> FanWorld:
    """The fan server in `emu`, with a forum tag per episode of the built store."""
    return fan_world(emu, built_store[1].counts["episodes"])


@pytest.fixture
def settings(built_store: tuple[Path, BuildSummary], tmp_path: Path) -> Settings:
    """The bot's settings: the built store, this test's own state file, user 1 an owner."""
    return bot_settings(built_store[0], tmp_path / "state.db", OWNER_IDS="1")


@pytest.fixture
async def env(settings: Settings, emu: Emulator, world: FanWorld) -> AsyncIterator[Env]:
    """The real bot on `emu`, commands synced, acting as alice in #general."""
    async with bot_session(settings, emu, world) as session:
        yield session


@pytest.fixture
def discord_errors(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Warnings and errors logged by discord.py or the bot during a test."""
    caplog.set_level(logging.WARNING)
    return caplog
