"""Fault scenarios on a real `liaison run --http` process: each returns its figures; the tests assert on them
and bench/chaos_journal.py prints them for longer runs."""

from __future__ import annotations

import asyncio
import contextlib
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from tests.chaos.harness import (
    REPO,
    Server,
    SlowAnswers,
    answers,
    burst,
    free_port,
    key_of,
    percentile,
    risk_forms,
    scalar,
    send,
    setup_project,
    stored_titles,
    title_of,
    wait_answered,
)
from tests.harness.app import BOT_TOKEN, HOME_TEAM, populate_world
from tests.harness.fake_slack import FakeSlack

SUCCESS = ("Added R-", "Already recorded")


def _fake(delay: float = 0.0) -> FakeSlack:
    fake = SlowAnswers(bot_token=BOT_TOKEN, team_id=HOME_TEAM)
    fake.delay = delay
    fake.start()
    populate_world(fake)
    return fake


def _started(servers: list[Server], server: Server) -> Server:
    servers.append(server)
    return server.start()


def _dialect(url: str) -> str:
    return "postgresql" if url.startswith("postgresql") else "sqlite"


async def journal_drained(database_url: str, *, timeout: float = 15.0) -> int:
    """Rows still in the journal once it settles: a row goes just *after* its command's answer is sent, so the
    last answers can arrive a moment before their rows are deleted."""
    deadline = time.monotonic() + timeout
    left = int(await scalar(database_url, "SELECT count(*) FROM commandjournal"))
    while left and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
        left = int(await scalar(database_url, "SELECT count(*) FROM commandjournal"))
    return left


async def kill_mid_burst(database_url: str, workdir: Path, *, n: int, kill_after: int) -> dict[str, Any]:
    """SIGKILL during a burst of `/risk add`; restart; every acked command stored once and answered."""
    fake = _fake()
    servers: list[Server] = []  # stopped whatever happens: no process outlives its scenario
    log = workdir / "kill.log"
    try:
        server = _started(servers, Server(fake, database_url, log))
        await setup_project(server)
        forms = risk_forms(fake, n, prefix="Kill")
        killed_at: list[float] = []

        def on_ack(count: int) -> None:
            if count >= kill_after and not killed_at:
                server.kill()
                killed_at.append(time.monotonic())

        sent = await burst(server.url, forms, concurrency=16, on_ack=on_ack)
        mid_burst = bool(killed_at)
        if not killed_at:
            server.kill()
            killed_at.append(time.monotonic())
        answered_before = sum(1 for got in answers(fake, sent.acked).values() if got)
        pending = int(await scalar(database_url, "SELECT count(*) FROM commandjournal"))
        restarted = _started(servers, Server(fake, database_url, log))
        try:
            got, _waited = await wait_answered(fake, sent.acked, timeout=60)
            recovered_in = time.monotonic() - killed_at[0]
            titles = await stored_titles(database_url, "Kill")
            left = await journal_drained(database_url)
        finally:
            restarted.stop()
        integrity = "n/a"
        if _dialect(database_url) == "sqlite":
            integrity = str(await scalar(database_url, "PRAGMA integrity_check"))
        acked_titles = {title_of(k, "Kill") for k in sent.acked}
        return {
            "scenario": "SIGKILL mid-burst, restart",
            "database": _dialect(database_url),
            "sent": n,
            "acked": len(sent.acked),
            "killed_mid_burst": mid_burst,
            "refused_busy": len(sent.refused),
            "not_acked_connection_cut": len(sent.failed),
            "answered_before_kill": answered_before,
            "journal_pending_after_kill": pending,
            "answered_after_restart": sum(1 for k in sent.acked if got[k]),
            "recovered_in_s": round(recovered_in, 2),
            "stored_acked": sum(1 for t in acked_titles if titles[t] >= 1),
            "stored_not_acked": sum(1 for t in titles if t not in acked_titles),
            "lost": sorted(t for t in acked_titles if titles[t] == 0),
            "duplicated": sorted(t for t, c in titles.items() if c > 1),
            "unanswered": sorted(k for k in sent.acked if not got[k]),
            "failed_answers": sorted(
                k for k in sent.acked if got[k] and not any(s in a for a in got[k] for s in SUCCESS)
            ),
            "journal_left": left,
            "integrity_check": integrity,
            "ack_p50_ms": round(percentile(sent.latencies, 50) * 1000, 1),
            "ack_p99_ms": round(percentile(sent.latencies, 99) * 1000, 1),
        }
    finally:
        for started in servers:
            started.stop()
        fake.stop()


