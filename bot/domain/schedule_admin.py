"""Creating and steering schedules from commands: validation, the policy, rows and the audit log."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain import schedules as engine
from bot.domain.records import Actor, load, log_change, number_for, require
from bot.errors import UsageError
from bot.policy import Action, Visibility
from bot.timeexpr import Recurrence, parse_duration, parse_recurrence
from storage.models import Occurrence, Project, Schedule
from storage.types import utcnow

MAX_LEAD = timedelta(hours=24)
MAX_GRACE = timedelta(hours=24)


@dataclass(frozen=True)
class ScheduleDraft:
    kind: str
    title: str
    rule: Recurrence
    lead: timedelta
    grace: timedelta
    visibility: Visibility
    options: dict[str, object]
    channel_id: str | None = None  # posts there instead of the project's channel for its visibility


async def read_rule(text: str, *, project: Project, now: datetime) -> Recurrence:
    """Parse a recurrence off the event loop, in the project's zone and holiday calendar."""
    return await asyncio.to_thread(
        parse_recurrence, text, tz=ZoneInfo(project.tz), now=now, country=project.holidays
    )


def read_lead(text: str | None) -> timedelta:
    if not text:
        return timedelta(0)
    lead = parse_duration(text)
    if lead >= MAX_LEAD:
        raise UsageError("sync.bad_lead", "cmd.sync.add.example")
    return lead


def read_grace(text: str | None) -> timedelta:
    if not text:
        return timedelta(hours=1)
    grace = parse_duration(text)
    if grace > MAX_GRACE:
        raise UsageError("sync.bad_grace", "cmd.sync.add.example")
    return grace


async def create_schedule(
    session: AsyncSession, actor: Actor, draft: ScheduleDraft, *, now: datetime
) -> Schedule:
    require(actor, Action.CREATE, f"cmd.{draft.kind}.add.example")
    schedule = Schedule(
        project_id=actor.project_id,
        number=await number_for(session, Schedule, actor.project_id),
        kind=draft.kind,
        title=draft.title,
        rule=draft.rule.to_dict(),
        lead_minutes=int(draft.lead.total_seconds() // 60),
        grace_minutes=int(draft.grace.total_seconds() // 60),
        visibility=draft.visibility.value,
        options=dict(draft.options),
        channel_id=draft.channel_id,
        active_since=now,
        created_by=actor.viewer.user_id,
    )
    session.add(schedule)
    await session.flush()
    await log_change(session, actor, f"{draft.kind}.create", schedule, {"rule": draft.rule.to_dict()})
    return schedule


async def load_schedule(
    session: AsyncSession, actor: Actor, ref: str, *, kind: str, action: Action
) -> Schedule:
    example = f"cmd.{kind}.{'pause' if action is Action.UPDATE else 'list'}.example"
    schedule = await load(session, Schedule, actor, ref, action=action, example=example)
    if schedule.kind != kind:
        raise UsageError("refs.not_found", example, ref=ref.strip().upper())
    return schedule


async def set_status(
    session: AsyncSession, actor: Actor, schedule: Schedule, status: str, *, now: datetime
) -> Schedule:
    if schedule.status == status or schedule.status == engine.CANCELLED:
        raise UsageError(
            "sync.already",
            f"cmd.{schedule.kind}.list.example",
            ref=f"S-{schedule.number}",
            status=schedule.status,
        )
    before = schedule.status
    schedule.status = status
    if status == engine.ACTIVE:
        schedule.active_since = now  # what fell due while paused is not "missed"
    schedule.updated_at = utcnow()
    session.add(schedule)
    await log_change(session, actor, f"{schedule.kind}.{status}", schedule, {"status": [before, status]})
    return schedule


async def skip_next(
    session: AsyncSession, actor: Actor, schedule: Schedule, *, now: datetime, instance: str
) -> datetime | None:
    skipped = await engine.skip_next(session, schedule=schedule, now=now, instance=instance)
    if skipped is not None:
        await log_change(
            session, actor, f"{schedule.kind}.skip", schedule, {"occurrence": skipped.isoformat()}
        )
    return skipped


async def list_schedules(session: AsyncSession, *, project_id: int, kind: str) -> list[Schedule]:
    query = (
        select(Schedule)
        .where(Schedule.project_id == project_id, Schedule.kind == kind, Schedule.status != engine.CANCELLED)
        .order_by(col(Schedule.number))
    )
    return list((await session.exec(query)).all())


@dataclass(frozen=True)
class Outcomes:
    last: Occurrence | None
    missed: int


async def outcomes(session: AsyncSession, *, schedule_id: int) -> Outcomes:
    recent = await engine.history(session, schedule_id=schedule_id, limit=50)
    done = [o for o in recent if o.status != engine.SKIPPED or o.occurs_at <= utcnow()]
    missed = sum(1 for o in recent if o.status == engine.MISSED)
    return Outcomes(last=done[0] if done else None, missed=missed)
