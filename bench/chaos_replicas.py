"""Chaos: two real `liaison run --http` replicas on one PostgreSQL, one SIGKILLed just after ~120 reminders fall
due (issue 15). Prints posted / duplicated / lost / reported, how many claims the dead replica left and how long
the survivor took to finish them. Figures, not assertions.

The fake Slack holds each chat.postMessage answer for `--answer-delay` seconds *after* storing the message
until the kill, so the killed replica dies with posts that landed but were never recorded, and with claims it
never got to. `--drop P` also drops a share P of the answers (Slack took the post, the connection died).

    .venv/bin/python -m bench.chaos_replicas            # 120 reminders, about 3-4 minutes (leases: 60 s)
    .venv/bin/python -m bench.chaos_replicas --reminders 40 --drop 0.35
"""

from __future__ import annotations

import argparse
import asyncio
import re
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from bench.common import PG_URL, RESULTS, postgres_ready
from tests.chaos.harness import Server, command_form, scalar, send, setup_project
from tests.harness.app import (
    BOT_TOKEN,
    HOME_TEAM,
    INTERNAL_CHANNEL,
    create_private_database,
    drop_private_database,
    populate_world,
    reply_text,
)
from tests.harness.fake_slack import FakeSlack

SHANGHAI = ZoneInfo("Asia/Shanghai")
TITLE = re.compile(r"Reminder-\d{3}")


class HeldAnswers(FakeSlack):
    """Stores each chat.postMessage at once, answers it `delay` seconds later (0: at once)."""

    delay = 0.0

    async def _handle_api(self, request: Any) -> Any:
        response = await super()._handle_api(request)
        if self.delay and request.match_info["method"] == "chat.postMessage":
            await asyncio.sleep(self.delay)
        return response


def seen(fake: FakeSlack) -> tuple[Counter[str], int]:
    """How many tagged reminder posts each title has in the team channel, and how many reports."""
    titles: Counter[str] = Counter()
    reports = 0
    for message in fake.messages(INTERNAL_CHANNEL):
        meta = message.get("metadata") or {}
        if meta.get("event_type") != "liaison_occurrence":
            continue
        if str(meta["event_payload"]["occurrence"]).endswith(":report"):
            reports += 1
            continue
        for title in set(TITLE.findall(reply_text(message))):
            titles[title] += 1
    return titles, reports


async def create_reminders(server: Server, fake: FakeSlack, count: int, at: datetime) -> None:
    hhmm = at.astimezone(SHANGHAI).strftime("%H:%M")
    async with httpx.AsyncClient(timeout=30) as http:
        for n in range(count):
            tag = f"sync-{n:03d}"
            form = command_form(fake, "/sync", f'daily {hhmm} "Reminder-{n:03d}"', tag=tag)
            status, _, _ = await send(http, server.url, form)
            assert status == 200, status
    await asyncio.to_thread(
        fake.wait_for,
        "response_url",
        count=count + 1,
        timeout=120,
        where=lambda c: str(c.args.get("_key", "")).startswith(("sync-", "setup")),
    )


async def run(args: argparse.Namespace) -> dict[str, Any]:
    why = await postgres_ready(PG_URL)
    if why is not None:
        print(f"PostgreSQL not reachable ({why}): skipped")
        return {"skipped": why}
    database = await create_private_database(PG_URL)
    fake = HeldAnswers(bot_token=BOT_TOKEN, team_id=HOME_TEAM).start()
    populate_world(fake)
    logs = RESULTS / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    a = Server(fake, database, Path(logs / "chaos-replica-a.log"))
    b = Server(fake, database, Path(logs / "chaos-replica-b.log"))
    try:
        a.start()
        await setup_project(a)
        now = datetime.now(UTC)
        due = (now + timedelta(seconds=60 + args.reminders * 0.15)).replace(second=0, microsecond=0)
        due += timedelta(minutes=1)
        await create_reminders(a, fake, args.reminders, due)
        b.start()
        print(
            f"{args.reminders} reminders due at {due.astimezone(SHANGHAI):%H:%M} (Shanghai); two replicas up"
        )
        fake.delay = args.answer_delay
        if args.drop:
            fake.drop_answers("chat.postMessage", probability=args.drop, seed=15)
        while datetime.now(UTC) < due:
            await asyncio.sleep(0.2)
        first = await asyncio.to_thread(
            fake.wait_for,
            "chat.postMessage",
            count=args.kill_after,
            timeout=90,
            where=lambda c: "metadata" in c.args,
        )
        assert first
        a.kill()
        killed_at = time.monotonic()
        fake.delay = 0.0
        posted_at_kill = sum(seen(fake)[0].values())
        await asyncio.sleep(args.answer_delay + 2)  # the survivor's own posts in flight are answered by now
        stranded = await scalar(database, "SELECT count(*) FROM occurrence WHERE status = 'claimed'")
        print(
            f"SIGKILL replica A once {args.kill_after} posts were made; "
            f"{posted_at_kill} reminders in the channel; {stranded} claims left held by the dead replica"
        )
        deadline = killed_at + args.wait
        finished_in = None
        while time.monotonic() < deadline:
            left = await scalar(database, "SELECT count(*) FROM occurrence WHERE status = 'claimed'")
            titles, _ = seen(fake)
            if left == 0 and len(titles) >= args.reminders:
                finished_in = time.monotonic() - killed_at
                break
            await asyncio.sleep(1)
        await asyncio.sleep(2)
        titles, reports = seen(fake)
        wanted = [f"Reminder-{n:03d}" for n in range(args.reminders)]
        statuses = {
            row: await scalar(database, f"SELECT count(*) FROM occurrence WHERE status = '{row}'")
            for row in ("posted", "claimed", "failed", "missed")
        }
        figures = {
            "reminders": args.reminders,
            "posted": sum(1 for t in wanted if titles[t] >= 1),
            "duplicated": sum(titles[t] - 1 for t in wanted if titles[t] > 1),
            "lost": sum(1 for t in wanted if titles[t] == 0),
            "reported": reports,
            "claims_left_by_the_killed_replica": stranded,
            "answers_dropped": fake.answers_dropped,
            "history_looks": len(fake.calls_to("conversations.history")),
            "survivor_finished_s": round(finished_in, 1) if finished_in is not None else None,
            "occurrence_states": statuses,
        }
        for key, value in figures.items():
            print(f"  {key}: {value}")
        return figures
    finally:
        b.stop()
        if a.proc is not None and a.proc.poll() is None:
            a.stop()
        fake.stop()
        await drop_private_database(PG_URL, database)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reminders", type=int, default=120)
    parser.add_argument("--kill-after", type=int, default=10, help="SIGKILL replica A after this many posts")
    parser.add_argument(
        "--answer-delay", type=float, default=3.0, help="seconds each answer is held till the kill"
    )
    parser.add_argument("--drop", type=float, default=0.0, help="share of answers dropped (post made)")
    parser.add_argument("--wait", type=float, default=240.0, help="seconds to wait for the survivor")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
