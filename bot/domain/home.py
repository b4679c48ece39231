"""What App Home shows one person: their open action items, check-ins waiting for them, their projects,
and each project's open milestones, top risks and waiting sign-offs (composed like a digest)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain import kinds, signoff
from bot.domain.kinds import RecordKind
from storage.models import ActionItem, CheckinAnswer, Milestone, Project, Risk, SignOff
from storage.repo import digest as repo
from storage.repo import projects


@dataclass(frozen=True)
class PersonalRecords:
    owned: list[tuple[ActionItem, Project]]
    waiting: list[tuple[CheckinAnswer, Project]]
    projects: list[Project]
    # Kinds App Home lists generically (bot/domain/kinds.py, Shown.OPEN): this person's open ones.
    open_owned: list[tuple[RecordKind, Any, Project]] = field(default_factory=list)


@dataclass(frozen=True)
class ProjectOutlook:
    open_milestones: list[Milestone]
    open_risks: list[Risk]
    signoffs: list[tuple[SignOff, Any]]


async def personal_records(
    session: AsyncSession, *, team_id: str, user_id: str, since: datetime
) -> PersonalRecords:
    """Everything of this person's in the workspace, before the policy's filter."""
    workspace = await projects.get_or_create_workspace(session, team_id=team_id)
    assert workspace.id is not None
    return PersonalRecords(
        owned=await repo.open_actions_owned_by(session, workspace_id=workspace.id, user_id=user_id),
        waiting=await repo.pending_checkins_for(
            session, workspace_id=workspace.id, user_id=user_id, since=since
        ),
        projects=await repo.projects_of_user(session, workspace_id=workspace.id, user_id=user_id),
        open_owned=[
            (kind, record, project)
            for kind in kinds.shown_open("home")
            for record, project in await _owned(session, kind, workspace_id=workspace.id, user_id=user_id)
        ],
    )


async def _owned(
    session: AsyncSession, kind: RecordKind, *, workspace_id: int, user_id: str
) -> list[tuple[Any, Project]]:
    rule = kind.open
    assert rule is not None
    found = await repo.open_records_owned_by(
        session,
        kind.model,
        workspace_id=workspace_id,
        user_id=user_id,
        owner_field=rule.owner_field,
        status_field=rule.status_field,
        open_values=rule.open_values,
    )
    return sorted(found, key=lambda pair: rule.sort_key(pair[0]))


async def project_outlook(session: AsyncSession, *, project_id: int) -> ProjectOutlook:
    return ProjectOutlook(
        open_milestones=await repo.open_milestones(session, project_id=project_id),
        open_risks=await repo.open_risks_by_score(session, project_id=project_id, limit=repo.LIMIT),
        signoffs=await signoff.with_subjects(session, await signoff.waiting(session, project_id=project_id)),
    )
