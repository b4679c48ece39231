"""Decisions, recorded on their own or in minutes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Decision
from storage.types import utcnow


async def create_decision(
    session: AsyncSession,
    *,
    project_id: int,
    number: int,
    visibility: str,
    text: str,
    decided_on: date,
    created_by: str,
    minutes_id: int | None = None,
) -> Decision:
    decision = Decision(
        project_id=project_id,
        number=number,
        visibility=visibility,
        text=text,
        decided_on=decided_on,
        created_by=created_by,
        minutes_id=minutes_id,
    )
    session.add(decision)
    await session.flush()
    return decision


async def list_decisions(
    session: AsyncSession, *, project_id: int, minutes_id: int | None = None
) -> list[Decision]:
    """Live decisions: of one set of minutes in the order recorded, or of the project newest first."""
    query = select(Decision).where(Decision.project_id == project_id, col(Decision.deleted_at).is_(None))
    if minutes_id is not None:
        query = query.where(Decision.minutes_id == minutes_id).order_by(col(Decision.number))
    else:
        query = query.order_by(col(Decision.decided_on).desc(), col(Decision.number).desc())
    return list((await session.exec(query)).all())


async def list_for_minutes(session: AsyncSession, *, minutes_ids: list[int]) -> list[Decision]:
    if not minutes_ids:
        return []
    query = (
        select(Decision)
        .where(col(Decision.minutes_id).in_(minutes_ids), col(Decision.deleted_at).is_(None))
        .order_by(col(Decision.number))
    )
    return list((await session.exec(query)).all())


async def update_decision(session: AsyncSession, *, decision: Decision, changes: dict[str, Any]) -> Decision:
    for field, value in changes.items():
        setattr(decision, field, value)
    decision.updated_at = utcnow()
    session.add(decision)
    await session.flush()
    return decision


async def delete_decision(session: AsyncSession, *, decision: Decision, at: datetime) -> None:
    decision.deleted_at = at
    decision.updated_at = utcnow()
    session.add(decision)
    await session.flush()
