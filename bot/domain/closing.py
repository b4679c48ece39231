"""Closing a project: archiving it (records read-only, schedules paused), reopening it, and whom to ask for
lessons learned.

Archived means `Project.archived_at` is set. Every write command and every writing button is refused (the
command runner and the button runner ask `refuse_if_archived`), scheduled jobs don't post (archiving pauses
the project's active schedules with the reason "archived", and the schedule engine skips an archived
project's schedules whatever their state), and reading, searching and exporting still work. Reopening
resumes exactly the schedules archiving paused: one a person had paused before stays paused.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain import schedules as engine
from bot.domain.records import Actor, change_entry, refusal
from bot.errors import UsageError
from bot.policy import Action, Viewer, may
from storage.models import Project
from storage.repo import audit, lessons, projects
from storage.types import utcnow

ARCHIVED = "archived"  # Schedule.paused_reason of a schedule archiving paused
SYSTEM_ACTOR = "liaison"  # the bot's own name in the audit log: never a team member to ask


# Subcommands that only read: they work on an archived project as on any other. Every other subcommand of
# every command writes (or posts) and is refused, so a new one is refused until it is listed here.
READ_SUBCOMMANDS = frozenset({"help", "export", "search", "info", "list", "show", "preview", "results"})
# Writes an archived project still takes: reopening it.
ALLOWED_WHEN_ARCHIVED = frozenset({("/project", "reopen")})


def allowed_when_archived(command: str, subcommand: str) -> bool:
    return subcommand in READ_SUBCOMMANDS or (command, subcommand) in ALLOWED_WHEN_ARCHIVED


def is_archived(project: Project) -> bool:
    return project.archived_at is not None


def archived_since(project: Project) -> str:
    """The day it was archived, in the project's zone (ISO: reads the same in both languages)."""
    assert project.archived_at is not None
    return project.archived_at.astimezone(ZoneInfo(project.tz)).date().isoformat()


def refuse_if_archived(project: Project | None, viewer: Viewer) -> None:
    """Every write says the same when the project is archived; the team is told how to reopen it."""
    if project is None or not is_archived(project):
        return
    key = "project.archived_client" if viewer.is_external else "project.archived"
    raise UsageError(key, None, since=archived_since(project))


async def _project(session: AsyncSession, actor: Actor) -> Project:
    project = await projects.get_project(session, project_id=actor.project_id)
    if project is None:
        raise UsageError("grammar.no_project", "cmd.project.setup.example")
    return project


async def _log(session: AsyncSession, actor: Actor, action: str, changes: dict[str, object]) -> None:
    await audit.append(session, change_entry(actor, action, None, changes))


async def archive(session: AsyncSession, actor: Actor, *, now: datetime) -> Project:
    """Archive the actor's project: `archived_at = now`, its active schedules paused (reason "archived").

    The caller has decided that this may happen (the client's acceptance of the close-out report, or the
    lead's confirmation). Archiving an archived project changes nothing and returns it as it is.
    """
    project = await _project(session, actor)
    if is_archived(project):
        return project
    paused: list[str] = []
    assert project.id is not None
    for schedule in await lessons.schedules_of(session, project_id=project.id):
        if schedule.status != engine.ACTIVE:
            continue  # paused by a person (or an uninstall), or cancelled: not ours to resume later
        schedule.status = engine.PAUSED
        schedule.paused_reason = ARCHIVED
        schedule.updated_at = utcnow()
        session.add(schedule)
        paused.append(f"S-{schedule.number}")
    project.archived_at = now
    project.updated_at = utcnow()
    session.add(project)
    await session.flush()
    await _log(session, actor, "project.archive", {"archived_at": now.isoformat(), "paused": paused})
    return project


async def reopen(session: AsyncSession, actor: Actor, *, now: datetime) -> Project:
    """Undo `archive`: records writable again, and the schedules it paused active again from `now` (what fell
    due while archived is not "missed"). Only the team may reopen, and only from its own places."""
    if actor.viewer.is_external or not may(actor.viewer, actor.place, Action.ADMIN):
        raise refusal(actor.viewer)
    project = await _project(session, actor)
    if not is_archived(project):
        raise UsageError("project.not_archived", None)
    assert project.id is not None
    resumed: list[str] = []
    for schedule in await lessons.schedules_of(session, project_id=project.id):
        if schedule.paused_reason != ARCHIVED:
            continue
        schedule.paused_reason = None
        if schedule.status == engine.PAUSED:
            schedule.status = engine.ACTIVE
            schedule.active_since = now
            resumed.append(f"S-{schedule.number}")
        schedule.updated_at = utcnow()
        session.add(schedule)
    since = project.archived_at
    project.archived_at = None
    project.updated_at = utcnow()
    session.add(project)
    await session.flush()
    await _log(
        session,
        actor,
        "project.reopen",
        {"archived_at": since.isoformat() if since else None, "resumed": resumed},
    )
    return project


async def archived_schedule_ids(session: AsyncSession, *, project_id: int) -> list[int]:
    """The schedules archiving paused (what a reopen resumes)."""
    return [
        s.id
        for s in await lessons.schedules_of(session, project_id=project_id)
        if s.paused_reason == ARCHIVED and s.status == engine.PAUSED and s.id is not None
    ]


async def resumed_schedule_ids(session: AsyncSession, *, project_id: int) -> list[int]:
    """The project's active schedules (after a reopen: what the scheduler should pick up again)."""
    return [
        s.id
        for s in await lessons.schedules_of(session, project_id=project_id)
        if s.status == engine.ACTIVE and s.id is not None
    ]


async def ask_team_for_lessons(session: AsyncSession, project: Project, *, now: datetime) -> list[str]:
    """Whom to DM the lessons form when closing starts: the project's own people, client people never.

    The rule (storage/repo/lessons.py, `team_members`): who set the project up; anyone the audit log shows
    creating or changing something in it from the project's own workspace; team owners of its action items,
    risks and issues; and who answered one of its check-ins as the team. `now` is when the closing started
    (the rule does not depend on it yet: everyone who ever took part is asked).
    """
    del now
    return await lessons.team_members(session, project=project, ignore=frozenset({SYSTEM_ACTOR}))
