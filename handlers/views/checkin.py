"""The check-in answer modal's submission: validate, save (until the summary is out), update the prompt."""

from __future__ import annotations

import contextlib
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain import checkins
from bot.domain.checkins import OccurrenceContext
from bot.errors import UsageError
from bot.i18n import t
from bot.policy import Viewer
from bot.services import Services
from handlers import ids
from handlers.builders.checkin import BLOCKERS, CONFIDENCE, DONE, NEXT, PROGRESS, build_prompt, question_block
from handlers.context import home_team_id
from handlers.errors import report
from handlers.jobs.checkin import person, question_of, when
from handlers.metadata import decode
from storage.models import CheckinAnswer


def _value(values: dict[str, Any], block: str) -> str | None:
    field = values.get(block, {}).get(block, {})
    if field.get("type") == "static_select":
        option = field.get("selected_option") or {}
        return str(option["value"]) if option.get("value") else None
    return str(field["value"]) if field.get("value") is not None else None


async def handle_checkin_submission(
    ack: AsyncAck,
    body: dict[str, Any],
    view: dict[str, Any],
    client: AsyncWebClient,
    context: Any,
    svc: Services,
) -> None:
    svc.tasks.track_current()
    user_id = body["user"]["id"]
    occurrence_id = int(decode(view).get("occurrence", 0))
    values = view["state"]["values"]
    async with svc.sessions() as session:
        found = await checkins.occurrence_context(session, occurrence_id=occurrence_id)
    schedule = found.schedule if found else None
    project = found.project if found else None
    lang = "en"
    if project is not None:
        lang = (
            await person(svc.users, client, user_id, default_tz=project.tz, default_lang=project.lang)
        ).lang
    questions = checkins.questions_of(schedule) if schedule is not None else ()
    with_progress = schedule is None or checkins.asks_progress(schedule)
    form, errors = checkins.read_answer(
        progress=_value(values, PROGRESS) if with_progress else None,
        done=_value(values, DONE),
        next_=_value(values, NEXT),
        blockers=_value(values, BLOCKERS),
        confidence=_value(values, CONFIDENCE),
        answers=[(q, _value(values, question_block(n))) for n, q in enumerate(questions)],
    )
    if form is None:
        await ack(response_action="errors", errors={k: t(v, lang) for k, v in errors.items()})
        return
    viewer = Viewer(user_id, body["user"].get("team_id"), home_team_id(context))
    try:
        async with svc.sessions.begin() as session:
            answer = await checkins.save_answer(
                session,
                occurrence_id=occurrence_id,
                user_id=user_id,
                form=form,
                by_client=viewer.is_external,
            )
    except UsageError as err:
        first = PROGRESS if with_progress or not questions else question_block(0)  # a block the form has
        await ack(response_action="errors", errors={first: t(err.key, lang)})
        return
    await ack()
    try:
        await _mark_answered(client, svc, user_id, found, answer)
    except Exception as error:  # after the ack, never Bolt's to handle (handlers/errors.py says why)
        await report(error, None, lang)


async def _mark_answered(
    client: AsyncWebClient,
    svc: Services,
    user_id: str,
    found: OccurrenceContext | None,
    answer: CheckinAnswer,
) -> None:
    """The DM's prompt now says it is answered, with what was kept."""
    if found is None or not answer.prompt_ts or not answer.dm_channel_id:
        return
    occurrence, schedule, project = found.occurrence, found.schedule, found.project
    who = await person(svc.users, client, user_id, default_tz=project.tz, default_lang=project.lang)
    text, blocks = build_prompt(
        project=project.name,
        question=question_of(schedule, project, who.lang),
        deadline=when(occurrence.occurs_at + checkins.deadline_of(schedule), who.tz, who.lang),
        occurrence_id=answer.occurrence_id,
        lang=who.lang,
        answered=True,
    )
    if answer.progress is None:  # say what was kept, never "Recorded —."
        thanks = t("checkin.answered_no_progress", who.lang)
    else:
        thanks = t("checkin.answered", who.lang, progress=f"{answer.progress}%")
    blocks.insert(1, {"type": "context", "elements": [{"type": "mrkdwn", "text": thanks}]})
    with contextlib.suppress(SlackApiError):  # the answer is saved; a stale prompt is only cosmetic
        await client.chat_update(channel=answer.dm_channel_id, ts=answer.prompt_ts, text=text, blocks=blocks)


def register(app: AsyncApp) -> None:
    app.view(ids.CHECKIN_MODAL)(handle_checkin_submission)
