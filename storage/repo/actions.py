"""Action items: who does what by when."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import ActionItem, ActionReminder, Project, Workspace
from storage.types import utcnow

OPEN = "open"
DONE = "done"


# Within a day, items with a time come first, by time (NULLs sort differently on SQLite and PostgreSQL).
BY_TIME = (col(ActionItem.due_at).is_(None), col(ActionItem.due_at))


async def create_action(
    session: AsyncSession,
    *,
    project_id: int,
    number: int,
    visibility: str,
    text: str,
    created_by: str,
    owner_user_id: str | None = None,
    owner_team_id: str | None = None,
    owner_name: str | None = None,
    due_on: date | None = None,
    due_at: datetime | None = None,
    minutes_id: int | None = None,
) -> ActionItem:
    item = ActionItem(
        project_id=project_id,
        number=number,
        visibility=visibility,
        text=text,
        owner_user_id=owner_user_id,
        owner_team_id=owner_team_id,
        owner_name=owner_name,
        due_on=due_on,
        due_at=due_at,
        created_by=created_by,
        minutes_id=minutes_id,
    )
    session.add(item)
    await session.flush()
    return item


async def get_action(session: AsyncSession, *, action_id: int) -> ActionItem | None:
    item = await session.get(ActionItem, action_id)
    return item if item is not None and item.deleted_at is None else None


async def list_actions(
    session: AsyncSession,
    *,
    project_id: int,
    minutes_id: int | None = None,
    status: str | None = None,
    owner_user_id: str | None = None,
    due_before: date | None = None,
) -> list[ActionItem]:
    """Live action items; by due date (undated last), then number."""
    query = select(ActionItem).where(
        ActionItem.project_id == project_id, col(ActionItem.deleted_at).is_(None)
    )
    if minutes_id is not None:
        query = query.where(ActionItem.minutes_id == minutes_id)
    if status is not None:
        query = query.where(ActionItem.status == status)
    if owner_user_id is not None:
        query = query.where(ActionItem.owner_user_id == owner_user_id)
    if due_before is not None:
        query = query.where(col(ActionItem.due_on).is_not(None), col(ActionItem.due_on) < due_before)
    if minutes_id is not None:
        query = query.order_by(col(ActionItem.number))
    else:
        query = query.order_by(
            col(ActionItem.due_on).is_(None), col(ActionItem.due_on), *BY_TIME, col(ActionItem.number)
        )
    return list((await session.exec(query)).all())


async def list_for_minutes(session: AsyncSession, *, minutes_ids: list[int]) -> list[ActionItem]:
    if not minutes_ids:
        return []
    query = (
        select(ActionItem)
        .where(col(ActionItem.minutes_id).in_(minutes_ids), col(ActionItem.deleted_at).is_(None))
        .order_by(col(ActionItem.number))
    )
    return list((await session.exec(query)).all())


async def update_action(session: AsyncSession, *, item: ActionItem, changes: dict[str, Any]) -> ActionItem:
    for field, value in changes.items():
        setattr(item, field, value)
    item.updated_at = utcnow()
    session.add(item)
    await session.flush()
    return item


async def delete_action(session: AsyncSession, *, item: ActionItem, at: datetime) -> None:
    item.deleted_at = at
    item.updated_at = utcnow()
    session.add(item)
    await session.flush()


# A reminder goes out at most a few weeks before the due date (the working day before, across a long holiday).
REMINDER_HORIZON = timedelta(days=21)


async def reminder_candidates(
    session: AsyncSession, *, now: datetime
) -> list[tuple[ActionItem, Project, str]]:
    """Open, dated items that may have a reminder due around `now`, with their project and its home team."""
    query = (
        select(ActionItem, Project, Workspace.team_id)
        .join(Project, col(Project.id) == col(ActionItem.project_id))
        .join(Workspace, col(Workspace.id) == col(Project.workspace_id))
        .where(
            ActionItem.status == OPEN,
            col(ActionItem.deleted_at).is_(None),
            col(ActionItem.due_on).is_not(None),
            col(ActionItem.due_on) >= (now - timedelta(days=2)).date(),
            col(ActionItem.due_on) <= (now + REMINDER_HORIZON).date(),
        )
        .order_by(col(ActionItem.id))
    )
    return [(item, project, str(team)) for item, project, team in (await session.exec(query)).all()]


async def claimed_reminders(
    session: AsyncSession, *, action_ids: list[int], on_or_after: date
) -> set[tuple[int, str, date]]:
    """(item, kind, due date) of the reminders already claimed for these items, so a scan skips them."""
    if not action_ids:
        return set()
    query = select(col(ActionReminder.action_id), col(ActionReminder.kind), col(ActionReminder.due_on)).where(
        col(ActionReminder.action_id).in_(action_ids), col(ActionReminder.due_on) >= on_or_after
    )
    return {(a, k, d) for a, k, d in (await session.exec(query)).all()}


async def claim_reminder(
    session: AsyncSession, *, action_id: int, kind: str, due_on: date, claimed_by: str
) -> bool:
    """One INSERT … ON CONFLICT DO NOTHING on the (item, kind, due date) key: True for the one that wins."""
    connection = await session.connection()
    insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
    statement = (
        insert(ActionReminder)
        .values(action_id=action_id, kind=kind, due_on=due_on, claimed_by=claimed_by, sent_at=utcnow())
        .on_conflict_do_nothing()
    )
    result = await connection.execute(statement)
    return bool(result.rowcount == 1)
