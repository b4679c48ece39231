"""Review before anything reaches the client: the settings, which previews are due, and their decisions.

With `/project settings review:on` a scheduled client digest or client-facing sync reminder is first shown to
the team (handlers/jobs/review.py) `review_lead` before it posts. One row per (schedule, occurrence) claims the
preview (unique key: posted once however many replicas look) and keeps the team's decision and note. The
occurrence's own claim (bot/domain/schedules.py) stays the one guard of the client post: **Send now** claims it
(and posts at once), **Skip this one** records it skipped; whoever comes second, the engine at its time
included, finds it taken. With `review:required`, an occurrence nobody sent by its time is held: recorded
skipped, and the team told once (the compare-and-set of the preview's state from pending to held).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain import followups
from bot.domain import schedules as engine
from bot.domain.records import Actor, require
from bot.errors import UsageError
from bot.policy import Action
from storage.db import SessionFactory
from storage.models import Occurrence, Project, ReviewPreview, Schedule
from storage.repo import projects

OFF, ON, REQUIRED = "off", "on", "required"
MODE_WORDS = {
    "off": OFF,
    "on": ON,
    "required": REQUIRED,
    "关": OFF,
    "关闭": OFF,
    "开": ON,
    "开启": ON,
    "必须": REQUIRED,
    "必需": REQUIRED,
}
PENDING, SENT, SKIPPED, HELD, POSTED, FAILED = "pending", "sent", "skipped", "held", "posted", "failed"
KINDS = ("digest", "sync")
DEFAULT_LEAD = 120  # minutes
MIN_LEAD, MAX_LEAD = 5, 24 * 60
MAX_NOTE = 300
EXAMPLE = "review.example"
HELD_REASON = "held for review (review:required): nobody pressed Send now"

_LEAD = re.compile(
    r"^\s*(?:(\d+)\s*(?:h|hr|hrs|hours?|小时|个小时))?\s*(?:(\d+)\s*(?:m|min|mins|minutes?|分钟|分))?\s*$",
    re.IGNORECASE,
)


def parse_mode(text: str) -> str:
    """`on`, `off`, `required` (开 / 关 / 必须)."""
    found = MODE_WORDS.get(text.strip().lower())
    if found is None:
        raise UsageError("review.bad_mode", EXAMPLE, value=text[:16])
    return found


def parse_lead(text: str) -> int:
    """`2h`, `90m`, `1h30m`, `2小时`: minutes before the post its preview reaches the team (5 min to 24 h)."""
    m = _LEAD.match(text)
    if m is None or not (m.group(1) or m.group(2)):
        raise UsageError("review.bad_lead", EXAMPLE, value=text[:16])
    minutes = int(m.group(1) or 0) * 60 + int(m.group(2) or 0)
    if not MIN_LEAD <= minutes <= MAX_LEAD:
        raise UsageError("review.bad_lead", EXAMPLE, value=text[:16])
    return minutes


def read_settings(review: str | None, lead: str | None) -> dict[str, object]:
    changes: dict[str, object] = {}
    if review is not None:
        changes["review"] = parse_mode(review)
    if lead is not None:
        changes["review_lead"] = parse_lead(lead)
    return changes


# ---- which posts are reviewed -----------------------------------------------------------------------------


async def client_facing(session: AsyncSession, schedule: Schedule) -> bool:
    """A client digest, or a sync reminder whose channel is the project's client channel."""
    if schedule.kind == "digest":
        return schedule.options.get("audience") == "client"
    if schedule.kind == "sync":
        try:
            _, is_client = await engine.target_channel(session, schedule=schedule)
        except engine.DeliveryError:
            return False
        return is_client
    return False


async def client_channel_of(session: AsyncSession, schedule: Schedule) -> str:
    """The channel the client post goes to, for the words of an outcome ("" when none is bound any more)."""
    if schedule.kind == "digest" and schedule.channel_id:
        return schedule.channel_id
    if schedule.kind == "digest":
        bound = await projects.list_channels(session, project_id=schedule.project_id)
        return next((c.channel_id for c in bound if c.role == projects.CLIENT), "")
    try:
        channel_id, _ = await engine.target_channel(session, schedule=schedule)
    except engine.DeliveryError:
        return ""
    return channel_id


def post_time(schedule: Schedule, occurs_at: datetime) -> datetime:
    """When the client post goes out: the occurrence less the schedule's own lead (a sync's reminder)."""
    return occurs_at - engine.lead_of(schedule)


@dataclass(frozen=True)
class Due:
    schedule_id: int
    project_id: int
    occurs_at: datetime


