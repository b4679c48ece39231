"""Memory under hostile commands (issue 15): 4,000 varied commands through the signed endpoint of a running
Liaison (its own process, SQLite), then RSS before, after and after the work has drained. Target: growth
under 50 MB and flat once drained.

The commands mix every record kind with hostile titles (tests/fixtures/hostile_titles.txt), many distinct
people (3,000 users: past the user cache's bound) and channels (1,000: past nothing, but each one a
`conversations.info`), mistakes that are refused, long quick minutes, and commands from channels with no project.

Run: .venv/bin/python -m bench.memory_hostile [--commands 4000] [--connections 8] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx

from bench.ack import sqlite_url
from bench.common import (
    ALICE,
    INTERNAL_CHANNEL,
    SIGNING_SECRET,
    Check,
    ServerProcess,
    command_form,
    fmt,
    setup_project,
    start_fake,
    write_result,
)
from tests.harness.signing import signed_headers

HOSTILE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "hostile_titles.txt"
GROWTH_TARGET_MB = 50.0
USERS = 3000
CHANNELS = 1000


def escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def hostile() -> list[str]:
    lines = HOSTILE.read_text(encoding="utf-8").split("\n")
    return [line for line in lines if line and not line.startswith("## ")]


def commands(n: int, seed: int = 15) -> list[tuple[str, str, str, str]]:
    """(command, text, channel, user) for n varied commands, reproducibly."""
    rnd = random.Random(seed)
    titles = hostile()
    out: list[tuple[str, str, str, str]] = []
    for i in range(n):
        title = escaped(rnd.choice(titles))
        who = f"U0H{rnd.randrange(USERS):05d}"
        where = INTERNAL_CHANNEL if rnd.random() < 0.8 else f"C0H{rnd.randrange(CHANNELS):05d}"
        kind = i % 10
        if kind == 0:
            item = ("/action", f"add {title} <@{who}|p> due:friday", where, ALICE)
        elif kind == 1:
            item = (
                "/risk",
                f"add {title} p:{rnd.randint(1, 5)} i:{rnd.randint(1, 5)} owner:<@{who}>",
                where,
                ALICE,
            )
        elif kind == 2:
            item = ("/decision", f"{title} [client]", where, ALICE)
        elif kind == 3:
            lines = "\n".join(
                f"{rnd.choice(['decision', 'action', 'note'])}: {escaped(rnd.choice(titles))}"
                for _ in range(20)
            )
            item = ("/minutes", f"Sync {i}\n{lines}", where, ALICE)
        elif kind == 4:
            item = (
                "/milestone",
                f"add {title} due:2027-0{rnd.randint(1, 9)}-1{rnd.randint(0, 9)}",
                where,
                ALICE,
            )
        elif kind == 5:  # mistakes: refused with an example, nothing written
            item = ("/risk", f"add {title} p:9 i:{'x' * rnd.randint(1, 200)}", where, who)
        elif kind == 6:
            item = (
                "/action",
                rnd.choice(["list", "list mine", "list overdue", f"done A-{rnd.randint(1, 500)}"]),
                where,
                who,
            )
        elif kind == 7:
            item = ("/minutes", "Too long\n" + "decision: x\n" * 400, where, ALICE)
        elif kind == 8:
            item = ("/liaison", rnd.choice(["help", "help risk", f"help {title}"]), where, who)
        else:
            item = ("/action", f"add {title} {'[' + title[:30] + ']'} due:{title[:20]}", where, who)
        out.append(item)
    return out


async def send_all(
    server: ServerProcess, fake: Any, items: list[tuple[str, str, str, str]], *, connections: int
) -> dict[str, int]:
    queue: asyncio.Queue[tuple[str, str, str, str]] = asyncio.Queue()
    for item in items:
        queue.put_nowait(item)
    statuses: dict[str, int] = {}

    async def worker(http: httpx.AsyncClient) -> None:
        while True:
            try:
                command, text, channel, user = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            form = command_form(command, text, response_url=fake.response_url(f"mem-{uuid.uuid4().hex[:10]}"))
            form.update(
                channel_id=channel, channel_name=channel.lower(), user_id=user, user_name=user.lower()
            )
            body = urlencode(form).encode()
            headers = signed_headers(SIGNING_SECRET, body, content_type="application/x-www-form-urlencoded")
            response = await http.post(f"{server.url}/slack/events", content=body, headers=headers)
            statuses[str(response.status_code)] = statuses.get(str(response.status_code), 0) + 1

    async with httpx.AsyncClient(timeout=60) as http:
        await asyncio.gather(*(worker(http) for _ in range(connections)))
    return statuses


async def stats_of(server: ServerProcess) -> dict[str, Any]:
    for _ in range(20):  # a busy server may answer slowly: ask again rather than fail the run
        try:
            return dict(await server.get("/bench/stats"))
        except httpx.HTTPError:
            await asyncio.sleep(1)
    return {}


async def drain(server: ServerProcess, timeout: float = 600) -> float:
    """Wait until no listener work is running; how long it took."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if (await stats_of(server)).get("tasks", 1) == 0:
            break
        await asyncio.sleep(0.2)
    return time.monotonic() - start


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--commands", type=int, default=4000)
    parser.add_argument("--warmup", type=int, default=300)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--batch", type=int, default=250, help="commands sent between drains")
    parser.add_argument("--quick", action="store_true", help="1,000 commands")
    args = parser.parse_args()
    n = 1000 if args.quick else args.commands
    load_before = [round(x, 2) for x in os.getloadavg()]
    fake = start_fake()
    for u in range(USERS):
        fake.add_user(f"U0H{u:05d}", name=f"person{u}", real_name=f"Person {u}", tz="Asia/Shanghai")
    for c in range(CHANNELS):
        fake.add_channel(f"C0H{c:05d}", name=f"hostile-{c}", members=(ALICE,))
    server = await ServerProcess.start(
        "liaison", fake_url=fake.base_url, name="memory-hostile", database_url=sqlite_url("memory-hostile")
    )
    figures: dict[str, Any] = {}
    try:
        await setup_project(server.url, fake)
        figures["rss_started_mb"] = server.memory().get("rss_mb")
        warm = await send_all(server, fake, commands(args.warmup, seed=1), connections=args.connections)
        await drain(server)
        before = server.memory()
        figures["rss_before_mb"] = before.get("rss_mb")
        fake.reset_calls()  # the fake's own record of calls lives in this process, not the server's
        started = time.monotonic()
        items = commands(n)
        statuses: dict[str, int] = {}
        curve: list[float] = []
        drained_in = 0.0
        for start in range(0, n, args.batch):  # in batches, each drained: the work acked is done before more
            for code, count in (
                await send_all(server, fake, items[start : start + args.batch], connections=args.connections)
            ).items():
                statuses[code] = statuses.get(code, 0) + count
            if start == 0 or start + args.batch >= n or (start // args.batch) % 4 == 3:
                curve.append(float(server.memory().get("rss_mb", 0.0)))
            drained_in += await drain(server)
        sent_in = time.monotonic() - started
        figures["rss_after_mb"] = curve[-1]
        figures["rss_curve_mb"] = curve
        stats = await stats_of(server)
        await asyncio.sleep(2)
        drained = server.memory()
        figures.update(
            rss_after_drain_mb=drained.get("rss_mb"),
            rss_peak_mb=drained.get("peak_mb"),
            statuses=statuses,
            warmup_statuses=warm,
            sent_in_s=round(sent_in, 1),
            drained_in_s=round(drained_in, 1),
            log_counts=stats.get("log_counts"),
            replies=len(fake.calls_to("response_url")),
        )
    finally:
        await server.stop()
        fake.stop()
    growth = float(figures["rss_after_drain_mb"]) - float(figures["rss_before_mb"])
    figures["growth_mb"] = round(growth, 1)
    checks = [
        Check(f"commands sent (after a warm-up of {args.warmup})", str(n)),
        Check("HTTP statuses", ", ".join(f"{k}: {v}" for k, v in sorted(figures["statuses"].items()))),
        Check(
            "RSS at start / before / after / after drain",
            " / ".join(
                fmt(figures[k], " MB")
                for k in ("rss_started_mb", "rss_before_mb", "rss_after_mb", "rss_after_drain_mb")
            ),
        ),
        Check(
            "RSS growth over the run (drained − before)",
            fmt(growth, " MB"),
            f"< {GROWTH_TARGET_MB:g} MB",
            growth < GROWTH_TARGET_MB,
        ),
        Check("replies through response_url", str(figures["replies"])),
        Check(
            "RSS along the run (every 1,000)", " → ".join(fmt(v, "") for v in figures["rss_curve_mb"]) + " MB"
        ),
        Check("run took / of which draining", f"{figures['sent_in_s']} s / {figures['drained_in_s']} s"),
    ]
    write_result(
        "memory_hostile",
        params={
            "commands": n,
            "warmup": args.warmup,
            "connections": args.connections,
            "users": USERS,
            "channels": CHANNELS,
        },
        results=figures,
        checks=checks,
        load_before=load_before,
    )


if __name__ == "__main__":
    asyncio.run(main())
