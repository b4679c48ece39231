"""Benchmark 2: the ack path while 1,000 scheduled digests are being composed and posted in the same
process, because a user's `/risk add` must still be acknowledged fast when the digests of Monday 9:00 run.

The Liaison server (its own process) gets 1,000 projects, each with a shared client channel and a client
digest schedule that is due now; when the load generator's timed phase starts, a bench-only hook starts
the schedule runner (`svc.runner.run_all()`, or every schedule at once with `--mode concurrent`, as
APScheduler fires jobs due together). Without the digest feature it falls back to sync reminders and says so.

Run: .venv/bin/python -m bench.ack_background [--seconds 10] [--quick] [--mode run_all|concurrent]
     [--projects 1000] [--no-charts] [--no-postgres] [--gc-freeze]
"""

from __future__ import annotations

import asyncio
import os
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.ack import measure, sqlite_url
from bench.common import (
    ALICE,
    BOB,
    PG_URL,
    Check,
    ServerProcess,
    base_parser,
    fmt,
    postgres_ready,
    seconds_of,
    start_fake,
    write_result,
)
from bench.seed import channel_ids

P99_TARGET_MS = 100.0
PREFIX = "CB"


def add_project_channels(fake: Any, count: int) -> None:
    """The seeded projects' channels, in the fake Slack: a team channel and a channel shared with ACME."""
    for i in range(count):
        internal, client = channel_ids(PREFIX, i)
        fake.add_channel(internal, name=f"bench-{i}-internal", members=(ALICE, BOB))
        fake.add_channel(client, name=f"bench-{i}-acme", is_ext_shared=True, members=(ALICE, "U0CAROL"))


async def run_one(
    fake: Any, *, name: str, url: str, args: Any, seconds: float, rate: float
) -> dict[str, Any]:
    async def prepare(server: ServerProcess) -> dict[str, Any]:
        due = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=1)
        return dict(
            await server.post(
                "/bench/seed",
                {
                    "projects": args.projects,
                    "occurs_at": due.isoformat(),
                    "prefix": PREFIX,
                    "charts": args.charts,
                },
            )
        )

    async def background(server: ServerProcess) -> None:
        await server.post("/bench/fire", {"mode": args.mode})

    async def after_load(server: ServerProcess) -> dict[str, Any]:
        progress = await server.get("/bench/stats")
        cancelled = await server.post("/bench/cancel")
        return {"stats": progress, "background": cancelled}

    run = await measure(
        "liaison",
        fake=fake,
        name=name,
        seconds=seconds,
        connections=args.connections,
        database_url=url,
        prepare=prepare,
        background=background,
        after_load=after_load,
        rate=rate,
        gc_freeze=args.gc_freeze,
    )
    start = run["load"]["timed_started_mono"]
    end = start + run["load"]["timed"]["elapsed_s"]
    posts = [
        c
        for c in fake.calls_to("chat.postMessage")
        if str(c.args.get("channel", "")).startswith(f"{PREFIX}C") and start <= c.at <= end
    ]
    run["background_posts_in_window"] = len(posts)
    run["window_s"] = round(end - start, 2)
    fake.reset_calls()  # the next run counts only its own calls
    return run


def checks_for(label: str, run: dict[str, Any], kind: str) -> list[Check]:
    timed = run["load"]["timed"]
    lat = timed["latency_ms"]
    acked, stored = run["load"]["acked_total"], run["risks_stored"]
    busy = run["load"].get("busy_total", 0)  # answered "busy, try again" in the ack (bot/workpool.py)
    return [
        Check(f"{label}: throughput", fmt(timed["ok_rps"], " req/s")),
        Check(f"{label}: ack p50", fmt(lat.get("p50", float("nan")), " ms")),
        Check(
            f"{label}: ack p99",
            fmt(lat.get("p99", float("nan")), " ms"),
            f"≤ {P99_TARGET_MS:.0f} ms",
            lat.get("p99", float("inf")) <= P99_TARGET_MS,
        ),
        Check(
            f"{label}: {kind}s posted during the window",
            f"{run['background_posts_in_window']} in {run['window_s']:.1f} s",
        ),
        Check(
            f"{label}: event-loop stalls > 50 ms while timed",
            f"{run['loop_lag_in_window']['over_50ms']} (longest {run['loop_lag_in_window']['max_ms']:.0f} ms; "
            f"GC: {run['gc_in_window']['full']} full, longest {run['gc_in_window']['max_full_ms']:.0f} ms)",
        ),
        Check(
            f"{label}: risks stored / acked − answered busy",
            f"{stored} / {acked} − {busy}",
            "equal",
            stored == acked - busy,
        ),
    ]


async def main() -> None:
    parser = base_parser(__doc__.splitlines()[0] if __doc__ else "", seconds=8.0, quick_seconds=4.0)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--mode", choices=["run_all", "concurrent"], default="run_all")
    parser.add_argument(
        "--rate", type=float, default=20.0, help="requests/s of the paced run (0: closed loop only)"
    )
    parser.add_argument("--no-charts", dest="charts", action="store_false", help="digests without charts")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument(
        "--gc-freeze", action="store_true", help="experiment: warm charts then gc.freeze() in the server"
    )
    args = parser.parse_args()
    seconds = seconds_of(args)
    load_before = [round(x, 2) for x in os.getloadavg()]
    notes: list[str] = []
    fake = start_fake()
    add_project_channels(fake, args.projects)
    databases = {"SQLite": "sqlite"}
    why_not = "skipped (--no-postgres)" if args.no_postgres else await postgres_ready()
    if why_not is None:
        databases["PostgreSQL"] = PG_URL
    else:
        notes.append(f"PostgreSQL runs skipped: {why_not}")
    drives = {"closed loop": 0.0} | ({f"paced {args.rate:g}/s": args.rate} if args.rate > 0 else {})
    runs: dict[str, dict[str, Any]] = {}
    try:
        for db_label, url in databases.items():
            for drive, rate in drives.items():
                name = f"bg-{url.split(':')[0].split('+')[0]}-{'paced' if rate else 'closed'}"
                database_url = sqlite_url(name) if url == "sqlite" else url
                runs[f"{db_label}, {drive}"] = await run_one(
                    fake, name=name, url=database_url, args=args, seconds=seconds, rate=rate
                )
    finally:
        fake.stop()
    first = next(iter(runs.values()))
    kind = first["prepare"]["kind"]
    if kind != "digest":
        notes.append(
            "FALLBACK: the digest feature is not installed; background load is 1,000 sync reminders."
        )
    charts = first["prepare"].get("options", {}).get("charts")
    notes.append(
        f"Background: {args.projects} client {kind}s due now"
        + (f" (charts {'on' if charts else 'off'})" if kind == "digest" else "")
        + f", started with mode={args.mode} when the timed phase began and cancelled when it ended; "
        f"{args.connections} connections, {seconds:.0f} s timed. Closed loop floods the server (it acks "
        "faster than it can finish the work); the paced run is a busy but sustainable command rate."
    )
    checks: list[Check] = []
    for label, run in runs.items():
        checks += checks_for(f"Liaison/{label}", run, kind)
    write_result(
        "ack_background",
        params={
            "seconds": seconds,
            "connections": args.connections,
            "projects": args.projects,
            "mode": args.mode,
            "charts": args.charts,
            "paced_rate": args.rate,
            "gc_freeze_experiment": args.gc_freeze,
            "quick": args.quick,
        },
        results=runs,
        checks=checks,
        load_before=load_before,
        notes=notes,
    )


if __name__ == "__main__":
    asyncio.run(main())
