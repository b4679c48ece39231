"""Satisfaction pulses on the schedule engine: post the question into the client channel (once per
occurrence), close each pulse once when its time is up (results to the team, the client's message marked
closed), and alert the project's lead in the team channel at once when a client scores 2 or less."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.delivery import Once, post_once
from bot.domain import channels, followups, pulses
from bot.domain import schedules as engine
from bot.i18n import normalise_lang
from bot.install import use_workspace_of
from bot.services import Services
from handlers.builders.pulse import build_alert, build_pulse_message, build_results
from handlers.jobs.followups import carry_out
from handlers.jobs.slack_errors import delivery_error
from storage.models import Project, Pulse, PulseAnswer

log = logging.getLogger(__name__)
SLACK_ERRORS = (SlackApiError, aiohttp.ClientError, TimeoutError, OSError)
POST_OPTIONS: dict[str, Any] = {"unfurl_links": False, "unfurl_media": False}


async def post_question(client: AsyncWebClient, pulse: Pulse, lang: str) -> str:
    """Post a pulse's question with its buttons; returns the message ts (Slack errors propagate)."""
    assert pulse.id is not None and pulse.channel_id is not None
    text, blocks = build_pulse_message(
        pulse_id=pulse.id, question=pulse.question, lang=lang, closes_at=pulse.closes_at
    )
    # Scheduled (the engine's occurrence) or asked for by a command: post_once tags it and never re-posts blindly.
    return await post_once(client, channel=pulse.channel_id, text=text, blocks=blocks, **POST_OPTIONS)


def open_for(options: dict[str, object]) -> timedelta:
    days = options.get("open_days")
    return timedelta(days=days) if isinstance(days, int) and days > 0 else pulses.OPEN_FOR


async def post_scheduled_pulse(
    svc: Services, client: AsyncWebClient, schedule_id: int, occurs_at: datetime
) -> engine.Delivery:
    async with svc.sessions() as session:
        schedule, project = await engine.schedule_and_project(session, schedule_id=schedule_id)
        occurrence_id = await engine.occurrence_id_of(session, schedule_id=schedule_id, occurs_at=occurs_at)
        channel_id, _ = await engine.target_channel(session, schedule=schedule)
    assert project.id is not None
    async with svc.sessions.begin() as session:
        pulse, _ = await pulses.start(
            session,
            project_id=project.id,
            schedule_id=schedule_id,
            occurrence_id=occurrence_id,
            question=str(schedule.options.get("question") or ""),
            channel_id=channel_id,
            now=svc.clock(),
            created_by=schedule.created_by,
            open_for=open_for(schedule.options),
        )
    if pulse.message_ts:  # an earlier attempt posted it: never ask twice
        return engine.Delivery(channel_id=pulse.channel_id, message_ts=pulse.message_ts)
    try:
        ts = await post_question(client, pulse, normalise_lang(project.lang))
    except SLACK_ERRORS as exc:
        raise delivery_error(exc) from None
    assert pulse.id is not None
    async with svc.sessions.begin() as session:
        await pulses.posted(session, pulse_id=pulse.id, message_ts=ts)
    return engine.Delivery(channel_id=channel_id, message_ts=ts)


async def close_due_pulses(svc: Services, client: AsyncWebClient, now: datetime) -> None:
    """Each pulse whose time is up is closed by exactly one process, which tells the team; low-score alerts
    a process did not finish (it died) are taken over here."""
    for held in await followups.take_over(
        svc.sessions, kind=followups.PULSE_ALERT, now=now, instance=svc.runner.instance
    ):
        await _carry_out_alert(svc, client, held)
    async with svc.sessions() as session:
        due = await pulses.due_to_close(session, now=now)
    for pulse in due:
        assert pulse.id is not None
        async with svc.sessions.begin() as session:
            claimed = await pulses.claim_close(session, pulse_id=pulse.id, now=now)
        if claimed:
            await _announce_close(svc, client, pulse.id, now)


async def _announce_close(svc: Services, client: AsyncWebClient, pulse_id: int, now: datetime) -> None:
    async with svc.sessions() as session:
        pulse = await pulses.get(session, pulse_id=pulse_id)
        assert pulse is not None
        project = await channels.fresh_project(session, project_id=pulse.project_id)
        found = await pulses.results(session, project_id=pulse.project_id, pulse_id=pulse_id)
        internal = await channels.channel_for(session, project_id=pulse.project_id, role=channels.INTERNAL)
    assert project is not None and found is not None
    await use_workspace_of(svc, project_id=pulse.project_id)
    lang = normalise_lang(project.lang)
    if pulse.channel_id and pulse.message_ts:
        text, blocks = build_pulse_message(
            pulse_id=pulse_id, question=pulse.question, lang=lang, closes_at=pulse.closes_at, closed_at=now
        )
        try:
            await client.chat_update(channel=pulse.channel_id, ts=pulse.message_ts, text=text, blocks=blocks)
        except SLACK_ERRORS as exc:
            log.info("could not mark pulse %s closed (%s)", pulse_id, exc)
    if internal is None:
        return
    text, blocks = build_results(
        answers=found.answers,
        average=found.average,
        trend=found.trend,
        question=pulse.question,
        lang=lang,
        tz=project.tz,
        closes_at=pulse.closes_at,
        closed=True,
    )
    try:
        once = Once(f"pulse-results:{pulse_id}")  # a lost answer is looked up, never re-sent blindly
        await post_once(client, once, channel=internal, text=text, blocks=blocks, **POST_OPTIONS)
    except SLACK_ERRORS as exc:
        log.error("pulse %s results could not reach the team (%s)", pulse_id, exc)


async def alert_lead(client: AsyncWebClient, svc: Services, project: Project, answer: PulseAnswer) -> None:
    """A low score, at once, in the team channel, naming the lead. The alert was enqueued with the answer, so a
    failure here is only logged: the follow-ups' look posts it once its claim's lease has run out, and the
    client, whose score is kept, is never told that something went wrong."""
    assert answer.id is not None
    try:
        held = await followups.take(
            svc.sessions,
            kind=followups.PULSE_ALERT,
            record_id=answer.id,
            instance=svc.runner.instance,
            now=svc.clock(),
        )
        if held is not None:  # else another replica's look has it already
            await _carry_out_alert(svc, client, held)
    except Exception:
        log.exception("pulse alert for answer %s: left to the follow-ups' look", answer.id)


async def _carry_out_alert(svc: Services, client: AsyncWebClient, held: followups.Held) -> None:
    async def post(once: Once) -> None:
        async with svc.sessions() as session:
            answer, _ = await followups.subject(session, held, PulseAnswer)
            project = await channels.fresh_project(session, project_id=held.project_id)
            internal = await channels.channel_for(session, project_id=held.project_id, role=channels.INTERNAL)
        if answer is None or project is None or internal is None:
            return
        await use_workspace_of(svc, project_id=held.project_id)
        text = build_alert(
            lead=pulses.lead_of(project),
            who=answer.user_id,
            score=answer.score,
            comment=answer.comment,
            lang=normalise_lang(project.lang),
        )
        await post_once(client, once, channel=internal, text=text, **POST_OPTIONS)

    await carry_out(svc, client, held, post)
