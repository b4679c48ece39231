"""The new-change form's submission: validate (errors go back under their fields, in the user's language),
create, confirm privately where the form was opened."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.domain import changes as domain
from bot.errors import UsageError
from bot.i18n import Lang
from bot.policy import shows_internal_fields
from handlers import ids
from handlers.builders.changes import build_change_saved
from handlers.builders.common import Reply, build_usage_error
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
    "title": ids.CHANGE_TITLE,
    "why": ids.CHANGE_WHY,
    "days": ids.CHANGE_DAYS,
    "hours": ids.CHANGE_HOURS,
    "cost": ids.CHANGE_COST,
    "affects": ids.CHANGE_AFFECTS,
}


def read_state(values: dict[str, Any]) -> domain.ChangeForm:
    """The raw values of the form's inputs."""
    fields = Fields(values)
    return domain.ChangeForm(
        title=fields.text(ids.CHANGE_TITLE),
        why=fields.text(ids.CHANGE_WHY),
        days=fields.text(ids.CHANGE_DAYS),
        hours=fields.text(ids.CHANGE_HOURS),
        cost=fields.text(ids.CHANGE_COST),
        affects=fields.text(ids.CHANGE_AFFECTS),
        share=fields.checked(ids.CHANGE_SHARE, "client"),
    )


def field_errors(err: UsageError, lang: Lang) -> dict[str, str]:
    return {ids.CHANGE_TITLE: field_message(err, lang)}


async def submit_change(sub: Submission) -> AfterAck:
    actor = creating_actor(sub)
    lang = sub.lang
    draft, problems = domain.read_form(read_state(sub.values))
    if draft is None:
        raise Invalid({FIELD_BLOCKS[name]: field_message(err, lang) for name, err in problems.items()})
    try:  # every affected record exists and may be named here: said under the field, before closing the form
        async with sub.svc.sessions.begin() as session:
            await domain.check_affects(session, actor, draft.affects, example="")
    except UsageError as err:
        raise Invalid({ids.CHANGE_AFFECTS: field_message(err, lang)}) from err

    async def create() -> None:
        reply: Reply
        try:
            async with sub.svc.sessions.begin() as session:
                saved = await domain.create_change(session, actor, draft, request_key=sub.request_key)
            reply = build_change_saved(
                saved, lang, verb="created", team_view=shows_internal_fields(actor.viewer, actor.place)
            )
        except UsageError as err:
            reply = build_usage_error(err, lang)
        await confirm(
            sub.client, channel_id=actor.place.channel_id, user_id=actor.viewer.user_id, reply=reply
        )

    return create


def register(app: AsyncApp) -> None:
    app.view(ids.CHANGE_MODAL)(view_listener(submit_change, errors=field_errors, channel_key="channel"))
