"""The issue form's submission (the panel's Raise an issue / Ask a question, the check-in's Make it an issue):
check who submitted and where before the ack, keep mistakes under their fields with nothing written, then
create the issue and tell the client (in the channel, with its id) and the team (with an Assign menu).
"""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.domain import issues as domain
from bot.domain.records import require
from bot.errors import UsageError
from bot.i18n import Lang
from bot.policy import Action, Visibility
from handlers import ids
from handlers.actions.issues import announce, placed_actor
from handlers.builders.common import build_usage_error
from handlers.builders.issues import build_ack_private
from handlers.views.runner import AfterAck, Fields, Invalid, Submission, confirm, field_message, view_listener

FIELD_BLOCKS = {
    "title": ids.ISSUE_TITLE,
    "description": ids.ISSUE_DESCRIPTION,
    "severity": ids.ISSUE_SEVERITY,
}


def read_state(values: dict[str, Any]) -> domain.IssueForm:
    fields = Fields(values)
    return domain.IssueForm(
        title=fields.text(ids.ISSUE_TITLE),
        description=fields.text(ids.ISSUE_DESCRIPTION),
        severity=fields.selected(ids.ISSUE_SEVERITY),
    )


def field_errors(err: UsageError, lang: Lang) -> dict[str, str]:
    return {ids.ISSUE_TITLE: field_message(err, lang)}


async def submit_issue(sub: Submission) -> AfterAck:
    project = sub.where.project
    wanted = sub.meta.get("project")
    if project is None or project.id is None or project.id != wanted:
        raise UsageError("grammar.no_project")
    actor = await placed_actor(sub.svc, sub.client, sub.where)
    require(actor, Action.RAISE, domain.ADD_EXAMPLE)
    lang = sub.lang
    kind = domain.QUESTION if sub.meta.get("kind") == domain.QUESTION else domain.ISSUE
    visibility = Visibility.CLIENT if actor.place.client_facing else Visibility.INTERNAL
    draft, problems = domain.read_form(read_state(sub.values), kind=kind, visibility=visibility)
    if draft is None:
        raise Invalid({FIELD_BLOCKS[name]: field_message(err, lang) for name, err in problems.items()})

    async def create() -> None:
        try:
            async with sub.svc.sessions.begin() as session:
                raised = await domain.raise_issue(
                    session, actor, draft, request_key=sub.request_key, now=sub.svc.clock()
                )
        except UsageError as err:
            await confirm(
                sub.client,
                channel_id=actor.place.channel_id,
                user_id=actor.viewer.user_id,
                reply=build_usage_error(err, lang),
            )
            return
        if raised.repeated:
            return
        await announce(sub.svc, sub.client, raised)
        if raised.client_channel_id != actor.place.channel_id:  # no acknowledgement where they are: say it
            await confirm(
                sub.client,
                channel_id=actor.place.channel_id,
                user_id=actor.viewer.user_id,
                reply=build_ack_private(raised.issue, lang),
            )

    return create


def register(app: AsyncApp) -> None:
    app.view(ids.ISSUE_MODAL)(view_listener(submit_issue, errors=field_errors, channel_key="channel"))
