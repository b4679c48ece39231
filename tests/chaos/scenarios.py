"""Fault scenarios on a real `liaison run --http` process: each returns its figures; the tests assert on them
and bench/chaos_journal.py prints them for longer runs."""

from __future__ import annotations

import asyncio
import contextlib
import time
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from tests.chaos.harness import (
    Server,
    SlowAnswers,
    answers,
    burst,
    percentile,
    risk_forms,
    scalar,
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
