"""Action item reminders: the owner is reminded on the working day before the due date and on the due day, at
the project's morning hour (`/project settings morning:9:00`). Team owners get a DM in their own language;
client owners a mention in the client channel, with the item's buttons.

It runs as a follow-up of the schedule runner (every minute, on every replica). Each reminder is claimed in
the database first (a row unique per item, kind and due date, with a follow-up claim under a lease in the same
transaction), so however many processes look, one posts it; a claim whose claimant died is taken over and
looked for in the channel's history before it is posted (bot/domain/followups.py).
"""

from __future__ import annotations

import logging
from datetime import date, datetime

from slack_sdk.web.async_client import AsyncWebClient

from bot.delivery import Once, post_once
from bot.domain import actions as domain
from bot.domain import followups
from bot.domain.installs import team_of_project
from bot.domain.signoff import client_channel_of
from bot.i18n import normalise_lang
from bot.install import use_workspace_of
from bot.services import Services
from handlers.builders.actions import build_client_reminder, build_reminder_dm
from handlers.jobs.checkin import person
from handlers.jobs.followups import carry_out
from storage.models import ActionItem, Project

log = logging.getLogger(__name__)
KIND = followups.ACTION_REMINDER


async def action_reminders(svc: Services, client: AsyncWebClient, now: datetime, *, instance: str) -> None:
    for held in await followups.take_over(svc.sessions, kind=KIND, now=now, instance=instance):
        await _carry_out(svc, client, held)
    async with svc.sessions() as session:
        due = await domain.due_reminders(session, now=now)
    for reminder in due:
        await _remind(svc, client, reminder, instance=instance, now=now)


def _part(kind: str, due_on: date) -> str:
    return f"{kind}:{due_on.isoformat()}"


async def _remind(
    svc: Services, client: AsyncWebClient, reminder: domain.Reminder, *, instance: str, now: datetime
) -> None:
    item, project = reminder.item, reminder.project
    assert item.id is not None and project.id is not None and item.due_on is not None
    if await _where(svc, item, project, reminder.home_team_id) is None:
        return  # nobody to remind, or an internal item a client person owns
    async with svc.sessions.begin() as session:
        if not await domain.claim_reminder(session, reminder, instance=instance):
            return  # another process (or an earlier minute) has it
        held = await followups.claim(
            session,
            kind=KIND,
            record_id=item.id,
            part=_part(reminder.kind, item.due_on),
            project_id=project.id,
            instance=instance,
            now=now,
        )
    if held is not None:
        await _carry_out(svc, client, held)


async def _where(svc: Services, item: ActionItem, project: Project, home_team_id: str) -> str | None:
    """ "client" (its channel's id follows) or "dm"; None when the reminder goes nowhere."""
    assert project.id is not None
    if domain.client_owned(item, home_team_id=home_team_id):
        if not domain.for_the_client(item, home_team_id=home_team_id):
            return None  # an internal item a client person owns: never posted where the client reads
        async with svc.sessions() as session:
            channel_id = await client_channel_of(session, project.id)
        return None if channel_id is None else f"client:{channel_id}"
    return None if item.owner_user_id is None else "dm"


async def _carry_out(svc: Services, client: AsyncWebClient, held: followups.Held) -> None:
    kind, _, due_on = held.part.partition(":")

    async def post(once: Once) -> None:
        async with svc.sessions() as session:
            item, project = await followups.subject(session, held, ActionItem)
            home = await team_of_project(session, project_id=held.project_id)
        if item is None or project is None or home is None:
            return  # gone meanwhile
        if item.status != "open" or item.deleted_at is not None or item.due_on is None:
            return  # done or deleted meanwhile: nothing to remind of
        if item.due_on.isoformat() != due_on:
            return  # its date moved: the new date has reminders of its own
        where = await _where(svc, item, project, home)
        if where is None:
            return
        await use_workspace_of(svc, project_id=held.project_id)
        if where.startswith("client:"):
            text, blocks = build_client_reminder(item, normalise_lang(project.lang), kind=kind)
            channel_id = where.removeprefix("client:")
        else:
            assert item.owner_user_id is not None
            who = await person(
                svc.users, client, item.owner_user_id, default_tz=project.tz, default_lang=project.lang
            )
            if not who.active:
                return
            reply = build_reminder_dm(item, who.lang, project=project.name, kind=kind)
            text, blocks = reply.text, reply.blocks
            channel_id = (await client.conversations_open(users=item.owner_user_id))["channel"]["id"]
        await post_once(
            client,
            once,
            channel=channel_id,
            text=text,
            blocks=blocks,
            unfurl_links=False,
            unfurl_media=False,
        )

    await carry_out(svc, client, held, post)
