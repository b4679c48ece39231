"""The schedule engine: which occurrences are due, claiming them exactly once, and recording outcomes.

The database is the source of truth. An occurrence is claimed by inserting a row whose key
(schedule, occurrence time) is unique, in its own committed transaction, before anything is posted:
two processes on one database, or a restart in the middle, can never post it twice. Occurrences missed
while nobody was running are posted once if still within the schedule's grace window, otherwise
recorded as missed; never replayed in bulk.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.timeexpr import Recurrence, holiday_calendar, next_occurrences
from storage.db import SessionFactory
from storage.models import Occurrence, Project, Schedule
from storage.repo import projects
from storage.types import utcnow

log = logging.getLogger(__name__)

ACTIVE, PAUSED, CANCELLED = "active", "paused", "cancelled"
CLAIMED, POSTED, FAILED, MISSED, SKIPPED, INTERRUPTED = (
    "claimed",
    "posted",
    "failed",
    "missed",
    "skipped",
    "interrupted",
)
MAX_MISSED_RECORDED = 50  # after a long outage, record at most this many missed occurrences per schedule


def rule_of(schedule: Schedule) -> Recurrence:
    return Recurrence.from_dict(schedule.rule)


def lead_of(schedule: Schedule) -> timedelta:
    return timedelta(minutes=schedule.lead_minutes)


def upcoming(schedule: Schedule, *, after: datetime, count: int) -> list[datetime]:
    """The next occurrences (meeting times, UTC) after `after`."""
    rule = rule_of(schedule)
    calendar = holiday_calendar(rule.holidays) if rule.holidays else None
    return next_occurrences(rule, after=after, count=count, holidays=calendar)


@dataclass(frozen=True)
class Plan:
    """What to do now: post at most one occurrence, record the rest as missed."""

    post: datetime | None
    missed: tuple[datetime, ...]


def plan_due(occurrences: list[datetime], *, now: datetime, lead: timedelta, grace: timedelta) -> Plan:
    """Given the occurrences not yet handled whose fire time (occurrence − lead) has come, decide.

    Only the latest one still within the grace window is posted; anything older is missed.
    """
    due = sorted(t for t in occurrences if t - lead <= now)
    fresh = [t for t in due if now - (t - lead) <= grace]
    post = fresh[-1] if fresh else None
    missed = tuple(t for t in due if t != post)
    return Plan(post=post, missed=missed)


def due_occurrences(schedule: Schedule, *, since: datetime, now: datetime) -> list[datetime]:
    """Occurrences after `since` whose fire time is at or before `now`: after a long outage only the most
    recent ones are kept (the older ones are not even recorded), so nothing is ever replayed in bulk."""
    lead = lead_of(schedule)
    found: deque[datetime] = deque(maxlen=MAX_MISSED_RECORDED + 1)
    after = since
    while True:
        batch = upcoming(schedule, after=after, count=32)
        for t in batch:
            if t - lead > now:
                return list(found)
            found.append(t)
        if len(batch) < 32:
            return list(found)
        after = batch[-1]


async def last_handled(session: AsyncSession, *, schedule_id: int) -> datetime | None:
    query = (
        select(Occurrence.occurs_at)
        .where(Occurrence.schedule_id == schedule_id)
        .order_by(col(Occurrence.occurs_at).desc())
        .limit(1)
    )
    return (await session.exec(query)).first()


async def schedule_and_project(session: AsyncSession, *, schedule_id: int) -> tuple[Schedule, Project]:
    """What a poster reloads by id: the schedule and its project (both exist while it is claimed)."""
    schedule = await session.get(Schedule, schedule_id)
    assert schedule is not None
    project = await session.get(Project, schedule.project_id)
    assert project is not None and project.id is not None
    return schedule, project


async def occurrence_id_of(session: AsyncSession, *, schedule_id: int, occurs_at: datetime) -> int:
    """The id of an occurrence already claimed (the key is unique: schedule and time)."""
    query = select(Occurrence.id).where(
        Occurrence.schedule_id == schedule_id, Occurrence.occurs_at == occurs_at
    )
    found = (await session.exec(query)).one()
    assert found is not None
    return int(found)


async def _record(session: AsyncSession, occurrence: Occurrence) -> bool:
    try:
        async with session.begin_nested():
            session.add(occurrence)
        return True
    except IntegrityError:
        return False


async def claim(
    sessions: SessionFactory, *, schedule_id: int, occurs_at: datetime, instance: str
) -> int | None:
    """Claim one occurrence in its own committed transaction; None if another process already has it."""
    async with sessions.begin() as session:
        occurrence = Occurrence(
            schedule_id=schedule_id, occurs_at=occurs_at, status=CLAIMED, claimed_by=instance
        )
        if not await _record(session, occurrence):
            return None
        return occurrence.id


async def finish(
    sessions: SessionFactory,
    *,
    occurrence_id: int,
    status: str,
    attempts: int,
    error: str = "",
    channel_id: str | None = None,
    message_ts: str | None = None,
) -> None:
    async with sessions.begin() as session:
        occurrence = await session.get(Occurrence, occurrence_id)
        assert occurrence is not None
        occurrence.status = status
        occurrence.attempts = attempts
        occurrence.error = error[:1000]
        occurrence.channel_id = channel_id
        occurrence.message_ts = message_ts
        occurrence.finished_at = utcnow()
        session.add(occurrence)


@dataclass(frozen=True)
class Delivery:
    channel_id: str | None = None
    message_ts: str | None = None


class DeliveryError(Exception):
    """Posting failed in a way worth retrying (or not: `retry=False`); `retry_after` in seconds if known."""

    def __init__(self, reason: str, *, retry: bool = True, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry = retry
        self.retry_after = retry_after


async def target_channel(session: AsyncSession, *, schedule: Schedule) -> tuple[str, bool]:
    """The channel a schedule posts into and whether it is the project's client channel.

    Its own channel if it names one still bound to the project, else the project's channel for its
    visibility; none is a failure not worth retrying.
    """
    channels = await projects.list_channels(session, project_id=schedule.project_id)
    wanted = projects.CLIENT if schedule.visibility == "client" else projects.INTERNAL
    if schedule.channel_id:
        for channel in channels:
            if channel.channel_id == schedule.channel_id:
                return channel.channel_id, channel.role == projects.CLIENT
    for channel in channels:
        if channel.role == wanted:
            return channel.channel_id, wanted == projects.CLIENT
    raise DeliveryError(f"the project has no {wanted} channel", retry=False)


Poster = Callable[[int, datetime], Awaitable[Delivery]]  # (schedule id, occurrence time) -> delivery
Sleep = Callable[[float], Awaitable[None]]
Observe = Callable[[str, str], None]  # (schedule kind, occurrence status): told as it happens (metrics)


def _unobserved(_kind: str, _status: str) -> None:
    return None


async def deliver(
    post: Poster, schedule_id: int, occurs_at: datetime, *, sleep: Sleep, attempts: int = 4
) -> tuple[Delivery | None, int, str]:
    """Post with retries: exponential backoff, honouring Retry-After. Returns (delivery, attempts, error)."""
    error = ""
    for attempt in range(1, attempts + 1):
        try:
            return await post(schedule_id, occurs_at), attempt, ""
        except DeliveryError as exc:
            error = exc.reason
            if not exc.retry or attempt == attempts:
                return None, attempt, error
            await sleep(exc.retry_after if exc.retry_after is not None else 2.0 ** (attempt - 1))
    return None, attempts, error


async def process_schedule(
    sessions: SessionFactory,
    *,
    schedule_id: int,
    now: datetime,
    instance: str,
    post: Poster,
    sleep: Sleep,
    observe: Observe = _unobserved,
) -> str | None:
    """Handle everything due for one schedule at `now`; returns the posted occurrence's status, if any.

    `observe(kind, status)` hears of each occurrence claimed, missed, posted or failed here."""
    async with sessions.begin() as session:
        schedule = await session.get(Schedule, schedule_id)
        if schedule is None or schedule.status != ACTIVE:
            return None
        project = await session.get(Project, schedule.project_id)
        if project is None or project.archived_at is not None:
            return None  # an archived project's schedules never post (bot/domain/closing.py)
        kind = schedule.kind
        last = await last_handled(session, schedule_id=schedule_id)
        since = max(t for t in (last, schedule.active_since) if t is not None)
        plan = plan_due(
            due_occurrences(schedule, since=since, now=now),
            now=now,
            lead=lead_of(schedule),
            grace=timedelta(minutes=schedule.grace_minutes),
        )
        for t in plan.missed:
            if await _record(
                session, Occurrence(schedule_id=schedule_id, occurs_at=t, status=MISSED, claimed_by=instance)
            ):
                observe(kind, MISSED)
    if plan.post is None:
        return None
    occurrence_id = await claim(sessions, schedule_id=schedule_id, occurs_at=plan.post, instance=instance)
    if occurrence_id is None:
        return None  # another process has it
    observe(kind, CLAIMED)
    try:
        delivery, attempts, error = await deliver(post, schedule_id, plan.post, sleep=sleep)
    except Exception as exc:  # a bug in a poster must not lose the occurrence silently
        log.exception("posting schedule %s at %s failed", schedule_id, plan.post)
        delivery, attempts, error = None, 1, f"internal error: {type(exc).__name__}"
    status = POSTED if delivery is not None else FAILED
    await finish(
        sessions,
        occurrence_id=occurrence_id,
        status=status,
        attempts=attempts,
        error=error,
        channel_id=delivery.channel_id if delivery else None,
        message_ts=delivery.message_ts if delivery else None,
    )
    observe(kind, status)
    return status


async def mark_interrupted(sessions: SessionFactory, *, older_than: datetime) -> int:
    """Claims left by a process that died mid-post: never re-posted (it may have gone out), but marked."""
    async with sessions.begin() as session:
        rows = (
            await session.exec(
                select(Occurrence).where(
                    Occurrence.status == CLAIMED, col(Occurrence.claimed_at) < older_than
                )
            )
        ).all()
        for row in rows:
            row.status = INTERRUPTED
            row.error = "the process stopped while posting"
            session.add(row)
        return len(rows)


async def skip_next(
    session: AsyncSession, *, schedule: Schedule, now: datetime, instance: str
) -> datetime | None:
    """Reserve the next occurrence as skipped, so no process will claim it."""
    assert schedule.id is not None
    last = await last_handled(session, schedule_id=schedule.id)
    after = max(t for t in (last, now + lead_of(schedule)) if t is not None)
    nxt = upcoming(schedule, after=after, count=1)
    if not nxt:
        return None
    await _record(
        session, Occurrence(schedule_id=schedule.id, occurs_at=nxt[0], status=SKIPPED, claimed_by=instance)
    )
    return nxt[0]


async def active_schedule_ids(session: AsyncSession) -> list[int]:
    rows = (await session.exec(select(Schedule.id).where(Schedule.status == ACTIVE))).all()
    return [int(r) for r in rows if r is not None]


async def history(session: AsyncSession, *, schedule_id: int, limit: int = 20) -> list[Occurrence]:
    query = (
        select(Occurrence)
        .where(Occurrence.schedule_id == schedule_id)
        .order_by(col(Occurrence.occurs_at).desc())
        .limit(limit)
    )
    return list((await session.exec(query)).all())
