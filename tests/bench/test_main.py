"""The benchmark runs: a quick smoke run of one case, its report and its JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_quick_run_of_one_case_reports_it(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    command = [sys.executable, "-m", "bench", "--quick", "--cases", "show", "--corpus", "1"]
    done = subprocess.run(
        [*command, "--n", "50", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    results = json.loads(out.read_text())
    row = results["latency"]["1x"]["rows"]["show"]
    assert row["case"]["n"] == row["floor"]["n"] == 50
    assert row["case"]["p50_ms"] > 0 and row["floor"]["p50_ms"] > 0
    assert results["latency"]["1x"]["missed_deadlines"] == 0
    assert "| show |" in done.stdout


def test_an_unknown_case_is_refused() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--cases", "nope"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 2 and "unknown case" in done.stderr
