"""Risks: create, list, change. Keyword-only, a session in, no Slack."""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar

from sqlmodel import SQLModel, col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import AuditLog, Risk
from storage.repo.records import get_by_number, insert_numbered, new_record
from storage.types import utcnow

T = TypeVar("T", bound=SQLModel)


async def create_risk(
    session: AsyncSession,
    *,
    project_id: int,
    visibility: str,
    title: str,
    probability: int,
    impact: int,
    owner_user_id: str | None,
    owner_team_id: str | None,
    owner_name: str | None,
    due_on: date | None,
    strategy: str,
    response: str,
    created_by: str,
    request_key: str,
    kind: str,
    audit: dict[str, Any] | None = None,
) -> Risk | None:
    """Numbered as the next `kind` in its project, with `audit` (the change's audit row) written with it; None
    when the request was claimed already (`insert_numbered`)."""
    risk = new_record(
        Risk,
        project_id=project_id,
        number=0,  # the next of its kind, given as it is written
        visibility=visibility,
        title=title,
        probability=probability,
        impact=impact,
        owner_user_id=owner_user_id,
        owner_team_id=owner_team_id,
        owner_name=owner_name,
        due_on=due_on,
        strategy=strategy,
        response=response,
        created_by=created_by,
    )
    return await insert_numbered(session, risk, key=request_key, kind=kind, audit=audit)


async def list_risks(
    session: AsyncSession,
    *,
    project_id: int,
    status: str | None = None,
    owner_user_id: str | None = None,
    search: str | None = None,
) -> list[Risk]:
    """A project's live risks, optionally by status, owner, or words in the title or response."""
    query = select(Risk).where(Risk.project_id == project_id, col(Risk.deleted_at).is_(None))
    if status is not None:
        query = query.where(Risk.status == status)
    if owner_user_id is not None:
        query = query.where(Risk.owner_user_id == owner_user_id)
    if search:
        needle = search.lower()
        query = query.where(
            func.lower(col(Risk.title)).contains(needle, autoescape=True)
            | func.lower(col(Risk.response)).contains(needle, autoescape=True)
        )
    query = query.order_by(col(Risk.number))
    return list((await session.exec(query)).all())


async def update_risk(session: AsyncSession, *, risk: Risk, changes: dict[str, Any]) -> Risk:
    for name, value in changes.items():
        setattr(risk, name, value)
    risk.updated_at = utcnow()
    session.add(risk)
    await session.flush()
    return risk


async def find_created_by_request(
    session: AsyncSession, model: type[T], *, project_id: int, action: str, request_key: str
) -> T | None:
    """The record an earlier delivery of the same request created (its audit entry names the request)."""
    query = (
        select(AuditLog)
        .where(AuditLog.project_id == project_id, AuditLog.action == action)
        .order_by(col(AuditLog.id).desc())
        .limit(50)
    )
    for entry in (await session.exec(query)).all():
        if entry.changes.get("request") == request_key and entry.record_ref:
            number = entry.record_ref.rsplit("-", 1)[-1]
            if number.isdecimal():
                return await get_by_number(session, model, project_id=project_id, number=int(number))
    return None
