"""The schedule engine: which occurrences are due, claiming them exactly once, and recording outcomes.

The database is the source of truth. An occurrence is claimed by inserting a row whose key
(schedule, occurrence time) is unique, in its own committed transaction, before anything is posted:
two processes on one database can never both hold it. The claim is a lease (`LEASE`, renewed while its
claimant works): a claim whose lease ran out (its claimant died) is taken over by compare-and-set, by another
replica or the restarted one, and reconciled before any re-post: every scheduled post carries its occurrence
in Slack's message metadata, and a post that may have landed (a retry after an unanswered attempt, or a
takeover) is first looked for in the channel's recent history (bot/delivery.py). Attempts are bounded across
claimants; what is given up on is recorded as failed or missed with its reason and reported to the team.
Occurrences missed while nobody was running are posted once if still within the schedule's grace window,
otherwise recorded as missed; never replayed in bulk.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, or_, update
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
# How long a claim holds without its claimant renewing it. Short, so a replica that died is replaced within
# about a minute (the runner looks every minute); renewed every LEASE/3 while posting, so a slow post (a
# Retry-After storm) keeps its claim.
LEASE = timedelta(seconds=60)
MAX_ATTEMPTS = 6  # posting attempts per occurrence, across every claimant, before it is given up on


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
    sessions: SessionFactory,
    *,
    schedule_id: int,
    occurs_at: datetime,
    instance: str,
    now: datetime | None = None,
) -> int | None:
    """Claim one occurrence in its own committed transaction; None if another process already has it."""
    now = now or utcnow()
    async with sessions.begin() as session:
        occurrence = Occurrence(
            schedule_id=schedule_id,
            occurs_at=occurs_at,
            status=CLAIMED,
            claimed_by=instance,
            claimed_at=now,
            lease_until=now + LEASE,
        )
        if not await _record(session, occurrence):
            return None
        return occurrence.id


def _held_by(occurrence_id: int, instance: str) -> ColumnElement[bool]:
    return and_(
        col(Occurrence.id) == occurrence_id,
        col(Occurrence.status) == CLAIMED,
        col(Occurrence.claimed_by) == instance,
    )


async def begin_attempt(
    sessions: SessionFactory, *, occurrence_id: int, instance: str, now: datetime
) -> int | None:
    """Count a posting attempt and renew the lease, if `instance` still holds the claim: the number of this
    attempt across every claimant, or None when the claim was taken over (never post then)."""
    async with sessions.begin() as session:
        done = await session.exec(
            update(Occurrence)
            .where(_held_by(occurrence_id, instance))
            .values(attempts=col(Occurrence.attempts) + 1, lease_until=now + LEASE)
        )
        if done.rowcount != 1:
            return None
        attempts = (
            await session.exec(select(Occurrence.attempts).where(Occurrence.id == occurrence_id))
        ).one()
        return int(attempts)


async def renew(sessions: SessionFactory, *, occurrence_id: int, instance: str, now: datetime) -> bool:
    """Extend the lease of a claim `instance` holds; False if it no longer holds it."""
    async with sessions.begin() as session:
        done = await session.exec(
            update(Occurrence).where(_held_by(occurrence_id, instance)).values(lease_until=now + LEASE)
        )
        return bool(done.rowcount == 1)


@dataclass(frozen=True)
class TakenOver:
    occurrence_id: int
    occurs_at: datetime
    claimed_at: datetime
    attempts: int
    previous: str  # the claimant whose lease ran out


async def take_over(
    sessions: SessionFactory, *, schedule_id: int, now: datetime, instance: str
) -> list[TakenOver]:
    """Claims of this schedule whose lease ran out, each taken by compare-and-set (an UPDATE that still finds
    the lease expired): of several replicas looking at once, exactly one gets each."""
    expired = or_(col(Occurrence.lease_until).is_(None), col(Occurrence.lease_until) < now)
    async with sessions() as session:
        rows = (
            await session.exec(
                select(Occurrence).where(
                    Occurrence.schedule_id == schedule_id, Occurrence.status == CLAIMED, expired
                )
            )
        ).all()
    taken: list[TakenOver] = []
    for row in rows:
        assert row.id is not None
        async with sessions.begin() as session:
            done = await session.exec(
                update(Occurrence)
                .where(col(Occurrence.id) == row.id, col(Occurrence.status) == CLAIMED, expired)
                .values(claimed_by=instance, lease_until=now + LEASE)
            )
        if done.rowcount == 1:
            log.warning(
                "took over occurrence %s of schedule %s from %s (lease expired)",
                row.id,
                schedule_id,
                row.claimed_by,
            )
            taken.append(TakenOver(row.id, row.occurs_at, row.claimed_at, row.attempts, row.claimed_by))
    return taken


async def finish(
    sessions: SessionFactory,
    *,
    occurrence_id: int,
    status: str,
    attempts: int | None = None,
    error: str = "",
    channel_id: str | None = None,
    message_ts: str | None = None,
    instance: str | None = None,
) -> bool:
    """Record the outcome; with `instance`, only if it still holds the claim (False: it was taken over)."""
    async with sessions.begin() as session:
        occurrence = await session.get(Occurrence, occurrence_id)
        assert occurrence is not None
        if instance is not None and (occurrence.status != CLAIMED or occurrence.claimed_by != instance):
            return False
        occurrence.status = status
        if attempts is not None:
            occurrence.attempts = attempts
        occurrence.error = error[:1000]
        occurrence.channel_id = channel_id
        occurrence.message_ts = message_ts
        occurrence.finished_at = utcnow()
        occurrence.lease_until = None
        session.add(occurrence)
        return True


async def claim_report(session: AsyncSession, *, occurrence_id: int, now: datetime) -> bool:
    """Whoever sets `reported_at` first tells the team that the occurrence was given up on: once."""
    done = await session.exec(
        update(Occurrence)
        .where(col(Occurrence.id) == occurrence_id, col(Occurrence.reported_at).is_(None))
        .values(reported_at=now)
    )
    return bool(done.rowcount == 1)


async def release_report(session: AsyncSession, *, occurrence_id: int) -> None:
    """The report itself was refused by Slack: let a later look try again."""
    await session.exec(update(Occurrence).where(col(Occurrence.id) == occurrence_id).values(reported_at=None))


@dataclass(frozen=True)
class Claim:
    """The occurrence a poster is posting now, told to bot.delivery.post_once through a context variable."""

    occurrence_id: int
    claimed_at: datetime  # the first claim: a post made for it cannot be older (less a margin for skew)
    reconcile: bool  # an earlier attempt may have landed: look in the channel's history before posting
    lookup_only: bool = False  # too late or out of attempts: only find out whether it landed, never post


_current: ContextVar[Claim | None] = ContextVar("liaison_occurrence", default=None)


def current_claim() -> Claim | None:
    return _current.get()


@contextlib.contextmanager
def posting(claim: Claim) -> Iterator[None]:
    token = _current.set(claim)
    try:
        yield
    finally:
        _current.reset(token)


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


class NotPosted(DeliveryError):
    """A lookup-only attempt (Claim.lookup_only) did not find the post in the channel's history."""

    def __init__(self, reason: str = "not found in the channel's history") -> None:
        super().__init__(reason, retry=False)


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


