"""The Answer button on a check-in prompt: opens the modal, prefilled with the person's answer."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain import checkins
from bot.i18n import t
from bot.services import Services
from handlers import ids
from handlers.builders.checkin import build_answer_modal
from handlers.errors import report
from handlers.jobs.checkin import person, question_of


async def handle_checkin_open(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond, svc: Services
) -> None:
    await ack()
    svc.tasks.track_current()
    try:
        await _open(body, client, respond, svc)
    except Exception as error:  # after the ack, never Bolt's to handle (handlers/errors.py says why)
        await report(error, respond, "en")


async def _open(body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond, svc: Services) -> None:
    user_id = body["user"]["id"]
    occurrence_id = int(body["actions"][0]["value"])
    async with svc.sessions() as session:
        found = await checkins.occurrence_context(session, occurrence_id=occurrence_id)
        answer = await checkins.answer_of(session, occurrence_id=occurrence_id, user_id=user_id)
    if found is None or answer is None:
        await respond(text=t("checkin.not_yours", "en"), replace_original=False)
        return
    occurrence, schedule, project = found.occurrence, found.schedule, found.project
    who = await person(svc.users, client, user_id, default_tz=project.tz, default_lang=project.lang)
    if occurrence.summary_at is not None:
        await respond(text=t("checkin.closed", who.lang), replace_original=False)
        return
    view = build_answer_modal(
        occurrence_id=occurrence_id,
        project=project.name,
        question=question_of(schedule, project, who.lang),
        lang=who.lang,
        answer=answer if answer.answered_at else None,
        questions=checkins.questions_of(schedule),
        progress=checkins.asks_progress(schedule),
    )
    await client.views_open(trigger_id=body["trigger_id"], view=view)


def register(app: AsyncApp) -> None:
    app.action(ids.CHECKIN_OPEN)(handle_checkin_open)