async def sigterm_drain(database_url: str, workdir: Path, *, n: int, delay: float) -> dict[str, Any]:
    """SIGTERM right after the last ack while every answer is still `delay` s away: all of it completes first."""
    fake = _fake()
    servers: list[Server] = []  # stopped whatever happens: no process outlives its scenario
    log = workdir / "term.log"
    try:
        server = _started(servers, Server(fake, database_url, log))
        await setup_project(server)
        fake.delay = delay  # type: ignore[attr-defined]
        forms = risk_forms(fake, n, prefix="Term")
        sent = await burst(server.url, forms, concurrency=16)
        answered_at_term = sum(1 for got in answers(fake, sent.acked).values() if got)
        code, seconds = server.terminate()
        answered_at_exit = sum(1 for got in answers(fake, sent.acked).values() if got)
        left_at_exit = int(await scalar(database_url, "SELECT count(*) FROM commandjournal"))
        if left_at_exit:  # past the drain bound: what is left is carried out by the next start
            restarted = _started(servers, Server(fake, database_url, log))
            try:
                await wait_answered(fake, sent.acked, timeout=120)
            finally:
                restarted.stop()
        got = answers(fake, sent.acked)
        titles = await stored_titles(database_url, "Term")
        left = int(await scalar(database_url, "SELECT count(*) FROM commandjournal"))
        acked_titles = {title_of(k, "Term") for k in sent.acked}
        return {
            "scenario": "SIGTERM with work in flight",
            "database": _dialect(database_url),
            "sent": n,
            "acked": len(sent.acked),
            "in_flight_at_sigterm": len(sent.acked) - answered_at_term,
            "exit_code": code,
            "exit_s": round(seconds, 2),
            "refused_busy": len(sent.refused) + len(sent.failed),
            "answered_before_exit": answered_at_exit,
            "left_in_journal_at_exit": left_at_exit,
            "answered": sum(1 for k in sent.acked if got[k]),
            "lost": sorted(t for t in acked_titles if titles[t] == 0),
            "duplicated": sorted(t for t, c in titles.items() if c > 1),
            "journal_left": left,
        }
    finally:
        for started in servers:
            started.stop()
        fake.stop()


async def terminate_backends(
    database_url: str, workdir: Path, *, n: int, every: float, concurrency: int = 4
) -> dict[str, Any]:
    """PostgreSQL only: pg_terminate_backend on every connection of the app's database, every `every` s, while
    `/risk add` commands flow. No lost or duplicated write; at most a clear "try again"."""
    fake = _fake()
    servers: list[Server] = []  # stopped whatever happens: no process outlives its scenario
    log = workdir / "pgkill.log"
    admin = create_async_engine(database_url, isolation_level="AUTOCOMMIT", pool_size=1)
    terminated = 0
    try:
        server = _started(servers, Server(fake, database_url, log))
        await setup_project(server)
        forms = risk_forms(fake, n, prefix="Cut")
        stop = asyncio.Event()

        async def killer() -> None:
            nonlocal terminated
            async with admin.connect() as conn:
                while not stop.is_set():
                    rows = await conn.execute(
                        text(
                            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                        )
                    )
                    terminated += sum(1 for r in rows if r[0])
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(stop.wait(), every)

        task = asyncio.create_task(killer())
        try:
            sent = await burst(server.url, forms, concurrency=concurrency)
        finally:
            stop.set()
            await task
        try:
            got, _ = await wait_answered(fake, sent.acked, timeout=60)
            titles = await stored_titles(database_url, "Cut")
        finally:
            server.stop()
        acked_titles = {title_of(k, "Cut") for k in sent.acked}
        told_try_again = [k for k in sent.acked if any("not reachable" in a for a in got[k])]
        succeeded = [k for k in sent.acked if any(s in a for a in got[k] for s in SUCCESS)]
        return {
            "scenario": "pg_terminate_backend under steady commands",
            "database": "postgresql",
            "sent": n,
            "backends_terminated": terminated,
            "acked": len(sent.acked),
            "refused_at_ack_try_again": len(sent.refused),
            "not_acked": len(sent.failed),
            "answered_ok": len(succeeded),
            "answered_try_again": len(told_try_again),
            "lost": sorted(title_of(k, "Cut") for k in succeeded if titles[title_of(k, "Cut")] == 0),
            "duplicated": sorted(t for t, c in titles.items() if c > 1),
            "unanswered": sorted(k for k in sent.acked if not got[k]),
            "other_answers": sorted(
                k for k in sent.acked if got[k] and k not in succeeded and k not in told_try_again
            ),
            # told "try again" and never a success, yet stored: the commit landed as its connection died
            "stored_though_told_try_again": sum(
                1 for k in told_try_again if k not in succeeded and titles[title_of(k, "Cut")]
            ),
            "covered": len(set(succeeded) | set(told_try_again)),
            "stored_acked": sum(1 for t in acked_titles if titles[t]),
        }
    finally:
        for started in servers:
            started.stop()
        await admin.dispose()
        fake.stop()


