"""The scheduler behind a small domain API: APScheduler's asyncio scheduler, explicit UTC, jobs by id.

The database is the source of truth; jobs are rebuilt from rows at start and take only ids.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot import metrics, ratelimit
from bot.domain import schedules as engine
from bot.logging import log_context
from bot.timeexpr import HolidayCalendar, Recurrence, holiday_calendar, next_occurrence
from storage.db import SessionFactory
from storage.models import Occurrence, Schedule

log = logging.getLogger(__name__)

RESYNC_JOB = "schedules:resync"
RESYNC_SECONDS = 60
# Schedules processed at once. A thousand digests due in one minute all fire together; started together,
# each would wait for the database (SQLite's one connection) behind every other, and the first would post
# only after all had composed. A few at a time, in the order they fired, post the first within a second
# and keep the connection free for the commands being acked meanwhile.
IN_FLIGHT = 8


class SchedulerService:
    def __init__(self) -> None:
        self._scheduler = AsyncIOScheduler(timezone=UTC, job_defaults={"coalesce": True, "max_instances": 1})
        self._starters: list[Callable[[], Awaitable[None]]] = []

    @property
    def running(self) -> bool:
        return bool(self._scheduler.running)

    @property
    def job_count(self) -> int:
        return len(self._scheduler.get_jobs())

    def on_start(self, rebuild: Callable[[], Awaitable[None]]) -> None:
        """Register a coroutine that rebuilds jobs from the database when the scheduler starts."""
        self._starters.append(rebuild)

    async def start(self) -> None:
        self._scheduler.start()
        for rebuild in self._starters:
            await rebuild()

    def add_job(
        self, job_id: str, func: Callable[..., Awaitable[object]], trigger: Any, **kwargs: Any
    ) -> None:
        self._scheduler.add_job(
            func, trigger=trigger, id=job_id, replace_existing=True, kwargs=kwargs, misfire_grace_time=None
        )

    def job_ids(self) -> list[str]:
        return [job.id for job in self._scheduler.get_jobs()]

    def has_job(self, job_id: str) -> bool:
        return self._scheduler.get_job(job_id) is not None

    def next_run(self, job_id: str) -> datetime | None:
        job = self._scheduler.get_job(job_id)
        return job.next_run_time if job is not None else None

    def remove_job(self, job_id: str) -> None:
        if self._scheduler.get_job(job_id) is not None:
            self._scheduler.remove_job(job_id)

    def shutdown(self) -> None:
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)


class LeadTrigger(BaseTrigger):  # type: ignore[misc]  # apscheduler is untyped
    """Fires `lead` before each occurrence of a recurrence (a reminder 15 minutes before the sync)."""

    def __init__(self, rule: Recurrence, lead: timedelta, holidays: HolidayCalendar | None = None) -> None:
        self.rule, self.lead, self.holidays = rule, lead, holidays

    def get_next_fire_time(self, previous_fire_time: datetime | None, now: datetime) -> datetime | None:
        after = (
            previous_fire_time + self.lead
            if previous_fire_time
            else now + self.lead - timedelta(microseconds=1)
        )
        occurrence = next_occurrence(self.rule, after=after, holidays=self.holidays)
        return occurrence - self.lead if occurrence else None


class ScheduleRunner:
    """Schedules as APScheduler jobs that take only a schedule id; all state is reloaded from the database."""

    def __init__(
        self,
        sessions: SessionFactory,
        scheduler: SchedulerService,
        *,
        clock: Callable[[], datetime],
        instance: str | None = None,
    ) -> None:
        self.sessions = sessions
        self.scheduler = scheduler
        self.clock = clock
        self.instance = instance or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.posters: dict[str, Callable[[int, datetime], Awaitable[engine.Delivery]]] = {}
        self.sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
        self.followups: list[Callable[[datetime], Awaitable[None]]] = []
        # Told of each occurrence given up on after it was claimed (failed, or too late after a takeover),
        # unless its kind reports its own failures (digests): handlers/jobs/given_up.py tells the team.
        self.reporter: Callable[[int], Awaitable[None]] | None = None
        self.reports_own_failures: set[str] = set()
        self.in_flight = IN_FLIGHT
        self._slots: asyncio.Semaphore | None = None
        self._waiting: set[int] = set()  # schedules whose run waits for a slot (resync need not add another)
        scheduler.on_start(self.rebuild)

    def register(
        self,
        kind: str,
        poster: Callable[[int, datetime], Awaitable[engine.Delivery]],
        *,
        reports_own_failures: bool = False,
    ) -> None:
        self.posters[kind] = poster
        if reports_own_failures:
            self.reports_own_failures.add(kind)

    def add_followup(self, hook: Callable[[datetime], Awaitable[None]]) -> None:
        """Work due some time after an occurrence (check-in nudges and summaries), run every minute."""
        self.followups.append(hook)

    async def run_followups(self) -> None:
        with ratelimit.scheduled():
            await self._run_followups()

    async def _run_followups(self) -> None:
        for hook in self.followups:
            try:
                await hook(self.clock())
            except Exception:  # one failing hook must not stop the others, nor the scheduler
                log.exception("follow-up %s failed", getattr(hook, "__name__", hook))

    async def rebuild(self) -> None:
        """At start: take over claims a dead process left (their leases ran out) and catch up what was missed,
        then schedule every row."""
        async with self.sessions() as session:
            ids = await engine.active_schedule_ids(session)
        for schedule_id in ids:
            await self.run(schedule_id)
            await self.schedule(schedule_id)
        self.scheduler.add_job(RESYNC_JOB, self.resync, IntervalTrigger(seconds=RESYNC_SECONDS))

    async def resync(self) -> None:
        """Pick up schedules another replica created or changed, and catch anything a trigger missed."""
        async with self.sessions() as session:
            ids = set(await engine.active_schedule_ids(session))
        for job_id in self.scheduler.job_ids():
            if job_id.startswith("schedule:") and int(job_id.split(":", 1)[1]) not in ids:
                self.scheduler.remove_job(job_id)
        for schedule_id in ids:
            if not self.scheduler.has_job(self.job_id(schedule_id)):
                await self.schedule(schedule_id)
            await self.run(schedule_id)
        await self.run_followups()

    async def schedule(self, schedule_id: int) -> None:
        async with self.sessions() as session:
            row = await session.get(Schedule, schedule_id)
        if row is None or row.status != engine.ACTIVE:
            self.unschedule(schedule_id)
            return
        rule = engine.rule_of(row)
        calendar = holiday_calendar(rule.holidays) if rule.holidays else None
        trigger = LeadTrigger(rule, engine.lead_of(row), calendar)
        self.scheduler.add_job(self.job_id(schedule_id), self.run, trigger, schedule_id=schedule_id)

    def unschedule(self, schedule_id: int) -> None:
        self.scheduler.remove_job(self.job_id(schedule_id))

    @staticmethod
    def job_id(schedule_id: int) -> str:
        return f"schedule:{schedule_id}"

    async def run(self, schedule_id: int) -> str | None:
        """Everything due for this schedule now; safe to call any time, from any replica. At most `in_flight`
        run at once, the others waiting their turn in the order they came (a fair semaphore); their posts are
        paced behind the people's (bot/ratelimit.py)."""
        if schedule_id in self._waiting:
            return None  # a run waiting its turn reads the clock when it starts: it will see what is due
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.in_flight)
        self._waiting.add(schedule_id)
        try:
            await self._slots.acquire()
        finally:
            self._waiting.discard(schedule_id)
        try:
            with ratelimit.scheduled():
                return await engine.process_schedule(
                    self.sessions,
                    schedule_id=schedule_id,
                    now=self.clock(),  # read once its turn came: nothing is composed before it is due
                    instance=self.instance,
                    post=self._post,
                    sleep=self.sleep,
                    observe=metrics.occurrence,
                    report=self._report,
                    clock=self.clock,
                )
        finally:
            self._slots.release()

    async def _report(self, occurrence_id: int) -> None:
        if self.reporter is None:
            return
        async with self.sessions() as session:
            row = await session.get(Occurrence, occurrence_id)
            schedule = await session.get(Schedule, row.schedule_id) if row is not None else None
        if row is None or schedule is None:
            return
        given_up_here = row.error in (
            engine.TOO_LATE,
            engine.EXHAUSTED,
        )  # after a takeover: nobody else knows
        if given_up_here or schedule.kind not in self.reports_own_failures:
            await self.reporter(occurrence_id)

    async def run_all(self) -> dict[int, str | None]:
        """Process every active schedule at the current clock: what a time-travelling test calls."""
        async with self.sessions() as session:
            ids = await engine.active_schedule_ids(session)
        results = {schedule_id: await self.run(schedule_id) for schedule_id in ids}
        await self.run_followups()
        return results

    async def _post(self, schedule_id: int, occurs_at: datetime) -> engine.Delivery:
        async with self.sessions() as session:
            row = await session.get(Schedule, schedule_id)
            occurrence_id = await engine.occurrence_id_of(
                session, schedule_id=schedule_id, occurs_at=occurs_at
            )
        assert row is not None
        poster = self.posters.get(row.kind)
        if poster is None:
            raise engine.DeliveryError(f"no poster for {row.kind}", retry=False)
        with log_context(project=row.project_id, occurrence=occurrence_id):
            delivery = await poster(schedule_id, occurs_at)
            due = occurs_at - engine.lead_of(row)
            metrics.delivery_delay(row.kind, (self.clock() - due).total_seconds())
            log.info("%s of schedule %s posted (due %s)", row.kind, schedule_id, due.isoformat())
        return delivery
