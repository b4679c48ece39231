"""What a close-out report is drawn from: every live record of a project, of each kind it summarises."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import (
    ActionItem,
    AuditLog,
    ChangeRequest,
    CheckinAnswer,
    Issue,
    Lesson,
    Milestone,
    Pulse,
    PulseAnswer,
    Risk,
)

T = TypeVar("T", Milestone, ChangeRequest, Risk, Issue, ActionItem, Lesson)


async def live(session: AsyncSession, model: type[T], *, project_id: int) -> list[T]:
    """A project's records of one kind that are not deleted, by number."""
    table: Any = model
    query = (
        select(model)
        .where(table.project_id == project_id, col(table.deleted_at).is_(None))
        .order_by(col(table.number))
    )
    return list((await session.exec(query)).all())


async def checkin_answers(session: AsyncSession, *, project_id: int) -> list[CheckinAnswer]:
    """Every check-in prompt and answer of a project (a row per person asked)."""
    query = (
        select(CheckinAnswer).where(CheckinAnswer.project_id == project_id).order_by(col(CheckinAnswer.id))
    )
    return list((await session.exec(query)).all())


async def pulses_with_answers(
    session: AsyncSession, *, project_id: int
) -> list[tuple[Pulse, list[PulseAnswer]]]:
    """A project's pulses, oldest first, each with its answers."""
    found = list(
        (
            await session.exec(
                select(Pulse)
                .where(Pulse.project_id == project_id)
                .order_by(col(Pulse.opens_at), col(Pulse.id))
            )
        ).all()
    )
    ids = [p.id for p in found if p.id is not None]
    by_pulse: dict[int, list[PulseAnswer]] = {i: [] for i in ids}
    if ids:
        query = select(PulseAnswer).where(col(PulseAnswer.pulse_id).in_(ids)).order_by(col(PulseAnswer.id))
        for answer in (await session.exec(query)).all():
            by_pulse[answer.pulse_id].append(answer)
    return [(p, by_pulse.get(p.id or 0, [])) for p in found]


async def last_logged(session: AsyncSession, *, project_id: int, action: str) -> int | None:
    """The id of the project's latest audit entry for `action` (ids grow: they order entries), if any."""
    query = (
        select(AuditLog.id)
        .where(AuditLog.project_id == project_id, AuditLog.action == action)
        .order_by(col(AuditLog.id).desc())
        .limit(1)
    )
    return (await session.exec(query)).first()
