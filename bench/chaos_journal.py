"""Acked means kept, measured: the fault scenarios of tests/chaos/test_journal.py at a larger size, with their
figures, and the ack latency of `/risk add` (sequential and 16 at a time) on a real `liaison run --http`.

Run: .venv/bin/python -m bench.chaos_journal [--quick] [--no-postgres] [--ack-only] [--ack-n N] [--repo PATH]
  --repo PATH: measure the ack of another source tree (e.g. `git archive` of an older commit) for before/after.
PostgreSQL: TEST_DATABASE_URL (default postgresql+asyncpg://postgres@127.0.0.1:5432/test), a scratch database.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from tests.chaos.harness import REPO, Server, burst, percentile, risk_forms, setup_project
from tests.chaos.scenarios import _fake, kill_mid_burst, show, sigterm_drain, terminate_backends
from tests.harness.app import create_private_database, drop_private_database

PG = os.environ.get("TEST_DATABASE_URL") or "postgresql+asyncpg://postgres@127.0.0.1:5432/test"


async def ack_latency(database_url: str, workdir: Path, *, n: int, repo: Path) -> dict[str, Any]:
    fake = _fake()
    try:
        server = Server(fake, database_url, workdir / "ack.log", repo=repo).start()
        try:
            await setup_project(server)
            one = await burst(server.url, risk_forms(fake, n, prefix="Seq"), concurrency=1)
            many = await burst(server.url, risk_forms(fake, n, prefix="Par"), concurrency=16)
        finally:
            server.stop()
    finally:
        fake.stop()

    def ms(values: list[float], p: float) -> float:
        return round(percentile(values, p) * 1000, 1)

    return {
        "scenario": f"ack latency of /risk add ({repo})",
        "database": "postgresql" if database_url.startswith("postgresql") else "sqlite",
        "sequential_p50_ms": ms(one.latencies, 50),
        "sequential_p99_ms": ms(one.latencies, 99),
        "x16_p50_ms": ms(many.latencies, 50),
        "x16_p99_ms": ms(many.latencies, 99),
        "acked": len(one.acked) + len(many.acked),
    }


async def journal_write_cost(database_url: str, *, n: int) -> dict[str, Any]:
    """What the journal adds to an ack, alone: its one INSERT (and, after the work, its DELETE)."""
    from datetime import UTC, datetime, timedelta

    from bot.domain import journal
    from storage import migrate
    from storage.db import create_engine, create_session_factory

    engine = create_engine(database_url)
    sessions = create_session_factory(engine)
    inserts: list[float] = []
    deletes: list[float] = []
    try:
        await migrate.upgrade(engine)
        now = datetime.now(UTC)
        for i in range(n):
            payload = {"trigger_id": f"{i}.bench", "response_url": "https://hooks.example/x", "text": "add x"}
            started = time.perf_counter()
            await journal.record(sessions, payload, now=now, lease=timedelta(seconds=60))
            inserts.append(time.perf_counter() - started)
            started = time.perf_counter()
            await journal.finish(sessions, journal.command_key(payload))
            deletes.append(time.perf_counter() - started)
    finally:
        await engine.dispose()
    return {
        "scenario": "journal write cost (in-process, sequential)",
        "database": "postgresql" if database_url.startswith("postgresql") else "sqlite",
        "n": n,
        "insert_p50_ms": round(percentile(inserts, 50) * 1000, 2),
        "insert_p99_ms": round(percentile(inserts, 99) * 1000, 2),
        "delete_p50_ms": round(percentile(deletes, 50) * 1000, 2),
    }


async def run_on(dialect: str, pg: str | None, work: Path, args: argparse.Namespace, size: int) -> None:
    counter = [0]

    async def database() -> str:
        counter[0] += 1
        if pg is None:
            return f"sqlite+aiosqlite:///{work / f'chaos{dialect}{counter[0]}.sqlite3'}"
        return await create_private_database(pg)

    runs: list[Callable[[str], Awaitable[dict[str, Any]]]] = [
        lambda url: journal_write_cost(url, n=500),
        lambda url: ack_latency(url, work, n=args.ack_n or size // 4, repo=args.repo),
    ]
    if not args.ack_only:
        runs += [
            lambda url: kill_mid_burst(url, work, n=size, kill_after=size // 10),
            lambda url: sigterm_drain(url, work, n=size // 5, delay=0.3),
        ]
        if pg is not None:
            runs.append(lambda url: terminate_backends(url, work, n=size // 2, every=0.5))
    for run in runs:
        url = await database()
        try:
            print(show(await run(url)), flush=True)
        finally:
            if pg is not None:
                await drop_private_database(pg, url)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--ack-only", action="store_true")
    parser.add_argument("--repo", type=Path, default=REPO)
    parser.add_argument(
        "--ack-n", type=int, default=0, help="commands per ack run (default: a quarter of the size)"
    )
    args = parser.parse_args()
    size = 200 if args.quick else 2000
    with tempfile.TemporaryDirectory() as tmp:
        await run_on("sqlite", None, Path(tmp), args, size)
        if not args.no_postgres:
            await run_on("postgresql", PG, Path(tmp), args, size)


if __name__ == "__main__":
    asyncio.run(main())
