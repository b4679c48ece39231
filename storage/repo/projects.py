"""Workspaces, projects and the channels bound to them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import chain
from typing import Any

from sqlalchemy import bindparam, event, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import ProcessedRequest, Project, ProjectChannel, Workspace
from storage.types import utcnow

INTERNAL = "internal"
CLIENT = "client"


@dataclass(frozen=True)
class ChannelBinding:
    """A channel's project and the role the channel plays in it."""

    project: Project
    channel: ProjectChannel


# ---- what a channel's binding may have changed: one counter for the whole process --------------------------
#
# Caches of bindings (bot/domain/channels.BindingCache) keep an entry only while this counter stays where it was
# when the entry was read. Every flush that writes a workspace, project or channel row moves it, and so does the
# commit after it (a binding read by another transaction between that flush and that commit saw the old row).
# A flag left by a flush that was rolled back only moves it once more at that session's next commit: harmless.

_BINDING_MODELS = (Workspace, Project, ProjectChannel)
_CHANGED = "liaison.bindings_changed"
_bindings_version = 0


def bindings_version() -> int:
    return _bindings_version


def _after_flush(session: Session, _context: Any) -> None:
    global _bindings_version
    if any(isinstance(o, _BINDING_MODELS) for o in chain(session.new, session.dirty, session.deleted)):
        _bindings_version += 1
        session.info[_CHANGED] = True


def _after_commit(session: Session) -> None:
    global _bindings_version
    if session.info.pop(_CHANGED, False):
        _bindings_version += 1


event.listen(Session, "after_flush", _after_flush)
event.listen(Session, "after_commit", _after_commit)


async def get_or_create_workspace(
    session: AsyncSession, *, team_id: str, enterprise_id: str | None = None
) -> Workspace:
    found = (await session.exec(select(Workspace).where(Workspace.team_id == team_id))).first()
    if found is not None:
        return found
    try:
        async with session.begin_nested():
            workspace = Workspace(team_id=team_id, enterprise_id=enterprise_id)
            session.add(workspace)
        return workspace
    except IntegrityError:  # another request created it first
        return (await session.exec(select(Workspace).where(Workspace.team_id == team_id))).one()


async def find_binding(session: AsyncSession, *, workspace_id: int, channel_id: str) -> ChannelBinding | None:
    row = (
        await session.exec(
            select(ProjectChannel, Project)
            .join(Project, Project.id == ProjectChannel.project_id)  # type: ignore[arg-type]
            .where(ProjectChannel.workspace_id == workspace_id, ProjectChannel.channel_id == channel_id)
        )
    ).first()
    if row is None:
        return None
    channel, project = row
    return ChannelBinding(project=project, channel=channel)


async def list_channels(session: AsyncSession, *, project_id: int) -> list[ProjectChannel]:
    query = select(ProjectChannel).where(ProjectChannel.project_id == project_id).order_by(ProjectChannel.id)  # type: ignore[arg-type]
    return list((await session.exec(query)).all())


async def get_project(session: AsyncSession, *, project_id: int) -> Project | None:
    return await session.get(Project, project_id)


async def create_project(
    session: AsyncSession,
    *,
    workspace_id: int,
    channel_id: str,
    name: str,
    client_name: str,
    tz: str,
    lang: str,
    created_by: str,
) -> Project:
    project = Project(
        workspace_id=workspace_id, name=name, client_name=client_name, tz=tz, lang=lang, created_by=created_by
    )
    session.add(project)
    await session.flush()
    assert project.id is not None
    session.add(
        ProjectChannel(
            workspace_id=workspace_id,
            project_id=project.id,
            channel_id=channel_id,
            role=INTERNAL,
            added_by=created_by,
        )
    )
    await session.flush()
    return project


async def update_project(
    session: AsyncSession, *, project: Project, changes: Mapping[str, object]
) -> Project:
    for field, value in changes.items():
        setattr(project, field, value)
    project.updated_at = utcnow()
    session.add(project)
    await session.flush()
    return project


async def bind_client_channel(
    session: AsyncSession,
    *,
    workspace_id: int,
    project_id: int,
    channel_id: str,
    is_ext_shared: bool,
    added_by: str,
) -> ProjectChannel:
    channel = ProjectChannel(
        workspace_id=workspace_id,
        project_id=project_id,
        channel_id=channel_id,
        role=CLIENT,
        is_ext_shared=is_ext_shared,
        shared_checked_at=utcnow(),
        added_by=added_by,
    )
    session.add(channel)
    await session.flush()
    return channel


# Built once: a statement built per call (values and all) cost about as much CPU as its round trip.
# Written as text: both backends take this INSERT … ON CONFLICT DO NOTHING, and SQLAlchemy compiles a dialect's
# own (sqlite_insert / pg_insert … on_conflict_do_nothing) anew on every execution, as it has no cache key.
CLAIM_SQL = (
    'INSERT INTO processedrequest ("key", created_at) VALUES (:key, :created_at) ON CONFLICT DO NOTHING'
)
CLAIMED_AT = bindparam("created_at", type_=ProcessedRequest.__table__.c.created_at.type)  # type: ignore[attr-defined]
_CLAIM = text(CLAIM_SQL).bindparams(CLAIMED_AT)


async def claim_request(session: AsyncSession, *, key: str) -> bool:
    """Record that a request is being acted on; False if it already was (a retry).

    One INSERT … ON CONFLICT DO NOTHING (both backends) instead of a savepoint and a caught error: this
    runs on every write command, and the savepoint was a measurable share of its cost.
    """
    connection = await session.connection()
    result = await connection.execute(_CLAIM, {"key": key, "created_at": utcnow()})
    return bool(result.rowcount == 1)


async def list_projects(session: AsyncSession, *, workspace_id: int) -> list[Project]:
    query = select(Project).where(Project.workspace_id == workspace_id).order_by(Project.id)  # type: ignore[arg-type]
    return list((await session.exec(query)).all())