BeforeAttempt = Callable[[], Awaitable["Claim | None"]]  # None: the claim is gone, do not post


async def deliver(
    post: Poster,
    schedule_id: int,
    occurs_at: datetime,
    *,
    sleep: Sleep,
    attempts: int = 4,
    before_attempt: BeforeAttempt | None = None,
) -> tuple[Delivery | None, int, str]:
    """Post with retries: exponential backoff, honouring Retry-After. Returns (delivery, attempts, error).

    `before_attempt` (the engine's) counts each attempt in the database and says how to post it (Claim)."""
    error = ""
    for attempt in range(1, attempts + 1):
        claim_now = await before_attempt() if before_attempt is not None else None
        if before_attempt is not None and claim_now is None:
            return None, attempt - 1, LOST
        try:
            if claim_now is None:
                return await post(schedule_id, occurs_at), attempt, ""
            with posting(claim_now):
                return await post(schedule_id, occurs_at), attempt, ""
        except DeliveryError as exc:
            error = exc.reason
            if not exc.retry or attempt == attempts:
                return None, attempt, error
            await sleep(exc.retry_after if exc.retry_after is not None else 2.0 ** (attempt - 1))
    return None, attempts, error


LOST = "the claim was taken over by another process"
Report = Callable[[int], Awaitable[None]]  # (occurrence id): tell the team it was given up on


