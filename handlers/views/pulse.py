"""The pulse's comment form: a client person's comment, with their score (kept, or chosen here)."""

from __future__ import annotations

import logging

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError

from bot.domain import pulses
from bot.errors import UsageError
from bot.i18n import Lang, t
from handlers import ids
from handlers.builders.common import Reply, section
from handlers.context import client_word_actor
from handlers.jobs.pulse import alert_lead
from handlers.views.runner import AfterAck, Fields, Submission, field_message, view_listener

log = logging.getLogger(__name__)

SCORE_ERRORS = frozenset({"pulse.bad_score", "pulse.score_first"})


def field_errors(err: UsageError, lang: Lang) -> dict[str, str]:
    block = ids.PULSE_MODAL_SCORE if err.key in SCORE_ERRORS else ids.PULSE_MODAL_COMMENT
    return {block: field_message(err, lang)}


async def submit_comment(sub: Submission) -> AfterAck:
    try:
        actor = await client_word_actor(sub.svc, sub.client, sub.where)
    except UsageError as err:
        raise (UsageError("pulse.client_only") if err.key == "policy.client_only" else err) from None
    fields = Fields(sub.values)
    chosen = fields.selected(ids.PULSE_MODAL_SCORE)
    comment = fields.text(ids.PULSE_MODAL_COMMENT).strip()
    pulse_id = sub.meta.get("pulse")
    if not isinstance(pulse_id, int):
        raise UsageError("refs.gone")
    async with sub.svc.sessions.begin() as session:
        done = await pulses.answer(
            session,
            actor,
            pulse_id,
            score=int(chosen) if chosen.isdigit() else None,
            comment=comment,
            now=sub.svc.clock(),
        )
    lang = sub.lang
    project = sub.where.project

    async def after() -> None:
        text = t("pulse.thanks_comment", lang, score=done.answer.score)
        reply = Reply(text=text, blocks=[section(f":white_check_mark: {text}")])
        try:
            await sub.client.chat_postEphemeral(
                channel=sub.where.place.channel_id,
                user=actor.viewer.user_id,
                text=reply.text,
                blocks=reply.blocks,
            )
        except SlackApiError as exc:
            log.info("could not thank %s for a pulse comment (%s)", actor.viewer.user_id, exc)
        if done.alert and project is not None:
            await alert_lead(sub.client, sub.svc, project, done.answer)

    return after


def register(app: AsyncApp) -> None:
    app.view(ids.PULSE_MODAL)(view_listener(submit_comment, errors=field_errors))
