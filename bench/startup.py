"""Benchmark 6: start-up time and memory of the real CLI, `liaison run --http`, as a deployment runs it:
time from exec to the first `/healthz` 200 (on a fresh database, which includes the migrations, and on an
existing one), resident memory idle, and after benchmark 1's `/risk add` load once its work has drained.

Run: .venv/bin/python -m bench.startup [--quick] [--launches 3] [--seconds 10]
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from bench.common import (
    BOT_TOKEN,
    LOGS,
    SIGNING_SECRET,
    Check,
    base_parser,
    fmt,
    memory_mb,
    run_load,
    seconds_of,
    setup_project,
    start_fake,
    write_result,
)

STARTUP_TARGET_S = 2.0
IDLE_TARGET_MB = 150.0
LOAD_TARGET_MB = 250.0  # issue 17: under load
DRAINED_TARGET = 1.2  # issue 17: back within 20% of idle once drained
LIAISON = Path(sys.executable).parent / "liaison"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Launched:
    """One `liaison run --http` process, started in an empty directory (no .env) with a given database."""

    def __init__(self, proc: asyncio.subprocess.Process, port: int, ready_s: float) -> None:
        self.proc, self.port, self.ready_s = proc, port, ready_s
        self.url = f"http://127.0.0.1:{port}"

    @classmethod
    async def start(cls, fake: Any, database: Path, workdir: Path, log_name: str) -> Launched:
        port = free_port()
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(workdir),
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": fake.base_url,
            "DATABASE_URL": f"sqlite:///{database}",
            "LOG_LEVEL": "WARNING",
        }
        LOGS.mkdir(parents=True, exist_ok=True)
        with (LOGS / f"{log_name}.log").open("wb") as log:
            started = time.monotonic()
            proc = await asyncio.create_subprocess_exec(
                str(LIAISON), "run", "--http", "--host", "127.0.0.1", "--port", str(port),
                cwd=workdir, env=env, stdout=log, stderr=log,
            )  # fmt: skip
        async with httpx.AsyncClient(timeout=1.0) as http:
            while True:
                if proc.returncode is not None:
                    raise RuntimeError(f"liaison exited with {proc.returncode}; see {LOGS / log_name}.log")
                try:
                    if (await http.get(f"http://127.0.0.1:{port}/healthz")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() - started > 60:
                    proc.kill()
                    raise RuntimeError("liaison did not become healthy within 60 s")
                await asyncio.sleep(0.01)
        return cls(proc, port, time.monotonic() - started)

    async def stop(self) -> tuple[int | None, float]:
        started = time.monotonic()
        self.proc.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(self.proc.wait(), 30)
        except TimeoutError:
            self.proc.kill()
            await self.proc.wait()
        return self.proc.returncode, time.monotonic() - started


async def main() -> None:
    parser = base_parser(__doc__.splitlines()[0] if __doc__ else "", seconds=10.0, quick_seconds=4.0)
    parser.add_argument("--launches", type=int, default=None, help="launches per case (default 3, quick 2)")
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    seconds = seconds_of(args)
    launches = args.launches or (2 if args.quick else 3)
    load_before = [round(x, 2) for x in os.getloadavg()]
    fake = start_fake()
    results: dict[str, Any] = {"fresh_db_s": [], "existing_db_s": [], "shutdown_s": []}
    try:
        with tempfile.TemporaryDirectory(prefix="liaison-bench-") as tmp:
            workdir = Path(tmp)
            for i in range(launches):
                database = workdir / f"fresh-{i}.sqlite3"
                app = await Launched.start(fake, database, workdir, f"startup-fresh-{i}")
                results["fresh_db_s"].append(round(app.ready_s, 3))
                results["shutdown_s"].append(round((await app.stop())[1], 3))
            for i in range(launches):
                app = await Launched.start(
                    fake, workdir / "fresh-0.sqlite3", workdir, f"startup-existing-{i}"
                )
                results["existing_db_s"].append(round(app.ready_s, 3))
                if i < launches - 1:
                    results["shutdown_s"].append(round((await app.stop())[1], 3))
            await asyncio.sleep(2.0)  # idle: started, scheduler running, nothing asked yet
            pid = app.proc.pid
            results["memory_idle"] = memory_mb(pid)
            await setup_project(app.url, fake)
            load = await run_load(
                tag="startup",
                port=app.port,
                response_base=fake.response_url(""),
                seconds=seconds,
                connections=args.connections,
            )
            results["load"] = {"timed": load["timed"], "acked_total": load["acked_total"]}
            results["memory_after_load"] = memory_mb(pid)
            drained = time.monotonic()
            while time.monotonic() - drained < 300:
                replies = sum(
                    1
                    for c in fake.calls_to("response_url")
                    if str(c.args.get("_key", "")).startswith("startup-")
                )
                if replies >= load["acked_total"]:
                    break
                await asyncio.sleep(0.5)
            results["drain_s"] = round(time.monotonic() - drained, 2)
            results["replies"] = replies
            results["memory_drained"] = memory_mb(pid)
            code, took = await app.stop()
            results["shutdown_s"].append(round(took, 3))
            results["exit_code"] = code
    finally:
        fake.stop()
    fresh, existing = results["fresh_db_s"], results["existing_db_s"]
    idle = results["memory_idle"].get("rss_mb", float("nan"))
    loaded = results["memory_after_load"].get("rss_mb", float("nan"))
    drained = results["memory_drained"].get("rss_mb", float("nan"))
    peak = results["memory_drained"].get("peak_mb", float("nan"))  # VmHWM: the most it ever held
    checks = [
        Check(
            "start-up to /healthz 200, fresh database (median)",
            f"{fmt(statistics.median(fresh), ' s', 2)} (max {fmt(max(fresh), ' s', 2)}, n={len(fresh)})",
            f"≤ {STARTUP_TARGET_S:.0f} s",
            statistics.median(fresh) <= STARTUP_TARGET_S,
        ),
        Check(
            "start-up to /healthz 200, existing database (median)",
            f"{fmt(statistics.median(existing), ' s', 2)} (max {fmt(max(existing), ' s', 2)})",
            f"≤ {STARTUP_TARGET_S:.0f} s",
            statistics.median(existing) <= STARTUP_TARGET_S,
        ),
        Check("resident memory idle", fmt(idle, " MB"), f"≤ {IDLE_TARGET_MB:.0f} MB", idle <= IDLE_TARGET_MB),
        Check(
            f"resident memory under load: peak over {seconds:.0f} s of /risk add "
            f"({results['load']['acked_total']} acked)",
            f"{fmt(peak, ' MB')} (at the end of the load {fmt(loaded, ' MB')})",
            f"≤ {LOAD_TARGET_MB:.0f} MB",
            peak <= LOAD_TARGET_MB,
        ),
        Check(
            "resident memory once drained ÷ idle",
            f"{fmt(drained / idle, '×', 2)} ({fmt(drained, ' MB')})",
            f"≤ {DRAINED_TARGET:.1f}×",
            drained / idle <= DRAINED_TARGET,
        ),
        Check("graceful shutdown (SIGTERM to exit), longest", fmt(max(results["shutdown_s"]), " s", 2)),
    ]
    write_result(
        "startup",
        params={
            "launches": launches,
            "seconds": seconds,
            "connections": args.connections,
            "quick": args.quick,
        },
        results=results,
        checks=checks,
        load_before=load_before,
        notes=[
            "The installed `liaison` console script, in an empty working directory (no .env), SQLite in a temp "
            "directory, fake Slack in the bench process; timed from exec to the first 200 from /healthz."
        ],
    )


if __name__ == "__main__":
    asyncio.run(main())
