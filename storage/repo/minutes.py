"""Minutes (the client's confirmations are sign-offs: storage/repo/signoffs.py)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import ActionItem, Decision, Minutes
from storage.types import utcnow


async def create_minutes(
    session: AsyncSession,
    *,
    project_id: int,
    number: int,
    visibility: str,
    title: str,
    meeting_on: date,
    attendees: Sequence[str],
    client_attendees: str,
    notes: str,
    created_by: str,
) -> Minutes:
    minutes = Minutes(
        project_id=project_id,
        number=number,
        visibility=visibility,
        title=title,
        meeting_on=meeting_on,
        attendees=list(attendees),
        client_attendees=client_attendees,
        notes=notes,
        created_by=created_by,
    )
    session.add(minutes)
    await session.flush()
    return minutes


async def get_minutes(
    session: AsyncSession, *, minutes_id: int, include_deleted: bool = False
) -> Minutes | None:
    minutes = await session.get(Minutes, minutes_id)
    if minutes is None or (minutes.deleted_at is not None and not include_deleted):
        return None
    return minutes


async def list_minutes(session: AsyncSession, *, project_id: int) -> list[Minutes]:
    """A project's live minutes, newest meeting first."""
    query = (
        select(Minutes)
        .where(Minutes.project_id == project_id, col(Minutes.deleted_at).is_(None))
        .order_by(col(Minutes.meeting_on).desc(), col(Minutes.number).desc())
    )
    return list((await session.exec(query)).all())


async def update_minutes(session: AsyncSession, *, minutes: Minutes, changes: dict[str, Any]) -> Minutes:
    for field, value in changes.items():
        setattr(minutes, field, value)
    minutes.updated_at = utcnow()
    session.add(minutes)
    await session.flush()
    return minutes


async def list_children(session: AsyncSession, *, minutes_id: int) -> tuple[list[Decision], list[ActionItem]]:
    """Every decision and action item recorded in the minutes, deleted ones included (for undo)."""
    decisions = (
        await session.exec(
            select(Decision).where(Decision.minutes_id == minutes_id).order_by(col(Decision.number))
        )
    ).all()
    actions = (
        await session.exec(
            select(ActionItem).where(ActionItem.minutes_id == minutes_id).order_by(col(ActionItem.number))
        )
    ).all()
    return list(decisions), list(actions)


async def set_deleted(
    session: AsyncSession,
    *,
    minutes: Minutes,
    items: Iterable[Decision | ActionItem],
    at: datetime | None,
) -> None:
    """Soft-delete (or, with `at=None`, restore) minutes together with the given items."""
    stamp = utcnow()
    for item in items:
        item.deleted_at = at
        item.updated_at = stamp
        session.add(item)
    minutes.deleted_at = at
    minutes.updated_at = stamp
    session.add(minutes)
    await session.flush()
