"""Scheduled posts: one poster per schedule kind, registered with the schedule runner."""

from __future__ import annotations

from datetime import datetime

from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.schedules import Delivery
from bot.services import Services
from handlers.jobs import sync


def install(svc: Services, client: AsyncWebClient) -> None:
    async def post_sync(schedule_id: int, occurs_at: datetime) -> Delivery:
        return await sync.post_sync_reminder(svc, client, schedule_id, occurs_at)

    svc.runner.register("sync", post_sync)
