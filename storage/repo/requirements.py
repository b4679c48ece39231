"""Requirements, the change requests that allow changing a baselined one, and what each baseline held.
Keyword-only, no Slack."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import AuditLog, ChangeRequest, Requirement
from storage.types import utcnow


async def create_requirement(
    session: AsyncSession,
    *,
    project_id: int,
    number: int,
    visibility: str,
    text: str,
    priority: str,
    created_by: str,
) -> Requirement:
    requirement = Requirement(
        project_id=project_id,
        number=number,
        visibility=visibility,
        text=text,
        priority=priority,
        created_by=created_by,
    )
    session.add(requirement)
    await session.flush()
    return requirement


async def list_requirements(session: AsyncSession, *, project_id: int) -> list[Requirement]:
    """Live requirements of a project, by number."""
    query = (
        select(Requirement)
        .where(Requirement.project_id == project_id, col(Requirement.deleted_at).is_(None))
        .order_by(col(Requirement.number))
    )
    return list((await session.exec(query)).all())


async def update_requirement(
    session: AsyncSession, *, requirement: Requirement, changes: dict[str, Any]
) -> Requirement:
    for name, value in changes.items():
        setattr(requirement, name, value)
    requirement.updated_at = utcnow()
    session.add(requirement)
    await session.flush()
    return requirement


async def delete_requirement(session: AsyncSession, *, requirement: Requirement, at: datetime) -> None:
    requirement.deleted_at = at
    requirement.updated_at = utcnow()
    session.add(requirement)
    await session.flush()


async def approved_changes(session: AsyncSession, *, project_id: int) -> list[ChangeRequest]:
    """Change requests the client approved, oldest first (what each affects is read by the caller)."""
    query = (
        select(ChangeRequest)
        .where(
            ChangeRequest.project_id == project_id,
            ChangeRequest.status == "approved",
            col(ChangeRequest.deleted_at).is_(None),
        )
        .order_by(col(ChangeRequest.number))
    )
    return list((await session.exec(query)).all())


async def sent_items(session: AsyncSession, *, project_id: int, action: str, version: int) -> dict[str, str]:
    """What version `version` of a baseline held ({"RQ-3": sha256 of its text}), from its audit entry."""
    query = (
        select(AuditLog)
        .where(AuditLog.project_id == project_id, AuditLog.action == action)
        .order_by(col(AuditLog.id).desc())
    )
    for entry in (await session.exec(query)).all():
        if entry.changes.get("version") == version:
            items = entry.changes.get("requirements") or {}
            return {str(ref): str(digest) for ref, digest in items.items()}
    return {}
