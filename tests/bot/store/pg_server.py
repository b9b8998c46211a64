"""A throwaway PostgreSQL server for the tests, from the system's binaries
(/usr/lib/postgresql/*/bin, which .ci/run installs when missing): a fresh cluster in a
temporary directory, listening on 127.0.0.1 on a free port, removed afterwards.

initdb refuses to run as root, so as root the server runs as the `postgres` user (or
`nobody`) through runuser.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

BINARIES = "/usr/lib/postgresql/*/bin"
USER = "bot"


def binaries() -> Path | None:
    """The newest installed PostgreSQL's bin directory, if any."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    return found[-1].parent if found else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _runner() -> tuple[list[str], int | None, int | None]:
    """The command prefix that drops root, and the uid/gid to own the directory."""
    if os.geteuid() != 0:
        return [], None, None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            entry = pwd.getpwnam(name)
            return ["runuser", "-u", name, "--"], entry.pw_uid, entry.pw_gid
    raise RuntimeError("running as root and no unprivileged user to run PostgreSQL as")


class PostgresServer:
    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="soundtrack-pg-"))
        self.port = 0
        self._prefix, uid, gid = _runner()
        if uid is not None and gid is not None:
            os.chown(self.root, uid, gid)
        self.root.chmod(0o700)

    @property
    def data(self) -> Path:
        return self.root / "data"

    def _run(self, *command: str) -> None:
        done = subprocess.run(
            [*self._prefix, *command], capture_output=True, text=True, check=False, timeout=60
        )
        if done.returncode:
            raise RuntimeError(f"{command[0]} failed: {done.stdout}{done.stderr}")

    def start(self) -> None:
        self._run(
            str(self.bin_dir / "initdb"),
            "-D",
            str(self.data),
            "-U",
            USER,
            "--auth=trust",
            "--encoding=UTF8",
            "--no-locale",
            "--no-sync",
        )
        for attempt in range(3):  # the free port may be taken between probe and bind
            self.port = _free_port()
            # fsync off: the server's durability is PostgreSQL's, not what these tests check.
            options = (
                f"-h 127.0.0.1 -p {self.port} -k {self.root} -F"
                " -c full_page_writes=off -c synchronous_commit=off"
            )
            try:
                self._run(
                    str(self.bin_dir / "pg_ctl"),
                    "-D",
                    str(self.data),
                    "-l",
                    str(self.root / "log"),
                    "-o",
                    options,
                    "-w",
                    "-t",
                    "30",
                    "start",
                )
                return
            except RuntimeError:
                if attempt == 2:
                    raise

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
            self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


@contextlib.contextmanager
def running_server() -> Iterator[PostgresServer | str]:
    """A started server, or why there is none (no binaries)."""
    bin_dir = binaries()
    if bin_dir is None:
        yield f"no PostgreSQL binaries in {BINARIES} (apt-get install postgresql)"
        return
    server = PostgresServer(bin_dir)
    try:
        server.start()
        yield server
    finally:
        server.stop()


def fresh_database(server: PostgresServer) -> contextlib.AbstractAsyncContextManager[str]:
    """The URL of a new empty database on `server`, dropped afterwards."""
    from bot.store.postgres import scratch_database

    return scratch_database(server.url())
