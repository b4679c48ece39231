"""Progress check-ins: who is asked, their answers, and the follow-ups (nudge, summary) claimed once."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain import followups
from bot.domain.records import Actor, log_change
from bot.errors import UsageError
from storage.models import Away, CheckinAnswer, Occurrence, Project, Schedule
from storage.types import utcnow

DEFAULT_DEADLINE = timedelta(hours=2)
NUDGE, SUMMARY = followups.CHECKIN_NUDGE, followups.CHECKIN_SUMMARY  # follow-up claims, by kind
CONFIDENCE = ("high", "medium", "low")
MAX_TEXT = 3000
MAX_QUESTIONS = 6  # a form people fill in on a Friday afternoon
MAX_QUESTION = 150  # Block Kit: a plain_text placeholder holds 150 characters (an input label 2,000)
SWITCH = {
    "on": True,
    "yes": True,
    "开": True,
    "是": True,
    "off": False,
    "no": False,
    "关": False,
    "否": False,
}
DEFAULT_WORDS = {"default", "默认"}


def read_questions(text: str, *, example: str) -> tuple[str, ...]:
    """`What did you finish?|What's next?` (or one per line): the check-in's own questions, in order."""
    questions = tuple(dict.fromkeys(q.strip() for q in re.split(r"[|｜\n]", text) if q.strip()))
    if not questions:
        raise UsageError("checkin.questions_empty", example)
    if len(questions) > MAX_QUESTIONS:
        raise UsageError("checkin.questions_too_many", example, max=MAX_QUESTIONS, count=len(questions))
    for n, question in enumerate(questions, start=1):
        if len(question) > MAX_QUESTION:
            raise UsageError(
                "checkin.question_too_long", example, n=n, length=len(question), max=MAX_QUESTION
            )
    return questions


def read_switch(text: str | None, *, example: str) -> bool | None:
    """`progress:on|off` (开/关); None when not given."""
    if text is None:
        return None
    value = SWITCH.get(text.strip().lower())
    if value is None:
        raise UsageError("checkin.bad_switch", example)
    return value


def questions_of(schedule: Schedule) -> tuple[str, ...]:
    """The check-in's own questions; empty for the usual set (done since last time, next, blockers, confidence)."""
    return tuple(str(q) for q in schedule.options.get("questions") or ())


def asks_progress(schedule: Schedule) -> bool:
    return bool(schedule.options.get("progress", True))


async def set_questions(
    session: AsyncSession,
    actor: Actor,
    schedule: Schedule,
    *,
    questions: tuple[str, ...] | None,
    progress: bool | None,
) -> Schedule:
    """`/checkin questions S-n …`: new questions (empty: the usual set) and/or the progress switch."""
    before = {"questions": list(questions_of(schedule)), "progress": asks_progress(schedule)}
    options = dict(schedule.options)  # a new dict, so the JSON column is written
    if questions is not None:
        options["questions"] = list(questions)
    if progress is not None:
        options["progress"] = progress
    schedule.options = options
    schedule.updated_at = utcnow()
    session.add(schedule)
    after = {"questions": list(questions_of(schedule)), "progress": asks_progress(schedule)}
    await log_change(
        session, actor, "checkin.questions", schedule, {k: [before[k], after[k]] for k in before}
    )
    return schedule


