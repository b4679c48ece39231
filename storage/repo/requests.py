"""Processed-request keys (`ProcessedRequest`): what claim_request writes, and pruning them once Slack can no
longer send the same request again."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import ProcessedRequest


async def prune_processed(session: AsyncSession, *, older_than: datetime) -> int:
    """Delete keys written before `older_than`; how many went."""
    connection = await session.connection()
    result = await connection.execute(
        delete(ProcessedRequest).where(col(ProcessedRequest.created_at) < older_than)
    )
    return int(result.rowcount or 0)


async def count_processed(session: AsyncSession) -> int:
    return int((await session.exec(select(func.count()).select_from(ProcessedRequest))).one())
