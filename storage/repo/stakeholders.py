"""The stakeholder register: add, list, remove. Keyword-only, a session in, no Slack."""

from __future__ import annotations

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Stakeholder


async def add_stakeholder(
    session: AsyncSession,
    *,
    project_id: int,
    user_id: str | None,
    name: str,
    role: str,
    org: str,
    influence: str,
    signs: list[str],
    created_by: str,
) -> Stakeholder:
    row = Stakeholder(
        project_id=project_id,
        user_id=user_id,
        name=name,
        role=role,
        org=org,
        influence=influence,
        signs=list(signs),
        created_by=created_by,
    )
    session.add(row)
    await session.flush()
    return row


async def list_stakeholders(session: AsyncSession, *, project_id: int) -> list[Stakeholder]:
    query = select(Stakeholder).where(Stakeholder.project_id == project_id).order_by(col(Stakeholder.id))
    return list((await session.exec(query)).all())


async def find_by_user(session: AsyncSession, *, project_id: int, user_id: str) -> Stakeholder | None:
    query = select(Stakeholder).where(Stakeholder.project_id == project_id, Stakeholder.user_id == user_id)
    return (await session.exec(query)).first()


async def delete_stakeholder(session: AsyncSession, *, row: Stakeholder) -> None:
    await session.delete(row)
    await session.flush()
