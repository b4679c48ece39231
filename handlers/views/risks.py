"""The new-risk form's submission: validate (errors go back under their fields), create, confirm.

The form remembers, in private_metadata, the channel and project it was opened from; the confirmation
is an ephemeral message there (or a DM when that is not possible).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain import risks as domain
from bot.domain.records import Actor
from bot.errors import UsageError
from bot.i18n import normalise_lang, t
from bot.policy import Action, may, shows_internal_fields
from bot.services import Services
from handlers import ids
from handlers.builders.common import Reply, build_usage_error
from handlers.builders.risks import build_risk_saved
from handlers.context import resolve_where
from handlers.metadata import decode

log = logging.getLogger(__name__)

FIELD_BLOCKS = {
    "title": ids.RISK_TITLE,
    "p": ids.RISK_P,
    "i": ids.RISK_I,
    "owner": ids.RISK_OWNER,
    "due": ids.RISK_DUE,
    "strategy": ids.RISK_STRATEGY,
    "response": ids.RISK_RESPONSE,
}


@dataclass(frozen=True)
class FormPlace:
    channel_id: str
    project_id: int | None
    lang: str


def read_metadata(view: dict[str, Any]) -> FormPlace:
    data = decode(view)
    project = data.get("project")
    return FormPlace(
        channel_id=str(data.get("channel") or ""),
        project_id=project if isinstance(project, int) else None,
        lang=normalise_lang(str(data.get("lang") or "")),
    )


def read_state(values: dict[str, Any]) -> domain.RiskForm:
    """The raw values of the form's inputs, whatever kind of element each is."""

    def element(block_id: str) -> dict[str, Any]:
        found = (values.get(block_id) or {}).get(block_id)
        return found if isinstance(found, dict) else {}

    def selected(block_id: str) -> str:
        option = element(block_id).get("selected_option") or {}
        return str(option.get("value") or "")

    return domain.RiskForm(
        title=str(element(ids.RISK_TITLE).get("value") or ""),
        p=selected(ids.RISK_P),
        i=selected(ids.RISK_I),
        owner_user_id=element(ids.RISK_OWNER).get("selected_user") or None,
        due=element(ids.RISK_DUE).get("selected_date") or None,
        strategy=selected(ids.RISK_STRATEGY) or None,
        response=str(element(ids.RISK_RESPONSE).get("value") or ""),
        share=any(
            (o or {}).get("value") == "client" for o in element(ids.RISK_SHARE).get("selected_options") or []
        ),
    )


def field_message(err: UsageError, lang: str) -> str:
    """A field error is plain text under the input: no mrkdwn, so nothing to escape; Slack caps it."""
    return t(err.key, lang, **err.params)[:300]


async def handle_risk_submission(
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
        await ack(response_action="errors", errors={ids.RISK_TITLE: t("grammar.no_project", lang)})
        return
    actor = Actor(
        viewer=where.viewer, place=where.place, project_id=project.id, workspace_id=where.workspace_id
    )
    if not may(actor.viewer, actor.place, Action.CREATE):
        await ack(response_action="errors", errors={ids.RISK_TITLE: t("policy.denied", lang)})
        return
    draft, problems = domain.read_form(read_state((view.get("state") or {}).get("values") or {}))
    if draft is None:
        errors = {FIELD_BLOCKS[name]: field_message(err, lang) for name, err in problems.items()}
        await ack(response_action="errors", errors=errors)
        return
    await ack()
    owner_team = await svc.users.team_of(client, draft.owner.user_id)
    try:
        async with svc.sessions.begin() as session:
            saved = await domain.create_risk(
                session, actor, draft, owner_team_id=owner_team, request_key=f"view:{view.get('id')}"
            )
        reply = build_risk_saved(
            saved, lang, verb="created", team_view=shows_internal_fields(actor.viewer, actor.place)
        )
    except UsageError as err:
        reply = build_usage_error(err, lang)
    await confirm(client, channel_id=meta.channel_id, user_id=actor.viewer.user_id, reply=reply)


async def confirm(client: AsyncWebClient, *, channel_id: str, user_id: str, reply: Reply) -> None:
    """Tell only the person who submitted: ephemeral in the channel, else in a DM from the app."""
    kwargs = reply.as_kwargs()
    kwargs.pop("response_type", None)
    try:
        await client.chat_postEphemeral(channel=channel_id, user=user_id, **kwargs)
        return
    except SlackApiError as exc:
        log.info(
            "ephemeral confirmation failed in %s (%s); sending a DM", channel_id, exc.response.get("error")
        )
    try:
        await client.chat_postMessage(channel=user_id, **kwargs)
    except SlackApiError as exc:
        log.warning("could not confirm a new risk to %s (%s)", user_id, exc.response.get("error"))


def register(app: AsyncApp) -> None:
    app.view(ids.RISK_MODAL)(handle_risk_submission)
