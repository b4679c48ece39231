"""Issues and questions (I-n): create, list, change, and the exactly-once claims. Keyword-only, a session in,
no Slack."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import col, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import ActionItem, Issue, Project
from storage.types import utcnow


async def create_issue(session: AsyncSession, **fields: Any) -> Issue:
    issue = Issue(**fields)
    session.add(issue)
    await session.flush()
    return issue


async def get_issue(session: AsyncSession, *, issue_id: int) -> Issue | None:
    return await session.get(Issue, issue_id)


async def list_issues(
    session: AsyncSession, *, project_id: int, status: str | None = None, owner_user_id: str | None = None
) -> list[Issue]:
    """A project's live issues, optionally by status and owner, in number order."""
    query = select(Issue).where(Issue.project_id == project_id, col(Issue.deleted_at).is_(None))
    if status is not None:
        query = query.where(Issue.status == status)
    if owner_user_id is not None:
        query = query.where(Issue.owner_user_id == owner_user_id)
    return list((await session.exec(query.order_by(col(Issue.number)))).all())


async def update_issue(session: AsyncSession, *, issue: Issue, changes: dict[str, Any]) -> Issue:
    for name, value in changes.items():
        setattr(issue, name, value)
    issue.updated_at = utcnow()
    session.add(issue)
    await session.flush()
    return issue


async def claim_first_response(session: AsyncSession, *, issue_id: int, now: datetime) -> bool:
    """Stamp the team's first response once; later responses leave it as it was."""
    result = await session.exec(
        update(Issue)
        .where(col(Issue.id) == issue_id, col(Issue.first_response_at).is_(None))
        .values(first_response_at=now)
    )
    return bool(result.rowcount == 1)


async def escalation_candidates(session: AsyncSession, *, limit: int = 1000) -> list[tuple[Issue, Project]]:
    """Open issues never escalated, with their project, oldest first (every project's)."""
    query = (
        select(Issue, Project)
        .join(Project, col(Project.id) == col(Issue.project_id))
        .where(Issue.status == "open", col(Issue.escalated_at).is_(None), col(Issue.deleted_at).is_(None))
        .order_by(col(Issue.created_at), col(Issue.id))
        .limit(limit)
    )
    return [(issue, project) for issue, project in (await session.exec(query)).all()]


async def claim_escalation(session: AsyncSession, *, issue_id: int, now: datetime) -> bool:
    """One conditional UPDATE: only the process whose update changed the row posts the escalation."""
    result = await session.exec(
        update(Issue)
        .where(col(Issue.id) == issue_id, col(Issue.escalated_at).is_(None), col(Issue.status) == "open")
        .values(escalated_at=now)
    )
    return bool(result.rowcount == 1)


async def open_actions_of(session: AsyncSession, *, project_id: int, user_id: str) -> list[ActionItem]:
    """A person's open action items in a project, earliest due first (the panel's "What's waiting for me")."""
    query = select(ActionItem).where(
        ActionItem.project_id == project_id,
        ActionItem.owner_user_id == user_id,
        ActionItem.status == "open",
        col(ActionItem.deleted_at).is_(None),
    )
    found = list((await session.exec(query.order_by(col(ActionItem.number)))).all())
    return sorted(found, key=lambda a: (a.due_on is None, a.due_on, a.number))
