"""Benchmark 4: 1,000 projects whose digests fall due in the same minute, fired by the real scheduler
(APScheduler, as in production) into a fake Slack that rate-limits like Slack does: chat.postMessage 1 per
second per channel (bursts of 3) and a workspace-wide rate for chat.postMessage and file uploads. Nothing may
be posted twice and nothing may be lost; the first within 2 s of due and all within the minute. A light
stream of `/risk add` runs across the due minute so the ack path is measured during the storm too.

Run: .venv/bin/python -m bench.fanout [--quick] [--projects 1000] [--charts] [--probe-rate 10] [--postgres]
     [--profile]
"""

from __future__ import annotations

import asyncio
import os
import time
from collections import Counter
from datetime import UTC, datetime
from typing import Any

import httpx

from bench.ack import sqlite_url
from bench.ack_background import PREFIX, add_project_channels
from bench.common import (
    PG_URL,
    Check,
    ServerProcess,
    base_parser,
    fmt,
    postgres_ready,
    reset_postgres,
    run_load,
    setup_project,
    start_fake,
    write_result,
)
from bench.seed import minute_ahead

ACK_P99_TARGET_MS = 100.0
FIRST_TARGET_S = 2.0  # issue 17: the first digest within 2 s of its due time
ALL_TARGET_S = 60.0  # ... and all of them within the minute
UPLOAD_METHODS = ("files.getUploadURLExternal", "files.completeUploadExternal")


