"""The container and the service: their files say what they must, and the image's install
and start steps work, run outside Docker (no daemon here) by the same script.

docker/install.sh is what the Dockerfile's RUN executes and what the README tells a
server admin without Docker to run: a fresh virtual environment, a non-editable install,
the fact store built, `soundtrack-bot health`. Here it installs into a temporary prefix;
the installed bot then builds, plays and runs from another directory, against the
emulator, until its health check passes and SIGTERM stops it.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from bot.console.world import fan_world
from bot.settings import PROJECT_ROOT, load_settings
from discord_emulator import Emulator

DOCKERFILE = PROJECT_ROOT / "Dockerfile"
COMPOSE = PROJECT_ROOT / "compose.yaml"
COMPOSE_POSTGRES = PROJECT_ROOT / "compose.postgres.yaml"
UNIT = PROJECT_ROOT / "deploy" / "soundtrack-bot.service"
INSTALL = PROJECT_ROOT / "docker" / "install.sh"
README = PROJECT_ROOT / "README.md"
PREFIX = "/opt/soundtrack-bot"


def instructions(path: Path) -> list[tuple[str, str]]:
    """Dockerfile instructions as (KEYWORD, arguments), continuation lines joined."""
    text = re.sub(r"\\\n", " ", path.read_text(encoding="utf-8"))
    found = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            found.append((keyword.upper(), " ".join(rest.split())))
    return found


def unit_entries(path: Path) -> dict[str, list[tuple[str, str]]]:
    sections: dict[str, list[tuple[str, str]]] = {}
    current = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            current = line.strip("[]")
            sections[current] = []
        else:
            key, _, value = line.partition("=")
            sections[current].append((key, value))
    return sections


def test_the_dockerfile_has_the_essentials() -> None:
    steps = instructions(DOCKERFILE)
    known = {"FROM", "ENV", "WORKDIR", "COPY", "RUN", "USER", "VOLUME", "HEALTHCHECK"}
    assert {k for k, _ in steps} <= known | {"STOPSIGNAL", "CMD", "ARG", "LABEL"}
    stages = [i for i, (k, _) in enumerate(steps) if k == "FROM"]
    assert len(stages) == 2 and all("-slim" in steps[i][1] for i in stages)  # small
    final = steps[stages[-1] :]
    build = steps[: stages[-1]]
    # The image is installed by the same script the README gives, into the unit's prefix,
    # and the fact store is built then (install.sh runs `soundtrack-bot build`).
    assert ("RUN", f"sh docker/install.sh {PREFIX} /src") in build
    assert any(k == "ENV" and f"FACTS_DB={PREFIX}/facts.db" in v for k, v in build)
    # Everything COPY names exists (a build would fail on a missing path).
    for keyword, args in build:
        if keyword == "COPY" and not args.startswith("--from"):
            for source in args.split()[:-1]:
                assert (PROJECT_ROOT / source).exists(), source
    # Non-root, state on a volume, a health check, the bot as the command.
    users = [v for k, v in final if k == "USER"]
    assert users and users[-1] not in ("root", "0")
    assert any(k == "RUN" and "useradd --system --uid 10001" in v for k, v in final)
    assert ("VOLUME", '["/data"]') in final
    assert any(k == "ENV" and "STATE_DB=/data/state.db" in v for k, v in final)
    health = [v for k, v in final if k == "HEALTHCHECK"]
    assert health and health[0].endswith('CMD ["soundtrack-bot", "health", "--live"]')
    assert final[-1] == ("CMD", '["soundtrack-bot", "run"]')
    assert [k for k, _ in final].index("USER") < [k for k, _ in final].index("CMD")


def test_compose_runs_the_image_with_state_on_a_volume() -> None:
    text = COMPOSE.read_text(encoding="utf-8")
    assert "build: ." in text and "restart: unless-stopped" in text
    assert "- state:/data" in text and re.search(r"^volumes:\n  state:", text, re.M)
    assert "STATE_DB: /data/state.db" in text and f"FACTS_DB: {PREFIX}/facts.db" in text
    assert "read_only: true" in text and "- ALL" in text  # cap_drop


def test_the_postgresql_compose_splits_the_shards_over_processes(tmp_path: Path) -> None:
    services = yaml.safe_load(COMPOSE_POSTGRES.read_text(encoding="utf-8"))["services"]
    bots = {name: service for name, service in services.items() if name != "postgres"}
    assert len(bots) >= 2 and "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])
    owners: dict[int, str] = {}
    for name, service in bots.items():
        assert service["depends_on"] == {"postgres": {"condition": "service_healthy"}}
        assert service["read_only"] is True and service["cap_drop"] == ["ALL"]
        environ = {
            k: re.sub(r"\$\{POSTGRES_PASSWORD[^}]*\}", "pw", str(v))
            for k, v in service["environment"].items()
        }
        settings = load_settings(environ=environ, env_file=tmp_path / "none.env")
        assert settings.database_url == "postgresql://soundtrack:pw@postgres:5432/soundtrack"
        assert settings.shard_count and settings.shard_ids
        assert settings.state_db == Path("/data/state.db")  # its own volume: the heartbeat
        assert service["volumes"] == [f"{name}:/data"]
        for shard in settings.shard_ids:
            assert shard not in owners, f"shard {shard} in {owners[shard]} and {name}"
            owners[shard] = name
    assert sorted(owners) == list(range(settings.shard_count))  # every shard, once


def test_the_systemd_unit_has_the_essentials() -> None:
    service = dict(unit_entries(UNIT)["Service"])
    assert service["DynamicUser"] == "yes"
    assert service["Restart"] == "on-failure"
    assert service["StateDirectory"] == "soundtrack-bot"
    assert service["Environment"]  # several; the parsed dict keeps the last
    entries = unit_entries(UNIT)["Service"]
    env = dict(v.split("=", 1) for k, v in entries if k == "Environment")
    assert env["STATE_DB"] == "/var/lib/soundtrack-bot/state.db"  # in StateDirectory
    assert env["FACTS_DB"] == f"{PREFIX}/facts.db"  # built by install.sh
    assert service["ExecStart"] == f"{PREFIX}/bin/soundtrack-bot run"
    assert service["RestartPreventExitStatus"] == "2 3"  # the CLI's config/refused codes
    for key, value in {
        "NoNewPrivileges": "yes",
        "ProtectSystem": "strict",
        "ProtectHome": "yes",
        "PrivateTmp": "yes",
        "CapabilityBoundingSet": "",
        "RestrictAddressFamilies": "AF_INET AF_INET6 AF_UNIX",
    }.items():
        assert service[key] == value, key
    assert dict(unit_entries(UNIT)["Install"])["WantedBy"] == "multi-user.target"


def test_the_readme_gives_the_exact_commands() -> None:
    readme = README.read_text(encoding="utf-8")
    for command in (
        "docker compose up -d --build",
        "docker build -t soundtrack-bot .",
        "docker run -d --name soundtrack-bot --env-file .env -v soundtrack-state:/data "
        "soundtrack-bot",
        f"sudo sh docker/install.sh {PREFIX}",
        "sudo install -m 0644 deploy/soundtrack-bot.service /etc/systemd/system/",
        "sudo systemctl daemon-reload && sudo systemctl enable --now soundtrack-bot",
        "soundtrack-bot health --live",
    ):
        assert command in readme, command
    # And the unit's own comment block matches the README.
    unit = UNIT.read_text(encoding="utf-8")
    assert "sudo systemctl daemon-reload && sudo systemctl enable --now soundtrack-bot" in unit


@dataclass(frozen=True)
class Installed:
    prefix: Path
    elsewhere: Path  # a directory that is not the checkout
    data_home: Path  # where an installed copy keeps its databases ($XDG_DATA_HOME/...)
    env: dict[str, str]

    @property
    def exe(self) -> Path:
        return self.prefix / "bin" / "soundtrack-bot"

    def run(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.exe), *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=self.env,
            cwd=self.elsewhere,
            timeout=120,
        )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """docker/install.sh into a fresh venv (not editable), run from another directory."""
    root = tmp_path_factory.mktemp("install")
    prefix, elsewhere = root / "prefix", root / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHON"))}
    env |= {"XDG_DATA_HOME": str(root / "xdg")}
    result = subprocess.run(
        ["sh", str(INSTALL), str(prefix), str(PROJECT_ROOT)],
        capture_output=True,
        text=True,
        env={**env, "PYTHON": sys.executable, "FACTS_DB": str(prefix / "facts.db")},
        cwd=elsewhere,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().splitlines()[-1] == "healthy"
    assert (prefix / "facts.db").is_file()  # the store the image ships, built at install
    return Installed(prefix, elsewhere, root / "xdg" / "soundtrack-bot", env)


def test_the_install_is_a_copy_with_the_documents_inside(installed: Installed) -> None:
    site = next((installed.prefix / "lib").glob("python3*/site-packages"))
    assert (site / "bot" / "_bundled" / "documents" / "metadata.toml").is_file()
    assert (site / "bot" / "_bundled" / "curated.toml").is_file()
    assert not list(site.glob("__editable__*")) and not list(site.glob("*.egg-link"))
    dist = next(site.glob("soundtrack_bot-*.dist-info"))
    # What the wheel put into site-packages (scripts go to ../../../bin): these names only.
    records = (dist / "RECORD").read_text().splitlines()
    top_level = {line.split("/")[0] for line in records if not line.startswith("..")}
    assert top_level - {dist.name} == {"bot", "cogs", "discord_emulator"}


def test_the_installed_bot_builds_and_plays_from_another_directory(installed: Installed) -> None:
    built = installed.run("build", "--json")
    assert built.returncode == 0, built.stderr
    counts = json.loads(built.stdout)
    assert counts["documents"] == 5 and counts["questions"] >= 40
    assert (installed.data_home / "facts.db").is_file()  # a user data dir, not site-packages
    played = installed.run("console", stdin="/cast Han So-hee\n/ost davichi\n:quit\n")
    assert played.returncode == 0, played.stderr
    assert "╭─ Han So-hee as Lee Eun-soo" in played.stdout
    assert "╭─ Your Tender Heart Hurts Me" in played.stdout
    assert (installed.data_home / "playground-state.db").is_file()
    assert installed.run("--version").stdout.strip() == "soundtrack-bot 0.1.0"


def launcher(emu: Emulator) -> str:
    """Python for the installed interpreter: `soundtrack-bot run` pointed at the emulator."""
    return (
        "import yarl, discord.http, discord.gateway; "
        f"discord.http.Route.BASE = {emu.api_url!r}; "
        f"discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL({emu.gateway_url!r}); "
        "from bot.cli import main; raise SystemExit(main(['run']))"
    )


async def test_the_installed_bot_runs_until_healthy_and_stops_on_sigterm(
    installed: Installed,
) -> None:
    """The image's CMD and HEALTHCHECK: `run` until `health --live` passes, then SIGTERM."""
    env = {**installed.env, "FACTS_DB": str(installed.prefix / "facts.db")}
    # The image's store is read-only at run time: starting must not need to rebuild it.
    built_at = (installed.prefix / "facts.db").stat().st_mtime_ns
    async with Emulator(heartbeat_interval=5.0) as emu:
        fan_world(emu, episode_count=4)  # the server the bot joins; no store is read
        bot = await asyncio.create_subprocess_exec(
            str(installed.prefix / "bin" / "python"),
            "-c",
            launcher(emu),
            env={**env, "DISCORD_TOKEN": "emulator-token"},
            cwd=installed.elsewhere,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            healthy = ""
            for _ in range(60):
                await asyncio.sleep(0.5)
                check = await asyncio.create_subprocess_exec(
                    str(installed.exe),
                    "health",
                    "--live",
                    env=env,
                    cwd=installed.elsewhere,
                    stdout=asyncio.subprocess.PIPE,
                    stderr=asyncio.subprocess.PIPE,
                )
                out, _ = await check.communicate()
                if check.returncode == 0:
                    healthy = out.decode().strip()
                    break
            assert healthy == "healthy"
        finally:
            bot.send_signal(signal.SIGTERM)
            _, err = await asyncio.wait_for(bot.communicate(), 30)
    assert bot.returncode == 0, err.decode()
    assert "Traceback" not in err.decode()
    assert not (installed.data_home / "bot.alive").exists()  # a stopped bot is not live
    assert (installed.prefix / "facts.db").stat().st_mtime_ns == built_at


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze")
def test_systemd_accepts_the_unit(tmp_path: Path) -> None:
    """`systemd-analyze verify` on the unit, with ExecStart pointing at a real executable."""
    fake = tmp_path / "opt" / "bin"
    fake.mkdir(parents=True)
    (fake / "soundtrack-bot").write_text("#!/bin/sh\n", encoding="utf-8")
    (fake / "soundtrack-bot").chmod(0o755)
    text = UNIT.read_text(encoding="utf-8").replace(f"{PREFIX}/bin", str(fake))
    unit = tmp_path / "soundtrack-bot.service"
    unit.write_text(text, encoding="utf-8")
    result = subprocess.run(
        ["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, timeout=60
    )
    problems = [
        line
        for line in (result.stdout + result.stderr).splitlines()
        if "soundtrack-bot.service" in line and "EnvironmentFile" not in line
    ]
    assert problems == [], shlex.join(["systemd-analyze", "verify", str(unit)])
