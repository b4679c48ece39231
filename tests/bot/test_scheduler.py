"""Schedules due together (a thousand digests on Monday 9:00) run a few at a time, in the order they fired:
the first post goes out while the rest wait, instead of every job queueing for the database at once."""

from __future__ import annotations

import asyncio
from datetime import datetime

from sqlmodel import func, select

from bench.seed import seed_scheduled_projects
from bot import scheduler
from bot.domain.schedules import Delivery
from storage.models import Occurrence
from tests.harness.app import Liaison

SCHEDULES = 20


async def test_schedules_due_together_run_a_few_at_a_time_and_the_first_post_first(liaison: Liaison) -> None:
    runner = liaison.svc.runner
    due = liaison.svc.clock().replace(second=0, microsecond=0)
    async with liaison.svc.sessions.begin() as session:
        seeded = await seed_scheduled_projects(
            session, count=SCHEDULES, occurs_at=due, kind="bench", prefix="CT"
        )
    ids = [s.schedule_id for s in seeded]
    posting: list[int] = []
    release = asyncio.Event()

    async def poster(schedule_id: int, occurs_at: datetime) -> Delivery:
        posting.append(schedule_id)
        await release.wait()
        return Delivery()

    runner.register("bench", poster)
    fired = [asyncio.create_task(runner.run(i)) for i in ids]  # as APScheduler starts jobs due together
    async with asyncio.timeout(30):
        while len(posting) < scheduler.IN_FLIGHT:
            await asyncio.sleep(0.01)
    async with liaison.svc.sessions() as session:
        claimed = (await session.exec(select(func.count()).select_from(Occurrence))).one()
    assert claimed == scheduler.IN_FLIGHT  # the others have not touched the database yet
    assert sorted(posting) == ids[: scheduler.IN_FLIGHT]  # the first to fire
    assert await runner.run(ids[-1]) is None  # a resync adds nothing to a run already waiting its turn
    release.set()
    assert await asyncio.gather(*fired) == ["posted"] * SCHEDULES
    assert sorted(posting) == sorted(ids)  # each once
