"""Satisfaction pulses (满意度调查): one question to the client with scores 1–5, open for a few days.

Only a client person's answer counts, one per person per pulse, changeable until it closes. Closing is
claimed once (`closed_at` set only while empty), so the results reach the team exactly once; a score of 2 or
less alerts the project's lead at once, also once per person and pulse. Answers are the team's to read:
a client never sees anyone's score or comment, not even the average.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain import followups
from bot.domain.records import Actor, log_change, refusal, require
from bot.errors import UsageError
from bot.policy import Action
from storage.models import Project, Pulse, PulseAnswer
from storage.repo import pulses as repo

KIND = "pulse"  # the schedule kind
OPEN_FOR = timedelta(days=5)
SCORES = (1, 2, 3, 4, 5)
LOW = 2  # a score at or below this alerts the lead
MAX_QUESTION = 500
MAX_COMMENT = 3000
TREND_LENGTH = 5
NOW_EXAMPLE = "cmd.pulse.now.example"
EVERY_EXAMPLE = "cmd.pulse.every.example"


def read_question(text: str | None, *, example: str) -> str:
    """The question as typed ("" for the default, rendered in the project's language when posted)."""
    question = (text or "").strip()
    if len(question) > MAX_QUESTION:
        raise UsageError("record.too_long.title", example, limit=MAX_QUESTION)
    return question


def team_only(actor: Actor, example: str) -> None:
    """Starting, steering and reading pulses is the team's, where no client reads."""
    require(actor, Action.CREATE, example)
    if actor.place.client_facing:
        raise refusal(actor.viewer)


def lead_of(project: Project) -> str:
    """Who a low score alerts: the project's lead (whoever set the project up)."""
    return project.created_by


async def start(
    session: AsyncSession,
    *,
    project_id: int,
    question: str,
    channel_id: str,
    now: datetime,
    created_by: str,
    schedule_id: int | None = None,
    occurrence_id: int | None = None,
    open_for: timedelta = OPEN_FOR,
) -> tuple[Pulse, bool]:
    """A new pulse (or, for an occurrence already started by an earlier attempt, that one). True: new."""
    if occurrence_id is not None:
        found = await repo.pulse_of_occurrence(session, occurrence_id=occurrence_id)
        if found is not None:
            return found, False
    row = await repo.add_pulse(
        session,
        project_id=project_id,
        schedule_id=schedule_id,
        occurrence_id=occurrence_id,
        question=question,
        channel_id=channel_id,
        opens_at=now,
        closes_at=now + open_for,
        created_by=created_by,
    )
    return row, True


async def posted(session: AsyncSession, *, pulse_id: int, message_ts: str) -> None:
    await repo.set_message(session, pulse_id=pulse_id, message_ts=message_ts)


def is_open(pulse: Pulse, now: datetime) -> bool:
    return pulse.closed_at is None and now < pulse.closes_at


@dataclass(frozen=True)
class Answered:
    pulse: Pulse
    answer: PulseAnswer
    alert: bool  # this answer is the first low one of this person for this pulse: tell the lead


async def answer(
    session: AsyncSession,
    actor: Actor,
    pulse_id: int,
    *,
    score: int | None,
    comment: str | None,
    now: datetime,
) -> Answered:
    """A client person's score and/or comment; the actor is already known to speak for the client."""
    if not actor.viewer.speaks_for_client or actor.viewer.team_id is None:
        raise UsageError("pulse.client_only")
    pulse = await repo.get_pulse(session, pulse_id=pulse_id)
    if pulse is None or pulse.project_id != actor.project_id:
        raise UsageError("refs.gone")
    if not is_open(pulse, now):
        raise UsageError("pulse.closed")
    if score is not None and score not in SCORES:
        raise UsageError("pulse.bad_score")
    if comment is not None and len(comment) > MAX_COMMENT:
        raise UsageError("record.too_long.title", None, limit=MAX_COMMENT)
    row = await repo.upsert_answer(
        session,
        pulse_id=pulse_id,
        user_id=actor.viewer.user_id,
        team_id=actor.viewer.team_id,
        score=score,
        comment=comment,
        at=now,
    )
    if row is None:
        raise UsageError("pulse.score_first")
    assert row.id is not None
    alert = row.score <= LOW and await repo.claim_alert(session, answer_id=row.id, now=now)
    if alert:  # kept with the answer: if the process dies before alerting, another replica's look does it
        await followups.enqueue(
            session, kind=followups.PULSE_ALERT, record_id=row.id, project_id=pulse.project_id, now=now
        )
    await log_change(session, actor, "pulse.answer", pulse, {"score": row.score}, ref=f"pulse:{pulse_id}")
    return Answered(pulse=pulse, answer=row, alert=alert)


async def due_to_close(session: AsyncSession, *, now: datetime) -> list[Pulse]:
    return await repo.due_to_close(session, now=now)


async def claim_close(session: AsyncSession, *, pulse_id: int, now: datetime) -> bool:
    return await repo.claim_close(session, pulse_id=pulse_id, now=now)


def average(answers: list[PulseAnswer]) -> float | None:
    return round(sum(a.score for a in answers) / len(answers), 1) if answers else None


@dataclass(frozen=True)
class Results:
    """One pulse's answers for the team, and the averages of the pulses before it (newest first)."""

    pulse: Pulse
    answers: list[PulseAnswer]
    average: float | None
    trend: list[float]  # this pulse's average first (when it has answers), then earlier closed pulses'


async def results(session: AsyncSession, *, project_id: int, pulse_id: int | None = None) -> Results | None:
    """A pulse's results (the given one, else the latest), with the trend over the pulses before it."""
    recent = await repo.recent_pulses(session, project_id=project_id, limit=50)
    if pulse_id is not None:
        recent = recent[next((i for i, p in enumerate(recent) if p.id == pulse_id), len(recent)) :]
    if not recent:
        return None
    ids = [p.id for p in recent if p.id is not None]
    by_pulse: dict[int, list[PulseAnswer]] = {i: [] for i in ids}
    for row in await repo.answers(session, pulse_ids=ids):
        by_pulse[row.pulse_id].append(row)
    target = recent[0]
    assert target.id is not None
    trend: list[float] = []
    for pulse in recent:
        assert pulse.id is not None
        mean = average(by_pulse[pulse.id])
        if mean is not None and (pulse is target or pulse.closed_at is not None):
            trend.append(mean)
        if len(trend) == TREND_LENGTH:
            break
    return Results(
        pulse=target, answers=by_pulse[target.id], average=average(by_pulse[target.id]), trend=trend
    )


async def trend(session: AsyncSession, *, project_id: int) -> list[float]:
    """Averages of the latest closed pulses, newest first (the internal digest's line)."""
    recent = [p for p in await repo.recent_pulses(session, project_id=project_id, limit=20) if p.closed_at]
    ids = [p.id for p in recent if p.id is not None]
    by_pulse: dict[int, list[PulseAnswer]] = {i: [] for i in ids}
    for row in await repo.answers(session, pulse_ids=ids):
        by_pulse[row.pulse_id].append(row)
    means = [average(by_pulse[i]) for i in ids]
    return [m for m in means if m is not None][:TREND_LENGTH]


async def get(session: AsyncSession, *, pulse_id: int) -> Pulse | None:
    return await repo.get_pulse(session, pulse_id=pulse_id)


async def recent(session: AsyncSession, *, project_id: int, limit: int = 5) -> list[Pulse]:
    return await repo.recent_pulses(session, project_id=project_id, limit=limit)


async def answer_of(session: AsyncSession, *, pulse_id: int, user_id: str) -> PulseAnswer | None:
    return await repo.answer_of(session, pulse_id=pulse_id, user_id=user_id)
