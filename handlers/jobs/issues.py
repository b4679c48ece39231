"""Issue escalation: an open issue the team has not responded to within its severity's target, or still open
past its due time, is escalated once to the project's lead in the team channel.

It runs as a follow-up of the schedule runner (every minute, on every replica). Each escalation is claimed in
the database first (`escalated_at` set by one conditional UPDATE … WHERE escalated_at IS NULL, with a follow-up
claim under a lease in the same transaction), so however many processes look, one posts it; a claim whose
claimant died is taken over and looked for in the channel's history before it is posted.
"""

from __future__ import annotations

import logging
from datetime import datetime

from slack_sdk.web.async_client import AsyncWebClient

from bot.delivery import Once, post_once
from bot.domain import followups
from bot.domain import issues as domain
from bot.i18n import normalise_lang
from bot.install import use_workspace_of
from bot.services import Services
from handlers.builders.common import section
from handlers.builders.issues import build_escalation
from handlers.jobs.followups import carry_out
from storage.models import Issue, Project

log = logging.getLogger(__name__)
KIND = followups.ISSUE_ESCALATION


async def issue_escalations(svc: Services, client: AsyncWebClient, now: datetime) -> None:
    for held in await followups.take_over(svc.sessions, kind=KIND, now=now, instance=svc.runner.instance):
        await _carry_out(svc, client, held)
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
        held = await followups.claim(  # the reason is its part: a takeover says the same
            session,
            kind=KIND,
            record_id=issue.id,
            part=reason.value,
            project_id=project.id,
            instance=svc.runner.instance,
            now=now,
        )
    if held is not None:
        await _carry_out(svc, client, held)


async def _carry_out(svc: Services, client: AsyncWebClient, held: followups.Held) -> None:
    async def post(once: Once) -> None:
        async with svc.sessions() as session:
            issue, project = await followups.subject(session, held, Issue)
            internal = await domain.internal_channel_of(session, held.project_id)
        if issue is None or project is None or internal is None:
            return  # gone meanwhile
        if issue.status != domain.OPEN or issue.deleted_at is not None:
            return  # closed or deleted meanwhile: nothing to escalate
        await use_workspace_of(svc, project_id=held.project_id)
        lang = normalise_lang(project.lang)
        target = domain.targets_of(project)[domain.severity_of(issue)]
        reason = domain.Reason(held.part)
        text = build_escalation(
            issue, project, reason, lead=domain.lead_of(project), target=target, lang=lang
        )
        await post_once(  # a lost answer is looked up in the channel's history, not re-sent blindly
            client,
            once,
            channel=internal,
            text=text,
            blocks=[section(text)],
            unfurl_links=False,
            unfurl_media=False,
        )

    await carry_out(svc, client, held, post)
