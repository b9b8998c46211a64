"""Percentiles and the memory readings the benchmark reports."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100), nearest-rank, of values (seconds in, seconds out)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def summary(values: Sequence[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "p50_ms": percentile(values, 50) * 1000,
        "p90_ms": percentile(values, 90) * 1000,
        "p99_ms": percentile(values, 99) * 1000,
        "max_ms": max(values, default=math.nan) * 1000,
    }


def _status_mib(field: str) -> float:
    """A memory line of /proc/self/status (Linux reports KiB), in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return math.nan


def rss_mib() -> float:
    """Resident set size of this process in MiB."""
    return _status_mib("VmRSS")


def peak_rss_mib() -> float:
    """The most this process has held resident so far, in MiB. The high-water mark of
    its own memory (VmHWM), not getrusage's ru_maxrss: Linux carries ru_maxrss across
    exec, so a subprocess would report at least what its parent held when it forked."""
    return _status_mib("VmHWM")
