"""The pulse's buttons in the client channel: a score (1–5) records or changes the clicker's answer; the
comment button opens a form. Only a client person's click counts (`client_actor`); the team's is refused
privately and not counted."""

from __future__ import annotations

import re

from slack_bolt.async_app import AsyncApp

from bot.domain import pulses
from bot.domain.records import Actor
from bot.errors import UsageError
from bot.i18n import t
from bot.mrkdwn import date_time
from handlers import ids
from handlers.actions.runner import Click, click_listener
from handlers.builders.common import Reply, section
from handlers.builders.pulse import build_comment_modal
from handlers.commands.minutes import open_view
from handlers.jobs.pulse import alert_lead


async def pulse_actor(click: Click) -> Actor:
    """The clicker, if they speak for the client; a team member is told their click does not count."""
    try:
        return await click.client_actor()
    except UsageError as err:
        if err.key == "policy.client_only":
            raise UsageError("pulse.client_only") from None
        raise


async def handle_score(click: Click) -> None:
    pulse_id, tail = click.value()
    score = int(tail) if tail.isdigit() else 0
    actor = await pulse_actor(click)
    async with click.svc.sessions.begin() as session:
        done = await pulses.answer(session, actor, pulse_id, score=score, comment=None, now=click.svc.clock())
    lang = click.where.lang
    text = t("pulse.thanks", lang, score=done.answer.score, closes=date_time(done.pulse.closes_at))
    await click.say(Reply(text=text, blocks=[section(f":white_check_mark: {text}")]))
    if done.alert:
        await alert_lead(click.client, click.svc, click.project, done.answer)


async def handle_comment(click: Click) -> None:
    pulse_id, _ = click.value()
    actor = await pulse_actor(click)
    async with click.svc.sessions() as session:
        pulse = await pulses.get(session, pulse_id=pulse_id)
        if pulse is None or pulse.project_id != actor.project_id:
            raise UsageError("refs.gone")
        if not pulses.is_open(pulse, click.svc.clock()):
            raise UsageError("pulse.closed")
        mine = await pulses.answer_of(session, pulse_id=pulse_id, user_id=actor.viewer.user_id)
    view = build_comment_modal(
        pulse_id=pulse_id,
        lang=click.where.lang,
        channel_id=click.channel_id,
        score=mine.score if mine else None,
        comment=mine.comment if mine else "",
    )
    await open_view(click.client, str(click.body.get("trigger_id") or ""), view, click.where.lang)


def register(app: AsyncApp) -> None:
    app.action(re.compile(rf"^{ids.PULSE_SCORE}[1-5]$"))(click_listener(handle_score))
    app.action(ids.PULSE_COMMENT)(click_listener(handle_comment))
