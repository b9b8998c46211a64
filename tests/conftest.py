"""Shared fixtures: a fact store built from the real documents, and a fresh state DB."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.facts.pipeline import BuildSummary, build_store
from bot.settings import DATA_DIR
from bot.store import FactStore, StateStore

DOCUMENTS_DIR = DATA_DIR / "documents"
CURATED_FILE = DATA_DIR / "curated.toml"


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


@pytest.fixture
def data_copy(tmp_path: Path) -> tuple[Path, Path]:
    """A private copy of the documents and curated file that a test may change."""
    documents = tmp_path / "documents"
    shutil.copytree(DOCUMENTS_DIR, documents)
    curated = tmp_path / "curated.toml"
    shutil.copy(CURATED_FILE, curated)
    return documents, curated
