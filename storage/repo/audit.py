"""The audit log: every change to a project or its records is appended here in the same transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import AuditLog
from storage.types import utcnow

APPEND = insert(AuditLog)  # built once; the values go with each execution


def entry(
    *,
    workspace_id: int,
    project_id: int | None,
    actor_user_id: str,
    actor_team_id: str | None,
    action: str,
    record_ref: str | None = None,
    changes: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One audit row's values, stamped now: what `append` writes, or `records.insert_numbered` with its record."""
    return {
        "workspace_id": workspace_id,
        "project_id": project_id,
        "actor_user_id": actor_user_id,
        "actor_team_id": actor_team_id,
        "action": action,
        "record_ref": record_ref,
        "changes": changes or {},
        "at": utcnow(),
    }


async def append(session: AsyncSession, row: dict[str, Any]) -> None:
    """One prepared INSERT rather than an ORM object and a flush of its own (a share of every write command's
    CPU); what the session holds pending is flushed first, so the order of writes is as it was."""
    if session.new or session.dirty or session.deleted:
        await session.flush()
    connection = await session.connection()
    await connection.execute(APPEND, row)


async def list_audit(
    session: AsyncSession, *, project_id: int, record_ref: str | None = None, limit: int = 50
) -> list[AuditLog]:
    query = select(AuditLog).where(AuditLog.project_id == project_id)
    if record_ref is not None:
        query = query.where(AuditLog.record_ref == record_ref)
    query = query.order_by(col(AuditLog.at), col(AuditLog.id)).limit(limit)
    return list((await session.exec(query)).all())
