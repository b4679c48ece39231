"""Sign-off versions: what was sent for the client's word and what they said. Keyword-only, no Slack."""

from __future__ import annotations

from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import SignOff


async def add_signoff(session: AsyncSession, **fields: Any) -> SignOff:
    row = SignOff(**fields)
    session.add(row)
    await session.flush()
    return row


async def get_signoff(session: AsyncSession, *, signoff_id: int, for_update: bool = False) -> SignOff | None:
    query = select(SignOff).where(SignOff.id == signoff_id)
    if for_update:
        query = query.with_for_update()  # two clicks at once: the second waits and sees the first's decision
    return (await session.exec(query)).first()


async def versions(session: AsyncSession, *, subject: str, subject_id: int) -> list[SignOff]:
    """Every version sent for one record, oldest first."""
    query = (
        select(SignOff)
        .where(SignOff.subject == subject, SignOff.subject_id == subject_id)
        .order_by(col(SignOff.version))
    )
    return list((await session.exec(query)).all())


async def list_by_status(session: AsyncSession, *, project_id: int, status: str) -> list[SignOff]:
    query = (
        select(SignOff)
        .where(SignOff.project_id == project_id, SignOff.status == status)
        .order_by(col(SignOff.requested_at))
    )
    return list((await session.exec(query)).all())


async def update_signoff(session: AsyncSession, *, row: SignOff, changes: dict[str, Any]) -> SignOff:
    for key, value in changes.items():
        setattr(row, key, value)
    session.add(row)
    await session.flush()
    return row
