"""Action item reminders: the owner is reminded on the working day before the due date and on the due day, at
the project's morning hour (`/project settings morning:9:00`). Team owners get a DM in their own language;
client owners a mention in the client channel, with the item's buttons.

It runs as a follow-up of the schedule runner (every minute, on every replica). Each reminder is claimed in
the database first (a row unique per item, kind and due date), so however many processes look, one posts it.
"""

from __future__ import annotations

import logging
from datetime import datetime

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.delivery import Once, post_once
from bot.domain import actions as domain
from bot.domain.signoff import client_channel_of
from bot.i18n import normalise_lang
from bot.install import use_workspace_of
from bot.services import Services
from handlers.builders.actions import build_client_reminder, build_reminder_dm
from handlers.jobs.checkin import person

log = logging.getLogger(__name__)
SLACK_ERRORS = (SlackApiError, aiohttp.ClientError, TimeoutError, OSError)


async def action_reminders(svc: Services, client: AsyncWebClient, now: datetime, *, instance: str) -> None:
    async with svc.sessions() as session:
        due = await domain.due_reminders(session, now=now)
    for reminder in due:
        await _remind(svc, client, reminder, instance=instance)


async def _remind(svc: Services, client: AsyncWebClient, reminder: domain.Reminder, *, instance: str) -> None:
    item, project = reminder.item, reminder.project
    assert project.id is not None
    await use_workspace_of(svc, project_id=project.id)
    for_client = domain.client_owned(item, home_team_id=reminder.home_team_id)
    channel_id: str | None = None
    if for_client:
        if not domain.for_the_client(item, home_team_id=reminder.home_team_id):
            return  # an internal item a client person owns: never posted where the client reads
        async with svc.sessions() as session:
            channel_id = await client_channel_of(session, project.id)
        if channel_id is None:
            return
    elif item.owner_user_id is None:
        return  # nobody to remind
    async with svc.sessions.begin() as session:
        if not await domain.claim_reminder(session, reminder, instance=instance):
            return  # another process (or an earlier minute) has it
    # A lost answer is looked up in the channel's history (bot/delivery.py), never re-sent blindly.
    once = Once(f"action-reminder:{item.id}:{reminder.kind}:{reminder.at.isoformat()}")
    try:
        if channel_id is not None:
            lang = normalise_lang(project.lang)
            text, blocks = build_client_reminder(item, lang, kind=reminder.kind)
            await post_once(
                client,
                once,
                channel=channel_id,
                text=text,
                blocks=blocks,
                unfurl_links=False,
                unfurl_media=False,
            )
        else:
            assert item.owner_user_id is not None
            who = await person(
                svc.users, client, item.owner_user_id, default_tz=project.tz, default_lang=project.lang
            )
            if not who.active:
                return
            reply = build_reminder_dm(item, who.lang, project=project.name, kind=reminder.kind)
            dm = (await client.conversations_open(users=item.owner_user_id))["channel"]["id"]
            await post_once(
                client,
                once,
                channel=dm,
                text=reply.text,
                blocks=reply.blocks,
                unfurl_links=False,
                unfurl_media=False,
            )
    except SlackApiError as exc:  # Slack refused it, so nothing was posted: let a later minute try again
        log.warning(
            "reminder %s of action %s was refused (%s)", reminder.kind, item.id, exc.response.get("error")
        )
        async with svc.sessions.begin() as session:
            await domain.release_reminder(session, reminder)
    except SLACK_ERRORS as exc:  # it may have been posted: never risk a second reminder
        log.warning("reminder %s of action %s may not have been posted: %s", reminder.kind, item.id, exc)
