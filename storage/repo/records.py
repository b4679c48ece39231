"""What all project records share: per-project numbering and lookup by number."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import ProjectCounter
from storage.types import utcnow

T = TypeVar("T", bound=SQLModel)

_BUMP = text("UPDATE projectcounter SET last = last + 1 WHERE project_id = :p AND kind = :k RETURNING last")


async def next_number(session: AsyncSession, *, project_id: int, kind: str) -> int:
    """The next number for a record kind in a project; atomic under concurrent writers on both backends."""
    for _ in range(3):
        connection = await session.connection()
        bumped = (await connection.execute(_BUMP, {"p": project_id, "k": kind})).scalar()
        if bumped is not None:
            return int(bumped)
        try:
            async with session.begin_nested():
                session.add(ProjectCounter(project_id=project_id, kind=kind, last=1))
            return 1
        except IntegrityError:  # another writer created the counter first; bump theirs
            continue
    raise RuntimeError("could not allocate a record number")


async def get_by_number(session: AsyncSession, model: type[T], *, project_id: int, number: int) -> T | None:
    """A live (not deleted) record of a project by its number."""
    table: Any = model
    query = select(model).where(table.project_id == project_id, table.number == number)
    if hasattr(table, "deleted_at"):
        query = query.where(table.deleted_at.is_(None))
    return (await session.exec(query)).first()


async def set_deleted(session: AsyncSession, record: Any, at: datetime | None) -> None:
    """Soft-delete (`at`) or restore (None) any record kind."""
    record.deleted_at = at
    record.updated_at = utcnow()
    session.add(record)
    await session.flush()
