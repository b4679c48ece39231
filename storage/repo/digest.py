"""Queries for digests and the App Home: one project and one period at a time, never whole tables.

Each query is bounded by the project and a time range or status that an index covers:
`(project_id, updated_at)` on every record kind (a record created or finished in a period was also
updated in it, so `updated_at >= start` narrows the scan before the exact test), `(project_id, status)` on
risks, `(project_id, forecast_on)` on milestones, `(owner_user_id, status)` on action items and
`(project_id, at)` on digest deliveries. Soft-deleted records are left out everywhere.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlmodel import col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import (
    ActionItem,
    CheckinAnswer,
    Decision,
    DigestDelivery,
    Milestone,
    MilestoneSlip,
    Minutes,
    Project,
    Risk,
    Stakeholder,
)
from storage.repo.actions import BY_TIME
from storage.repo.agenda import open_actions_due_by, open_risks_by_score

LIMIT = 200  # per list: far more than a digest shows, so "and N more" is exact in any real project

__all__ = ["open_actions_due_by", "open_risks_by_score"]


# ---- deliveries ---------------------------------------------------------------------------------------


async def last_delivery(session: AsyncSession, *, project_id: int, audience: str) -> DigestDelivery | None:
    """The last digest of this audience that was actually posted."""
    query = (
        select(DigestDelivery)
        .where(
            DigestDelivery.project_id == project_id,
            DigestDelivery.audience == audience,
            DigestDelivery.status == "posted",
        )
        .order_by(col(DigestDelivery.at).desc(), col(DigestDelivery.id).desc())
        .limit(1)
    )
    return (await session.exec(query)).first()


async def record_delivery(session: AsyncSession, **values: Any) -> DigestDelivery:
    row = DigestDelivery(**values)
    session.add(row)
    await session.flush()
    return row


async def find_scheduled_delivery(
    session: AsyncSession, *, schedule_id: int, period_end: datetime
) -> DigestDelivery | None:
    """The delivery row of one occurrence of a schedule (its period ends at the occurrence)."""
    query = select(DigestDelivery).where(
        DigestDelivery.schedule_id == schedule_id, DigestDelivery.period_end == period_end
    )
    return (await session.exec(query)).first()


async def list_deliveries(session: AsyncSession, *, project_id: int, limit: int = 20) -> list[DigestDelivery]:
    query = (
        select(DigestDelivery)
        .where(DigestDelivery.project_id == project_id)
        .order_by(col(DigestDelivery.at).desc(), col(DigestDelivery.id).desc())
        .limit(limit)
    )
    return list((await session.exec(query)).all())


# ---- milestones ---------------------------------------------------------------------------------------


async def open_milestones(session: AsyncSession, *, project_id: int, limit: int = LIMIT) -> list[Milestone]:
    query = (
        select(Milestone)
        .where(
            Milestone.project_id == project_id,
            col(Milestone.done_on).is_(None),
            col(Milestone.deleted_at).is_(None),
        )
        .order_by(col(Milestone.forecast_on), col(Milestone.number))
        .limit(limit)
    )
    return list((await session.exec(query)).all())


async def milestones_done_between(
    session: AsyncSession,
    *,
    project_id: int,
    start: datetime,
    first_day: date,
    last_day: date,
    limit: int = LIMIT,
) -> list[Milestone]:
    """Marked done within the period: updated since it began, with a done date (a local day) inside it."""
    query = (
        select(Milestone)
        .where(
            Milestone.project_id == project_id,
            col(Milestone.updated_at) >= start,
            col(Milestone.done_on).is_not(None),
            col(Milestone.done_on) >= first_day,
            col(Milestone.done_on) <= last_day,
            col(Milestone.deleted_at).is_(None),
        )
        .order_by(col(Milestone.done_on).desc(), col(Milestone.number))
        .limit(limit)
    )
    return list((await session.exec(query)).all())


async def slips_between(
    session: AsyncSession, *, project_id: int, start: datetime, end: datetime, limit: int = LIMIT
) -> list[tuple[MilestoneSlip, Milestone]]:
    """Forecast moves within the period (a slip updates its milestone, so the milestone index narrows it)."""
    query = (
        select(MilestoneSlip, Milestone)
        .join(Milestone, Milestone.id == MilestoneSlip.milestone_id)  # type: ignore[arg-type]
        .where(
            Milestone.project_id == project_id,
            col(Milestone.updated_at) >= start,
            col(Milestone.deleted_at).is_(None),
            col(MilestoneSlip.at) >= start,
            col(MilestoneSlip.at) < end,
        )
        .order_by(col(MilestoneSlip.at))
        .limit(limit)
    )
    return [(slip, milestone) for slip, milestone in (await session.exec(query)).all()]


# ---- action items, risks, decisions, minutes ------------------------------------------------------------


async def actions_done_between(
    session: AsyncSession, *, project_id: int, start: datetime, end: datetime, limit: int = LIMIT
) -> list[ActionItem]:
    query = (
        select(ActionItem)
        .where(
            ActionItem.project_id == project_id,
            col(ActionItem.updated_at) >= start,
            ActionItem.status == "done",
            col(ActionItem.done_at) >= start,
            col(ActionItem.done_at) < end,
            col(ActionItem.deleted_at).is_(None),
        )
        .order_by(col(ActionItem.done_at), col(ActionItem.number))
        .limit(limit)
    )
    return list((await session.exec(query)).all())


async def risks_closed_between(
    session: AsyncSession, *, project_id: int, start: datetime, end: datetime, limit: int = LIMIT
) -> list[Risk]:
    query = (
        select(Risk)
        .where(
            Risk.project_id == project_id,
            Risk.status == "closed",
            col(Risk.closed_at) >= start,
            col(Risk.closed_at) < end,
            col(Risk.deleted_at).is_(None),
        )
        .order_by(col(Risk.closed_at), col(Risk.number))
        .limit(limit)
    )
    return list((await session.exec(query)).all())


async def decisions_between(
    session: AsyncSession, *, project_id: int, start: datetime, end: datetime, limit: int = LIMIT
) -> list[Decision]:
    query = (
        select(Decision)
        .where(
            Decision.project_id == project_id,
            col(Decision.updated_at) >= start,
            col(Decision.created_at) >= start,
            col(Decision.created_at) < end,
            col(Decision.deleted_at).is_(None),
        )
        .order_by(col(Decision.number))
        .limit(limit)
    )
    return list((await session.exec(query)).all())


async def minutes_between(
    session: AsyncSession, *, project_id: int, start: datetime, end: datetime, limit: int = LIMIT
) -> list[Minutes]:
    query = (
        select(Minutes)
        .where(
            Minutes.project_id == project_id,
            col(Minutes.updated_at) >= start,
            col(Minutes.created_at) >= start,
            col(Minutes.created_at) < end,
            col(Minutes.deleted_at).is_(None),
        )
        .order_by(col(Minutes.number))
        .limit(limit)
    )
    return list((await session.exec(query)).all())


async def minutes_awaiting_confirmation(
    session: AsyncSession, *, project_id: int, limit: int = LIMIT
) -> list[Minutes]:
    """Sent to the client and either never confirmed or changed since it was confirmed."""
    query = (
        select(Minutes)
        .where(
            Minutes.project_id == project_id,
            col(Minutes.sent_hash).is_not(None),
            or_(col(Minutes.confirmed_hash).is_(None), col(Minutes.changed_since_confirmed).is_(True)),
            col(Minutes.deleted_at).is_(None),
        )
        .order_by(col(Minutes.number))
        .limit(limit)
    )
    return list((await session.exec(query)).all())


async def checkins_answered_between(
    session: AsyncSession, *, project_id: int, start: datetime, end: datetime, limit: int = LIMIT
) -> list[CheckinAnswer]:
    query = (
        select(CheckinAnswer)
        .where(
            CheckinAnswer.project_id == project_id,
            col(CheckinAnswer.answered_at) >= start,
            col(CheckinAnswer.answered_at) < end,
        )
        .order_by(col(CheckinAnswer.answered_at))
        .limit(limit)
    )
    return list((await session.exec(query)).all())


# ---- one person, across projects (App Home) ---------------------------------------------------------------


async def open_actions_owned_by(
    session: AsyncSession, *, workspace_id: int, user_id: str, limit: int = 50
) -> list[tuple[ActionItem, Project]]:
    query = (
        select(ActionItem, Project)
        .join(Project, Project.id == ActionItem.project_id)  # type: ignore[arg-type]
        .where(
            ActionItem.owner_user_id == user_id,
            ActionItem.status == "open",
            col(ActionItem.deleted_at).is_(None),
            Project.workspace_id == workspace_id,
        )
        .order_by(col(ActionItem.due_on).is_(None), col(ActionItem.due_on), *BY_TIME, col(ActionItem.id))
        .limit(limit)
    )
    return [(item, project) for item, project in (await session.exec(query)).all()]


async def pending_checkins_for(
    session: AsyncSession, *, workspace_id: int, user_id: str, since: datetime, limit: int = 20
) -> list[tuple[CheckinAnswer, Project]]:
    """Check-ins this person was asked for (recently) and has not answered."""
    query = (
        select(CheckinAnswer, Project)
        .join(Project, Project.id == CheckinAnswer.project_id)  # type: ignore[arg-type]
        .where(
            CheckinAnswer.user_id == user_id,
            col(CheckinAnswer.answered_at).is_(None),
            or_(col(CheckinAnswer.prompted_at).is_(None), col(CheckinAnswer.prompted_at) >= since),
            Project.workspace_id == workspace_id,
        )
        .order_by(col(CheckinAnswer.id).desc())
        .limit(limit)
    )
    return [(answer, project) for answer, project in (await session.exec(query)).all()]


async def projects_of_user(
    session: AsyncSession, *, workspace_id: int, user_id: str, limit: int = 10
) -> list[Project]:
    """Projects a person set up, or where they own open action items or risks, were asked to check in, are
    in the stakeholder register, or are named to approve (a client approver with nothing else to do there
    still has sign-offs waiting for them)."""
    ids: set[int] = set()
    owned_actions = select(ActionItem.project_id).where(
        ActionItem.owner_user_id == user_id, ActionItem.status == "open", col(ActionItem.deleted_at).is_(None)
    )
    owned_risks = select(Risk.project_id).where(
        Risk.owner_user_id == user_id, Risk.status == "open", col(Risk.deleted_at).is_(None)
    )
    asked = select(CheckinAnswer.project_id).where(CheckinAnswer.user_id == user_id)
    registered = select(Stakeholder.project_id).where(Stakeholder.user_id == user_id)
    for query in (owned_actions, owned_risks, asked, registered):
        ids.update(int(pid) for pid in (await session.exec(query.distinct().limit(limit * 5))).all())
    with_approvers = select(Project.id, Project.approvers).where(Project.workspace_id == workspace_id)
    for pid, approvers in (await session.exec(with_approvers)).all():  # a JSON list: no portable index
        if pid is not None and user_id in (approvers or []):
            ids.add(int(pid))
    found = (
        select(Project)
        .where(
            Project.workspace_id == workspace_id, or_(Project.created_by == user_id, col(Project.id).in_(ids))
        )
        .order_by(col(Project.id))
        .limit(limit)
    )
    return list((await session.exec(found)).all())


# ---- any kind's open records (kinds a digest and App Home list generically: bot/domain/kinds.py) ---------


async def open_records(
    session: AsyncSession,
    model: type[Any],
    *,
    project_id: int,
    status_field: str,
    open_values: tuple[str, ...],
    limit: int = LIMIT,
) -> list[Any]:
    """A project's open, live records of one kind, oldest first (ranked by the caller)."""
    table: Any = model
    query = (
        select(model)
        .where(
            table.project_id == project_id,
            getattr(table, status_field).in_(open_values),
            table.deleted_at.is_(None),
        )
        .order_by(table.number)
        .limit(limit)
    )
    return list((await session.exec(query)).all())


async def open_records_owned_by(
    session: AsyncSession,
    model: type[Any],
    *,
    workspace_id: int,
    user_id: str,
    owner_field: str,
    status_field: str,
    open_values: tuple[str, ...],
    limit: int = 50,
) -> list[tuple[Any, Project]]:
    """A person's open records of one kind across the workspace's projects, with each one's project."""
    table: Any = model
    query = (
        select(model, Project)
        .join(Project, Project.id == table.project_id)
        .where(
            getattr(table, owner_field) == user_id,
            getattr(table, status_field).in_(open_values),
            table.deleted_at.is_(None),
            Project.workspace_id == workspace_id,
        )
        .order_by(table.project_id, table.number)
        .limit(limit)
    )
    return [(record, project) for record, project in (await session.exec(query)).all()]
