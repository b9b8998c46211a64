"""Build the fact store when its sources changed: documents, metadata, curated file, code."""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bot.facts.build import build_factset
from bot.facts.documents import DOCUMENT_SUFFIX, METADATA_FILE
from bot.facts.model import DefaultRated
from bot.store.writer import (
    SCHEMA_VERSION,
    StoreCheckError,
    schema_sql,
    stored_source_hash,
    verify_store,
    write_factset,
)

log = logging.getLogger(__name__)

# Bump when the build logic changes what it derives, so stores built by older code rebuild.
BUILDER_VERSION = "2"


# progress(phase, done, total): "documents" once per document read, then "writing"
# twice (done 0 when the write starts, 1 when it ends).
BuildProgress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class BuildSummary:
    counts: dict[str, int]
    seconds: float
    source_hash: str
    # The rating report: sentences whose spoiler level is their document's default.
    default_rated: list[DefaultRated] = field(default_factory=list)
    # Warnings the build logged (e.g. an extraction it skipped), in order.
    warnings: list[str] = field(default_factory=list)


class _WarningCollector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def source_hash(documents_dir: Path, curated_file: Path) -> str:
    digest = hashlib.sha256(f"{BUILDER_VERSION}/{SCHEMA_VERSION}\n".encode())
    digest.update(schema_sql().encode())
    files = [*sorted(documents_dir.glob(f"*{DOCUMENT_SUFFIX}")), documents_dir / METADATA_FILE]
    for path in [*files, curated_file]:
        digest.update(path.name.encode() + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"<missing>")
        digest.update(b"\0")
    return digest.hexdigest()


def build_store(
    documents_dir: Path,
    curated_file: Path,
    db_path: Path,
    progress: BuildProgress | None = None,
) -> BuildSummary:
    def report(phase: str, done: int, total: int) -> None:
        if progress is not None:
            progress(phase, done, total)

    start = time.perf_counter()
    collector = _WarningCollector()
    build_loggers = [logging.getLogger("bot.facts"), logging.getLogger("bot.store")]
    for logger in build_loggers:
        logger.addHandler(collector)
    try:
        digest = source_hash(documents_dir, curated_file)
        facts = build_factset(
            documents_dir, curated_file, lambda done, total: report("documents", done, total)
        )
        report("writing", 0, 1)
        write_factset(facts, db_path, digest)
        report("writing", 1, 1)
    finally:
        for logger in build_loggers:
            logger.removeHandler(collector)
    return BuildSummary(
        facts.counts(),
        time.perf_counter() - start,
        digest,
        facts.default_rated(),
        collector.messages,
    )


def ensure_store(documents_dir: Path, curated_file: Path, db_path: Path) -> BuildSummary | None:
    """Rebuild db_path if it is missing, unreadable, built from other sources, or fails its
    check (pages corrupt behind a valid header and source hash)."""
    if stored_source_hash(db_path) != source_hash(documents_dir, curated_file):
        log.info("Fact store %s is missing or out of date; rebuilding", db_path.name)
    else:
        started = time.perf_counter()
        try:
            verify_store(db_path)
        except StoreCheckError as exc:
            log.warning("Fact store failed its check, rebuilding: %s", exc)
        else:
            log.debug("Fact store checked in %.3fs", time.perf_counter() - started)
            return None
    summary = build_store(documents_dir, curated_file, db_path)
    log.info("Fact store rebuilt in %.2fs: %s", summary.seconds, summary.counts)
    if summary.default_rated:
        log.warning(
            "%d sentence(s) have only their document's default spoiler level; "
            "`soundtrack-bot build` lists them",
            len(summary.default_rated),
        )
    return summary
