"""Benchmark 1: the slash-command ack path. Liaison (SQLite, PostgreSQL) against a bare Bolt app that
only acks, on the same Starlette + uvicorn stack, each server in its own process, driven in one run by a
separate load-generator process with signed `/risk add` requests (a real write each).

Run: .venv/bin/python -m bench.ack [--seconds 10] [--quick] [--connections 8] [--paced 50] [--no-postgres]
     [--profile] [--gc-freeze]
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from bench.common import (
    PG_URL,
    RESULTS,
    Check,
    ServerProcess,
    base_parser,
    cpu_seconds,
    fmt,
    postgres_ready,
    reset_postgres,
    run_load,
    seconds_of,
    setup_project,
    start_fake,
    write_result,
)

DRAIN_TIMEOUT = 300.0
PACED_P99_TARGET_MS = 30.0  # issue 17: ack p99 at a paced 50 commands/s
FLOOD_P99_TARGET_MS = 100.0  # issue 17: ack p99 in an 8-connection closed loop (a flood)
RATIO_TARGET = 0.7  # ack throughput ÷ bare Bolt's (issue 17 names it for PostgreSQL; SQLite held it before)
COMPLETED_TARGET = 0.5  # replies delivered per second ÷ bare Bolt's acks per second


def sqlite_url(name: str) -> str:
    """A fresh SQLite file for one server (bench/results/tmp is git-ignored with the rest of results/)."""
    path = RESULTS / "tmp" / f"{name}.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(f"{path}{suffix}"):
            os.remove(f"{path}{suffix}")
    return f"sqlite+aiosqlite:///{path}"


async def measure(
    kind: str,
    *,
    fake: Any,
    name: str,
    seconds: float,
    connections: int,
    database_url: str | None = None,
    prepare: Callable[[ServerProcess], Awaitable[dict[str, Any]]] | None = None,
    background: Callable[[ServerProcess], Coroutine[Any, Any, None]] | None = None,
    after_load: Callable[[ServerProcess], Awaitable[dict[str, Any]]] | None = None,
    rate: float = 0.0,
    profile: bool = False,
    gc_freeze: bool = False,
    workers: int = 0,
    no_journal: bool = False,
    ack_event: bool = False,
) -> dict[str, Any]:
    """Start one server, load it, then (Liaison) wait for the acked work to drain and count what landed."""
    if database_url and database_url.startswith("postgresql"):
        await reset_postgres(database_url)
    server = await ServerProcess.start(
        kind,
        fake_url=fake.base_url,
        name=name,
        database_url=database_url,
        profile=profile,
        gc_freeze=gc_freeze,
        workers=workers,
        no_journal=no_journal,
        ack_event=ack_event,
    )
    result: dict[str, Any] = {"kind": kind, "database_url": database_url, "server": server.info, "rate": rate}
    try:
        if kind == "liaison":
            await setup_project(server.url, fake)
            if prepare is not None:
                result["prepare"] = await prepare(server)
            result["risks_before"] = (await server.get("/bench/stats"))["risks"]
        result["memory_idle"] = server.memory()
        on_start = (lambda: background(server)) if background is not None else None
        cpu_before = cpu_seconds(server.pid)
        load = await run_load(
            tag=name,
            port=server.port,
            response_base=fake.response_url(""),
            seconds=seconds,
            connections=connections,
            rate=rate,
            on_start=on_start,
        )
        result["load"] = load
        # The server's CPU per request acked over the load (warm-up included): for the bare app, what Bolt's
        # own path costs (HTTP, verification, dispatch, the ack), which every Liaison command pays as well.
        result["cpu_ms_per_ack"] = round(
            (cpu_seconds(server.pid) - cpu_before) * 1000 / max(1, load.get("acked_total") or 0), 3
        )
        result["memory_after_load"] = server.memory()
        start = load["timed_started_mono"]
        window = f"since={start}&until={start + load['timed']['elapsed_s']}"
        result["stats_at_end"] = await server.get(f"/bench/stats?{window}")
        result["loop_lag_in_window"] = result["stats_at_end"]["loop_lag"]
        result["gc_in_window"] = result["stats_at_end"]["gc"]
        if kind == "liaison":
            if after_load is not None:
                result["after_load"] = await after_load(server)
            stats, drained_in = await server.wait_drained(timeout=DRAIN_TIMEOUT)
            result["stats"] = stats
            result["drain_s"] = round(drained_in, 2)
            result["memory_drained"] = server.memory()
            result["risks_stored"] = stats["risks"] - result["risks_before"]
            result["workpool"] = stats.get("workpool", {})
            # Completed commands: replies delivered (through response_url, at the fake) per second, from the
            # first request sent to the last reply in (monotonic clocks compare across processes on Linux).
            replies = [
                c for c in fake.calls_to("response_url") if str(c.args.get("_key", "")).startswith(f"{name}-")
            ]
            result["replies_ok"] = len(replies)
            span = max((c.at for c in replies), default=0.0) - float(load.get("first_sent_mono") or 0.0)
            result["completion_span_s"] = round(span, 3)
            result["completed_per_s"] = round(len(replies) / span, 1) if replies and span > 0 else 0.0
            # The server's own CPU per command answered (load, warm-up and drain): less moved by a busy machine.
            cpu = cpu_seconds(server.pid) - cpu_before
            result["cpu_ms_per_reply"] = round(cpu * 1000 / len(replies), 2) if replies else 0.0
    finally:
        result["exit_code"] = await server.stop()
    return result


def ack_checks(
    label: str,
    run: dict[str, Any],
    *,
    bare: dict[str, Any] | None,
    p99_target: float | None,
    ratio_target: float | None = None,
    completed_target: float | None = None,
) -> list[Check]:
    timed = run["load"]["timed"]
    lat = timed["latency_ms"]
    checks = [
        Check(f"{label}: throughput", fmt(timed["ok_rps"], " req/s")),
        Check(f"{label}: ack p50", fmt(lat.get("p50", float("nan")), " ms")),
        Check(
            f"{label}: ack p99",
            fmt(lat.get("p99", float("nan")), " ms"),
            f"≤ {p99_target:.0f} ms" if p99_target else "",
            lat.get("p99", float("inf")) <= p99_target if p99_target else None,
        ),
        Check(
            f"{label}: ack max",
            fmt(lat.get("max", float("nan")), " ms"),
            "< 3000 ms",
            lat.get("max", 0) < 3000,
        ),
    ]
    lag, gcs = run["loop_lag_in_window"], run["gc_in_window"]
    checks.append(
        Check(
            f"{label}: event-loop stalls > 50 ms while timed",
            f"{lag['over_50ms']} (> 100 ms: {lag['over_100ms']}, longest {lag['max_ms']:.0f} ms; "
            f"GC: {gcs['full']} full collections, longest {gcs['max_full_ms']:.0f} ms)",
        )
    )
    if run.get("kind") == "bare" and "cpu_ms_per_ack" in run:
        checks.append(
            Check(f"{label}: server CPU per ack (during the load)", fmt(run["cpu_ms_per_ack"], " ms"))
        )
    non_ok = timed["requests"] - timed["ok"] + sum(timed["errors"].values())
    if non_ok:
        checks.append(Check(f"{label}: failed requests", str(non_ok), "0", False))
    bare_rps = bare["load"]["timed"]["ok_rps"] if bare is not None else 0.0
    if bare is not None and ratio_target is not None:
        ratio = timed["ok_rps"] / bare_rps if bare_rps else 0.0
        checks.append(
            Check(
                f"{label}: ack throughput ÷ bare",
                fmt(ratio, "×", 2),
                f"≥ {ratio_target}×",
                ratio >= ratio_target,
            )
        )
    if "risks_stored" in run:
        completed = run["completed_per_s"]
        if bare is not None and completed_target is not None:
            ratio = completed / bare_rps if bare_rps else 0.0
            checks.append(
                Check(
                    f"{label}: completed commands (replies/s, first request to last reply) ÷ bare acks/s",
                    f"{fmt(ratio, '×', 2)} ({completed:.1f} vs {bare_rps:.1f} /s)",
                    f"≥ {completed_target}×",
                    ratio >= completed_target,
                )
            )
        else:
            checks.append(
                Check(
                    f"{label}: completed commands (replies/s, first request to last reply)",
                    fmt(completed, " /s"),
                )
            )
        acked = run["load"]["acked_total"]
        busy = run["load"].get("busy_total", 0)
        stored, replies = run["risks_stored"], run["replies_ok"]
        pool = run.get("workpool") or {}
        checks.append(
            Check(
                f"{label}: server CPU per command answered (load to drained)",
                fmt(run.get("cpu_ms_per_reply", float("nan")), " ms"),
            )
        )
        checks.append(
            Check(
                f"{label}: acked → stored / replied / answered busy",
                f"{acked} → {stored} / {replies} / {busy} (drained in {run['drain_s']:.1f} s; "
                f"work pool peak {pool.get('peak', '?')} admitted of {pool.get('max_pending', '?')})",
                "stored = replied = acked − busy",
                stored == replies == acked - busy,
            )
        )
    return checks


async def main() -> None:
    parser = base_parser(__doc__.splitlines()[0] if __doc__ else "", seconds=10.0, quick_seconds=4.0)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--no-postgres", action="store_true", help="skip the PostgreSQL run")
    parser.add_argument(
        "--profile", action="store_true", help="profile the Liaison flood servers (pyinstrument)"
    )
    parser.add_argument(
        "--paced",
        type=float,
        default=50.0,
        help="also run Liaison/SQLite paced at this many req/s, below what it completes (0: skip)",
    )
    parser.add_argument(
        "--gc-freeze",
        action="store_true",
        help="experiment: also run Liaison/SQLite with gc.freeze() after start",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=0,
        help="experiment: the Liaison servers' work pool size (0: the app's)",
    )
    parser.add_argument(
        "--no-journal",
        action="store_true",
        help="experiment: the Liaison servers journal nothing before the ack (what the journal costs)",
    )
    parser.add_argument(
        "--ack-event",
        action="store_true",
        help="experiment: every server (bare too) wakes Bolt's ack wait on ack() instead of polling every 10 ms",
    )
    args = parser.parse_args()
    seconds = seconds_of(args)
    load_before = [round(x, 2) for x in os.getloadavg()]
    notes: list[str] = []
    fake = start_fake()
    runs: dict[str, dict[str, Any]] = {}
    try:
        common = {
            "fake": fake,
            "seconds": seconds,
            "connections": args.connections,
            "ack_event": args.ack_event,
        }
        runs["bare"] = await measure("bare", name="bare", **common)
        common["workers"] = args.workers
        common["no_journal"] = args.no_journal
        runs["liaison-sqlite"] = await measure(
            "liaison",
            name="liaison-sqlite",
            database_url=sqlite_url("liaison-sqlite"),
            profile=args.profile,
            **common,
        )
        if args.paced > 0:
            runs["liaison-sqlite-paced"] = await measure(
                "liaison", name="liaison-sqlite-paced", database_url=sqlite_url("liaison-sqlite-paced"),
                rate=args.paced, **common,
            )  # fmt: skip
        if args.gc_freeze:
            runs["liaison-sqlite-gc-freeze"] = await measure(
                "liaison", name="liaison-sqlite-gc-freeze", database_url=sqlite_url("liaison-sqlite-gc-freeze"),
                gc_freeze=True, **common,
            )  # fmt: skip
        why_not = "skipped (--no-postgres)" if args.no_postgres else await postgres_ready()
        if why_not is None:
            runs["liaison-postgres"] = await measure(
                "liaison", name="liaison-postgres", database_url=PG_URL, profile=args.profile, **common
            )
            if args.paced > 0:
                runs["liaison-postgres-paced"] = await measure(
                    "liaison", name="liaison-postgres-paced", database_url=PG_URL, rate=args.paced, **common
                )
        else:
            notes.append(f"PostgreSQL run skipped: {why_not}")
    finally:
        fake.stop()
    bare = runs["bare"]
    flood = {
        "p99_target": FLOOD_P99_TARGET_MS,
        "ratio_target": RATIO_TARGET,
        "completed_target": COMPLETED_TARGET,
    }
    checks = ack_checks("bare Bolt", bare, bare=None, p99_target=None)
    checks += ack_checks("Liaison/SQLite flood", runs["liaison-sqlite"], bare=bare, **flood)
    if "liaison-postgres" in runs:
        checks += ack_checks("Liaison/PostgreSQL flood", runs["liaison-postgres"], bare=bare, **flood)
    if "liaison-sqlite-paced" in runs:
        checks += ack_checks(
            f"Liaison/SQLite paced {args.paced:g}/s", runs["liaison-sqlite-paced"], bare=None,
            p99_target=PACED_P99_TARGET_MS,
        )  # fmt: skip
    if "liaison-postgres-paced" in runs:
        checks += ack_checks(
            f"Liaison/PostgreSQL paced {args.paced:g}/s", runs["liaison-postgres-paced"], bare=None,
            p99_target=PACED_P99_TARGET_MS,
        )  # fmt: skip
    if "liaison-sqlite-gc-freeze" in runs:
        checks += ack_checks(
            "Liaison/SQLite flood + gc.freeze() (experiment)", runs["liaison-sqlite-gc-freeze"], bare=bare,
            p99_target=FLOOD_P99_TARGET_MS, ratio_target=RATIO_TARGET, completed_target=COMPLETED_TARGET,
        )  # fmt: skip
    notes.append(
        f"{args.connections} keep-alive connections, closed loop, {seconds:.0f} s timed after a 1 s warm-up; "
        "servers, load generator and fake Slack each in their own process on a shared machine. "
        "Bolt polls for ack() every 10 ms, so ~11 ms is the floor of any ack."
    )
    write_result(
        "ack",
        params={
            "seconds": seconds,
            "connections": args.connections,
            "paced": args.paced,
            "gc_freeze_experiment": args.gc_freeze,
            "workers": args.workers or "the app's",
            "no_journal_experiment": args.no_journal,
            "ack_event_experiment": args.ack_event,
            "quick": args.quick,
        },
        results=runs,
        checks=checks,
        load_before=load_before,
        notes=notes,
    )


if __name__ == "__main__":
    asyncio.run(main())
