"""Posting a sync reminder: the channel's shared status is checked now, and the agenda filtered for it."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain import schedules as engine
from bot.i18n import normalise_lang
from bot.policy import Place, visible_in
from bot.services import Services
from handlers.builders.sync import Agenda, build_sync_reminder
from handlers.jobs.slack_errors import delivery_error
from storage.models import Project, Schedule
from storage.repo import agenda, projects


async def target_channel(svc: Services, schedule: Schedule, project: Project) -> tuple[str, bool]:
    """The channel a schedule posts into and whether it is the project's client channel."""
    assert project.id is not None
    async with svc.sessions() as session:
        channels = await projects.list_channels(session, project_id=project.id)
    wanted = "client" if schedule.visibility == "client" else "internal"
    if schedule.channel_id:
        for channel in channels:
            if channel.channel_id == schedule.channel_id:
                return channel.channel_id, channel.role == "client"
    for channel in channels:
        if channel.role == wanted:
            return channel.channel_id, wanted == "client"
    raise engine.DeliveryError(f"the project has no {wanted} channel", retry=False)


async def post_sync_reminder(
    svc: Services, client: AsyncWebClient, schedule_id: int, occurs_at: datetime
) -> engine.Delivery:
    async with svc.sessions() as session:
        schedule = await session.get(Schedule, schedule_id)
        assert schedule is not None
        project = await session.get(Project, schedule.project_id)
        assert project is not None and project.id is not None
    channel_id, is_client_channel = await target_channel(svc, schedule, project)
    facts = await svc.channels.facts(client, channel_id, fresh=True)
    place = Place(channel_id=channel_id, shared=facts.shared, client_channel=is_client_channel)
    tz = ZoneInfo(project.tz)
    following = engine.upcoming(schedule, after=occurs_at, count=1)
    horizon = (following[0] if following else occurs_at + timedelta(days=7)).astimezone(tz).date()
    today = occurs_at.astimezone(tz).date()
    async with svc.sessions() as session:
        found = Agenda(
            actions=visible_in(
                place, await agenda.open_actions_due_by(session, project_id=project.id, by=horizon)
            ),
            risks=visible_in(place, await agenda.open_risks_by_score(session, project_id=project.id)),
            milestones=visible_in(
                place,
                await agenda.milestones_due_between(
                    session, project_id=project.id, start=today, end=today + timedelta(days=14)
                ),
            ),
        )
    text, blocks = build_sync_reminder(
        title=schedule.title,
        occurs_at=occurs_at,
        tz=project.tz,
        lang=normalise_lang(project.lang),
        lead_minutes=schedule.lead_minutes,
        agenda=found,
        project_id=project.id,
        minutes_button=not place.client_facing,
    )
    try:
        response = await client.chat_postMessage(
            channel=channel_id, text=text, blocks=blocks, unfurl_links=False
        )
    except (SlackApiError, aiohttp.ClientError, TimeoutError, OSError) as exc:
        raise delivery_error(exc) from exc
    return engine.Delivery(channel_id=channel_id, message_ts=str(response.get("ts")))
