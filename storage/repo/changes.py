"""Change requests: create, list, change. Keyword-only, a session in, no Slack."""

from __future__ import annotations

from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import ChangeRequest
from storage.types import utcnow


async def create_change(
    session: AsyncSession,
    *,
    project_id: int,
    number: int,
    visibility: str,
    title: str,
    why: str,
    impact_days: int,
    impact_hours: float,
    impact_cost: float,
    affects: list[str],
    created_by: str,
) -> ChangeRequest:
    change = ChangeRequest(
        project_id=project_id,
        number=number,
        visibility=visibility,
        title=title,
        why=why,
        impact_days=impact_days,
        impact_hours=impact_hours,
        impact_cost=impact_cost,
        affects=list(affects),
        created_by=created_by,
    )
    session.add(change)
    await session.flush()
    return change


async def list_changes(
    session: AsyncSession, *, project_id: int, statuses: tuple[str, ...] | None = None
) -> list[ChangeRequest]:
    """A project's live change requests, optionally in some statuses, by number."""
    query = select(ChangeRequest).where(
        ChangeRequest.project_id == project_id, col(ChangeRequest.deleted_at).is_(None)
    )
    if statuses is not None:
        query = query.where(col(ChangeRequest.status).in_(statuses))
    query = query.order_by(col(ChangeRequest.number))
    return list((await session.exec(query)).all())


async def update_change(
    session: AsyncSession, *, change: ChangeRequest, changes: dict[str, Any]
) -> ChangeRequest:
    for name, value in changes.items():
        setattr(change, name, list(value) if isinstance(value, list) else value)
    change.updated_at = utcnow()
    session.add(change)
    await session.flush()
    return change
