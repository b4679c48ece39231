"""The command journal's rules: a command is journaled before its ack, deleted once answered, and carried out
again when its process died first (bot/journal.py does the Slack side). Payloads may hold a client's text:
nothing here logs them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from storage.db import DatabaseUnavailable, SessionFactory, retry_once
from storage.repo import journal as repo

log = logging.getLogger(__name__)

__all__ = [
    "DatabaseUnavailable",
    "Due",
    "command_key",
    "finish",
    "record",
    "release",
    "renew",
    "retry_once",
    "take_due",
]

# Slack accepts posts to a response_url for 30 minutes: older commands can no longer be answered.
ANSWERABLE = timedelta(minutes=30)
# A command carried out this often without finishing (its process died each time) is given up on.
MAX_ATTEMPTS = 3


def command_key(payload: dict[str, Any]) -> str:
    """The request key a command's writes are claimed under (handlers/commands/runner.CommandCall)."""
    return f"cmd:{payload.get('trigger_id') or payload.get('response_url', '')}"


async def record(
    sessions: SessionFactory, payload: dict[str, Any], *, now: datetime, lease: timedelta
) -> bool:
    """Journal a command before its ack (one INSERT, retried once on a lost connection); False if Slack sent
    the same command twice. Raises DatabaseUnavailable when the database stays down: then do not ack it."""

    async def insert() -> bool:
        async with sessions.begin() as session:
            return await repo.record(
                session,
                key=command_key(payload),
                payload=payload,
                response_url=str(payload.get("response_url") or ""),
                received_at=now,
                lease_until=now + lease,
            )

    return await retry_once(insert, what="journal")


async def finish(sessions: SessionFactory, key: str) -> None:
    """The command was answered: its row (and the text it may hold) goes."""

    async def delete() -> None:
        async with sessions.begin() as session:
            await repo.finish(session, key=key)

    await retry_once(delete, what="journal")


async def release(sessions: SessionFactory, keys: Iterable[str]) -> int:
    """Leases given up at shutdown: the next start carries these commands out without waiting."""
    async with sessions.begin() as session:
        return await repo.release(session, keys=keys)


async def renew(sessions: SessionFactory, keys: Iterable[str], *, now: datetime, lease: timedelta) -> int:
    """Keep the leases of commands this process holds (running or waiting for a worker) from running out."""
    async with sessions.begin() as session:
        return await repo.renew(session, keys=keys, lease_until=now + lease)


@dataclass(frozen=True)
class Due:
    dropped: int  # too old to answer, or tried too often: given up on (logged as a count only)
    commands: list[tuple[str, dict[str, Any]]]  # (key, payload), leased to this process


async def take_due(sessions: SessionFactory, *, now: datetime, lease: timedelta, limit: int = 200) -> Due:
    """Drop what can no longer be answered, then lease up to `limit` commands whose process died."""
    async with sessions.begin() as session:
        dropped = await repo.drop_stale(
            session, now=now, received_before=now - ANSWERABLE, max_attempts=MAX_ATTEMPTS
        )
    async with sessions.begin() as session:
        commands = await repo.claim(
            session, now=now, lease_until=now + lease, received_after=now - ANSWERABLE, limit=limit
        )
    return Due(dropped=dropped, commands=commands)


async def pending(sessions: SessionFactory) -> int:
    async with sessions() as session:
        return await repo.count_pending(session)
