"""Search and export at a project's scale: how long `/liaison search` takes to find and rank matches, and an
export to compose and render, as a project grows to thousands of records; and what keeping the index costs
each write.

Measured in one process on a fresh database (SQLite file; PostgreSQL with --postgres): records are written
through the ORM (so the flush hook indexes them, as in the app), half risks with English titles and half
decisions in Chinese. Then `bot.domain.search.search` (the index query, loading the matches, the policy,
ranking) for a rare English word, a common one (capped at 200 candidates), a four-character Chinese word
(trigram index) and a two-character one (the project's own rows, no trigram); and `bot.domain.export.compose`
plus CSV and XLSX rendering of every kind.

Run: .venv/bin/python -m bench.search_export [--quick] [--records 10000] [--postgres]
"""

from __future__ import annotations

import asyncio
import os
import random
import tempfile
import time
from datetime import UTC, date, datetime
from typing import Any

from bench.common import PG_URL, Check, base_parser, fmt, latency_ms, postgres_ready, write_result

EN = [
    "login",
    "gateway",
    "cutover",
    "vendor",
    "budget",
    "data",
    "migration",
    "report",
    "training",
    "rollout",
    "audit",
    "network",
]
ZH = ["单点登录", "数据迁移", "切换方案", "供应商", "预算审批", "上线培训", "网络改造", "审计整改"]
TARGET_SEARCH_MS = 100.0


async def _run(url: str, records: int, repeats: int) -> dict[str, Any]:
    from bot.domain import export as exports
    from bot.domain import search as searching
    from bot.policy import Place, Viewer
    from storage import migrate
    from storage.db import create_engine, create_session_factory
    from storage.models import Decision, Project, Risk, Workspace
    from storage.repo import search as index

    engine = create_engine(url)
    await migrate.upgrade(engine)
    sessions = create_session_factory(engine)
    rng = random.Random(7)
    at = datetime(2026, 12, 1, tzinfo=UTC)
    async with sessions.begin() as s:
        workspace = Workspace(team_id="T0BENCH")
        s.add(workspace)
        await s.flush()
        assert workspace.id is not None
        project = Project(
            workspace_id=workspace.id, name="Bench", client_name="ACME", tz="Asia/Shanghai", created_by="U1"
        )
        s.add(project)
        await s.flush()
        assert project.id is not None
        pid = project.id

    def risk(n: int) -> Risk:
        title = " ".join(rng.sample(EN, 4)) + (" zephyr" if n % 1000 == 0 else "")
        return Risk(
            project_id=pid,
            number=n,
            visibility=rng.choice(["internal", "client"]),
            title=title,
            probability=3,
            impact=3,
            response=" ".join(rng.sample(EN, 6)),
            created_by="U1",
            created_at=at,
            updated_at=at,
        )

    def decision(n: int) -> Decision:
        text = "，".join(rng.sample(ZH, 3)) + "的决定"
        return Decision(
            project_id=pid,
            number=n,
            visibility="client",
            text=text,
            decided_on=date(2026, 12, 1),
            created_by="U1",
            created_at=at,
            updated_at=at,
        )

    half = records // 2
    write_s: dict[str, float] = {}
    for label, hooked in (("with_index", True), ("without_index", False)):
        saved = dict(index._INDEXED)
        if not hooked:
            index._INDEXED.clear()
        offset = 0 if hooked else half  # the unindexed batch gets other numbers, then is removed
        t0 = time.perf_counter()
        for start in range(0, half if hooked else min(half, 2000), 1000):
            async with sessions.begin() as s:
                batch = range(start + 1 + offset, min(start + 1000, half if hooked else 2000) + 1 + offset)
                s.add_all([risk(n) for n in batch] + [decision(n) for n in batch])
        elapsed = time.perf_counter() - t0
        index._INDEXED.update(saved)
        written = records if hooked else 2 * min(half, 2000)
        write_s[label] = elapsed / written
    async with sessions.begin() as s:  # drop the unindexed batch: it would never be found
        from sqlalchemy import delete

        await s.exec(delete(Risk).where(Risk.number > half))  # type: ignore[call-overload, arg-type]
        await s.exec(delete(Decision).where(Decision.number > half))  # type: ignore[call-overload, arg-type]

    team = (Viewer("U1", "T0BENCH", "T0BENCH"), Place("C1", shared=False))
    client = (Viewer("U9", "T0ACME", "T0BENCH"), Place("C2", shared=True))
    queries = {
        "rare English word": ["zephyr"],
        "common English word": ["gateway"],
        "Chinese, 4 characters": ["数据迁移"],
        "Chinese, 2 characters (no trigram)": ["登录"],
        "two words": ["login", "vendor"],
    }
    results: dict[str, Any] = {"write_ms_per_record": {k: v * 1000 for k, v in write_s.items()}, "search": {}}
    async with sessions() as s:
        project = await s.get(Project, pid)
        assert project is not None
        for name, words in queries.items():
            await searching.search(s, project=project, viewer=team[0], place=team[1], words=words)  # warm
            times, total = [], 0
            for i in range(repeats):
                viewer, place = team if i % 2 == 0 else client
                t0 = time.perf_counter()
                found = await searching.search(s, project=project, viewer=viewer, place=place, words=words)
                times.append(time.perf_counter() - t0)
                total = max(total, found.total)
            results["search"][name] = {**latency_ms(times), "matches_shown_max": total}
        t0 = time.perf_counter()
        export = await exports.compose(
            s, project=project, kinds=exports.EXPORTS, viewer=team[0], place=team[1]
        )
        compose_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    csv_files = exports.render(export, "csv", stem="x", title="Bench")
    csv_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    xlsx = exports.render(export, "xlsx", stem="x", title="Bench")
    xlsx_s = time.perf_counter() - t0
    results["export"] = {
        "rows": sum(export.counts.values()),
        "compose_ms": compose_s * 1000,
        "csv_ms": csv_s * 1000,
        "csv_bytes": sum(len(f.content) for f in csv_files),
        "xlsx_ms": xlsx_s * 1000,
        "xlsx_bytes": len(xlsx[0].content),
    }
    await engine.dispose()
    return results


