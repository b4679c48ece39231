"""Which workspace and project a channel belongs to, and the project-level reads handlers need.

Kept apart from `bot/domain/projects.py` (setup and settings); handlers reach storage only through
the domain, so these are the lookups the listeners used to run themselves.
"""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.errors import UsageError
from storage.models import Project, ProjectChannel
from storage.repo import projects
from storage.repo.projects import CLIENT, INTERNAL, ChannelBinding

__all__ = [
    "CLIENT",
    "INTERNAL",
    "ChannelBinding",
    "channel_for",
    "claim_request",
    "find_binding",
    "fresh_project",
    "list_channels",
    "target_project",
    "workspace_id_of",
]


async def workspace_id_of(session: AsyncSession, *, team_id: str) -> int:
    """The installing workspace's row id, created on first sight."""
    workspace = await projects.get_or_create_workspace(session, team_id=team_id)
    assert workspace.id is not None
    return workspace.id


async def find_binding(session: AsyncSession, *, workspace_id: int, channel_id: str) -> ChannelBinding | None:
    return await projects.find_binding(session, workspace_id=workspace_id, channel_id=channel_id)


async def list_channels(session: AsyncSession, *, project_id: int) -> list[ProjectChannel]:
    return await projects.list_channels(session, project_id=project_id)


async def channel_for(session: AsyncSession, *, project_id: int, role: str) -> str | None:
    """The project's channel playing `role` (internal or client), if it has one."""
    channels = await projects.list_channels(session, project_id=project_id)
    return next((c.channel_id for c in channels if c.role == role), None)


async def fresh_project(session: AsyncSession, *, project_id: int) -> Project | None:
    return await projects.get_project(session, project_id=project_id)


async def claim_request(session: AsyncSession, *, key: str) -> bool:
    """Record that a request is being acted on; False if it already was (a retry)."""
    return await projects.claim_request(session, key=key)


async def target_project(
    session: AsyncSession, *, workspace_id: int, channel_ids: list[str], wanted: str | None
) -> Project:
    """The project named by `#internal-channel`, `project:"name"`, or the workspace's only project."""
    for channel_id in channel_ids:
        binding = await projects.find_binding(session, workspace_id=workspace_id, channel_id=channel_id)
        if binding is not None and binding.channel.role == INTERNAL:
            return binding.project
    candidates = await projects.list_projects(session, workspace_id=workspace_id)
    if wanted:
        named = [p for p in candidates if p.name.casefold() == wanted.casefold()]
        if len(named) == 1:
            return named[0]
        raise UsageError("project.not_found", "cmd.project.client_channel.example", name=wanted[:80])
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise UsageError("grammar.no_project", "cmd.project.setup.example")
    raise UsageError("project.which", "cmd.project.client_channel.example")
