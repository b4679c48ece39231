"""Sign-off versions: what was sent for the client's word and what they said. Keyword-only, no Slack."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import col, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Project, SignOff


async def add_signoff(session: AsyncSession, **fields: Any) -> SignOff:
    row = SignOff(**fields)
    session.add(row)
    await session.flush()
    return row


async def get_signoff(session: AsyncSession, *, signoff_id: int, for_update: bool = False) -> SignOff | None:
    query = select(SignOff).where(SignOff.id == signoff_id)
    if for_update:
        query = query.with_for_update()  # two clicks at once: the second waits and sees the first's decision
    return (await session.exec(query)).first()


async def versions(session: AsyncSession, *, subject: str, subject_id: int) -> list[SignOff]:
    """Every version sent for one record, oldest first."""
    query = (
        select(SignOff)
        .where(SignOff.subject == subject, SignOff.subject_id == subject_id)
        .order_by(col(SignOff.version))
    )
    return list((await session.exec(query)).all())


async def list_by_status(session: AsyncSession, *, project_id: int, status: str) -> list[SignOff]:
    query = (
        select(SignOff)
        .where(SignOff.project_id == project_id, SignOff.status == status)
        .order_by(col(SignOff.requested_at))
    )
    return list((await session.exec(query)).all())


async def update_signoff(session: AsyncSession, *, row: SignOff, changes: dict[str, Any]) -> SignOff:
    for key, value in changes.items():
        setattr(row, key, value)
    session.add(row)
    await session.flush()
    return row


async def decided_between(
    session: AsyncSession, *, project_id: int, start: datetime, end: datetime, limit: int = 200
) -> list[SignOff]:
    """Decided within [start, end), in the order decided (the `(project_id, status)` index narrows it)."""
    query = (
        select(SignOff)
        .where(
            SignOff.project_id == project_id,
            col(SignOff.status).in_(("approved", "remarks", "rejected")),
            col(SignOff.decided_at) >= start,
            col(SignOff.decided_at) < end,
        )
        .order_by(col(SignOff.decided_at), col(SignOff.id))
        .limit(limit)
    )
    return list((await session.exec(query)).all())


async def nudge_candidates(
    session: AsyncSession, *, sent_before: datetime, limit: int = 200
) -> list[tuple[SignOff, Project]]:
    """Waiting, never nudged, sent before `sent_before`: every project's, oldest first."""
    query = (
        select(SignOff, Project)
        .join(Project, col(Project.id) == col(SignOff.project_id))
        .where(
            SignOff.status == "waiting",
            col(SignOff.nudged_at).is_(None),
            col(SignOff.requested_at) < sent_before,
        )
        .order_by(col(SignOff.requested_at), col(SignOff.id))
        .limit(limit)
    )
    return [(row, project) for row, project in (await session.exec(query)).all()]


async def claim_nudge(session: AsyncSession, *, signoff_id: int, now: datetime) -> bool:
    """One conditional UPDATE: only the process whose update changed the row goes on to post."""
    result = await session.exec(
        update(SignOff)
        .where(
            col(SignOff.id) == signoff_id, col(SignOff.nudged_at).is_(None), col(SignOff.status) == "waiting"
        )
        .values(nudged_at=now)
    )
    return bool(result.rowcount == 1)
