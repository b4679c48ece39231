"""Telling the team, once, in the project's team channel, that a scheduled occurrence was given up on.

The engine (bot/domain/schedules.py) calls this after it recorded an occurrence as failed, or as missed after a
takeover came too late; whoever marks it reported first posts, and the report itself goes through post_once
(its own key), so neither a second replica nor a lost answer makes it twice.
"""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.delivery import post_once
from bot.domain import channels
from bot.domain import schedules as engine
from bot.i18n import normalise_lang, t
from bot.install import use_workspace_of
from bot.mrkdwn import escape
from bot.services import Services
from bot.timeexpr import Moment, render_moment
from handlers.builders.common import section

log = logging.getLogger(__name__)
SLACK_ERRORS = (SlackApiError, aiohttp.ClientError, TimeoutError, OSError)


def reason_of(occurrence_error: str, lang: str) -> str:
    if occurrence_error == engine.TOO_LATE:
        return t("occurrence.reason.too_late", lang)
    if occurrence_error == engine.EXHAUSTED:
        return t("occurrence.reason.exhausted", lang)
    return t("occurrence.reason.failed", lang, error=escape(occurrence_error or "?"))


async def report_given_up(svc: Services, client: AsyncWebClient, occurrence_id: int) -> None:
    async with svc.sessions() as session:
        found = await engine.given_up(session, occurrence_id=occurrence_id)
        if found is None:
            return
        assert found.project.id is not None
        internal = await channels.channel_for(session, project_id=found.project.id, role=channels.INTERNAL)
    if internal is None:
        log.error(
            "occurrence %s was given up on and the project has no team channel to say so", occurrence_id
        )
        return
    async with svc.sessions.begin() as session:
        if not await engine.claim_report(session, occurrence_id=occurrence_id, now=svc.clock()):
            return  # told already
    await use_workspace_of(svc, project_id=found.project.id)
    lang = normalise_lang(found.project.lang)
    occurrence, schedule, project = found.occurrence, found.schedule, found.project
    due = occurrence.occurs_at - engine.lead_of(schedule)
    when = render_moment(Moment(at=due, local=due.astimezone(ZoneInfo(project.tz)), has_time=True), lang)
    text = t(
        "occurrence.given_up",
        lang,
        ref=f"S-{schedule.number}",
        title=escape(schedule.title or t(f"occurrence.kind.{schedule.kind}", lang)),
        when=when,
        reason=reason_of(occurrence.error, lang),
    )
    claim = engine.Claim(occurrence_id, svc.clock(), reconcile=False)
    try:
        await post_once(client, claim, channel=internal, part="report", text=text, blocks=[section(text)])
    except SlackApiError as exc:  # refused, so nothing was posted: a later look may try again
        log.error("the report of occurrence %s was refused (%s)", occurrence_id, exc.response.get("error"))
        async with svc.sessions.begin() as session:
            await engine.release_report(session, occurrence_id=occurrence_id)
    except SLACK_ERRORS as exc:
        log.error("the report of occurrence %s may not have been posted: %s", occurrence_id, exc)
