"""One sign-off workflow for everything that needs the client's word (milestone acceptance first; requirement
baselines, change requests and minutes follow the same path).

A record is *sent for sign-off* as a client-safe text; that exact text, its sha256 and a version number are
stored, and the message in the client channel offers Approve / Approve with remarks / Reject. Only a user of
the client's organisation (or, when the project names approvers, only they) decides, once per version; a
newer version supersedes a waiting one, and clicks on a superseded version change nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain import stakeholders
from bot.domain.kinds import BY_NAME
from bot.domain.records import Actor, load_by_id, log_change, ref_of, require
from bot.errors import UsageError
from bot.policy import Action, Visibility, may
from bot.timeexpr.workdays import HolidayCalendar, add_working_days, holiday_calendar, is_working_day
from storage.models import Project, SignOff
from storage.repo import projects
from storage.repo import signoffs as repo

WAITING = "waiting"
APPROVED = "approved"
REMARKS = "remarks"  # approved with remarks
REJECTED = "rejected"
SUPERSEDED = "superseded"
OUTCOMES = (APPROVED, REMARKS, REJECTED)
MAX_REMARKS = 3000


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


OnDecided = Callable[[AsyncSession, Actor, Any, SignOff, datetime], Awaitable[None]]
Finder = Callable[[AsyncSession, int], Awaitable[Any | None]]


@dataclass(frozen=True)
class SubjectKind:
    """What can be sent for sign-off, and what the client's decision does.

    Usually a record kind (bot/domain/kinds.py): the subject is one row of its table, named by its reference.
    A subject that is not one record (a project's requirements baseline) says how to find it by its subject
    id (`find`) and how to name it (`name_of`); what it finds needs `project_id`, `visibility` and `title`.
    """

    name: str
    on_decided: OnDecided
    find: Finder | None = None
    name_of: Callable[[Any], str] = ref_of

    @property
    def model(self) -> type[SQLModel]:
        return BY_NAME[self.name].model

    async def get(self, session: AsyncSession, subject_id: int) -> Any | None:
        """The subject, as stored, with no policy check (callers check)."""
        if self.find is not None:
            return await self.find(session, subject_id)
        return await session.get(self.model, subject_id)


SUBJECTS: dict[str, SubjectKind] = {}


def register(kind: SubjectKind) -> None:
    SUBJECTS[kind.name] = kind


@dataclass(frozen=True)
class Subject:
    kind: str
    record: Any
    content: str  # client-safe mrkdwn, exactly as it will be posted and hashed
    details: dict[str, Any] = field(default_factory=dict)  # kept with the version in the audit log


async def client_channel_of(session: AsyncSession, project_id: int) -> str | None:
    for channel in await projects.list_channels(session, project_id=project_id):
        if channel.role == projects.CLIENT:
            return channel.channel_id
    return None


async def internal_channel_of(session: AsyncSession, project_id: int) -> str | None:
    for channel in await projects.list_channels(session, project_id=project_id):
        if channel.role == projects.INTERNAL:
            return channel.channel_id
    return None


@dataclass(frozen=True)
class Requested:
    row: SignOff
    channel_id: str
    superseded: SignOff | None  # the waiting version this one replaces (its message shows it)


async def request(
    session: AsyncSession,
    actor: Actor,
    subject: Subject,
    *,
    example: str,
    now: datetime,
    resend_same: bool = False,
) -> Requested:
    """Store version N+1 of `subject` for the client's word; the caller posts it and calls `posted`.

    An unchanged text already waiting is refused (or, with `resend_same`, posted again as a new version that
    supersedes the old message); an unchanged text the client rejected is refused: change it first.
    """
    require(actor, Action.UPDATE, example)
    record = subject.record
    name = SUBJECTS[subject.kind].name_of(record)
    if record.visibility != Visibility.CLIENT:
        raise UsageError("signoff.internal", example, ref=name)
    channel = await client_channel_of(session, actor.project_id)
    if channel is None:
        raise UsageError("signoff.no_client_channel", "cmd.project.client_channel.example")
    history = await repo.versions(session, subject=subject.kind, subject_id=record.id)
    latest = history[-1] if history else None
    digest = content_hash(subject.content)
    superseded = None
    if latest is not None and latest.status == REJECTED and latest.content_hash == digest:
        raise UsageError("signoff.unchanged_since_rejected", None, ref=name, version=latest.version)
    if latest is not None and latest.status == WAITING:
        if latest.content_hash == digest and not resend_same:
            raise UsageError("signoff.already_waiting", None, ref=name, version=latest.version)
        superseded = await repo.update_signoff(session, row=latest, changes={"status": SUPERSEDED})
    row = await repo.add_signoff(
        session,
        project_id=actor.project_id,
        subject=subject.kind,
        subject_id=record.id,
        version=(latest.version if latest else 0) + 1,
        title=str(getattr(record, "title", "")),
        content=subject.content,
        content_hash=digest,
        requested_by=actor.viewer.user_id,
        requested_at=now,
        channel_id=channel,
    )
    await log_change(
        session,
        actor,
        f"{subject.kind}.signoff_sent",
        record,
        {"version": row.version, "hash": digest, **subject.details},
        ref=name,
    )
    return Requested(row=row, channel_id=channel, superseded=superseded)


async def posted(session: AsyncSession, *, signoff_id: int, message_ts: str) -> None:
    row = await repo.get_signoff(session, signoff_id=signoff_id)
    if row is not None:
        await repo.update_signoff(session, row=row, changes={"message_ts": message_ts})


@dataclass(frozen=True)
class Decided:
    row: SignOff
    record: Any
    created: bool  # False: already decided (a retry or a second click); nothing changed
    internal_channel_id: str | None
    lang: str
    tz: str


async def check_may_decide(session: AsyncSession, actor: Actor, signoff_id: int) -> SignOff:
    """Who may sign: the client's organisation, or only the approvers of the subject's kind when it has any
    (the stakeholders who sign it, else the project's approvers: `stakeholders.approvers_for`)."""
    if not actor.viewer.speaks_for_client:
        raise UsageError("policy.client_only")
    row = await repo.get_signoff(session, signoff_id=signoff_id)
    if row is None or row.project_id != actor.project_id or row.subject not in SUBJECTS:
        raise UsageError("refs.gone")
    project = await session.get(Project, actor.project_id)
    approvers = await stakeholders.approvers_for(session, project, row.subject) if project is not None else []
    if approvers and actor.viewer.user_id not in approvers:
        raise UsageError("signoff.not_approver")
    if row.status == SUPERSEDED:
        raise UsageError("signoff.superseded", None, ref=row.title, version=row.version)
    return row


async def decide(
    session: AsyncSession,
    actor: Actor,
    signoff_id: int,
    *,
    shown_hash: str,
    outcome: str,
    remarks: str,
    now: datetime,
) -> Decided:
    if outcome not in OUTCOMES:
        raise UsageError("refs.gone")
    await check_may_decide(session, actor, signoff_id)
    row = await repo.get_signoff(session, signoff_id=signoff_id, for_update=True)
    assert row is not None
    kind = SUBJECTS[row.subject]
    record = await _load_subject(session, kind, actor, row.subject_id)
    name = kind.name_of(record)
    if row.status == SUPERSEDED or row.content_hash != shown_hash:
        raise UsageError("signoff.superseded", None, ref=name, version=row.version)
    project = await session.get(Project, actor.project_id)
    assert project is not None
    internal = await internal_channel_of(session, actor.project_id)
    if row.status != WAITING:
        return Decided(row, record, False, internal, project.lang, project.tz)
    remarks = remarks.strip()
    if outcome == REJECTED and not remarks:
        raise UsageError("signoff.reason_required")
    if len(remarks) > MAX_REMARKS:
        raise UsageError("signoff.remarks_too_long", None, length=len(remarks), limit=MAX_REMARKS)
    await repo.update_signoff(
        session,
        row=row,
        changes={
            "status": outcome,
            "decided_by": actor.viewer.user_id,
            "decided_team_id": actor.viewer.team_id,
            "decided_external": actor.viewer.is_external,
            "decided_at": now,
            "remarks": remarks,
        },
    )
    await log_change(
        session,
        actor,
        f"{row.subject}.signoff_{outcome}",
        record,
        {
            "version": row.version,
            "hash": row.content_hash,
            "team_id": actor.viewer.team_id,
            "remarks": remarks,
        },
        ref=name,
    )
    await kind.on_decided(session, actor, record, row, now)
    return Decided(row, record, True, internal, project.lang, project.tz)


async def latest(session: AsyncSession, *, subject: str, subject_id: int) -> SignOff | None:
    found = await repo.versions(session, subject=subject, subject_id=subject_id)
    return found[-1] if found else None


async def _load_subject(session: AsyncSession, kind: SubjectKind, actor: Actor, subject_id: int) -> Any:
    """What a click decides on: the same answers as `load_by_id` for a missing or hidden subject."""
    if kind.find is None:
        return await load_by_id(session, kind.model, actor, subject_id, action=Action.CONFIRM, example="")
    record = await kind.find(session, subject_id)
    if (
        record is None
        or record.project_id != actor.project_id
        or not may(actor.viewer, actor.place, Action.READ, record)
    ):
        raise UsageError("refs.gone")
    if not may(actor.viewer, actor.place, Action.CONFIRM, record):
        raise UsageError("policy.denied")
    return record


async def history(session: AsyncSession, *, subject: str, record: Any) -> list[SignOff]:
    return await repo.versions(session, subject=subject, subject_id=int(record.id))


def changed_since_signed(versions: list[SignOff], current_content: str) -> bool:
    """The last decided version approved a text that is no longer the record's text."""
    decided = [v for v in versions if v.status in (APPROVED, REMARKS)]
    return bool(decided) and decided[-1].content_hash != content_hash(current_content)


async def waiting(session: AsyncSession, *, project_id: int) -> list[SignOff]:
    """Versions waiting for the client's word, oldest first (digests, App Home)."""
    return await repo.list_by_status(session, project_id=project_id, status=WAITING)


async def subject_ref(session: AsyncSession, row: SignOff) -> str:
    """`MS-2` for a sign-off's record (shown in modals and thanks), whatever its kind."""
    kind = SUBJECTS.get(row.subject)
    record = await kind.get(session, row.subject_id) if kind else None
    return kind.name_of(record) if kind is not None and record is not None else row.title


# ---- waiting, in working days (digests, App Home, the nudge) -----------------------------------------------


def calendar_of(holidays: str | None) -> HolidayCalendar | None:
    """The project's holiday calendar, or None for Monday to Friday."""
    return holiday_calendar(holidays) if holidays else None


def working_days_between(start: date, end: date, calendar: HolidayCalendar | None) -> int:
    """Working days after `start` up to and including `end` (the day it was sent never counts)."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day, calendar):
            count += 1
    return count


def waiting_days(row: SignOff, *, now: datetime, tz: str, holidays: str | None) -> int:
    """How many working days a version has waited for the client, as seen in the project's zone."""
    zone = ZoneInfo(tz)
    sent = row.requested_at.astimezone(zone).date()
    return working_days_between(sent, now.astimezone(zone).date(), calendar_of(holidays))


def nudge_due_at(row: SignOff, *, days: int, tz: str, holidays: str | None) -> datetime:
    """When a version has waited `days` full working days: the same local time, `days` working days on."""
    zone = ZoneInfo(tz)
    sent = row.requested_at.astimezone(zone)
    due = add_working_days(sent.date(), max(1, days), calendar_of(holidays))
    return datetime.combine(due, sent.timetz()).astimezone(UTC)


async def decided_between(
    session: AsyncSession, *, project_id: int, start: datetime, end: datetime
) -> list[SignOff]:
    """Versions the client decided within a period, in the order they decided (a digest's what-moved)."""
    return await repo.decided_between(session, project_id=project_id, start=start, end=end)


async def with_subjects(session: AsyncSession, rows: list[SignOff]) -> list[tuple[SignOff, Any]]:
    """Each version with the record it is about (for the policy to judge), leaving out deleted records."""
    found: list[tuple[SignOff, Any]] = []
    for row in rows:
        kind = SUBJECTS.get(row.subject)
        record = await kind.get(session, row.subject_id) if kind else None
        if record is not None and getattr(record, "deleted_at", None) is None:
            found.append((row, record))
    return found


async def claim_nudge(session: AsyncSession, *, signoff_id: int, now: datetime) -> bool:
    """Set `nudged_at` only if still empty and the version still waits: the one process that wins posts."""
    return await repo.claim_nudge(session, signoff_id=signoff_id, now=now)


async def nudge_candidates(
    session: AsyncSession, *, sent_before: datetime, limit: int = 200
) -> list[tuple[SignOff, Project]]:
    """Waiting versions never nudged, sent before `sent_before`, with their project (oldest first)."""
    found = await repo.nudge_candidates(session, sent_before=sent_before, limit=limit)
    return [(s, p) for s, p in found if p.archived_at is None]  # an archived project nudges nobody


def subject_name(row: SignOff, record: Any) -> str:
    """How a version's subject is named where it is listed: `MS-2`, or its kind's own name for it."""
    name_of = getattr(SUBJECTS.get(row.subject), "name_of", ref_of)
    return str(name_of(record))