def show(figures: dict[str, Any]) -> str:
    lines = [f"== {figures['scenario']} ({figures['database']})"]
    for key, value in figures.items():
        if key in {"scenario", "database"}:
            continue
        shown = (f"{len(value)} {value[:5]}" if value else "0") if isinstance(value, list) else value
        lines.append(f"   {key}: {shown}")
    return "\n".join(lines)


# --- A PostgreSQL server restarted under steady commands (a throw-away server of the scenario's own) ---------

PG_HOME = Path("/usr/lib/postgresql")


def postgres_bindir() -> Path | None:
    """The newest local PostgreSQL's bin directory holding initdb and pg_ctl, or None."""

    def version(bindir: Path) -> tuple[int, ...]:
        return tuple(int(p) for p in bindir.parent.name.split(".") if p.isdigit())

    candidates = sorted(PG_HOME.glob("*/bin"), key=version, reverse=True)
    on_path = shutil.which("pg_ctl")
    if on_path:
        candidates.append(Path(on_path).parent)
    for bindir in candidates:
        if (bindir / "initdb").is_file() and (bindir / "pg_ctl").is_file():
            return bindir
    return None


class ThrowawayPostgres:
    """A PostgreSQL server of the scenario's own, never the shared one (everyone's tests use it): its data
    directory and unix socket in a temp dir, a free port on 127.0.0.1, trust auth. PostgreSQL refuses to run as
    root, so as root it runs as the `postgres` OS user. `stop()` stops it and removes everything; use it in a
    `finally`."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="liaison-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"

    @property
    def url(self) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str, timeout: float = 120) -> None:
        command = [str(self.bindir / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
        if done.returncode != 0:
            tail = self.log.read_text()[-2000:] if self.log.exists() else ""
            raise RuntimeError(f"{' '.join(args[:2])} failed ({done.returncode}):\n{done.stderr}\n{tail}")

    def start(self) -> ThrowawayPostgres:
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(self.root, owner.pw_uid, owner.pw_gid)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(
                f"port = {self.port}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.root}'\nmax_connections = 60\nshared_buffers = 16MB\n"
            )
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", "start")
        return self

    def restart(self, mode: str) -> float:
        """`pg_ctl restart -m fast|immediate` (immediate: a crash, recovered at start); seconds it took."""
        started = time.monotonic()
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.log), "-m", mode, "-w", "-t", "60", "restart"
        )
        return time.monotonic() - started

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", timeout=60)
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


@dataclass
class Outage:
    """When a fresh connection to the server first failed, and first succeeded again (time.monotonic())."""

    down_at: float
    up_at: float = 0.0


async def watch_outages(port: int, stop: asyncio.Event, outages: list[Outage], every: float = 0.02) -> None:
    """Connect afresh every `every` s: the outages as a new client sees them."""
    while not stop.is_set():
        try:
            conn = await asyncpg.connect(
                host="127.0.0.1", port=port, user="postgres", database="postgres", timeout=5
            )
            await conn.close()
            if outages and not outages[-1].up_at:
                outages[-1].up_at = time.monotonic()
        except (OSError, asyncpg.PostgresError, TimeoutError):
            if not outages or outages[-1].up_at:
                outages.append(Outage(down_at=time.monotonic()))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), every)


@dataclass
class Shot:
    """One command sent: when, and what its ack said (status 0: the connection failed)."""

    key: str
    sent_at: float
    acked_at: float = 0.0
    status: int = 0
    body: str = ""

    @property
    def acked(self) -> bool:  # a bare 200; "busy" or "not reachable" come back as text in the ack
        return self.status == 200 and not self.body.strip()


async def steady(url: str, forms: list[dict[str, str]], *, rate: float, concurrency: int = 16) -> list[Shot]:
    """Each command at its own moment, `rate` a second, whether or not earlier ones were answered (as users
    keep typing while the database is away); at most `concurrency` in flight."""
    shots: list[Shot] = []
    gate = asyncio.Semaphore(concurrency)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(timeout=30, limits=limits) as http:

        async def one(form: dict[str, str]) -> None:
            async with gate:
                shot = Shot(key=key_of(form), sent_at=time.monotonic())
                shots.append(shot)
                shot.status, shot.body, _ = await send(http, url, form)
                shot.acked_at = time.monotonic()

        start = time.monotonic()
        tasks: list[asyncio.Task[None]] = []
        for i, form in enumerate(forms):
            await asyncio.sleep(max(0.0, start + i / rate - time.monotonic()))
            tasks.append(asyncio.create_task(one(form)))
        await asyncio.gather(*tasks)
    return shots


async def restart_postgres(
    workdir: Path,
    *,
    n: int,
    rate: float,
    modes: tuple[str, ...] = ("fast", "immediate"),
    repo: Path = REPO,
) -> dict[str, Any]:
    """A real Liaison server on a throw-away PostgreSQL that is restarted (`pg_ctl restart -m <mode>`, evenly
    spread) while `/risk add` commands keep coming: no acked write lost or doubled, every acked command
    carried out (waiting for the database if need be), at most a "try again" in the ack of one that was not
    kept, and the app recovers by itself: same process, /healthz 200."""
    bindir = postgres_bindir()
    if bindir is None:
        raise RuntimeError(f"no PostgreSQL server binaries (initdb, pg_ctl) under {PG_HOME} or on PATH")
    pg = ThrowawayPostgres(bindir)  # only a temp dir so far; stopped and removed below whatever happens
    servers: list[Server] = []  # stopped whatever happens: no process outlives its scenario
    outages: list[Outage] = []
    took: list[float] = []
    begun: list[float] = []  # when each `pg_ctl restart` was started
    fake: FakeSlack | None = None
    try:
        fake = _fake()
        pg.start()
        server = _started(servers, Server(fake, pg.url, workdir / "pgrestart.log", repo=repo))
        await setup_project(server)
        forms = risk_forms(fake, n, prefix="Restart")
        stop = asyncio.Event()
        watcher = asyncio.create_task(watch_outages(pg.port, stop, outages))

        async def restarts() -> None:
            begin, length = time.monotonic(), n / rate
            for k, mode in enumerate(modes):
                await asyncio.sleep(max(0.0, begin + length * (k + 1) / (len(modes) + 1) - time.monotonic()))
                begun.append(time.monotonic())
                took.append(await asyncio.to_thread(pg.restart, mode))

        restarter = asyncio.create_task(restarts())
        try:
            shots = await steady(server.url, forms, rate=rate)
            await restarter
        finally:
            stop.set()
            restarter.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await restarter
            await watcher
        acked = [s.key for s in shots if s.acked]
        got, _ = await wait_answered(fake, acked, timeout=60)
        left = await journal_drained(pg.url)
        async with httpx.AsyncClient(timeout=5) as http:
            health = await http.get(f"{server.url}/healthz")
        same_process = server.proc is not None and server.proc.poll() is None
        titles = await stored_titles(pg.url, "Restart")
        server.stop()
        return _restart_figures(
            fake, shots, got, titles, outages, (begun, took), modes, health, same_process, left
        )
    finally:
        try:
            for started in servers:
                started.stop()
            if fake is not None:
                fake.stop()
        finally:
            pg.stop()


def _restart_figures(
    fake: FakeSlack,
    shots: list[Shot],
    got: dict[str, list[str]],
    titles: Counter[str],
    outages: list[Outage],
    restarts: tuple[list[float], list[float]],
    modes: tuple[str, ...],
    health: httpx.Response,
    same_process: bool,
    journal_left: int,
) -> dict[str, Any]:
    def title(key: str) -> str:
        return title_of(key, "Restart")

    acked = [s.key for s in shots if s.acked]
    refused = [s for s in shots if s.status == 200 and not s.acked]
    succeeded = {k for k in acked if any(x in a for a in got[k] for x in SUCCESS)}
    try_again = {k for k in acked if any("try again" in a for a in got[k])}
    kept = {k for k in acked if any("command is kept" in a for a in got[k])}  # waiting for the database
    success_at: dict[str, float] = {}  # when its success answer reached Slack
    for call in fake.calls_to("response_url"):
        k = str(call.args.get("_key", ""))
        if k in succeeded and any(x in str(call.args.get("text", "")) for x in SUCCESS):
            success_at.setdefault(k, call.at)
    figures: dict[str, Any] = {
        "scenario": f"PostgreSQL restarted under steady commands ({', '.join(modes)})",
        "database": "postgresql (a throw-away server)",
        "sent": len(shots),
        "acked": len(acked),
        "refused_in_ack_try_again": sum(1 for s in refused if "not reachable" in s.body),
        "refused_in_ack_busy": sum(1 for s in refused if "busy" in s.body),
        "not_acked": sorted(f"{s.key}: HTTP {s.status or 'no answer'}" for s in shots if s.status != 200),
        "stored": sum(1 for t in titles.values() if t),
        "answered": sum(1 for k in acked if got[k]),
        "answered_ok": len(succeeded),
        "told_try_again_after_retry": len(try_again - succeeded),
        "told_try_again_then_done": len(try_again & succeeded),
        "told_kept_then_done": len(kept & succeeded),
        "told_kept_never_done": sorted(kept - succeeded),
        "lost": sorted(title(k) for k in acked if k not in try_again and titles[title(k)] == 0),
        "duplicated": sorted(t for t, c in titles.items() if c > 1),
        "unanswered": sorted(k for k in acked if not got[k]),
        "other_answers": sorted(k for k in acked if got[k] and k not in succeeded | try_again),
        "stored_behind_try_again": sorted(title(k) for k in try_again - succeeded if titles[title(k)]),
        "stored_though_refused_in_ack": sorted(title(s.key) for s in refused if titles[title(s.key)]),
    }
    begun, took = restarts
    for i, (mode, outage, seconds) in enumerate(zip(modes, outages, took, strict=False)):
        # what the app did once this server was back: commands sent after it came back and answered in their
        # ack before the next restart began (one sent just before it may meet the next outage)
        tag = f"{i + 1}_{mode}"  # e.g. 1_fast, 2_immediate
        until = begun[i + 1] if i + 1 < len(begun) else float("inf")
        window = [s for s in shots if outage.up_at <= s.sent_at and s.acked_at < until]
        kept_at = [s.acked_at for s in window if s.acked]
        answered_at = [at for at in success_at.values() if outage.up_at <= at < until]
        figures[f"{tag}_pg_ctl_restart_s"] = round(seconds, 2)
        figures[f"{tag}_down_s"] = round(outage.up_at - outage.down_at, 2) if outage.up_at else "never up"
        figures[f"{tag}_first_ack_after_up_s"] = round(min(kept_at) - outage.up_at, 2) if kept_at else "none"
        figures[f"{tag}_first_success_answer_after_up_s"] = (
            round(min(answered_at) - outage.up_at, 2) if answered_at else "none"
        )
        refused_at = [s.sent_at for s in window if "not reachable" in s.body]
        figures[f"{tag}_refused_after_up"] = len(refused_at)
        # once the app has acked a command again, the database never refuses one more: it has recovered
        figures[f"{tag}_refused_after_first_ack"] = sum(
            1 for at in refused_at if kept_at and at > min(kept_at)
        )
    figures.update(
        outages_seen=len(outages),
        journal_left=journal_left,
        healthz_after=health.status_code,
        scheduler_running=bool(health.json().get("scheduler", {}).get("running")),
        same_process=same_process,
    )
    return figures