async def _no_report(_occurrence_id: int) -> None:
    return None


@contextlib.asynccontextmanager
async def _renewing(
    sessions: SessionFactory, *, occurrence_id: int, instance: str, clock: Callable[[], datetime]
) -> AsyncIterator[None]:
    """Keep the lease while posting takes long (a Retry-After storm): renewed every third of it."""

    async def renew_forever() -> None:
        while True:
            await asyncio.sleep(LEASE.total_seconds() / 3)
            try:
                if not await renew(sessions, occurrence_id=occurrence_id, instance=instance, now=clock()):
                    return
            except Exception:  # a database hiccup: the next renewal (or the lease) covers it
                log.warning("could not renew the lease of occurrence %s", occurrence_id, exc_info=True)

    task = asyncio.create_task(renew_forever())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def _post_claimed(
    sessions: SessionFactory,
    *,
    kind: str,
    schedule_id: int,
    occurs_at: datetime,
    occurrence_id: int,
    claimed_at: datetime,
    instance: str,
    post: Poster,
    sleep: Sleep,
    clock: Callable[[], datetime],
    observe: Observe,
    report: Report,
    taken_over: bool = False,
    lookup_only: str = "",
) -> str | None:
    """Post (or, with `lookup_only` = the reason, only look for) an occurrence this instance holds, then record
    the outcome if it still holds it. Every attempt after the first, and any after a takeover, reconciles."""

    async def before_attempt() -> Claim | None:
        number = await begin_attempt(sessions, occurrence_id=occurrence_id, instance=instance, now=clock())
        if number is None:
            return None
        return Claim(
            occurrence_id, claimed_at, reconcile=taken_over or number > 1, lookup_only=bool(lookup_only)
        )

    try:
        async with _renewing(sessions, occurrence_id=occurrence_id, instance=instance, clock=clock):
            delivery, _attempts, error = await deliver(
                post,
                schedule_id,
                occurs_at,
                sleep=sleep,
                attempts=1 if lookup_only else 4,
                before_attempt=before_attempt,
            )
    except Exception as exc:  # a bug in a poster must not lose the occurrence silently
        log.exception("posting schedule %s at %s failed", schedule_id, occurs_at)
        delivery, error = None, f"internal error: {type(exc).__name__}"
    if error == LOST:
        return None  # another process took the claim over; it records the outcome
    if delivery is not None:
        status = POSTED
    elif lookup_only:
        status, error = (MISSED if lookup_only != EXHAUSTED else FAILED), lookup_only
    else:
        status = FAILED
    recorded = await finish(
        sessions,
        occurrence_id=occurrence_id,
        status=status,
        error=error,
        channel_id=delivery.channel_id if delivery else None,
        message_ts=delivery.message_ts if delivery else None,
        instance=instance,
    )
    if not recorded:
        return None
    observe(kind, status)
    if status != POSTED:
        try:
            await report(occurrence_id)
        except Exception:  # the outcome is recorded and shown in /sync list whatever happens to the report
            log.exception("could not report occurrence %s", occurrence_id)
    return status


EXHAUSTED = "gave up after every attempt"
TOO_LATE = "its claimant stopped and the grace window has passed"


