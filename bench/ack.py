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
P99_TARGET_MS = 30.0
RATIO_TARGET = 0.7


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
            busy = load["warmup"]["elapsed_s"] + load["timed"]["elapsed_s"] + drained_in
            result["completed_per_s"] = round(result["risks_stored"] / busy, 1) if busy else 0.0
            result["replies_ok"] = sum(
                1 for c in fake.calls_to("response_url") if str(c.args.get("_key", "")).startswith(f"{name}-")
            )
    finally:
        result["exit_code"] = await server.stop()
    return result


def ack_checks(
    label: str, run: dict[str, Any], *, bare: dict[str, Any] | None, p99_target: float | None
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
    ]
    lag, gcs = run["loop_lag_in_window"], run["gc_in_window"]
    checks.append(
        Check(
            f"{label}: event-loop stalls > 50 ms while timed",
            f"{lag['over_50ms']} (> 100 ms: {lag['over_100ms']}, longest {lag['max_ms']:.0f} ms; "
            f"GC: {gcs['full']} full collections, longest {gcs['max_full_ms']:.0f} ms)",
        )
    )
    non_ok = timed["requests"] - timed["ok"] + sum(timed["errors"].values())
    if non_ok:
        checks.append(Check(f"{label}: failed requests", str(non_ok), "0", False))
    if bare is not None:
        ratio = timed["ok_rps"] / bare["load"]["timed"]["ok_rps"] if bare["load"]["timed"]["ok_rps"] else 0.0
        checks.append(
            Check(
                f"{label}: throughput ÷ bare", fmt(ratio, "×", 2), f"≥ {RATIO_TARGET}×", ratio >= RATIO_TARGET
            )
        )
    if "risks_stored" in run:
        checks.append(
            Check(
                f"{label}: /risk add completed end to end (stored ÷ (load + drain time))",
                fmt(run["completed_per_s"], " req/s"),
            )
        )
        acked = run["load"]["acked_total"]
        stored = run["risks_stored"]
        checks.append(
            Check(
                f"{label}: risks stored / acked",
                f"{stored} / {acked} (drained in {run['drain_s']:.1f} s, backlog at end "
                f"{run['stats_at_end']['tasks']})",
                "equal",
                stored == acked,
            )
        )
    return checks


async def main() -> None:
    parser = base_parser(__doc__.splitlines()[0] if __doc__ else "", seconds=10.0, quick_seconds=4.0)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--no-postgres", action="store_true", help="skip the PostgreSQL run")
    parser.add_argument(
        "--profile", action="store_true", help="profile the Liaison/SQLite server (pyinstrument)"
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
    args = parser.parse_args()
    seconds = seconds_of(args)
    load_before = [round(x, 2) for x in os.getloadavg()]
    notes: list[str] = []
    fake = start_fake()
    runs: dict[str, dict[str, Any]] = {}
    try:
        common = {"fake": fake, "seconds": seconds, "connections": args.connections}
        runs["bare"] = await measure("bare", name="bare", **common)
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
                "liaison", name="liaison-postgres", database_url=PG_URL, **common
            )
        else:
            notes.append(f"PostgreSQL run skipped: {why_not}")
    finally:
        fake.stop()
    checks = ack_checks("bare Bolt", runs["bare"], bare=None, p99_target=None)
    checks += ack_checks(
        "Liaison/SQLite", runs["liaison-sqlite"], bare=runs["bare"], p99_target=P99_TARGET_MS
    )
    if "liaison-postgres" in runs:
        checks += ack_checks(
            "Liaison/PostgreSQL", runs["liaison-postgres"], bare=runs["bare"], p99_target=None
        )
    if "liaison-sqlite-paced" in runs:
        checks += ack_checks(
            f"Liaison/SQLite paced {args.paced:g}/s", runs["liaison-sqlite-paced"], bare=None, p99_target=None
        )
    if "liaison-sqlite-gc-freeze" in runs:
        checks += ack_checks(
            "Liaison/SQLite + gc.freeze() (experiment)",
            runs["liaison-sqlite-gc-freeze"],
            bare=runs["bare"],
            p99_target=None,
        )
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
            "quick": args.quick,
        },
        results=runs,
        checks=checks,
        load_before=load_before,
        notes=notes,
    )


if __name__ == "__main__":
    asyncio.run(main())
