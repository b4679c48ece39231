"""The sign-off nudge: a version left waiting more than the project's `signoff_nudge` working days reminds the
person who sent it, once, in the team channel, with a link to the message the client has to answer.

It runs as a follow-up of the schedule runner (every minute, on every replica). Each nudge is claimed in the
database first (`nudged_at` set by a conditional UPDATE, with a follow-up claim under a lease in the same
transaction), so however many processes look, one posts it; a claim whose claimant died is taken over and
looked for in the channel's history before it is posted (bot/domain/followups.py).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.delivery import Once, post_once
from bot.domain import followups, signoff
from bot.i18n import normalise_lang, t
from bot.install import use_workspace_of
from bot.mrkdwn import escape, mention
from bot.services import Services
from handlers.builders.common import section
from handlers.jobs.followups import carry_out
from storage.models import Project, SignOff

log = logging.getLogger(__name__)
SLACK_ERRORS = (SlackApiError, aiohttp.ClientError, TimeoutError, OSError)
# A nudge is due after at least one working day, so nothing sent within the last day needs a look.
LOOK_BACK = timedelta(days=1)
KIND = followups.SIGNOFF_NUDGE


def due(row: SignOff, project: Project, now: datetime) -> bool:
    """Waited `signoff_nudge` full working days in the project's calendar (same local time of day)."""
    at = signoff.nudge_due_at(row, days=project.signoff_nudge, tz=project.tz, holidays=project.holidays)
    return now >= at


async def signoff_nudges(svc: Services, client: AsyncWebClient, now: datetime) -> None:
    instance = svc.runner.instance
    for held in await followups.take_over(svc.sessions, kind=KIND, now=now, instance=instance):
        await _carry_out(svc, client, held, now)
    async with svc.sessions() as session:
        candidates = await signoff.nudge_candidates(session, sent_before=now - LOOK_BACK)
    for row, project in candidates:
        if due(row, project, now):
            await _nudge(svc, client, row, project, now)


async def _nudge(
    svc: Services, client: AsyncWebClient, row: SignOff, project: Project, now: datetime
) -> None:
    assert row.id is not None and project.id is not None
    async with svc.sessions() as session:
        internal = await signoff.internal_channel_of(session, project.id)
        found = await signoff.with_subjects(session, [row])
    if internal is None or not found:
        return  # no team channel, or the record is gone: nothing to remind anyone of
    async with svc.sessions.begin() as session:
        if not await signoff.claim_nudge(session, signoff_id=row.id, now=now):
            return  # another process (or an earlier minute) has it
        held = await followups.claim(
            session, kind=KIND, record_id=row.id, project_id=project.id, instance=svc.runner.instance, now=now
        )
    if held is not None:
        await _carry_out(svc, client, held, now)


async def _carry_out(svc: Services, client: AsyncWebClient, held: followups.Held, now: datetime) -> None:
    async def post(once: Once) -> None:
        async with svc.sessions() as session:
            row, project = await followups.subject(session, held, SignOff)
            internal = await signoff.internal_channel_of(session, held.project_id)
            found = await signoff.with_subjects(session, [row]) if row is not None else []
        if row is None or project is None or internal is None or not found or row.status != "waiting":
            return  # answered, withdrawn or gone meanwhile: nothing to remind anyone of
        await use_workspace_of(svc, project_id=held.project_id)
        lang = normalise_lang(project.lang)
        link = await _permalink(client, row) or f"#{row.channel_id}"
        text = t(
            "signoff.nudge",
            lang,
            who=mention(row.requested_by),
            ref=signoff.subject_name(row, found[0][1]),
            version=row.version,
            days=signoff.waiting_days(row, now=now, tz=project.tz, holidays=project.holidays),
            client=escape(project.client_name),
            link=link,
        )
        await post_once(
            client,
            once,
            channel=internal,
            text=text,
            blocks=[section(text)],
            unfurl_links=False,
            unfurl_media=False,
        )

    await carry_out(svc, client, held, post)


async def _permalink(client: AsyncWebClient, row: SignOff) -> str | None:
    if not row.channel_id or not row.message_ts:
        return None
    try:
        found = await client.chat_getPermalink(channel=row.channel_id, message_ts=row.message_ts)
    except SLACK_ERRORS as exc:
        log.info("no permalink for sign-off %s: %s", row.id, exc)
        return None
    return str(found.get("permalink") or "") or None