async def process_schedule(
    sessions: SessionFactory,
    *,
    schedule_id: int,
    now: datetime,
    instance: str,
    post: Poster,
    sleep: Sleep,
    observe: Observe = _unobserved,
    report: Report = _no_report,
    clock: Callable[[], datetime] | None = None,
) -> str | None:
    """Handle everything due for one schedule at `now`; returns the posted occurrence's status, if any.

    First the claims of this schedule whose claimant died (lease expired) are taken over and finished;
    then what is due now. `observe(kind, status)` hears of each occurrence claimed, missed, posted or failed
    here; `report(occurrence_id)` is told of each one given up on after it was claimed."""
    clock = clock or (lambda: now)
    async with sessions.begin() as session:
        schedule = await session.get(Schedule, schedule_id)
        if schedule is None or schedule.status != ACTIVE:
            return None
        project = await session.get(Project, schedule.project_id)
        if project is None or project.archived_at is not None:
            return None  # an archived project's schedules never post (bot/domain/closing.py)
        kind = schedule.kind
        lead, grace = lead_of(schedule), timedelta(minutes=schedule.grace_minutes)
        last = await last_handled(session, schedule_id=schedule_id)
        since = max(t for t in (last, schedule.active_since) if t is not None)
        plan = plan_due(
            due_occurrences(schedule, since=since, now=now),
            now=now,
            lead=lead,
            grace=grace,
        )
        for t in plan.missed:
            if await _record(
                session, Occurrence(schedule_id=schedule_id, occurs_at=t, status=MISSED, claimed_by=instance)
            ):
                observe(kind, MISSED)

    async def post_claimed(
        occurs_at: datetime, occurrence_id: int, claimed_at: datetime, *, taken_over: bool, lookup_only: str
    ) -> str | None:
        return await _post_claimed(
            sessions,
            kind=kind,
            schedule_id=schedule_id,
            occurs_at=occurs_at,
            occurrence_id=occurrence_id,
            claimed_at=claimed_at,
            instance=instance,
            post=post,
            sleep=sleep,
            clock=clock,
            observe=observe,
            report=report,
            taken_over=taken_over,
            lookup_only=lookup_only,
        )

    for taken in await take_over(sessions, schedule_id=schedule_id, now=now, instance=instance):
        late = now - (taken.occurs_at - lead) > grace
        await post_claimed(
            taken.occurs_at,
            taken.occurrence_id,
            taken.claimed_at,
            taken_over=True,
            lookup_only=EXHAUSTED if taken.attempts >= MAX_ATTEMPTS else TOO_LATE if late else "",
        )
    if plan.post is None:
        return None
    occurrence_id = await claim(
        sessions, schedule_id=schedule_id, occurs_at=plan.post, instance=instance, now=now
    )
    if occurrence_id is None:
        return None  # another process has it
    observe(kind, CLAIMED)
    return await post_claimed(plan.post, occurrence_id, now, taken_over=False, lookup_only="")


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


@dataclass(frozen=True)
class GivenUp:
    """What the team is told about an occurrence given up on."""

    occurrence: Occurrence
    schedule: Schedule
    project: Project


async def occurrence(session: AsyncSession, occurrence_id: int) -> Occurrence | None:
    return await session.get(Occurrence, occurrence_id)


async def given_up(session: AsyncSession, *, occurrence_id: int) -> GivenUp | None:
    occurrence = await session.get(Occurrence, occurrence_id)
    if occurrence is None or occurrence.status not in (FAILED, MISSED):
        return None
    schedule = await session.get(Schedule, occurrence.schedule_id)
    project = await session.get(Project, schedule.project_id) if schedule is not None else None
    if schedule is None or project is None:
        return None
    return GivenUp(occurrence, schedule, project)


def lease_expired(occurrence: Occurrence, *, now: datetime) -> bool:
    """A claim whose claimant stopped renewing it: it is about to be taken over (shown so in /sync list)."""
    return occurrence.status == CLAIMED and (occurrence.lease_until is None or occurrence.lease_until < now)
