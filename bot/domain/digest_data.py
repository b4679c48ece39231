"""What a digest is made from, and what is kept of each one sent: the database side of `bot.domain.digest`.

`bot.domain.digest` composes from records already loaded and stays pure; this module loads them (by
indexed, bounded queries), works out the period the next digest covers from the deliveries recorded, and
records each delivery, posted or failed. Handlers open the session and do the Slack side.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain import kinds, pulses, signoff
from bot.domain.digest import (
    SOON_DAYS,
    Digest,
    DigestAudience,
    DigestData,
    Lens,
    Period,
    compose,
    period_since,
    today_of,
)
from bot.i18n import normalise_lang
from storage.models import DigestDelivery, Project, Workspace
from storage.repo import digest as repo

POSTED, FAILED = "posted", "failed"
MAX_ERROR = 1000  # DigestDelivery.error's length


async def home_team_of(session: AsyncSession, project: Project) -> str:
    """The Slack team the project's workspace is: anyone from another team is the client's."""
    workspace = await session.get(Workspace, project.workspace_id)
    assert workspace is not None
    return workspace.team_id


async def load_data(
    session: AsyncSession,
    project: Project,
    *,
    period: Period,
    home_team_id: str,
    previous: dict[str, Any] | None = None,
) -> DigestData:
    """Everything a digest of this project and period may draw on, by indexed, bounded queries."""
    assert project.id is not None
    pid = project.id
    today = today_of(period, project.tz)
    first_day = period.start.astimezone(ZoneInfo(project.tz)).date()
    return DigestData(
        project_name=project.name,
        client_name=project.client_name,
        lang=normalise_lang(project.lang),
        tz=project.tz,
        home_team_id=home_team_id,
        period=period,
        open_milestones=await repo.open_milestones(session, project_id=pid),
        done_milestones=await repo.milestones_done_between(
            session, project_id=pid, start=period.start, first_day=first_day, last_day=today
        ),
        slips=await repo.slips_between(session, project_id=pid, start=period.start, end=period.end),
        actions_done=await repo.actions_done_between(
            session, project_id=pid, start=period.start, end=period.end
        ),
        actions_open_due=await repo.open_actions_due_by(
            session, project_id=pid, by=today + timedelta(days=SOON_DAYS), limit=repo.LIMIT
        ),
        open_risks=await repo.open_risks_by_score(session, project_id=pid, limit=repo.LIMIT),
        closed_risks=await repo.risks_closed_between(
            session, project_id=pid, start=period.start, end=period.end
        ),
        decisions=await repo.decisions_between(session, project_id=pid, start=period.start, end=period.end),
        minutes=await repo.minutes_between(session, project_id=pid, start=period.start, end=period.end),
        awaiting=await repo.minutes_awaiting_confirmation(session, project_id=pid),
        checkins=await repo.checkins_answered_between(
            session, project_id=pid, start=period.start, end=period.end
        ),
        signoffs=await signoff.with_subjects(
            session,
            [
                *await signoff.waiting(session, project_id=pid),
                *await signoff.decided_between(session, project_id=pid, start=period.start, end=period.end),
            ],
        ),
        holidays=project.holidays,
        pulse_trend=await pulses.trend(session, project_id=pid),
        open_records=[(kind, await _open_records(session, kind, pid)) for kind in kinds.shown_open("digest")],
        previous=previous,
    )


async def _open_records(session: AsyncSession, kind: kinds.RecordKind, project_id: int) -> list[Any]:
    rule = kind.open
    assert rule is not None
    return await repo.open_records(
        session,
        kind.model,
        project_id=project_id,
        status_field=rule.status_field,
        open_values=rule.open_values,
    )


async def next_period(
    session: AsyncSession, project: Project, audience: DigestAudience, *, now: datetime
) -> tuple[Period, DigestDelivery | None]:
    """The period the next digest of `audience` covers, and the last one delivered (if any)."""
    assert project.id is not None
    last = await repo.last_delivery(session, project_id=project.id, audience=str(audience))
    return period_since(last.period_end if last is not None else None, now), last


async def compose_for(
    session: AsyncSession, project: Project, audience: DigestAudience, lens: Lens, *, now: datetime
) -> Digest:
    """The next digest of `audience`: since the last one delivered, as `lens` may read it."""
    period, last = await next_period(session, project, audience, now=now)
    data = await load_data(
        session,
        project,
        period=period,
        home_team_id=await home_team_of(session, project),
        previous=last.summary if last is not None else None,
    )
    return compose(data, lens, audience)


async def _delivery(
    session: AsyncSession, *, schedule_id: int | None, period_end: datetime
) -> DigestDelivery | None:
    """The row an earlier attempt of this scheduled occurrence left, if any (one row per occurrence)."""
    if schedule_id is None:
        return None
    return await repo.find_scheduled_delivery(session, schedule_id=schedule_id, period_end=period_end)


async def record_posted(
    session: AsyncSession,
    *,
    project_id: int,
    audience: DigestAudience,
    digest: Digest,
    channel_id: str,
    message_ts: str,
    content_hash: str,
    charts_error: str | None,
    at: datetime,
    schedule_id: int | None = None,
) -> None:
    """A digest that went out: where, which message, a hash of what was sent, and its summary."""
    values: dict[str, Any] = {
        "project_id": project_id,
        "schedule_id": schedule_id,
        "audience": str(audience),
        "channel_id": channel_id,
        "message_ts": message_ts,
        "content_hash": content_hash,
        "period_start": digest.period.start,
        "period_end": digest.period.end,
        "status": POSTED,
        "error": f"charts: {charts_error}" if charts_error else "",
        "summary": digest.summary,
        "at": at,
    }
    existing = await _delivery(session, schedule_id=schedule_id, period_end=digest.period.end)
    if existing is None:
        await repo.record_delivery(session, **values)
        return
    for key, value in values.items():  # an earlier attempt of this occurrence failed; this one went out
        setattr(existing, key, value)
    session.add(existing)


async def record_failure(
    session: AsyncSession,
    project: Project,
    audience: DigestAudience,
    *,
    channel_id: str,
    now: datetime,
    reason: str,
    at: datetime,
    schedule_id: int | None = None,
) -> None:
    """A digest that did not go out is recorded too, for the period it would have covered."""
    assert project.id is not None
    period, _last = await next_period(session, project, audience, now=now)
    existing = await _delivery(session, schedule_id=schedule_id, period_end=period.end)
    if existing is not None:
        existing.status, existing.error, existing.at = FAILED, reason[:MAX_ERROR], at
        session.add(existing)
        return
    await repo.record_delivery(
        session,
        project_id=project.id,
        schedule_id=schedule_id,
        audience=str(audience),
        channel_id=channel_id,
        period_start=period.start,
        period_end=period.end,
        status=FAILED,
        error=reason[:MAX_ERROR],
        at=at,
    )
