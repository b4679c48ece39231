"""Follow-up claims (storage side): one row per (kind, record, part), held under a lease until done. No Slack."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, and_, delete, or_
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Followup


async def insert_claim(
    session: AsyncSession,
    *,
    kind: str,
    record_id: int,
    part: str,
    project_id: int,
    claimed_by: str,
    now: datetime,
    lease_until: datetime | None,
) -> Followup | None:
    """One INSERT … ON CONFLICT DO NOTHING on (kind, record, part): the row for the one that wins, else None."""
    connection = await session.connection()
    insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
    statement = (
        insert(Followup)
        .values(
            kind=kind,
            record_id=record_id,
            part=part,
            project_id=project_id,
            claimed_by=claimed_by,
            claimed_at=now,
            lease_until=lease_until,
            attempts=0,
            error="",
        )
        .on_conflict_do_nothing()
    )
    if (await connection.execute(statement)).rowcount != 1:
        return None
    return await find(session, kind=kind, record_id=record_id, part=part)


async def find(session: AsyncSession, *, kind: str, record_id: int, part: str = "") -> Followup | None:
    query = select(Followup).where(
        Followup.kind == kind, Followup.record_id == record_id, Followup.part == part
    )
    return (await session.exec(query)).first()


def _held_by(followup_id: int, instance: str) -> ColumnElement[bool]:
    return and_(
        col(Followup.id) == followup_id,
        col(Followup.done_at).is_(None),
        col(Followup.claimed_by) == instance,
    )


def _expired(now: datetime) -> ColumnElement[bool]:
    return and_(
        col(Followup.done_at).is_(None),
        or_(col(Followup.lease_until).is_(None), col(Followup.lease_until) < now),
    )


async def count_attempt(
    session: AsyncSession, *, followup_id: int, instance: str, lease_until: datetime
) -> int | None:
    """Count an attempt and renew the lease if `instance` still holds the claim: the attempt's number."""
    done = await session.exec(
        update(Followup)
        .where(_held_by(followup_id, instance))
        .values(attempts=col(Followup.attempts) + 1, lease_until=lease_until)
    )
    if done.rowcount != 1:
        return None
    return int((await session.exec(select(Followup.attempts).where(Followup.id == followup_id))).one())


async def expired(session: AsyncSession, *, kind: str, now: datetime, limit: int = 100) -> list[Followup]:
    query = (
        select(Followup).where(Followup.kind == kind, _expired(now)).order_by(col(Followup.id)).limit(limit)
    )
    return list((await session.exec(query)).all())


async def take(
    session: AsyncSession, *, followup_id: int, now: datetime, instance: str, lease_until: datetime
) -> bool:
    """Compare-and-set: True for the one process whose UPDATE still finds the lease run out."""
    done = await session.exec(
        update(Followup)
        .where(col(Followup.id) == followup_id, _expired(now))
        .values(claimed_by=instance, lease_until=lease_until)
    )
    return bool(done.rowcount == 1)


async def settle(
    session: AsyncSession,
    *,
    followup_id: int,
    instance: str,
    error: str,
    done_at: datetime | None,
    lease_until: datetime | None,
) -> bool:
    """Record an attempt's outcome if `instance` still holds the claim: done (`done_at`), or to be tried
    again once `lease_until` has passed."""
    done = await session.exec(
        update(Followup)
        .where(_held_by(followup_id, instance))
        .values(error=error[:1000], done_at=done_at, lease_until=lease_until)
    )
    return bool(done.rowcount == 1)


async def claim_report(session: AsyncSession, *, followup_id: int, now: datetime) -> bool:
    done = await session.exec(
        update(Followup)
        .where(col(Followup.id) == followup_id, col(Followup.reported_at).is_(None))
        .values(reported_at=now)
    )
    return bool(done.rowcount == 1)


async def prune_done(session: AsyncSession, *, older_than: datetime) -> int:
    """Delete follow-ups posted before `older_than` (their record's own mark keeps them from being claimed
    again); what was given up on stays. How many went."""
    connection = await session.connection()
    result = await connection.execute(
        delete(Followup).where(col(Followup.done_at).is_not(None), col(Followup.done_at) < older_than)
    )
    return int(result.rowcount or 0)
