"""Benchmark 3: how long composing one client digest takes as a project's history grows (1k, 10k, 100k
records of every kind, almost all closed or long past), so slow queries show up before a customer's
third year does.

Measured per size, in one process on a fresh database: `bot.domain.digest_data.compose_for` (the
bounded queries plus `bot.domain.digest.compose`, exactly what the poster runs before posting) and
`build_digest` (Block Kit); the pure `compose` and the charts (matplotlib) are reported separately.

Run: .venv/bin/python -m bench.digest_scaling [--quick] [--sizes 1000,10000,100000] [--postgres]
"""

from __future__ import annotations

import asyncio
import math
import os
import time
from datetime import UTC, datetime
from typing import Any

from bench.common import (
    PG_URL,
    Check,
    base_parser,
    fmt,
    latency_ms,
    postgres_ready,
    reset_postgres,
    write_result,
)
from bench.seed import LIVE_TOTAL, create_history_project, grow_history

TARGET_10K_MS = 100.0


def _import_digest() -> tuple[Any, ...] | str:
    """The digest feature's entry points, or why they are not importable (the benchmark then skips)."""
    try:
        from bot.charts import render_charts
        from bot.domain.digest import DigestAudience, chart_data, compose, lens_for
        from bot.domain.digest_data import compose_for, home_team_of, load_data
        from bot.policy import Place
        from handlers.builders.digest import build_digest
        from handlers.jobs.digest import chart_text
    except ImportError as exc:
        return f"{type(exc).__name__}: {exc}"
    return (
        DigestAudience,
        Place,
        lens_for,
        compose,
        compose_for,
        load_data,
        home_team_of,
        build_digest,
        chart_data,
        render_charts,
        chart_text,
    )


async def measure_database(url: str, sizes: list[int], repeats: int) -> dict[str, Any]:
    from bench.ack import sqlite_url
    from bot.runtime import Runtime
    from bot.settings import Settings
    from storage import migrate
    from storage.models import Project

    digest = _import_digest()
    assert not isinstance(digest, str)
    (
        DigestAudience,
        Place,
        lens_for,
        compose,
        compose_for,
        load_data,
        home_team_of,
        build_digest,
        chart_data,
        render_charts,
        chart_text,
    ) = digest
    if url == "sqlite":
        url = sqlite_url("digest-scaling")
    else:
        await reset_postgres(url)
    settings = Settings(
        slack_bot_token="xoxb-bench",
        slack_signing_secret="bench",
        slack_api_url="http://127.0.0.1:9/api/",
        database_url=url,
        _env_file=None,
    )
    runtime = Runtime(settings, mode="http")
    svc = runtime.svc
    await migrate.upgrade(svc.engine)
    now = datetime.now(UTC)
    async with svc.sessions.begin() as session:
        project_id = await create_history_project(session)
    audience = DigestAudience.CLIENT
    lens = lens_for(audience, Place(channel_id="C0HISTC", shared=True, client_channel=True))
    rows: list[dict[str, Any]] = []
    have = 0
    for size in sizes:
        grow_by = max(0, size - have - (LIVE_TOTAL if have == 0 else 0))
        seeded = time.perf_counter()
        async with svc.sessions.begin() as session:
            have = await grow_history(session, project_id=project_id, old=grow_by, now=now)
        seeded = time.perf_counter() - seeded
        async with svc.sessions() as session:
            project = await session.get(Project, project_id)
        assert project is not None

        async def full(project: Project = project) -> Any:
            async with svc.sessions() as session:
                found = await compose_for(session, project, audience, lens, now=now)
            build_digest(found, charts_as_text=False)
            return found

        first = time.perf_counter()
        composed = await full()
        first = time.perf_counter() - first
        totals, loads, pures = [], [], []
        async with svc.sessions() as session:
            home = await home_team_of(session, project)
        for _ in range(repeats):
            t0 = time.perf_counter()
            await full()
            totals.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            async with svc.sessions() as session:
                data = await load_data(session, project, period=composed.period, home_team_id=home)
            loads.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            compose(data, lens, audience)
            pures.append(time.perf_counter() - t0)
        charts = []
        for _ in range(3):
            t0 = time.perf_counter()
            render_charts(chart_data(composed), chart_text("en"), chart_text("en"))
            charts.append(time.perf_counter() - t0)
        row: dict[str, Any] = {
            "records": have,
            "seed_s": round(seeded, 2),
            "first_ms": round(first * 1000, 2),
            "compose_and_build_ms": latency_ms(totals),
            "load_data_ms": latency_ms(loads),
            "pure_compose_ms": latency_ms(pures),
            "charts_ms": latency_ms(charts),
            "shown": {
                "top_risks": len(composed.top_risks),
                "upcoming": len(composed.upcoming),
                "due_soon": len(composed.due_soon),
                "decisions": len(composed.decisions),
                "minutes": len(composed.minutes),
                "slips": len(composed.slips),
            },
        }
        rows.append(row)
        print(
            f"  {url.split(':')[0]} {have:>7} records: compose+build p50 "
            f"{row['compose_and_build_ms']['p50']:.1f} ms (load {row['load_data_ms']['p50']:.1f} ms, "
            f"compose {row['pure_compose_ms']['p50']:.2f} ms), charts {row['charts_ms']['p50']:.0f} ms",
            flush=True,
        )
    await svc.engine.dispose()
    return {"database": url, "sizes": rows}


