"""Which workspace and project a channel belongs to, and the project-level reads handlers need.

Kept apart from `bot/domain/projects.py` (setup and settings); handlers reach storage only through
the domain, so these are the lookups the listeners used to run themselves.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.cache import BoundedTTLCache
from bot.errors import UsageError
from storage.db import SessionFactory
from storage.models import Project, ProjectChannel
from storage.repo import projects
from storage.repo.projects import CLIENT, INTERNAL, ChannelBinding
from storage.repo.records import copy_detached

__all__ = [
    "CLIENT",
    "INTERNAL",
    "BindingCache",
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


# How long another replica's change to a project (its settings, archiving it) may go unseen here: less than the
# time between one command and the next a person types, long enough that a burst reads each binding once.
BINDING_TTL_SECONDS = 2.0
BINDING_CACHE_SIZE = 1024


class BindingCache:
    """Channel → binding, read once per burst instead of once per command (a transaction on every command).

    Safe to serve because a binding's channel and role never change once made (nothing unbinds or re-roles a
    channel), and its project's settings change rarely: every change made in this process empties the cache at
    once (`projects.bindings_version`, moved by each flush and commit that writes a project, channel or
    workspace row; an entry read before the move is never served), and a change made by another replica is
    seen within `BINDING_TTL_SECONDS`. An unbound channel is not cached, so a `/project setup` made elsewhere
    counts at once. Each hit is a fresh detached copy: a caller may change it or add it to its session.
    """

    def __init__(
        self,
        *,
        maxsize: int = BINDING_CACHE_SIZE,
        ttl: float = BINDING_TTL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._items: BoundedTTLCache[tuple[int, str], tuple[int, ChannelBinding]] = BoundedTTLCache(
            maxsize=maxsize, ttl=ttl, clock=clock
        )

    def __len__(self) -> int:
        return len(self._items)

    @staticmethod
    def stamp() -> int:
        """Take before reading a binding; `put` keeps it only if nothing changed a binding since."""
        return projects.bindings_version()

    def get(self, *, workspace_id: int, channel_id: str) -> ChannelBinding | None:
        entry = self._items.get((workspace_id, channel_id))
        if entry is None:
            return None
        stamp, binding = entry
        if stamp != projects.bindings_version():
            self._items.pop((workspace_id, channel_id))
            return None
        return _copied(binding)

    def put(self, binding: ChannelBinding, *, workspace_id: int, channel_id: str, stamp: int) -> None:
        if stamp == projects.bindings_version():
            self._items.put((workspace_id, channel_id), (stamp, _copied(binding)))

    async def find(
        self, sessions: SessionFactory, *, workspace_id: int, channel_id: str
    ) -> ChannelBinding | None:
        """The channel's binding: from the cache, else read in a transaction of its own and kept."""
        found = self.get(workspace_id=workspace_id, channel_id=channel_id)
        if found is not None:
            return found
        stamp = self.stamp()
        async with sessions.begin() as session:
            found = await find_binding(session, workspace_id=workspace_id, channel_id=channel_id)
        if found is not None:
            self.put(found, workspace_id=workspace_id, channel_id=channel_id, stamp=stamp)
        return found

    def clear(self) -> None:
        self._items.clear()


def _copied(binding: ChannelBinding) -> ChannelBinding:
    return ChannelBinding(project=copy_detached(binding.project), channel=copy_detached(binding.channel))


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
