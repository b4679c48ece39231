"""The new-change form's submission: validate (errors go back under their fields, in the user's language),
create, confirm privately where the form was opened."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain import changes as domain
from bot.domain.records import Actor
from bot.errors import UsageError
from bot.i18n import t
from bot.policy import Action, may, shows_internal_fields
from bot.services import Services
from handlers import ids
from handlers.builders.changes import build_change_saved
from handlers.builders.common import build_usage_error
from handlers.context import resolve_where
from handlers.views.risks import confirm, field_message, read_metadata

FIELD_BLOCKS = {
    "title": ids.CHANGE_TITLE,
    "why": ids.CHANGE_WHY,
    "days": ids.CHANGE_DAYS,
    "hours": ids.CHANGE_HOURS,
    "cost": ids.CHANGE_COST,
    "affects": ids.CHANGE_AFFECTS,
}


def read_state(values: dict[str, Any]) -> domain.ChangeForm:
    """The raw values of the form's inputs."""

    def element(block_id: str) -> dict[str, Any]:
        found = (values.get(block_id) or {}).get(block_id)
        return found if isinstance(found, dict) else {}

    def text(block_id: str) -> str:
        return str(element(block_id).get("value") or "")

    return domain.ChangeForm(
        title=text(ids.CHANGE_TITLE),
        why=text(ids.CHANGE_WHY),
        days=text(ids.CHANGE_DAYS),
        hours=text(ids.CHANGE_HOURS),
        cost=text(ids.CHANGE_COST),
        affects=text(ids.CHANGE_AFFECTS),
        share=any(
            (o or {}).get("value") == "client"
            for o in element(ids.CHANGE_SHARE).get("selected_options") or []
        ),
    )


async def handle_change_submission(
    ack: AsyncAck,
    body: dict[str, Any],
    view: dict[str, Any],
    context: Any,
    client: AsyncWebClient,
    svc: Services,
) -> None:
    svc.tasks.track_current()
    meta = read_metadata(view)
    user = body.get("user") or {}
    lang = meta.lang
    where = await resolve_where(
        svc,
        client,
        context=context,
        user_id=str(user.get("id") or ""),
        user_team_id=user.get("team_id"),
        channel_id=meta.channel_id,
    )
    project = where.project
    if project is None or project.id is None or project.id != meta.project_id:
        await ack(response_action="errors", errors={ids.CHANGE_TITLE: t("grammar.no_project", lang)})
        return
    actor = Actor(
        viewer=where.viewer, place=where.place, project_id=project.id, workspace_id=where.workspace_id
    )
    if not may(actor.viewer, actor.place, Action.CREATE):
        await ack(response_action="errors", errors={ids.CHANGE_TITLE: t("policy.denied", lang)})
        return
    draft, problems = domain.read_form(read_state((view.get("state") or {}).get("values") or {}))
    if draft is None:
        errors = {FIELD_BLOCKS[name]: field_message(err, lang) for name, err in problems.items()}
        await ack(response_action="errors", errors=errors)
        return
    try:  # every affected record exists and may be named here: said under the field, before closing the form
        async with svc.sessions.begin() as session:
            await domain.check_affects(session, actor, draft.affects, example="")
    except UsageError as err:
        await ack(response_action="errors", errors={ids.CHANGE_AFFECTS: field_message(err, lang)})
        return
    await ack()
    try:
        async with svc.sessions.begin() as session:
            saved = await domain.create_change(session, actor, draft, request_key=f"view:{view.get('id')}")
        reply = build_change_saved(
            saved, lang, verb="created", team_view=shows_internal_fields(actor.viewer, actor.place)
        )
    except UsageError as err:
        reply = build_usage_error(err, lang)
    await confirm(client, channel_id=meta.channel_id, user_id=actor.viewer.user_id, reply=reply)


def register(app: AsyncApp) -> None:
    app.view(ids.CHANGE_MODAL)(handle_change_submission)