def deliveries(fake: Any, due_mono: float) -> dict[str, Any]:
    """What Slack received for the seeded client channels: per-channel posts, 429s, timings from due."""
    client = f"{PREFIX}C"
    calls = [
        c
        for c in fake.calls_to("chat.postMessage", include_errors=True)
        if str(c.args.get("channel", "")).startswith(client)
    ]
    ok = [c for c in calls if c.ok]
    per_channel = Counter(str(c.args["channel"]) for c in ok)
    after = sorted(c.at - due_mono for c in ok)
    reports = [
        c
        for c in fake.calls_to("chat.postMessage")
        if str(c.args.get("channel", "")).startswith(f"{PREFIX}I")
    ]
    return {
        "posted_ok": len(ok),
        "channels_delivered": len(per_channel),
        "duplicates": sum(n - 1 for n in per_channel.values() if n > 1),
        "rate_limited_429": sum(1 for c in calls if c.status == 429),
        "other_errors": dict(
            Counter(str(c.response.get("error")) for c in calls if not c.ok and c.status != 429)
        ),
        "failure_reports": len(reports),
        "uploads": len(fake.calls_to("files.completeUploadExternal")),
        "first_s": round(after[0], 2) if after else None,
        "p50_s": round(after[len(after) // 2], 2) if after else None,
        "last_s": round(after[-1], 2) if after else None,
    }


async def run_fanout(fake: Any, *, name: str, url: str, args: Any) -> dict[str, Any]:
    if url.startswith("postgresql"):
        await reset_postgres(url)
    server = await ServerProcess.start(
        "liaison", fake_url=fake.base_url, name=name, database_url=url, profile=args.profile
    )
    result: dict[str, Any] = {"database_url": url}
    try:
        await setup_project(server.url, fake)
        due = minute_ahead(datetime.now(UTC), at_least=args.lead)
        result["seed"] = await server.post(
            "/bench/seed",
            {
                "projects": args.projects,
                "occurs_at": due.isoformat(),
                "prefix": PREFIX,
                "charts": args.charts,
            },
        )
        result["seed"].pop("schedule_ids", None)
        await server.post("/bench/fire", {"mode": "scheduler"})
        while (await server.get("/bench/stats"))["background"].get("running"):
            await asyncio.sleep(0.2)
        due_mono = time.monotonic() + (due.timestamp() - time.time())
        print(
            f"  {name}: {args.projects} schedules due at {due:%H:%M:%S} UTC, in {due_mono - time.monotonic():.0f} s",
            flush=True,
        )
        result["memory_before"] = server.memory()
        probe: asyncio.Task[dict[str, Any]] | None = None
        if args.probe_rate > 0:
            await asyncio.sleep(max(0.0, due_mono - time.monotonic() - 3))  # probe from 2 s before due
            probe = asyncio.create_task(
                run_load(
                    tag=f"{name}-probe",
                    port=server.port,
                    response_base=fake.response_url(""),
                    seconds=args.probe_seconds,
                    rate=args.probe_rate,
                    warmup_seconds=1.0,
                )
            )
        deadline = due_mono + args.timeout
        while time.monotonic() < deadline:
            await asyncio.sleep(1.0)
            seen = deliveries(fake, due_mono)
            try:  # the stats read the store: behind a thousand jobs' transactions it may not answer in time
                stats = await server.get("/bench/stats")
            except httpx.HTTPError:
                result["stats_timeouts"] = result.get("stats_timeouts", 0) + 1
                continue
            settled = sum(stats["occurrences"].get(s, 0) for s in ("posted", "failed"))
            if (
                time.monotonic() > due_mono
                and settled >= args.projects
                and seen["channels_delivered"] >= settled - stats["occurrences"].get("failed", 0)
            ):
                break
        await asyncio.sleep(args.settle)  # anything late (a retry, the next resync) would show up now
        result["slack"] = deliveries(fake, due_mono)
        last = due_mono + (result["slack"]["last_s"] or 0.0)
        try:
            result["stats"] = await server.get(f"/bench/stats?since={due_mono - 1}&until={last}")
        except httpx.HTTPError as exc:
            result["stats"] = {"error": type(exc).__name__}
        result["memory_after"] = server.memory()
        if probe is not None:
            load = await probe
            result["probe"] = {"timed": load["timed"], "acked_total": load["acked_total"]}
    finally:
        result["exit_code"] = await server.stop()
    fake.reset_calls()
    return result


def checks_for(label: str, run: dict[str, Any], projects: int, kind: str) -> list[Check]:
    slack = run["slack"]
    lost = projects - slack["channels_delivered"]
    checks = [
        Check(
            f"{label}: time from due to last {kind} delivered",
            fmt(slack["last_s"], " s")
            + f" (first {fmt(slack['first_s'], ' s')}, median {fmt(slack['p50_s'], ' s')})",
        ),
        Check(
            f"{label}: first {kind} delivered after its due time",
            fmt(slack["first_s"], " s"),
            f"≤ {FIRST_TARGET_S:.0f} s",
            slack["first_s"] is not None and slack["first_s"] <= FIRST_TARGET_S,
        ),
        Check(
            f"{label}: all {kind}s delivered within the minute",
            fmt(slack["last_s"], " s"),
            f"≤ {ALL_TARGET_S:.0f} s",
            slack["last_s"] is not None and slack["last_s"] <= ALL_TARGET_S and lost == 0,
        ),
        Check(f"{label}: {kind}s delivered", f"{slack['channels_delivered']} / {projects}"),
        Check(f"{label}: 429s met", str(slack["rate_limited_429"])),
        Check(f"{label}: duplicates", str(slack["duplicates"]), "0", slack["duplicates"] == 0),
        Check(f"{label}: losses", str(lost), "0", lost == 0),
    ]
    lag = run["stats"].get("loop_lag")
    if lag is None:
        checks.append(Check(f"{label}: server stats", "did not answer (the store was busy)"))
    else:
        checks.append(
            Check(
                f"{label}: event-loop stalls > 100 ms from due to last delivery",
                f"{lag['over_100ms']} (longest {lag['max_ms']:.0f} ms; GC: {run['stats']['gc']['full']} full "
                f"collections, longest {run['stats']['gc']['max_full_ms']:.0f} ms)",
            )
        )
    if "probe" in run:
        lat = run["probe"]["timed"]["latency_ms"]
        checks.append(
            Check(
                f"{label}: ack p99 during the fan-out ({run['probe']['timed']['ok_rps']:.0f} req/s probe)",
                fmt(lat.get("p99", float("nan")), " ms")
                + f" (p50 {fmt(lat.get('p50', float('nan')), ' ms')})",
                f"≤ {ACK_P99_TARGET_MS:.0f} ms",
                lat.get("p99", float("inf")) <= ACK_P99_TARGET_MS,
            )
        )
    return checks


async def main() -> None:
    parser = base_parser(__doc__.splitlines()[0] if __doc__ else "", seconds=0, quick_seconds=0)
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--charts", action="store_true", help="digests with charts (adds ~0.2 s CPU each)")
    parser.add_argument("--timeout", type=float, default=300.0, help="give up this long after the due time")
    parser.add_argument(
        "--lead", type=float, default=15.0, help="seconds between seeding and the due minute, at least"
    )
    parser.add_argument(
        "--settle", type=float, default=None, help="wait after the last delivery (default 5, quick 3)"
    )
    parser.add_argument(
        "--probe-rate", type=float, default=10.0, help="/risk add per second across the due time (0: off)"
    )
    parser.add_argument(
        "--probe-seconds", type=float, default=None, help="probe length (default 30, quick 15)"
    )
    parser.add_argument("--postgres", action="store_true", help="also run on PostgreSQL")
    parser.add_argument(
        "--profile", action="store_true", help="pyinstrument profile of each server (bench/results/profile-*)"
    )
    parser.add_argument(
        "--workspace-per-minute",
        type=float,
        default=1200.0,
        help="the fake's workspace-wide chat.postMessage limit (per minute; 0: none). Slack publishes no "
        "figure ('several hundred a minute'); 1,200 is the least that lets 1,000 digests fit in a minute",
    )
    parser.add_argument(
        "--uploads-per-minute",
        type=float,
        default=100.0,
        help="the fake's workspace-wide limit on each file-upload method (Tier 4: 100+/min; 0: none)",
    )
    args = parser.parse_args()
    args.settle = args.settle if args.settle is not None else (3.0 if args.quick else 5.0)
    args.probe_seconds = args.probe_seconds or (15.0 if args.quick else 30.0)
    load_before = [round(x, 2) for x in os.getloadavg()]
    notes: list[str] = []
    fake = start_fake()
    fake.rate_limit(
        "chat.postMessage",
        per_channel_per_second=1,
        burst=3,
        per_workspace_per_minute=args.workspace_per_minute or None,
        workspace_burst=20,
    )
    if args.uploads_per_minute:
        for method in UPLOAD_METHODS:
            fake.rate_limit(
                method,
                per_channel_per_second=None,
                per_workspace_per_minute=args.uploads_per_minute,
                burst=10,
            )
    add_project_channels(fake, args.projects)
    runs: dict[str, dict[str, Any]] = {}
    try:
        runs["SQLite"] = await run_fanout(
            fake, name="fanout-sqlite", url=sqlite_url("fanout-sqlite"), args=args
        )
        if args.postgres:
            why_not = await postgres_ready()
            if why_not is None:
                runs["PostgreSQL"] = await run_fanout(fake, name="fanout-postgres", url=PG_URL, args=args)
            else:
                notes.append(f"PostgreSQL skipped: {why_not}")
    finally:
        fake.stop()
    kind = runs["SQLite"]["seed"]["kind"]
    if kind != "digest":
        notes.append("FALLBACK: the digest feature is not installed; this fans out 1,000 sync reminders.")
    notes.append(
        f"{args.projects} client {kind}s"
        + (f" (charts {'on' if args.charts else 'off'})" if kind == "digest" else "")
        + ", one shared client channel each, due in the same minute and fired by APScheduler; "
        "chat.postMessage limited to 1/s per channel with bursts of 3 and "
        + (
            f"{args.workspace_per_minute:g}/min workspace-wide (bursts of 20)"
            if args.workspace_per_minute
            else "no workspace-wide limit"
        )
        + "; file uploads "
        + (
            f"{args.uploads_per_minute:g}/min workspace-wide per method"
            if args.uploads_per_minute
            else "unlimited"
        )
        + "."
    )
    checks: list[Check] = []
    for label, run in runs.items():
        checks += checks_for(f"fan-out/{label}", run, args.projects, kind)
    write_result(
        "fanout",
        params={
            "projects": args.projects,
            "charts": args.charts,
            "probe_rate": args.probe_rate,
            "probe_seconds": args.probe_seconds,
            "quick": args.quick,
            "workspace_per_minute": args.workspace_per_minute,
            "uploads_per_minute": args.uploads_per_minute,
        },
        results=runs,
        checks=checks,
        load_before=load_before,
        notes=notes,
    )


if __name__ == "__main__":
    asyncio.run(main())