def main() -> None:
    parser = base_parser(__doc__ or "", seconds=0, quick_seconds=0)
    parser.add_argument("--records", type=int, default=None, help="records in the project (default 10000)")
    parser.add_argument("--postgres", action="store_true", help=f"also on {PG_URL}")
    args = parser.parse_args()
    records = args.records or (2000 if args.quick else 10000)
    repeats = 10 if args.quick else 30
    load_before = list(os.getloadavg())
    runs: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        runs["sqlite"] = asyncio.run(_run(f"sqlite+aiosqlite:///{tmp}/bench.sqlite3", records, repeats))
    notes = []
    if args.postgres:
        if asyncio.run(postgres_ready()) is None:
            from tests.harness.app import create_private_database, drop_private_database

            private = asyncio.run(
                create_private_database(PG_URL)
            )  # its own database: other runs are left alone
            try:
                runs["postgresql"] = asyncio.run(_run(private, records, repeats))
            finally:
                asyncio.run(drop_private_database(PG_URL, private))
        else:
            notes.append("PostgreSQL not reachable: skipped")
    checks = []
    for db, run in runs.items():
        for name, lat in run["search"].items():
            checks.append(
                Check(
                    f"{db}: search, {name}, p99 ({records:,} records)",
                    fmt(lat["p99"], " ms", 2),
                    f"≤ {TARGET_SEARCH_MS:.0f} ms",
                    lat["p99"] <= TARGET_SEARCH_MS,
                )
            )
        w = run["write_ms_per_record"]
        checks.append(
            Check(
                f"{db}: write per record, with / without the index hook",
                f"{fmt(w['with_index'], ' ms', 3)} / {fmt(w['without_index'], ' ms', 3)}",
                "—",
                None,
            )
        )
        e = run["export"]
        checks.append(
            Check(
                f"{db}: export {e['rows']:,} rows: compose / CSV / XLSX",
                f"{fmt(e['compose_ms'], ' ms', 0)} / {fmt(e['csv_ms'], ' ms', 0)} / {fmt(e['xlsx_ms'], ' ms', 0)}",
                "—",
                None,
            )
        )
    write_result(
        "search_export",
        params={"records": records, "repeats": repeats},
        results=runs,
        checks=checks,
        load_before=load_before,
        notes=notes,
    )


if __name__ == "__main__":
    main()
