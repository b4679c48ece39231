"""Issue escalation: an open issue the team has not responded to within its severity's target, or still open
past its due time, is escalated once to the project's lead in the team channel.

It runs as a follow-up of the schedule runner (every minute, on every replica). Each escalation is claimed in
the database first (`escalated_at` set by one conditional UPDATE … WHERE escalated_at IS NULL), so however
many processes look, one posts it.
"""

from __future__ import annotations

import logging
from datetime import datetime

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.delivery import Once, post_once
from bot.domain import issues as domain
from bot.i18n import normalise_lang
from bot.services import Services
from handlers.builders.common import section
from handlers.builders.issues import build_escalation
from storage.models import Issue, Project

log = logging.getLogger(__name__)
SLACK_ERRORS = (SlackApiError, aiohttp.ClientError, TimeoutError, OSError)


async def issue_escalations(svc: Services, client: AsyncWebClient, now: datetime) -> None:
    async with svc.sessions() as session:
        candidates = await domain.escalation_candidates(session)
    for issue, project in candidates:
        reason = domain.escalation_reason(issue, project, now)
        if reason is not None:
            await _escalate(svc, client, issue, project, reason, now)


async def _escalate(
    svc: Services,
    client: AsyncWebClient,
    issue: Issue,
    project: Project,
    reason: domain.Reason,
    now: datetime,
) -> None:
    assert issue.id is not None and project.id is not None
    async with svc.sessions() as session:
        internal = await domain.internal_channel_of(session, project.id)
    if internal is None:
        return  # no team channel to tell
    async with svc.sessions.begin() as session:
        if not await domain.claim_escalation(session, issue_id=issue.id, now=now):
            return  # another process (or an earlier minute) has it
    lang = normalise_lang(project.lang)
    target = domain.targets_of(project)[domain.severity_of(issue)]
    text = build_escalation(issue, project, reason, lead=domain.lead_of(project), target=target, lang=lang)
    try:
        await post_once(  # a lost answer is looked up in the channel's history, not re-sent blindly
            client,
            Once(f"issue-escalation:{issue.id}:{now.isoformat()}"),
            channel=internal,
            text=text,
            blocks=[section(text)],
            unfurl_links=False,
            unfurl_media=False,
        )
    except SlackApiError as exc:  # refused, so nothing was posted: let a later minute try again
        log.warning("escalation of issue %s was refused (%s)", issue.id, exc.response.get("error"))
        async with svc.sessions.begin() as session:
            await domain.release_escalation(session, issue_id=issue.id)
    except SLACK_ERRORS as exc:  # it may have been posted: never risk a second one
        log.warning("escalation of issue %s may not have been posted: %s", issue.id, exc)
