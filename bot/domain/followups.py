"""Follow-up claims with leases (issue 15): sign-off nudges, issue escalations, action reminders, pulse alerts,
check-in nudges and summaries, one table for all of them (`followup`, keyed by kind, record and part).

A follow-up is claimed in the same transaction as the mark its scan skips (`nudged_at`, `escalated_at`, ...),
under a lease; it is done when posted. A claim whose lease ran out (its claimant died, or an attempt failed and
asked to be tried again later) is taken over by one conditional UPDATE, atomic on SQLite and PostgreSQL, and the
post is looked for in the channel's history before any re-post (bot/delivery.py). Attempts are bounded across
claimants; what is given up on is reported once in the team channel (handlers/jobs/followups.py).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.db import SessionFactory
from storage.models import Followup, Project
from storage.repo import followups as repo

log = logging.getLogger(__name__)

# Short, so a replica that died is replaced within a couple of the runner's minutes; a post takes seconds.
LEASE = timedelta(seconds=60)
# A failed attempt's lease is cut to this, so the runner's next look (a minute later, any replica) retries it.
RETRY_AFTER = timedelta(seconds=30)
MAX_ATTEMPTS = 5  # across every claimant; one more look (never a post) if the last claimant died mid-attempt
EXHAUSTED = "gave up after every attempt"

SIGNOFF_NUDGE = "signoff-nudge"
ISSUE_ESCALATION = "issue-escalation"
ACTION_REMINDER = "action-reminder"
PULSE_ALERT = "pulse-alert"
CHECKIN_NUDGE = "checkin-nudge"
CHECKIN_SUMMARY = "checkin-summary"
REVIEW_PREVIEW = "review-preview"
KINDS = (
    SIGNOFF_NUDGE,
    ISSUE_ESCALATION,
    ACTION_REMINDER,
    PULSE_ALERT,
    CHECKIN_NUDGE,
    CHECKIN_SUMMARY,
    REVIEW_PREVIEW,
)


@dataclass(frozen=True)
class Held:
    """A follow-up this process holds: ids only, so it can cross sessions and tasks."""

    id: int
    kind: str
    record_id: int
    part: str
    project_id: int
    claimed_at: datetime  # the first claim: no post for it can be older (less a margin for skew)
    attempts: int  # made before this process took it
    taken_over: bool = False

    @property
    def key(self) -> str:
        """What its post carries in Slack's message metadata: the same for every claimant."""
        return f"{self.kind}:{self.record_id}:{self.part}" if self.part else f"{self.kind}:{self.record_id}"


def _held(row: Followup, *, taken_over: bool) -> Held:
    assert row.id is not None
    return Held(
        row.id, row.kind, row.record_id, row.part, row.project_id, row.claimed_at, row.attempts, taken_over
    )


M = TypeVar("M", bound=SQLModel)


async def subject(session: AsyncSession, held: Held, model: type[M]) -> tuple[M | None, Project | None]:
    """The record a follow-up is about and its project, as they are now: either may be gone by the time it posts."""
    return await session.get(model, held.record_id), await session.get(Project, held.project_id)


async def claim(
    session: AsyncSession,
    *,
    kind: str,
    record_id: int,
    project_id: int,
    instance: str,
    now: datetime,
    part: str = "",
) -> Held | None:
    """Claim a follow-up inside the caller's transaction (with the mark its scan skips); None if taken."""
    row = await repo.insert_claim(
        session,
        kind=kind,
        record_id=record_id,
        part=part,
        project_id=project_id,
        claimed_by=instance,
        now=now,
        lease_until=now + LEASE,
    )
    return None if row is None else _held(row, taken_over=False)


async def enqueue(
    session: AsyncSession, *, kind: str, record_id: int, project_id: int, now: datetime, part: str = ""
) -> bool:
    """Record a follow-up nobody holds yet (inside a transaction that is not a job's: a click's), for
    `take` right after it commits, or for the runner's next look if the process dies first."""
    row = await repo.insert_claim(
        session,
        kind=kind,
        record_id=record_id,
        part=part,
        project_id=project_id,
        claimed_by="",
        now=now,
        lease_until=None,
    )
    return row is not None


async def take(
    sessions: SessionFactory, *, kind: str, record_id: int, instance: str, now: datetime, part: str = ""
) -> Held | None:
    """Take one follow-up by compare-and-set if nobody holds it (or its lease ran out); None otherwise."""
    async with sessions.begin() as session:
        row = await repo.find(session, kind=kind, record_id=record_id, part=part)
        if row is None or row.id is None:
            return None
        if not await repo.take(
            session, followup_id=row.id, now=now, instance=instance, lease_until=now + LEASE
        ):
            return None
    return _held(row, taken_over=bool(row.attempts))


async def take_over(sessions: SessionFactory, *, kind: str, now: datetime, instance: str) -> list[Held]:
    """Claims of `kind` whose lease ran out, each taken by compare-and-set: of several replicas, one gets each."""
    async with sessions() as session:
        rows = await repo.expired(session, kind=kind, now=now)
    taken: list[Held] = []
    for row in rows:
        assert row.id is not None
        async with sessions.begin() as session:
            won = await repo.take(
                session, followup_id=row.id, now=now, instance=instance, lease_until=now + LEASE
            )
        if won:
            if row.attempts:  # an attempt failed or its claimant died: worth a line in the log
                log.warning("took over follow-up %s from %s", _held(row, taken_over=True).key, row.claimed_by)
            taken.append(_held(row, taken_over=True))
    return taken


async def begin_attempt(sessions: SessionFactory, held: Held, *, instance: str, now: datetime) -> int | None:
    """The number of this attempt across every claimant, or None when the claim was taken over (never post)."""
    async with sessions.begin() as session:
        return await repo.count_attempt(
            session, followup_id=held.id, instance=instance, lease_until=now + LEASE
        )


async def done(
    sessions: SessionFactory, held: Held, *, instance: str, now: datetime, error: str = ""
) -> bool:
    """Posted, found already posted, not needed any more, or (with `error`) given up on."""
    async with sessions.begin() as session:
        return await repo.settle(
            session, followup_id=held.id, instance=instance, error=error, done_at=now, lease_until=None
        )


async def retry_later(
    sessions: SessionFactory, held: Held, *, instance: str, now: datetime, error: str
) -> bool:
    """Let this attempt's lease run out in RETRY_AFTER, so the next look (of any replica) takes it over."""
    async with sessions.begin() as session:
        return await repo.settle(
            session,
            followup_id=held.id,
            instance=instance,
            error=error,
            done_at=None,
            lease_until=now + RETRY_AFTER,
        )


async def claim_report(sessions: SessionFactory, held: Held, *, now: datetime) -> bool:
    """Whoever sets `reported_at` first tells the team it was given up on: once."""
    async with sessions.begin() as session:
        return await repo.claim_report(session, followup_id=held.id, now=now)
