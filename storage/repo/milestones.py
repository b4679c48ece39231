"""Milestones and their slips. Keyword-only, a session in, no Slack."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Milestone, MilestoneSlip
from storage.types import utcnow


async def create_milestone(
    session: AsyncSession,
    *,
    project_id: int,
    number: int,
    visibility: str,
    title: str,
    planned_on: date,
    created_by: str,
) -> Milestone:
    milestone = Milestone(
        project_id=project_id,
        number=number,
        visibility=visibility,
        title=title,
        planned_on=planned_on,
        forecast_on=planned_on,
        created_by=created_by,
    )
    session.add(milestone)
    await session.flush()
    return milestone


async def list_milestones(
    session: AsyncSession, *, project_id: int, open_only: bool = False
) -> list[Milestone]:
    """A project's live milestones, soonest forecast first."""
    query = select(Milestone).where(Milestone.project_id == project_id, col(Milestone.deleted_at).is_(None))
    if open_only:
        query = query.where(col(Milestone.done_on).is_(None))
    query = query.order_by(col(Milestone.forecast_on), col(Milestone.number))
    return list((await session.exec(query)).all())


async def update_milestone(
    session: AsyncSession, *, milestone: Milestone, changes: dict[str, Any]
) -> Milestone:
    for name, value in changes.items():
        setattr(milestone, name, value)
    milestone.updated_at = utcnow()
    session.add(milestone)
    await session.flush()
    return milestone


async def add_slip(
    session: AsyncSession, *, milestone_id: int, from_on: date, to_on: date, reason: str, by_user_id: str
) -> MilestoneSlip:
    slip = MilestoneSlip(
        milestone_id=milestone_id, from_on=from_on, to_on=to_on, reason=reason, by_user_id=by_user_id
    )
    session.add(slip)
    await session.flush()
    return slip


async def list_slips(session: AsyncSession, *, milestone_id: int) -> list[MilestoneSlip]:
    query = (
        select(MilestoneSlip)
        .where(MilestoneSlip.milestone_id == milestone_id)
        .order_by(col(MilestoneSlip.at), col(MilestoneSlip.id))
    )
    return list((await session.exec(query)).all())
