"""The new-risk form's submission: validate (errors go back under their fields), create, confirm.

The form remembers, in private_metadata, the channel and project it was opened from and its language;
the confirmation is an ephemeral message there (or a DM when that is not possible).
"""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.domain import risks as domain
from bot.errors import UsageError
from bot.i18n import Lang
from bot.policy import shows_internal_fields
from handlers import ids
from handlers.builders.common import Reply, build_usage_error
from handlers.builders.risks import build_risk_saved
from handlers.views.runner import (
    AfterAck,
    Fields,
    Invalid,
    Submission,
    confirm,
    creating_actor,
    field_message,
    view_listener,
)

FIELD_BLOCKS = {
    "title": ids.RISK_TITLE,
    "p": ids.RISK_P,
    "i": ids.RISK_I,
    "owner": ids.RISK_OWNER,
    "due": ids.RISK_DUE,
    "strategy": ids.RISK_STRATEGY,
    "response": ids.RISK_RESPONSE,
}


def read_state(values: dict[str, Any]) -> domain.RiskForm:
    """The raw values of the form's inputs, whatever kind of element each is."""
    fields = Fields(values)
    return domain.RiskForm(
        title=fields.text(ids.RISK_TITLE),
        p=fields.selected(ids.RISK_P),
        i=fields.selected(ids.RISK_I),
        owner_user_id=fields.element(ids.RISK_OWNER).get("selected_user") or None,
        due=fields.element(ids.RISK_DUE).get("selected_date") or None,
        strategy=fields.selected(ids.RISK_STRATEGY) or None,
        response=fields.text(ids.RISK_RESPONSE),
        share=fields.checked(ids.RISK_SHARE, "client"),
    )


def field_errors(err: UsageError, lang: Lang) -> dict[str, str]:
    return {ids.RISK_TITLE: field_message(err, lang)}


async def submit_risk(sub: Submission) -> AfterAck:
    actor = creating_actor(sub)
    lang = sub.lang
    draft, problems = domain.read_form(read_state(sub.values))
    if draft is None:
        raise Invalid({FIELD_BLOCKS[name]: field_message(err, lang) for name, err in problems.items()})

    async def create() -> None:
        owner_team = await sub.svc.users.team_of(sub.client, draft.owner.user_id)
        reply: Reply
        try:
            async with sub.svc.sessions.begin() as session:
                saved = await domain.create_risk(
                    session, actor, draft, owner_team_id=owner_team, request_key=sub.request_key
                )
            reply = build_risk_saved(
                saved, lang, verb="created", team_view=shows_internal_fields(actor.viewer, actor.place)
            )
        except UsageError as err:
            reply = build_usage_error(err, lang)
        await confirm(
            sub.client, channel_id=actor.place.channel_id, user_id=actor.viewer.user_id, reply=reply
        )

    return create


def register(app: AsyncApp) -> None:
    app.view(ids.RISK_MODAL)(view_listener(submit_risk, errors=field_errors, channel_key="channel"))
