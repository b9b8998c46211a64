"""Fact-store builds for the benchmark, each in a fresh process so that its peak memory
is the build's own: `python -m bench.build DOCUMENTS CURATED DB [--repeat N]` prints JSON.

A synthetic corpus is the five documents plus renamed copies of each: the same shape,
more text (the copies get new ids from their file names, so none is quoted by the
curated file; they add passages, sentences and extracted facts).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.stats import peak_rss_mib, rss_mib


def synthetic_corpus(source: Path, root: Path, factor: int) -> Path:
    """source's documents plus (factor - 1) renamed copies of each, under root."""
    documents = root / f"documents_{factor}x"
    if documents.is_dir():
        return documents
    shutil.copytree(source, documents)
    for path in sorted(source.glob("*.txt")):
        data = path.read_bytes()
        for k in range(1, factor):
            (documents / f"{path.stem}_copy{k:04d}.txt").write_bytes(data)
    return documents


def build_in_subprocess(
    documents: Path, curated: Path, db: Path, repeat: int = 1
) -> dict[str, Any]:
    """Run the worker below in a fresh interpreter; its JSON report."""
    command = [sys.executable, "-m", "bench.build", str(documents), str(curated), str(db)]
    out = subprocess.run(
        [*command, "--repeat", str(repeat)],
        check=True,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    return json.loads(out.stdout)


def _worker(documents: Path, curated: Path, db: Path, repeat: int) -> dict[str, Any]:
    # Imported here so the baseline reading includes everything a build needs.
    from bot.facts.pipeline import build_store
    from bot.store.writer import verify_store

    baseline = rss_mib()
    runs = []
    counts: dict[str, int] = {}
    for _ in range(repeat):
        # Only the counts are kept: the summary's rating report would stay resident
        # through the next build and count as its memory.
        summary = build_store(documents, curated, db)
        counts, seconds = summary.counts, summary.seconds
        del summary
        started = time.perf_counter()
        verify_store(db)  # again, independently of the check the build itself ran
        runs.append(
            {
                "seconds": seconds,
                "check_seconds": time.perf_counter() - started,
                "checked_clean": True,  # verify_store raises otherwise
                "peak_rss_mib": peak_rss_mib(),
            }
        )
    return {
        "documents": counts["documents"],
        "passages": counts["passages"],
        "facts": counts["facts"],
        "bytes": db.stat().st_size,
        "baseline_rss_mib": baseline,
        "runs": runs,
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.build")
    parser.add_argument("documents", type=Path)
    parser.add_argument("curated", type=Path)
    parser.add_argument("db", type=Path)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    report = _worker(args.documents, args.curated, args.db, args.repeat)
    print(json.dumps(report))  # the worker's report is its output


if __name__ == "__main__":
    main()
