"""Read-only queries for agendas and summaries: what is open, at risk and coming up in a project."""

from __future__ import annotations

from datetime import date

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import ActionItem, Milestone, Risk
from storage.repo.actions import BY_TIME


async def open_actions_due_by(
    session: AsyncSession, *, project_id: int, by: date, limit: int = 50
) -> list[ActionItem]:
    query = (
        select(ActionItem)
        .where(
            ActionItem.project_id == project_id,
            ActionItem.status == "open",
            col(ActionItem.deleted_at).is_(None),
            col(ActionItem.due_on).is_not(None),
            col(ActionItem.due_on) <= by,
        )
        .order_by(col(ActionItem.due_on), *BY_TIME, col(ActionItem.number))
        .limit(limit)
    )
    return list((await session.exec(query)).all())


async def open_risks_by_score(session: AsyncSession, *, project_id: int, limit: int = 50) -> list[Risk]:
    score = col(Risk.probability) * col(Risk.impact)
    query = (
        select(Risk)
        .where(Risk.project_id == project_id, Risk.status == "open", col(Risk.deleted_at).is_(None))
        .order_by(score.desc(), col(Risk.number))
        .limit(limit)
    )
    return list((await session.exec(query)).all())


async def milestones_due_between(
    session: AsyncSession, *, project_id: int, start: date, end: date, limit: int = 50
) -> list[Milestone]:
    query = (
        select(Milestone)
        .where(
            Milestone.project_id == project_id,
            col(Milestone.done_on).is_(None),
            col(Milestone.deleted_at).is_(None),
            col(Milestone.forecast_on) <= end,
            col(Milestone.forecast_on) >= start,
        )
        .order_by(col(Milestone.forecast_on))
        .limit(limit)
    )
    return list((await session.exec(query)).all())
