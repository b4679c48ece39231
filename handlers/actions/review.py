"""The preview's buttons in the team channel: Send now, Edit note (a form), Skip this one.

Only the team decides: the click is checked like a command (who, their organisation as Slack's directory has
it, where), and a client user's click is refused privately and changes nothing.
"""

from __future__ import annotations

import logging

from slack_bolt.async_app import AsyncApp

from bot.domain import review
from bot.domain import schedules as engine
from bot.domain.records import Actor
from bot.i18n import t
from bot.mrkdwn import escape
from handlers import ids
from handlers.actions.issues import placed_actor
from handlers.actions.runner import Click, click_listener
from handlers.builders.common import Reply, section
from handlers.builders.review import build_note_modal
from handlers.commands.minutes import open_view
from handlers.jobs.review import show_decided

log = logging.getLogger(__name__)


async def team_actor(click: Click) -> tuple[Actor, int]:
    preview_id, _ = click.value()
    return await placed_actor(click.svc, click.client, click.where), preview_id


def _reply(key: str, lang: str, **params: str) -> Reply:
    text = t(key, lang, **params)
    return Reply(text=text, blocks=[section(text)])


async def handle_send(click: Click) -> None:
    """Claim the occurrence (exactly once: the engine finds it taken at its time) and post it now, as the
    engine would: the attempt counted, the post tagged with its occurrence (bot/delivery.post_once)."""
    actor, preview_id = await team_actor(click)
    svc = click.svc
    now, instance = svc.clock(), svc.runner.instance
    loaded, occurrence_id = await review.start_send(
        svc.sessions, actor, preview_id, instance=instance, now=now
    )
    schedule, preview = loaded.schedule, loaded.preview
    assert schedule.id is not None
    poster = svc.runner.posters.get(schedule.kind)
    lang = click.where.lang
    try:
        if poster is None:
            raise engine.DeliveryError(f"no poster for {schedule.kind}", retry=False)
        if (
            await engine.begin_attempt(svc.sessions, occurrence_id=occurrence_id, instance=instance, now=now)
            is None
        ):
            raise engine.DeliveryError(engine.LOST, retry=False)
        with engine.posting(engine.Claim(occurrence_id, now, reconcile=False)):
            delivery = await poster(schedule.id, preview.occurs_at)
    except engine.DeliveryError as exc:
        await engine.finish(
            svc.sessions,
            occurrence_id=occurrence_id,
            status=engine.FAILED,
            error=exc.reason,
            instance=instance,
        )
        await review.send_failed(svc.sessions, preview_id=preview_id)
        await show_decided(svc, click.client, preview_id, review.FAILED, reason=exc.reason)
        await click.say(_reply("review.send_failed", lang, reason=escape(exc.reason)))
        return
    await engine.finish(
        svc.sessions,
        occurrence_id=occurrence_id,
        status=engine.POSTED,
        channel_id=delivery.channel_id,
        message_ts=delivery.message_ts,
        instance=instance,
    )
    await show_decided(svc, click.client, preview_id, review.SENT, by=actor.viewer.user_id)
    await click.say(_reply("review.sent_reply", lang))


async def handle_skip(click: Click) -> None:
    actor, preview_id = await team_actor(click)
    await review.skip(click.svc.sessions, actor, preview_id, now=click.svc.clock())
    await show_decided(click.svc, click.client, preview_id, review.SKIPPED, by=actor.viewer.user_id)
    await click.say(_reply("review.skipped_reply", click.where.lang))


async def handle_note(click: Click) -> None:
    actor, preview_id = await team_actor(click)
    async with click.svc.sessions() as session:
        loaded = await review.load(session, actor, preview_id)
    if loaded.preview.state != review.PENDING:
        await click.say(_reply(f"review.already.{loaded.preview.state}", click.where.lang))
        return
    view = build_note_modal(
        preview_id=preview_id, note=loaded.preview.note, lang=click.where.lang, channel_id=click.channel_id
    )
    await open_view(click.client, str(click.body.get("trigger_id") or ""), view, click.where.lang)


def register(app: AsyncApp) -> None:
    app.action(ids.REVIEW_SEND)(click_listener(handle_send))
    app.action(ids.REVIEW_SKIP)(click_listener(handle_skip))
    app.action(ids.REVIEW_NOTE)(click_listener(handle_note))
