"""Keeping the store bounded: processed-request keys go once Slack can no longer send that request again.

`claim_request` writes one key per acted-on request so a retry does nothing twice. Slack retries an event at
most three times within minutes (X-Slack-Retry-Num), refuses nothing itself but our signature check refuses a
request more than 5 minutes old, and a command's response_url works for 30 minutes. A day covers all of that
with a wide margin, and keeps the table to about a day of traffic instead of growing for ever.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from storage.repo import followups as followup_repo
from storage.repo import requests as repo

REQUEST_KEY_RETENTION = timedelta(days=1)
# A posted follow-up's claim row only matters while a replica could still be posting it (a lease is 60 s);
# a week keeps it at hand for anyone asking what happened, then it goes.
FOLLOWUP_RETENTION = timedelta(days=7)
PRUNE_EVERY = timedelta(minutes=10)  # the follow-ups run every minute; deleting that often gains nothing


async def prune_request_keys(session: AsyncSession, *, now: datetime) -> int:
    """Delete the keys older than the retention; how many went."""
    return await repo.prune_processed(session, older_than=now - REQUEST_KEY_RETENTION)


async def prune_followups(session: AsyncSession, *, now: datetime) -> int:
    """Delete follow-up claims posted more than the retention ago; how many went."""
    return await followup_repo.prune_done(session, older_than=now - FOLLOWUP_RETENTION)


async def request_key_count(session: AsyncSession) -> int:
    return await repo.count_processed(session)


class Throttle:
    """True at most once per `every` of the given clock (one process; other replicas prune too, harmlessly)."""

    def __init__(self, every: timedelta = PRUNE_EVERY) -> None:
        self.every = every
        self.last: datetime | None = None

    def due(self, now: datetime) -> bool:
        if self.last is not None and self.last <= now < self.last + self.every:
            return False
        self.last = now
        return True