def deadline_of(schedule: Schedule) -> timedelta:
    return timedelta(
        minutes=int(schedule.options.get("deadline_minutes", DEFAULT_DEADLINE.total_seconds() // 60))
    )


def nudge_at(schedule: Schedule, occurs_at: datetime) -> datetime:
    """Halfway to the deadline: late enough to be a reminder, early enough to act on."""
    return occurs_at + deadline_of(schedule) / 2


@dataclass(frozen=True)
class AnswerForm:
    progress: int | None
    done: str
    next: str
    blockers: str
    confidence: str
    answers: tuple[tuple[str, str], ...] = ()  # (question, answer) for a check-in's own questions


def read_answer(
    *,
    progress: str | None,
    done: str | None = None,
    next_: str | None = None,
    blockers: str | None = None,
    confidence: str | None = None,
    answers: Sequence[tuple[str, str | None]] = (),
) -> tuple[AnswerForm | None, dict[str, str]]:
    """Validate the modal's fields; errors map a field to a catalogue key."""
    errors: dict[str, str] = {}
    value: int | None = None
    if progress not in (None, ""):
        text = str(progress).strip().rstrip("%")
        if not text.isdigit() or not 0 <= int(text) <= 100:
            errors["progress"] = "checkin.bad_progress"
        else:
            value = int(text)
    texts = {"done": done or "", "next": next_ or "", "blockers": blockers or ""}
    if confidence not in (None, "", *CONFIDENCE):
        confidence = ""
    if errors:
        return None, errors
    return (
        AnswerForm(
            progress=value,
            done=texts["done"][:MAX_TEXT],
            next=texts["next"][:MAX_TEXT],
            blockers=texts["blockers"][:MAX_TEXT],
            confidence=confidence or "",
            answers=tuple((q, (a or "")[:MAX_TEXT]) for q, a in answers),
        ),
        {},
    )


async def away_users(session: AsyncSession, *, project_id: int, today: date) -> set[str]:
    rows = (
        await session.exec(select(Away).where(Away.project_id == project_id, Away.until_on >= today))
    ).all()
    return {r.user_id for r in rows}


async def set_away(session: AsyncSession, actor: Actor, *, until: date, today: date) -> None:
    if until < today:
        raise UsageError("checkin.away_past", "cmd.checkin.away.example")
    found = (
        await session.exec(
            select(Away).where(Away.project_id == actor.project_id, Away.user_id == actor.viewer.user_id)
        )
    ).first()
    row = found or Away(project_id=actor.project_id, user_id=actor.viewer.user_id, until_on=until)
    row.until_on = until
    session.add(row)
    await session.flush()


async def prompt_row(
    session: AsyncSession, *, occurrence_id: int, project_id: int, user_id: str
) -> CheckinAnswer:
    """The answer row for a person and occurrence, created if missing (so a retried post never re-prompts)."""
    query = select(CheckinAnswer).where(
        CheckinAnswer.occurrence_id == occurrence_id, CheckinAnswer.user_id == user_id
    )
    found = (await session.exec(query)).first()
    if found is not None:
        return found
    row = CheckinAnswer(occurrence_id=occurrence_id, project_id=project_id, user_id=user_id)
    try:
        async with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return (await session.exec(query)).one()
    return row


async def mark_prompted(
    session: AsyncSession, *, answer_id: int, at: datetime, dm_channel_id: str, prompt_ts: str
) -> None:
    """The prompt went out: where, so the nudge can follow in its thread and a retry skips this person."""
    row = await session.get(CheckinAnswer, answer_id)
    assert row is not None
    row.prompted_at, row.dm_channel_id, row.prompt_ts = at, dm_channel_id, prompt_ts
    session.add(row)


async def mark_nudged(session: AsyncSession, *, answer_id: int, at: datetime) -> None:
    row = await session.get(CheckinAnswer, answer_id)
    assert row is not None
    row.nudged_at = at
    session.add(row)


async def save_answer(
    session: AsyncSession, *, occurrence_id: int, user_id: str, form: AnswerForm, by_client: bool = False
) -> CheckinAnswer:
    """Keep a person's answer; progress only when the check-in asks for it, and who gave it (team or client)."""
    occurrence = await session.get(Occurrence, occurrence_id)
    if occurrence is None:
        raise UsageError("checkin.not_yours", "cmd.checkin.now.example")
    if occurrence.summary_at is not None:
        raise UsageError("checkin.closed", "cmd.checkin.now.example")
    row = (
        await session.exec(
            select(CheckinAnswer).where(
                CheckinAnswer.occurrence_id == occurrence_id, CheckinAnswer.user_id == user_id
            )
        )
    ).first()
    if row is None:
        raise UsageError("checkin.not_yours", "cmd.checkin.now.example")
    schedule = await session.get(Schedule, occurrence.schedule_id)
    row.progress = form.progress if schedule is None or asks_progress(schedule) else None
    row.done, row.next = form.done, form.next
    row.blockers, row.confidence = form.blockers, form.confidence
    row.answers = [{"question": q, "answer": a} for q, a in form.answers]
    row.by_client = by_client
    row.answered_at = utcnow()
    session.add(row)
    await session.flush()
    return row


async def open_occurrence_for(
    session: AsyncSession, *, project_id: int, user_id: str
) -> CheckinAnswer | None:
    """The person's most recent check-in whose summary has not gone out yet."""
    query = (
        select(CheckinAnswer)
        .join(Occurrence, col(Occurrence.id) == col(CheckinAnswer.occurrence_id))
        .where(
            CheckinAnswer.project_id == project_id,
            CheckinAnswer.user_id == user_id,
            col(Occurrence.summary_at).is_(None),
        )
        .order_by(col(Occurrence.occurs_at).desc())
    )
    return (await session.exec(query)).first()


async def adhoc_occurrence(session: AsyncSession, actor: Actor, *, schedule: Schedule, now: datetime) -> int:
    """`/checkin now`: an occurrence of its own, already posted, so the answer is stored and summarised."""
    assert schedule.id is not None
    occurrence = Occurrence(
        schedule_id=schedule.id, occurs_at=now, status="adhoc", claimed_by=f"adhoc:{actor.viewer.user_id}"
    )
    session.add(occurrence)
    await session.flush()
    assert occurrence.id is not None
    await log_change(session, actor, "checkin.now", schedule, {"occurrence": now.isoformat()})
    return occurrence.id


async def claim_followup(session: AsyncSession, *, occurrence_id: int, field: str, now: datetime) -> bool:
    """Set `followup_at` or `summary_at` only if still empty: the one process that succeeds does the work."""
    column = col(Occurrence.followup_at) if field == "followup" else col(Occurrence.summary_at)
    result = await session.exec(
        update(Occurrence).where(col(Occurrence.id) == occurrence_id, column.is_(None)).values({column: now})
    )
    return bool(result.rowcount == 1)


async def claim_summary(
    session: AsyncSession, *, occurrence_id: int, project_id: int, post: bool, instance: str, now: datetime
) -> list[followups.Held]:
    """Close the check-in to answers (`summary_at`) and, when a summary is posted (`post`), claim it under a
    lease in the same transaction; [] when another process (or an earlier minute) has it."""
    if not await claim_followup(session, occurrence_id=occurrence_id, field="summary", now=now):
        return []
    if not post:
        return []
    held = await followups.claim(
        session, kind=SUMMARY, record_id=occurrence_id, project_id=project_id, instance=instance, now=now
    )
    return [held] if held is not None else []


async def claim_nudges(
    session: AsyncSession, *, occurrence_id: int, project_id: int, instance: str, now: datetime
) -> list[followups.Held]:
    """Mark the check-in nudged (`followup_at`) and claim, in the same transaction and under a lease, one
    nudge per person prompted who has not answered; [] when another process (or an earlier minute) has it."""
    if not await claim_followup(session, occurrence_id=occurrence_id, field="followup", now=now):
        return []
    claimed: list[followups.Held] = []
    for row in await answers(session, occurrence_id=occurrence_id):
        if row.answered_at is not None or not row.dm_channel_id:
            continue
        held = await followups.claim(
            session,
            kind=NUDGE,
            record_id=occurrence_id,
            part=row.user_id,
            project_id=project_id,
            instance=instance,
            now=now,
        )
        if held is not None:
            claimed.append(held)
    return claimed


async def pending_followups(session: AsyncSession, *, now: datetime) -> list[tuple[Occurrence, Schedule]]:
    """Check-in occurrences posted recently whose summary has not gone out (bounded to two days)."""
    query = (
        select(Occurrence, Schedule)
        .join(Schedule, col(Schedule.id) == col(Occurrence.schedule_id))
        .where(
            Schedule.kind == "checkin",
            col(Occurrence.status).in_(("posted", "failed", "adhoc")),
            col(Occurrence.summary_at).is_(None),
            col(Occurrence.occurs_at) >= now - timedelta(days=2),
            col(Occurrence.occurs_at) <= now,
        )
    )
    return [(o, s) for o, s in (await session.exec(query)).all()]


async def answers(session: AsyncSession, *, occurrence_id: int) -> list[CheckinAnswer]:
    query = (
        select(CheckinAnswer)
        .where(CheckinAnswer.occurrence_id == occurrence_id)
        .order_by(col(CheckinAnswer.id))
    )
    return list((await session.exec(query)).all())


@dataclass(frozen=True)
class OccurrenceContext:
    """A check-in occurrence with the schedule and project it belongs to (what its prompt and modal show)."""

    occurrence: Occurrence
    schedule: Schedule
    project: Project


async def occurrence_context(session: AsyncSession, *, occurrence_id: int) -> OccurrenceContext | None:
    occurrence = await session.get(Occurrence, occurrence_id)
    schedule = await session.get(Schedule, occurrence.schedule_id) if occurrence else None
    project = await session.get(Project, schedule.project_id) if schedule else None
    if occurrence is None or schedule is None or project is None:
        return None
    return OccurrenceContext(occurrence=occurrence, schedule=schedule, project=project)


async def answer_of(session: AsyncSession, *, occurrence_id: int, user_id: str) -> CheckinAnswer | None:
    """One person's answer row for an occurrence (there is one per person prompted)."""
    query = select(CheckinAnswer).where(
        CheckinAnswer.occurrence_id == occurrence_id, CheckinAnswer.user_id == user_id
    )
    return (await session.exec(query)).first()


async def schedule_of(session: AsyncSession, answer: CheckinAnswer) -> Schedule:
    occurrence = await session.get(Occurrence, answer.occurrence_id)
    assert occurrence is not None
    schedule = await session.get(Schedule, occurrence.schedule_id)
    assert schedule is not None
    return schedule