def slope(rows: list[dict[str, Any]], a: int, b: int) -> float:
    """Log-log growth between two sizes: 1.0 is linear in records, below 1 sub-linear."""
    ta, tb = rows[a]["compose_and_build_ms"]["p50"], rows[b]["compose_and_build_ms"]["p50"]
    na, nb = rows[a]["records"], rows[b]["records"]
    return math.log(tb / ta) / math.log(nb / na)


def checks_for(label: str, rows: list[dict[str, Any]], *, targets: bool) -> list[Check]:
    checks = []
    for row in rows:
        p50 = row["compose_and_build_ms"]["p50"]
        is_10k = 9_000 <= row["records"] <= 11_000
        checks.append(
            Check(
                f"{label}: compose client digest, {row['records']:,} records (p50)",
                f"{fmt(p50, ' ms')} (p99 {fmt(row['compose_and_build_ms']['p99'], ' ms')}, "
                f"first {fmt(row['first_ms'], ' ms')})",
                f"≤ {TARGET_10K_MS:.0f} ms" if is_10k and targets else "",
                p50 <= TARGET_10K_MS if is_10k and targets else None,
            )
        )
    if len(rows) >= 2:
        g = slope(rows, 0, len(rows) - 1)
        checks.append(
            Check(
                f"{label}: growth {rows[0]['records']:,} → {rows[-1]['records']:,} records (log-log slope)",
                fmt(g, "", 2),
                "< 1 (sub-linear)" if targets else "",
                g < 1 if targets else None,
            )
        )
    charts = [r["charts_ms"]["p50"] for r in rows]
    checks.append(Check(f"{label}: charts render (p50, not in compose)", fmt(max(charts), " ms", 0)))
    return checks


async def main() -> None:
    parser = base_parser(__doc__.splitlines()[0] if __doc__ else "", seconds=0, quick_seconds=0)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeats", type=int, default=None, help="timed compositions per size")
    parser.add_argument("--postgres", action="store_true", help="also measure on PostgreSQL")
    args = parser.parse_args()
    load_before = [round(x, 2) for x in os.getloadavg()]
    repeats = args.repeats or (10 if args.quick else 30)
    sizes = [int(s) for s in args.sizes.split(",")]
    notes: list[str] = []
    missing = _import_digest()
    if isinstance(missing, str):
        notes.append(f"SKIPPED: the digest feature is not importable ({missing}).")
        write_result(
            "digest_scaling",
            params={"sizes": sizes},
            results={},
            checks=[Check("compose client digest", "skipped", f"10k ≤ {TARGET_10K_MS:.0f} ms", None)],
            load_before=load_before,
            notes=notes,
        )
        return
    results = {"sqlite": await measure_database("sqlite", sizes, repeats)}
    checks = checks_for("SQLite", results["sqlite"]["sizes"], targets=True)
    if args.postgres:
        why_not = await postgres_ready()
        if why_not is None:
            results["postgres"] = await measure_database(PG_URL, sizes, repeats)
            checks += checks_for("PostgreSQL", results["postgres"]["sizes"], targets=False)
        else:
            notes.append(f"PostgreSQL skipped: {why_not}")
    notes.append(
        f"One project; {LIVE_TOTAL} live records (open work, this week's events) at every size, the rest "
        f"closed/done 2 months–3 years ago; {repeats} timed compositions per size after one untimed."
    )
    write_result(
        "digest_scaling",
        params={"sizes": sizes, "repeats": repeats, "quick": args.quick},
        results=results,
        checks=checks,
        load_before=load_before,
        notes=notes,
    )


if __name__ == "__main__":
    asyncio.run(main())
