"""What installing and uninstalling do to a workspace's projects: which workspace a project is in, and
pausing its schedules on uninstall so that a reinstall resumes exactly those (never one a person paused)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain import schedules as engine
from storage.models import Project, Schedule, UninstallPause, Workspace
from storage.repo.audit import append, entry
from storage.types import utcnow

SYSTEM_ACTOR = "liaison"  # audit entries Slack caused (an uninstall), not a person


async def team_of_project(session: AsyncSession, *, project_id: int) -> str | None:
    query = (
        select(Workspace.team_id)
        .join(Project, col(Project.workspace_id) == col(Workspace.id))
        .where(Project.id == project_id)
    )
    team: str | None = (await session.exec(query)).first()
    return team


async def _schedules_of_team(session: AsyncSession, team_id: str) -> list[tuple[Schedule, Project]]:
    query = (
        select(Schedule, Project)
        .join(Project, col(Project.id) == col(Schedule.project_id))
        .join(Workspace, col(Workspace.id) == col(Project.workspace_id))
        .where(Workspace.team_id == team_id)
    )
    return list((await session.exec(query)).all())


async def pause_for_uninstall(session: AsyncSession, *, team_id: str) -> list[int]:
    """Pause the workspace's active schedules, remembering why; returns their ids."""
    paused: list[int] = []
    for schedule, project in await _schedules_of_team(session, team_id):
        if schedule.status != engine.ACTIVE or schedule.id is None:
            continue
        schedule.status = engine.PAUSED
        schedule.updated_at = utcnow()
        session.add(schedule)
        session.add(UninstallPause(schedule_id=schedule.id, team_id=team_id))
        await _log_status(session, project, schedule, team_id, engine.PAUSED, why="uninstalled")
        paused.append(schedule.id)
    return paused


async def resume_after_install(session: AsyncSession, *, team_id: str, now: datetime) -> list[int]:
    """Resume what the uninstall paused (and is still paused); returns their ids."""
    pauses = (await session.exec(select(UninstallPause).where(UninstallPause.team_id == team_id))).all()
    resumed: list[int] = []
    for pause in pauses:
        schedule = await session.get(Schedule, pause.schedule_id)
        await session.delete(pause)
        if schedule is None or schedule.status != engine.PAUSED:
            continue  # cancelled (or resumed by hand) since: leave it as it is
        project = await session.get(Project, schedule.project_id)
        schedule.status = engine.ACTIVE
        schedule.active_since = now  # what fell due while uninstalled is not "missed"
        schedule.updated_at = utcnow()
        session.add(schedule)
        if project is not None:
            await _log_status(session, project, schedule, team_id, engine.ACTIVE, why="reinstalled")
        resumed.append(pause.schedule_id)
    return resumed


async def _log_status(
    session: AsyncSession, project: Project, schedule: Schedule, team_id: str, status: str, *, why: str
) -> None:
    """Slack (an uninstall, a reinstall) moved a schedule to `status`: audited as the system's act."""
    was = engine.ACTIVE if status == engine.PAUSED else engine.PAUSED
    await append(
        session,
        entry(
            workspace_id=project.workspace_id,
            project_id=project.id,
            actor_user_id=SYSTEM_ACTOR,
            actor_team_id=team_id,
            action=f"{schedule.kind}.{status}",
            record_ref=f"S-{schedule.number}",
            changes={"status": [was, status], "why": why},
        ),
    )
