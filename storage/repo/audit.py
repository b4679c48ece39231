"""The audit log: every change to a project or its records is appended here in the same transaction."""

from __future__ import annotations

from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import AuditLog


async def record_audit(
    session: AsyncSession,
    *,
    workspace_id: int,
    project_id: int | None,
    actor_user_id: str,
    actor_team_id: str | None,
    action: str,
    record_ref: str | None = None,
    changes: dict[str, Any] | None = None,
) -> AuditLog:
    entry = AuditLog(
        workspace_id=workspace_id,
        project_id=project_id,
        actor_user_id=actor_user_id,
        actor_team_id=actor_team_id,
        action=action,
        record_ref=record_ref,
        changes=changes or {},
    )
    session.add(entry)
    await session.flush()
    return entry


async def list_audit(
    session: AsyncSession, *, project_id: int, record_ref: str | None = None, limit: int = 50
) -> list[AuditLog]:
    query = select(AuditLog).where(AuditLog.project_id == project_id)
    if record_ref is not None:
        query = query.where(AuditLog.record_ref == record_ref)
    query = query.order_by(col(AuditLog.at), col(AuditLog.id)).limit(limit)
    return list((await session.exec(query)).all())
