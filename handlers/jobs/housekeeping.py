"""Housekeeping follow-up (every minute with the schedule runner, acting every 10): prune old request keys and
posted follow-up claims."""

from __future__ import annotations

import logging
from datetime import datetime

from bot.domain import housekeeping
from bot.services import Services

log = logging.getLogger(__name__)


class RequestKeyPruner:
    def __init__(self, svc: Services) -> None:
        self.svc = svc
        self.throttle = housekeeping.Throttle()

    async def __call__(self, now: datetime) -> None:
        if not self.throttle.due(now):
            return
        async with self.svc.sessions.begin() as session:
            gone = await housekeeping.prune_request_keys(session, now=now)
            posted = await housekeeping.prune_followups(session, now=now)
        if gone or posted:
            log.info("pruned %d processed-request keys and %d posted follow-up claims", gone, posted)
