"""The sync reminder's agenda: open action items due before the next sync, the top open risks, and the
milestones coming up in the next two weeks, each only as the place the reminder goes to may show."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain import schedules as engine
from bot.domain.actions import overdue_days
from bot.policy import Place, visible_in
from storage.models import ActionItem, Milestone, Risk, Schedule
from storage.repo import agenda

MILESTONE_DAYS = 14  # milestones forecast this many days ahead are on the agenda
NO_NEXT_SYNC = timedelta(days=7)  # the horizon for action items when no further sync is planned


@dataclass(frozen=True)
class Agenda:
    actions: Sequence[ActionItem]
    risks: Sequence[Risk]
    milestones: Sequence[Milestone]
    overdue: Mapping[int, int] = field(default_factory=dict)  # action item id → days overdue, as posted


def horizon_of(schedule: Schedule, *, occurs_at: datetime, tz: str) -> date:
    """The local day of the following sync (a week on when there is none): items due by then are listed."""
    following = engine.upcoming(schedule, after=occurs_at, count=1)
    return (following[0] if following else occurs_at + NO_NEXT_SYNC).astimezone(ZoneInfo(tz)).date()


async def agenda_for(
    session: AsyncSession,
    place: Place,
    *,
    schedule: Schedule,
    occurs_at: datetime,
    tz: str,
    now: datetime | None = None,
) -> Agenda:
    """The agenda of one occurrence of a sync, filtered for `place` by the access policy; items past due at
    `now` (when the reminder is posted; the sync's time when not given) are counted as overdue."""
    project_id = schedule.project_id
    today = occurs_at.astimezone(ZoneInfo(tz)).date()
    horizon = horizon_of(schedule, occurs_at=occurs_at, tz=tz)
    actions = visible_in(place, await agenda.open_actions_due_by(session, project_id=project_id, by=horizon))
    as_of = occurs_at if now is None else now
    late = {
        a.id: d for a in actions if a.id is not None and (d := overdue_days(a, now=as_of, tz=tz)) is not None
    }
    return Agenda(
        actions=actions,
        overdue=late,
        risks=visible_in(place, await agenda.open_risks_by_score(session, project_id=project_id)),
        milestones=visible_in(
            place,
            await agenda.milestones_due_between(
                session, project_id=project_id, start=today, end=today + timedelta(days=MILESTONE_DAYS)
            ),
        ),
    )