async def previews_due(session: AsyncSession, *, now: datetime) -> list[Due]:
    """Occurrences whose preview time (post time − review_lead) has come and whose post time has not, not
    yet previewed nor decided (skipped with /sync skip, sent already)."""
    query = (
        select(Schedule, Project)
        .join(Project, col(Project.id) == col(Schedule.project_id))
        .where(
            col(Schedule.status) == engine.ACTIVE,
            col(Schedule.kind).in_(KINDS),
            col(Project.review) != OFF,
            col(Project.archived_at).is_(None),
        )
    )
    candidates: list[tuple[Schedule, Project, datetime]] = []
    for schedule, project in (await session.exec(query)).all():
        lead = engine.lead_of(schedule)
        upcoming = engine.upcoming(schedule, after=max(now + lead, schedule.active_since), count=1)
        if upcoming and post_time(schedule, upcoming[0]) - timedelta(minutes=project.review_lead) <= now:
            candidates.append((schedule, project, upcoming[0]))
    if not candidates:
        return []
    ids = [schedule.id for schedule, _, _ in candidates]
    taken = {  # handled (skipped with /sync skip, sent already) or previewed: one query each, not one per row
        (int(sid), at)
        for model in (Occurrence, ReviewPreview)
        for sid, at in (
            await session.exec(
                select(model.schedule_id, model.occurs_at).where(
                    col(model.schedule_id).in_(ids), col(model.occurs_at) >= now
                )
            )
        ).all()
    }
    found: list[Due] = []
    for schedule, project, occurs_at in candidates:
        assert schedule.id is not None and project.id is not None
        if (schedule.id, occurs_at) in taken:
            continue
        if await client_facing(session, schedule):
            found.append(Due(schedule.id, project.id, occurs_at))
    return found


async def _occurrence(session: AsyncSession, schedule_id: int, occurs_at: datetime) -> Occurrence | None:
    query = select(Occurrence).where(
        col(Occurrence.schedule_id) == schedule_id, col(Occurrence.occurs_at) == occurs_at
    )
    return (await session.exec(query)).first()


async def find(session: AsyncSession, *, schedule_id: int, occurs_at: datetime) -> ReviewPreview | None:
    query = select(ReviewPreview).where(
        col(ReviewPreview.schedule_id) == schedule_id, col(ReviewPreview.occurs_at) == occurs_at
    )
    return (await session.exec(query)).first()


async def _insert(session: AsyncSession, row: ReviewPreview) -> bool:
    try:
        async with session.begin_nested():
            session.add(row)
        return True
    except IntegrityError:
        return False


async def claim_preview(
    sessions: SessionFactory, *, due: Due, instance: str, now: datetime
) -> followups.Held | None:
    """Claim the preview of one occurrence, with its post's follow-up claim under a lease in the same
    transaction (a replica dying before it posts leaves it to be taken over); None if someone has it."""
    async with sessions.begin() as session:
        row = ReviewPreview(
            schedule_id=due.schedule_id,
            occurs_at=due.occurs_at,
            state=PENDING,
            claimed_by=instance,
            created_at=now,
        )
        if not await _insert(session, row):
            return None
        assert row.id is not None
        return await followups.claim(
            session,
            kind=followups.REVIEW_PREVIEW,
            record_id=row.id,
            project_id=due.project_id,
            instance=instance,
            now=now,
        )


async def preview_posted(session: AsyncSession, *, preview_id: int, channel_id: str, message_ts: str) -> None:
    row = await session.get(ReviewPreview, preview_id)
    if row is not None:
        row.channel_id, row.message_ts = channel_id, message_ts
        session.add(row)


async def _move(session: AsyncSession, preview_id: int, *, to: str, by: str | None, now: datetime) -> bool:
    """Compare-and-set from pending: exactly one decision per preview."""
    done = await session.exec(
        update(ReviewPreview)
        .where(col(ReviewPreview.id) == preview_id, col(ReviewPreview.state) == PENDING)
        .values(state=to, decided_by=by, decided_at=now)
    )
    return bool(done.rowcount == 1)


# ---- at posting time ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Gate:
    """What the poster does with a reviewed occurrence: post (with the note on top) or not (telling the team
    once when `tell` is set)."""

    post: bool
    note: str | None = None
    tell: bool = False
    preview: ReviewPreview | None = None


async def gate(
    sessions: SessionFactory, *, schedule: Schedule, project: Project, occurs_at: datetime
) -> Gate:
    """Asked by the digest and sync posters just before a client post (also when Send now posts)."""
    assert schedule.id is not None
    async with sessions.begin() as session:
        row = await find(session, schedule_id=schedule.id, occurs_at=occurs_at)
        if row is not None and row.state in (SKIPPED, HELD):
            return Gate(post=False, preview=row)
        if project.review != REQUIRED or (row is not None and row.state == SENT):
            return Gate(post=True, note=row.note if row else None, preview=row)
        if row is None:  # required, and no preview was ever posted (turned on late): held, told once
            row = ReviewPreview(schedule_id=schedule.id, occurs_at=occurs_at, state=HELD, claimed_by="gate")
            tell = await _insert(session, row)
        else:
            assert row.id is not None
            tell = await _move(session, row.id, to=HELD, by=None, now=occurs_at)
        return Gate(post=False, tell=tell, preview=row)


