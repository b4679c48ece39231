"""Lessons learned (L-n), the people asked for them, and the schedules archiving pauses."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import (
    ActionItem,
    AuditLog,
    CheckinAnswer,
    Issue,
    Lesson,
    Project,
    Risk,
    Schedule,
    Workspace,
)
from storage.types import utcnow


async def create_lesson(
    session: AsyncSession,
    *,
    project_id: int,
    number: int,
    visibility: str,
    text: str,
    kind: str,
    source: str,
    created_by: str,
) -> Lesson:
    lesson = Lesson(
        project_id=project_id,
        number=number,
        visibility=visibility,
        text=text,
        kind=kind,
        source=source,
        created_by=created_by,
    )
    session.add(lesson)
    await session.flush()
    return lesson


async def list_lessons(session: AsyncSession, *, project_id: int) -> list[Lesson]:
    """Live lessons of a project, in the order they were recorded."""
    query = (
        select(Lesson)
        .where(Lesson.project_id == project_id, col(Lesson.deleted_at).is_(None))
        .order_by(col(Lesson.number))
    )
    return list((await session.exec(query)).all())


async def update_lesson(session: AsyncSession, *, lesson: Lesson, changes: dict[str, Any]) -> Lesson:
    for field, value in changes.items():
        setattr(lesson, field, value)
    lesson.updated_at = utcnow()
    session.add(lesson)
    await session.flush()
    return lesson


async def delete_lesson(session: AsyncSession, *, lesson: Lesson, at: datetime) -> None:
    lesson.deleted_at = at
    lesson.updated_at = utcnow()
    session.add(lesson)
    await session.flush()


# ---- who is on the team ---------------------------------------------------------------------------------


async def team_members(session: AsyncSession, *, project: Project, ignore: frozenset[str]) -> list[str]:
    """User ids of the project's own people (its workspace's team), in the order first found.

    Who set the project up; whoever the audit log shows acting on it from the project's workspace; team
    owners of its action items, risks and issues; and who answered one of its check-ins as the team. Client
    people (another organisation) and `ignore` (the bot's own audit name) are left out.
    """
    assert project.id is not None
    home = (await session.exec(select(Workspace.team_id).where(Workspace.id == project.workspace_id))).one()
    found: list[str] = [project.created_by]
    actors = select(AuditLog.actor_user_id).where(
        AuditLog.project_id == project.id, AuditLog.actor_team_id == home
    )
    found += list((await session.exec(actors.order_by(col(AuditLog.id)))).all())
    for model in (ActionItem, Risk, Issue):
        owners = select(model.owner_user_id).where(
            model.project_id == project.id,
            model.owner_team_id == home,
            col(model.deleted_at).is_(None),
            col(model.owner_user_id).is_not(None),
        )
        found += [str(u) for u in (await session.exec(owners.order_by(col(model.id)))).all()]
    answered = select(CheckinAnswer.user_id).where(
        CheckinAnswer.project_id == project.id,
        col(CheckinAnswer.answered_at).is_not(None),
        col(CheckinAnswer.by_client).is_(False),
    )
    found += list((await session.exec(answered.order_by(col(CheckinAnswer.id)))).all())
    return [u for u in dict.fromkeys(found) if u and u not in ignore]


# ---- schedules paused by archiving -------------------------------------------------------------------


async def schedules_of(session: AsyncSession, *, project_id: int) -> list[Schedule]:
    query = select(Schedule).where(Schedule.project_id == project_id).order_by(col(Schedule.number))
    return list((await session.exec(query)).all())
