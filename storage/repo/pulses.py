"""Satisfaction pulses and their answers. Keyword-only, a session in, no Slack."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Pulse, PulseAnswer


async def add_pulse(
    session: AsyncSession,
    *,
    project_id: int,
    schedule_id: int | None,
    occurrence_id: int | None,
    question: str,
    channel_id: str,
    opens_at: datetime,
    closes_at: datetime,
    created_by: str,
) -> Pulse:
    row = Pulse(
        project_id=project_id,
        schedule_id=schedule_id,
        occurrence_id=occurrence_id,
        question=question,
        channel_id=channel_id,
        opens_at=opens_at,
        closes_at=closes_at,
        created_by=created_by,
    )
    session.add(row)
    await session.flush()
    return row


async def pulse_of_occurrence(session: AsyncSession, *, occurrence_id: int) -> Pulse | None:
    return (await session.exec(select(Pulse).where(Pulse.occurrence_id == occurrence_id))).first()


async def get_pulse(session: AsyncSession, *, pulse_id: int) -> Pulse | None:
    return await session.get(Pulse, pulse_id)


async def set_message(session: AsyncSession, *, pulse_id: int, message_ts: str) -> None:
    await session.exec(update(Pulse).where(col(Pulse.id) == pulse_id).values(message_ts=message_ts))


async def recent_pulses(session: AsyncSession, *, project_id: int, limit: int) -> list[Pulse]:
    """The project's pulses, newest first."""
    query = (
        select(Pulse)
        .where(Pulse.project_id == project_id)
        .order_by(col(Pulse.opens_at).desc(), col(Pulse.id).desc())
        .limit(limit)
    )
    return list((await session.exec(query)).all())


async def due_to_close(session: AsyncSession, *, now: datetime, limit: int = 200) -> list[Pulse]:
    query = (
        select(Pulse)
        .where(col(Pulse.closed_at).is_(None), col(Pulse.closes_at) <= now)
        .order_by(col(Pulse.closes_at))
        .limit(limit)
    )
    return list((await session.exec(query)).all())


async def claim_close(session: AsyncSession, *, pulse_id: int, now: datetime) -> bool:
    """Set `closed_at` only if still empty: the one process that succeeds posts the results."""
    result = await session.exec(
        update(Pulse).where(col(Pulse.id) == pulse_id, col(Pulse.closed_at).is_(None)).values(closed_at=now)
    )
    return bool(result.rowcount == 1)


async def answers(session: AsyncSession, *, pulse_ids: list[int]) -> list[PulseAnswer]:
    if not pulse_ids:
        return []
    query = select(PulseAnswer).where(col(PulseAnswer.pulse_id).in_(pulse_ids)).order_by(col(PulseAnswer.id))
    return list((await session.exec(query)).all())


async def answer_of(session: AsyncSession, *, pulse_id: int, user_id: str) -> PulseAnswer | None:
    query = select(PulseAnswer).where(PulseAnswer.pulse_id == pulse_id, PulseAnswer.user_id == user_id)
    return (await session.exec(query)).first()


async def upsert_answer(
    session: AsyncSession,
    *,
    pulse_id: int,
    user_id: str,
    team_id: str,
    score: int | None,
    comment: str | None,
    at: datetime,
) -> PulseAnswer | None:
    """One row per person and pulse: a second click changes it. None when there is no row and no score."""
    row = await answer_of(session, pulse_id=pulse_id, user_id=user_id)
    if row is None:
        if score is None:
            return None
        row = PulseAnswer(
            pulse_id=pulse_id, user_id=user_id, team_id=team_id, score=score, comment=comment or "", at=at
        )
        try:
            async with session.begin_nested():
                session.add(row)
            return row
        except IntegrityError:  # a double click raced us: change the row it made
            row = await answer_of(session, pulse_id=pulse_id, user_id=user_id)
            assert row is not None
    if score is not None:
        row.score = score
    if comment is not None:
        row.comment = comment
    row.team_id, row.at = team_id, at
    session.add(row)
    await session.flush()
    return row


async def claim_alert(session: AsyncSession, *, answer_id: int, now: datetime) -> bool:
    """A low score alerts the lead once per person and pulse, whoever handles the click."""
    result = await session.exec(
        update(PulseAnswer)
        .where(col(PulseAnswer.id) == answer_id, col(PulseAnswer.alerted_at).is_(None))
        .values(alerted_at=now)
    )
    return bool(result.rowcount == 1)
