"""Carrying out a follow-up claim (bot/domain/followups.py) on Slack's side: one attempt through post_once, its
outcome recorded while the claim is still this process's, and what is given up on told to the team once."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.delivery import Once, post_once
from bot.domain import channels, followups
from bot.domain import schedules as engine
from bot.i18n import normalise_lang, t
from bot.install import use_workspace_of
from bot.mrkdwn import escape
from bot.services import Services
from handlers.builders.common import section
from handlers.jobs.slack_errors import delivery_error

log = logging.getLogger(__name__)
SLACK_ERRORS = (SlackApiError, aiohttp.ClientError, TimeoutError, OSError)

POSTED, LOST, RETRY, GIVEN_UP = "posted", "lost", "retry", "given up"
# Posts the follow-up (or decides it is not needed any more and returns) through post_once with this Once.
Post = Callable[[Once], Awaitable[None]]


async def carry_out(
    svc: Services, client: AsyncWebClient, held: followups.Held, post: Post, *, ref: str = ""
) -> str:
    """One attempt: posted (or found posted, or not needed), left to be tried again after RETRY_AFTER, lost to
    a replica that took it over, or given up on after MAX_ATTEMPTS (and reported once); which one is returned.
    Every attempt after the first, and any after a takeover, looks in the channel's history before posting."""
    instance = svc.runner.instance
    number = await followups.begin_attempt(svc.sessions, held, instance=instance, now=svc.clock())
    if number is None:
        return LOST
    once = Once(
        held.key,
        since=held.claimed_at,
        reconcile=held.taken_over or number > 1,
        lookup_only=number > followups.MAX_ATTEMPTS,  # its last claimant died mid-attempt: only look
    )
    try:
        await post(once)
    except engine.NotPosted:
        error = followups.EXHAUSTED
    except SLACK_ERRORS as exc:
        error = delivery_error(exc).reason
        log.warning("follow-up %s, attempt %d: %s", held.key, number, error)
        if number < followups.MAX_ATTEMPTS:
            await followups.retry_later(svc.sessions, held, instance=instance, now=svc.clock(), error=error)
            return RETRY
    else:
        await followups.done(svc.sessions, held, instance=instance, now=svc.clock())
        return POSTED
    if not await followups.done(svc.sessions, held, instance=instance, now=svc.clock(), error=error):
        return LOST
    await report_given_up(svc, client, held, error, ref=ref)
    return GIVEN_UP


async def report_given_up(
    svc: Services, client: AsyncWebClient, held: followups.Held, error: str, *, ref: str = ""
) -> None:
    """In the project's team channel, once (its own key, so a lost answer is looked up, not re-sent)."""
    async with svc.sessions() as session:
        project = await channels.fresh_project(session, project_id=held.project_id)
        internal = await channels.channel_for(session, project_id=held.project_id, role=channels.INTERNAL)
    if project is None or internal is None:
        log.error("follow-up %s was given up on (%s); no team channel to say so", held.key, error)
        return
    if not await followups.claim_report(svc.sessions, held, now=svc.clock()):
        return  # told already
    await use_workspace_of(svc, project_id=held.project_id)
    lang = normalise_lang(project.lang)
    what = t(f"followup.kind.{held.kind}", lang) + (f" `{escape(ref)}`" if ref else "")
    reason = (
        t("occurrence.reason.exhausted", lang)
        if error == followups.EXHAUSTED
        else t("occurrence.reason.failed", lang, error=escape(error))
    )
    text = t("followup.given_up", lang, what=what, reason=reason)
    try:
        await post_once(
            client, Once(f"{held.key}:report"), channel=internal, text=text, blocks=[section(text)]
        )
    except SLACK_ERRORS as exc:
        log.error("the report of follow-up %s could not be posted: %s", held.key, exc)
