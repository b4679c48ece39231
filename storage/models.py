"""Tables. Every timestamp is UTC-aware; every record a client could ever see carries a visibility."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime, utcnow


def _ts(**kw: Any) -> Any:
    return Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False, **kw))


class Workspace(SQLModel, table=True):
    """A Slack workspace (team) that installed Liaison."""

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32, unique=True, index=True)
    enterprise_id: str | None = Field(default=None, max_length=32)
    created_at: datetime = _ts()


class Project(SQLModel, table=True):
    """A client project; its channels live in ProjectChannel."""

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    name: str = Field(max_length=200)
    client_name: str = Field(max_length=200)
    tz: str = Field(default="UTC", max_length=64)
    lang: str = Field(default="en", max_length=8)
    holidays: str | None = Field(default=None, max_length=8)
    created_by: str = Field(max_length=32)
    created_at: datetime = _ts()
    updated_at: datetime = _ts()


class ProjectChannel(SQLModel, table=True):
    """A channel bound to a project: its one internal channel, or a client (possibly shared) channel."""

    __table_args__ = (UniqueConstraint("workspace_id", "channel_id", name="uq_project_channel"),)

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id")
    project_id: int = Field(foreign_key="project.id", index=True)
    channel_id: str = Field(max_length=32)
    role: str = Field(max_length=16)  # "internal" | "client"
    is_ext_shared: bool = Field(default=False)
    shared_checked_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    added_by: str = Field(max_length=32)
    created_at: datetime = _ts()


class AuditLog(SQLModel, table=True):
    """Who changed what, when: append-only."""

    __table_args__ = (Index("ix_auditlog_project_at", "project_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id")
    project_id: int | None = Field(default=None, foreign_key="project.id")
    actor_user_id: str = Field(max_length=32)
    actor_team_id: str | None = Field(default=None, max_length=32)
    action: str = Field(max_length=64)
    record_ref: str | None = Field(default=None, max_length=32)
    changes: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    at: datetime = _ts()


class ProcessedRequest(SQLModel, table=True):
    """Keys of requests already acted on, so a retried request does not act twice."""

    key: str = Field(primary_key=True, max_length=128)
    created_at: datetime = _ts()
