"""Posting a sync reminder: the channel's shared status is checked now, and the agenda filtered for it."""

from __future__ import annotations

from datetime import datetime

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.delivery import post_once
from bot.domain import schedules as engine
from bot.domain.agenda import agenda_for
from bot.i18n import normalise_lang
from bot.policy import Place
from bot.services import Services
from handlers.builders.common import Block
from handlers.builders.review import with_note
from handlers.builders.sync import build_sync_reminder
from handlers.jobs import review
from handlers.jobs.slack_errors import delivery_error
from storage.models import Project, Schedule


async def post_sync_reminder(
    svc: Services, client: AsyncWebClient, schedule_id: int, occurs_at: datetime
) -> engine.Delivery:
    async with svc.sessions() as session:
        schedule, project = await engine.schedule_and_project(session, schedule_id=schedule_id)
    note = await review.gate(svc, client, schedule, project, occurs_at)  # held: raises, nothing posted
    channel_id, text, blocks = await compose_sync_reminder(
        svc, client, schedule, project, occurs_at, now=svc.clock()
    )
    text, blocks = with_note(note, normalise_lang(project.lang), text, blocks)
    try:
        ts = await post_once(client, channel=channel_id, text=text, blocks=blocks, unfurl_links=False)
    except (SlackApiError, aiohttp.ClientError, TimeoutError, OSError) as exc:
        raise delivery_error(exc) from exc
    await review.posted(svc, client, schedule, project, occurs_at)
    return engine.Delivery(channel_id=channel_id, message_ts=ts)


async def compose_sync_reminder(
    svc: Services,
    client: AsyncWebClient,
    schedule: Schedule,
    project: Project,
    occurs_at: datetime,
    *,
    now: datetime,
) -> tuple[str, str, list[Block]]:
    """(channel, text, blocks) of a reminder, filtered for its channel as Slack says it is now; `now` is when
    it is read (posted now, or a preview's post time), which says how far off the meeting is."""
    async with svc.sessions() as session:
        channel_id, is_client_channel = await engine.target_channel(session, schedule=schedule)
    assert project.id is not None
    facts = await svc.channels.facts(client, channel_id, fresh=True)
    place = Place(channel_id=channel_id, shared=facts.shared, client_channel=is_client_channel)
    async with svc.sessions() as session:
        found = await agenda_for(
            session, place, schedule=schedule, occurs_at=occurs_at, tz=project.tz, now=svc.clock()
        )
    text, blocks = build_sync_reminder(
        title=schedule.title,
        occurs_at=occurs_at,
        tz=project.tz,
        lang=normalise_lang(project.lang),
        now=now,
        agenda=found,
        project_id=project.id,
        minutes_button=not place.client_facing,
        client_facing=place.client_facing,
    )
    return channel_id, text, blocks