async def hold_occurrence(sessions: SessionFactory, *, schedule_id: int, occurs_at: datetime) -> None:
    """Record the engine's claim of a held occurrence as skipped, with the reason (shown in /sync list)."""
    async with sessions() as session:
        found = await _occurrence(session, schedule_id, occurs_at)
    if found is not None and found.id is not None and found.status == engine.CLAIMED:
        await engine.finish(sessions, occurrence_id=found.id, status=engine.SKIPPED, error=HELD_REASON)


async def mark_posted(sessions: SessionFactory, *, preview_id: int, now: datetime) -> bool:
    """The client post went out at its time with no decision: the preview says so (once)."""
    async with sessions.begin() as session:
        return await _move(session, preview_id, to=POSTED, by=None, now=now)


# ---- the team's decisions -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Loaded:
    preview: ReviewPreview
    schedule: Schedule
    project: Project


async def load(session: AsyncSession, actor: Actor, preview_id: int) -> Loaded:
    """A preview of the actor's project that the team may decide on (a client's click is refused)."""
    require(actor, Action.UPDATE, EXAMPLE)
    row = await session.get(ReviewPreview, preview_id)
    schedule = await session.get(Schedule, row.schedule_id) if row is not None else None
    if row is None or schedule is None or schedule.project_id != actor.project_id:
        raise UsageError("refs.gone")
    project = await session.get(Project, schedule.project_id)
    assert project is not None
    return Loaded(row, schedule, project)


def _pending(loaded: Loaded) -> None:
    if loaded.preview.state != PENDING:
        raise UsageError(f"review.already.{loaded.preview.state}")


def read_note(text: str) -> str | None:
    """One line of at most MAX_NOTE characters, kept verbatim (escaped where shown); empty removes it."""
    note = text.strip()
    if "\n" in note or len(note) > MAX_NOTE:
        raise UsageError("review.bad_note", None, limit=MAX_NOTE)
    return note or None


async def set_note(session: AsyncSession, actor: Actor, preview_id: int, note: str | None) -> Loaded:
    loaded = await load(session, actor, preview_id)
    _pending(loaded)
    loaded.preview.note, loaded.preview.note_by = note, actor.viewer.user_id if note else None
    session.add(loaded.preview)
    return loaded


async def skip(sessions: SessionFactory, actor: Actor, preview_id: int, *, now: datetime) -> Loaded:
    """Record the occurrence skipped before anyone claims it; too late once it is claimed or decided."""
    async with sessions.begin() as session:
        loaded = await load(session, actor, preview_id)
        _pending(loaded)
        preview = loaded.preview
        taken = Occurrence(
            schedule_id=preview.schedule_id,
            occurs_at=preview.occurs_at,
            status=engine.SKIPPED,
            claimed_by=f"review:{actor.viewer.user_id}"[:64],
            error=f"skipped in review by {actor.viewer.user_id}",
            finished_at=now,
        )
        try:
            async with session.begin_nested():
                session.add(taken)
        except IntegrityError:
            raise UsageError("review.too_late") from None
        assert preview.id is not None
        if not await _move(session, preview.id, to=SKIPPED, by=actor.viewer.user_id, now=now):
            raise UsageError("review.too_late")
    async with sessions() as session:
        return await load(session, actor, preview_id)


async def start_send(
    sessions: SessionFactory, actor: Actor, preview_id: int, *, instance: str, now: datetime
) -> tuple[Loaded, int]:
    """Claim the occurrence now (the engine then finds it taken at its time) and mark the preview sent; the
    caller posts it and finishes the claim."""
    async with sessions() as session:
        loaded = await load(session, actor, preview_id)
    _pending(loaded)
    preview = loaded.preview
    occurrence_id = await engine.claim(
        sessions, schedule_id=preview.schedule_id, occurs_at=preview.occurs_at, instance=instance, now=now
    )
    if occurrence_id is None:
        raise UsageError("review.too_late")
    assert preview.id is not None
    async with sessions.begin() as session:
        moved = await _move(session, preview.id, to=SENT, by=actor.viewer.user_id, now=now)
    if not moved:  # decided meanwhile (held at its time): the claim is given back as skipped
        await engine.finish(sessions, occurrence_id=occurrence_id, status=engine.SKIPPED, error="review")
        raise UsageError("review.too_late")
    async with sessions() as session:
        return await load(session, actor, preview_id), occurrence_id


async def send_failed(sessions: SessionFactory, *, preview_id: int) -> None:
    """Send now's post failed for good (its occurrence is recorded failed): the preview says so from now on."""
    async with sessions.begin() as session:
        await session.exec(
            update(ReviewPreview)
            .where(col(ReviewPreview.id) == preview_id, col(ReviewPreview.state) == SENT)
            .values(state=FAILED)
        )


async def get(session: AsyncSession, preview_id: int) -> ReviewPreview | None:
    return await session.get(ReviewPreview, preview_id)
